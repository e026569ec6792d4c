import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { toActivity } from '../core/activities.ts';
import type { ChannelDirectory } from '../core/channel-directory.ts';
import type { Reply } from '../core/reply.ts';
import type { Logger } from '../shared/logger.ts';
import type { Storage } from '../state/storage-contract.ts';
import { VersionedStore } from '../state/versioned-store.ts';
import type { DossierAnswers } from './dossier-answers.ts';
import type { DossierStatusProvider } from './dossier-provider.ts';
import { FINAL_STATUSES, type DossierRecord } from './dossier-record.ts';
import type { ReplyTexts } from '../core/reply-texts.ts';

const Address = z.object({ channelId: z.string(), conversationId: z.string(), userId: z.string(), botId: z.string() });

const Subscription = z.object({
  conversation: z.string(),
  code: z.string(),
  address: Address,
  /** What the citizen was last told: a change from it is news. */
  status: z.string(),
  newDueDate: z.string().nullable(),
  /** News the channel could not deliver (its window was closed): given at the citizen's next message. */
  pending: z.array(z.object({ text: z.string(), suggestedActions: z.array(z.string()) })).default([]),
});
type Subscription = z.infer<typeof Subscription>;

const Watched = z.object({ subscriptions: z.record(z.string(), Subscription).default({}) });
type Watched = z.infer<typeof Watched>;

const Lease = z.object({ owner: z.string().nullable().default(null), until: z.number().default(0) });
type Lease = z.infer<typeof Lease>;

/** A conversation follows at most this many dossiers; a flood of codes must not grow the store. */
const MAX_PER_CONVERSATION = 5;
const MAX_SUBSCRIPTIONS = 20_000;

/**
 * "Theo dõi hồ sơ": conversations following dossiers, in the shared store, and the poller that
 * notices a change and tells the citizen on their own channel — or, when the channel's window is
 * closed, keeps the news for their next message. One process polls at a time (a lease in the
 * store), so two processes never send the same news twice.
 */
export class DossierWatch {
  private readonly store: VersionedStore<Watched>;
  private readonly lease: VersionedStore<Lease>;
  private readonly me = randomUUID();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    storage: Storage,
    private readonly provider: DossierStatusProvider,
    private readonly answers: DossierAnswers,
    private readonly texts: ReplyTexts,
    private readonly channels: ChannelDirectory,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new VersionedStore(storage, Watched, () => Watched.parse({}));
    this.lease = new VersionedStore(storage, Lease, () => Lease.parse({}));
  }

  /** Stops following every dossier of a conversation (a citizen's erasure request). */
  async forget(conversation: string): Promise<void> {
    await this.store.update('dossier-watch', (state) => ({
      state: {
        ...state,
        subscriptions: Object.fromEntries(
          Object.entries(state.subscriptions).filter(([key]) => !key.startsWith(`${conversation}|`)),
        ),
      },
      result: undefined,
    }));
  }

  async follow(conversation: string, address: z.infer<typeof Address>, dossier: DossierRecord): Promise<void> {
    const key = `${conversation}|${dossier.code}`;
    await this.store.update('dossier-watch', (state) => {
      const mine = Object.values(state.subscriptions).filter(
        (s) => s.conversation === conversation && s.code !== dossier.code,
      );
      if (mine.length >= MAX_PER_CONVERSATION || Object.keys(state.subscriptions).length >= MAX_SUBSCRIPTIONS)
        return { state, result: undefined };
      const subscription: Subscription = {
        conversation,
        code: dossier.code,
        address,
        status: dossier.status,
        newDueDate: dossier.newDueDate ?? null,
        pending: [],
      };
      return { state: { subscriptions: { ...state.subscriptions, [key]: subscription } }, result: undefined };
    });
  }

  /** News kept for this conversation (its channel was closed when it came); taken once. */
  async takePending(conversation: string): Promise<Reply[]> {
    // Read first: this runs on every message, and almost never has news to take.
    const { subscriptions } = await this.store.load('dossier-watch');
    if (!Object.values(subscriptions).some((s) => s.conversation === conversation && s.pending.length > 0)) return [];
    return this.store.update('dossier-watch', (state) => {
      const news: Reply[] = [];
      const subscriptions = { ...state.subscriptions };
      for (const [key, s] of Object.entries(subscriptions)) {
        if (s.conversation !== conversation || s.pending.length === 0) continue;
        news.push(...s.pending);
        subscriptions[key] = { ...s, pending: [] };
      }
      return { state: news.length === 0 ? state : { subscriptions }, result: news };
    });
  }

  start(intervalMs: number): void {
    this.timer = setInterval(
      () => void this.poll(intervalMs).catch((err: unknown) => this.log.warn({ err }, 'dossier.watch.failed')),
      intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  /** One round: every followed dossier looked up; changes told. Skipped when another process holds the lease. */
  async poll(leaseMs = 60_000): Promise<number> {
    if (!(await this.takeLease(leaseMs))) return 0;
    const { subscriptions } = await this.store.load('dossier-watch');
    let told = 0;
    for (const [key, s] of Object.entries(subscriptions)) {
      let now: DossierRecord | null;
      try {
        now = await this.provider.lookup(s.code);
      } catch {
        continue; // The backend is down: the next round tries again.
      }
      if (now === null || (now.status === s.status && (now.newDueDate ?? null) === s.newDueDate)) continue;
      const news = this.answers.full(
        now,
        new Date(this.clock()),
        this.texts.say('dossier_changed', { code: now.code, procedure: now.procedure.name }),
      );
      const window = this.channels.window(s.address.channelId);
      const open = window === undefined ? false : await window.botCanSend(s.address);
      if (open) await this.channels.send(s.address, [toActivity(news)]);
      told += 1;
      this.log.info({ conversation: s.conversation, status: now.status, delivered: open }, 'dossier.watch.changed');
      await this.store.update('dossier-watch', (state) => {
        const current = state.subscriptions[key];
        if (current === undefined) return { state, result: undefined };
        const { [key]: _done, ...others } = state.subscriptions;
        const updated: Subscription = {
          ...current,
          status: now!.status,
          newDueDate: now!.newDueDate ?? null,
          pending: open ? current.pending : [...current.pending, news],
        };
        // A dossier that is done is followed no more, once its news is delivered.
        const finished = FINAL_STATUSES.has(now!.status) && open;
        return {
          state: { subscriptions: finished ? others : { ...state.subscriptions, [key]: updated } },
          result: undefined,
        };
      });
    }
    return told;
  }

  private takeLease(leaseMs: number): Promise<boolean> {
    const now = this.clock();
    return this.lease.update('dossier-watch-lease', (lease) => {
      if (lease.owner !== null && lease.owner !== this.me && lease.until > now) return { state: lease, result: false };
      return { state: { owner: this.me, until: now + leaseMs }, result: true };
    });
  }
}
