import type { ProcedureRecord } from '../catalogue/procedure-record.ts';
import type { SearchWord } from './search-tokens.ts';

/**
 * How much each part of a record counts (BM25F field weights), and how long a part is read: a
 * citizen names what they want (the name, the result paper, the field), the papers they have, who
 * they are; the steps and conditions speak mostly of agencies and acts, so only their start counts.
 */
const FIELDS = {
  name: { weight: 3, maxChars: 400 },
  results: { weight: 2, maxChars: 600 },
  field: { weight: 1.5, maxChars: 200 },
  subjects: { weight: 0.8, maxChars: 400 },
  documents: { weight: 1, maxChars: 2500 },
  steps: { weight: 0.4, maxChars: 1500 },
  conditions: { weight: 0.4, maxChars: 800 },
} as const;
export type FieldName = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
const FIELD_WEIGHTS = Object.fromEntries(FIELD_NAMES.map((f) => [f, FIELDS[f].weight])) as Record<FieldName, number>;

/** BM25's term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
/** Word ids stay below this; a pair's key is first × PAIR_KEY + second. */
const PAIR_KEY = 1 << 21;
/** Terms in more than this share of the records are left out of scoring (see RecordIndex.score). */
const COMMON_SHARE = 0.5;
/** A word pair counts this much of a word: pairs are rarer, so their idf already says more. */
const PAIR_WEIGHT = 0.6;

/** The parts of a record the index reads. */
export function recordFields(record: ProcedureRecord): Record<FieldName, string> {
  return {
    name: record.name,
    results: record.results.join(' . '),
    field: record.field,
    subjects: record.applicants.join(' . '),
    documents: record.documents.map((d) => d.name).join(' . '),
    steps: record.steps.join(' . '),
    conditions: record.conditions.join(' . '),
  };
}

/** One term of a query, with the weight it carries (an expansion from the lexicon weighs less than a typed word). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/**
 * BM25F over the whole record: every procedure's name, results, field, subjects, documents, and the
 * start of its steps and conditions, as folded syllables and syllable pairs. For the long tail of
 * the catalogue, whose names a citizen rarely says: "giấy báo tử" is in the documents and results of
 * "Đăng ký khai tử", not in its name.
 *
 * @remarks
 * Each (term, procedure) keeps one number, the field-weighted, length-normalised frequency of
 * BM25F, in typed arrays: scoring a query is a walk over its terms' posting lists.
 */
export class RecordIndex {
  private constructor(
    /** Word → its id; a term's postings are `docs`/`freqs` from `offsets[id]` to `offsets[id + 1]`. */
    private readonly words: ReadonlyMap<string, number>,
    /** Word pair (first id × 2^20 + second id) → its id, in the same id space as words. */
    private readonly pairs: ReadonlyMap<number, number>,
    private readonly offsets: Int32Array,
    private readonly docs: Int32Array,
    private readonly freqs: Float32Array,
    private readonly idfs: Float32Array,
    readonly size: number,
  ) {}

  /**
   * Indexes the records, read into words by `words`: each word folded, and as written when it has
   * diacritics (both are terms: a citizen who typed "mưa" means rain, not "mua"); pairs are folded.
   * `weights` for tuning only.
   */
  static build(
    records: readonly Record<FieldName, string>[],
    words: (text: string) => SearchWord[],
    weights: Readonly<Record<FieldName, number>> = FIELD_WEIGHTS,
  ): RecordIndex {
    const vocabulary = new Map<string, number>();
    const pairs = new Map<number, number>();
    let next = 0;
    const wordId = (word: string) => {
      let id = vocabulary.get(word);
      if (id === undefined) {
        id = next++;
        vocabulary.set(word, id);
      }
      return id;
    };
    const termIds = (text: string): number[] => {
      const read = words(text);
      const ids = read.map((w) => wordId(w.folded));
      const out = [...ids];
      for (const w of read) if (w.accented !== w.folded) out.push(wordId(w.accented));
      // Pairs keyed by numbers, not by joined strings: millions of them are counted here.
      for (let i = 1; i < ids.length; i += 1) {
        const key = ids[i - 1]! * PAIR_KEY + ids[i]!;
        let id = pairs.get(key);
        if (id === undefined) {
          id = next++;
          pairs.set(key, id);
        }
        out.push(id);
      }
      return out;
    };
    // Every field's term ids and length first: BM25F normalises each field by its average length.
    const fieldIds = records.map((record) =>
      FIELD_NAMES.map((field) => termIds(record[field].slice(0, FIELDS[field].maxChars))),
    );
    const averages = FIELD_NAMES.map(
      (_, f) => fieldIds.reduce((total, fields) => total + fields[f]!.length, 0) / Math.max(1, records.length) || 1,
    );
    // Then one (term, doc, weighted frequency) triple per term of each document, in growable typed arrays.
    let count = 0;
    let termOf = new Int32Array(1 << 20);
    let docOf = new Int32Array(1 << 20);
    let freqOf = new Float32Array(1 << 20);
    const weighted = new Map<number, number>();
    fieldIds.forEach((fields, doc) => {
      weighted.clear();
      fields.forEach((terms, f) => {
        const field = FIELD_NAMES[f]!;
        // Pairs are counted in the length as words are: a field of n words has about 2n terms either way.
        const norm = 1 - B + (B * terms.length) / averages[f]!;
        const weight = weights[field] / norm;
        for (const id of terms) weighted.set(id, (weighted.get(id) ?? 0) + weight);
      });
      for (const [id, value] of weighted) {
        if (count === termOf.length) {
          termOf = grow(termOf, Int32Array);
          docOf = grow(docOf, Int32Array);
          freqOf = grow(freqOf, Float32Array);
        }
        termOf[count] = id;
        docOf[count] = doc;
        freqOf[count] = value;
        count += 1;
      }
    });
    // A counting sort by term: each term's postings together, in document order.
    const terms = next;
    const offsets = new Int32Array(terms + 1);
    for (let i = 0; i < count; i += 1) offsets[termOf[i]! + 1]! += 1;
    for (let t = 0; t < terms; t += 1) offsets[t + 1]! += offsets[t]!;
    const fill = offsets.slice(0, terms);
    const docs = new Int32Array(count);
    const freqs = new Float32Array(count);
    for (let i = 0; i < count; i += 1) {
      const at = fill[termOf[i]!]!;
      fill[termOf[i]!] = at + 1;
      docs[at] = docOf[i]!;
      freqs[at] = freqOf[i]!;
    }
    const idfs = new Float32Array(terms);
    for (let t = 0; t < terms; t += 1) {
      const df = offsets[t + 1]! - offsets[t]!;
      idfs[t] = Math.log(1 + (records.length - df + 0.5) / (df + 0.5));
    }
    return new RecordIndex(vocabulary, pairs, offsets, docs, freqs, idfs, records.length);
  }

  /**
   * The index as bytes, for the disk cache: a JSON header (words and sizes), then the pair keys,
   * offsets, postings and idfs as raw typed arrays.
   */
  serialize(): Buffer {
    const pairKeys = Float64Array.from([...this.pairs.keys()]);
    const pairIds = Int32Array.from([...this.pairs.values()]);
    const header = Buffer.from(
      JSON.stringify({
        size: this.size,
        words: [...this.words],
        pairs: pairKeys.length,
        terms: this.idfs.length,
        postings: this.docs.length,
      }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    // Every array starts at a multiple of 8 bytes, so it can be read back in place.
    const pad = Buffer.alloc((8 - ((4 + header.length) % 8)) % 8);
    return Buffer.concat([
      length,
      header,
      pad,
      ...[pairKeys, pairIds, this.offsets, this.docs, this.freqs, this.idfs].flatMap((a) => [
        bytes(a),
        Buffer.alloc((8 - (a.byteLength % 8)) % 8),
      ]),
    ]);
  }

  /** Reads {@link serialize}'s bytes back; throws on anything else. */
  static deserialize(data: Buffer): RecordIndex {
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength)) as {
      size: number;
      words: [string, number][];
      pairs: number;
      terms: number;
      postings: number;
    };
    let at = 4 + headerLength;
    at += (8 - (at % 8)) % 8;
    // Copied out of the file's buffer, so the buffer (and nothing else) can be collected.
    const take = <T extends Float64Array | Int32Array | Float32Array>(
      Type: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
      count: number,
    ): T => {
      const byteLength = count * Type.BYTES_PER_ELEMENT;
      const array = new Type(
        (data.buffer as ArrayBuffer).slice(data.byteOffset + at, data.byteOffset + at + byteLength),
      );
      at += byteLength + ((8 - (byteLength % 8)) % 8);
      return array;
    };
    const pairKeys = take(Float64Array, header.pairs);
    const pairIds = take(Int32Array, header.pairs);
    const offsets = take(Int32Array, header.terms + 1);
    const docs = take(Int32Array, header.postings);
    const freqs = take(Float32Array, header.postings);
    const idfs = take(Float32Array, header.terms);
    const pairs = new Map<number, number>();
    for (let i = 0; i < pairKeys.length; i += 1) pairs.set(pairKeys[i]!, pairIds[i]!);
    return new RecordIndex(new Map(header.words), pairs, offsets, docs, freqs, idfs, header.size);
  }

  /** A term's id: a word, or two words and a space. */
  private idOf(term: string): number | undefined {
    const space = term.indexOf(' ');
    if (space < 0) return this.words.get(term);
    const first = this.words.get(term.slice(0, space));
    const second = this.words.get(term.slice(space + 1));
    return first === undefined || second === undefined ? undefined : this.pairs.get(first * PAIR_KEY + second);
  }

  idf(term: string): number {
    const id = this.idOf(term);
    return id === undefined ? 0 : this.idfs[id]!;
  }

  has(term: string): boolean {
    return this.idOf(term) !== undefined;
  }

  /** Whether procedure `doc`'s record has the term (its postings are in doc order: a binary search). */
  hasIn(term: string, doc: number): boolean {
    const id = this.idOf(term);
    if (id === undefined) return false;
    let lo = this.offsets[id]!;
    let hi = this.offsets[id + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.docs[mid]!;
      if (at === doc) return true;
      if (at < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** How many procedures have the term anywhere in their record. */
  df(term: string): number {
    const id = this.idOf(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /**
   * The query's terms: its words (as typed when they have diacritics the records have too, else
   * folded), and the pairs of adjacent ones, folded; an expansion adds its own through `extra`.
   */
  queryTerms(words: readonly SearchWord[], extra: readonly WeightedTerm[] = []): WeightedTerm[] {
    const terms = new Map<string, number>();
    const add = (term: string, weight: number) => terms.set(term, Math.max(terms.get(term) ?? 0, weight));
    for (const w of words) add(w.accented !== w.folded && this.words.has(w.accented) ? w.accented : w.folded, 1);
    for (let i = 1; i < words.length; i += 1) add(`${words[i - 1]!.folded} ${words[i]!.folded}`, PAIR_WEIGHT);
    for (const e of extra) add(e.term, e.weight);
    return [...terms].map(([term, weight]) => ({ term, weight }));
  }

  /** Expansion terms for a phrase the lexicon maps to the catalogue's words (folded): its words and pairs, at `weight`. */
  phraseTerms(words: readonly string[], weight: number): WeightedTerm[] {
    return this.queryTerms(words.map((folded) => ({ folded, accented: folded }))).map((t) => ({
      term: t.term,
      weight: t.weight * weight,
    }));
  }

  /** The most a query's terms can score on one procedure (every term saturated): scores divided by it are in [0, 1). */
  ceiling(terms: readonly WeightedTerm[]): number {
    let total = 0;
    for (const t of terms) total += t.weight * this.idf(t.term);
    return total;
  }

  /**
   * Adds each procedure's BM25F score for the terms to `into`; returns the procedures that scored.
   * Words in more than half the records are skipped: their idf is near nothing, their lists long.
   */
  score(terms: readonly WeightedTerm[], into: Float64Array, touched: Uint8Array): number[] {
    const scored: number[] = [];
    for (const { term, weight } of terms) {
      const id = this.idOf(term);
      if (id === undefined || this.offsets[id + 1]! - this.offsets[id]! > this.size * COMMON_SHARE) continue;
      const idf = this.idfs[id]! * weight;
      for (let i = this.offsets[id]!, end = this.offsets[id + 1]!; i < end; i += 1) {
        const doc = this.docs[i]!;
        const tf = this.freqs[i]!;
        into[doc] = into[doc]! + (idf * tf) / (K1 + tf);
        if (touched[doc] === 0) {
          touched[doc] = 1;
          scored.push(doc);
        }
      }
    }
    return scored;
  }
}

function grow<T extends Int32Array | Float32Array>(array: T, Type: { new (n: number): T }): T {
  const bigger = new Type(array.length * 2);
  bigger.set(array);
  return bigger;
}

function bytes(array: Float64Array | Int32Array | Float32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** What the index's contents depend on in code: its fields, their weights and lengths, and the length normalisation. */
export const RECORD_INDEX_VERSION = JSON.stringify({ format: 2, FIELDS, B });
