import Fuse from 'fuse.js';

export interface FuzzyMatch {
  item: string;
  /** fuse.js's score: 0 is exact, up to the threshold. */
  score: number;
}

/**
 * fuse.js over the catalogue's vocabulary, with a prefilter that keeps its answers and skips most of
 * its work: a word within k edits of (part of) an item shares at least length − k of its letters with
 * it, so items sharing fewer cannot match and need not be scanned.
 */
export class FuzzyVocabulary {
  private readonly letters: Uint8Array[];

  constructor(
    private readonly items: readonly string[],
    private readonly threshold: number,
  ) {
    this.letters = items.map(letterCounts);
  }

  /** The best item for `word` as fuse.js would rank it over all items, or undefined. */
  best(word: string): FuzzyMatch | undefined {
    const wanted = letterCounts(word);
    // With ignoreLocation, fuse.js's bitap score is errors / length and must not pass the
    // threshold: at most floor(threshold × length) errors, so at least the rest of the letters shared.
    const minShared = word.length - Math.floor(this.threshold * word.length);
    const candidates = this.items.filter((_, i) => shared(wanted, this.letters[i]!) >= minShared);
    if (candidates.length === 0) return undefined;
    const fuse = new Fuse(candidates, { includeScore: true, threshold: this.threshold, ignoreLocation: true });
    const [hit] = fuse.search(word, { limit: 1 });
    return hit === undefined || hit.score === undefined ? undefined : { item: hit.item, score: hit.score };
  }
}

const ALPHABET = 37;

function slot(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 48 && code <= 57) return 26 + code - 48;
  return 36;
}

function letterCounts(word: string): Uint8Array {
  const counts = new Uint8Array(ALPHABET);
  for (let i = 0; i < word.length; i += 1) {
    const s = slot(word.charCodeAt(i));
    counts[s] = Math.min(255, counts[s]! + 1);
  }
  return counts;
}

function shared(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < ALPHABET; i += 1) n += Math.min(a[i]!, b[i]!);
  return n;
}
