import type { VietnameseText } from '../text/vietnamese-text.ts';

const VOWEL = /[aeiouy]/;

/** One word as the search sees it: folded, and as typed (with its diacritics, if any). */
export interface SearchWord {
  folded: string;
  accented: string;
}

/**
 * Words as the search compares them. On top of the text module: final "y" and "i" after a
 * consonant are one sound and typed both ways ("ký"/"kí", "lý"/"lí"), so they are unified.
 */
export function searchWords(text: VietnameseText, input: string): SearchWord[] {
  const analyzed = text.analyze(input);
  const accented = analyzed.normalized.length === 0 ? [] : analyzed.normalized.split(' ');
  return analyzed.tokens.map((folded, i) => ({ folded: unifyFinalY(folded), accented: accented[i] ?? folded }));
}

export function searchTokens(text: VietnameseText, input: string): string[] {
  return searchWords(text, input).map((w) => w.folded);
}

export function unifyFinalY(token: string): string {
  if (token.length >= 2 && token.endsWith('y') && !VOWEL.test(token[token.length - 2]!)) {
    return `${token.slice(0, -1)}i`;
  }
  return token;
}

/** True when a token carries a diacritic, i.e. the citizen told us which word they meant. */
export function hasDiacritics(token: string): boolean {
  return /[^\x00-\x7f]/.test(token);
}
