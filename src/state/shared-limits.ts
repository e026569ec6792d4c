import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { Errors } from '../shared/errors.ts';

/** A budget: `points` takes per `seconds` (a fixed window from the key's first take). */
export interface LimitPolicy {
  points: number;
  seconds: number;
  /** A burst allowance on top, refilled over its own window (a citizen's messages come in twos and threes). */
  burst?: { points: number; seconds: number };
}

/**
 * Every limit of the service, in one place. Each is counted where every server process sees it
 * (Redis when there is one), and nothing is ever wiped to make room: keys expire with their window.
 */
const LIMITS = {
  /** Wrong-or-right login tries on one account, from anywhere: a spray over many addresses stops here. */
  'login.account': { points: 10, seconds: 15 * 60 },
  /** Login tries on one account from one address: an officer who mistypes is slowed, not the whole account. */
  'login.account-address': { points: 5, seconds: 15 * 60 },
  /** Login tries from one address over all accounts. */
  'login.address': { points: 30, seconds: 15 * 60 },
  /** Dossier look-ups by one channel user (a Zalo or Messenger user, a webchat conversation). */
  'dossier.lookup.user': { points: 5, seconds: 10 * 60 },
  /** Dossier look-ups from one network address (webchat conversations are free to make; the address is not). */
  'dossier.lookup.origin': { points: 30, seconds: 60 * 60 },
  /** Look-ups of one dossier code, by anyone. */
  'dossier.lookup.code': { points: 20, seconds: 60 * 60 },
  /** Tries at a code's 4 phone digits, by anyone: the third wrong one locks the code (see DossierDesk). */
  'dossier.verify.code': { points: 3, seconds: 60 * 60 },
  /** Messages of one webchat conversation, over all its tabs and processes: 1 a second, plus a burst of 7. */
  'webchat.message.conversation': { points: 1, seconds: 1, burst: { points: 7, seconds: 10 } },
  /** New webchat conversations from one address. */
  'webchat.conversation.address': { points: 20, seconds: 10 * 60 },
} as const satisfies Record<string, LimitPolicy>;

export type LimitName = keyof typeof LIMITS;

/** Open things at once per key (webchat sockets per address), across processes. */
const GAUGES = {
  'webchat.sockets.address': { max: 30 },
} as const satisfies Record<string, { max: number }>;
export type GaugeName = keyof typeof GAUGES;

/** Other numbers for some limits (tests and the bench; the service runs on {@link LIMITS} and {@link GAUGES}). */
export interface LimitOverrides {
  limits?: Partial<Record<LimitName, LimitPolicy>>;
  gauges?: Partial<Record<GaugeName, { max: number }>>;
}

export type Verdict = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

/**
 * The service's rate limits (rate-limiter-flexible: Redis when shared, memory otherwise) and
 * concurrency gauges. Keys are hashed: addresses, user ids and codes are not stored as typed.
 * A store that cannot be reached fails closed, with CHAT_ERR_STORE_UNAVAILABLE.
 */
export class SharedLimits {
  private readonly limiters = new Map<LimitName, RateLimiterAbstract | BurstyRateLimiter>();
  private readonly gauges = new Map<GaugeName, ConcurrencyGauge>();

  private constructor(
    private readonly make: (prefix: string, policy: { points: number; seconds: number }) => RateLimiterAbstract,
    private readonly makeGauge: (name: GaugeName, max: number) => ConcurrencyGauge,
    overrides: LimitOverrides,
  ) {
    this.policies = { ...LIMITS, ...overrides.limits };
    this.maxima = { ...GAUGES, ...overrides.gauges };
  }

  private readonly policies: Record<LimitName, LimitPolicy>;
  private readonly maxima: Record<GaugeName, { max: number }>;

  /** In this process's memory: the embedded default, one process. */
  static memory(overrides: LimitOverrides = {}): SharedLimits {
    return new SharedLimits(
      (prefix, p) => new RateLimiterMemory({ keyPrefix: prefix, points: p.points, duration: p.seconds }),
      (_name, max) => new MemoryGauge(max),
      overrides,
    );
  }

  /** In Redis, shared by every process on it. */
  static redis(redis: Redis, keyPrefix: string, overrides: LimitOverrides = {}): SharedLimits {
    return new SharedLimits(
      (prefix, p) =>
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${keyPrefix}limit:${prefix}`,
          points: p.points,
          duration: p.seconds,
        }),
      (name, max) => new RedisGauge(redis, `${keyPrefix}gauge:${name}:`, max),
      overrides,
    );
  }

  /** Takes one point (or `points`) from the key's budget: ok, or refused with the wait. */
  async take(name: LimitName, key: string, points = 1): Promise<Verdict> {
    try {
      const res = await this.limiter(name).consume(hashed(key), points);
      return { ok: true, remaining: res.remainingPoints };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1, err.msBeforeNext) };
      throw Errors.storeUnavailable(err);
    }
  }

  /** Whether a take would succeed now, without taking (a locked key says how long it stays locked). */
  async peek(name: LimitName, key: string): Promise<Verdict> {
    const policy = this.policies[name];
    try {
      const res = await this.plain(name).get(hashed(key));
      if (res === null || res.consumedPoints < policy.points)
        return { ok: true, remaining: policy.points - (res?.consumedPoints ?? 0) };
      return { ok: false, retryAfterMs: Math.max(1, res.msBeforeNext) };
    } catch (err) {
      throw Errors.storeUnavailable(err);
    }
  }

  /** Refuses the key for `seconds` from now, whatever its count. */
  async lock(name: LimitName, key: string, seconds: number): Promise<void> {
    try {
      await this.plain(name).block(hashed(key), seconds);
    } catch (err) {
      throw Errors.storeUnavailable(err);
    }
  }

  /** Forgets the key's count (a login that succeeded). */
  async forgive(name: LimitName, key: string): Promise<void> {
    try {
      await this.plain(name).delete(hashed(key));
    } catch (err) {
      throw Errors.storeUnavailable(err);
    }
  }

  /** Returns one point taken (a try that turned out not to count against the key). */
  async giveBack(name: LimitName, key: string): Promise<void> {
    try {
      await this.plain(name).reward(hashed(key), 1);
    } catch (err) {
      throw Errors.storeUnavailable(err);
    }
  }

  gauge(name: GaugeName): ConcurrencyGauge {
    let gauge = this.gauges.get(name);
    if (gauge === undefined) {
      gauge = this.makeGauge(name, this.maxima[name].max);
      this.gauges.set(name, gauge);
    }
    return gauge;
  }

  private limiter(name: LimitName): RateLimiterAbstract | BurstyRateLimiter {
    let limiter = this.limiters.get(name);
    if (limiter === undefined) {
      const policy = this.policies[name];
      const steady = this.make(`${name}:`, policy);
      limiter =
        policy.burst === undefined ? steady : new BurstyRateLimiter(steady, this.make(`${name}:burst:`, policy.burst));
      this.limiters.set(name, limiter);
    }
    return limiter;
  }

  /** The steady limiter of a name (get, block and delete are not defined on a bursty pair). */
  private plain(name: LimitName): RateLimiterAbstract {
    const limiter = this.limiter(name);
    if (limiter instanceof BurstyRateLimiter)
      throw new TypeError(`${name}: peek, lock and forgive need a limit without a burst`);
    return limiter;
  }
}

function hashed(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 32);
}

/** How long a holder stays counted without a refresh: a process that died stops counting after this. */
const GAUGE_TTL_MS = 90_000;

/**
 * Things open at once per key (sockets per address), counted across processes. Each holder is
 * a member with an expiry, refreshed while it lives, so a crashed process's holders age out
 * instead of counting for ever.
 */
export interface ConcurrencyGauge {
  /** A new holder id when there is room under the maximum, else null. */
  enter(key: string): Promise<string | null>;
  /** Keeps the holders counted (call well within {@link GAUGE_TTL_MS}). */
  refresh(key: string, holders: readonly string[]): Promise<void>;
  leave(key: string, holder: string): Promise<void>;
}

class MemoryGauge implements ConcurrencyGauge {
  private readonly holders = new Map<string, Map<string, number>>();

  constructor(private readonly max: number) {}

  async enter(key: string): Promise<string | null> {
    const k = hashed(key);
    const now = Date.now();
    const live = this.holders.get(k) ?? new Map<string, number>();
    for (const [holder, expires] of live) if (expires <= now) live.delete(holder);
    if (live.size >= this.max) return null;
    const holder = randomUUID();
    live.set(holder, now + GAUGE_TTL_MS);
    this.holders.set(k, live);
    return holder;
  }

  async refresh(key: string, holders: readonly string[]): Promise<void> {
    const live = this.holders.get(hashed(key));
    for (const holder of holders) if (live?.has(holder)) live.set(holder, Date.now() + GAUGE_TTL_MS);
  }

  async leave(key: string, holder: string): Promise<void> {
    const k = hashed(key);
    const live = this.holders.get(k);
    live?.delete(holder);
    if (live?.size === 0) this.holders.delete(k);
  }
}

/** Drops expired holders, then adds one if there is room. KEYS: the set. ARGV: now, ttl ms, max, holder. */
const ENTER_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** Moves the holders' expiry on, for those still there. KEYS: the set. ARGV: expiry, ttl ms, holders… */
const REFRESH_SCRIPT = `
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0
`;

interface GaugeScripts {
  gaugeEnter(keys: 1, key: string, now: number, ttl: number, max: number, holder: string): Promise<number>;
  gaugeRefresh(keys: 1, key: string, expires: number, ttl: number, ...holders: string[]): Promise<number>;
}

class RedisGauge implements ConcurrencyGauge {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max: number,
  ) {
    redis.defineCommand('gaugeEnter', { lua: ENTER_SCRIPT });
    redis.defineCommand('gaugeRefresh', { lua: REFRESH_SCRIPT });
  }

  async enter(key: string): Promise<string | null> {
    const holder = randomUUID();
    try {
      const entered = await this.scripts.gaugeEnter(1, this.key(key), Date.now(), GAUGE_TTL_MS, this.max, holder);
      return entered === 1 ? holder : null;
    } catch (err) {
      throw Errors.storeUnavailable(err);
    }
  }

  async refresh(key: string, holders: readonly string[]): Promise<void> {
    if (holders.length === 0) return;
    try {
      await this.scripts.gaugeRefresh(1, this.key(key), Date.now() + GAUGE_TTL_MS, GAUGE_TTL_MS, ...holders);
    } catch (err) {
      throw Errors.storeUnavailable(err);
    }
  }

  async leave(key: string, holder: string): Promise<void> {
    try {
      await this.redis.zrem(this.key(key), holder);
    } catch (err) {
      throw Errors.storeUnavailable(err);
    }
  }

  private get scripts(): GaugeScripts {
    return this.redis as unknown as GaugeScripts;
  }

  private key(key: string): string {
    return `${this.prefix}${hashed(key)}`;
  }
}
