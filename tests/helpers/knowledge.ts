import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { VietnameseText } from '../../src/text/vietnamese-text.ts';

/** The repository's own knowledge/ folder: tests run on the data the product ships. */
export const KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge', import.meta.url));

let text: VietnameseText | undefined;
export function vietnameseText(): VietnameseText {
  text ??= VietnameseText.load(KNOWLEDGE_DIR);
  return text;
}

let kb: KnowledgeBase | undefined;
/** The knowledge base the product ships (knowledge/), loaded once per test file. */
export function knowledgeBase(): KnowledgeBase {
  kb ??= loadKnowledgeBase(KNOWLEDGE_DIR);
  return kb;
}
