import { FuzzyVocabulary } from './fuzzy-vocabulary.ts';
import { sum, uniqueBy } from '../shared/lists.ts';
import type { Alias, AliasTable } from './alias-table.ts';
import { hasDiacritics, type SearchWord } from './search-tokens.ts';
import type { ContextSpeller } from './context-speller.ts';
import { termsOf, type TokenIndex } from './token-index.ts';

/** Longer than any Vietnamese syllable, even typed with Telex keys. */
const MAX_WORD_LENGTH = 16;

/** A weighted term of a query: a folded word, or two words joined by a space. */
export interface QueryTerm {
  term: string;
  /** How much the term counts: its idf, scaled for unknown words and fuzzy corrections. */
  weight: number;
  /** For a word pair inside an alias phrase: that alias (its listed procedures match the pair). */
  alias?: AliasTerm;
}

/**
 * A colloquial phrase of the query ("sổ đỏ"): a document matches it by being one of the alias's
 * codes, or by containing the phrase's own words, or the formal words it stands for.
 */
export interface AliasTerm extends AliasWeights {
  /** Positions of the phrase's words in the query. */
  positions: ReadonlySet<number>;
  /** Just past the phrase's last word. */
  end: number;
}

/** The part of an alias term that is the same in every query. */
export interface AliasWeights {
  /** The alias table's entry: everything but the positions follows from it. */
  source: Alias;
  weight: number;
  /** Procedure code → rank in the alias's list (0 = most likely). */
  codeRank: ReadonlyMap<string, number>;
  literal: QueryTerm[];
  /** The phrase's folded words, in order. */
  phrase: string[];
  means: QueryTerm[];
  /** The formal words, for name coverage of the listed procedures. */
  meansWords: SearchWord[];
}

/** A content word of the query; `position` is its index in the query (absent for a fuzzy correction). */
export interface QueryWord extends SearchWord {
  position?: number;
}

export interface QueryPlan {
  /** Content words outside alias phrases, with fuzzy corrections. */
  unigrams: QueryTerm[];
  /** Adjacent pairs of the content words (alias words included), known to the index or not. */
  bigrams: QueryTerm[];
  aliases: AliasTerm[];
  /** Content words as typed (accented when the citizen typed diacritics), for name coverage. */
  words: QueryWord[];
  /** Phrases staff listed as not in the catalogue ("giấy phép lao động"), as word pairs. */
  notHandled: { pairs: string[]; start: number }[];
  /** Share of the content words (as typed, spelling fixed) that procedure names or aliases use. */
  knownShare: number;
}

export interface PlannerSettings {
  /** Weight of a word the catalogue never saw, as a share of the largest idf. */
  unknownWordShare: number;
  /** Weight of an unknown word pair, as a share of its rarer word's idf. */
  unknownBigramShare: number;
  /** An alias phrase weighs at least this share of the largest idf: it names a whole concept. */
  minAliasShare: number;
  fuzzyMaxScore: number;
  fuzzyMinLength: number;
  /** A stop word typed without diacritics stays a content word when this many names have it. */
  maxStopWordNames: number;
}

/**
 * Turns a tokenised query into weighted terms: finds alias phrases, drops stop phrases
 * ("cho em hỏi", "thủ tục"), and corrects misspelt or joined words against the catalogue's vocabulary
 * with fuse.js.
 */
export class QueryPlanner {
  private readonly vocabulary: ReadonlySet<string>;
  private readonly fuzzyVocabulary: FuzzyVocabulary;
  private readonly corrections = new Map<string, QueryTerm[]>();
  private readonly aliasTerms = new Map<Alias, AliasWeights>();
  /** Stop phrases by their first word (folded), longest first: looked up at every word of every query. */
  private readonly stopPhrasesByFirstWord = new Map<string, (readonly SearchWord[])[]>();

  constructor(
    private readonly index: TokenIndex,
    private readonly aliases: AliasTable,
    stopPhrases: readonly (readonly SearchWord[])[],
    private readonly speller: ContextSpeller,
    private readonly isKnownSyllable: (folded: string) => boolean,
    private readonly settings: PlannerSettings,
  ) {
    this.vocabulary = new Set(index.vocabulary());
    for (const phrase of stopPhrases) {
      const first = phrase[0];
      if (first === undefined) continue;
      this.stopPhrasesByFirstWord.set(first.folded, [...(this.stopPhrasesByFirstWord.get(first.folded) ?? []), phrase]);
    }
    this.fuzzyVocabulary = new FuzzyVocabulary(
      [...this.vocabulary].filter((t) => t.length >= settings.fuzzyMinLength),
      settings.fuzzyMaxScore,
    );
  }

  plan(typed: readonly SearchWord[]): QueryPlan {
    const words = this.aliases.rewriteSynonyms(this.spell(typed));
    const folded = words.map((w) => w.folded);
    const matches = this.aliases.match(folded);
    const notHandled = this.aliases
      .matchNotHandled(folded, matches)
      .map(({ phrase, start }) => ({ pairs: termsOf(phrase.tokens).slice(phrase.tokens.length), start }));
    const inAlias = new Set(matches.flatMap((m) => m.positions));
    // Objects written out, not spread: a spread copy took a fifth of a long query's plan.
    const content = this.removeStopPhrases(
      words.map((w, i) => ({ folded: w.folded, accented: w.accented, inAlias: inAlias.has(i), position: i })),
    );
    const plain = content.filter((w) => !w.inAlias);
    const unigrams = uniqueBy(plain, (w) => w.folded).flatMap((w) => this.weigh(w.folded));
    const aliases = matches.map((m) => this.aliasTerm(m.positions, m.alias));
    const bigrams = this.pairs(content, aliases);
    const corrected = unigrams.filter((q) => !plain.some((w) => w.folded === q.term));
    return {
      unigrams,
      bigrams,
      aliases,
      words: [...content, ...corrected.map((q) => ({ folded: q.term, accented: q.term }))],
      notHandled,
      knownShare:
        content.length === 0
          ? 0
          : content.filter((w) => w.inAlias || this.vocabulary.has(w.folded)).length / content.length,
    };
  }

  /** Adjacent known content words; a pair inside an alias phrase remembers the alias. */
  private pairs(
    content: readonly (SearchWord & { inAlias: boolean; position: number })[],
    aliases: readonly AliasTerm[],
  ): QueryTerm[] {
    const known = content.filter((w) => this.vocabulary.has(w.folded));
    const pairs: QueryTerm[] = [];
    for (let i = 1; i < known.length; i += 1) {
      const left = known[i - 1]!;
      const right = known[i]!;
      const alias = aliases.find((a) => a.positions.has(left.position) && a.positions.has(right.position));
      const pair = this.weighBigram(`${left.folded} ${right.folded}`);
      pairs.push(alias ? { term: pair.term, weight: pair.weight, alias } : pair);
    }
    return pairs;
  }

  private aliasTerm(positions: readonly number[], alias: Alias): AliasTerm {
    const { source, weight, codeRank, literal, phrase, means, meansWords } = this.aliasWeights(alias);
    return {
      source,
      weight,
      codeRank,
      literal,
      phrase,
      means,
      meansWords,
      positions: new Set(positions),
      end: Math.max(...positions) + 1,
    };
  }

  /**
   * The query-independent part of an alias term: the words as matched are the alias's own, so its
   * weights are the same in every query and worked out once.
   */
  aliasWeights(alias: Alias): AliasWeights {
    const known = this.aliasTerms.get(alias);
    if (known !== undefined) return known;
    const literal = [...new Set(alias.tokens)].flatMap((t) => this.weigh(t));
    const means = [...new Set(alias.means)].flatMap((t) => this.weigh(t));
    const floor = this.settings.minAliasShare * this.index.maxIdf();
    const codeRank = new Map<string, number>();
    alias.codes.forEach((code, rank) => {
      if (!codeRank.has(code)) codeRank.set(code, rank);
    });
    const weights = {
      source: alias,
      weight: Math.max(floor, sum(literal.map((q) => q.weight))),
      codeRank,
      literal,
      phrase: [...alias.tokens],
      means,
      meansWords: alias.means.map((folded) => ({ folded, accented: folded })),
    };
    this.aliasTerms.set(alias, weights);
    return weights;
  }

  private removeStopPhrases<W extends SearchWord & { inAlias: boolean }>(words: readonly W[]): W[] {
    const out: W[] = [];
    for (let i = 0; i < words.length;) {
      const stop = words[i]!.inAlias ? undefined : this.stopPhraseAt(words, i);
      if (stop) {
        i += stop.length;
      } else {
        out.push(words[i]!);
        i += 1;
      }
    }
    return out;
  }

  /**
   * Context spelling of misspelt words ("khai sin" → "khai sinh", "trít lục" → "trích lục"), before
   * aliases are looked for; a corrected word loses its (wrong) diacritics. A real Vietnamese word is
   * only respelt by a dialect confusion ("tạm chú" → "tạm trú"): "tiêm chủng" is a procedure the
   * catalogue lacks, not a typo of "kiểm".
   */
  private spell(words: readonly SearchWord[]): SearchWord[] {
    return words.map((word, i) => {
      const previous = words[i - 1]?.folded;
      const next = words[i + 1]?.folded;
      if (this.aliases.isAliasWord(word.folded)) return word;
      const known = this.vocabulary.has(word.folded) || this.isKnownSyllable(word.folded);
      const fixed = known
        ? this.speller.soundAlike(word.folded, previous, next)
        : this.speller.correct(word.folded, previous, next);
      return fixed === null ? word : { folded: fixed, accented: fixed };
    });
  }

  /**
   * The stop phrase starting at `i`, if any. A lone word typed without diacritics is only a stop word
   * when few procedure names have it: "nha" may be the particle "nha" or "nhà", "the" may be "thẻ",
   * but "xin" is almost always "xin".
   */
  private stopPhraseAt(words: readonly SearchWord[], i: number): readonly SearchWord[] | undefined {
    const word = words[i]!;
    for (const phrase of this.stopPhrasesByFirstWord.get(word.folded) ?? NO_PHRASES) {
      if (!stopPhraseIsAt(words, i, phrase)) continue;
      const rare = this.index.docsWith(word.folded).length < this.settings.maxStopWordNames;
      if (phrase.length > 1 || hasDiacritics(word.accented) || rare) return phrase;
    }
    return undefined;
  }

  private weighBigram(term: string): QueryTerm {
    if (this.index.has(term)) return { term, weight: this.index.idf(term) };
    const [left, right] = term.split(' ') as [string, string];
    return { term, weight: this.settings.unknownBigramShare * Math.min(this.index.idf(left), this.index.idf(right)) };
  }

  /** A query word as weighted terms: itself when known, else fuzzy corrections or a split "dangky". */
  private weigh(token: string): QueryTerm[] {
    if (this.vocabulary.has(token)) return [{ term: token, weight: this.index.idf(token) }];
    if (/^\d+$/.test(token)) return [];
    const cached = this.corrections.get(token);
    if (cached) return cached;
    const corrected = this.correct(token);
    // Bounded: a flood of junk words must not grow memory without end.
    if (this.corrections.size > 10_000) this.corrections.clear();
    this.corrections.set(token, corrected);
    return corrected;
  }

  private correct(token: string): QueryTerm[] {
    const split = this.splitJoined(token);
    if (split) return split;
    const unknown: QueryTerm = { term: token, weight: this.index.maxIdf() * this.settings.unknownWordShare };
    // No syllable is that short or that long; fuzzy matching a 10 KB "word" would only burn time.
    if (token.length < this.settings.fuzzyMinLength || token.length > MAX_WORD_LENGTH) return [unknown];
    const best = this.fuzzyVocabulary.best(token);
    if (best === undefined || best.item.length < token.length - 2) return [unknown];
    // The correction counts as much as the unknown word would, scaled by how sure fuse.js is of it.
    return [{ term: best.item, weight: unknown.weight * (1 - best.score) }];
  }

  private splitJoined(token: string): QueryTerm[] | null {
    for (let i = 2; i <= token.length - 2; i += 1) {
      const left = token.slice(0, i);
      const right = token.slice(i);
      if (this.index.has(`${left} ${right}`)) {
        return [left, right].map((term) => ({ term, weight: this.index.idf(term) }));
      }
    }
    return null;
  }
}

const NO_PHRASES: readonly never[] = [];

function stopPhraseIsAt(words: readonly SearchWord[], i: number, phrase: readonly SearchWord[]): boolean {
  for (let k = 0; k < phrase.length; k += 1) if (!sameWord(words[i + k], phrase[k]!)) return false;
  return true;
}

/** A typed word matches a stop word by its diacritics when it has them ("hội" is not "hỏi"), else folded. */
function sameWord(word: SearchWord | undefined, stop: SearchWord): boolean {
  if (word === undefined) return false;
  return hasDiacritics(word.accented) ? word.accented === stop.accented : word.folded === stop.folded;
}
