import { describe, expect, it } from 'vitest';
import { RedisTranscript } from '../../../src/state/redis-transcript.ts';
import { RedisEventBus } from '../../../src/state/event-bus.ts';
import { MAX_ENTRIES, MemoryTranscript } from '../../../src/state/transcript.ts';
import { transcriptContract } from '../../contract/transcript.contract.ts';
import { redisConnections, redisPrefixes } from '../../helpers/redis.ts';

const newPrefix = redisPrefixes();
const client = redisConnections();
/** A bus per handle, as each server process has its own subscriber connection. */
const bus = (prefix: string) => new RedisEventBus(client(), client(), prefix);

transcriptContract('MemoryTranscript', async () => new MemoryTranscript(3600));

const prefixes = new Map<RedisTranscript, string>();
transcriptContract(
  'RedisTranscript',
  async () => {
    const prefix = newPrefix();
    const transcript = new RedisTranscript(client(), { prefix, ttlSeconds: 60 }, bus(prefix));
    prefixes.set(transcript, prefix);
    return transcript;
  },
  async (first) => {
    const prefix = prefixes.get(first as RedisTranscript)!;
    return new RedisTranscript(client(), { prefix, ttlSeconds: 60 }, bus(prefix));
  },
);

describe('transcripts', () => {
  it('forget a conversation nobody touched for the time to live (memory)', async () => {
    let now = Date.parse('2026-11-26T08:00:00Z');
    const t = new MemoryTranscript(60, () => now);
    await t.append('webchat:x', { from: 'citizen', text: 'alo', suggestedActions: [] });
    now += 61_000;
    expect(await t.read('webchat:x', 0)).toEqual([]);
  });

  it('set a time to live on every Redis key of a conversation, and keep only the latest messages', async () => {
    const redis = client();
    const prefix = newPrefix();
    const t = new RedisTranscript(redis, { prefix, ttlSeconds: 120 }, bus(prefix));
    for (let i = 0; i < MAX_ENTRIES + 5; i += 1)
      await t.append('webchat:y', { from: 'bot', text: `${i}`, suggestedActions: [], messageId: `m${i}` });
    for (const suffix of ['entries', 'seq', 'ids']) {
      const ttl = await redis.ttl(`${prefix}transcript:webchat:y:${suffix}`);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
    expect(await redis.llen(`${prefix}transcript:webchat:y:entries`)).toBe(MAX_ENTRIES);
    expect((await t.read('webchat:y', 0, MAX_ENTRIES)).at(0)!.seq).toBe(6);
    // An id whose entry was trimmed away is still a duplicate: it is never run twice.
    const resent = await t.append('webchat:y', { from: 'bot', text: '0', suggestedActions: [], messageId: 'm0' });
    expect(resent.duplicate).toBe(true);
    expect(resent.entry.seq).toBe(1);
  });
});
