import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryLoginThrottle, type LoginThrottle, type ThrottleLimits } from '../../../src/agents/login-throttle.ts';
import { RedisLoginThrottle } from '../../../src/agents/redis-login-throttle.ts';
import { redisConnections } from '../../helpers/redis.ts';

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;

const redis = redisConnections();

type Make = (options?: Partial<ThrottleLimits>, clock?: () => number) => LoginThrottle;

/** One contract, two stores: this process's memory, and Redis (the real server) for several processes. */
const stores: [string, () => Make][] = [
  ['memory', () => (options, clock) => new MemoryLoginThrottle(options, clock)],
  [
    'Redis',
    () => {
      const prefix = `test:${randomUUID()}:`;
      const connection = redis();
      return (options, clock) => new RedisLoginThrottle(connection, prefix, 'account', options, clock);
    },
  ],
];

describe.each(stores)('LoginThrottle in %s', (_name, store) => {
  function throttle(options?: Partial<ThrottleLimits>) {
    const clock = { now: 1_000_000 };
    return { clock, throttle: store()(options, () => clock.now) };
  }

  it('blocks a key after 5 failures in 15 minutes, for the rest of the window, and no other key', async () => {
    const { clock, throttle: t } = throttle();
    for (let i = 0; i < 4; i++) {
      await t.failed('lan|10.0.0.1');
      clock.now += MINUTE;
    }
    expect(await t.blockedFor('lan|10.0.0.1')).toBeNull();
    await t.failed('lan|10.0.0.1');
    // The first failure was 4 minutes ago: 11 minutes left.
    expect(await t.blockedFor('lan|10.0.0.1')).toBe(WINDOW - 4 * MINUTE);
    expect(await t.blockedFor('lan|10.0.0.2')).toBeNull();
    expect(await t.blockedFor('10.0.0.1')).toBeNull();
  });

  it('unblocks once the window has passed', async () => {
    const { clock, throttle: t } = throttle();
    // Five failures in the same millisecond are five failures.
    for (let i = 0; i < 5; i++) await t.failed('k');
    expect(await t.blockedFor('k')).toBe(WINDOW);
    clock.now += WINDOW - 1;
    expect(await t.blockedFor('k')).toBe(1);
    clock.now += 1;
    expect(await t.blockedFor('k')).toBeNull();
    // A fresh failure starts counting again from one.
    await t.failed('k');
    expect(await t.blockedFor('k')).toBeNull();
  });

  it('counts only failures inside the window', async () => {
    const { clock, throttle: t } = throttle();
    await t.failed('k');
    clock.now += 10 * MINUTE;
    for (let i = 0; i < 3; i++) await t.failed('k');
    clock.now += 6 * MINUTE; // the first failure is now 16 minutes old
    await t.failed('k');
    expect(await t.blockedFor('k')).toBeNull();
    await t.failed('k');
    expect(await t.blockedFor('k')).toBe(WINDOW - 6 * MINUTE);
  });

  it('a success clears the key', async () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 5; i++) await t.failed('k');
    expect(await t.blockedFor('k')).not.toBeNull();
    await t.succeeded('k');
    expect(await t.blockedFor('k')).toBeNull();
    for (let i = 0; i < 4; i++) await t.failed('k');
    expect(await t.blockedFor('k')).toBeNull();
  });

  it('takes other limits, and refuses impossible ones', async () => {
    const { throttle: t } = throttle({ maxFailures: 2, windowMs: 1000 });
    await t.failed('k');
    expect(await t.blockedFor('k')).toBeNull();
    await t.failed('k');
    expect(await t.blockedFor('k')).toBe(1000);
    expect(() => store()({ maxFailures: 0 })).toThrow(RangeError);
    expect(() => store()({ windowMs: -1 })).toThrow(RangeError);
  });
});

describe('LoginThrottle in memory', () => {
  it('remembers at most 10,000 keys, forgetting the least recently failed', async () => {
    const clock = { now: 1_000_000 };
    const t = new MemoryLoginThrottle({}, () => clock.now);
    for (let i = 0; i < 5; i++) await t.failed('old');
    for (let i = 0; i < 5; i++) await t.failed('recent');
    for (let i = 0; i < 9_998; i++) await t.failed(`spray-${i}`);
    // 10,000 keys: both still known.
    expect(await t.blockedFor('old')).not.toBeNull();
    await t.failed('recent');
    await t.failed('spray-final');
    expect(await t.blockedFor('old')).toBeNull();
    expect(await t.blockedFor('recent')).not.toBeNull();
  });
});

describe('LoginThrottle in Redis', () => {
  it('is one count for every process: failures through two connections add up', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [a, b] = [new RedisLoginThrottle(redis(), prefix, 'account'), new RedisLoginThrottle(redis(), prefix, 'account')];
    for (let i = 0; i < 3; i++) await a.failed('lan|10.0.0.1');
    for (let i = 0; i < 2; i++) await b.failed('lan|10.0.0.1');
    expect(await a.blockedFor('lan|10.0.0.1')).toBeGreaterThan(WINDOW - MINUTE);
    expect(await b.blockedFor('lan|10.0.0.1')).toBeGreaterThan(WINDOW - MINUTE);
    // Another scope is another count.
    expect(await new RedisLoginThrottle(redis(), prefix, 'address').blockedFor('lan|10.0.0.1')).toBeNull();
  });

  it('lets every key expire with its window, so a spray of addresses leaves nothing behind', async () => {
    const prefix = `test:${randomUUID()}:`;
    const connection = redis();
    const t = new RedisLoginThrottle(connection, prefix, 'address', { windowMs: 5_000 });
    await t.failed('10.0.0.9');
    const ttl = await connection.pttl(`${prefix}login-throttle:address:10.0.0.9`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    // At most `maxFailures` times are kept per key, however many failures there were.
    for (let i = 0; i < 20; i++) await t.failed('10.0.0.9');
    expect(await connection.zcard(`${prefix}login-throttle:address:10.0.0.9`)).toBe(5);
  });
});
