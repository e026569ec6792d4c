import { join } from 'node:path';
import { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import { ProcedureSearch } from '../search/procedure-search.ts';
import { VietnameseText } from '../text/vietnamese-text.ts';
import { CenterFacts } from './center-facts.ts';

/** Everything loaded from knowledge/: validated once at start-up, then shared read-only. */
export interface KnowledgeBase {
  text: VietnameseText;
  catalog: ProcedureCatalog;
  search: ProcedureSearch;
  center: CenterFacts;
}

export function loadKnowledgeBase(knowledgeDir: string): KnowledgeBase {
  const text = VietnameseText.load(knowledgeDir);
  const catalog = ProcedureCatalog.load(join(knowledgeDir, 'procedures'));
  const search = ProcedureSearch.load(knowledgeDir, catalog, text);
  const center = CenterFacts.load(join(knowledgeDir, 'center.json'));
  return { text, catalog, search, center };
}
