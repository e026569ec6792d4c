import { join } from 'node:path';
import type { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import { readPhraseList } from '../shared/line-files.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import { AliasMatches } from './alias-matches.ts';
import { AliasTable } from './alias-table.ts';
import { CandidateRanking, totals } from './candidate-ranking.ts';
import { MatchAccumulator } from './match-accumulator.ts';
import { NameIndex } from './name-index.ts';
import { procedureHit, type ProcedureHit } from './procedure-hit.ts';
import { MAX_QUERY_CHARS, QueryPlans } from './query-plans.ts';
import { isRelevant, score, type MatchSignals } from './ranking-weights.ts';
import { searchWords, type SearchWord } from './search-tokens.ts';
import { termsOf } from './token-index.ts';

const PROCEDURE_CODE = /^\d+\.\d{6}$/;

/**
 * Finds procedures from what citizens type: half-remembered names, no diacritics, abbreviations,
 * colloquial names, typos.
 *
 * @remarks
 * Ranking is an idf-weighted coverage of the query's words and word pairs by each procedure name
 * (an inverted index over folded syllables and bigrams). A query word the catalogue never saw, or a
 * pair of words no name has, lowers the score, so a procedure the catalogue lacks gets an honest
 * empty result rather than an unrelated one. fuse.js corrects misspelt words against the
 * catalogue's vocabulary; aliases ("sổ đỏ") match their listed procedures; among variants sharing a
 * name, the province-level one is preferred.
 */
export class ProcedureSearch {
  private readonly names: NameIndex;
  private readonly plans: QueryPlans;
  private readonly aliasMatches: AliasMatches;
  private readonly accumulator: MatchAccumulator;
  private readonly ranking: CandidateRanking;
  private readonly aliases: AliasTable;

  constructor(
    catalog: ProcedureCatalog,
    private readonly text: VietnameseText,
    aliases: AliasTable,
    stopPhrases: readonly (readonly SearchWord[])[],
  ) {
    this.names = new NameIndex(catalog, text, aliases);
    this.aliasMatches = new AliasMatches(this.names);
    this.accumulator = new MatchAccumulator(this.names, this.aliasMatches);
    this.ranking = new CandidateRanking(this.names, this.accumulator);
    this.plans = new QueryPlans(this.names, text, aliases, stopPhrases);
    this.aliases = aliases;
  }

  /**
   * Matches every alias now (some 20 ms) rather than when a query first names it: the server's
   * start-up warm-up calls it, so no citizen's first question pays for it. Left out of loading on
   * purpose: the table is a cache, and building it grows the heap the load is measured by.
   */
  matchAllAliases(): void {
    for (const alias of this.aliases.all) this.aliasMatches.aliasMatchOf(this.plans.planner.aliasWeights(alias));
  }

  /** Builds the search from knowledge/ (aliases.json, lexicon/search-stopwords.txt). */
  static load(knowledgeDir: string, catalog: ProcedureCatalog, text: VietnameseText): ProcedureSearch {
    const aliases = AliasTable.fromFile(
      join(knowledgeDir, 'aliases.json'),
      (s) => searchWords(text, s),
      (code) => catalog.has(code),
    );
    // Place names are details, like the conversational words: neither names a procedure.
    const stopPhrases = [
      ...readPhraseList(join(knowledgeDir, 'lexicon', 'search-stopwords.txt')),
      ...readPhraseList(join(knowledgeDir, 'lexicon', 'places.txt')),
    ]
      .map((line) => searchWords(text, line))
      .filter((words) => words.length > 0)
      .sort((a, b) => b.length - a.length);
    return new ProcedureSearch(catalog, text, aliases, stopPhrases);
  }

  search(query: string, limit = 5): ProcedureHit[] {
    const { words, plan } = this.plans.planFor(query);
    const direct = words.find((w) => PROCEDURE_CODE.test(w.folded) && this.names.docByCode.has(w.folded));
    if (direct !== undefined) return [this.hit(this.names.docByCode.get(direct.folded)!, 1)];
    if (plan.unigrams.length === 0 && plan.aliases.length === 0) return [];
    return this.ranking.rank(plan, Math.max(0, limit)).map(({ doc, score }) => this.hit(doc, score));
  }

  /** The query's words that could name a procedure: stop phrases gone, misspellings corrected. */
  contentWords(query: string): string[] {
    return this.plans.planFor(query).plan.words.map((w) => w.folded);
  }

  /**
   * The things staff listed as not in the catalogue that the query names ("giấy phép lao động"),
   * each as its word pairs: a procedure whose name lacks them does not answer the query.
   */
  notHandledIn(query: string): readonly (readonly string[])[] {
    const folded = this.plans.planFor(query).words.map((w) => w.folded);
    // Every listed phrase, those inside an alias included ("giấy phép kinh doanh karaoke"): the name
    // search's own hits already weighed an alias against it.
    return this.aliases
      .matchNotHandled(folded, [])
      .map(({ phrase }) => termsOf(phrase.tokens).slice(phrase.tokens.length));
  }

  /** The codes the query's colloquial names (aliases) list: staff's word that the citizen means one of them. */
  listedByAliases(query: string): ReadonlySet<string> {
    const codes = new Set<string>();
    for (const alias of this.plans.planFor(query).plan.aliases)
      for (const code of alias.codeRank.keys()) codes.add(code);
    return codes;
  }

  /** Whether the procedure's name has every one of the word pairs (folded, "a b"). */
  nameHasPairs(code: string, pairs: readonly string[]): boolean {
    const doc = this.names.docByCode.get(code);
    return doc !== undefined && pairs.every((pair) => this.names.index.docHas(doc, pair));
  }

  /** {@link contentWords} with each word as typed too (its diacritics, when the citizen typed some). */
  contentSearchWords(query: string): readonly SearchWord[] {
    return this.plans.planFor(query).plan.words;
  }

  /** Share of the query's content words that procedure names or aliases use: how "administrative" it sounds. */
  knownShare(query: string): number {
    return this.plans.planFor(query).plan.knownShare;
  }

  /** Every candidate with the signals behind its score, ungated: for tuning and `eval:search --explain`. */
  explain(query: string, limit = 5): (ProcedureHit & { signals: MatchSignals; relevant: boolean })[] {
    const plan = this.plans.planner.plan(searchWords(this.text, query.slice(0, MAX_QUERY_CHARS)));
    const acc = this.accumulator.accumulate(plan, false);
    const t = totals(plan, this.names.index);
    return Array.from(acc.candidates.docs.subarray(0, acc.candidates.count))
      .map((doc) => ({ doc, signals: this.ranking.signals(doc, plan, t, acc, false) }))
      .map(({ doc, signals }) => ({ ...this.hit(doc, score(signals)), signals, relevant: isRelevant(signals) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  private hit(doc: number, score: number): ProcedureHit {
    return procedureHit(this.names.records[doc]!, score);
  }
}
