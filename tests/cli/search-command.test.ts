import { describe, expect, it } from 'vitest';
import { runTs } from '../helpers/processes.ts';

describe('cli search --jsonl', () => {
  it('writes one result object per input line, in order, including for bad lines', async () => {
    const input = ['lam lltp', '', '🎉', 'giá vàng hôm nay', 'x'.repeat(10_000), 'doi gplx'].join('\n') + '\n';
    const { code, stdout } = await runTs('src/cli/main.ts', ['search', '--jsonl', '--limit', '2'], input);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { query: string; results: { code: string }[] });
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ query: 'lam lltp' });
    expect(lines[0]!.results[0]).toEqual({ code: '3.000333', name: expect.any(String), score: expect.any(Number) });
    expect(lines[1]!.results).toEqual([]);
    expect(lines[2]!.results).toEqual([]);
    expect(lines[3]!.results).toEqual([]);
    expect(lines[5]!.results.length).toBeLessThanOrEqual(2);
    expect(lines[5]!.results[0]!.code).toBe('3.000347');
  });

  it('rejects a bad --limit with a message and a non-zero exit', async () => {
    const { code, stderr } = await runTs('src/cli/main.ts', ['search', '--jsonl', '--limit', 'many'], '');
    expect(code).not.toBe(0);
    expect(stderr).toContain('limit');
  });
});
