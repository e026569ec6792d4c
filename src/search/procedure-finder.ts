import type { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import type { EverydayLexicon } from './everyday-lexicon.ts';
import { DocHeap } from './doc-heap.ts';
import type { ProcedureHit } from './procedure-hit.ts';
import type { ProcedureSearch } from './procedure-search.ts';
import { RecordIndex, recordFields, type WeightedTerm } from './record-index.ts';
import { catalogueTokens, catalogueWords, type SearchWord } from './search-tokens.ts';

/** Words of most names that tell nothing ("thủ tục", "đối với"). */
const NAME_FILLER = new Set([
  'thu',
  'tuc',
  'doi',
  'voi',
  'cua',
  'va',
  'cho',
  'tai',
  'cac',
  'trong',
  've',
  'theo',
  'hoac',
  'de',
  'duoc',
  'la',
]);

/** The fusion of the finder's signals; each is in [0, 1] (tuned on the blind tuning half, see README). */
interface FusionWeights {
  name: number;
  record: number;
  precision: number;
  /** Share of the query's weight its name has (see FoundProcedure.nameRecall). */
  recall: number;
  /** Added (not normalised) for a procedure an alias of the query lists. */
  listed: number;
}
const FUSION: FusionWeights = {
  name: 0.4,
  record: 0.5,
  precision: 0.3,
  recall: 0.8,
  listed: 0.2,
};

/** The fusion's weights and thresholds, together so their balance shows (tuned on the blind tuning half). */
export const FINDER = {
  /** Whole-record candidates considered. */
  recordCandidates: 30,
  /** An everyday phrase's catalogue words weigh this much of a typed word. */
  lexiconWeight: 0.9,
  /** Below this share of the query's weight found in a record, the record is unrelated. */
  minRelatedness: 0.12,
  /**
   * A name or alias match this good (the name search's score) is the staff's or the name's own
   * word: such matches come first, in the name search's order (an alias lists its likeliest code
   * first), and the fused ranking orders the rest.
   */
  nameSure: 0.85,
  /** A word in at most this share of the records says something about which procedure. */
  informativeShare: 1 / 6,
  /** Bonus of a province- or commune-level procedure: the center handles those. */
  provinceBonus: 0.03,
  communeBonus: 0.02,
} as const;

export interface FoundProcedure extends ProcedureHit {
  /** The name search's score, 0 when it did not find it. */
  nameScore: number;
  /** Share of the query's weight the whole record accounts for, in [0, 1). */
  relatedness: number;
  /** The whole-record score against the best one's, in [0, 1]. */
  recordScore: number;
  /** Share of the name's weight the query's terms account for: the most specific name wins. */
  namePrecision: number;
  /**
   * Share of the query's weight (idf) that the name itself has, qualifier included: of siblings
   * that differ by a word or two ("Cấp lại … (chứng chỉ bị cháy, bị mất …)", "Mở khóa …" against
   * "Khóa …"), the one whose name has the words the citizen used.
   */
  nameRecall: number;
  /** A colloquial name in the query lists it (knowledge/aliases.json): staff's word for what citizens mean. */
  listed: boolean;
}

/**
 * Finds the procedure a citizen means, the way an officer listening would: by its name or a
 * colloquial name when they say it (the name search: aliases, spelling), and otherwise by
 * everything the record says (BM25F over the whole record, with the everyday-words lexicon turning
 * "giấy báo tử" into the catalogue's "khai tử"). The two rankings are fused.
 */
export class ProcedureFinder {
  private readonly scratch: { scores: Float64Array; touched: Uint8Array; heap: DocHeap };
  private readonly levelBonus: Float64Array;
  /** Each name's informative words with their idf, scope notes left out. */
  private readonly nameTerms: readonly (readonly { term: string; idf: number }[])[];
  /** Each full name's terms as the record index has them: words (folded and as written) and folded pairs. */
  private readonly nameTermSets: readonly ReadonlySet<string>[];

  constructor(
    private readonly catalog: ProcedureCatalog,
    private readonly names: ProcedureSearch,
    private readonly records: RecordIndex,
    private readonly lexicon: EverydayLexicon,
  ) {
    const n = catalog.summaries.length;
    this.scratch = { scores: new Float64Array(n), touched: new Uint8Array(n), heap: new DocHeap(n) };
    this.levelBonus = Float64Array.from(catalog.summaries, (s) =>
      s.levels.includes('province') ? FINDER.provinceBonus : s.levels.includes('commune') ? FINDER.communeBonus : 0,
    );
    this.nameTerms = catalog.summaries.map((s) =>
      [...new Set(catalogueTokens(nameHead(s.name)).filter((t) => !NAME_FILLER.has(t)))].map((term) => ({
        term,
        idf: records.idf(term),
      })),
    );
    this.nameTermSets = catalog.summaries.map((s) => {
      const words = catalogueWords(s.name);
      const set = new Set<string>();
      for (const w of words) set.add(w.folded).add(w.accented);
      for (let i = 1; i < words.length; i += 1) set.add(`${words[i - 1]!.folded} ${words[i]!.folded}`);
      return set;
    });
  }

  /** Share of the query's weight (`weighed`: each non-filler term's weight × idf, read once per query) the full name has. */
  private nameRecall(doc: number, weighed: readonly { term: string; weight: number }[], ceiling: number): number {
    if (ceiling <= 0) return 0;
    const name = this.nameTermSets[doc]!;
    let covered = 0;
    for (const t of weighed) if (name.has(t.term)) covered += t.weight;
    return covered / ceiling;
  }

  /** Share of the name's weight (idf) the query's terms have. */
  private namePrecision(doc: number, terms: ReadonlySet<string>): number {
    let total = 0;
    let covered = 0;
    for (const { term, idf } of this.nameTerms[doc]!) {
      total += idf;
      if (terms.has(term)) covered += idf;
    }
    return total > 0 ? covered / total : 0;
  }

  static build(
    catalog: ProcedureCatalog,
    names: ProcedureSearch,
    lexicon: EverydayLexicon,
    records?: RecordIndex,
  ): ProcedureFinder {
    return new ProcedureFinder(
      catalog,
      names,
      records ?? RecordIndex.build([...catalog.records()].map(recordFields), catalogueWords),
      lexicon,
    );
  }

  /**
   * How many of the words say something about which procedure: those in at most a sixth of the
   * records ("tỉnh", "ở", "lên", "giấy" are in most of them, and mean nothing on their own).
   */
  informativeWords(words: readonly string[], pairs = false): number {
    const counted = new Set<string>();
    for (const w of words) if (this.isInformative(w)) counted.add(w);
    // A Vietnamese word is often two syllables, each common alone ("kê biên", "thừa phát"): with
    // `pairs`, such a pair counts as one.
    for (let i = 1; pairs && i < words.length; i += 1) {
      const [a, b] = [words[i - 1]!, words[i]!];
      if (!counted.has(a) && !counted.has(b) && this.isInformative(`${a} ${b}`)) counted.add(`${a} ${b}`);
    }
    return counted.size;
  }

  /**
   * How many of `words` (folded) say something about which procedure (see {@link informativeWords})
   * and are nowhere in the record of `code`. A follow-up about the procedure in discussion ("phải
   * mang hộ khẩu không", "răng lâu rứa") has few such words; a new question ("thời tiết mai có mưa
   * không", "thẻ hướng dẫn viên du lịch") has several.
   */
  newWordsFor(code: string, words: readonly string[]): number {
    const doc = this.catalog.indexOf(code);
    let count = 0;
    for (const w of new Set(words))
      if (this.isInformative(w) && (doc === undefined || !this.records.hasIn(w, doc))) count += 1;
    return count;
  }

  /** In some records, and in at most a sixth of them. */
  private isInformative(word: string): boolean {
    const df = this.records.df(word);
    return df > 0 && df <= this.records.size * FINDER.informativeShare;
  }

  /** The query's weighted terms: its content words and their pairs, and the lexicon's catalogue words for its everyday phrases. */
  terms(words: readonly SearchWord[]): WeightedTerm[] {
    const extra = this.lexicon.expand(words).flatMap((means) => this.records.phraseTerms(means, FINDER.lexiconWeight));
    return this.records.queryTerms(words, extra);
  }

  /** The fused score of a candidate, in [0, 1]. */
  fuse(c: FoundProcedure, doc: number, w = FUSION): number {
    const raw =
      w.name * c.nameScore +
      w.record * c.recordScore +
      w.precision * c.namePrecision +
      w.recall * c.nameRecall +
      (c.listed ? w.listed : 0) +
      this.levelBonus[doc]!;
    return Math.round(Math.min(1, raw / (w.name + w.record + w.precision + w.recall)) * 1000) / 1000;
  }

  /**
   * Procedures for a query, best first: its content words (question and stop words out, spelling
   * mended) matched against names and whole records. Nothing for a query that names something staff
   * listed as not in the catalogue, unless a procedure's name says it.
   */
  findIn(query: string, limit = 5, context = query): FoundProcedure[] {
    const words = this.names.contentSearchWords(query);
    if (words.length === 0) return [];
    // Looked for in the whole message (`context`): a question phrase taken out may have been part of it ("thẻ hướng dẫn viên").
    const notHandled = this.names.notHandledIn(context);
    const found = this.find(query, words, notHandled.length > 0 ? limit * 4 : limit);
    if (notHandled.length === 0) return found;
    // The name search's hits weighed the phrase already (an alias it qualifies, or context: "lltp để đi xuất khẩu lao động").
    return found
      .filter((f) => f.nameScore > 0 || notHandled.every((pairs) => this.names.nameHasPairs(f.code, pairs)))
      .slice(0, limit);
  }

  /** {@link findIn} on words already planned. */
  find(query: string, words: readonly SearchWord[], limit = 5): FoundProcedure[] {
    const named = this.names.search(query, Math.max(limit, 10));
    const terms = this.terms(words);
    const ceiling = this.records.ceiling(terms);
    const weighed = terms
      .filter((t) => !isFiller(t.term))
      .map((t) => ({ term: t.term, weight: t.weight * this.records.idf(t.term) }));
    const { scores, touched, heap } = this.scratch;
    const scored = ceiling > 0 ? this.records.score(terms, scores, touched) : [];
    // The best few of a thousand scored: popped from a heap, not a sorted copy of all of them.
    heap.clear();
    for (const doc of scored) heap.add(doc, scores[doc]!);
    heap.build();
    const byRecord: number[] = [];
    while (byRecord.length < FINDER.recordCandidates && heap.length > 0) byRecord.push(heap.pop());
    const best = byRecord.length > 0 ? scores[byRecord[0]!]! : 0;
    const candidates = new Map<string, FoundProcedure>();
    const docOf = (code: string) => this.catalog.indexOf(code);
    const listed = this.names.listedByAliases(query);
    // Names are compared folded: the words typed, folded, and the lexicon's.
    const termSet = new Set([...words.map((w) => w.folded), ...terms.map((t) => t.term)]);
    const candidate = (doc: number, nameScore: number): FoundProcedure => {
      const s = this.catalog.summaries[doc]!;
      return {
        code: s.code,
        name: s.name,
        score: 0,
        nameScore,
        relatedness: ceiling > 0 ? scores[doc]! / ceiling : 0,
        recordScore: best > 0 ? scores[doc]! / best : 0,
        namePrecision: this.namePrecision(doc, termSet),
        nameRecall: this.nameRecall(doc, weighed, ceiling),
        listed: listed.has(s.code),
      };
    };
    for (const doc of byRecord) candidates.set(this.catalog.summaries[doc]!.code, candidate(doc, 0));
    for (const hit of named) {
      const doc = docOf(hit.code);
      if (doc !== undefined) candidates.set(hit.code, candidate(doc, hit.score));
    }
    for (const c of candidates.values()) c.score = this.fuse(c, docOf(c.code)!);
    for (const doc of scored) {
      scores[doc] = 0;
      touched[doc] = 0;
    }
    return [...candidates.values()]
      .filter((c) => c.nameScore > 0 || c.relatedness >= FINDER.minRelatedness)
      .sort(byConfidence)
      .slice(0, limit);
  }
}

/** A filler word, or a pair with one ("sinh cho" of "khai sinh cho người …"): it says nothing of which name. */
function isFiller(term: string): boolean {
  return term.split(' ').some((w) => NAME_FILLER.has(w));
}

/**
 * The name without its qualifier: scope notes, and the case in brackets ("… (trong trường hợp chứng
 * chỉ bị cháy, bị mất …)"). A citizen says the case in other words or not at all; the qualifier's
 * words count when said (name recall), not against the name when not (name precision).
 */
function nameHead(name: string): string {
  // Scope notes are bracketed too: "(thực hiện tại cấp tỉnh)".
  const head = name.replace(/\([^)]*\)?/gu, ' ').trim();
  return head.length > 0 ? head : name;
}

function byConfidence(a: FoundProcedure, b: FoundProcedure): number {
  const sureA = a.nameScore >= FINDER.nameSure;
  const sureB = b.nameScore >= FINDER.nameSure;
  if (sureA !== sureB) return sureA ? -1 : 1;
  if (sureA) return b.nameScore - a.nameScore || (a.code < b.code ? -1 : 1);
  return b.score - a.score || (a.code < b.code ? -1 : 1);
}
