import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

/** The real Redis these machines run (`.ci/run` starts it when absent); tests never skip it. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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
