import { placeTone, type Tone } from './vietnamese-tones.ts';

/**
 * Repairs words typed with a Vietnamese keyboard method but without the input method running:
 * Telex ("lys lichj tuw phaps" → "lý lịch tư pháp") and VNI ("ly1 lich5") keystrokes left in the text.
 *
 * @remarks
 * A repair is only accepted when the result is a syllable we know (the lexicon built from the
 * catalogue and our chat-word list). That is what makes it safe on English words, codes and
 * driving-licence classes ("thanks", "gplx", "b2" stay as they are): we repair where unambiguous.
 */
export interface SyllableLexicon {
  /** Accented, canonical lower-case syllables. */
  has(syllable: string): boolean;
}

const TELEX_TONES: Record<string, Tone> = { s: 'acute', f: 'grave', r: 'hook', x: 'tilde', j: 'dot' };
const VNI_TONES: Record<string, Tone> = { '1': 'acute', '2': 'grave', '3': 'hook', '4': 'tilde', '5': 'dot' };

/** Telex vowel and consonant keys, longest first so "uow" wins over "ow". */
const TELEX_MODIFIERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^dd/, 'đ'],
  [/uwow/, 'ươ'],
  [/uow/, 'ươ'],
  [/uo(?=[a-z]*w$)/, 'ươ'],
  [/aa/, 'â'],
  [/ee/, 'ê'],
  [/oo/, 'ô'],
  [/aw/, 'ă'],
  [/ow/, 'ơ'],
  [/uw/, 'ư'],
];

function applyTelexModifiers(base: string): string {
  let out = base;
  for (const [pattern, replacement] of TELEX_MODIFIERS) out = out.replace(pattern, replacement);
  // A trailing "w" typed after the final consonant ("duongw") modifies the nucleus.
  if (out.endsWith('w') && out.length > 1) {
    const stem = out.slice(0, -1);
    out = /u/.test(stem) ? stem.replace('u', 'ư') : /o/.test(stem) ? stem.replace('o', 'ơ') : stem.replace('a', 'ă');
  }
  return out;
}

function repairTelex(word: string, lexicon: SyllableLexicon): string | null {
  if (!/^[a-z]{2,12}$/.test(word)) return null;
  const last = word[word.length - 1]!;
  const tone = TELEX_TONES[last] ?? 'none';
  const keyless = tone === 'none' ? word : word.slice(0, -1);
  const base = applyTelexModifiers(keyless);
  if (tone === 'none' && base === word) return null;
  const candidate = placeTone(base, tone);
  if (lexicon.has(candidate)) return candidate;
  // A stray tone key on a known toneless word ("sinhf" when "sình" is unknown): drop the key.
  if (tone !== 'none' && lexicon.has(base)) return base;
  return null;
}

const VNI_MODIFIERS: Record<string, Record<string, string>> = {
  '6': { a: 'â', e: 'ê', o: 'ô' },
  '7': { o: 'ơ', u: 'ư' },
  '8': { a: 'ă' },
  '9': { d: 'đ' },
};

function repairVni(word: string, lexicon: SyllableLexicon): string | null {
  // At least two letters, so licence classes and codes ("a1", "b2", "h34") are never touched.
  if (!/^[a-z][a-z1-9]*$/.test(word) || !/[1-9]/.test(word) || word.replace(/\d/g, '').length < 2) return null;
  let letters: string[] = [];
  let tone: Tone = 'none';
  for (const ch of word) {
    const toneKey = VNI_TONES[ch];
    if (toneKey) {
      tone = toneKey;
      continue;
    }
    const modifier = VNI_MODIFIERS[ch];
    if (modifier) {
      letters = modifyLast(letters, modifier);
      continue;
    }
    letters.push(ch);
  }
  const base = letters.join('').replace('uơ', 'ươ');
  const candidate = placeTone(base, tone);
  return lexicon.has(candidate) ? candidate : null;
}

function modifyLast(letters: string[], modifier: Record<string, string>): string[] {
  for (let i = letters.length - 1; i >= 0; i -= 1) {
    const replacement = modifier[letters[i]!];
    if (replacement) {
      const copy = [...letters];
      copy[i] = replacement;
      // VNI types the horn once for "ươ": "uo7" means ươ.
      if (replacement === 'ơ' && copy[i - 1] === 'u') copy[i - 1] = 'ư';
      return copy;
    }
  }
  return letters;
}

/** The repaired syllable, or null when the word is not an unambiguous leftover of Telex or VNI typing. */
export function repairKeystrokes(word: string, lexicon: SyllableLexicon): string | null {
  return /\d/.test(word) ? repairVni(word, lexicon) : repairTelex(word, lexicon);
}
