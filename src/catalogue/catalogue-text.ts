import { uniqueBy } from '../shared/lists.ts';

// ---------------------------------------------------------------------------------------------
// Text normalisation

/** Invisible characters the portal leaves in; they break matching and carry no meaning. */
const INVISIBLE = /[\u200b\u200c\u200e\u200f\u00ad\ufeff]|\u200d/g;
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
export function valueOrEmpty(raw: string): string {
  const text = cleanInline(raw);
  return isNoInfo(text) ? '' : text;
}

/** Removes list bullets and trailing separators the flattening leaves around table cells. */
export function tidyItem(text: string): string {
  return text
    .replace(/^[\s\-+*•·–)]+/u, '')
    .replace(/[\s;,:]+$/u, '')
    .trim();
}

export function unique<T>(items: readonly T[], key: (item: T) => string = (item) => String(item)): T[] {
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
