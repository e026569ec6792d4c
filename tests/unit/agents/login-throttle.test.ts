import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../src/agents/login-throttle.ts';

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;

function throttle(options?: { maxFailures?: number; windowMs?: number }) {
  const clock = { now: 1_000_000 };
  return { clock, throttle: new LoginThrottle(options, () => clock.now) };
}

describe('LoginThrottle', () => {
  it('blocks a key after 5 failures in 15 minutes, for the rest of the window, and no other key', () => {
    const { clock, throttle: t } = throttle();
    for (let i = 0; i < 4; i++) {
      t.failed('lan|10.0.0.1');
      clock.now += MINUTE;
    }
    expect(t.blockedFor('lan|10.0.0.1')).toBeNull();
    t.failed('lan|10.0.0.1');
    // The first failure was 4 minutes ago: 11 minutes left.
    expect(t.blockedFor('lan|10.0.0.1')).toBe(WINDOW - 4 * MINUTE);
    expect(t.blockedFor('lan|10.0.0.2')).toBeNull();
    expect(t.blockedFor('10.0.0.1')).toBeNull();
  });

  it('unblocks once the window has passed', () => {
    const { clock, throttle: t } = throttle();
    for (let i = 0; i < 5; i++) t.failed('k');
    expect(t.blockedFor('k')).toBe(WINDOW);
    clock.now += WINDOW - 1;
    expect(t.blockedFor('k')).toBe(1);
    clock.now += 1;
    expect(t.blockedFor('k')).toBeNull();
    // A fresh failure starts counting again from one.
    t.failed('k');
    expect(t.blockedFor('k')).toBeNull();
  });

  it('counts only failures inside the window', () => {
    const { clock, throttle: t } = throttle();
    t.failed('k');
    clock.now += 10 * MINUTE;
    for (let i = 0; i < 3; i++) t.failed('k');
    clock.now += 6 * MINUTE; // the first failure is now 16 minutes old
    t.failed('k');
    expect(t.blockedFor('k')).toBeNull();
    t.failed('k');
    expect(t.blockedFor('k')).toBe(WINDOW - 6 * MINUTE);
  });

  it('a success clears the key', () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 5; i++) t.failed('k');
    expect(t.blockedFor('k')).not.toBeNull();
    t.succeeded('k');
    expect(t.blockedFor('k')).toBeNull();
    for (let i = 0; i < 4; i++) t.failed('k');
    expect(t.blockedFor('k')).toBeNull();
  });

  it('takes other limits', () => {
    const { throttle: t } = throttle({ maxFailures: 2, windowMs: 1000 });
    t.failed('k');
    expect(t.blockedFor('k')).toBeNull();
    t.failed('k');
    expect(t.blockedFor('k')).toBe(1000);
    expect(() => new LoginThrottle({ maxFailures: 0 })).toThrow(RangeError);
    expect(() => new LoginThrottle({ windowMs: -1 })).toThrow(RangeError);
  });

  it('remembers at most 10,000 keys, forgetting the least recently failed', () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 5; i++) t.failed('old');
    for (let i = 0; i < 5; i++) t.failed('recent');
    for (let i = 0; i < 9_998; i++) t.failed(`spray-${i}`);
    // 10,000 keys: both still known.
    expect(t.blockedFor('old')).not.toBeNull();
    t.failed('recent');
    t.failed('spray-final');
    expect(t.blockedFor('old')).toBeNull();
    expect(t.blockedFor('recent')).not.toBeNull();
  });
});
