import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FileLock,
  InProcessLock,
  LockTimeoutError,
  RedisLock,
  type CrossProcessLock,
} from '../../src/state/cross-process-lock.ts';
import { redisConnections, redisPrefixes } from '../helpers/redis.ts';

const connect = redisConnections();
const prefix = redisPrefixes();

/** Runs `n` holders at once, each yielding inside the lock, and counts how many were inside together. */
async function mostAtOnce(lock: CrossProcessLock, n: number): Promise<number> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: n }, () =>
      lock.withLock(async () => {
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside -= 1;
      }),
    ),
  );
  return most;
}

const kinds: Array<[string, (ttlMs?: number) => CrossProcessLock]> = [
  ['file', (ttlMs) => new FileLock(join(mkdtempSync(join(tmpdir(), 'lock-')), 'x.lock'), ttlMs)],
  ['redis', (ttlMs) => new RedisLock(connect(), `${prefix()}lock`, ttlMs)],
  ['in-process', () => new InProcessLock('test')],
];

describe.each(kinds)('%s lock', (_name, make) => {
  it('lets one holder in at a time and releases after a failure', async () => {
    const lock = make();
    expect(await mostAtOnce(lock, 5)).toBe(1);
    await expect(lock.withLock(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.withLock(async () => 'after')).toBe('after');
  });

  it('gives up with a LockTimeoutError when the holder keeps it past the wait', async () => {
    const lock = make();
    let release!: () => void;
    const held = lock.withLock(() => new Promise<void>((resolve) => (release = resolve)));
    await expect(lock.withLock(async () => 'never', 100)).rejects.toBeInstanceOf(LockTimeoutError);
    release();
    await held;
  });
});

describe('file lock left by a dead process', () => {
  it('is taken over once older than its time, not before', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lock-')), 'x.lock');
    writeFileSync(path, '');
    await expect(new FileLock(path, 60_000).withLock(async () => 'fresh', 100)).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(path, old, old);
    expect(await new FileLock(path, 60_000).withLock(async () => 'taken', 100)).toBe('taken');
  });
});
