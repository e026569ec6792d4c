import { sum } from '../shared/lists.ts';
import { DocHeap } from './doc-heap.ts';
import type { Accumulated, MatchAccumulator } from './match-accumulator.ts';
import type { NameIndex } from './name-index.ts';
import type { AliasTerm, QueryPlan, QueryWord } from './query-planner.ts';
import { isRelevant, MAX_SCORE, RANKING, score, type MatchSignals } from './ranking-weights.ts';
import { hasDiacritics } from './search-tokens.ts';
import type { TokenIndex } from './token-index.ts';

const NO_ALIASES: readonly AliasTerm[] = [];

export interface PlanTotals {
  /** The query's folded words, to tell which formal alias words the citizen did not type. */
  typed: ReadonlySet<string>;
  words: number;
  pairs: number;
  accented: QueryWord[];
  accentWeight: number;
}

/**
 * Ties broken by code, compared as plain strings: codes are ASCII, and `localeCompare` goes through
 * the locale collator, which cost milliseconds on a query whose candidates tie.
 */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function inListedAlias(w: QueryWord, listedBy: readonly AliasTerm[]): boolean {
  if (w.position === undefined) return false;
  for (const a of listedBy) if (a.positions.has(w.position)) return true;
  return false;
}

export function totals(plan: QueryPlan, index: TokenIndex): PlanTotals {
  const accented = plan.words.filter((w) => hasDiacritics(w.accented));
  return {
    typed: new Set(plan.words.map((w) => w.folded)),
    words: sum(plan.unigrams.map((q) => q.weight)) + sum(plan.aliases.map((a) => a.weight)),
    pairs: sum(plan.bigrams.map((q) => q.weight)),
    accented,
    accentWeight: sum(accented.map((w) => index.idf(w.folded))),
  };
}

/** Scores the accumulated candidates of a query and keeps the best relevant ones. */
export class CandidateRanking {
  private readonly scratch: { byCeiling: DocHeap };

  constructor(
    private readonly names: NameIndex,
    private readonly accumulator: MatchAccumulator,
  ) {
    this.scratch = { byCeiling: new DocHeap(names.records.length) };
  }

  /**
   * The `limit` best relevant procedures. Candidates are scored in order of the most they could
   * score (their word and pair coverage are known, the rest taken as perfect), and scoring stops
   * once that ceiling is below the `limit`-th score found: a common word ("cơ sở") makes hundreds
   * of candidates, and few can make the top.
   */
  rank(plan: QueryPlan, limit: number): { doc: number; score: number }[] {
    if (limit === 0) return [];
    const acc = this.accumulator.accumulate(plan);
    const t = totals(plan, this.names.index);
    const byCeiling = this.scratch.byCeiling;
    byCeiling.clear();
    const { docs, count } = acc.candidates;
    for (let i = 0; i < count; i += 1) this.queueByCeiling(docs[i]!, t, acc, byCeiling);
    byCeiling.build();
    const top: { doc: number; score: number }[] = [];
    const better = (a: { doc: number; score: number }, b: { doc: number; score: number }) =>
      b.score - a.score || byCode(this.names.records[a.doc]!.code, this.names.records[b.doc]!.code);
    while (byCeiling.length > 0) {
      if (top.length === limit && byCeiling.peekKey() < top[limit - 1]!.score - 1e-9) break;
      const doc = byCeiling.pop();
      const signals = this.signals(doc, plan, t, acc, true);
      if (signals === null || !isRelevant(signals)) continue;
      top.push({ doc, score: score(signals) });
      top.sort(better);
      if (top.length > limit) top.pop();
    }
    return top;
  }

  /**
   * Queues the candidate with the highest score it could reach (its coverage as accumulated,
   * everything else perfect), unless its coverage already fails the relevance gate. The value goes
   * straight into the queue's array: returned, each of hundreds of doubles would be boxed.
   */
  private queueByCeiling(doc: number, t: PlanTotals, acc: Accumulated, queue: DocHeap): void {
    const words = t.words > 0 ? acc.words[doc]! / t.words : 0;
    const listed = acc.listedBy.has(doc);
    if (!listed && words < RANKING.minWordCoverage) return;
    const pairs = t.pairs > 0 ? acc.pairs[doc]! / t.pairs : words;
    if (!listed && t.pairs > 0 && pairs < RANKING.minPairCoverage) return;
    const alias = listed ? RANKING.aliasBonus : 0;
    queue.add(
      doc,
      (RANKING.wordCoverage * words +
        RANKING.pairCoverage * pairs +
        RANKING.nameCoverage +
        RANKING.accentAgreement * Math.max(1, words) +
        this.names.levelBonus[doc]! +
        alias) /
        MAX_SCORE,
    );
  }

  /**
   * The signals of one candidate. With `gate`, stops early (null) as soon as the cheap coverage
   * checks of {@link isRelevant} fail: most candidates share one common word and no more.
   */
  signals(doc: number, plan: QueryPlan, t: PlanTotals, acc: Accumulated, gate: false): MatchSignals;
  signals(doc: number, plan: QueryPlan, t: PlanTotals, acc: Accumulated, gate: true): MatchSignals | null;
  signals(doc: number, plan: QueryPlan, t: PlanTotals, acc: Accumulated, gate: boolean): MatchSignals | null {
    const listedBy = acc.listedBy.get(doc) ?? NO_ALIASES;
    const aliasDoc = listedBy.length > 0;
    const wordCoverage = t.words > 0 ? acc.words[doc]! / t.words : 0;
    if (gate && !aliasDoc && wordCoverage < RANKING.minWordCoverage) return null;
    const pairs = t.pairs > 0 ? acc.pairs[doc]! / t.pairs : null;
    if (gate && !aliasDoc && pairs !== null && pairs < RANKING.minPairCoverage) return null;
    // A not-handled phrase right after an alias qualifies it ("giấy phép kinh doanh | lữ hành nội
    // địa") and overrides it; elsewhere in the message it is context ("lltp … để đi xuất khẩu lao động").
    const notHandled = plan.notHandled.some(
      (phrase) =>
        !phrase.pairs.every((pair) => this.names.index.docHas(doc, pair)) &&
        (!aliasDoc || listedBy.every((a) => a.end === phrase.start)),
    );
    if (gate && notHandled) return null;
    // Words of an alias phrase are the listed procedures' own: "đóng cửa công ty" for "Giải thể doanh nghiệp".
    let accentMatched = 0;
    for (const w of t.accented) {
      if (inListedAlias(w, listedBy) || this.names.accentedNames[doc]!.has(w.accented))
        accentMatched += this.names.index.idf(w.folded);
    }
    // The formal words stand in for the alias phrase, unless the citizen typed them already.
    const nameWords = aliasDoc
      ? [...plan.words, ...listedBy.flatMap((a) => a.meansWords).filter((w) => !t.typed.has(w.folded))]
      : plan.words;
    return {
      wordCoverage,
      pairCoverage: pairs,
      nameCoverage: this.names.nameCoverage(doc, nameWords),
      accentAgreement: t.accentWeight > 0 ? accentMatched / t.accentWeight : wordCoverage,
      levelBonus: this.names.levelBonus[doc]!,
      aliasDoc,
      aliasRank: aliasDoc ? Math.min(...listedBy.map((a) => a.codeRank.get(this.names.records[doc]!.code)!)) : null,
      notHandled,
    };
  }
}
