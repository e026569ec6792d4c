import { z } from 'zod';
import { uniqueBy } from '../shared/lists.ts';
import { ProcedureRecord } from './procedure-record.ts';
import type {
  ChannelMode,
  Duration,
  Fee,
  FeeAmount,
  LegalAct,
  Level,
  RequiredDocument,
  SubmissionChannel,
} from './procedure-record.ts';

/*
 * Pure parsers turning one row of the national catalogue crawl (dichvucong.gov.vn) into a
 * ProcedureRecord. The portal's tables arrive flattened without separators, so every parser
 * below leans on the few anchors the portal reliably emits (mode words, "bản chính", act
 * codes, "Mã:") and prefers "unknown" over a guess: a wrong fee or deadline quoted to a
 * citizen is worse than "see the original text".
 */

// ---------------------------------------------------------------------------------------------
// Text normalisation

/** Invisible characters the portal leaves in; they break matching and carry no meaning. */
const INVISIBLE = /[\u200b\u200c\u200d\u200e\u200f\u00ad\ufeff]/g;
/** Horizontal whitespace, including the no-break and em spaces found in the crawl. */
const HORIZONTAL_SPACE = /[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;

/** NFC, invisible characters removed, runs of spaces collapsed, lines trimmed; keeps line breaks. */
export function cleanText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(HORIZONTAL_SPACE, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Like cleanText but on one line: for names, agencies and other single-valued cells. */
export function cleanInline(raw: string): string {
  return cleanText(raw).replace(/\s+/g, ' ');
}

/** The portal's ways of saying "nothing here". */
const NO_INFO = /^(?:không có thông tin|không có|không)\.?$/iu;

export function isNoInfo(text: string): boolean {
  return text === '' || text === '--' || NO_INFO.test(text);
}

/** A cell value, or "" when the portal says there is none. */
function valueOrEmpty(raw: string): string {
  const text = cleanInline(raw);
  return isNoInfo(text) ? '' : text;
}

/** Removes list bullets and trailing separators the flattening leaves around table cells. */
function tidyItem(text: string): string {
  return text
    .replace(/^[\s\-+*•·–)]+/u, '')
    .replace(/[\s;,:]+$/u, '')
    .trim();
}

function unique<T>(items: readonly T[], key: (item: T) => string = (item) => String(item)): T[] {
  return uniqueBy(items, key);
}

/** Index just past the parenthesis group opening at `open`, or -1 when it never closes. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Legal act codes ("28/2009/QH12", "12/2025/TT-BCA", "05/2012/NĐ-CP", "66.16/2026/NQ-CP")

/*
 * Issuer segments are matched from a vocabulary because codes are glued to the next title:
 * "…/TT-BTCQUY ĐỊNH…", "…/QH1354/2019/QH14", "…/NĐ-CPNghị định…". A bare [A-Z]+ would eat
 * the next word. Unknown issuers still match when a non-letter follows them.
 */
const ISSUER_WORDS = [
  'CP', 'NĐ', 'ND', 'TT', 'TTLT', 'TTg', 'TTG', 'NQ', 'QĐ', 'QD', 'PL', 'L', 'CTN', 'CT',
  'BTC', 'BCA', 'BTP', 'NHNN', 'BNNMT', 'BNNPTNT', 'BGTVT', 'BXD', 'BTNMT', 'BKHĐT', 'BKH',
  'BLĐTBXH', 'BKHCN', 'BQP', 'BNG', 'BCT', 'BYT', 'BNV', 'BTTTT', 'BVHTTDL', 'BGDĐT', 'BGD',
  'TANDTC', 'VKSNDTC', 'HĐND', 'HĐTP', 'UBND', 'VPCP', 'LLTP', 'KTNN', 'BHXH', 'TCHQ', 'TCT',
  'UBCKNN', 'NNMT', 'BNTMT', 'BTNMT', 'BXH', 'CS', 'NHTW', 'VBHN',
];
const ISSUER_SEGMENT =
  '(?:(?:UBTVQH|QH)\\d{2}|' +
  [...new Set(ISSUER_WORDS)]
    .sort((a, b) => b.length - a.length)
    .map((w) => (w.length === 1 ? `${w}(?!\\p{Ll})` : w))
    .join('|') +
  '|[A-ZĐ]{2,8}(?!\\p{L}))';
const ISSUER_CHAIN = `${ISSUER_SEGMENT}(?:\\s?[-–_/]\\s?${ISSUER_SEGMENT})*`;
/*
 * "number/year/issuer", or "number/issuer" for decisions and resolutions that carry no year
 * ("1025/QĐ-BCA"). No look-behind: glued codes follow digits ("QH1228/2009/QH12") and
 * sentence ends ("khẩu.38/2015/TT-BTC"); splitGluedNumber trims what was caught before.
 */
const ACT_CODE_SOURCE =
  `(\\d+(?:\\.\\d+)?)/(?:(\\d{4})/(${ISSUER_CHAIN})|((?:QĐ|QD|NQ|CT)\\s?[-–]\\s?${ISSUER_CHAIN}))`;

interface ActMatch {
  code: string;
  start: number;
  end: number;
}

/** Canonical spelling: "105/2025/NĐ- CP" → "105/2025/NĐ-CP". */
function canonicalActCode(number: string, year: string | undefined, issuer: string): string {
  const cleanIssuer = issuer.replace(/\s/g, '').replace(/[–_]/g, '-');
  return year === undefined ? `${number}/${cleanIssuer}` : `${number}/${year}/${cleanIssuer}`;
}

/**
 * A year ending the title is glued to the code: "năm 202405/2024/UBTVQH15" or
 * "15/5/2026.55/2026/TT-BTC". Real numbers never start with a year, so it is peeled off.
 */
function splitGluedNumber(number: string): { prefix: number; number: string } {
  const glued = /^((?:19|20)\d{2}\.?)(\d{1,3})$/.exec(number);
  if (glued) return { prefix: (glued[1] ?? '').length, number: glued[2] ?? number };
  return { prefix: 0, number };
}

export function findActCodes(text: string): ActMatch[] {
  const pattern = new RegExp(ACT_CODE_SOURCE, 'gu');
  const found: ActMatch[] = [];
  for (const m of text.matchAll(pattern)) {
    const [whole, rawNumber = '', year, datedIssuer, undatedIssuer] = m;
    const issuer = datedIssuer ?? undatedIssuer ?? '';
    const { prefix, number } = splitGluedNumber(rawNumber);
    const start = m.index + prefix;
    found.push({ code: canonicalActCode(number, year, issuer), start, end: m.index + whole.length });
  }
  return found;
}

/** Distinct act codes cited in a piece of text, in order of appearance. */
export function extractActCodes(text: string): string[] {
  return unique(findActCodes(text).map((m) => m.code));
}

// ---------------------------------------------------------------------------------------------
// Durations

const DURATION_WITH_UNIT = /^(\d+(?:[.,]\d+)?) ?(Ngày làm việc|Ngày|Giờ|Tháng)/iu;

/** Parses a duration cell such as "5 Ngày làm việc", "10 Ngày", "8 Giờ", "6 Tháng" or "5". */
export function parseDuration(text: string): Duration | null {
  const t = cleanInline(text);
  if (isNoInfo(t)) return null;
  const duration: Duration = { text: t, workingDays: null, days: null, hours: null };
  const m = DURATION_WITH_UNIT.exec(t);
  if (!m) return duration; // a bare number or prose: the unit is not stated, so none is guessed
  const value = Number((m[1] ?? '').replace(',', '.'));
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === 'ngày làm việc') duration.workingDays = value;
  else if (unit === 'ngày') duration.days = value;
  else if (unit === 'giờ') duration.hours = value;
  return duration;
}

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
const FOREIGN_AMOUNT = /\d\s?(?:USD|usd|đô la|EUR|euro)(?!\p{L})/u;

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
  const pattern = new RegExp(
    `(?<![\\d.,/])(?:${VND_WITH_CURRENCY}|${VND_PER_UNIT}|${VND_AFTER_FEE_WORD})`,
    'gu',
  );
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
  const m = /^\s?(?:Đồng|đồng|VNĐ)?\s?(\/\s?[^.;,()\n]*?)(?=\s?(?:Đồng|đồng|VNĐ)(?!\p{L})|[.;,()\n]|$)(?:\s?(?:Đồng|đồng|VNĐ)(?!\p{L}))?/u.exec(
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
function leadingRowLabel(note: string): { label: string; end: number } {
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

function shortenLabel(label: string): string {
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

// ---------------------------------------------------------------------------------------------
// Submission channels ("Cách thức thực hiện")

const CHANNEL_HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả';
const MODES: Record<string, ChannelMode> = {
  'Trực tuyến': 'online',
  'Trực tiếp': 'counter',
  'Dịch vụ bưu chính': 'postal',
};
/*
 * A channel starts where a capitalised mode word is glued to the next cell (a digit or a
 * capital letter). Inside notes and descriptions the same words appear lower-case, or
 * followed by ":" or a space ("Trực tiếp tại …"), which is what keeps them from matching.
 */
const CHANNEL_START = /(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\s?\d|\p{Lu})/gu;

/** Duration cells that are words rather than numbers. */
const WORDY_DURATION =
  /^(?:Không có thông tin|Không quy định|Không phải trả kết quả cho người nộp thuế|Không(?=\s?(?:Không|Miễn)))/u;
/** Prose durations (1.009824) longer than this are not a duration cell. */
const MAX_PROSE_DURATION = 300;
/** Where the fee cell starts when the duration cell is free prose. */
const FEE_CELL_ANYWHERE = /Miễn phí|Không có thông tin|\d[\d,]* ?(?:Việt Nam Đồng|VNĐ|USD)/u;

interface DurationRead {
  duration: Duration | null;
  length: number;
  /** The duration's digits ran into the fee amount: both are doubtful. */
  fused: boolean;
}

function plainDuration(text: string): DurationRead {
  return { duration: parseDuration(text), length: text.length, fused: false };
}

function readDuration(text: string): DurationRead {
  const withUnit = DURATION_WITH_UNIT.exec(text);
  if (withUnit) return plainDuration(withUnit[0]);
  const glued = /^(\d[\d,]*) ?(?:Việt Nam Đồng|VNĐ|Đồng|USD)/u.exec(text);
  if (glued) return readGluedDuration(glued[1] ?? '');
  const bareOrWordy = /^\d+(?=\D|$)/u.exec(text) ?? WORDY_DURATION.exec(text);
  if (bareOrWordy) return plainDuration(bareOrWordy[0]);
  const feeAt = FEE_CELL_ANYWHERE.exec(text);
  if (feeAt && feeAt.index > 0 && feeAt.index < MAX_PROSE_DURATION) return plainDuration(text.slice(0, feeAt.index));
  return { duration: null, length: 0, fused: false };
}

/**
 * "Trực tuyến140,000 Việt Nam Đồng": a bare-number duration glued to the amount. Only an
 * impossible digit grouping ("1100,000") tells where one ends; otherwise neither is trusted.
 */
function readGluedDuration(digits: string): DurationRead {
  const lead = digits.split(',')[0] ?? '';
  if (digits.includes(',') && lead.length > 3) {
    const cut = lead.length - 3;
    return plainDuration(digits.slice(0, cut));
  }
  return { duration: null, length: 0, fused: true };
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
 * When the note names no amount but the description right after it does ("Miễn phí(a) …:
 * 30.000.000 đồng"), the flattening split the note: the description is read as part of it.
 */
function feeOfChannel(cell: FeeCell, feeText: string, note: string, description: string, fused: boolean): Fee {
  const noteSilent = extractFeeAmounts(note).length === 0;
  if (noteSilent && extractFeeAmounts(description).length > 0) {
    return buildFee(cell, `${feeText} ${description}`, `${note} ${description}`.trim(), fused);
  }
  return buildFee(cell, feeText, note, fused);
}

function parseChannelSegment(mode: ChannelMode, segment: string): SubmissionChannel {
  const body = segment.replace(/^\s/u, '');
  const read = readDuration(body);
  const feeStart = read.length + (/^\s*/u.exec(body.slice(read.length))?.[0].length ?? 0);
  const { cell, length } = readFeeCell(body.slice(feeStart));
  const { note, end } = readNote(body, feeStart + length);
  const description = cleanText(body.slice(end));
  const fee = feeOfChannel(cell, body.slice(feeStart, end), note, description, read.fused);
  return {
    mode,
    duration: read.duration,
    fee,
    description,
    legalReference: unique([...fee.acts, ...extractActCodes(description)]),
  };
}

/** Parses the flattened "Cách thức thực hiện" table into one entry per channel row. */
export function parseChannels(raw: string): SubmissionChannel[] {
  const text = cleanText(raw);
  const body = text.startsWith(CHANNEL_HEADER) ? text.slice(CHANNEL_HEADER.length) : text;
  const starts = [...body.matchAll(CHANNEL_START)];
  return starts.map((m, i) => {
    const from = m.index + m[0].length;
    const to = starts[i + 1]?.index ?? body.length;
    return parseChannelSegment(MODES[m[0]] ?? 'counter', body.slice(from, to));
  });
}

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
const GLUED_TEMPLATE_WORD = /(?<=\p{L})(?=Mẫu|Mau|Mus|Phụ lục|Phu luc|Phu lục|PL[\s\d_.\-]|Biểu mẫu)/gu;

/** A seamless stem longer than this is a name with a file glued on, not a file name. */
const MAX_FORM_LENGTH = 80;

function lastIndexOf(pattern: RegExp, text: string): number {
  let last = -1;
  for (const m of text.matchAll(pattern)) last = m.index + m[0].length;
  return last;
}

/** Splits "<name>, Mẫu số 01/2025/LLTP;" or "<name>;Mẫu 08.docx" into name and form. */
export function splitDocumentForm(chunk: string): { name: string; form: string | null } {
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

// ---------------------------------------------------------------------------------------------
// Legal basis ("Căn cứ pháp lý")

const LEGAL_HEADER = 'Tên văn bản pháp lýMã văn bản';

/**
 * A code is the "Mã văn bản" cell when the next title starts right after it; a code that
 * is followed by its own copy, or by ordinary words, belongs to the title.
 */
function isCodeCell(text: string, match: ActMatch, next: ActMatch | undefined): boolean {
  if (next && next.code === match.code && next.start - match.end <= 2) return false;
  const after = text.slice(match.end, match.end + 3);
  if (after === '' || /^[.;,]+$/u.test(after)) return true;
  if (/^[.;,]+[\p{Lu}\d]/u.test(after)) return true; // "…/NĐ-CP.Thông tư …"
  // "… 66.16/2026/NQ-CP Thông tư …" starts a new row; "… 42/2020/TT-BTC QUY ĐỊNH …" does not.
  if (/^[\s,;.:)]/u.test(after)) return /^\s\p{Lu}\p{Ll}/u.test(after);
  return !text.startsWith('ngày', match.end); // "…/TT-BCAngày 01/7/2025": a date, so a title
}

/** A last row whose code lost its issuer ("…của Chính phủ167/2025") keeps what is left. */
function trailingAct(rest: string): LegalAct {
  const bareCode = /(\d{1,4}\/\d{4})$/u.exec(rest);
  if (!bareCode) return { code: '', title: rest };
  const bare = bareCode[1] ?? '';
  const title = tidyItem(rest.slice(0, bareCode.index)) || rest;
  const full = findActCodes(title).find((m) => m.code.startsWith(`${bare}/`));
  return { code: full?.code ?? bare, title };
}

/** Splits "Luật 28/2009/QH1228/2009/QH12Nghị định …05/2012/NĐ-CP" into {title, code} rows. */
export function parseLegalBasis(raw: string): LegalAct[] {
  const text = cleanInline(raw);
  const headerAt = text.indexOf(LEGAL_HEADER);
  const body = headerAt === -1 ? text.replace(/^[:\s]+/u, '') : text.slice(headerAt + LEGAL_HEADER.length);
  if (isNoInfo(body) || body.startsWith('Không có thông tin')) return [];
  const codes = findActCodes(body);
  const acts: LegalAct[] = [];
  let previousEnd = 0;
  codes.forEach((match, i) => {
    if (!isCodeCell(body, match, codes[i + 1])) return;
    const title = tidyItem(body.slice(previousEnd, match.start));
    acts.push({ code: match.code, title: title || match.code });
    previousEnd = match.end;
  });
  const rest = tidyItem(body.slice(previousEnd));
  if (/[\p{L}\d]/u.test(rest) && !isNoInfo(rest)) acts.push(trailingAct(rest));
  return unique(acts, (a) => `${a.code}|${a.title}`);
}

// ---------------------------------------------------------------------------------------------
// Results ("Kết quả xử lý")

/** Site navigation appended after the results on every page. */
const RESULT_FURNITURE = /Từ khóa|Chọn cơ quan thực hiện/u;
/** "Mã: KQ.G01.000199" markers glued to the next result's capitalised first word. */
const RESULT_CODE_MARKER = /\s*Mã:\s*[A-Za-z0-9._\-]*?(?=$|\p{Lu}\p{Ll}|\s)/gu;

export function parseResults(raw: string): string[] {
  const text = cleanInline(raw);
  const furniture = RESULT_FURNITURE.exec(text);
  const content = furniture ? text.slice(0, furniture.index) : text;
  return unique(
    content
      .split(RESULT_CODE_MARKER)
      .map((part) => tidyItem(part).replace(/\.$/u, ''))
      .filter((part) => !isNoInfo(part)),
  );
}

// ---------------------------------------------------------------------------------------------
// Steps, conditions, applicants, levels

/** Splits before "Bước N:" markers that sit mid-line ("… + Bước 2: …"). */
const INLINE_STEP = /\s+(?=(?:[-+•*]\s*)?Bước\s*\d+\s*[:.)\-])/u;

/** A list marker on its own ("a)", "1.", "-"), which belongs to the line after it. */
const LONE_MARKER = /^(?:[-+•*]|[a-zđ]\)|\(?[ivx\d]{1,4}[.)]|\d+(?:\.\d+)+\.?)$/iu;
/** "a) …" and "b. …" start list items even though they are lower-case. */
const ENUMERATED = /^[a-zđ]{1,2}[).]\s/u;

/**
 * Lines as the author meant them: the portal keeps hard line breaks from the source
 * documents, so a line starting in lower case continues the previous one.
 */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pendingMarker = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (LONE_MARKER.test(line)) {
      pendingMarker = `${pendingMarker}${line} `;
      continue;
    }
    const continues = lines.length > 0 && pendingMarker === '' && /^\p{Ll}/u.test(line) && !ENUMERATED.test(line);
    if (continues) lines[lines.length - 1] = `${lines[lines.length - 1]} ${line}`;
    else lines.push(`${pendingMarker}${line}`);
    pendingMarker = '';
  }
  return lines;
}

/** Splits a line before mid-line "Bước N:" markers, keeping a leading "a)" with its step. */
function splitInlineSteps(line: string): string[] {
  const parts = line.split(INLINE_STEP);
  const first = parts[0] ?? '';
  if (parts.length > 1 && LONE_MARKER.test(first.trim())) return [`${first} ${parts[1] ?? ''}`, ...parts.slice(2)];
  return parts;
}

export function parseSteps(raw: string): string[] {
  return logicalLines(cleanText(raw))
    .flatMap(splitInlineSteps)
    .map(tidyItem)
    .filter((step) => !isNoInfo(step));
}

export function parseConditions(raw: string): string[] {
  const text = cleanText(raw);
  if (isNoInfo(text)) return [];
  return logicalLines(text)
    .map(tidyItem)
    .filter((line) => !isNoInfo(line));
}

/** Commas outside parentheses: "Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp". */
function splitTopLevel(text: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && separators.includes(ch)) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  return [...parts, current];
}

export function parseApplicants(raw: string): string[] {
  return unique(
    splitTopLevel(cleanInline(raw), ',;')
      .map(tidyItem)
      .filter((item) => !isNoInfo(item)),
  );
}

const LEVELS: Record<string, Level> = {
  'cấp bộ': 'ministry',
  'cấp tỉnh': 'province',
  'cấp xã': 'commune',
};

export function parseLevels(raw: string): Level[] {
  return unique(
    cleanInline(raw)
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => part !== '')
      .map((part) => LEVELS[part] ?? 'other'),
  );
}

// ---------------------------------------------------------------------------------------------
// Agencies

/** "… nộp hồ sơ tại Sở Tư pháp …": the steps are the last place the portal says where to go. */
const SUBMIT_SENTENCE = /(?:nộp|gửi)(?: trực tiếp)?(?: \S+){0,6}? hồ sơ[^.;\n]{0,120}?\s(?:tại|đến|cho|về)\s[^.;\n]+/iu;

export function submitPlaceFromSteps(steps: readonly string[]): string {
  for (const step of steps) {
    const m = SUBMIT_SENTENCE.exec(step);
    if (m) return m[0].trim();
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// The raw row

const str = z.string();
const CatalogueRow = z.object({
  ma_thu_tuc: str.regex(/^\d+\.\d{6}$/, 'expected a code like 3.000333'),
  ten_thu_tuc: str.min(1),
  detail_url: z.string().url(),
  so_quyet_dinh: str,
  cap_thuc_hien: str,
  loai_thu_tuc: str,
  linh_vuc: str,
  doi_tuong_thuc_hien: str,
  co_quan_co_tham_quyen: str,
  co_quan_thuc_hien: str,
  co_quan_duoc_uy_quyen: str,
  co_quan_phoi_hop: str,
  dia_chi_tiep_nhan: str,
  trinh_tu_thuc_hien: str,
  cach_thuc_thuc_hien: str,
  thanh_phan_ho_so: str,
  can_cu_phap_ly: str,
  yeu_cau_dieu_kien: str,
  ket_qua_xu_ly: str,
  raw_text: str,
  _ministry_folder: str.min(1),
});
export type CatalogueRow = z.infer<typeof CatalogueRow>;

function codeOf(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null && 'ma_thu_tuc' in raw) return String(raw.ma_thu_tuc);
  return '(no code)';
}

/** Validates a raw row; the error names the procedure code and every offending field. */
export function validateCatalogueRow(raw: unknown): CatalogueRow {
  const result = CatalogueRow.safeParse(raw);
  if (result.success) return result.data;
  const fields = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`)
    .join('; ');
  throw new Error(`catalogue row ${codeOf(raw)}: invalid field(s) ${fields}`);
}

// ---------------------------------------------------------------------------------------------
// raw_text fallback

/** Section titles of the flattened page, in page order. */
const PAGE_SECTIONS = [
  'Trình Tự Thực Hiện',
  'Cách Thức Thực Hiện',
  'Thành phần hồ sơ',
  'Căn cứ pháp lý',
  'Cơ quan thực hiện',
  'Yêu cầu, điều kiện thực hiện',
  'Kết quả xử lý',
] as const;
type PageSection = (typeof PAGE_SECTIONS)[number];

/**
 * One section of raw_text. Titles are looked up in page order, each after the previous one,
 * because the same words occur inside content ("Miễn phí(Căn cứ pháp lý: Thông tư …)").
 */
export function sectionFromRawText(rawText: string, section: PageSection): string {
  const page = cleanText(rawText);
  const starts: number[] = [];
  let from = 0;
  for (const title of PAGE_SECTIONS) {
    const at = page.indexOf(title, from);
    starts.push(at);
    if (at !== -1) from = at + title.length;
  }
  const index = PAGE_SECTIONS.indexOf(section);
  const start = starts[index] ?? -1;
  if (start === -1) return '';
  const end = starts.slice(index + 1).find((at) => at !== -1) ?? page.length;
  return page.slice(start + section.length, end).trim();
}

/**
 * The crawler cut some fields short (or let them run on) where a section title appeared
 * inside the content, so the page text wins when the field is empty, a prefix of it,
 * overruns it, or lacks the table header the page has.
 */
function fieldOrPage(field: string, rawText: string, section: PageSection, header = ''): string {
  const value = cleanText(field);
  const page = sectionFromRawText(rawText, section);
  if (value === '' || value === '--') return page;
  if (page.length > value.length && page.startsWith(value)) return page;
  if (page !== '' && page.length < value.length && value.startsWith(page)) return page; // ran over
  if (header !== '' && !value.includes(header) && page !== '') return page;
  return field;
}

// ---------------------------------------------------------------------------------------------
// The record

/** Parses one catalogue row; throws an Error naming the code and field when it cannot. */
export function parseCatalogueRow(raw: unknown): ProcedureRecord {
  const row = validateCatalogueRow(raw);
  const code = row.ma_thu_tuc;
  const steps = withField(code, 'trinh_tu_thuc_hien', () =>
    parseSteps(fieldOrPage(row.trinh_tu_thuc_hien, row.raw_text, 'Trình Tự Thực Hiện')),
  );
  const executing = valueOrEmpty(row.co_quan_thuc_hien);
  const competent = valueOrEmpty(row.co_quan_co_tham_quyen);
  const record = {
    code,
    name: cleanInline(row.ten_thu_tuc),
    levels: parseLevels(row.cap_thuc_hien),
    levelsText: cleanInline(row.cap_thuc_hien),
    field: valueOrEmpty(row.linh_vuc),
    procedureType: valueOrEmpty(row.loai_thu_tuc),
    deciding_act: cleanInline(row.so_quyet_dinh),
    ministry: cleanInline(row._ministry_folder),
    applicants: parseApplicants(row.doi_tuong_thuc_hien),
    agencies: {
      competent,
      executing,
      delegated: valueOrEmpty(row.co_quan_duoc_uy_quyen),
      cooperating: valueOrEmpty(row.co_quan_phoi_hop),
      submitAt:
        valueOrEmpty(row.dia_chi_tiep_nhan) || executing || competent || submitPlaceFromSteps(steps),
    },
    channels: withField(code, 'cach_thuc_thuc_hien', () =>
      parseChannels(fieldOrPage(row.cach_thuc_thuc_hien, row.raw_text, 'Cách Thức Thực Hiện')),
    ),
    documents: withField(code, 'thanh_phan_ho_so', () =>
      parseDocuments(fieldOrPage(row.thanh_phan_ho_so, row.raw_text, 'Thành phần hồ sơ')),
    ),
    steps,
    conditions: withField(code, 'yeu_cau_dieu_kien', () =>
      parseConditions(fieldOrPage(row.yeu_cau_dieu_kien, row.raw_text, 'Yêu cầu, điều kiện thực hiện')),
    ),
    results: withField(code, 'ket_qua_xu_ly', () =>
      parseResults(fieldOrPage(row.ket_qua_xu_ly, row.raw_text, 'Kết quả xử lý')),
    ),
    legalBasis: withField(code, 'can_cu_phap_ly', () =>
      parseLegalBasis(fieldOrPage(row.can_cu_phap_ly, row.raw_text, 'Căn cứ pháp lý', LEGAL_HEADER)),
    ),
    sourceUrl: row.detail_url,
  };
  const checked = ProcedureRecord.safeParse(record);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`catalogue row ${code}: field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return checked.data;
}

/** Runs one field parser, re-throwing with the code and field named. */
function withField<T>(code: string, field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`catalogue row ${code}: field ${field}: ${reason}`);
  }
}
