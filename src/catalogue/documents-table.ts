import { cleanInline, tidyItem, unique } from './catalogue-text.ts';
import type { RequiredDocument } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------
// Required documents ("Thành phần hồ sơ")

const DOCUMENT_HEADER = 'Tên giấy tờMẫu đơn, tờ khaiSố lượng';
/** The quantity cell; one digit for originals because names often end in digits ("Mẫu số 18"). */
const QUANTITY = /(\d) ?bản chính(?:, ?(\d+) ?bản sao)?/gu;

/** Whether a "N bản chính" match is the quantity cell rather than words inside a name. */
function isQuantityCell(text: string, start: number, end: number): boolean {
  const before = text[start - 1] ?? '';
  const beforeThat = text[start - 2] ?? '';
  const after = text.slice(end, end + 2);
  if (/^ \p{Ll}|^\)/u.test(after)) return false; // "01 bản chính hoặc …", "(01 bản chính)"
  if (before === '0' && (beforeThat === '' || /[\s(:]/u.test(beforeThat))) return false; // ": 02 bản chính"
  if (before === '' || /[\s(]/u.test(before)) return after === '' || /^[\p{Lu}\-+*(]/u.test(after);
  return true;
}

const FORM_AFTER_COMMA = /,\s*((?:Mẫu|mẫu|Biểu mẫu|Phụ lục)[^,;]*?);?\s*$/u;
/** A template file name closing the chunk: everything after the last ";" up to the extension. */
const FORM_FILE = /([^;\n]*?)\.(docx?|pdf|xlsx?|rtf|zip|rar|odt)\s*$/iu;
/** Where a glued file name starts: after a sentence end ("(NA20).Mau…", "…an)Mẫu…"). */
const SENTENCE_END = /(?<=[\p{L})])\.(?=\p{Lu})|(?<=\p{L})\)(?=[\p{Lu}\d])/gu;
/** …or where a template word is glued to the last word of the name ("…phòng hộMẫu số 04"). */
const GLUED_TEMPLATE_WORD = /(?<=\p{L})(?=Mẫu|Mau|Mus|Phụ lục|Phu luc|Phu lục|PL[\s\d_.-]|Biểu mẫu)/gu;

/** A seamless stem longer than this is a name with a file glued on, not a file name. */
const MAX_FORM_LENGTH = 80;

function lastIndexOf(pattern: RegExp, text: string): number {
  let last = -1;
  for (const m of text.matchAll(pattern)) last = m.index + m[0].length;
  return last;
}

/** Splits "<name>, Mẫu số 01/2025/LLTP;" or "<name>;Mẫu 08.docx" into name and form. */
function splitDocumentForm(chunk: string): { name: string; form: string | null } {
  const comma = FORM_AFTER_COMMA.exec(chunk);
  if (comma) return { name: tidyItem(chunk.slice(0, comma.index)), form: (comma[1] ?? '').trim() };
  const file = FORM_FILE.exec(chunk);
  if (!file) return { name: tidyItem(chunk), form: null };
  const stem = file[1] ?? '';
  const cut = Math.max(lastIndexOf(SENTENCE_END, stem), lastIndexOf(GLUED_TEMPLATE_WORD, stem), 0);
  // No visible seam and a long stem: the file name is glued to the name in an unknown place.
  if (cut === 0 && stem.length > MAX_FORM_LENGTH) return { name: tidyItem(chunk), form: null };
  const form = tidyItem(`${stem.slice(cut)}.${file[2] ?? ''}`);
  const name = tidyItem(chunk.slice(0, file.index + cut).replace(/[.;]+\s*$/u, ''));
  return { name: name || form.replace(/\.[a-z]+$/iu, ''), form };
}

/** Parses the flattened documents table; case headings are dropped, duplicates removed. */
export function parseDocuments(raw: string): RequiredDocument[] {
  const text = cleanInline(raw);
  const documents: RequiredDocument[] = [];
  let previousEnd = 0;
  for (const m of text.matchAll(QUANTITY)) {
    const end = m.index + m[0].length;
    if (!isQuantityCell(text, m.index, end)) continue;
    const chunk = text.slice(previousEnd, m.index).split(DOCUMENT_HEADER).pop() ?? '';
    previousEnd = end;
    const { name, form } = splitDocumentForm(chunk.replace(/^-+/u, ''));
    if (!/\p{L}/u.test(name)) continue;
    documents.push({
      name,
      form,
      originals: Number(m[1]),
      copies: Number(m[2] ?? 0),
      quantityText: m[0],
    });
  }
  return unique(documents, (d) => JSON.stringify(d));
}
