import { sql } from 'kysely';
import type { Logger } from '../shared/logger.ts';
import { LockTimeoutError, type CrossProcessLock } from '../state/cross-process-lock.ts';
import type { RecordsDb } from './records-database.ts';

export interface Purged {
  conversations: number;
  transcriptLines: number;
}

/**
 * Removes the personal data of conversations whose last message is older than `cutoff` (Decree
 * 13/2023/NĐ-CP: kept only as long as needed): the transcript, the channel user id, callback phone
 * numbers, survey comments and the texts of unanswered questions. What the reports count (turns,
 * outcomes, handoff times, ratings, look-up results) stays, tied to a conversation key that no longer
 * leads to anyone.
 */
export async function purgeOlderThan(db: RecordsDb, cutoff: Date): Promise<Purged> {
  return db.transaction().execute(async (tx) => {
    const old = tx
      .selectFrom('conversations')
      .select('key')
      .where('last_at', '<', cutoff)
      .where('purged_at', 'is', null);
    const lines = await tx.deleteFrom('transcript_entries').where('conversation', 'in', old).executeTakeFirst();
    await tx.updateTable('callbacks').set({ phone: null }).where('conversation', 'in', old).execute();
    await tx.updateTable('surveys').set({ comment: null }).where('conversation', 'in', old).execute();
    await tx.updateTable('unanswered').set({ text: '' }).where('conversation', 'in', old).execute();
    const conversations = await tx
      .updateTable('conversations')
      .set({ channel_user: null, purged_at: sql`now()` })
      .where('last_at', '<', cutoff)
      .where('purged_at', 'is', null)
      .executeTakeFirst();
    return {
      conversations: Number(conversations.numUpdatedRows),
      transcriptLines: Number(lines.numDeletedRows),
    };
  });
}

const DAY_MS = 86_400_000;

/**
 * The scheduled purge: every `everyMs`, one process (the one that gets the lease) purges what is
 * older than `retentionDays`. A run that finds the lease taken skips: another process is doing it.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: RecordsDb,
    private readonly lease: CrossProcessLock,
    private readonly retentionDays: number,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  start(everyMs = 60 * 60_000): void {
    this.timer = setInterval(() => void this.runOnce(), everyMs);
    this.timer.unref();
    void this.runOnce();
  }

  /** Purges now if no other process is; resolves with what it purged, or null when it skipped. */
  runOnce(): Promise<Purged | null> {
    const run = this.lease
      .withLock(async () => {
        const cutoff = new Date(this.clock() - this.retentionDays * DAY_MS);
        const purged = await purgeOlderThan(this.db, cutoff);
        this.log.info({ ...purged, retentionDays: this.retentionDays }, 'records.retention.purged');
        return purged;
      }, 0)
      .catch((err: unknown) => {
        if (!(err instanceof LockTimeoutError)) this.log.error({ err }, 'records.retention.failed');
        return null;
      });
    this.running = run;
    return run;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.running;
  }
}
