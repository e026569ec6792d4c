import type { Redis } from 'ioredis';
import type { EventBus } from './event-bus.ts';
import {
  cleanEntry,
  MAX_ENTRIES,
  TranscriptEntry,
  type Appended,
  type NewEntry,
  type Transcript,
  type TranscriptListener,
} from './transcript.ts';

/**
 * Appends one message atomically: returns the earlier one when its message id is known, else
 * numbers it, stores it, trims the list and refreshes the TTL; with a 4th key, adds it to the records'
 * outbox stream in the same atomic step (a line the citizen got is never missing from the records).
 * KEYS: list, counter, ids hash[, outbox stream]. ARGV: entry JSON (no seq), message id or '', ISO
 * time, max entries, ttl seconds, conversation, outbox cap.
 * Returns {0, entry JSON} when added, {1, entry JSON} for a duplicate (a stub when trimmed away).
 */
const APPEND_SCRIPT = `
local id = ARGV[2]
if id ~= '' then
  local seq = redis.call('HGET', KEYS[3], id)
  if seq then
    local entries = redis.call('LRANGE', KEYS[1], 0, -1)
    for _, json in ipairs(entries) do
      local e = cjson.decode(json)
      if tostring(e.seq) == seq then return {1, json} end
    end
    -- Recorded so long ago that the list has dropped it: still a duplicate.
    return {1, cjson.encode({seq = tonumber(seq), from = 'citizen', text = '', messageId = id, at = ''})}
  end
end
local seq = redis.call('INCR', KEYS[2])
local entry = cjson.decode(ARGV[1])
entry.seq = seq
entry.at = ARGV[3]
local json = cjson.encode(entry)
redis.call('RPUSH', KEYS[1], json)
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[4]), -1)
if id ~= '' then redis.call('HSET', KEYS[3], id, seq) end
local ttl = tonumber(ARGV[5])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ttl) end
if KEYS[4] then
  local event = {kind = 'transcript', id = ARGV[6] .. '#' .. seq, at = ARGV[3], conversation = ARGV[6],
    seq = seq, from = entry.from, text = entry.text, agent = entry.agent}
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], '*', 'event', cjson.encode(event))
end
return {0, json}
`;

const TOPIC = 'transcript';

interface ScriptedRedis {
  transcriptAppend(keys: number, ...args: (string | number)[]): Promise<[number, string]>;
}

/**
 * The transcript in Redis, shared by every server process: a list of JSON entries per conversation,
 * a counter for the sequence numbers and a hash of message ids, written by one Lua script.
 */
export class RedisTranscript implements Transcript {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; ttlSeconds: number; outbox?: { key: string; cap: number } },
    /** Appends reach subscribers in every process sharing the Redis through it. */
    private readonly bus: EventBus,
  ) {
    redis.defineCommand('transcriptAppend', { lua: APPEND_SCRIPT });
  }

  async append(conversation: string, raw: NewEntry): Promise<Appended> {
    const entry = cleanEntry(raw);
    const base = `${this.options.prefix}transcript:${conversation}`;
    const outbox = this.options.outbox;
    const keys = [`${base}:entries`, `${base}:seq`, `${base}:ids`, ...(outbox === undefined ? [] : [outbox.key])];
    const [duplicate, json] = await (this.redis as unknown as ScriptedRedis).transcriptAppend(
      keys.length,
      ...keys,
      JSON.stringify(entry),
      entry.messageId ?? '',
      new Date().toISOString(),
      MAX_ENTRIES,
      this.options.ttlSeconds,
      conversation,
      outbox?.cap ?? 0,
    );
    const stored = parseEntry(json);
    if (duplicate === 0) await this.bus.publish(TOPIC, { conversation, entry: stored });
    return { entry: stored, duplicate: duplicate === 1 };
  }

  async read(conversation: string, afterSeq: number, limit = MAX_ENTRIES): Promise<TranscriptEntry[]> {
    const list = await this.redis.lrange(`${this.options.prefix}transcript:${conversation}:entries`, -MAX_ENTRIES, -1);
    return list
      .map(parseEntry)
      .filter((e) => e.seq > afterSeq)
      .slice(-limit);
  }

  async forget(conversation: string): Promise<void> {
    const base = `${this.options.prefix}transcript:${conversation}`;
    await this.redis.del(`${base}:entries`, `${base}:seq`, `${base}:ids`);
  }

  subscribe(listener: TranscriptListener): () => void {
    return this.bus.subscribe(TOPIC, (payload) => {
      const { conversation, entry } = payload as { conversation: string; entry: unknown };
      const parsed = TranscriptEntry.safeParse(entry);
      if (typeof conversation === 'string' && parsed.success) listener(conversation, parsed.data);
    });
  }

  async close(): Promise<void> {}
}

/** cjson writes an empty array as {}: entries are checked and mended once, here. */
function parseEntry(json: string): TranscriptEntry {
  const raw = JSON.parse(json) as Record<string, unknown>;
  if (!Array.isArray(raw.suggestedActions)) raw.suggestedActions = [];
  return TranscriptEntry.parse(raw);
}
