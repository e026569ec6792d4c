import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../src/shared/atomic-file.ts';
import { FileLock, RedisLock } from '../../src/state/cross-process-lock.ts';
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

/** In Redis, shared by every server process: the pair in one key, the refresh under the one Redis lock. */
export class RedisTokenStore implements TokenStore {
  private readonly lock: RedisLock;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.lock = new RedisLock(redis, `${prefix}zalo:tokens:lock`);
  }

  async read(): Promise<TokenPair | null> {
    const json = await this.redis.get(`${this.prefix}zalo:tokens`);
    return json === null ? null : TokenPair.parse(JSON.parse(json));
  }

  async write(pair: TokenPair): Promise<void> {
    // No expiry: the refresh token lives 3 months, far beyond the state TTL.
    await this.redis.set(`${this.prefix}zalo:tokens`, JSON.stringify(TokenPair.parse(pair)));
  }

  withLock<T>(work: () => Promise<T>, waitMs?: number): Promise<T> {
    return this.lock.withLock(work, waitMs);
  }
}

/** In a file (the embedded default, one machine): written by rename, the refresh under a lock file beside it. */
export class FileTokenStore implements TokenStore {
  private readonly lock: FileLock;

  constructor(private readonly path: string) {
    this.lock = new FileLock(`${path}.lock`);
  }

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

  withLock<T>(work: () => Promise<T>, waitMs?: number): Promise<T> {
    return this.lock.withLock(work, waitMs);
  }
}
