import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { loadKnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { loadDevQueries } from '../src/search/search-evaluation.ts';
import { fmt, mb, percentile, timeEach } from './stats.ts';

const DEV_QUERIES = fileURLToPath(new URL('../tests/dev-sets/search-queries.jsonl', import.meta.url));

/**
 * Procedure search: load + index build time, RSS after loading, and query latency over the dev set
 * queries, against the naive baseline of plain fuse.js over the raw procedure names.
 */
export async function runSearchBench(knowledgeDir: string): Promise<string> {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const loadStart = performance.now();
  const kb = loadKnowledgeBase(knowledgeDir);
  const loadMs = performance.now() - loadStart;
  const rssAfter = process.memoryUsage().rss;

  const queries = loadDevQueries(DEV_QUERIES).map((q) => q.query);
  const ours = timeEach(queries, (q) => kb.search.search(q, 5));

  const baselineStart = performance.now();
  const fuse = new Fuse(kb.catalog.records.map((r) => r.name), { includeScore: true, ignoreLocation: true });
  const baselineBuildMs = performance.now() - baselineStart;
  const baseline = timeEach(queries, (q) => fuse.search(q, { limit: 5 }), 2);

  const p50 = percentile(ours, 50);
  const p99 = percentile(ours, 99);
  const b50 = percentile(baseline, 50);
  const b99 = percentile(baseline, 99);
  return [
    '## Procedure search',
    `catalogue: ${kb.catalog.size} procedures; ${queries.length} dev-set queries x 5 rounds`,
    `knowledge load + index build: ${loadMs.toFixed(0)} ms (baseline plain fuse.js index: ${baselineBuildMs.toFixed(0)} ms)`,
    `RSS: ${mb(rssBefore)} before loading, ${mb(rssAfter)} after (target < 150 MB)`,
    `search latency: p50 ${fmt(p50)}, p99 ${fmt(p99)}, max ${fmt(ours[ours.length - 1]!)} (target p99 < 5 ms)`,
    `baseline plain fuse.js over names: p50 ${fmt(b50)}, p99 ${fmt(b99)}`,
    `ratio ours/baseline: p50 ${(p50 / b50).toFixed(4)}, p99 ${(p99 / b99).toFixed(4)} (ours is ${(b50 / p50).toFixed(0)}x faster at p50)`,
  ].join('\n');
}
