import { readJsonFile } from '../shared/line-files.ts';
import { z } from 'zod';
import { hasDiacritics, type SearchWord } from './search-tokens.ts';

/**
 * knowledge/lexicon/everyday-words.json: what citizens say → what the catalogue says ("giấy báo
 * tử" → "khai tử", "mở tiệm" → "hộ kinh doanh"), by field. Staff add to it; a test checks that
 * every `means` is words of the catalogue.
 */
export const EverydayWordsFile = z.object({
  source: z.string().min(1),
  entries: z.array(z.object({ say: z.string().min(1), means: z.string().min(1), field: z.string().min(1) })),
});
export type EverydayWordsFile = z.infer<typeof EverydayWordsFile>;

/** One entry as matched: the everyday phrase (as written, to compare diacritics) and the catalogue's words, folded. */
interface Entry {
  say: readonly SearchWord[];
  means: readonly string[];
}

/**
 * The everyday-words lexicon as a query expansion: every entry whose phrase is in the query's
 * words adds the catalogue's words for it (a phrase met in several fields adds each field's).
 */
export class EverydayLexicon {
  private readonly byFirst = new Map<string, Entry[]>();
  readonly size: number;

  constructor(entries: readonly Entry[]) {
    const seen = new Set<string>();
    for (const e of entries) {
      const key = `${e.say.map((w) => w.accented).join(' ')}→${e.means.join(' ')}`;
      if (e.say.length === 0 || e.means.length === 0 || seen.has(key)) continue;
      seen.add(key);
      const first = e.say[0]!.folded;
      this.byFirst.set(first, [...(this.byFirst.get(first) ?? []), e]);
    }
    this.size = seen.size;
  }

  /** Reads the file; `words` turns a phrase into search words (as a query's are), `tokens` into folded tokens. */
  static load(
    path: string,
    words: (text: string) => SearchWord[],
    tokens: (text: string) => string[],
  ): EverydayLexicon {
    const file = readJsonFile(path, EverydayWordsFile);
    return new EverydayLexicon(file.entries.map((e) => ({ say: words(e.say), means: tokens(e.means) })));
  }

  /**
   * The catalogue's words for each everyday phrase found in `words`. Where the citizen typed
   * diacritics they must agree ("mất" the loss is not "mặt" the surface); without, the folded
   * words match.
   */
  expand(words: readonly SearchWord[]): (readonly string[])[] {
    const out: (readonly string[])[] = [];
    for (let i = 0; i < words.length; i += 1) {
      for (const entry of this.byFirst.get(words[i]!.folded) ?? []) {
        let k = 0;
        while (k < entry.say.length && i + k < words.length && same(words[i + k]!, entry.say[k]!)) k += 1;
        if (k === entry.say.length) out.push(entry.means);
      }
    }
    return out;
  }
}

/** A typed word and a lexicon word are the same word: by their letters, and by their diacritics when some were typed. */
function same(typed: SearchWord, listed: SearchWord): boolean {
  return hasDiacritics(typed.accented) ? typed.accented === listed.accented : typed.folded === listed.folded;
}
