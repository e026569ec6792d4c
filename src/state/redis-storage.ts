import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  requireKeys,
  stateConflict,
  withoutETag,
  writeCondition,
  type Storage,
  type StoreItem,
} from './storage-contract.ts';

/**
 * Checks every key's condition, then writes them all, in one atomic script: a conflict on any key
 * writes none. ARGV: ttl seconds, then per key: condition (any|create|match), expected eTag, new
 * eTag, JSON. Returns 0, or the 1-based index of the first key in conflict.
 */
const WRITE_SCRIPT = `
local ttl = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 4
  local condition = ARGV[base + 1]
  local current = redis.call('HGET', key, 'etag')
  if condition == 'create' and current then return i end
  if condition == 'match' and current ~= ARGV[base + 2] then return i end
end
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 4
  redis.call('HSET', key, 'etag', ARGV[base + 3], 'json', ARGV[base + 4])
  if ttl > 0 then redis.call('EXPIRE', key, ttl) end
end
return 0
`;

export interface RedisStorageOptions {
  /** Prefix of every key, so several deployments can share one Redis. */
  prefix: string;
  /** Items expire this long after their last write (0: never). */
  ttlSeconds: number;
}

/**
 * Shared state in Redis (ioredis), for several server processes: each item is a hash of its JSON
 * and its eTag, written by a Lua compare-and-set (see storage-contract.ts for the eTag rules).
 */
export class RedisStorage implements Storage {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStorageOptions,
  ) {
    redis.defineCommand('chatbotStateWrite', { lua: WRITE_SCRIPT });
  }

  async read(keys: string[]): Promise<StoreItem> {
    requireKeys(keys);
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(this.key(key), 'etag', 'json');
    const replies = (await pipeline.exec()) ?? [];
    const found: StoreItem = {};
    replies.forEach(([error, reply], i) => {
      if (error) throw error;
      const [eTag, json] = reply as [string | null, string | null];
      if (eTag !== null && json !== null) found[keys[i]!] = { ...JSON.parse(json), eTag };
    });
    return found;
  }

  async write(changes: StoreItem): Promise<void> {
    const entries = Object.entries(changes) as [string, StoreItem][];
    requireKeys(entries.map(([key]) => key));
    const args: (string | number)[] = [this.options.ttlSeconds];
    for (const [, item] of entries) {
      const condition = writeCondition(item);
      const expected = condition.kind === 'match' ? condition.eTag : '';
      args.push(condition.kind, expected, randomUUID(), JSON.stringify(withoutETag(item)));
    }
    const keys = entries.map(([key]) => this.key(key));
    const conflict = await (this.redis as unknown as ScriptedRedis).chatbotStateWrite(keys.length, ...keys, ...args);
    if (conflict !== 0) throw stateConflict(entries[conflict - 1]![0]);
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((key) => this.key(key)));
  }

  private key(key: string): string {
    return `${this.options.prefix}${key}`;
  }
}

interface ScriptedRedis {
  chatbotStateWrite(numKeys: number, ...args: (string | number)[]): Promise<number>;
}
