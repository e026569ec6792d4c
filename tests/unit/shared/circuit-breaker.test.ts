import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/shared/circuit-breaker.ts';

describe('CircuitBreaker', () => {
  it('opens after failures in a row, lets one trial through after the pause, and closes or re-opens on its outcome', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failures: 3, openMs: 1000 }, () => now);
    for (let i = 0; i < 2; i += 1) {
      expect(breaker.allows()).toBe(true);
      breaker.failed();
    }
    breaker.succeeded();
    for (let i = 0; i < 3; i += 1) breaker.failed();
    expect(breaker.state).toBe('open');
    expect(breaker.allows()).toBe(false);
    now += 1000;
    expect(breaker.allows()).toBe(true);
    expect(breaker.allows()).toBe(false);
    breaker.failed();
    expect(breaker.state).toBe('open');
    now += 1000;
    expect(breaker.allows()).toBe(true);
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    expect(breaker.allows()).toBe(true);
  });
});
