import { describe, expect, it } from 'vitest';
import { RedisStorage } from '../../../src/state/redis-storage.ts';
import { storageContract } from '../../contract/storage.contract.ts';
import { redisConnections, redisPrefixes } from '../../helpers/redis.ts';

const newPrefix = redisPrefixes();
const client = redisConnections();

const opened = new Map<RedisStorage, string>();
storageContract(
  'RedisStorage',
  async () => {
    const prefix = newPrefix();
    const storage = new RedisStorage(client(), { prefix, ttlSeconds: 60 });
    opened.set(storage, prefix);
    return storage;
  },
  // A second connection, as a second server process would have, on the same keys.
  async (first) => new RedisStorage(client(), { prefix: opened.get(first as RedisStorage)!, ttlSeconds: 60 }),
);

describe('RedisStorage', () => {
  it('gives every item a time to live, so abandoned conversations expire', async () => {
    const redis = client();
    const prefix = newPrefix();
    await new RedisStorage(redis, { prefix, ttlSeconds: 120 }).write({ a: { v: 1 } });
    const ttl = await redis.ttl(`${prefix}a`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });
});
