import { randomUUID } from 'node:crypto';
import { writeFileAtomic } from '../../src/shared/atomic-file.ts';
import { mkdirSync, readFileSync, openSync, closeSync, unlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** An OA access token and its single-use refresh token (spec §3). */
export const TokenPair = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** When the access token expires (ms since the epoch), from Zalo's `expires_in`. */
  expiresAt: z.number(),
  /** Bumped on every refresh: tells a process its copy is stale. */
  version: z.number().int().nonnegative(),
});
export type TokenPair = z.infer<typeof TokenPair>;

/**
 * Where the token pair lives, and a lock that serialises refreshes across processes: a refresh
 * token works once, so two processes refreshing with the same one would break the chain.
 */
export interface TokenStore {
  read(): Promise<TokenPair | null>;
  /** Replaces the pair atomically (the new refresh token is the only one that works now). */
  write(pair: TokenPair): Promise<void>;
  /** Runs `work` holding the refresh lock (waiting for it up to `waitMs`). */
  withLock<T>(work: () => Promise<T>, waitMs?: number): Promise<T>;
}

const LOCK_TTL_MS = 15_000;
const LOCK_POLL_MS = 25;

/** In Redis, shared by every server process: the pair in one key, the lock a SET NX PX with an owner token. */
export class RedisTokenStore implements TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async read(): Promise<TokenPair | null> {
    const json = await this.redis.get(`${this.prefix}zalo:tokens`);
    return json === null ? null : TokenPair.parse(JSON.parse(json));
  }

  async write(pair: TokenPair): Promise<void> {
    // No expiry: the refresh token lives 3 months, far beyond the state TTL.
    await this.redis.set(`${this.prefix}zalo:tokens`, JSON.stringify(TokenPair.parse(pair)));
  }

  async withLock<T>(work: () => Promise<T>, waitMs = 20_000): Promise<T> {
    const key = `${this.prefix}zalo:tokens:lock`;
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, owner, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error('zalo: timed out waiting for the token refresh lock');
      await sleep(LOCK_POLL_MS);
    }
    try {
      return await work();
    } finally {
      // Only the owner releases: a lock that expired and was taken by another process stays theirs.
      await this.redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end", 1, key, owner);
    }
  }
}

/** In a file (the embedded default, one machine): written by rename, locked by an exclusive lock file. */
export class FileTokenStore implements TokenStore {
  constructor(private readonly path: string) {}

  async read(): Promise<TokenPair | null> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return TokenPair.parse(JSON.parse(text));
  }

  async write(pair: TokenPair): Promise<void> {
    writeFileAtomic(this.path, JSON.stringify(TokenPair.parse(pair)), 0o600);
  }

  async withLock<T>(work: () => Promise<T>, waitMs = 20_000): Promise<T> {
    const lock = `${this.path}.lock`;
    mkdirSync(dirname(lock), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        closeSync(openSync(lock, 'wx', 0o600));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // A lock left by a process that died mid-refresh goes after its time.
        const held = statSync(lock, { throwIfNoEntry: false });
        if (held !== undefined && Date.now() - held.mtimeMs > LOCK_TTL_MS) unlinkSync(lock);
        else if (Date.now() > deadline) throw new Error('zalo: timed out waiting for the token refresh lock');
        else await sleep(LOCK_POLL_MS);
      }
    }
    try {
      return await work();
    } finally {
      try {
        unlinkSync(lock);
      } catch {
        // Already removed as stale by another process.
      }
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
