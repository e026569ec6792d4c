import type { VietnameseText } from '../text/vietnamese-text.ts';

const VOWEL = /[aeiouy]/;

/** A query or name as the search sees it: folded tokens, and the same tokens with their diacritics. */
export interface SearchText {
  folded: string[];
  accented: string[];
}

/**
 * Folded tokens as the search compares them. On top of the text module: final "y" and "i" after a
 * consonant are one sound and typed both ways ("ký"/"kí", "lý"/"lí"), so they are unified.
 */
export function searchTokens(text: VietnameseText, input: string): string[] {
  return searchText(text, input).folded;
}

export function searchText(text: VietnameseText, input: string): SearchText {
  const analyzed = text.analyze(input);
  const accented = analyzed.normalized.length === 0 ? [] : analyzed.normalized.split(' ');
  return { folded: analyzed.tokens.map(unifyFinalY), accented: accented.map(unifyFinalY) };
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
