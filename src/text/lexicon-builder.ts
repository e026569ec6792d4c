import { splitTone, canonicalTonePlacement } from './vietnamese-tones.ts';
import { sanitize, splitWords } from './vietnamese-text.ts';

const SYLLABLE = /^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{1,7}$/;
const HAS_VOWEL = /[aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/;

/**
 * Collects the canonical syllables of a body of Vietnamese text (the catalogue), for the
 * {@link SyllableLexicon}. Words glued together by the portal's flattening ("hiệnuỷ") carry two
 * tones and are left out.
 */
export function collectSyllables(texts: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const word of splitWords(sanitize(text).toLowerCase().normalize('NFC'))) {
      if (!SYLLABLE.test(word) || !HAS_VOWEL.test(word) || splitTone(word) === null) continue;
      found.add(canonicalTonePlacement(word));
    }
  }
  return [...found].sort();
}
