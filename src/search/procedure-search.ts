import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fuse from 'fuse.js';
import type { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import type { ProcedureRecord } from '../catalogue/procedure-record.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import { AliasTable, type AliasMatch } from './alias-table.ts';
import { hasDiacritics, searchText, searchTokens, type SearchText } from './search-tokens.ts';
import { TokenIndex, termsOf } from './token-index.ts';

/** One ranked search result. `score` is in [0, 1]; higher is better. */
export interface ProcedureHit {
  code: string;
  name: string;
  score: number;
}

/** Tunable weights of the ranking, kept together so their balance is visible. */
const RANKING = {
  unigramCoverage: 0.6,
  bigramCoverage: 0.25,
  nameCoverage: 0.15,
  /** Share for agreeing on the diacritics the citizen did type ("lái" is not "lại"). */
  accentAgreement: 0.1,
  /** Weight of a query bigram no name has, relative to its rarer word: the phrase is not in the catalogue. */
  unknownBigramShare: 0.5,
  provinceBonus: 0.03,
  communeBonus: 0.015,
  aliasBoost: 0.3,
  aliasRankDecay: 0.03,
  /** Weight of a query word the catalogue has never seen: it is probably what the citizen wants most. */
  unknownWordShare: 0.7,
  minCoverage: 0.65,
  minScore: 0.5,
  /** Below this share of its word pairs, a multi-word query is about something else. */
  minBigramCoverage: 0.35,
  fuzzyMaxScore: 0.34,
  fuzzyMinLength: 3,
} as const;

/** The best score a document can reach, so reported scores stay in [0, 1]. */
const MAX_SCORE =
  RANKING.unigramCoverage +
  RANKING.bigramCoverage +
  RANKING.nameCoverage +
  RANKING.accentAgreement +
  RANKING.provinceBonus +
  RANKING.aliasBoost;
const PROCEDURE_CODE = /^\d+\.\d{6}$/;
const SCOPE_NOTE = /\((?:thực hiện )?tại cấp [^)]*\)/giu;

interface QueryTerm {
  term: string;
  /** How much the term counts: idf, scaled down for fuzzy corrections. */
  weight: number;
  known: boolean;
}

interface PreparedQuery {
  unigrams: QueryTerm[];
  bigrams: QueryTerm[];
  /** The content words after alias rewriting and stop-word removal, fuzzy corrections included. */
  words: Word[];
  /** Words typed with diacritics, with their idf. */
  accented: QueryTerm[];
  aliasCodes: readonly string[];
  /** Share of the query's weight that the matched aliases account for. */
  aliasShare: number;
}

/** One query word, folded and as typed. */
interface Word {
  folded: string;
  accented: string;
}

/**
 * Finds procedures from what citizens type: half-remembered names, no diacritics, abbreviations,
 * colloquial names, typos.
 *
 * @remarks
 * Ranking is an idf-weighted coverage over folded syllables and bigrams (an inverted index), so a
 * query word the catalogue does not know lowers the score: a procedure the catalogue lacks gets an
 * honest empty result instead of an unrelated one. fuse.js corrects misspelt words against the
 * catalogue's vocabulary. Aliases rewrite colloquial names into formal ones and boost their codes.
 */
export class ProcedureSearch {
  private readonly index: TokenIndex;
  private readonly records: readonly ProcedureRecord[];
  /** Each name's words, folded and accented, in order (repeats kept: "Cấp lại … lái xe" has two "lai"). */
  private readonly nameWords: ReadonlyArray<readonly Word[]>;
  private readonly nameWeights: readonly number[];
  private readonly levelBonus: readonly number[];
  private readonly accentedNames: ReadonlyArray<ReadonlySet<string>>;
  private readonly docByCode: ReadonlyMap<string, number>;
  private readonly vocabulary: ReadonlySet<string>;
  private readonly fuzzyVocabulary: Fuse<string>;
  private readonly corrections = new Map<string, QueryTerm[]>();

  constructor(
    catalog: ProcedureCatalog,
    private readonly text: VietnameseText,
    private readonly aliases: AliasTable,
    private readonly stopPhrases: readonly (readonly Word[])[],
  ) {
    this.records = catalog.records;
    const names = this.records.map((r) => searchText(text, r.name.replace(SCOPE_NOTE, ' ')));
    const docs = names.map((n) => n.folded);
    this.accentedNames = names.map((n) => new Set(n.accented));
    this.index = new TokenIndex(docs);
    this.nameWords = names.map(wordsOf);
    this.nameWeights = docs.map((tokens) => sum(tokens.map((t) => this.index.idf(t))));
    this.levelBonus = this.records.map((r) =>
      r.levels.includes('province') ? RANKING.provinceBonus : r.levels.includes('commune') ? RANKING.communeBonus : 0,
    );
    this.docByCode = new Map(this.records.map((r, i) => [r.code, i]));
    this.vocabulary = new Set(this.index.vocabulary());
    this.fuzzyVocabulary = new Fuse([...this.vocabulary].filter((t) => t.length >= RANKING.fuzzyMinLength), {
      includeScore: true,
      threshold: RANKING.fuzzyMaxScore,
      ignoreLocation: true,
    });
  }

  /** Builds the search from knowledge/ (aliases.json, lexicon/search-stopwords.txt). */
  static load(knowledgeDir: string, catalog: ProcedureCatalog, text: VietnameseText): ProcedureSearch {
    const tokenize = (s: string) => searchTokens(text, s);
    const aliases = AliasTable.fromFile(join(knowledgeDir, 'aliases.json'), tokenize, (c) => catalog.has(c));
    const stopPhrases = readFileSync(join(knowledgeDir, 'lexicon', 'search-stopwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#'))
      .map((line) => wordsOf(searchText(text, line)))
      .filter((words) => words.length > 0)
      .sort((a, b) => b.length - a.length);
    return new ProcedureSearch(catalog, text, aliases, stopPhrases);
  }

  search(query: string, limit = 5): ProcedureHit[] {
    const words = wordsOf(searchText(this.text, query));
    const direct = words.find((w) => PROCEDURE_CODE.test(w.folded) && this.docByCode.has(w.folded));
    if (direct !== undefined) return [this.hit(this.docByCode.get(direct.folded)!, 1)];
    const prepared = this.prepare(words);
    if (prepared.unigrams.length === 0 && prepared.aliasCodes.length === 0) return [];
    return this.rank(prepared)
      .slice(0, Math.max(0, limit))
      .map(({ doc, score }) => this.hit(doc, score));
  }

  private prepare(words: readonly Word[]): PreparedQuery {
    const matches = this.aliases.match(words.map((w) => w.folded));
    const rewritten = this.rewriteAliases(words, matches);
    const content = this.removeStopPhrases(rewritten);
    const unigrams = uniqueBy(content, (w) => w.folded).flatMap((w) => this.weigh(w.folded));
    const knownSequence = content.map((w) => w.folded).filter((t) => this.vocabulary.has(t));
    const bigrams = termsOf(knownSequence)
      .slice(knownSequence.length)
      .map((term) => this.weighBigram(term));
    const accented = uniqueBy(content, (w) => w.accented)
      .filter((w) => hasDiacritics(w.accented) && this.vocabulary.has(w.folded))
      .map((w) => ({ term: w.accented, weight: this.index.idf(w.folded), known: true }));
    const aliasWords = new Set(matches.flatMap((m) => (m.alias.means.length > 0 ? m.alias.means : m.alias.tokens)));
    const total = sum(unigrams.map((q) => q.weight));
    const aliasWeight = sum(unigrams.filter((q) => aliasWords.has(q.term)).map((q) => q.weight));
    const corrected = unigrams.filter((q) => !content.some((w) => w.folded === q.term));
    return {
      words: [...content, ...corrected.map((q) => ({ folded: q.term, accented: q.term }))],
      unigrams,
      bigrams,
      accented,
      aliasCodes: matches.flatMap((m) => m.alias.codes),
      aliasShare: total > 0 ? aliasWeight / total : matches.length > 0 ? 1 : 0,
    };
  }

  private weighBigram(term: string): QueryTerm {
    if (this.index.has(term)) return { term, weight: this.index.idf(term), known: true };
    const [left, right] = term.split(' ') as [string, string];
    const weight = RANKING.unknownBigramShare * Math.min(this.index.idf(left), this.index.idf(right));
    return { term, weight, known: false };
  }

  private rewriteAliases(words: readonly Word[], matches: readonly AliasMatch[]): Word[] {
    const out: Word[] = [];
    let cursor = 0;
    for (const match of matches) {
      out.push(...words.slice(cursor, match.start));
      const means = match.alias.means.map((folded) => ({ folded, accented: folded }));
      out.push(...(means.length > 0 ? means : words.slice(match.start, match.end)));
      cursor = match.end;
    }
    out.push(...words.slice(cursor));
    return out;
  }

  private removeStopPhrases(words: readonly Word[]): Word[] {
    const out: Word[] = [];
    for (let i = 0; i < words.length; ) {
      const stop = this.stopPhrases.find((phrase) => phrase.every((w, k) => sameWord(words[i + k], w)));
      if (stop) {
        i += stop.length;
      } else {
        out.push(words[i]!);
        i += 1;
      }
    }
    return out;
  }

  /** A query word as weighted terms: itself when known, else fuzzy corrections or a split "dangky". */
  private weigh(token: string): QueryTerm[] {
    if (this.vocabulary.has(token)) return [{ term: token, weight: this.index.idf(token), known: true }];
    if (/^\d+$/.test(token)) return [];
    const cached = this.corrections.get(token);
    if (cached) return cached;
    const corrected = this.correct(token);
    if (this.corrections.size > 10_000) this.corrections.clear();
    this.corrections.set(token, corrected);
    return corrected;
  }

  private correct(token: string): QueryTerm[] {
    const split = this.splitJoined(token);
    if (split) return split;
    const unknown: QueryTerm = { term: token, weight: this.index.maxIdf() * RANKING.unknownWordShare, known: false };
    if (token.length < RANKING.fuzzyMinLength) return [unknown];
    const best = this.fuzzyVocabulary.search(token, { limit: 1 })[0];
    if (best === undefined || best.score === undefined || best.item.length < token.length - 2) return [unknown];
    // The correction counts as much as the unknown word would, scaled by how sure we are of it.
    return [{ term: best.item, weight: unknown.weight * (1 - best.score), known: true }];
  }

  private splitJoined(token: string): QueryTerm[] | null {
    for (let i = 2; i <= token.length - 2; i += 1) {
      const left = token.slice(0, i);
      const right = token.slice(i);
      if (this.index.has(`${left} ${right}`)) {
        return [left, right].map((term) => ({ term, weight: this.index.idf(term), known: true }));
      }
    }
    return null;
  }

  private rank(query: PreparedQuery): { doc: number; score: number }[] {
    const aliasRank = new Map<number, number>();
    query.aliasCodes.forEach((code, rank) => {
      const doc = this.docByCode.get(code);
      if (doc !== undefined && !aliasRank.has(doc)) aliasRank.set(doc, rank);
    });
    const candidates = new Set<number>(aliasRank.keys());
    for (const { term } of query.unigrams) for (const doc of this.index.docsWith(term)) candidates.add(doc);

    const totalUnigram = sum(query.unigrams.map((q) => q.weight));
    const totalBigram = sum(query.bigrams.map((q) => q.weight));
    const totalAccented = sum(query.accented.map((q) => q.weight));
    const scored: { doc: number; score: number }[] = [];
    for (const doc of candidates) {
      const matched = sum(query.unigrams.filter((q) => this.index.docHas(doc, q.term)).map((q) => q.weight));
      const coverage = totalUnigram > 0 ? matched / totalUnigram : 0;
      const rank = aliasRank.get(doc);
      if (coverage < RANKING.minCoverage && rank === undefined) continue;
      const bigramMatched = sum(query.bigrams.filter((q) => this.index.docHas(doc, q.term)).map((q) => q.weight));
      const bigramCoverage = totalBigram > 0 ? bigramMatched / totalBigram : coverage;
      const nameCoverage = this.nameCoverage(doc, query.words);
      const aliasBonus =
        rank === undefined ? 0 : query.aliasShare * Math.max(0, RANKING.aliasBoost - RANKING.aliasRankDecay * rank);
      const accentMatched = sum(query.accented.filter((q) => this.accentedNames[doc]!.has(q.term)).map((q) => q.weight));
      const accentAgreement = totalAccented > 0 ? accentMatched / totalAccented : coverage;
      const score =
        RANKING.unigramCoverage * coverage +
        RANKING.bigramCoverage * bigramCoverage +
        RANKING.nameCoverage * nameCoverage +
        RANKING.accentAgreement * accentAgreement +
        this.levelBonus[doc]! +
        aliasBonus;
      // An alias is the staff's word that this procedure is meant: it always stays a candidate.
      const relevant =
        rank !== undefined ||
        (score >= RANKING.minScore && (totalBigram === 0 || bigramCoverage >= RANKING.minBigramCoverage));
      if (relevant) scored.push({ doc, score: score / MAX_SCORE });
    }
    return scored.sort((a, b) => b.score - a.score || this.records[a.doc]!.code.localeCompare(this.records[b.doc]!.code));
  }

  /**
   * How much of the name the query accounts for, each query word covering one name word: the
   * query "cap giay phep lai xe" covers all of "Cấp giấy phép lái xe" but leaves one "lai" of
   * "Cấp lại giấy phép lái xe" uncovered. Diacritics the citizen typed must agree.
   */
  private nameCoverage(doc: number, queryWords: readonly Word[]): number {
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
    return { code: record.code, name: record.name, score: Math.round(score * 1000) / 1000 };
  }
}

function wordsOf(text: SearchText): Word[] {
  return text.folded.map((folded, i) => ({ folded, accented: text.accented[i] ?? folded }));
}

/** A typed word matches a stop word by its diacritics when it has them ("hội" is not "hỏi"), else folded. */
function sameWord(word: Word | undefined, stop: Word): boolean {
  if (word === undefined) return false;
  return hasDiacritics(word.accented) ? word.accented === stop.accented : word.folded === stop.folded;
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
