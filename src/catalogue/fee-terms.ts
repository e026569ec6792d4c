import { extractFeeAmounts } from './fee-amounts.ts';
import { readFeeCell, readNote } from './fee-cell.ts';
import type { Fee } from './procedure-record.ts';

/**
 * The fee a citizen pays on a given day, read from a channel's fee cell and note. The note says
 * more than its amounts: what one payment buys ("/lần", "/trang", "/thẻ"), until when a rate held
 * ("115.000 đồng … áp dụng đến hết ngày 31/12/2025"), from when a new one holds, and temporary
 * reductions ("Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 … bằng 50% mức thu"). A rate whose time
 * has passed is not a fee any more; one that starts later is said with its date.
 */
export interface FeeTerm {
  amount: number;
  currency: 'VND' | 'USD';
  /** What one payment buys, without the slash ("lần", "trang", "thẻ căn cước"), or null. */
  per: string | null;
  /** What it is for, in the note's words, short ("Cấp lại do bị mất"), or '' for the general fee. */
  label: string;
  /** ISO dates (yyyy-mm-dd) the note bounds this rate by, inclusive. */
  from: string | null;
  until: string | null;
}

/** A temporary share of the normal rate ("bằng 50% mức thu"), for online filing only or for all. */
export interface FeeReduction {
  percent: number;
  onlineOnly: boolean;
  from: string | null;
  until: string | null;
}

export interface FeeReading {
  terms: FeeTerm[];
  reductions: FeeReduction[];
}

/** Where a new clause of a note starts: a bullet, a semicolon, a line break, a sentence end. */
const CLAUSE = /(?:^|\s)[-+•*]\s|;\s*|\n|\.\s+(?=\p{Lu})/gu;
const DATE = '(\\d{1,2})\\s?/\\s?(\\d{1,2})\\s?/\\s?(\\d{4})';
const UNTIL = new RegExp(`(?:đến hết ngày|đến ngày|hết ngày|trước ngày)\\s*${DATE}`, 'iu');
const FROM = new RegExp(`(?:kể từ ngày|từ ngày|áp dụng từ ngày)\\s*${DATE}`, 'iu');
const REDUCTION = /bằng\s*(\d{1,3})\s?%\s*(?:mức thu|mức phí|mức lệ phí|mức quy định|so với)/iu;
/** "10 USD", "25 USD/lần", "5 USD/thị thực". */
const USD_AMOUNT =
  /(?<![\d.,])(\d{1,4}(?:[.,]\d{1,2})?)\s?(?:USD|usd|đô la Mỹ|đô la)(?:\s?\/\s?([^\s.;,()]+(?:\s[^\s.;,()/]+)?))?/gu;
/** Label words that say nothing beyond "the fee". */
const GENERIC_LABEL = /^(?:(?:mức )?(?:lệ )?phí(?:,? lệ phí)?(?: là)?|mức thu|phí, lệ phí|giá)$/iu;
const MAX_LABEL = 70;

function isoDate(m: RegExpExecArray | null): string | null {
  if (m === null) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The portal's "Miễn phí(<note>)" or "<amount> Việt Nam Đồng(<note>)": the note says what is really
 * charged. Read as the importer reads the cell; a text with no cell is all note.
 */
export function feeNote(text: string): string {
  const trimmed = text.trim();
  const { length } = readFeeCell(trimmed);
  const { note } = readNote(trimmed, length);
  return note === '' && length === 0 ? trimmed : note;
}

function clauses(note: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of note.matchAll(CLAUSE)) {
    out.push(note.slice(start, m.index));
    start = m.index + m[0].length;
  }
  out.push(note.slice(start));
  return out.map((c) => c.trim()).filter((c) => c.length > 0);
}

/** "Lệ phí cấp lại thẻ căn cước /thẻ căn cước" → label "Cấp lại thẻ căn cước", per "thẻ căn cước". */
function splitLabel(raw: string): { label: string; per: string | null } {
  const per = /\s?\/\s?([^/]+)$/u.exec(raw);
  let label = (per ? raw.slice(0, per.index) : raw)
    .replace(/\([^)]*\)?/gu, ' ')
    .replace(/^(?:-|\+|•|\s)*(?:(?:mức )?(?:lệ )?phí(?:,? lệ phí)?|mức thu)\s*:?\s*/iu, '')
    .replace(/\s+/gu, ' ')
    .replace(/[\s:;,.=-]+$/u, '')
    .trim();
  if (GENERIC_LABEL.test(label)) label = '';
  if (label.length > MAX_LABEL) {
    // The words nearest the amount say what it is for; the start of a long clause is its setting.
    const tail = label.slice(label.length - MAX_LABEL);
    const cut = tail.search(/(?:,|:)\s|\s(?=trường hợp|đối với|cấp|đổi|lệ phí|phí)/iu);
    label = (cut >= 0 ? tail.slice(cut).replace(/^[,:\s]+/u, '') : tail.slice(tail.indexOf(' ') + 1)).trim();
  }
  if (label.length > 0) label = label.charAt(0).toUpperCase() + label.slice(1);
  const unit = per?.[1]?.replace(/\s?(?:Đồng|đồng|VNĐ)$/u, '').trim() ?? null;
  // A unit is a word or two ("lần", "thẻ căn cước", "GT-lần"), not the rest of an act's number ("/2025 của Bộ Tài chính …").
  const plausible = unit !== null && /^[\p{L}“"][\p{L}\s“”"-]{0,29}$/u.test(unit);
  if (label.includes('…')) label = '';
  return { label, per: plausible ? unit : null };
}

/** Reads a channel's fee: amounts with their unit and dates, and temporary reductions. */
export function readFee(fee: Fee): FeeReading {
  const note = feeNote(fee.text);
  const terms: FeeTerm[] = [];
  const reductions: FeeReduction[] = [];
  for (const clause of clauses(note)) {
    const from = isoDate(FROM.exec(clause));
    const until = isoDate(UNTIL.exec(clause));
    const reduction = REDUCTION.exec(clause);
    if (reduction !== null) {
      reductions.push({
        percent: Number(reduction[1]),
        onlineOnly: /trực tuyến|trực tuyển|online/iu.test(clause),
        from,
        until,
      });
      continue;
    }
    for (const a of extractFeeAmounts(clause))
      terms.push({ amount: a.vnd, currency: 'VND', ...splitLabel(a.label), from, until });
    for (const m of clause.matchAll(USD_AMOUNT)) {
      const label = splitLabel(clause.slice(0, m.index)).label;
      terms.push({
        amount: Number(m[1]!.replace(',', '.')),
        currency: 'USD',
        per: m[2]?.trim() ?? null,
        label,
        from,
        until,
      });
    }
  }
  // A cell in dollars ("10 USD(/bản)"): its note is only the unit.
  const usdCell = /^\s*(\d{1,4}(?:[.,]\d{1,2})?)\s?USD\s*\(\s*\/\s*([^)]+)\)\s*$/u.exec(fee.text);
  if (usdCell !== null)
    terms.push({
      amount: Number(usdCell[1]!.replace(',', '.')),
      currency: 'USD',
      per: usdCell[2]!.trim(),
      label: '',
      from: null,
      until: null,
    });
  // The note may hold no amount while the importer read one from the cell itself ("50,000 Việt Nam Đồng").
  if (terms.length === 0)
    for (const a of fee.amounts)
      terms.push({ amount: a.vnd, currency: 'VND', ...splitLabel(a.label), from: null, until: null });
  return { terms: distinct(terms), reductions };
}

function distinct(terms: FeeTerm[]): FeeTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = `${t.amount}|${t.currency}|${t.per}|${t.label}|${t.from}|${t.until}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** In force on `day` (yyyy-mm-dd): started, and not ended. */
export function inForce(t: { from: string | null; until: string | null }, day: string): boolean {
  return (t.from === null || t.from <= day) && (t.until === null || t.until >= day);
}

/** A rate that starts after `day`: said with its date, not charged today. */
export function upcoming(t: { from: string | null }, day: string): boolean {
  return t.from !== null && t.from > day;
}
