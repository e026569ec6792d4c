import type { ProcedureRecord, RequiredDocument } from './procedure-record.ts';

/**
 * A procedure's papers as a citizen's checklist. The catalogue's document table mixes the papers
 * everyone brings with the papers of special cases ("Trường hợp trẻ em bị bỏ rơi …"), authorisation
 * and abroad, electronic copies for online filing, and notes to the officer that ask for nothing
 * ("0 bản chính"); the birth certificate can be row 5 of 33. The checklist keeps the record's words
 * but sorts them: forms first, then the common case's papers; the special cases on request.
 */
export interface ChecklistItem {
  /** The paper, shortened to its own clause ("Giấy chứng sinh", not the fallback sentence after it). */
  text: string;
  /** The form's file or number as the record names it ("Mẫu số 03/2025/LLTP", "Mau NA20-BCA.docx"). */
  form: string | null;
  /** "1 bản chính", "1 bản sao", "1 bản chính, 1 bản sao". */
  quantity: string;
}

export interface DocumentChecklist {
  common: ChecklistItem[];
  special: ChecklistItem[];
  /** Rows that ask for nothing (notes to the officer, "0 bản chính"): left out of both lists. */
  dropped: number;
}

/** Opens a special case: a condition, a who-if, an alternative ("Trường hợp …", "Đối với …", "Nếu …"). */
const SPECIAL_OPENING =
  /^(?:trường hợp|đối với|nếu|riêng|ngoài ra|khi|người (?:đi )?(?:đăng ký|yêu cầu)|cá nhân|cơ quan|trong trường hợp)(?!\p{L})/iu;
/** Papers only some citizens need, said in the paper's own clause: authorisation, electronic or online variants, the post. */
const SPECIAL_PAPER =
  /ủy quyền|uỷ quyền|bản điện tử|điện tử tương tác|bản chụp|trực tuyến|qua (?:hệ thống )?bưu chính|(?:nếu|trong trường hợp) có(?!\p{L})/iu;
/** Cases said anywhere in the row, brackets included ("Tờ khai … (Dùng cho … trường hợp ủy quyền …)"). */
const SPECIAL_ANYWHERE =
  /trường hợp (?:được )?(?:ủy|uỷ) quyền|ở nước ngoài|do cơ quan có thẩm quyền (?:của )?nước ngoài|hợp pháp hóa lãnh sự/iu;
/** A paper to fill in: listed first, it is what the citizen gets from the counter or the portal. */
const FORM_PAPER = /^(?:tờ khai|đơn|mẫu|phiếu|bản khai|giấy đề nghị|văn bản đề nghị)/iu;
/** Where a paper's own name ends and its fallbacks or conditions begin. */
const CLAUSE_END =
  /;|\.\s|\s\(|,?\s(?:trường hợp|trong trường hợp|nếu|đối với trường hợp|hoặc (?:các )?(?:giấy tờ|tài liệu|văn bản) khác|để chứng minh|để đối chiếu|kèm theo)\s/iu;
/** A list's numbering ("(iv)", "a)", "1.", "-"): the checklist numbers its own lines. */
const ENUMERATOR = /^(?:\(\s*(?:[ivx]{1,4}|\d{1,2}|[a-zđ])\s*\)|(?:[a-zđ]|\d{1,2})[).]|[-+•*])\s*/iu;
/** A paper's name longer than this is a sentence: it is cut at its first clause. */
const LONG_ITEM = 90;

export function documentChecklist(record: Pick<ProcedureRecord, 'documents'>): DocumentChecklist {
  const common: ChecklistItem[] = [];
  const special: ChecklistItem[] = [];
  let dropped = 0;
  const seen = new Set<string>();
  for (const d of record.documents) {
    if (asksForNothing(d)) {
      dropped += 1;
      continue;
    }
    const item = { text: ownClause(d.name), form: d.form, quantity: quantity(d) };
    // The same paper is listed under several cases: once is enough.
    const key = `${item.text.toLowerCase()}|${item.form ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (isSpecial(d.name) ? special : common).push(item);
  }
  // Forms first, then the table's order: the form is what the citizen fills in at the counter.
  const formsFirst = (items: ChecklistItem[]) => [...items.filter(isForm), ...items.filter((i) => !isForm(i))];
  return { common: formsFirst(common), special: formsFirst(special), dropped };
}

/** A row with no copy of anything ("0 bản chính") is a note to the officer, not a paper to bring. */
function asksForNothing(d: RequiredDocument): boolean {
  return d.originals === 0 && d.copies === 0 && /^\s*0\s/u.test(d.quantityText);
}

/** Judged on the paper's own clause: "Tờ khai … (nếu nộp trực tiếp hoặc qua bưu chính)" is everyone's form. */
function isSpecial(name: string): boolean {
  const own = ownClause(name);
  return SPECIAL_OPENING.test(own) || SPECIAL_PAPER.test(own) || SPECIAL_ANYWHERE.test(name);
}

function isForm(item: ChecklistItem): boolean {
  return item.form !== null || FORM_PAPER.test(item.text);
}

/**
 * The paper's own clause: "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì …" is "Giấy
 * chứng sinh". A short name stays whole; a long one is cut only where a clause ends, never inside one.
 */
function ownClause(name: string): string {
  const clean = name.replace(/\s+/gu, ' ').trim().replace(ENUMERATOR, '').trim();
  if (clean.length <= LONG_ITEM) return clean.replace(/[.;:,]+$/u, '');
  const end = CLAUSE_END.exec(clean);
  const head = end !== null && end.index >= 8 ? clean.slice(0, end.index) : clean;
  return head.replace(/[.;:,]+$/u, '').trim();
}

function quantity(d: RequiredDocument): string {
  const parts = [d.originals > 0 ? `${d.originals} bản chính` : '', d.copies > 0 ? `${d.copies} bản sao` : ''].filter(
    Boolean,
  );
  return parts.join(', ');
}
