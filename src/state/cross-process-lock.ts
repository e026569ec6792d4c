import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Redis } from 'ioredis';

/**
 * The one lock helper: work that must run in one process at a time (a single-use refresh token, a scheduled
 * job). A lock expires after `ttlMs` so one left by a process that died goes by itself; work that may take
 * longer than that must not rely on it.
 */
export interface CrossProcessLock {
  /** Runs `work` holding the lock, waiting for it up to `waitMs`; throws `LockTimeoutError` after that. */
  withLock<T>(work: () => Promise<T>, waitMs?: number): Promise<T>;
}

export class LockTimeoutError extends Error {
  constructor(readonly lockName: string) {
    super(`timed out waiting for the lock ${lockName}`);
  }
}

const DEFAULT_TTL_MS = 15_000;
const DEFAULT_WAIT_MS = 20_000;
const POLL_MS = 25;

/** Releases only when the owner token still matches: a lock that expired and was taken by another is theirs. */
const RELEASE_IF_OWNER =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** In Redis, shared by every process on it: a SET NX PX with an owner token. */
export class RedisLock implements CrossProcessLock {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  async withLock<T>(work: () => Promise<T>, waitMs = DEFAULT_WAIT_MS): Promise<T> {
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(this.key, owner, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new LockTimeoutError(this.key);
      await sleep(POLL_MS);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE_IF_OWNER, 1, this.key, owner);
    }
  }
}

/** On one machine without Redis (the embedded default): an exclusive lock file beside what it guards. */
export class FileLock implements CrossProcessLock {
  constructor(
    private readonly path: string,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  async withLock<T>(work: () => Promise<T>, waitMs = DEFAULT_WAIT_MS): Promise<T> {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + waitMs;
    while (!this.tryTake()) {
      if (Date.now() > deadline) throw new LockTimeoutError(this.path);
      await sleep(POLL_MS);
    }
    try {
      return await work();
    } finally {
      try {
        unlinkSync(this.path);
      } catch {
        // Already removed as stale by another process.
      }
    }
  }

  private tryTake(): boolean {
    try {
      closeSync(openSync(this.path, 'wx', 0o600));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a process that died mid-work goes after its time.
      const held = statSync(this.path, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > this.ttlMs) unlinkSync(this.path);
      return false;
    }
  }
}

/** Within this process only: the embedded default, where one process is the whole service. */
export class InProcessLock implements CrossProcessLock {
  private held = false;

  constructor(private readonly name: string) {}

  async withLock<T>(work: () => Promise<T>, waitMs = DEFAULT_WAIT_MS): Promise<T> {
    const deadline = Date.now() + waitMs;
    while (this.held) {
      if (Date.now() > deadline) throw new LockTimeoutError(this.name);
      await sleep(POLL_MS);
    }
    this.held = true;
    try {
      return await work();
    } finally {
      this.held = false;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
