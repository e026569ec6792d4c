/**
 * An inverted index over folded syllables and syllable bigrams, with inverse document frequencies:
 * the part of the procedure search that makes word order and missing words cheap to handle.
 *
 * @remarks
 * Posting lists are sorted Int32Arrays and membership is a binary search in them: no per-document
 * sets, which would cost more memory than the whole index.
 */
export class TokenIndex {
  private readonly postings = new Map<string, Int32Array>();
  private readonly docCount: number;

  constructor(docs: ReadonlyArray<readonly string[]>) {
    this.docCount = docs.length;
    const lists = new Map<string, number[]>();
    docs.forEach((tokens, doc) => {
      for (const term of new Set(termsOf(tokens))) {
        const list = lists.get(term);
        if (list) list.push(doc);
        else lists.set(term, [doc]);
      }
    });
    // Documents are visited in order, so every list is already sorted.
    for (const [term, list] of lists) this.postings.set(term, Int32Array.from(list));
  }

  /** Inverse document frequency; 0 for a term no document has. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + this.docCount / df);
  }

  /** The largest idf any term can have (a term in a single document). */
  maxIdf(): number {
    return Math.log(1 + this.docCount);
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  docsWith(term: string): ArrayLike<number> & Iterable<number> {
    return this.postings.get(term) ?? EMPTY;
  }

  docHas(doc: number, term: string): boolean {
    const list = this.postings.get(term);
    return list !== undefined && postingHas(list, doc);
  }

  vocabulary(): string[] {
    return [...this.postings.keys()].filter((t) => !t.includes(' '));
  }
}

const EMPTY = new Int32Array(0);

/** Whether a posting list (sorted) has the document: a binary search. */
export function postingHas(list: ArrayLike<number>, doc: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = list[mid]!;
    if (value === doc) return true;
    if (value < doc) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** Unigrams and bigrams, in one term space ("dang", "dang ky"). */
export function termsOf(tokens: readonly string[]): string[] {
  const terms = [...tokens];
  for (let i = 1; i < tokens.length; i += 1) terms.push(`${tokens[i - 1]} ${tokens[i]}`);
  return terms;
}
