import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { loadKnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { loadDevQueries } from '../src/search/search-evaluation.ts';
import { fmt, mb, percentile, timeEach } from './stats.ts';

const DEV_QUERIES = fileURLToPath(new URL('../tests/dev-sets/search-queries.jsonl', import.meta.url));
const PROBE = fileURLToPath(new URL('./load-probe.ts', import.meta.url));

interface ProbeResult {
  loadMs: number;
  rssBefore: number;
  rssAfterLoad: number;
  heapAfterLoad: number;
  rssAfterQueries: number;
}

/**
 * Memory of a fresh process that only loads the knowledge base and runs the queries, with node's
 * flags as given: its defaults (as `npm start`), and a 4 MB young generation, which saves about
 * 35 MB but triples the collection pauses of a chat turn (see docs/performance.md).
 */
function probeMemory(knowledgeDir: string, queries: readonly string[], nodeFlags: string[]): ProbeResult {
  const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', PROBE, knowledgeDir, ...queries], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim()) as ProbeResult;
}

function describeProbe(label: string, p: ProbeResult, searches: number): string {
  return `RSS, fresh process, ${label}: ${mb(p.rssBefore)} before loading (node + tsx), ${mb(p.rssAfterLoad)} after loading (target < 150 MB), ${mb(p.rssAfterQueries)} after ${searches} searches; heap used after loading ${mb(p.heapAfterLoad)}`;
}

/**
 * Procedure search: load + index build time, RSS after loading, and query latency over the dev set
 * queries, against the naive baseline of plain fuse.js over the raw procedure names.
 */
export async function runSearchBench(knowledgeDir: string): Promise<string> {
  const queries = loadDevQueries(DEV_QUERIES).map((q) => q.query);
  const probeSmallYoung = probeMemory(knowledgeDir, queries, ['--max-semi-space-size=4']);
  const probe = probeMemory(knowledgeDir, queries, []);
  const loadStart = performance.now();
  const kb = loadKnowledgeBase(knowledgeDir);
  const loadMs = performance.now() - loadStart;

  const ours = timeEach(queries, (q) => kb.search.search(q, 5));

  const baselineStart = performance.now();
  const fuse = new Fuse(
    kb.catalog.summaries.map((r) => r.name),
    { includeScore: true, ignoreLocation: true },
  );
  const baselineBuildMs = performance.now() - baselineStart;
  const baseline = timeEach(queries, (q) => fuse.search(q, { limit: 5 }), 2);

  const p50 = percentile(ours, 50);
  const p99 = percentile(ours, 99);
  const b50 = percentile(baseline, 50);
  const b99 = percentile(baseline, 99);
  return [
    '## Procedure search',
    `catalogue: ${kb.catalog.size} procedures; ${queries.length} dev-set queries x 5 rounds`,
    `knowledge load + index build: ${loadMs.toFixed(0)} ms here, ${probe.loadMs.toFixed(0)} ms in a fresh process (baseline plain fuse.js index: ${baselineBuildMs.toFixed(0)} ms)`,
    describeProbe("node's defaults, as `npm start` runs it", probe, queries.length * 20),
    describeProbe('a 4 MB young generation (--max-semi-space-size=4)', probeSmallYoung, queries.length * 20),
    `search latency: p50 ${fmt(p50)}, p99 ${fmt(p99)}, max ${fmt(ours[ours.length - 1]!)} (target p99 < 5 ms)`,
    `baseline plain fuse.js over names: p50 ${fmt(b50)}, p99 ${fmt(b99)}`,
    `ratio ours/baseline: p50 ${(p50 / b50).toFixed(4)}, p99 ${(p99 / b99).toFixed(4)} (ours is ${(b50 / p50).toFixed(0)}x faster at p50)`,
  ].join('\n');
}
