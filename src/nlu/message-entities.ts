/**
 * Entities a citizen types into a message that are not procedures: dossier codes, phone numbers,
 * citizen ID numbers and dates. Read from the raw text (codes need their punctuation), tolerant of
 * lower case and stray spaces.
 */
export type MessageEntity =
  | {
      type: 'dossier_code';
      value: string;
      text: string;
      start: number;
      end: number;
      agency: string;
      date: string;
      sequence: string;
    }
  | { type: 'phone'; value: string; text: string; start: number; end: number }
  | { type: 'citizen_id'; value: string; text: string; start: number; end: number }
  | { type: 'date'; value: string; text: string; start: number; end: number };

type Found = MessageEntity;

/**
 * A one-stop dossier code: `<agency>-<yymmdd>-<sequence>`, e.g. `000.00.12.H34-231012-0001`.
 * The agency part is the national agency code (dotted groups ending in the province's `Hnn`, or
 * starting with it, as in `H34.22`).
 */
const DOSSIER_CODE =
  /(?<![\p{L}\p{N}.])((?:\d{3}\s?\.\s?\d{2}\s?\.\s?\d{2}\s?\.\s?)?[Hh]\s?\d{2}(?:\s?\.\s?\d{1,3}){0,3})\s?[-–]\s?(\d{6})\s?[-–]\s?(\d{3,6})(?![\p{L}\p{N}])/gu;
/** A Vietnamese phone number: mobile 0[35789]x… or landline 02xx…, with +84/84, spaces or dots. */
const PHONE = /(?<![\p{L}\p{N}])(?:\+?84|0)(?:[\s.-]?\d){9,10}(?![\p{L}\p{N}])/gu;
/** A 12-digit citizen identity (CCCD) number, possibly typed in groups of 3 or 4. */
const CITIZEN_ID =
  /(?<![\p{L}\p{N}])\d{3,4}(?:[\s.]?\d{2,4}){2,4}(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])\d{12}(?![\p{L}\p{N}])/gu;
/** 12/10/2023, 12-10-23, 12/10 (the year of `today` is assumed). */
const NUMERIC_DATE = /(?<![\p{N}/.-])(\d{1,2})\s?[/.-]\s?(\d{1,2})(?:\s?[/.-]\s?(\d{4}|\d{2}))?(?![\p{N}/.-])/gu;
/** "ngày 12 tháng 10 năm 2023", "ngay 5 thang 3". */
const WORDED_DATE = /ng[aà]y\s+(\d{1,2})\s+th[aá]ng\s+(\d{1,2})(?:\s+n[aă]m\s+(\d{4}))?/giu;
const RELATIVE_DAYS: readonly [RegExp, number][] = [
  [/(?<![\p{L}])h[oô]m\s+nay(?![\p{L}])/giu, 0],
  [/(?<![\p{L}])h[oô]m\s+qua(?![\p{L}])/giu, -1],
  [/(?<![\p{L}])ng[aà]y\s+mai(?![\p{L}])/giu, 1],
  [/(?<![\p{L}])ng[aà]y\s+kia(?![\p{L}])/giu, 2],
];

export function extractEntities(text: string, today: Date = new Date()): MessageEntity[] {
  const found: Found[] = [];
  const taken: [number, number][] = [];
  const free = (start: number, end: number) => taken.every(([s, e]) => end <= s || start >= e);
  const add = (entity: Found | null) => {
    if (entity === null || !free(entity.start, entity.end)) return;
    found.push(entity);
    taken.push([entity.start, entity.end]);
  };
  for (const m of text.matchAll(DOSSIER_CODE)) add(dossierCode(m));
  for (const m of text.matchAll(PHONE)) add(phone(m));
  for (const m of text.matchAll(CITIZEN_ID)) add(citizenId(m));
  for (const m of text.matchAll(WORDED_DATE)) add(date(m, today));
  for (const m of text.matchAll(NUMERIC_DATE)) add(date(m, today));
  for (const [pattern, offset] of RELATIVE_DAYS) {
    for (const m of text.matchAll(pattern)) add(relativeDate(m, today, offset));
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The canonical form of a dossier code as typed ("000.00.12.h34 - 231012-0001" → upper, no spaces). */
export function canonicalDossierCode(typed: string): string | null {
  const m = [...typed.matchAll(DOSSIER_CODE)][0];
  return m ? (dossierCode(m)?.value ?? null) : null;
}

function dossierCode(m: RegExpExecArray | RegExpMatchArray): Found | null {
  const [text, agencyRaw, yymmdd, sequence] = m as unknown as [string, string, string, string];
  const date = isoFromParts(Number(yymmdd.slice(4, 6)), Number(yymmdd.slice(2, 4)), 2000 + Number(yymmdd.slice(0, 2)));
  if (date === null) return null;
  const agency = agencyRaw.replace(/\s/g, '').toUpperCase();
  const start = m.index ?? 0;
  return {
    type: 'dossier_code',
    value: `${agency}-${yymmdd}-${sequence}`,
    text,
    start,
    end: start + text.length,
    agency,
    date,
    sequence,
  };
}

function phone(m: RegExpMatchArray): Found | null {
  const text = m[0];
  let digits = text.replace(/\D/g, '');
  if (digits.startsWith('84')) digits = `0${digits.slice(2)}`;
  const mobile = /^0[35789]\d{8}$/.test(digits);
  const landline = /^02\d{9}$/.test(digits);
  if (!mobile && !landline) return null;
  const start = m.index ?? 0;
  return { type: 'phone', value: digits, text, start, end: start + text.length };
}

function citizenId(m: RegExpMatchArray): Found | null {
  const text = m[0];
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 12) return null;
  const start = m.index ?? 0;
  return { type: 'citizen_id', value: digits, text, start, end: start + text.length };
}

function date(m: RegExpMatchArray, today: Date): Found | null {
  const [text, day, month, year] = m as unknown as [string, string, string, string | undefined];
  const fullYear = year === undefined ? today.getFullYear() : year.length === 2 ? 2000 + Number(year) : Number(year);
  const value = isoFromParts(Number(day), Number(month), fullYear);
  if (value === null) return null;
  const start = m.index ?? 0;
  return { type: 'date', value, text, start, end: start + text.length };
}

function relativeDate(m: RegExpMatchArray, today: Date, offsetDays: number): Found {
  const day = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate() + offsetDays));
  const start = m.index ?? 0;
  return { type: 'date', value: day.toISOString().slice(0, 10), text: m[0], start, end: start + m[0].length };
}

function isoFromParts(day: number, month: number, year: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2100) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}
