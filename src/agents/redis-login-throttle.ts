import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { throttleLimits, type LoginThrottle, type ThrottleLimits } from './login-throttle.ts';

/** Drops failures out of the window, adds this one, keeps the latest `max`, and lets the key expire with the window. */
const FAILED_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0
`;

/** -1 when fewer than `max` failures are in the window, else milliseconds until the oldest leaves it. */
const BLOCKED_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then return -1 end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])
`;

interface ScriptedRedis {
  loginThrottleFailed(keys: number, key: string, now: number, windowMs: number, max: number, member: string): Promise<number>;
  loginThrottleBlocked(keys: number, key: string, now: number, windowMs: number, max: number): Promise<number>;
}

/**
 * {@link LoginThrottle} in Redis, shared by every console process: each key is a sorted set of its
 * latest failure times, changed by one Lua script at a time and expiring with the window, so a spray
 * of addresses leaves nothing behind.
 */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly limits: ThrottleLimits;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** What is throttled ("account", "address"): one sorted set per scope and key. */
    private readonly scope: string,
    options: Partial<ThrottleLimits> = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.limits = throttleLimits(options);
    redis.defineCommand('loginThrottleFailed', { lua: FAILED_SCRIPT });
    redis.defineCommand('loginThrottleBlocked', { lua: BLOCKED_SCRIPT });
  }

  async blockedFor(key: string): Promise<number | null> {
    const wait = await this.scripted.loginThrottleBlocked(1, this.keyOf(key), this.clock(), this.limits.windowMs, this.limits.maxFailures);
    return wait < 0 ? null : wait;
  }

  async failed(key: string): Promise<void> {
    // A unique member: two failures in the same millisecond are two failures.
    await this.scripted.loginThrottleFailed(1, this.keyOf(key), this.clock(), this.limits.windowMs, this.limits.maxFailures, randomUUID());
  }

  async succeeded(key: string): Promise<void> {
    await this.redis.del(this.keyOf(key));
  }

  private get scripted(): ScriptedRedis {
    return this.redis as unknown as ScriptedRedis;
  }

  private keyOf(key: string): string {
    return `${this.prefix}login-throttle:${this.scope}:${key}`;
  }
}
