import { describe, expect, it } from 'vitest';
import { FirstDeliveries } from '../../../src/state/first-deliveries.ts';
import { MemoryStorage } from '../../../src/state/memory-storage.ts';
import { RedisStorage } from '../../../src/state/redis-storage.ts';
import { redisConnections, redisPrefixes } from '../../helpers/redis.ts';

const newPrefix = redisPrefixes();
const redis = redisConnections();

describe('FirstDeliveries', () => {
  it('is true once per key, and per kind', async () => {
    const storage = new MemoryStorage();
    const follows = new FirstDeliveries(storage, 'zalo-follow');
    expect(await follows.first('u1:1700000000000')).toBe(true);
    expect(await follows.first('u1:1700000000000')).toBe(false);
    expect(await follows.first('u1:1700000000001')).toBe(true);
    expect(await new FirstDeliveries(storage, 'other').first('u1:1700000000000')).toBe(true);
  });

  it('in Redis, two processes receiving the same delivery at once: exactly one gets true', async () => {
    const options = { prefix: newPrefix(), ttlSeconds: 60 };
    const [a, b] = [
      new FirstDeliveries(new RedisStorage(redis(), options), 'zalo-follow'),
      new FirstDeliveries(new RedisStorage(redis(), options), 'zalo-follow'),
    ];
    for (let i = 0; i < 20; i += 1) {
      const results = await Promise.all([
        a.first(`u${i}:1`),
        b.first(`u${i}:1`),
        a.first(`u${i}:1`),
        b.first(`u${i}:1`),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });
});
