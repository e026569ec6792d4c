import { sum } from '../shared/lists.ts';
import type { AliasMatches } from './alias-matches.ts';
import type { NameIndex } from './name-index.ts';
import type { AliasTerm, QueryPlan, QueryTerm } from './query-planner.ts';
import { RANKING } from './ranking-weights.ts';
import { postingHas } from './token-index.ts';

/** Steps of looking one procedure up in a term's two posting lists (binary searches), against one step per posting walked. */
const LOOKUP_STEPS = 16;

/** Per-query matched weights, indexed by procedure. */
export interface Accumulated {
  words: Float64Array;
  pairs: Float64Array;
  /** Procedures that matched anything, in the order first met: the first `count` of `docs`. */
  candidates: CandidateList;
  /** Procedures listed by an alias phrase of the query, with those aliases. */
  listedBy: Map<number, AliasTerm[]>;
}

/** Candidate procedures in an array allocated once (a common word makes hundreds of them). */
export interface CandidateList {
  docs: Int32Array;
  count: number;
}

/** The query's matched word and pair weights, summed per procedure over the posting lists. */
export class MatchAccumulator {
  /** Per-procedure sums, reused by every search (see accumulate). */
  private readonly scratch: {
    words: Float64Array;
    pairs: Float64Array;
    seen: Uint8Array;
    candidates: CandidateList;
  };

  constructor(
    private readonly names: NameIndex,
    private readonly aliasMatches: AliasMatches,
  ) {
    const n = names.records.length;
    const numbers = () => new Float64Array(n);
    this.scratch = {
      words: numbers(),
      pairs: numbers(),
      seen: new Uint8Array(n),
      candidates: { docs: new Int32Array(n), count: 0 },
    };
  }

  /**
   * Matched word and pair weights of every procedure, added up term by term over the posting lists
   * (term-at-a-time), so the cost follows the query's posting lists rather than candidates × terms.
   */
  accumulate(plan: QueryPlan, prune = true): Accumulated {
    const { words, pairs, seen, candidates } = this.scratch;
    // The arrays are reused, search after search (less garbage, fewer collection pauses): clear
    // what the previous search wrote. Every written entry belongs to one of its candidates.
    for (let i = 0; i < candidates.count; i += 1) {
      const doc = candidates.docs[i]!;
      words[doc] = 0;
      pairs[doc] = 0;
      seen[doc] = 0;
    }
    candidates.count = 0;
    const acc: Accumulated = { words, pairs, candidates, listedBy: new Map() };
    // Max-score pruning: aliases first, then words heaviest first; once the words still to come
    // cannot lift a procedure not found yet to the least word coverage a relevant one needs, later
    // (common) words only add to procedures already found. Exact: what is skipped would be gated.
    for (const alias of plan.aliases) this.addAlias(alias, plan, acc);
    let remaining = sum(plan.unigrams.map((q) => q.weight));
    const total = remaining + sum(plan.aliases.map((a) => a.weight));
    if (prune) this.dropHopeless(acc, RANKING.minWordCoverage * total - remaining - 1e-9);
    for (const q of [...plan.unigrams].sort((a, b) => b.weight - a.weight)) {
      const admitsNew = !prune || remaining / total >= RANKING.minWordCoverage - 1e-9;
      this.addTerm(q, acc.words, admitsNew);
      remaining -= q.weight;
    }
    // A word pair's procedures have both its words, so the word passes above found every one that can be relevant.
    for (const q of plan.bigrams) this.addTerm(q, acc.pairs, !prune);
    return acc;
  }

  /**
   * Forgets the procedures an alias only brushed (its formal words are common: "giấy chứng nhận
   * quyền sử dụng đất" touches most of the catalogue) and that stay short of `least` words even if
   * every word of the query is theirs. Exact: such a procedure, unless the alias lists it, fails the
   * word-coverage gate whatever follows, and words adding to it later cannot make it pass.
   */
  private dropHopeless(acc: Accumulated, least: number): void {
    const { words, candidates } = acc;
    const { seen } = this.scratch;
    let kept = 0;
    for (let i = 0; i < candidates.count; i += 1) {
      const doc = candidates.docs[i]!;
      if (words[doc]! >= least || acc.listedBy.has(doc)) {
        candidates.docs[kept] = doc;
        kept += 1;
      } else {
        words[doc] = 0;
        seen[doc] = 0;
      }
    }
    candidates.count = kept;
  }

  /**
   * Adds a term's weight to the procedures whose name has it, and a share to those whose field or
   * results have it: to any of them (with `admit`, new ones become candidates), or only to the
   * candidates found so far.
   */
  private addTerm(q: QueryTerm, into: Float64Array, admit: boolean): void {
    const named = this.names.index.docsWith(q.term);
    const inContext = this.names.context.docsWith(q.term);
    const { seen, candidates } = this.scratch;
    // A common word ("giấy", "đất") is in a thousand procedures: when only the few found so far can
    // gain, looking each of them up costs less than walking the lists.
    if (!admit && candidates.count * LOOKUP_STEPS < named.length + inContext.length) {
      this.addTermToCandidates(q, into, named, inContext);
      return;
    }
    // Indexed loops over the posting lists, no callbacks: this is the search's inner loop.
    for (let i = 0; i < named.length; i += 1) {
      const doc = named[i]!;
      if (seen[doc] === 0 && !admit) continue;
      into[doc] = into[doc]! + q.weight;
      this.admit(doc);
    }
    // Both lists are sorted: walked together, the procedures whose name has the term are skipped.
    let n = 0;
    for (let i = 0; i < inContext.length; i += 1) {
      const doc = inContext[i]!;
      if (seen[doc] === 0 && !admit) continue;
      while (n < named.length && named[n]! < doc) n += 1;
      if (n < named.length && named[n] === doc) continue;
      into[doc] = into[doc]! + RANKING.contextShare * q.weight;
      this.admit(doc);
    }
  }

  /** Makes the procedure a candidate of this search, if it is not one yet. */
  private admit(doc: number): void {
    const { seen, candidates } = this.scratch;
    if (seen[doc] === 1) return;
    seen[doc] = 1;
    candidates.docs[candidates.count] = doc;
    candidates.count += 1;
  }

  /** {@link addTerm} for the procedures found so far only, each looked up in the term's lists. */
  private addTermToCandidates(
    q: QueryTerm,
    into: Float64Array,
    named: ArrayLike<number>,
    inContext: ArrayLike<number>,
  ): void {
    const { docs, count } = this.scratch.candidates;
    for (let i = 0; i < count; i += 1) {
      const doc = docs[i]!;
      if (postingHas(named, doc)) into[doc] = into[doc]! + q.weight;
      else if (postingHas(inContext, doc)) into[doc] = into[doc]! + RANKING.contextShare * q.weight;
    }
  }

  /** How well each procedure matches an alias phrase: listed code, the phrase itself, its words, or the formal words. */
  private addAlias(alias: AliasTerm, plan: QueryPlan, acc: Accumulated): void {
    const { docs, values } = this.aliasMatches.aliasMatchOf(alias);
    for (const code of alias.codeRank.keys()) {
      const doc = this.names.docByCode.get(code);
      if (doc === undefined) continue;
      const listed = acc.listedBy.get(doc);
      if (listed === undefined) acc.listedBy.set(doc, [alias]);
      else listed.push(alias);
      // The alias's own word pairs are the listed procedure's, whatever its name says.
      for (const pair of plan.bigrams) {
        if (pair.alias !== alias || this.names.index.docHas(doc, pair.term)) continue;
        const already = this.names.context.docHas(doc, pair.term) ? RANKING.contextShare * pair.weight : 0;
        acc.pairs[doc] = acc.pairs[doc]! + pair.weight - already;
      }
    }
    for (let i = 0; i < docs.length; i += 1) {
      const doc = docs[i]!;
      acc.words[doc] = acc.words[doc]! + alias.weight * values[i]!;
      this.admit(doc);
    }
  }
}
