import { unique } from './catalogue-text.ts';

// ---------------------------------------------------------------------------------------------
// Legal act codes ("28/2009/QH12", "12/2025/TT-BCA", "05/2012/NĐ-CP", "66.16/2026/NQ-CP")

/*
 * Issuer segments are matched from a vocabulary because codes are glued to the next title:
 * "…/TT-BTCQUY ĐỊNH…", "…/QH1354/2019/QH14", "…/NĐ-CPNghị định…". A bare [A-Z]+ would eat
 * the next word. Unknown issuers still match when a non-letter follows them.
 */
const ISSUER_WORDS = [
  'CP',
  'NĐ',
  'ND',
  'TT',
  'TTLT',
  'TTg',
  'TTG',
  'NQ',
  'QĐ',
  'QD',
  'PL',
  'L',
  'CTN',
  'CT',
  'BTC',
  'BCA',
  'BTP',
  'NHNN',
  'BNNMT',
  'BNNPTNT',
  'BGTVT',
  'BXD',
  'BTNMT',
  'BKHĐT',
  'BKH',
  'BLĐTBXH',
  'BKHCN',
  'BQP',
  'BNG',
  'BCT',
  'BYT',
  'BNV',
  'BTTTT',
  'BVHTTDL',
  'BGDĐT',
  'BGD',
  'TANDTC',
  'VKSNDTC',
  'HĐND',
  'HĐTP',
  'UBND',
  'VPCP',
  'LLTP',
  'KTNN',
  'BHXH',
  'TCHQ',
  'TCT',
  'UBCKNN',
  'NNMT',
  'BNTMT',
  'BTNMT',
  'BXH',
  'CS',
  'NHTW',
  'VBHN',
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
const ACT_CODE_SOURCE = `(\\d+(?:\\.\\d+)?)/(?:(\\d{4})/(${ISSUER_CHAIN})|((?:QĐ|QD|NQ|CT)\\s?[-–]\\s?${ISSUER_CHAIN}))`;

export interface ActMatch {
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
