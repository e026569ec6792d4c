/**
 * Vietnamese tone marks: taking them off a syllable and putting them back in one canonical place.
 *
 * @remarks
 * Vietnamese has two conventions for where the tone mark sits in "oa", "oe", "uy" without a final
 * consonant: the old one ("hòa", "khỏe", "thủy") and the new one ("hoà", "khoẻ", "thuỷ"). Both are
 * typed by citizens and both appear in government text; the national catalogue mostly uses the old
 * one, so that is our canonical form. Placing the tone ourselves also repairs text typed with
 * leftover Telex/VNI keys.
 */

export type Tone = 'none' | 'grave' | 'acute' | 'hook' | 'tilde' | 'dot';

const TONE_MARKS: Record<Exclude<Tone, 'none'>, string> = {
  grave: '\u0300',
  acute: '\u0301',
  hook: '\u0309',
  tilde: '\u0303',
  dot: '\u0323',
};
const MARK_TO_TONE = new Map<string, Tone>(Object.entries(TONE_MARKS).map(([tone, mark]) => [mark, tone as Tone]));
const TONE_MARK_PATTERN = /[\u0300\u0301\u0303\u0309\u0323]/g;

const VOWELS = new Set([...'aăâeêioôơuưy']);
const MODIFIED_VOWELS = new Set([...'ăâêôơư']);

/** Splits a lower-case NFC syllable into its toneless base (NFC) and its tone; null when it carries several tones. */
export function splitTone(syllable: string): { base: string; tone: Tone } | null {
  const decomposed = syllable.normalize('NFD');
  const marks = decomposed.match(TONE_MARK_PATTERN) ?? [];
  if (marks.length > 1) return null;
  const base = decomposed.replace(TONE_MARK_PATTERN, '').normalize('NFC');
  const tone = marks.length === 0 ? 'none' : (MARK_TO_TONE.get(marks[0]!) ?? 'none');
  return { base, tone };
}

/** The index of the vowel that carries the tone in a toneless lower-case base, or -1 when it has no vowel. */
function toneVowelIndex(base: string): number {
  const chars = [...base];
  let start = chars.findIndex((c) => VOWELS.has(c));
  if (start < 0) return -1;
  // "qu" and "gi" + vowel: the u / i belong to the onset, not the nucleus ("quý", "già").
  const next = chars[start + 1];
  if (next !== undefined && VOWELS.has(next)) {
    const onsetQu = chars[start] === 'u' && start > 0 && chars[start - 1] === 'q';
    const onsetGi = chars[start] === 'i' && start === 1 && chars[0] === 'g';
    if (onsetQu || onsetGi) start += 1;
  }
  let end = start;
  while (end < chars.length && VOWELS.has(chars[end]!)) end += 1;
  const nucleus = chars.slice(start, end);
  const horn = nucleus.indexOf('ơ');
  if (horn >= 0) return start + horn;
  const modified = nucleus.findIndex((c) => MODIFIED_VOWELS.has(c));
  if (modified >= 0) return start + modified;
  if (nucleus.length === 1) return start;
  const hasFinalConsonant = end < chars.length;
  if (hasFinalConsonant) return end - 1;
  // Open syllable: old-style placement, on the second-to-last vowel ("hòa", "thủy", "ngoài").
  return end - 2;
}

/** Puts `tone` on a toneless lower-case base at its canonical place; the base unchanged when it has no vowel. */
export function placeTone(base: string, tone: Tone): string {
  if (tone === 'none') return base;
  const index = toneVowelIndex(base);
  if (index < 0) return base;
  const chars = [...base];
  chars[index] = (chars[index]! + TONE_MARKS[tone]).normalize('NFC');
  return chars.join('').normalize('NFC');
}

/** Rewrites a lower-case NFC word so its tone mark sits in the canonical (old-style) place. */
export function canonicalTonePlacement(word: string): string {
  const split = splitTone(word);
  if (split === null || split.tone === 'none') return word;
  if (toneVowelIndex(split.base) < 0) return word;
  return placeTone(split.base, split.tone);
}
