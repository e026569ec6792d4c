import { readPhraseList } from '../shared/line-files.ts';
import { join } from 'node:path';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { FoundProcedure, ProcedureFinder } from '../search/procedure-finder.ts';
import type { ProcedureSearch } from '../search/procedure-search.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';

/** Fewest words (after stop words) that can name a procedure; abbreviations count expanded ("lltp" is 4). */
export const MIN_NAMING_WORDS = 2;

/** What a message says of a procedure, beyond what it asks. */
export interface Mention {
  /** The procedures it names, best first; empty when it names none. */
  candidates: FoundProcedure[];
  /** Its words that could name a procedure ("vé cáp treo" in "vé cáp treo giá bao nhiêu"), folded. */
  namingWords: string[];
  /** Share of those words that procedure names or aliases use. */
  knownShare: number;
}

/** A question phrase found in more than this share of procedure names is generic there. */
const GENERIC_SHARE = 0.05;

/** A name match this good on the message without its question needs no second look at the whole message. */
const CONFIDENT = 0.85;

/**
 * Finds the procedure a message names, if any, by the procedure finder — after taking out what the
 * citizen asks about it (knowledge/lexicon/question-phrases.txt): "phí bao nhiêu" names no procedure
 * (it refers to the one in discussion), although the search alone would find "Hỗ trợ chi phí".
 *
 * @remarks
 * A few procedure names contain a question phrase ("… đủ điều kiện an toàn thực phẩm"), so when
 * the message had such a phrase and the rest matches no name well, the whole message is searched
 * too and the better score of the two counts.
 */
export class ProcedureMentions {
  constructor(
    private readonly search: ProcedureSearch,
    private readonly finder: ProcedureFinder,
    private readonly text: VietnameseText,
    /** Question phrases (folded words) by their first word, longest first. */
    private readonly questionPhrases: ReadonlyMap<string, readonly (readonly string[])[]>,
    /** Those of several words that some procedure's name also has ("điều kiện", "thời hạn"). */
    private readonly inNames: ReadonlySet<readonly string[]>,
  ) {}

  static load(
    knowledgeDir: string,
    { search, finder, text, catalog }: Pick<KnowledgeBase, 'search' | 'finder' | 'text' | 'catalog'>,
  ): ProcedureMentions {
    const names = catalog.summaries.map((s) => s.name);
    const phrases = readPhraseList(join(knowledgeDir, 'lexicon', 'question-phrases.txt'))
      .map((line) => text.fold(line).split(' '))
      .sort((a, b) => b.length - a.length);
    const byFirst = new Map<string, string[][]>();
    for (const phrase of phrases) byFirst.set(phrase[0]!, [...(byFirst.get(phrase[0]!) ?? []), phrase]);
    const foldedNames = names.map((name) => ` ${text.fold(name)} `);
    const namesWith = (p: readonly string[]) => foldedNames.filter((n) => n.includes(` ${p.join(' ')} `)).length;
    // A phrase in a few names is part of those names ("đủ điều kiện"); in many, it says nothing
    // about which one ("thủ tục", "(thực hiện tại cấp tỉnh)").
    const inNames = new Set(
      phrases.filter((p) => {
        const n = p.length > 1 ? namesWith(p) : 0;
        return n > 0 && n <= GENERIC_SHARE * names.length;
      }),
    );
    return new ProcedureMentions(search, finder, text, byFirst, inNames);
  }

  /**
   * Whether the message could name a procedure (words beyond its question): the training set's
   * generator tells bare questions ("phí bao nhiêu") by it. Words, not search results: the training
   * data must not shift when the catalogue's lists of names do.
   */
  namesByName(message: string): boolean {
    const { rest } = this.split(message);
    return rest.length > 0 && this.search.contentWords(rest).length >= MIN_NAMING_WORDS;
  }

  /** The procedures the message names, best first; empty when it names none. */
  find(message: string, limit = 5): FoundProcedure[] {
    return this.read(message, limit).candidates;
  }

  /** What the message says of a procedure, beyond its question: read once for all three uses. */
  read(message: string, limit = 5): Mention {
    const { rest, removedNameWords } = this.split(message);
    const namingWords = rest.length === 0 ? [] : this.search.contentWords(rest);
    const knownShare = rest.length === 0 ? 0 : this.search.knownShare(rest);
    // One stray word left ("phí sao ad" → "sao") names nothing: it would match "bản sao".
    if (namingWords.length < MIN_NAMING_WORDS) return { candidates: [], namingWords, knownShare };
    const named = this.finder.findIn(rest, limit, message);
    if (!removedNameWords || (named[0]?.nameScore ?? 0) >= CONFIDENT)
      return { candidates: named, namingWords, knownShare };
    const best = new Map(named.map((hit) => [hit.code, hit]));
    // Found on the message without its question first: that reading stands (the question's own
    // words, "giấy tờ" in "cần giấy tờ gì", must not favour a name that has them too).
    for (const hit of this.finder.findIn(message, limit, message)) if (!best.has(hit.code)) best.set(hit.code, hit);
    const candidates = [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
    return { candidates, namingWords, knownShare };
  }

  /** How many of the (folded) words say something about which procedure (see ProcedureFinder). */
  informativeWords(words: readonly string[], pairs = false): number {
    return this.finder.informativeWords(words, pairs);
  }

  /** The message without its question phrases, as normalised words. */
  withoutQuestion(message: string): string {
    return this.split(message).rest;
  }

  /** The message without its question phrases, and whether one of those is also part of some name. */
  private split(message: string): { rest: string; removedNameWords: boolean } {
    const { normalized, folded } = this.text.analyze(message);
    if (normalized.length === 0) return { rest: '', removedNameWords: false };
    const words = normalized.split(' ');
    const foldedWords = folded.split(' ');
    const kept: string[] = [];
    let removedNameWords = false;
    for (let i = 0; i < words.length;) {
      const phrase = this.phraseAt(foldedWords, i);
      if (phrase) {
        removedNameWords ||= this.inNames.has(phrase);
        i += phrase.length;
      } else {
        kept.push(words[i]!);
        i += 1;
      }
    }
    return { rest: kept.join(' '), removedNameWords };
  }

  /** The longest question phrase starting at word `i`. */
  private phraseAt(words: readonly string[], i: number): readonly string[] | undefined {
    for (const phrase of this.questionPhrases.get(words[i]!) ?? []) {
      let k = 1;
      while (k < phrase.length && words[i + k] === phrase[k]) k += 1;
      if (k === phrase.length) return phrase;
    }
    return undefined;
  }
}
