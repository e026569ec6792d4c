import { z } from 'zod';
import type { EventBus } from '../state/event-bus.ts';
import type { Storage } from '../state/storage-contract.ts';
import { VersionedStore } from '../state/versioned-store.ts';
import { own } from '../shared/lists.ts';

const HANDOFF_REASONS = ['asked', 'complaint', 'failed_turns'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** Where a reply to the citizen goes: enough of the Bot Framework conversation reference to continue it. */
export const ConversationAddress = z.object({
  channelId: z.string(),
  conversationId: z.string(),
  userId: z.string(),
  botId: z.string(),
});
export type ConversationAddress = z.infer<typeof ConversationAddress>;

/** A conversation handed to people: waiting for one, or with one. */
export const HandoffRecord = z.object({
  key: z.string(),
  channel: z.string(),
  address: ConversationAddress,
  status: z.enum(['waiting', 'active']),
  /** Complaints go to supervisors; everything else to any agent. */
  queue: z.enum(['agents', 'supervisors']),
  reason: z.enum(HANDOFF_REASONS),
  waitingSince: z.string(),
  claimedBy: z.string().nullable(),
  claimedAt: z.string().nullable(),
  intent: z.string().nullable(),
  procedure: z.object({ code: z.string(), name: z.string() }).nullable(),
  dossierCode: z.string().nullable(),
  lastMessage: z.object({ from: z.string(), text: z.string(), at: z.string() }).nullable(),
});
export type HandoffRecord = z.infer<typeof HandoffRecord>;

const QueueState = z.object({
  records: z.record(z.string(), HandoffRecord).default({}),
  /** Recent waits (ms from asking to being claimed), to estimate the next citizen's wait. */
  recentWaits: z.array(z.number()).default([]),
});
type QueueState = z.infer<typeof QueueState>;

export type ClaimResult = { ok: true; record: HandoffRecord } | { ok: false; record: HandoffRecord | null };

const QUEUE_KEY = 'handoff-queue';
const TOPIC = 'handoff';
const RECENT_WAITS = 20;
/** Until the queue has history, each person ahead is taken to mean this much waiting. */
const DEFAULT_WAIT_MS = 3 * 60_000;

/**
 * The queue of conversations waiting for or with a person, shared by every server process: one
 * item in the state store, changed by compare-and-set (so of two agents claiming at once exactly
 * one wins), and every change announced on the event bus for the consoles.
 */
export class HandoffQueue {
  private readonly store: VersionedStore<QueueState>;

  constructor(
    storage: Storage,
    private readonly bus: EventBus,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new VersionedStore(storage, QueueState, () => QueueState.parse({}));
  }

  /** Puts the conversation in the queue, unless it is there already (then returns that record). */
  async open(
    record: Omit<HandoffRecord, 'status' | 'claimedBy' | 'claimedAt' | 'waitingSince'>,
  ): Promise<{ record: HandoffRecord; created: boolean }> {
    const opened: HandoffRecord = {
      ...record,
      status: 'waiting',
      claimedBy: null,
      claimedAt: null,
      waitingSince: this.now(),
    };
    return this.change<{ record: HandoffRecord; created: boolean }>((state) => {
      const existing = own(state.records, record.key);
      if (existing !== undefined) return { state, result: { record: existing, created: false } };
      return {
        state: { ...state, records: { ...state.records, [record.key]: opened } },
        result: { record: opened, created: true },
      };
    });
  }

  async get(key: string): Promise<HandoffRecord | null> {
    return own((await this.store.load(QUEUE_KEY)).records, key) ?? null;
  }

  /** Waiting ones first, oldest first; then active ones. */
  async list(): Promise<HandoffRecord[]> {
    const records = Object.values((await this.store.load(QUEUE_KEY)).records);
    return records.sort((a, b) =>
      a.status === b.status ? a.waitingSince.localeCompare(b.waitingSince) : a.status === 'waiting' ? -1 : 1,
    );
  }

  /** The agent takes a waiting conversation; exactly one of several agents claiming at once gets it. */
  async claim(key: string, agent: string): Promise<ClaimResult> {
    return this.change<ClaimResult>((state) => {
      const record = own(state.records, key);
      if (record === undefined) return { state, result: { ok: false, record: null } };
      if (record.status === 'active')
        return { state, result: record.claimedBy === agent ? { ok: true, record } : { ok: false, record } };
      const claimed: HandoffRecord = { ...record, status: 'active', claimedBy: agent, claimedAt: this.now() };
      const waited = this.clock() - Date.parse(record.waitingSince);
      return {
        state: {
          records: { ...state.records, [key]: claimed },
          recentWaits: [...state.recentWaits, waited].slice(-RECENT_WAITS),
        },
        result: { ok: true, record: claimed },
      };
    });
  }

  /** Hands an active (or waiting) conversation to another agent. */
  async assign(key: string, agent: string): Promise<HandoffRecord | null> {
    return this.change((state) => {
      const record = own(state.records, key);
      if (record === undefined) return { state, result: null };
      const assigned: HandoffRecord = { ...record, status: 'active', claimedBy: agent, claimedAt: this.now() };
      return { state: { ...state, records: { ...state.records, [key]: assigned } }, result: assigned };
    });
  }

  /** Remembers the conversation's last message, for the console's list. */
  async note(key: string, lastMessage: NonNullable<HandoffRecord['lastMessage']>): Promise<void> {
    await this.change((state) => {
      const record = own(state.records, key);
      if (record === undefined) return { state, result: undefined };
      return {
        state: { ...state, records: { ...state.records, [key]: { ...record, lastMessage } } },
        result: undefined,
      };
    });
  }

  /** Takes the conversation out of the queue (back to the bot); returns what it was. */
  async close(key: string): Promise<HandoffRecord | null> {
    return this.change((state) => {
      const record = own(state.records, key);
      if (record === undefined) return { state, result: null };
      const { [key]: _closed, ...records } = state.records;
      return { state: { ...state, records }, result: record };
    });
  }

  /** 1 for the next to be taken, among those waiting in the same queue; null when not waiting. */
  async position(key: string): Promise<{ position: number; expectedWaitMs: number } | null> {
    const state = await this.store.load(QUEUE_KEY);
    const record = own(state.records, key);
    if (record === undefined || record.status !== 'waiting') return null;
    const ahead = Object.values(state.records).filter(
      (r) => r.status === 'waiting' && r.queue === record.queue && r.waitingSince < record.waitingSince,
    ).length;
    const average =
      state.recentWaits.length > 0
        ? state.recentWaits.reduce((a, b) => a + b, 0) / state.recentWaits.length
        : DEFAULT_WAIT_MS;
    return { position: ahead + 1, expectedWaitMs: (ahead + 1) * Math.max(60_000, average) };
  }

  /** Called after every change, from any process. */
  subscribe(listener: () => void): () => void {
    return this.bus.subscribe(TOPIC, () => listener());
  }

  private async change<T>(apply: (state: QueueState) => { state: QueueState; result: T }): Promise<T> {
    let changed = false;
    const result = await this.store.update(QUEUE_KEY, (state) => {
      const next = apply(state);
      changed = next.state !== state;
      return next;
    });
    if (changed) await this.bus.publish(TOPIC, { at: this.now() });
    return result;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }
}
