import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.ts';
import type { NewRecordEvent, RecordSink } from './record-events.ts';

/** An event taken from the outbox: `ref` acknowledges it, `event` is what was written (validated by the writer). */
export interface OutboxItem {
  ref: string;
  event: unknown;
}

/**
 * Where record events wait between the turn and the database. Producers add (one fast write, never
 * awaited by a turn); the records writer takes a batch, applies it, then acknowledges it, so an event
 * is applied at least once and, events being idempotent, recorded exactly once.
 */
export interface RecordOutbox extends RecordSink {
  /** Up to `max` events not yet acknowledged, waiting up to `waitMs` for one. */
  take(max: number, waitMs: number): Promise<OutboxItem[]>;
  ack(refs: readonly string[]): Promise<void>;
  /** The last batch taken could not be applied: offer it again at the next take. */
  release(): Promise<void>;
  /** Events added and not yet acknowledged (the outbox lag). */
  backlog(): Promise<number>;
  close(): Promise<void>;
}

/** Past this many waiting events the oldest go: a database down for days must not fill Redis's memory. */
export const OUTBOX_CAP = 1_000_000;
const GROUP = 'records';

/**
 * A Redis Stream read by a consumer group, shared by every process: the transcript script adds its
 * entries to the stream in the same atomic step as the transcript itself (so a reply a citizen got is
 * in the outbox, whatever dies next); other events are one XADD. Each process reads as its own
 * consumer; events a dead process took and never acknowledged are claimed by a live one after
 * `claimIdleMs`. Acknowledged events are deleted, so the stream holds only what is still to write.
 */
export class RedisOutbox implements RecordOutbox {
  private readonly consumer = `writer-${randomUUID()}`;
  /** Blocking reads hold their connection: they get their own. */
  private readonly reader: Redis;
  private grouped: Promise<void> | null = null;
  /** After a failed batch (and at start, for a restarted consumer name) this consumer's own pending events come first. */
  private retryOwn = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly log: Logger,
    private readonly claimIdleMs = 30_000,
  ) {
    this.reader = redis.duplicate();
    this.reader.on('error', (err) => log.warn({ err }, 'records.outbox.redis_error'));
  }

  add(event: NewRecordEvent): void {
    this.redis
      .xadd(this.key, 'MAXLEN', '~', OUTBOX_CAP, '*', 'event', JSON.stringify(event))
      .catch((err: unknown) =>
        this.log.error({ err, conversation: event.conversation, kind: event.kind }, 'records.outbox.add_failed'),
      );
  }

  async take(max: number, waitMs: number): Promise<OutboxItem[]> {
    await this.ensureGroup();
    if (this.retryOwn) {
      const own = (await this.redis.xreadgroup(
        'GROUP',
        GROUP,
        this.consumer,
        'COUNT',
        max,
        'STREAMS',
        this.key,
        '0',
      )) as [string, [string, string[]][]][] | null;
      const again = items(own?.[0]?.[1] ?? []);
      if (again.length > 0) return again;
      this.retryOwn = false;
    }
    // What a dead writer took first: it is the oldest.
    const claimed = (await this.redis.xautoclaim(
      this.key,
      GROUP,
      this.consumer,
      this.claimIdleMs,
      '0-0',
      'COUNT',
      max,
    )) as [string, [string, string[]][]];
    const stale = items(claimed[1]);
    if (stale.length > 0) return stale;
    const read = (await this.reader.xreadgroup(
      'GROUP',
      GROUP,
      this.consumer,
      'COUNT',
      max,
      'BLOCK',
      waitMs,
      'STREAMS',
      this.key,
      '>',
    )) as [string, [string, string[]][]][] | null;
    return read === null ? [] : items(read[0]?.[1] ?? []);
  }

  async ack(refs: readonly string[]): Promise<void> {
    if (refs.length === 0) return;
    await this.redis
      .multi()
      .xack(this.key, GROUP, ...refs)
      .xdel(this.key, ...refs)
      .exec();
  }

  async release(): Promise<void> {
    this.retryOwn = true;
  }

  async backlog(): Promise<number> {
    return this.redis.xlen(this.key);
  }

  async close(): Promise<void> {
    this.reader.disconnect();
  }

  private ensureGroup(): Promise<void> {
    // From the stream's start: events added before any writer ran are written too.
    this.grouped ??= this.redis
      .xgroup('CREATE', this.key, GROUP, '0', 'MKSTREAM')
      .then(() => undefined)
      .catch((err: unknown) => {
        if (!String(err).includes('BUSYGROUP')) {
          this.grouped = null;
          throw err;
        }
      });
    return this.grouped;
  }
}

function items(entries: [string, string[]][]): OutboxItem[] {
  return entries
    .filter((e) => Array.isArray(e[1]))
    .map(([ref, fields]) => {
      const at = fields.indexOf('event');
      let event: unknown = null;
      try {
        event = at >= 0 ? JSON.parse(fields[at + 1] ?? 'null') : null;
      } catch {
        // Not JSON: the writer refuses it like any other invalid event.
      }
      return { ref, event };
    });
}

/**
 * In this process (the embedded default, no Redis): events wait in memory. A crash loses what was not
 * yet written, as it loses the in-memory conversations themselves; a deployment that must lose nothing
 * sets REDIS_URL.
 */
export class MemoryOutbox implements RecordOutbox {
  private readonly waiting: OutboxItem[] = [];
  private readonly taken = new Map<string, OutboxItem>();
  private next = 0;
  private wake: (() => void) | null = null;
  private lastAdd = 0;
  private oldestWaiting = 0;

  /**
   * The embedded database runs its SQL on the server's own thread, so its writer writes in the pauses
   * between turns: a batch is handed out once nothing was added for `quietMs`, or once its oldest event
   * has waited `maxDelayMs` (a server that is never quiet still has its records written).
   */
  constructor(
    private readonly quietMs = 30,
    private readonly maxDelayMs = 2000,
  ) {}

  add(event: NewRecordEvent): void {
    if (this.waiting.length === 0) this.oldestWaiting = Date.now();
    this.lastAdd = Date.now();
    this.waiting.push({ ref: String((this.next += 1)), event: structuredClone(event) });
    this.wake?.();
  }

  async take(max: number, waitMs: number): Promise<OutboxItem[]> {
    if (this.waiting.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    // A caller that will not wait (waitMs 0: the seeder) takes what there is.
    while (
      waitMs > 0 &&
      this.waiting.length > 0 &&
      Date.now() - this.lastAdd < this.quietMs &&
      Date.now() - this.oldestWaiting < this.maxDelayMs
    )
      await new Promise((resolve) => setTimeout(resolve, this.quietMs / 2));
    const batch = this.waiting.splice(0, max);
    if (this.waiting.length > 0) this.oldestWaiting = Date.now();
    for (const item of batch) this.taken.set(item.ref, item);
    return batch;
  }

  async ack(refs: readonly string[]): Promise<void> {
    for (const ref of refs) this.taken.delete(ref);
  }

  async release(): Promise<void> {
    this.waiting.unshift(...this.taken.values());
    this.taken.clear();
  }

  async backlog(): Promise<number> {
    return this.waiting.length + this.taken.size;
  }

  async close(): Promise<void> {
    this.wake?.();
  }
}
