import { join } from 'node:path';
import { AbbreviationLexicon } from './abbreviation-lexicon.ts';
import { foldDiacritics } from './fold.ts';
import { repairKeystrokes } from './keystroke-repair.ts';
import { SyllableLexicon } from './syllable-lexicon.ts';
import { canonicalTonePlacement } from './vietnamese-tones.ts';

/** What the text module makes of one message. */
export interface AnalyzedText {
  /** NFC, lower case, canonical tone placement, keystrokes repaired, abbreviations expanded. */
  normalized: string;
  /** `normalized` without diacritics (đ → d). */
  folded: string;
  /** Folded syllable tokens. */
  tokens: string[];
  /** Adjacent folded token pairs, "a b". */
  bigrams: string[];
  /** True when the message had emoji or symbols but no words ("👍👍" maps to a word; "🎉" does not). */
  symbolsOnly: boolean;
}

const CONTROL_OR_INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/gu;
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}]|\u{FE0F}|\u{20E3}/gu;
/** Punctuation kept only between two letters/digits: codes, amounts, dates ("3.000333", "12/10/2023"). */
const INNER_PUNCTUATION = /[.\-/:@_]/;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const REPAIR_MEMO_SIZE = 50_000;
const RECENT_SIZE = 64;
const RECENT_MAX_CHARS = 2_000;
const VIETNAMESE_WORD = /^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+$/;

/**
 * The Vietnamese text pipeline shared by the procedure search and the NLU, so that both agree on
 * what "the same text" means.
 */
export class VietnameseText {
  private readonly abbreviations: AbbreviationLexicon;
  private readonly repaired = new Map<string, string>();
  private readonly recentlyNormalized = new Map<string, string>();

  constructor(
    private readonly syllables: SyllableLexicon,
    abbreviations: (canonical: (text: string) => string) => AbbreviationLexicon,
  ) {
    this.abbreviations = abbreviations((text) => this.canonicalWords(text));
  }

  /** Loads the lexicon files from a knowledge directory (knowledge/lexicon/…). */
  static load(knowledgeDir: string): VietnameseText {
    const dir = join(knowledgeDir, 'lexicon');
    const syllables = SyllableLexicon.fromFiles(join(dir, 'syllables.txt'), join(dir, 'chat-words.txt'));
    return new VietnameseText(syllables, (canonical) =>
      AbbreviationLexicon.fromFile(join(dir, 'abbreviations.json'), canonical),
    );
  }

  /** Full normalisation: see {@link AnalyzedText.normalized}. Idempotent. */
  normalize(text: string): string {
    // One message is normalised by the classifier, the procedure finder and the search in turn:
    // the last few results are kept (a short text only: a flood of long ones must not pin memory).
    const recent = this.recentlyNormalized.get(text);
    if (recent !== undefined) return recent;
    const normalized = this.normalizeUncached(text);
    if (text.length <= RECENT_MAX_CHARS) {
      if (this.recentlyNormalized.size >= RECENT_SIZE)
        this.recentlyNormalized.delete(this.recentlyNormalized.keys().next().value!);
      this.recentlyNormalized.set(text, normalized);
    }
    return normalized;
  }

  private normalizeUncached(text: string): string {
    const words = splitWords(this.replaceEmoji(sanitize(text)).toLowerCase().normalize('NFC'));
    const out: string[] = [];
    words.forEach((word, i) => {
      const previous = words[i - 1];
      const next = words[i + 1];
      const expansion = this.abbreviations.expand(word, previous, next);
      if (expansion !== null) return out.push(expansion);
      // A repaired word can turn out to be teencode itself ("jw" → "j"): expand it now, not next time.
      const repaired = this.repairWord(word);
      return out.push(this.abbreviations.expand(repaired, previous, next) ?? repaired);
    });
    return out.join(' ');
  }

  /** True when some known Vietnamese syllable folds to `folded` ("tiem" for "tiêm"); false for "sin", "hongg". */
  isKnownSyllable(folded: string): boolean {
    return this.syllables.hasFolded(folded);
  }

  /** Normalises and folds in one go. */
  fold(text: string): string {
    return foldDiacritics(this.normalize(text));
  }

  analyze(text: string): AnalyzedText {
    const normalized = this.normalize(text);
    const folded = foldDiacritics(normalized);
    const tokens = folded.length === 0 ? [] : folded.split(' ');
    return {
      normalized,
      folded,
      tokens,
      bigrams: bigramsOf(tokens),
      symbolsOnly: tokens.length === 0 && sanitize(text).trim().length > 0,
    };
  }

  private repairWord(word: string): string {
    const known = this.repaired.get(word);
    if (known !== undefined) return known;
    const repaired = this.repairWordUncached(word);
    // Citizens reuse a small vocabulary: a bounded memo makes the many normalisations of one message cheap.
    if (this.repaired.size >= REPAIR_MEMO_SIZE) this.repaired.clear();
    this.repaired.set(word, repaired);
    return repaired;
  }

  private repairWordUncached(word: string): string {
    if (!VIETNAMESE_WORD.test(word) && !/^[a-z1-9]+$/.test(word)) return word;
    const canonical = canonicalTonePlacement(word);
    if (this.isKnown(canonical)) return canonical;
    return repairKeystrokes(canonical, this.syllables) ?? this.unstretched(canonical) ?? canonical;
  }

  private isKnown(word: string): boolean {
    return this.syllables.has(word) || this.syllables.hasFolded(word);
  }

  /** A word stretched for warmth or emphasis ("chàoo", "ạaa", "hôngggg") back to its syllable. */
  private unstretched(word: string): string | null {
    const stretched = /(\p{L})\1+$/u.exec(word);
    if (stretched === null) return null;
    let base = word.slice(0, stretched.index + 1);
    // "ạaa": the stretch repeats the vowel without its tone mark.
    while (base.length > 1 && foldDiacritics(base.at(-1)!) === foldDiacritics(base.at(-2)!) && !this.isKnown(base)) {
      base = base.slice(0, -1);
    }
    const canonical = canonicalTonePlacement(base);
    const abbreviation = this.abbreviations.expand(canonical, undefined, undefined) !== null;
    return this.isKnown(canonical) || abbreviation ? canonical : null;
  }

  /** Tone placement for text we own (lexicon values), without abbreviation expansion. */
  private canonicalWords(text: string): string {
    return splitWords(sanitize(text).toLowerCase().normalize('NFC'))
      .map((w) => (VIETNAMESE_WORD.test(w) ? canonicalTonePlacement(w) : w))
      .join(' ');
  }

  private replaceEmoji(text: string): string {
    // Most messages have no emoji or symbol at all: skip the per-emoji replacements for them.
    if (/^[\p{L}\p{M}\p{N}\p{P}\p{Zs}]*$/u.test(text)) return text;
    let out = text;
    for (const [emoji, word] of this.abbreviations.emoji)
      if (out.includes(emoji)) out = out.split(emoji).join(` ${word} `);
    return out.replace(PICTOGRAPHS, ' ');
  }
}

/** Well-formed NFC text without control characters, invisible characters or lone surrogates. */
export function sanitize(text: string): string {
  return text
    .toWellFormed()
    .replace(/\uFFFD/g, ' ')
    .replace(CONTROL_OR_INVISIBLE, ' ')
    .normalize('NFC');
}

/** Splits on anything that is not a letter, digit or mark, keeping inner punctuation of codes. */
export function splitWords(text: string): string[] {
  const chars = [...text];
  let current = '';
  const words: string[] = [];
  chars.forEach((ch, i) => {
    const keep =
      WORD_CHAR.test(ch) ||
      (INNER_PUNCTUATION.test(ch) && WORD_CHAR.test(chars[i - 1] ?? '') && WORD_CHAR.test(chars[i + 1] ?? ''));
    if (keep) {
      current += ch;
    } else if (current.length > 0) {
      words.push(current);
      current = '';
    }
  });
  if (current.length > 0) words.push(current);
  return words;
}

function bigramsOf(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < tokens.length; i += 1) out.push(`${tokens[i - 1]} ${tokens[i]}`);
  return out;
}
