/** Failed logins per key (the console uses `${username}|${ip}` and `ip`). */
export interface LoginThrottle {
  /** null when a login may be tried now, else milliseconds to wait. */
  blockedFor(key: string): Promise<number | null>;
  failed(key: string): Promise<void>;
  /** A success clears the key. */
  succeeded(key: string): Promise<void>;
}

/**
 * After `maxFailures` within `windowMs` a key is blocked until the oldest of them leaves the window
 * (a sliding window: one more try is allowed then).
 */
export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
}

export function throttleLimits(options: Partial<ThrottleLimits> = {}): ThrottleLimits {
  const limits = { maxFailures: options.maxFailures ?? 5, windowMs: options.windowMs ?? 15 * 60_000 };
  if (!Number.isInteger(limits.maxFailures) || limits.maxFailures < 1) throw new RangeError('maxFailures must be a positive integer');
  if (!(limits.windowMs > 0)) throw new RangeError('windowMs must be positive');
  return limits;
}

/** Past this many keys the least recently failed are forgotten, so a spray of addresses cannot grow memory without end. */
const MAX_KEYS = 10_000;

/**
 * {@link LoginThrottle} in this process's memory, bounded (the oldest keys past 10,000 are
 * forgotten): for the embedded default, a single process. Several processes share Redis and
 * {@link RedisLoginThrottle}, or an attacker would get the budget once per process.
 */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly limits: ThrottleLimits;
  /** Times of the latest failures per key (at most `maxFailures`), in order; Map order = least recently failed first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    options: Partial<ThrottleLimits> = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.limits = throttleLimits(options);
  }

  async blockedFor(key: string): Promise<number | null> {
    const times = this.recent(key);
    if (times.length < this.limits.maxFailures) return null;
    return times[0]! + this.limits.windowMs - this.clock();
  }

  async failed(key: string): Promise<void> {
    const times = this.recent(key);
    times.push(this.clock());
    if (times.length > this.limits.maxFailures) times.splice(0, times.length - this.limits.maxFailures);
    this.failures.delete(key);
    this.failures.set(key, times);
    for (const oldest of this.failures.keys()) {
      if (this.failures.size <= MAX_KEYS) break;
      this.failures.delete(oldest);
    }
  }

  async succeeded(key: string): Promise<void> {
    this.failures.delete(key);
  }

  /** The key's failures still inside the window; a key with none left is dropped. */
  private recent(key: string): number[] {
    const times = this.failures.get(key);
    if (times === undefined) return [];
    const since = this.clock() - this.limits.windowMs;
    const live = times.filter((t) => t > since);
    if (live.length === 0) this.failures.delete(key);
    else if (live.length !== times.length) this.failures.set(key, live);
    return live;
  }
}
