/**
 * An inverted index over folded syllables and syllable bigrams, with inverse document frequencies:
 * the part of the procedure search that makes word order and missing words cheap to handle.
 */
export class TokenIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly docTerms: ReadonlyArray<ReadonlySet<string>>;
  private readonly docWeights: readonly number[];

  constructor(docs: ReadonlyArray<readonly string[]>) {
    this.docTerms = docs.map((tokens) => new Set(termsOf(tokens)));
    this.docTerms.forEach((terms, doc) => {
      for (const term of terms) {
        const list = this.postings.get(term);
        if (list) list.push(doc);
        else this.postings.set(term, [doc]);
      }
    });
    this.docWeights = this.docTerms.map((terms) => [...terms].reduce((sum, t) => sum + this.idf(t), 0));
  }

  /** Inverse document frequency; 0 for a term no document has. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + this.docTerms.length / df);
  }

  /** The largest idf any term can have (a term in a single document). */
  maxIdf(): number {
    return Math.log(1 + this.docTerms.length);
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  docsWith(term: string): readonly number[] {
    return this.postings.get(term) ?? [];
  }

  docHas(doc: number, term: string): boolean {
    return this.docTerms[doc]?.has(term) ?? false;
  }

  /** Sum of the idf of the document's own terms: how much text it has to be matched. */
  docWeight(doc: number): number {
    return this.docWeights[doc] ?? 0;
  }

  vocabulary(): string[] {
    return [...this.postings.keys()].filter((t) => !t.includes(' '));
  }
}

/** Unigrams and bigrams, in one term space ("dang", "dang ky"). */
export function termsOf(tokens: readonly string[]): string[] {
  const terms = [...tokens];
  for (let i = 1; i < tokens.length; i += 1) terms.push(`${tokens[i - 1]} ${tokens[i]}`);
  return terms;
}
