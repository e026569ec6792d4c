import type { ProcedureSearch } from '../search/procedure-search.ts';
import { SEARCH_LIMITS, validateLimit } from '../search/search-request.ts';
import { stdinLines, writeJsonLine } from './jsonl.ts';

/**
 * `search --jsonl [--limit N]`: one query per stdin line, one `{"query", "results"}` per stdout line,
 * always one output line per input line so callers can zip them.
 */
export async function runSearchCommand(search: ProcedureSearch, args: string[]): Promise<void> {
  if (!args.includes('--jsonl')) throw new Error('usage: search --jsonl [--limit N]');
  const limitAt = args.indexOf('--limit');
  const limit = validateLimit(limitAt >= 0 ? args[limitAt + 1] : undefined);
  for await (const line of stdinLines()) {
    const query = line.length > SEARCH_LIMITS.maxQueryLength ? line.slice(0, SEARCH_LIMITS.maxQueryLength) : line;
    await writeJsonLine({ query: line, results: query.trim() === '' ? [] : search.search(query, limit) });
  }
}
