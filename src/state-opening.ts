import { Redis } from 'ioredis';
import type { AppConfig } from './shared/config.ts';
import type { LimitOverrides } from './state/shared-limits.ts';
import { MemoryOutbox, OUTBOX_CAP, RedisOutbox, type RecordOutbox } from './records/record-outbox.ts';
import { transcriptEvent } from './records/transcript-event.ts';
import { DependencyUnavailable } from './shared/errors.ts';
import type { Logger } from './shared/logger.ts';
import { MemoryEventBus, RedisEventBus, type EventBus } from './state/event-bus.ts';
import { MemoryStorage } from './state/memory-storage.ts';
import { RedisStorage } from './state/redis-storage.ts';
import { RedisTranscript } from './state/redis-transcript.ts';
import { SharedLimits } from './state/shared-limits.ts';
import type { Storage } from './state/storage-contract.ts';
import { MemoryTranscript, type Transcript } from './state/transcript.ts';
import {
  FileUnansweredLog,
  MemoryUnansweredLog,
  RedisUnansweredLog,
  type UnansweredLog,
} from './state/unanswered-log.ts';

/* Opening the hot store the assistant runs on: memory, or Redis when REDIS_URL is set. */

/** What opening the store reads of the assistant's configuration. */
type StoreConfig = Pick<AppConfig, 'redisUrl' | 'redisKeyPrefix' | 'stateTtlSeconds'> &
  Partial<Pick<AppConfig, 'unansweredFile'>> & {
    limitOverrides?: LimitOverrides;
    records?: boolean;
    recordsClaimIdleMs?: number;
  };

export interface OpenedStorage {
  storage: Storage;
  transcript: Transcript;
  bus: EventBus;
  limits: SharedLimits;
  redis: Redis | undefined;
  storeReachable: () => Promise<boolean>;
  /** Where record events wait for the records writer, when the assistant keeps records. */
  outbox: RecordOutbox | undefined;
  close: () => Promise<void>;
}

/** The unanswered questions: a Redis list when shared, else the file (or, with none configured, memory). */
export function openUnansweredLog(
  config: Pick<StoreConfig, 'unansweredFile' | 'redisKeyPrefix'>,
  redis: Redis | undefined,
): UnansweredLog {
  if (redis !== undefined) return new RedisUnansweredLog(redis, config.redisKeyPrefix);
  return config.unansweredFile === undefined ? new MemoryUnansweredLog() : new FileUnansweredLog(config.unansweredFile);
}

/** How long the start-up and the health check wait for Redis to answer. */
const START_PING_MS = 5000;
const HEALTH_PING_MS = 1000;

/**
 * In-memory state by default; Redis when `REDIS_URL` is set. A Redis that does not answer at start
 * is a {@link DependencyUnavailable} naming it, not a crash later on.
 */
export async function openStorage(config: StoreConfig, log: Logger): Promise<OpenedStorage> {
  if (config.redisUrl === undefined) {
    log.info('state.store.memory');
    const transcript = new MemoryTranscript(config.stateTtlSeconds);
    const outbox = config.records === true ? new MemoryOutbox() : undefined;
    // One process: every line appended is the records' too.
    if (outbox !== undefined)
      transcript.subscribe((conversation, entry) => outbox.add(transcriptEvent(conversation, entry)));
    return {
      storage: new MemoryStorage(),
      transcript,
      bus: new MemoryEventBus(),
      limits: SharedLimits.memory(config.limitOverrides),
      redis: undefined,
      storeReachable: async () => true,
      outbox,
      close: async () => {
        await outbox?.close();
      },
    };
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (err) => log.warn({ err }, 'state.redis.error'));
  if (!(await answers(redis, START_PING_MS))) {
    redis.disconnect();
    throw new DependencyUnavailable('redis', redactedUrl(config.redisUrl));
  }
  // Pub/sub needs a connection of its own: a subscribed connection can do nothing else.
  const subscriber = redis.duplicate();
  subscriber.on('error', (err) => log.warn({ err }, 'state.redis.error'));
  // Ready before the first SUBSCRIBE: a connection that subscribes while ioredis's ready check is
  // still to run refuses the check, and then never receives a message.
  if (!(await answers(subscriber, START_PING_MS))) {
    redis.disconnect();
    subscriber.disconnect();
    throw new DependencyUnavailable('redis', redactedUrl(config.redisUrl));
  }
  log.info({ prefix: config.redisKeyPrefix }, 'state.store.redis');
  const options = { prefix: config.redisKeyPrefix, ttlSeconds: config.stateTtlSeconds };
  const bus = new RedisEventBus(redis, subscriber, config.redisKeyPrefix);
  const outbox =
    config.records === true
      ? new RedisOutbox(redis, `${config.redisKeyPrefix}records:outbox`, log, config.recordsClaimIdleMs)
      : undefined;
  const outboxKey = outbox === undefined ? {} : { outbox: { key: outbox.key, cap: OUTBOX_CAP } };
  return {
    storage: new RedisStorage(redis, options),
    transcript: new RedisTranscript(redis, { ...options, ...outboxKey }, bus),
    outbox,
    bus,
    limits: SharedLimits.redis(redis, config.redisKeyPrefix, config.limitOverrides),
    redis,
    storeReachable: () => answers(redis, HEALTH_PING_MS),
    close: async () => {
      await outbox?.close();
      await bus.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Whether Redis answers a PING within the time. */
async function answers(redis: Redis, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      redis.ping().then(
        (reply) => reply === 'PONG',
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for an operator's error message. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
