/** Percentile of already-sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Times `fn` once per input, after a warm-up pass; returns sorted milliseconds. */
export function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown, rounds = 5): number[] {
  for (const input of inputs) fn(input);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    for (const input of inputs) {
      const start = process.hrtime.bigint();
      fn(input);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return samples.sort((a, b) => a - b);
}

export const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Like {@link timeEach}, for async work: one call at a time, so each sample is one call's latency. */
export async function timeEachAsync<T>(inputs: readonly T[], fn: (input: T) => Promise<unknown>, rounds = 5, warmUp = true): Promise<number[]> {
  if (warmUp) for (const input of inputs) await fn(input);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    for (const input of inputs) {
      const start = process.hrtime.bigint();
      await fn(input);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return samples.sort((a, b) => a - b);
}
