/**
 * A circuit breaker: after `failures` failures in a row it opens, refusing calls for `openMs`; then
 * one call is let through (half-open) and its outcome closes or re-opens it. A dead backend then
 * costs nothing per turn instead of a timeout each time.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openUntil = 0;
  private trial = false;

  constructor(
    private readonly options: { failures: number; openMs: number },
    private readonly clock: () => number = Date.now,
  ) {}

  get state(): 'closed' | 'open' | 'half_open' {
    if (this.openUntil === 0) return 'closed';
    return this.clock() < this.openUntil ? 'open' : 'half_open';
  }

  allows(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trial) return false;
    this.trial = true;
    return true;
  }

  succeeded(): void {
    this.consecutive = 0;
    this.openUntil = 0;
    this.trial = false;
  }

  failed(): void {
    this.consecutive += 1;
    this.trial = false;
    if (this.consecutive >= this.options.failures || this.openUntil !== 0)
      this.openUntil = this.clock() + this.options.openMs;
  }
}
