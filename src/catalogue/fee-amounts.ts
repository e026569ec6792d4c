import { matchingParen, tidyItem, unique } from './catalogue-text.ts';
import type { FeeAmount } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------
// Money amounts inside fee notes

const VND_UNIT = '(?:Việt Nam Đồng|việt nam đồng|đồng|Đồng|ĐỒNG|VNĐ|vnđ|VND|vnd|đ|Đ)(?!\\p{L})';
const NUMBER = '(\\d{1,3}(?:[.,]\\d{3})+|\\d+(?:[.,]\\d{1,2})?)';
/** "135.000 đồng", "400.000đ", "06 triệu đồng", "20.000 vnđ", "2,000,000 Việt Nam Đồng". */
const VND_WITH_CURRENCY = `${NUMBER}\\s?(triệu|nghìn|ngàn)?\\s?${VND_UNIT}`;
/** "8.000.000/lần", "15000000/loại Đồng": big enough and per-unit, so not a date or act. */
const VND_PER_UNIT = '(\\d{1,3}(?:[.,]\\d{3})+|\\d{4,})(?=\\s?/\\s?\\p{L})';
/** "…, Phí: 1,700,000 Sát hạch thực hành": a bare grouped number after "Phí:", label after it. */
const VND_AFTER_FEE_WORD = '(?<=Phí\\s?:\\s?)(\\d{1,3}(?:,\\d{3})+)(?=\\s\\p{Lu}|\\s?\\()';
export const FOREIGN_AMOUNT = /\d\s?(?:USD|usd|đô la|EUR|euro)(?!\p{L})/u;

interface AmountMatch {
  vnd: number;
  start: number;
  end: number;
  /** The portal wrote the label after the amount ("Phí: 600,000 (Sát hạch …)"). */
  labelAfter: boolean;
}

/** "1.500.000" → 1500000, "1,5" with a multiplier → 1.5, "06" → 6. */
function parseNumber(digits: string, multiplier: string | undefined): number {
  const decimal = multiplier !== undefined && /^\d+[.,]\d{1,2}$/.test(digits);
  const value = decimal ? Number(digits.replace(',', '.')) : Number(digits.replace(/[.,]/g, ''));
  const factor = multiplier === 'triệu' ? 1_000_000 : multiplier ? 1_000 : 1;
  return Math.round(value * factor);
}

function findVndAmounts(text: string): AmountMatch[] {
  const pattern = new RegExp(`(?<![\\d.,/])(?:${VND_WITH_CURRENCY}|${VND_PER_UNIT}|${VND_AFTER_FEE_WORD})`, 'gu');
  const found: AmountMatch[] = [];
  for (const m of text.matchAll(pattern)) {
    const digits = m[1] ?? m[3] ?? m[4] ?? '';
    if (/^\d+[.,]\d{1,2}$/.test(digits) && m[2] === undefined) continue; // "1,5 đ" is no fee
    const end = m.index + m[0].length;
    found.push({ vnd: parseNumber(digits, m[2]), start: m.index, end, labelAfter: m[4] !== undefined });
  }
  return found;
}

/** The "/lần", "/01 đơn hàng" that follows an amount: what one payment buys. */
function unitAfter(text: string, from: number): { unit: string; end: number } {
  const m =
    /^\s?(?:Đồng|đồng|VNĐ)?\s?(\/\s?[^.;,()\n]*?)(?=\s?(?:Đồng|đồng|VNĐ)(?!\p{L})|[.;,()\n]|$)(?:\s?(?:Đồng|đồng|VNĐ)(?!\p{L}))?/u.exec(
      text.slice(from),
    );
  if (!m) return { unit: '', end: from };
  return { unit: (m[1] ?? '').trim(), end: from + m[0].length };
}

/** Where a new clause of a fee note starts: ";", a line break, a sentence end, a bullet. */
const CLAUSE_BOUNDARY = /[;\n]|\.\s|(?:^|\s)[-+*•]\s/gu;

/** The words right before an amount that say what it is for ("Lệ phí cấp giấy phép lái xe"). */
function contextBefore(text: string, from: number, to: number): string {
  const window = text.slice(from, to);
  let clauseStart = 0;
  for (const m of window.matchAll(CLAUSE_BOUNDARY)) clauseStart = m.index + m[0].length;
  return window
    .slice(clauseStart)
    .replace(/^[\s\-+*•,;.:()]+/u, '')
    .replace(/(?:\s*(?:là|mức|mức thu|:|=))+\s*$/iu, '')
    .trim();
}

/** For "15000000/lần Đồng (Đối với …)" the label sits in the parenthesis after the amount. */
function parentheticalAfter(text: string, from: number): { label: string; end: number } {
  const m = /^\s?(?:Đồng|VNĐ)?\s?\(/u.exec(text.slice(from));
  if (!m) return { label: '', end: from };
  const open = from + m[0].length - 1;
  const close = matchingParen(text, open);
  if (close !== -1) return { label: tidyItem(text.slice(open + 1, close - 1)), end: close };
  // An unclosed group runs on into the next item: only its first clause is the label.
  const inner = text.slice(open + 1);
  const clauseEnd = inner.search(/;|\(/u);
  const label = tidyItem(clauseEnd === -1 ? inner : inner.slice(0, clauseEnd));
  return { label, end: clauseEnd === -1 ? text.length : open + 2 + clauseEnd };
}

/**
 * The note opens with the cell amount's label: "Đồng (Sát hạch thực hành) Phí: …" or
 * "Sát hạch lý thuyết …, Phí: 1,700,000 …".
 */
export function leadingRowLabel(note: string): { label: string; end: number } {
  if (/^\s?(?:Đồng|VNĐ)\s?\(/u.test(note)) return parentheticalAfter(note, 0);
  const beforeFeeWord = /^([^()]{1,200}?),?\s*(?=Phí\s?:\s?\d)/u.exec(note);
  if (beforeFeeWord) return { label: tidyItem(beforeFeeWord[1] ?? ''), end: beforeFeeWord[0].length };
  return { label: '', end: 0 };
}

/** The words after an amount, up to the next bracket or separator, or its parenthesis. */
function phraseAfter(text: string, from: number): { label: string; end: number } {
  const bracketed = parentheticalAfter(text, from);
  if (bracketed.label !== '') return bracketed;
  const m = /^\s?([^(),;]+)/u.exec(text.slice(from));
  return m ? { label: tidyItem(m[1] ?? ''), end: from + m[0].length } : { label: '', end: from };
}

/**
 * "Phí: 400000 Đồng (Sát hạch …)": the portal's fee-table rows put the label after the
 * amount, so a generic word (or nothing) before it means the parenthesis is the label.
 */
const GENERIC_FEE_WORD = /^(?:(?:lệ )?phí|mức (?:lệ )?phí|mức thu|giá|phí, lệ phí)?$/iu;

const MAX_LABEL = 200;

export function shortenLabel(label: string): string {
  return label.length <= MAX_LABEL ? label : `${label.slice(0, MAX_LABEL - 1).trim()}…`;
}

/** Every VND amount stated in a fee note, each with what it is for. Zero amounts are skipped. */
export function extractFeeAmounts(note: string): FeeAmount[] {
  const amounts: FeeAmount[] = [];
  let previousEnd = leadingRowLabel(note).end;
  for (const match of findVndAmounts(note)) {
    if (match.start < previousEnd) continue; // already quoted inside the previous label
    const { unit, end } = unitAfter(note, match.end);
    let context = contextBefore(note, previousEnd, match.start);
    previousEnd = Math.max(end, match.end);
    const after = match.labelAfter
      ? phraseAfter(note, previousEnd)
      : GENERIC_FEE_WORD.test(context)
        ? parentheticalAfter(note, previousEnd)
        : null;
    if (after && after.label !== '') {
      context = after.label;
      previousEnd = after.end;
    }
    if (match.vnd === 0) continue;
    const label = [context, unit].filter((part) => part !== '').join(' ');
    amounts.push({ vnd: match.vnd, label: shortenLabel(label) });
  }
  return unique(amounts, (a) => `${a.vnd}|${a.label}`);
}
