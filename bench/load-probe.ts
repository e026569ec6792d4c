/**
 * Run in a fresh process by the benchmark: loads the knowledge base the way the server does and
 * prints its memory as one JSON line, so the figure is not inflated by the benchmark's own data.
 */
import { loadKnowledgeBase } from '../src/knowledge/knowledge-base.ts';

const knowledgeDir = process.argv[2];
if (!knowledgeDir) throw new Error('usage: load-probe <knowledge dir> [queries...]');
const before = process.memoryUsage();
const started = performance.now();
const kb = loadKnowledgeBase(knowledgeDir);
const loadMs = performance.now() - started;
const afterLoad = process.memoryUsage();
for (let round = 0; round < 20; round += 1) for (const q of process.argv.slice(3)) kb.search.search(q, 5);
const afterQueries = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    loadMs,
    rssBefore: before.rss,
    rssAfterLoad: afterLoad.rss,
    heapAfterLoad: afterLoad.heapUsed,
    rssAfterQueries: afterQueries.rss,
  })}\n`,
);
