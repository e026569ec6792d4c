/**
 * A token bucket: bursts up to `capacity`, then `refillPerSecond` on average. Used to rate-limit a
 * connection or a sender without timers: tokens are worked out from the time of each take.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = clock();
  }

  /** Takes a token if there is one; otherwise says how long until there will be. */
  take(): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000) };
  }
}
