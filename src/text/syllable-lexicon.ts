import { readFileSync } from 'node:fs';
import { foldDiacritics } from './fold.ts';
import type { SyllableLexicon as KnownSyllables } from './keystroke-repair.ts';

/**
 * The Vietnamese syllables we know: built from the catalogue's own text plus a hand-kept list of
 * chat words, one syllable a line. It gates keystroke repair, so a repair only ever produces a
 * real syllable.
 */
export class SyllableLexicon implements KnownSyllables {
  private readonly accented: ReadonlySet<string>;
  private readonly folded: ReadonlySet<string>;

  constructor(syllables: Iterable<string>) {
    const accented = new Set<string>();
    for (const s of syllables) if (s.length > 0) accented.add(s);
    this.accented = accented;
    this.folded = new Set([...accented].map(foldDiacritics));
  }

  static fromFiles(...paths: string[]): SyllableLexicon {
    const words = paths.flatMap((p) =>
      readFileSync(p, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0 && !line.startsWith('#')),
    );
    return new SyllableLexicon(words);
  }

  /** True for a known accented syllable, exactly as written. */
  has(syllable: string): boolean {
    return this.accented.has(syllable);
  }

  /** True when some known syllable folds to this toneless form ("phap" for "pháp"). */
  hasFolded(folded: string): boolean {
    return this.folded.has(folded);
  }

  get size(): number {
    return this.accented.size;
  }
}
