import { sum } from '../shared/lists.ts';
import type { Alias } from './alias-table.ts';
import type { NameIndex } from './name-index.ts';
import type { AliasWeights, QueryTerm } from './query-planner.ts';
import { RANKING } from './ranking-weights.ts';

/** The procedures matching an alias, each with how well (see aliasMatch). */
export interface AliasMatchList {
  docs: Int32Array;
  values: Float64Array;
}

/** How well each procedure matches each alias of the table, worked out when first needed and kept. */
export class AliasMatches {
  /** Each alias's match per procedure, by alias (see aliasMatch): a few hundred aliases at most. */
  private readonly aliasMatches = new Map<Alias, AliasMatchList>();
  private readonly scratch: {
    literal: Float64Array;
    means: Float64Array;
    match: Float64Array;
    /** The procedures an alias matches, while it is being matched (aliasMatch). */
    aliasSeen: Uint8Array;
    aliasDocs: Int32Array;
  };

  constructor(private readonly names: NameIndex) {
    const n = names.records.length;
    const numbers = () => new Float64Array(n);
    this.scratch = {
      literal: numbers(),
      means: numbers(),
      match: numbers(),
      aliasSeen: new Uint8Array(n),
      aliasDocs: new Int32Array(n),
    };
  }

  /** {@link aliasMatch}, worked out once per alias and kept: a few hundred aliases at most. */
  aliasMatchOf(alias: AliasWeights): AliasMatchList {
    let known = this.aliasMatches.get(alias.source);
    if (known === undefined) {
      known = this.aliasMatch(alias);
      this.aliasMatches.set(alias.source, known);
    }
    return known;
  }

  /**
   * How well each procedure matches an alias: the phrase itself, its words, the formal words, or
   * being listed. The same for every query.
   */
  private aliasMatch(alias: AliasWeights): AliasMatchList {
    const { literal, means, match, aliasSeen, aliasDocs } = this.scratch;
    // Typed arrays and flags, no sets: less garbage, and a compact table to keep.
    let count = 0;
    const note = (doc: number) => {
      if (aliasSeen[doc] === 1) return;
      aliasSeen[doc] = 1;
      aliasDocs[count] = doc;
      count += 1;
    };
    this.termCoverage(alias.literal, literal, note);
    this.termCoverage(alias.means, means, note);
    for (let i = 0; i < count; i += 1) {
      const doc = aliasDocs[i]!;
      const words = literal[doc]!;
      const byLiteral =
        words === 1 && this.names.nameHasPhrase(doc, alias.phrase) ? 1 : RANKING.aliasLiteralShare * words;
      match[doc] = Math.max(byLiteral, RANKING.aliasMeansShare * means[doc]!);
    }
    for (const [code, rank] of alias.codeRank) {
      const doc = this.names.docByCode.get(code);
      if (doc === undefined) continue;
      match[doc] = Math.max(match[doc]!, Math.max(0.5, 1 - RANKING.aliasRankDecay * rank));
      note(doc);
    }
    const docs = aliasDocs.slice(0, count);
    const values = Float64Array.from(docs, (doc) => match[doc]!);
    for (const doc of docs) {
      literal[doc] = 0;
      means[doc] = 0;
      match[doc] = 0;
      aliasSeen[doc] = 0;
    }
    return { docs, values };
  }

  /** Adds to `into` the share of the terms' weight each procedure name has, and notes each procedure that has any. */
  private termCoverage(terms: readonly QueryTerm[], into: Float64Array, note: (doc: number) => void): void {
    const total = sum(terms.map((q) => q.weight));
    if (total === 0) return;
    for (const q of terms) {
      const docs = this.names.index.docsWith(q.term);
      for (let i = 0; i < docs.length; i += 1) {
        const doc = docs[i]!;
        note(doc);
        into[doc] = into[doc]! + q.weight / total;
      }
    }
  }
}
