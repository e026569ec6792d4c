import type { ProcedureCatalog, ProcedureSummary } from '../catalogue/procedure-catalog.ts';
import { sum } from '../shared/lists.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { AliasTable } from './alias-table.ts';
import { RANKING } from './ranking-weights.ts';
import { hasDiacritics, searchTokens, searchWords, type SearchWord } from './search-tokens.ts';
import { TokenIndex } from './token-index.ts';

/** Result lists can run long; their first part names what the citizen receives. */
const MAX_CONTEXT_CHARS = 600;
/** Scope notes say which level handles a variant; they are not words a citizen searches for. */
const SCOPE_NOTE = /\((?:thực hiện )?tại cấp [^)]*\)/giu;

/**
 * The catalogue's procedure names as the search reads them, each procedure by its number (doc):
 * an inverted index over the names' folded syllables and bigrams, and one over their field and
 * results.
 */
export class NameIndex {
  readonly records: readonly ProcedureSummary[];
  readonly index: TokenIndex;
  /** Each procedure's field and result documents: words a citizen uses that its name may lack. */
  readonly context: TokenIndex;
  /** Each name's words in order, repeats kept ("Cấp lại … lái xe" has two "lai"). */
  readonly nameWords: ReadonlyArray<readonly SearchWord[]>;
  private readonly nameWeights: readonly number[];
  readonly accentedNames: ReadonlyArray<ReadonlySet<string>>;
  readonly levelBonus: readonly number[];
  readonly docByCode: ReadonlyMap<string, number>;
  /** Which query words a name word already took, and which were typed with diacritics (nameCoverage). */
  private readonly scratch = { used: new Uint8Array(64), accented: new Uint8Array(64) };

  constructor(catalog: ProcedureCatalog, text: VietnameseText, aliases: AliasTable) {
    this.records = catalog.summaries;
    // Names go through the same synonyms as queries: "Cấp mới …" and "cấp …" are one thing.
    this.nameWords = this.records.map((r) =>
      aliases.rewriteSynonyms(searchWords(text, r.name.replace(SCOPE_NOTE, ' '))),
    );
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
  }

  nameHasPhrase(doc: number, phrase: readonly string[]): boolean {
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
  nameCoverage(doc: number, queryWords: readonly SearchWord[]): number {
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
}
