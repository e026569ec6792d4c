import { extractActCodes, findActCodes } from './act-codes.ts';
import { cleanInline, cleanText, matchingParen } from './catalogue-text.ts';
import { extractFeeAmounts, FOREIGN_AMOUNT, leadingRowLabel, shortenLabel } from './fee-amounts.ts';
import type { Fee, FeeAmount } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------
// Fees

/** What the "Phí, lệ phí" cell itself said, before any note. */
export type FeeCell =
  | { kind: 'free' }
  | { kind: 'none' }
  | { kind: 'label' }
  | { kind: 'amount'; value: number | null; currency: 'VND' | 'foreign' }
  | { kind: 'absent' };

const FEE_CELL =
  /^(?:(Miễn phí)|(Không có thông tin)|(Phí\s?:)|(\d{1,3}(?:,\d{3})+|\d+)?\s?(Việt Nam Đồng|VNĐ|Đồng|USD))/u;

export function readFeeCell(text: string): { cell: FeeCell; length: number } {
  const m = FEE_CELL.exec(text);
  if (!m) return { cell: { kind: 'absent' }, length: 0 };
  const length = m[0].length;
  if (m[1]) return { cell: { kind: 'free' }, length };
  if (m[2]) return { cell: { kind: 'none' }, length };
  if (m[3]) return { cell: { kind: 'label' }, length: 0 }; // "Phí : …" is itself the note
  const value = m[4] === undefined ? null : Number(m[4].replace(/,/g, ''));
  return { cell: { kind: 'amount', value, currency: m[5] === 'USD' ? 'foreign' : 'VND' }, length };
}

/** A lone "(1)" or "(a)" after the fee opens an enumerated description, not a note. */
const ENUMERATOR = /^\(\s?(?:\d{1,2}|[a-zđ]|[ivx]{1,4})\s?\)/iu;

/** Reads the note following the fee cell: "(…)" with nesting, or a "Phí : …" tail. */
export function readNote(text: string, from: number): { note: string; end: number } {
  const rest = text.slice(from);
  if (/^\s?Phí\s?:/u.test(rest)) return { note: rest.trim(), end: text.length };
  const open = /^\s?\(/u.exec(rest);
  if (!open || ENUMERATOR.test(rest.trimStart())) return { note: '', end: from };
  const start = from + open[0].length - 1;
  const close = matchingParen(text, start);
  if (close === -1) return { note: text.slice(start + 1).trim(), end: text.length };
  return { note: text.slice(start + 1, close - 1).trim(), end: close };
}

/**
 * Cell amounts below 1,000 VND are the portal's thousands ("135 VNĐ" next to "135.000
 * đồng/lần"), or a bare duration glued to the amount ("1" + "20 VNĐ"): not trustworthy.
 */
const SMALLEST_CREDIBLE_FEE = 1_000;

function trustedCellAmount(cell: FeeCell, fused: boolean): number | null {
  if (cell.kind !== 'amount' || cell.currency !== 'VND' || fused) return null;
  return cell.value !== null && cell.value >= SMALLEST_CREDIBLE_FEE ? cell.value : null;
}

/** Notes that only point at whoever sets the fee (HĐND, a circular, "theo quy định"). */
const REFERS_TO_REGULATION =
  /hội đồng nhân dân|HĐND|ủy ban nhân dân|uỷ ban nhân dân|UBND|thông tư|nghị định|nghị quyết|quyết định|luật|biểu phí|biểu giá|khung giá|theo quy định|quy định tại|quy định của|do .{0,60}quy định/iu;
/** Notes that confirm there is nothing to pay. */
const SAYS_NOTHING_TO_PAY =
  /^[-+\s]*(?:không có|không|không thu(?: lệ)? phí|không thu|chưa quy định|không quy định|miễn(?: lệ)? phí|miễn thu)[.\s]*$/iu;
/** Notes that talk about a payment without quantifying it. */
const MENTIONS_PAYMENT = /phí|giá|tiền|thu\b|nộp|trả|USD/iu;

function classifyFee(
  cell: FeeCell,
  note: string,
  cellAmount: number | null,
  noteAmounts: FeeAmount[],
): Pick<Fee, 'kind' | 'amounts' | 'acts'> {
  const acts = extractActCodes(note);
  const amounts = [...noteAmounts];
  if (cellAmount !== null && !amounts.some((a) => a.vnd === cellAmount)) {
    amounts.unshift({ vnd: cellAmount, label: cellAmountLabel(note, noteAmounts.length > 0) });
  }
  if (amounts.length > 0) return { kind: 'amounts', amounts, acts };
  if (acts.length > 0) return { kind: 'by_act', amounts, acts };
  const foreign = (cell.kind === 'amount' && cell.currency === 'foreign') || FOREIGN_AMOUNT.test(note);
  if (foreign) return { kind: 'unknown', amounts, acts }; // the schema holds VND only
  if (note !== '' && REFERS_TO_REGULATION.test(note)) return { kind: 'by_act', amounts, acts };
  if (cell.kind === 'free' && noteConfirmsFree(note)) return { kind: 'free', amounts, acts };
  return { kind: 'unknown', amounts, acts };
}

/** Longest note that still reads as a label rather than as a rule. */
const MAX_NOTE_AS_LABEL = 120;

/**
 * The cell amount's label: the note's leading "Đồng (…)" row label, or a short note that
 * names no act ("Phí thẩm định …"); otherwise the column name, the note staying in fee.text.
 */
function cellAmountLabel(note: string, noteHasAmounts: boolean): string {
  const leading = leadingRowLabel(note).label;
  if (leading !== '') return shortenLabel(leading);
  const shortLabel = note.length <= MAX_NOTE_AS_LABEL && findActCodes(note).length === 0;
  return !noteHasAmounts && note !== '' && shortLabel ? note : 'Phí, lệ phí';
}

function noteConfirmsFree(note: string): boolean {
  if (note === '') return true;
  if (/\d/u.test(note) && /đồng|đ\/|vnđ|\/lần/iu.test(note)) return false;
  return SAYS_NOTHING_TO_PAY.test(note) || !MENTIONS_PAYMENT.test(note);
}

/**
 * Builds the Fee of one channel from its cell and the note in parentheses after it.
 * `fused` marks a cell whose amount was glued to a bare duration and cannot be trusted.
 */
export function buildFee(cell: FeeCell, cellText: string, note: string, fused = false): Fee {
  const noteAmounts = extractFeeAmounts(note);
  const decision = classifyFee(cell, note, trustedCellAmount(cell, fused), noteAmounts);
  return { ...decision, text: cleanInline(cellText) };
}

/** Parses a fee cell with its note, e.g. "Miễn phí(- Lệ phí …: 135.000 đồng/lần)". */
export function parseFee(text: string): Fee {
  const t = cleanText(text);
  const { cell, length } = readFeeCell(t);
  const { note } = readNote(t, length);
  return buildFee(cell, t, note);
}
