import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrBuildRecordIndex } from '../search/record-index-cache.ts';
import { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import { EverydayLexicon } from '../search/everyday-lexicon.ts';
import { ProcedureFinder } from '../search/procedure-finder.ts';
import { ProcedureSearch } from '../search/procedure-search.ts';
import { catalogueTokens, searchWords } from '../search/search-tokens.ts';
import { VietnameseText } from '../text/vietnamese-text.ts';
import { buildShortNames } from '../catalogue/short-names.ts';
import { CenterFacts } from './center-facts.ts';
import { FeeActs } from './fee-acts.ts';
import { ProcedureSummaries } from './procedure-summaries.ts';

/** Everything loaded from knowledge/: validated once at start-up, then shared read-only. */
export interface KnowledgeBase {
  text: VietnameseText;
  catalog: ProcedureCatalog;
  /** Procedure names, colloquial names and spelling: the part of finding a procedure that reads names. */
  search: ProcedureSearch;
  /** Finding the procedure a citizen means: names and whole records, fused (what the bot, the API and the CLI use). */
  finder: ProcedureFinder;
  center: CenterFacts;
  /** The staff's plain cards of the most asked procedures. */
  summaries: ProcedureSummaries;
  /** Amounts of the fee acts records cite without an amount. */
  feeActs: FeeActs;
  /** Every procedure's short name (curated, else made by rules), by code: unique, at most 60 characters. */
  shortNames: ReadonlyMap<string, string>;
}

/** Where derived indexes are cached when the caller does not say (next to the NLU model's cache). */
const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../.cache/search', import.meta.url));

export function loadKnowledgeBase(knowledgeDir: string, cacheDir = DEFAULT_CACHE_DIR): KnowledgeBase {
  const text = VietnameseText.load(knowledgeDir);
  const catalog = ProcedureCatalog.load(join(knowledgeDir, 'procedures'));
  const search = ProcedureSearch.load(knowledgeDir, catalog, text);
  const lexicon = EverydayLexicon.load(
    join(knowledgeDir, 'lexicon', 'everyday-words.json'),
    (s) => searchWords(text, s),
    catalogueTokens,
  );
  const records = loadOrBuildRecordIndex(catalog, join(knowledgeDir, 'procedures'), cacheDir);
  const finder = ProcedureFinder.build(catalog, search, lexicon, records);
  const center = CenterFacts.load(join(knowledgeDir, 'center.json'));
  const summaries = ProcedureSummaries.load(join(knowledgeDir, 'procedure-summaries.json'));
  const feeActs = FeeActs.load(join(knowledgeDir, 'fee-acts.json'));
  const shortNames = buildShortNames(catalog.summaries, summaries.shortNames());
  return { text, catalog, search, finder, center, summaries, feeActs, shortNames };
}
