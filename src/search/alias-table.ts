import { readJsonFile } from '../shared/line-files.ts';
import { z } from 'zod';
import type { SearchWord } from './search-tokens.ts';

const AliasFile = z.object({
  aliases: z.array(
    z.object({
      alias: z.string().min(1),
      means: z.string().min(1).optional(),
      codes: z.array(z.string().regex(/^\d+\.\d{6}$/)).min(1),
      field: z.string().optional(),
    }),
  ),
  missing: z.array(z.object({ alias: z.string(), why: z.string() })).optional(),
  synonyms: z.array(z.object({ phrase: z.string().min(1), means: z.string().min(1) })).optional(),
});

export interface Alias {
  /** Folded search tokens of the colloquial phrase. */
  tokens: readonly string[];
  /** Folded search tokens of the formal phrase it stands for, or empty. */
  means: readonly string[];
  codes: readonly string[];
}

export interface AliasMatch {
  alias: Alias;
  /** Where the alias's words are in the query, in the alias's order. */
  positions: number[];
  /** The span from the first to just past the last of them. */
  start: number;
  end: number;
}

/** Words a citizen may put between an alias's words ("xe cũ muốn sang tên" for "sang tên xe"). */
const MAX_INSERTED_WORDS = 3;

export interface NotHandledMatch {
  phrase: NotHandled;
  start: number;
}

/** A colloquial verb phrase and the catalogue's word for it ("làm lại" → "cấp lại"): no codes, a rewrite. */
export interface Synonym {
  tokens: readonly string[];
  means: readonly SearchWord[];
}

/** A phrase staff know the catalogue lacks ("giấy phép lao động"), with the reason they gave. */
export interface NotHandled {
  tokens: readonly string[];
  why: string;
}

/**
 * Colloquial names of procedures ("sổ đỏ", "bằng lái") from knowledge/aliases.json, matched as
 * token phrases in a query, longest first.
 */
export class AliasTable {
  private readonly byFirstToken = new Map<string, Alias[]>();
  private readonly synonymsByFirstToken = new Map<string, Synonym[]>();
  /** Indexes into `notHandled`, by the phrase's first word. */
  private readonly notHandledByFirstToken = new Map<string, number[]>();

  private readonly words = new Set<string>();
  private readonly longestFirst: readonly Alias[];

  constructor(
    aliases: readonly Alias[],
    /** Things citizens ask for that the catalogue does not have (the file's "missing" list). */
    readonly notHandled: readonly NotHandled[] = [],
    private readonly synonyms: readonly Synonym[] = [],
  ) {
    for (const alias of aliases) for (const token of alias.tokens) this.words.add(token);
    // Synonyms arrive longest first, so each first word's list keeps that order.
    for (const synonym of synonyms) {
      const first = synonym.tokens[0];
      if (first === undefined) continue;
      this.synonymsByFirstToken.set(first, [...(this.synonymsByFirstToken.get(first) ?? []), synonym]);
    }
    notHandled.forEach((phrase, i) => {
      const first = phrase.tokens[0];
      if (first !== undefined)
        this.notHandledByFirstToken.set(first, [...(this.notHandledByFirstToken.get(first) ?? []), i]);
    });
    this.longestFirst = [...aliases].sort((a, b) => b.tokens.length - a.tokens.length);
    for (const alias of aliases) {
      const first = alias.tokens[0];
      if (first === undefined) continue;
      const list = this.byFirstToken.get(first) ?? [];
      list.push(alias);
      list.sort((a, b) => b.tokens.length - a.tokens.length);
      this.byFirstToken.set(first, list);
    }
  }

  /** Reads the file; `words` turns a phrase into search words; `knownCode` checks each code. */
  static fromFile(
    path: string,
    words: (text: string) => SearchWord[],
    knownCode: (code: string) => boolean,
  ): AliasTable {
    const tokenize = (text: string) => words(text).map((w) => w.folded);
    const file = readJsonFile(path, AliasFile);
    const aliases = file.aliases.map((entry) => {
      const unknown = entry.codes.filter((code) => !knownCode(code));
      if (unknown.length > 0)
        throw new Error(`Alias "${entry.alias}" names unknown procedure codes: ${unknown.join(', ')}`);
      return { tokens: tokenize(entry.alias), means: entry.means ? tokenize(entry.means) : [], codes: entry.codes };
    });
    const notHandled = (file.missing ?? []).map((m) => ({ tokens: tokenize(m.alias), why: m.why }));
    const synonyms = (file.synonyms ?? [])
      .map((s) => ({ tokens: tokenize(s.phrase), means: words(s.means) }))
      .sort((a, b) => b.tokens.length - a.tokens.length);
    return new AliasTable(
      aliases,
      notHandled.filter((m) => m.tokens.length > 0),
      synonyms.filter((s) => s.tokens.length > 0),
    );
  }

  /** Every alias, longest phrase first. */
  get all(): readonly Alias[] {
    return this.longestFirst;
  }

  /** True for a word of some alias phrase ("cavet"): such a word is not a misspelling. */
  isAliasWord(token: string): boolean {
    return this.words.has(token);
  }

  /**
   * Replaces synonym phrases by the catalogue's words, longest first, left to right — except inside
   * an alias phrase as typed: the alias ("xóa thế chấp") knows its procedures better than the rewrite.
   */
  rewriteSynonyms(words: readonly SearchWord[]): SearchWord[] {
    if (this.synonyms.length === 0) return [...words];
    const tokens = words.map((w) => w.folded);
    const inAlias = new Set<number>();
    for (const m of this.matchAsTyped(tokens)) for (const p of m.positions) inAlias.add(p);
    const out: SearchWord[] = [];
    for (let i = 0; i < words.length;) {
      const hit = this.synonymAt(tokens, i, inAlias);
      if (hit) {
        out.push(...hit.means);
        i += hit.tokens.length;
      } else {
        out.push(words[i]!);
        i += 1;
      }
    }
    return out;
  }

  /** The longest synonym phrase written at `i`, outside alias phrases. Plain loops: this runs per word of every query. */
  private synonymAt(tokens: readonly string[], i: number, inAlias: ReadonlySet<number>): Synonym | undefined {
    for (const synonym of this.synonymsByFirstToken.get(tokens[i]!) ?? NONE) {
      if (phraseAt(tokens, i, synonym.tokens) && !overlaps(inAlias, i, synonym.tokens.length)) return synonym;
    }
    return undefined;
  }

  /** The not-handled phrases in `tokens` that no alias match overlaps, with where each starts (the first place), in the list's order. */
  matchNotHandled(tokens: readonly string[], aliasMatches: readonly AliasMatch[]): NotHandledMatch[] {
    // Over a hundred phrases: each word of the query looks up those that start with it.
    let startOf: Map<number, number> | undefined;
    for (let start = 0; start < tokens.length; start += 1) {
      for (const i of this.notHandledByFirstToken.get(tokens[start]!) ?? NONE) {
        if (startOf?.has(i)) continue;
        const { length } = this.notHandled[i]!.tokens;
        if (!phraseAt(tokens, start, this.notHandled[i]!.tokens) || overlapsAny(aliasMatches, start, start + length))
          continue;
        (startOf ??= new Map()).set(i, start);
      }
    }
    if (startOf === undefined) return [];
    return [...startOf].sort(([a], [b]) => a - b).map(([i, start]) => ({ phrase: this.notHandled[i]!, start }));
  }

  /** Alias phrases written as such in `tokens` (contiguous, in order), longest first, left to right. */
  private matchAsTyped(tokens: readonly string[]): AliasMatch[] {
    const found: AliasMatch[] = [];
    for (let i = 0; i < tokens.length;) {
      const hit = this.aliasAt(tokens, i);
      if (hit) {
        found.push(
          matchAt(
            hit,
            hit.tokens.map((_, k) => i + k),
          ),
        );
        i += hit.tokens.length;
      } else {
        i += 1;
      }
    }
    return found;
  }

  /** The longest alias phrase written at `i`. */
  private aliasAt(tokens: readonly string[], i: number): Alias | undefined {
    for (const alias of this.byFirstToken.get(tokens[i]!) ?? NONE) if (phraseAt(tokens, i, alias.tokens)) return alias;
    return undefined;
  }

  /**
   * Alias phrases in `tokens`: first as written, longest first, left to right; then, among the words
   * left, phrases whose words all stand close together in any order ("mua xe cũ muốn sang tên" holds
   * "sang tên xe").
   */
  match(tokens: readonly string[]): AliasMatch[] {
    const found = this.matchAsTyped(tokens);
    const used = new Set(found.flatMap((m) => m.positions));
    const present = new Set(tokens);
    for (const alias of this.longestFirst) {
      if (alias.tokens.length < 2 || !allIn(alias.tokens, present)) continue;
      const positions = scatteredPositions(tokens, alias.tokens, used);
      if (positions === null) continue;
      for (const p of positions) used.add(p);
      found.push(matchAt(alias, positions));
    }
    return found.sort((a, b) => a.start - b.start);
  }
}

const NONE: readonly never[] = [];

/** True when `phrase` is written in `tokens` at `i`. */
function phraseAt(tokens: readonly string[], i: number, phrase: readonly string[]): boolean {
  if (i + phrase.length > tokens.length) return false;
  for (let k = 0; k < phrase.length; k += 1) if (tokens[i + k] !== phrase[k]) return false;
  return true;
}

function overlaps(positions: ReadonlySet<number>, start: number, length: number): boolean {
  for (let k = start; k < start + length; k += 1) if (positions.has(k)) return true;
  return false;
}

function allIn(words: readonly string[], present: ReadonlySet<string>): boolean {
  for (const w of words) if (!present.has(w)) return false;
  return true;
}

function overlapsAny(matches: readonly AliasMatch[], start: number, end: number): boolean {
  for (const m of matches) if (start < m.end && end > m.start) return true;
  return false;
}

function matchAt(alias: Alias, positions: number[]): AliasMatch {
  return { alias, positions, start: Math.min(...positions), end: Math.max(...positions) + 1 };
}

/** Unused positions holding each of the phrase's words, within a window a little longer than the phrase. */
function scatteredPositions(
  tokens: readonly string[],
  phrase: readonly string[],
  used: ReadonlySet<number>,
): number[] | null {
  const window = phrase.length + MAX_INSERTED_WORDS;
  for (let start = 0; start < tokens.length; start += 1) {
    if (used.has(start) || !phrase.includes(tokens[start]!)) continue;
    const taken = new Set<number>();
    const positions = phrase.map((word) => {
      for (let i = start; i < Math.min(tokens.length, start + window); i += 1) {
        if (tokens[i] === word && !used.has(i) && !taken.has(i)) {
          taken.add(i);
          return i;
        }
      }
      return -1;
    });
    if (positions.every((p) => p >= 0)) return positions;
  }
  return null;
}
