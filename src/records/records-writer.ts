import type { Logger } from '../shared/logger.ts';
import { applyEvent } from './record-apply.ts';
import { RecordEvent } from './record-events.ts';
import type { RecordOutbox } from './record-outbox.ts';
import type { RecordsDb } from './records-database.ts';

const BATCH = 100;
const WAIT_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Moves events from the outbox to the database, off every turn's path: a batch is applied in one
 * transaction, then acknowledged. If the process dies in between, the batch is applied again (by this
 * process restarted, or by another that claims it); the events being idempotent, the records hold each
 * once. A database that is down is retried with backoff; nothing is acknowledged until it is written.
 */
export class RecordsWriter {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private failures = 0;
  private written = 0;

  constructor(
    private readonly outbox: RecordOutbox,
    private readonly db: RecordsDb,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Events written since start (for the metrics). */
  get count(): number {
    return this.written;
  }

  /** Resolves once everything added before the call is in the database: the idle signal tests wait for. */
  async flushed(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.outbox.backlog()) > 0) {
      if (Date.now() > deadline) throw new Error('records: the outbox did not drain in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const items = await this.outbox.take(BATCH, WAIT_MS);
        if (items.length === 0) continue;
        const valid: RecordEvent[] = [];
        for (const item of items) {
          const parsed = RecordEvent.safeParse(item.event);
          if (parsed.success) valid.push(parsed.data);
          // Acknowledged anyway: an event no writer can read would block the ones after it for ever.
          else this.log.warn({ issue: parsed.error.issues[0]?.path.join('.') }, 'records.event_invalid');
        }
        await this.db.transaction().execute(async (tx) => {
          for (const event of valid) {
            await applyEvent(tx, event);
            // The embedded database runs its SQL on this thread: letting the event loop turn between
            // events keeps a citizen's turn from waiting behind a whole batch.
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
        await this.outbox.ack(items.map((i) => i.ref));
        this.written += valid.length;
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        this.log.error({ err, failures: this.failures }, 'records.write_failed');
        await this.outbox.release().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.failures)));
      }
    }
  }
}
