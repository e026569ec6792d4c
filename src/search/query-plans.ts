import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { AliasTable } from './alias-table.ts';
import { ContextSpeller } from './context-speller.ts';
import type { NameIndex } from './name-index.ts';
import { QueryPlanner, type QueryPlan } from './query-planner.ts';
import { searchWords, type SearchWord } from './search-tokens.ts';

const PLANNER = {
  unknownWordShare: 0.7,
  unknownBigramShare: 0.5,
  minAliasShare: 0.5,
  fuzzyMaxScore: 0.34,
  fuzzyMinLength: 3,
  maxStopWordNames: 15,
} as const;

export const MAX_QUERY_CHARS = 1_000;
const MAX_QUERY_WORDS = 60;
const RECENT_PLANS = 16;

/** The query planner as the search uses it: plans of the last few queries are kept. */
export class QueryPlans {
  readonly planner: QueryPlanner;
  private readonly recentPlans = new Map<string, { words: SearchWord[]; plan: QueryPlan }>();

  constructor(
    names: NameIndex,
    private readonly text: VietnameseText,
    aliases: AliasTable,
    stopPhrases: readonly (readonly SearchWord[])[],
  ) {
    const speller = new ContextSpeller(names.nameWords.map((words) => words.map((w) => w.folded)));
    this.planner = new QueryPlanner(
      names.index,
      aliases,
      stopPhrases,
      speller,
      (w) => text.isKnownSyllable(w),
      PLANNER,
    );
  }

  /** The query's words and plan; the last few are kept, as one message is often asked both ways. */
  planFor(query: string): { words: SearchWord[]; plan: QueryPlan } {
    const kept = this.recentPlans.get(query);
    if (kept !== undefined) return kept;
    // A procedure is named in a sentence or two; past that, extra words only cost time.
    const words = searchWords(this.text, query.slice(0, MAX_QUERY_CHARS)).slice(0, MAX_QUERY_WORDS);
    const planned = { words, plan: this.planner.plan(words) };
    if (this.recentPlans.size >= RECENT_PLANS) this.recentPlans.delete(this.recentPlans.keys().next().value!);
    this.recentPlans.set(query, planned);
    return planned;
  }
}
