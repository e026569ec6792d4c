import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import type { ProcedureRecord } from '../catalogue/procedure-record.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import { AliasTable } from './alias-table.ts';
import { ContextSpeller } from './context-speller.ts';
import { QueryPlanner, sum, type AliasTerm, type QueryPlan, type QueryTerm } from './query-planner.ts';
import { hasDiacritics, searchTokens, searchWords, type SearchWord } from './search-tokens.ts';
import { TokenIndex } from './token-index.ts';

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
  aliasMeansShare: 0.8,
  /** A name that has the alias's words but not as a phrase ("đóng cửa chi nhánh, công ty con") is a weaker match. */
  aliasLiteralShare: 0.7,
  minWordCoverage: 0.65,
  minPairCoverage: 0.35,
  minScore: 0.5,
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
  RANKING.wordCoverage + RANKING.pairCoverage + RANKING.nameCoverage + RANKING.accentAgreement + RANKING.provinceBonus;
const MAX_QUERY_CHARS = 1_000;
const MAX_QUERY_WORDS = 60;
const PROCEDURE_CODE = /^\d+\.\d{6}$/;
/** Scope notes say which level handles a variant; they are not words a citizen searches for. */
const SCOPE_NOTE = /\((?:thực hiện )?tại cấp [^)]*\)/giu;

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
  private readonly records: readonly ProcedureRecord[];
  private readonly index: TokenIndex;
  private readonly planner: QueryPlanner;
  /** Each name's words in order, repeats kept ("Cấp lại … lái xe" has two "lai"). */
  private readonly nameWords: ReadonlyArray<readonly SearchWord[]>;
  private readonly nameWeights: readonly number[];
  private readonly accentedNames: ReadonlyArray<ReadonlySet<string>>;
  private readonly levelBonus: readonly number[];
  private readonly docByCode: ReadonlyMap<string, number>;

  constructor(
    catalog: ProcedureCatalog,
    private readonly text: VietnameseText,
    aliases: AliasTable,
    stopPhrases: readonly (readonly SearchWord[])[],
  ) {
    this.records = catalog.records;
    this.nameWords = this.records.map((r) => searchWords(text, r.name.replace(SCOPE_NOTE, ' ')));
    this.index = new TokenIndex(this.nameWords.map((words) => words.map((w) => w.folded)));
    this.nameWeights = this.nameWords.map((words) => sum(words.map((w) => this.index.idf(w.folded))));
    this.accentedNames = this.nameWords.map((words) => new Set(words.map((w) => w.accented)));
    this.levelBonus = this.records.map((r) =>
      r.levels.includes('province') ? RANKING.provinceBonus : r.levels.includes('commune') ? RANKING.communeBonus : 0,
    );
    this.docByCode = new Map(this.records.map((r, i) => [r.code, i]));
    const speller = new ContextSpeller(this.nameWords.map((words) => words.map((w) => w.folded)));
    this.planner = new QueryPlanner(this.index, aliases, stopPhrases, speller, PLANNER);
  }

  /** Builds the search from knowledge/ (aliases.json, lexicon/search-stopwords.txt). */
  static load(knowledgeDir: string, catalog: ProcedureCatalog, text: VietnameseText): ProcedureSearch {
    const aliases = AliasTable.fromFile(
      join(knowledgeDir, 'aliases.json'),
      (s) => searchTokens(text, s),
      (code) => catalog.has(code),
    );
    const stopPhrases = readFileSync(join(knowledgeDir, 'lexicon', 'search-stopwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#'))
      .map((line) => searchWords(text, line))
      .filter((words) => words.length > 0)
      .sort((a, b) => b.length - a.length);
    return new ProcedureSearch(catalog, text, aliases, stopPhrases);
  }

  search(query: string, limit = 5): ProcedureHit[] {
    // A procedure is named in a sentence or two; past that, extra words only cost time.
    const words = searchWords(this.text, query.slice(0, MAX_QUERY_CHARS)).slice(0, MAX_QUERY_WORDS);
    const direct = words.find((w) => PROCEDURE_CODE.test(w.folded) && this.docByCode.has(w.folded));
    if (direct !== undefined) return [this.hit(this.docByCode.get(direct.folded)!, 1)];
    const plan = this.planner.plan(words);
    if (plan.unigrams.length === 0 && plan.aliases.length === 0) return [];
    return this.rank(plan)
      .slice(0, Math.max(0, limit))
      .map(({ doc, score }) => this.hit(doc, score));
  }

  private rank(plan: QueryPlan): { doc: number; score: number }[] {
    const totalWords = sum(plan.unigrams.map((q) => q.weight)) + sum(plan.aliases.map((a) => a.weight));
    const totalPairs = sum(plan.bigrams.map((q) => q.weight));
    const accented = plan.words.filter((w) => hasDiacritics(w.accented));
    const totalAccented = sum(accented.map((w) => this.index.idf(w.folded)));
    const scored: { doc: number; score: number }[] = [];
    for (const doc of this.candidates(plan)) {
      const aliasDoc = plan.aliases.some((a) => a.codeRank.has(this.records[doc]!.code));
      const matchedWords =
        this.matched(doc, plan.unigrams) + sum(plan.aliases.map((a) => a.weight * this.aliasMatch(doc, a)));
      const wordCoverage = totalWords > 0 ? matchedWords / totalWords : 0;
      if (wordCoverage < RANKING.minWordCoverage && !aliasDoc) continue;
      const pairCoverage = totalPairs > 0 ? this.matchedPairs(doc, plan.bigrams) / totalPairs : wordCoverage;
      const accentAgreement =
        totalAccented > 0
          ? sum(accented.filter((w) => this.accentedNames[doc]!.has(w.accented)).map((w) => this.index.idf(w.folded))) /
            totalAccented
          : wordCoverage;
      const score =
        RANKING.wordCoverage * wordCoverage +
        RANKING.pairCoverage * pairCoverage +
        RANKING.nameCoverage * this.nameCoverage(doc, plan.words) +
        RANKING.accentAgreement * accentAgreement +
        this.levelBonus[doc]!;
      // An alias is the staff's word that this procedure is meant: it always stays a candidate.
      const relevant =
        aliasDoc ||
        (score >= RANKING.minScore && (totalPairs === 0 || pairCoverage >= RANKING.minPairCoverage));
      if (relevant) scored.push({ doc, score: score / MAX_SCORE });
    }
    return scored.sort(
      (a, b) => b.score - a.score || this.records[a.doc]!.code.localeCompare(this.records[b.doc]!.code),
    );
  }

  private candidates(plan: QueryPlan): Set<number> {
    const docs = new Set<number>();
    const terms = [...plan.unigrams, ...plan.aliases.flatMap((a) => [...a.literal, ...a.means])];
    for (const { term } of terms) for (const doc of this.index.docsWith(term)) docs.add(doc);
    for (const alias of plan.aliases) {
      for (const code of alias.codeRank.keys()) {
        const doc = this.docByCode.get(code);
        if (doc !== undefined) docs.add(doc);
      }
    }
    return docs;
  }

  private matched(doc: number, terms: readonly QueryTerm[]): number {
    let total = 0;
    for (const q of terms) if (this.index.docHas(doc, q.term)) total += q.weight;
    return total;
  }

  /** Like {@link matched}, but a pair inside an alias phrase also matches the alias's listed procedures. */
  private matchedPairs(doc: number, pairs: readonly QueryTerm[]): number {
    const code = this.records[doc]!.code;
    let total = 0;
    for (const q of pairs) if (this.index.docHas(doc, q.term) || q.alias?.codeRank.has(code)) total += q.weight;
    return total;
  }

  /** How well a document matches an alias phrase: listed code, its own words, or its formal words. */
  private aliasMatch(doc: number, alias: AliasTerm): number {
    const rank = alias.codeRank.get(this.records[doc]!.code);
    const byCode = rank === undefined ? 0 : Math.max(0.5, 1 - RANKING.aliasRankDecay * rank);
    const byWords = (terms: readonly QueryTerm[]) => {
      const total = sum(terms.map((q) => q.weight));
      return total > 0 ? this.matched(doc, terms) / total : 0;
    };
    // The formal words are a weaker sign than the staff's own list of codes.
    return Math.max(byCode, this.literalAliasMatch(doc, alias), RANKING.aliasMeansShare * byWords(alias.means));
  }

  /** The alias phrase itself in the name counts in full ("giấy phép lái xe" for "gplx"); its words alone, less. */
  private literalAliasMatch(doc: number, alias: AliasTerm): number {
    const total = sum(alias.literal.map((q) => q.weight));
    if (total === 0) return 0;
    const words = this.matched(doc, alias.literal) / total;
    const phrase = alias.phrasePairs.length > 0 && alias.phrasePairs.every((pair) => this.index.docHas(doc, pair));
    return phrase && words === 1 ? 1 : RANKING.aliasLiteralShare * words;
  }

  /**
   * How much of the name the query accounts for, each query word covering one name word: the
   * query "cap giay phep lai xe" covers all of "Cấp giấy phép lái xe" but leaves one "lai" of
   * "Cấp lại giấy phép lái xe" uncovered. Diacritics the citizen typed must agree.
   */
  private nameCoverage(doc: number, queryWords: readonly SearchWord[]): number {
    const unused = [...queryWords];
    let covered = 0;
    for (const word of this.nameWords[doc]!) {
      const i = unused.findIndex((q) =>
        hasDiacritics(q.accented) ? q.accented === word.accented : q.folded === word.folded,
      );
      if (i < 0) continue;
      unused.splice(i, 1);
      covered += this.index.idf(word.folded);
    }
    return Math.min(1, covered / (this.nameWeights[doc] || 1));
  }

  private hit(doc: number, score: number): ProcedureHit {
    const record = this.records[doc]!;
    return { code: record.code, name: record.name, score: Math.round(Math.min(1, score) * 1000) / 1000 };
  }
}
