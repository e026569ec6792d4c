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
export async function timeEachAsync<T>(
  inputs: readonly T[],
  fn: (input: T) => Promise<unknown>,
  rounds = 5,
  warmUp = true,
): Promise<number[]> {
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Times `fn` once per input, one call at a time with `gapMs` idle before each, as a server sees
 * messages arrive; next to each, the same gap then a fixed piece of arithmetic (`probe`), timed the
 * same way: the machine's own jitter, measured in the same run. Returns both, sorted.
 */
export async function timePaced<T>(
  inputs: readonly T[],
  fn: (input: T) => Promise<unknown>,
  gapMs = 1,
): Promise<{ samples: number[]; probe: number[] }> {
  const samples: number[] = [];
  const probe: number[] = [];
  for (const input of inputs) {
    await pause(gapMs);
    let start = process.hrtime.bigint();
    await fn(input);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    await pause(gapMs);
    start = process.hrtime.bigint();
    fixedWork();
    probe.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { samples: samples.sort((a, b) => a - b), probe: probe.sort((a, b) => a - b) };
}

let sink = 0;

/**
 * A fixed piece of arithmetic, about the size of a typical parse. It allocates nothing: the sum
 * stays in a local (a module-level one is a boxed number, so each addition allocated and the probe
 * measured its own collections rather than the machine).
 */
function fixedWork(): void {
  let total = 0;
  for (let i = 0; i < 100_000; i += 1) total += Math.sqrt(i);
  sink += total;
  if (sink < 0) throw new Error('unreachable');
}
