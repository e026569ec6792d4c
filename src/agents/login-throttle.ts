/** Past this many keys the least recently failed are forgotten, so a spray of addresses cannot grow memory without end. */
const MAX_KEYS = 10_000;

/** Failed logins per key (the route will use `${username}|${ip}` and `ip`): after `maxFailures` within `windowMs`, blocked until the window passes; a success clears the key. In memory, bounded (forget the oldest keys past 10,000). */
export class LoginThrottle {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  /** Times of the latest failures per key (at most `maxFailures`), in order; Map order = least recently failed first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    options: { maxFailures?: number; windowMs?: number } = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    if (!Number.isInteger(this.maxFailures) || this.maxFailures < 1) throw new RangeError('maxFailures must be a positive integer');
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** null when a login may be tried now, else milliseconds to wait. */
  blockedFor(key: string): number | null {
    const times = this.recent(key);
    if (times.length < this.maxFailures) return null;
    // A sliding window: one more try is allowed once the oldest counted failure is out of it.
    return times[0]! + this.windowMs - this.clock();
  }

  failed(key: string): void {
    const times = this.recent(key);
    times.push(this.clock());
    if (times.length > this.maxFailures) times.splice(0, times.length - this.maxFailures);
    this.failures.delete(key);
    this.failures.set(key, times);
    for (const oldest of this.failures.keys()) {
      if (this.failures.size <= MAX_KEYS) break;
      this.failures.delete(oldest);
    }
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  /** The key's failures still inside the window; a key with none left is dropped. */
  private recent(key: string): number[] {
    const times = this.failures.get(key);
    if (times === undefined) return [];
    const since = this.clock() - this.windowMs;
    const live = times.filter((t) => t > since);
    if (live.length === 0) this.failures.delete(key);
    else if (live.length !== times.length) this.failures.set(key, live);
    return live;
  }
}
