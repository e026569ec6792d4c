import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach } from 'vitest';

/** The real Redis these machines run (`.ci/run` starts it when absent); tests never skip it. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The longest any key a test wrote may outlive it, should the run die before its clean-up. */
export const TEST_KEY_TTL_SECONDS = 3600;

/** A factory of Redis connections, all closed after the test file. */
export function redisConnections(): () => Redis {
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const redis of clients) await redis.quit();
  });
  return () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return redis;
  };
}

/**
 * A factory of key prefixes, `test:<uuid>:`, one per call: every key a test writes goes under one,
 * so no two tests, files or runs share a key. After each test every key under them that has no
 * expiry (the code under test keeps some for ever: agent accounts, Zalo tokens) is given
 * {@link TEST_KEY_TTL_SECONDS}; after the file (or the describe block it is called in) every key
 * under them is deleted.
 *
 * Call it before starting what writes under its prefixes (servers, processes) in the same block:
 * hooks after tests run in reverse order, so the keys are deleted once those have stopped.
 */
export function redisPrefixes(): () => string {
  const prefixes: string[] = [];
  let redis: Redis | null = null;
  const connection = () => (redis ??= new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }));
  afterEach(async () => {
    for (const prefix of prefixes) await expireKeys(connection(), prefix);
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(connection(), prefix);
    await redis?.quit();
  });
  return () => {
    const prefix = `test:${randomUUID()}:`;
    prefixes.push(prefix);
    return prefix;
  };
}

/** Every key under `prefix`, by SCAN (never KEYS, which blocks the server). */
async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Gives every key under `prefix` without an expiry one of {@link TEST_KEY_TTL_SECONDS} (EXPIRE … NX keeps shorter ones). */
async function expireKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length === 0) return;
  const batch = redis.pipeline();
  for (const key of keys) batch.call('EXPIRE', key, TEST_KEY_TTL_SECONDS, 'NX');
  await batch.exec();
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
}
