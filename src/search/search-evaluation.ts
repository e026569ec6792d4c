import { readJsonLines } from '../shared/line-files.ts';
import { z } from 'zod';
import type { ProcedureHit } from './procedure-hit.ts';

const DevQuery = z.object({ query: z.string(), expected: z.array(z.string()), tag: z.string() });
export type DevQuery = z.infer<typeof DevQuery>;

interface SearchMiss {
  query: DevQuery;
  got: ProcedureHit[];
}

export interface SearchEvaluation {
  total: number;
  top1: number;
  top3: number;
  byTag: Record<string, { total: number; top1: number; top3: number }>;
  misses: SearchMiss[];
}

export function loadDevQueries(path: string): DevQuery[] {
  return readJsonLines(path, DevQuery);
}

/**
 * Top-1 / top-3 accuracy. A query expecting nothing is right only when the search returns nothing
 * (at top 1 and top 3 alike): answering a missing procedure with an unrelated one is the error
 * we most want to see.
 */
export function evaluateSearch(queries: readonly DevQuery[], search: (q: string) => ProcedureHit[]): SearchEvaluation {
  const result: SearchEvaluation = { total: 0, top1: 0, top3: 0, byTag: {}, misses: [] };
  for (const query of queries) {
    const got = search(query.query);
    const expected = new Set(query.expected);
    const ok1 = expected.size === 0 ? got.length === 0 : expected.has(got[0]?.code ?? '');
    const ok3 = expected.size === 0 ? got.length === 0 : got.slice(0, 3).some((h) => expected.has(h.code));
    const tag = (result.byTag[query.tag] ??= { total: 0, top1: 0, top3: 0 });
    for (const bucket of [result, tag]) {
      bucket.total += 1;
      bucket.top1 += ok1 ? 1 : 0;
      bucket.top3 += ok3 ? 1 : 0;
    }
    if (!ok1) result.misses.push({ query, got: got.slice(0, 3) });
  }
  return result;
}

export function formatEvaluation(e: SearchEvaluation): string {
  const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
  const lines = [
    `queries: ${e.total}`,
    `top-1: ${pct(e.top1, e.total)} (${e.top1}/${e.total})`,
    `top-3: ${pct(e.top3, e.total)} (${e.top3}/${e.total})`,
    '',
    'by tag:',
    ...Object.entries(e.byTag)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([tag, t]) =>
          `  ${tag.padEnd(12)} n=${String(t.total).padStart(3)}  top-1 ${pct(t.top1, t.total)}  top-3 ${pct(t.top3, t.total)}`,
      ),
    '',
    `misses at top 1 (${e.misses.length}):`,
    ...e.misses.map(
      (m) =>
        `  ${JSON.stringify(m.query.query)} [${m.query.tag}] expected ${m.query.expected.join('|') || '(nothing)'} got ${
          m.got.map((h) => `${h.code}:${h.score} ${h.name.slice(0, 60)}`).join(' ; ') || '(nothing)'
        }`,
    ),
  ];
  return lines.join('\n');
}
