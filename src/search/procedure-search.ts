import { join } from 'node:path';
import type { ProcedureCatalog, ProcedureSummary } from '../catalogue/procedure-catalog.ts';
import { readPhraseList } from '../shared/line-files.ts';
import { sum } from '../shared/lists.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import { AliasTable, type Alias } from './alias-table.ts';
import { ContextSpeller } from './context-speller.ts';
import { DocHeap } from './doc-heap.ts';
import { QueryPlanner, type AliasTerm, type AliasWeights, type QueryPlan, type QueryTerm, type QueryWord } from './query-planner.ts';
import { hasDiacritics, searchTokens, searchWords, type SearchWord } from './search-tokens.ts';
import { postingHas, termsOf, TokenIndex } from './token-index.ts';

/** One ranked search result. `score` is in [0, 1]; higher is better. */
export interface ProcedureHit {
  code: string;
  name: string;
  score: number;
}

/** The ranking's weights and thresholds, kept together so their balance is visible. */
const RANKING = {
  /** Share of the query's words (idf-weighted) the name contains. */
  wordCoverage: 0.6,
  /** Share of the query's word pairs the name contains: word order and phrases. */
  pairCoverage: 0.25,
  /** Share of the name the query accounts for: the most specific name wins a tie. */
  nameCoverage: 0.15,
  /** Agreement on the diacritics the citizen did type ("lái" is not "lại"). */
  accentAgreement: 0.1,
  provinceBonus: 0.06,
  communeBonus: 0.04,
  /** An alias code ranked k matches the alias phrase by 1 - k × decay. */
  aliasRankDecay: 0.05,
  /** Staff listed the procedure for a phrase of the query: an edge among names that match alike. */
  aliasBonus: 0.1,
  /** Credit for a query word found in the procedure's field or results but not its name. */
  contextShare: 0.5,
  aliasMeansShare: 0.8,
  /** A name that has the alias's words but not as a phrase ("đóng cửa chi nhánh, công ty con") is a weaker match. */
  aliasLiteralShare: 0.7,
  minWordCoverage: 0.6,
  minPairCoverage: 0.35,
  minScore: 0.7,
} as const;

const PLANNER = {
  unknownWordShare: 0.7,
  unknownBigramShare: 0.5,
  minAliasShare: 0.5,
  fuzzyMaxScore: 0.34,
  fuzzyMinLength: 3,
  maxStopWordNames: 15,
} as const;

/** The best raw score a document can reach, so reported scores stay in [0, 1]. */
const MAX_SCORE =
  RANKING.wordCoverage +
  RANKING.pairCoverage +
  RANKING.nameCoverage +
  RANKING.accentAgreement +
  RANKING.provinceBonus +
  RANKING.aliasBonus;
const MAX_QUERY_CHARS = 1_000;
/** Steps of looking one procedure up in a term's two posting lists (binary searches), against one step per posting walked. */
const LOOKUP_STEPS = 16;
/** Result lists can run long; their first part names what the citizen receives. */
const MAX_CONTEXT_CHARS = 600;
const MAX_QUERY_WORDS = 60;
const RECENT_PLANS = 16;
const NO_ALIASES: readonly AliasTerm[] = [];
const PROCEDURE_CODE = /^\d+\.\d{6}$/;
/** Scope notes say which level handles a variant; they are not words a citizen searches for. */
export const SCOPE_NOTE = /\((?:thực hiện )?tại cấp [^)]*\)/giu;

/** Why a procedure matched a query: each share is in [0, 1]. */
export interface MatchSignals {
  wordCoverage: number;
  /** null when the query has no word pair. */
  pairCoverage: number | null;
  nameCoverage: number;
  accentAgreement: number;
  levelBonus: number;
  /** The procedure is listed by an alias phrase of the query. */
  aliasDoc: boolean;
  /** Its best rank in those aliases' lists (0 = first), or null. */
  aliasRank: number | null;
  /** The query names something staff listed as not in the catalogue, and this name does not have it. */
  notHandled: boolean;
}

/** Per-query matched weights, indexed by procedure. */
interface Accumulated {
  words: Float64Array;
  pairs: Float64Array;
  /** Procedures that matched anything, in the order first met: the first `count` of `docs`. */
  candidates: CandidateList;
  /** Procedures listed by an alias phrase of the query, with those aliases. */
  listedBy: Map<number, AliasTerm[]>;
}

/** The procedures matching an alias, each with how well (see aliasMatch). */
interface AliasMatchList {
  docs: Int32Array;
  values: Float64Array;
}

/** Candidate procedures in an array allocated once (a common word makes hundreds of them). */
interface CandidateList {
  docs: Int32Array;
  count: number;
}

interface PlanTotals {
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

function totals(plan: QueryPlan, index: TokenIndex): PlanTotals {
  const accented = plan.words.filter((w) => hasDiacritics(w.accented));
  return {
    typed: new Set(plan.words.map((w) => w.folded)),
    words: sum(plan.unigrams.map((q) => q.weight)) + sum(plan.aliases.map((a) => a.weight)),
    pairs: sum(plan.bigrams.map((q) => q.weight)),
    accented,
    accentWeight: sum(accented.map((w) => index.idf(w.folded))),
  };
}

/** The reported score in [0, 1]. */
function score(s: MatchSignals): number {
  const raw =
    RANKING.wordCoverage * s.wordCoverage +
    RANKING.pairCoverage * (s.pairCoverage ?? s.wordCoverage) +
    RANKING.nameCoverage * s.nameCoverage +
    RANKING.accentAgreement * s.accentAgreement +
    s.levelBonus +
    (s.aliasRank === null ? 0 : RANKING.aliasBonus * Math.max(0, 1 - RANKING.aliasRankDecay * s.aliasRank));
  return raw / MAX_SCORE;
}

/**
 * Whether a procedure answers the query at all. A procedure is never offered for something staff
 * listed as not in the catalogue ("giấy phép lao động") unless its name says it, nor for an alias
 * that such a phrase qualifies ("giấy phép kinh doanh lữ hành nội địa"). An alias is otherwise the
 * staff's word that its procedures are meant, so they stay. Others must cover most of the query's
 * words and enough of its pairs.
 */
function isRelevant(s: MatchSignals): boolean {
  if (s.notHandled) return false;
  if (s.aliasDoc) return true;
  if (s.wordCoverage < RANKING.minWordCoverage) return false;
  if (s.pairCoverage !== null && s.pairCoverage < RANKING.minPairCoverage) return false;
  return score(s) * MAX_SCORE >= RANKING.minScore;
}

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
  private readonly records: readonly ProcedureSummary[];
  private readonly index: TokenIndex;
  /** Each procedure's field and result documents: words a citizen uses that its name may lack. */
  private readonly context: TokenIndex;
  private readonly planner: QueryPlanner;
  private readonly recentPlans = new Map<string, { words: SearchWord[]; plan: QueryPlan }>();
  /** Each alias's match per procedure, by alias (see aliasMatch): a few hundred aliases at most. */
  private readonly aliasMatches = new Map<Alias, AliasMatchList>();
  /** Per-procedure sums, reused by every search (see accumulate). */
  private readonly scratch: {
    words: Float64Array;
    pairs: Float64Array;
    seen: Uint8Array;
    candidates: CandidateList;
    byCeiling: DocHeap;
    literal: Float64Array;
    means: Float64Array;
    match: Float64Array;
    /** The procedures an alias matches, while it is being matched (aliasMatch). */
    aliasSeen: Uint8Array;
    aliasDocs: Int32Array;
    /** Which query words a name word already took, and which were typed with diacritics (nameCoverage). */
    used: Uint8Array;
    accented: Uint8Array;
  };
  /** Each name's words in order, repeats kept ("Cấp lại … lái xe" has two "lai"). */
  private readonly nameWords: ReadonlyArray<readonly SearchWord[]>;
  private readonly nameWeights: readonly number[];
  private readonly accentedNames: ReadonlyArray<ReadonlySet<string>>;
  private readonly levelBonus: readonly number[];
  private readonly docByCode: ReadonlyMap<string, number>;
  private readonly aliases: AliasTable;

  constructor(
    catalog: ProcedureCatalog,
    private readonly text: VietnameseText,
    aliases: AliasTable,
    stopPhrases: readonly (readonly SearchWord[])[],
  ) {
    this.records = catalog.summaries;
    // Names go through the same synonyms as queries: "Cấp mới …" and "cấp …" are one thing.
    this.nameWords = this.records.map((r) => aliases.rewriteSynonyms(searchWords(text, r.name.replace(SCOPE_NOTE, ' '))));
    this.index = new TokenIndex(this.nameWords.map((words) => words.map((w) => w.folded)));
    this.context = new TokenIndex(
      this.records.map((r) => searchTokens(text, [r.field, ...r.results].join(' . ').slice(0, MAX_CONTEXT_CHARS))),
    );
    this.nameWeights = this.nameWords.map((words) => sum(words.map((w) => this.index.idf(w.folded))));
    this.accentedNames = this.nameWords.map((words) => new Set(words.map((w) => w.accented)));
    this.levelBonus = this.records.map((r) =>
      r.levels.includes('province') ? RANKING.provinceBonus : r.levels.includes('commune') ? RANKING.communeBonus : 0,
    );
    this.docByCode = new Map(this.records.map((r, i) => [r.code, i]));
    const n = this.records.length;
    const numbers = () => new Float64Array(n);
    this.scratch = { words: numbers(), pairs: numbers(), seen: new Uint8Array(n), candidates: { docs: new Int32Array(n), count: 0 }, byCeiling: new DocHeap(n), literal: numbers(), means: numbers(), match: numbers(), aliasSeen: new Uint8Array(n), aliasDocs: new Int32Array(n), used: new Uint8Array(64), accented: new Uint8Array(64) };
    const speller = new ContextSpeller(this.nameWords.map((words) => words.map((w) => w.folded)));
    this.planner = new QueryPlanner(this.index, aliases, stopPhrases, speller, (w) => text.isKnownSyllable(w), PLANNER);
    this.aliases = aliases;
  }

  /**
   * Matches every alias now (some 20 ms) rather than when a query first names it: the server's
   * start-up warm-up calls it, so no citizen's first question pays for it. Left out of loading on
   * purpose: the table is a cache, and building it grows the heap the load is measured by.
   */
  matchAllAliases(): void {
    for (const alias of this.aliases.all) this.aliasMatchOf(this.planner.aliasWeights(alias));
  }

  /** Builds the search from knowledge/ (aliases.json, lexicon/search-stopwords.txt). */
  static load(knowledgeDir: string, catalog: ProcedureCatalog, text: VietnameseText): ProcedureSearch {
    const aliases = AliasTable.fromFile(
      join(knowledgeDir, 'aliases.json'),
      (s) => searchWords(text, s),
      (code) => catalog.has(code),
    );
    // Place names are details, like the conversational words: neither names a procedure.
    const stopPhrases = [...readPhraseList(join(knowledgeDir, 'lexicon', 'search-stopwords.txt')), ...readPhraseList(join(knowledgeDir, 'lexicon', 'places.txt'))]
      .map((line) => searchWords(text, line))
      .filter((words) => words.length > 0)
      .sort((a, b) => b.length - a.length);
    return new ProcedureSearch(catalog, text, aliases, stopPhrases);
  }

  search(query: string, limit = 5): ProcedureHit[] {
    const { words, plan } = this.planFor(query);
    const direct = words.find((w) => PROCEDURE_CODE.test(w.folded) && this.docByCode.has(w.folded));
    if (direct !== undefined) return [this.hit(this.docByCode.get(direct.folded)!, 1)];
    if (plan.unigrams.length === 0 && plan.aliases.length === 0) return [];
    return this.rank(plan, Math.max(0, limit)).map(({ doc, score }) => this.hit(doc, score));
  }

  /** The query's words that could name a procedure: stop phrases gone, misspellings corrected. */
  contentWords(query: string): string[] {
    return this.planFor(query).plan.words.map((w) => w.folded);
  }

  /**
   * The things staff listed as not in the catalogue that the query names ("giấy phép lao động"),
   * each as its word pairs: a procedure whose name lacks them does not answer the query.
   */
  notHandledIn(query: string): readonly (readonly string[])[] {
    const folded = this.planFor(query).words.map((w) => w.folded);
    // Every listed phrase, those inside an alias included ("giấy phép kinh doanh karaoke"): the name
    // search's own hits already weighed an alias against it.
    return this.aliases.matchNotHandled(folded, []).map(({ phrase }) => termsOf(phrase.tokens).slice(phrase.tokens.length));
  }

  /** The codes the query's colloquial names (aliases) list: staff's word that the citizen means one of them. */
  listedByAliases(query: string): ReadonlySet<string> {
    const codes = new Set<string>();
    for (const alias of this.planFor(query).plan.aliases) for (const code of alias.codeRank.keys()) codes.add(code);
    return codes;
  }

  /** Whether the procedure's name has every one of the word pairs (folded, "a b"). */
  nameHasPairs(code: string, pairs: readonly string[]): boolean {
    const doc = this.docByCode.get(code);
    return doc !== undefined && pairs.every((pair) => this.index.docHas(doc, pair));
  }

  /** {@link contentWords} with each word as typed too (its diacritics, when the citizen typed some). */
  contentSearchWords(query: string): readonly SearchWord[] {
    return this.planFor(query).plan.words;
  }

  /** Share of the query's content words that procedure names or aliases use: how "administrative" it sounds. */
  knownShare(query: string): number {
    return this.planFor(query).plan.knownShare;
  }

  /** The query's words and plan; the last few are kept, as one message is often asked both ways. */
  private planFor(query: string): { words: SearchWord[]; plan: QueryPlan } {
    const kept = this.recentPlans.get(query);
    if (kept !== undefined) return kept;
    // A procedure is named in a sentence or two; past that, extra words only cost time.
    const words = searchWords(this.text, query.slice(0, MAX_QUERY_CHARS)).slice(0, MAX_QUERY_WORDS);
    const planned = { words, plan: this.planner.plan(words) };
    if (this.recentPlans.size >= RECENT_PLANS) this.recentPlans.delete(this.recentPlans.keys().next().value!);
    this.recentPlans.set(query, planned);
    return planned;
  }

  /** Every candidate with the signals behind its score, ungated: for tuning and `eval:search --explain`. */
  explain(query: string, limit = 5): (ProcedureHit & { signals: MatchSignals; relevant: boolean })[] {
    const plan = this.planner.plan(searchWords(this.text, query.slice(0, MAX_QUERY_CHARS)));
    const acc = this.accumulate(plan, false);
    const t = totals(plan, this.index);
    return Array.from(acc.candidates.docs.subarray(0, acc.candidates.count))
      .map((doc) => ({ doc, signals: this.signals(doc, plan, t, acc, false) }))
      .map(({ doc, signals }) => ({ ...this.hit(doc, score(signals)), signals, relevant: isRelevant(signals) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /**
   * The `limit` best relevant procedures. Candidates are scored in order of the most they could
   * score (their word and pair coverage are known, the rest taken as perfect), and scoring stops
   * once that ceiling is below the `limit`-th score found: a common word ("cơ sở") makes hundreds
   * of candidates, and few can make the top.
   */
  private rank(plan: QueryPlan, limit: number): { doc: number; score: number }[] {
    if (limit === 0) return [];
    const acc = this.accumulate(plan);
    const t = totals(plan, this.index);
    const byCeiling = this.scratch.byCeiling;
    byCeiling.clear();
    const { docs, count } = acc.candidates;
    for (let i = 0; i < count; i += 1) this.queueByCeiling(docs[i]!, t, acc, byCeiling);
    byCeiling.build();
    const top: { doc: number; score: number }[] = [];
    const better = (a: { doc: number; score: number }, b: { doc: number; score: number }) =>
      b.score - a.score || byCode(this.records[a.doc]!.code, this.records[b.doc]!.code);
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
        this.levelBonus[doc]! +
        alias) /
        MAX_SCORE,
    );
  }

  /**
   * The signals of one candidate. With `gate`, stops early (null) as soon as the cheap coverage
   * checks of {@link isRelevant} fail: most candidates share one common word and no more.
   */
  private signals(doc: number, plan: QueryPlan, t: PlanTotals, acc: Accumulated, gate: false): MatchSignals;
  private signals(doc: number, plan: QueryPlan, t: PlanTotals, acc: Accumulated, gate: true): MatchSignals | null;
  private signals(doc: number, plan: QueryPlan, t: PlanTotals, acc: Accumulated, gate: boolean): MatchSignals | null {
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
        !phrase.pairs.every((pair) => this.index.docHas(doc, pair)) &&
        (!aliasDoc || listedBy.every((a) => a.end === phrase.start)),
    );
    if (gate && notHandled) return null;
    // Words of an alias phrase are the listed procedures' own: "đóng cửa công ty" for "Giải thể doanh nghiệp".
    let accentMatched = 0;
    for (const w of t.accented) {
      if (inListedAlias(w, listedBy) || this.accentedNames[doc]!.has(w.accented)) accentMatched += this.index.idf(w.folded);
    }
    // The formal words stand in for the alias phrase, unless the citizen typed them already.
    const nameWords = aliasDoc
      ? [...plan.words, ...listedBy.flatMap((a) => a.meansWords).filter((w) => !t.typed.has(w.folded))]
      : plan.words;
    return {
      wordCoverage,
      pairCoverage: pairs,
      nameCoverage: this.nameCoverage(doc, nameWords),
      accentAgreement: t.accentWeight > 0 ? accentMatched / t.accentWeight : wordCoverage,
      levelBonus: this.levelBonus[doc]!,
      aliasDoc,
      aliasRank: aliasDoc ? Math.min(...listedBy.map((a) => a.codeRank.get(this.records[doc]!.code)!)) : null,
      notHandled,
    };
  }

  /**
   * Matched word and pair weights of every procedure, added up term by term over the posting lists
   * (term-at-a-time), so the cost follows the query's posting lists rather than candidates × terms.
   */
  private accumulate(plan: QueryPlan, prune = true): Accumulated {
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
    const named = this.index.docsWith(q.term);
    const inContext = this.context.docsWith(q.term);
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
  private addTermToCandidates(q: QueryTerm, into: Float64Array, named: ArrayLike<number>, inContext: ArrayLike<number>): void {
    const { docs, count } = this.scratch.candidates;
    for (let i = 0; i < count; i += 1) {
      const doc = docs[i]!;
      if (postingHas(named, doc)) into[doc] = into[doc]! + q.weight;
      else if (postingHas(inContext, doc)) into[doc] = into[doc]! + RANKING.contextShare * q.weight;
    }
  }

  /** How well each procedure matches an alias phrase: listed code, the phrase itself, its words, or the formal words. */
  private addAlias(alias: AliasTerm, plan: QueryPlan, acc: Accumulated): void {
    const { docs, values } = this.aliasMatchOf(alias);
    for (const code of alias.codeRank.keys()) {
      const doc = this.docByCode.get(code);
      if (doc === undefined) continue;
      const listed = acc.listedBy.get(doc);
      if (listed === undefined) acc.listedBy.set(doc, [alias]);
      else listed.push(alias);
      // The alias's own word pairs are the listed procedure's, whatever its name says.
      for (const pair of plan.bigrams) {
        if (pair.alias !== alias || this.index.docHas(doc, pair.term)) continue;
        const already = this.context.docHas(doc, pair.term) ? RANKING.contextShare * pair.weight : 0;
        acc.pairs[doc] = acc.pairs[doc]! + pair.weight - already;
      }
    }
    for (let i = 0; i < docs.length; i += 1) {
      const doc = docs[i]!;
      acc.words[doc] = acc.words[doc]! + alias.weight * values[i]!;
      this.admit(doc);
    }
  }

  /** {@link aliasMatch}, worked out once per alias and kept: a few hundred aliases at most. */
  private aliasMatchOf(alias: AliasWeights): AliasMatchList {
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
      const byLiteral = words === 1 && this.nameHasPhrase(doc, alias.phrase) ? 1 : RANKING.aliasLiteralShare * words;
      match[doc] = Math.max(byLiteral, RANKING.aliasMeansShare * means[doc]!);
    }
    for (const [code, rank] of alias.codeRank) {
      const doc = this.docByCode.get(code);
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
      const docs = this.index.docsWith(q.term);
      for (let i = 0; i < docs.length; i += 1) {
        const doc = docs[i]!;
        note(doc);
        into[doc] = into[doc]! + q.weight / total;
      }
    }
  }

  private nameHasPhrase(doc: number, phrase: readonly string[]): boolean {
    const name = this.nameWords[doc]!;
    if (phrase.length < 2) return false;
    for (let i = 0; i + phrase.length <= name.length; i += 1) {
      if (phrase.every((t, k) => name[i + k]!.folded === t)) return true;
    }
    return false;
  }

  /**
   * How much of the name the query accounts for, each query word covering one name word: the
   * query "cap giay phep lai xe" covers all of "Cấp giấy phép lái xe" but leaves one "lai" of
   * "Cấp lại giấy phép lái xe" uncovered. Diacritics the citizen typed must agree.
   */
  private nameCoverage(doc: number, queryWords: readonly SearchWord[]): number {
    // Plain loops and reused flag arrays: this runs for every candidate ranked.
    if (this.scratch.used.length < queryWords.length) {
      this.scratch.used = new Uint8Array(queryWords.length * 2);
      this.scratch.accented = new Uint8Array(queryWords.length * 2);
    }
    const { used, accented } = this.scratch;
    for (let i = 0; i < queryWords.length; i += 1) {
      used[i] = 0;
      accented[i] = hasDiacritics(queryWords[i]!.accented) ? 1 : 0;
    }
    let covered = 0;
    for (const word of this.nameWords[doc]!) {
      for (let i = 0; i < queryWords.length; i += 1) {
        const q = queryWords[i]!;
        if (used[i] === 1 || (accented[i] === 1 ? q.accented !== word.accented : q.folded !== word.folded)) continue;
        used[i] = 1;
        covered += this.index.idf(word.folded);
        break;
      }
    }
    return Math.min(1, covered / (this.nameWeights[doc] || 1));
  }

  private hit(doc: number, score: number): ProcedureHit {
    const record = this.records[doc]!;
    return { code: record.code, name: record.name, score: Math.round(Math.min(1, score) * 1000) / 1000 };
  }
}
