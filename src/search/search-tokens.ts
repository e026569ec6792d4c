import { foldDiacritics } from '../text/fold.ts';
import { canonicalTonePlacement } from '../text/vietnamese-tones.ts';
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
  return analyzed.tokens.map((token, i) => {
    const spelled = NUMBER_WORDS[token];
    if (spelled) return spelled;
    return { folded: unifyFinalY(token), accented: accented[i] ?? token };
  });
}

/**
 * Small numbers as words, on both sides: names write "một lần", "số 1", citizens "1 lần", "so 1".
 * Larger numbers stay digits (they are years, amounts, codes).
 */
const NUMBER_WORDS: Record<string, SearchWord> = Object.fromEntries(
  ['một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín', 'mười'].map((accented, i) => [
    String(i + 1),
    { folded: accented.normalize('NFD').replace(/\p{M}/gu, ''), accented },
  ]),
);

const NON_WORD = /[^a-z0-9]+/;

/**
 * The folded search tokens of clean catalogue text, fast: the same words {@link searchWords} gives
 * for it (folded, final y unified, small numbers spelled), without the repairs and expansions a
 * citizen's typing needs. Nine megabytes of records go through it at start-up.
 */
export function catalogueTokens(input: string): string[] {
  const out: string[] = [];
  for (const token of foldDiacritics(input.toLowerCase()).split(NON_WORD)) {
    if (token === '') continue;
    out.push(NUMBER_WORDS[token]?.folded ?? unifyFinalY(token));
  }
  return out;
}

const NON_LETTER = /[^\p{L}\p{N}]+/u;

/**
 * {@link catalogueTokens} with each word as written too (lower case, NFC, tone marks in their
 * canonical place, as a citizen's typed words are normalised): for matching the diacritics a
 * citizen did type ("mưa" is not "mua").
 */
export function catalogueWords(input: string): SearchWord[] {
  const out: SearchWord[] = [];
  for (const word of input.toLowerCase().normalize('NFC').split(NON_LETTER)) {
    if (word === '') continue;
    const folded = foldDiacritics(word);
    const spelled = NUMBER_WORDS[folded];
    if (spelled !== undefined) out.push(spelled);
    else
      out.push({
        folded: unifyFinalY(folded),
        accented: hasDiacritics(word) ? canonicalTonePlacement(word) : unifyFinalY(folded),
      });
  }
  return out;
}

export function searchTokens(text: VietnameseText, input: string): string[] {
  return searchWords(text, input).map((w) => w.folded);
}

function unifyFinalY(token: string): string {
  if (token.length >= 2 && token.endsWith('y') && !VOWEL.test(token[token.length - 2]!)) {
    return `${token.slice(0, -1)}i`;
  }
  return token;
}

/** True when a token carries a diacritic, i.e. the citizen told us which word they meant. */
export function hasDiacritics(token: string): boolean {
  // A loop, not a regular expression: this runs for every word pair the ranking compares.
  for (let i = 0; i < token.length; i += 1) if (token.charCodeAt(i) > 0x7f) return true;
  return false;
}
