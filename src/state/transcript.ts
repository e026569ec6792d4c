import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { sanitiseText } from '../text/sanitise-text.ts';

/** Who said a transcript line. */
const SPEAKERS = ['citizen', 'bot', 'agent'] as const;

/** One message of a conversation, as every channel and the agent console show it. */
export const TranscriptEntry = z.object({
  /** 1, 2, 3… within the conversation: clients resume after the last one they have. */
  seq: z.number().int().positive(),
  from: z.enum(SPEAKERS),
  text: z.string(),
  suggestedActions: z.array(z.string()),
  /** The sender's own id for the message (webchat client id, Messenger mid, Zalo msg_id): sends are idempotent on it. */
  messageId: z.string().optional(),
  /** ISO time the server recorded it. */
  at: z.string(),
  /** For an agent's message: the agent's display name, shown to the citizen. */
  agent: z.string().optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;
export type NewEntry = Omit<TranscriptEntry, 'seq' | 'at'>;

export interface Appended {
  entry: TranscriptEntry;
  /** True when `messageId` was recorded before: nothing was added, `entry` is the first one. */
  duplicate: boolean;
}

export type TranscriptListener = (conversation: string, entry: TranscriptEntry) => void;

/**
 * The messages of every conversation, numbered, channel-agnostic: the webchat replays and resumes
 * from it, the agent console shows it, and channels deduplicate retried deliveries on it.
 */
export interface Transcript {
  /** Appends a message, or, if one with the same `messageId` is there, returns that one. */
  append(conversation: string, entry: NewEntry): Promise<Appended>;
  /** Messages after `afterSeq`, oldest first, at most `limit` (the latest ones; by default all that are kept). */
  read(conversation: string, afterSeq: number, limit?: number): Promise<TranscriptEntry[]>;
  /** Removes a conversation's messages (a citizen's erasure request). */
  forget(conversation: string): Promise<void>;
  /** Called for every message appended (not for duplicates); returns the unsubscribe function. */
  subscribe(listener: TranscriptListener): () => void;
  close(): Promise<void>;
}

/**
 * An entry as every transcript stores it: its texts sanitised (lone surrogates, bidi controls and
 * control characters out), whoever wrote them and whichever way they came in.
 */
export function cleanEntry(entry: NewEntry): NewEntry {
  return {
    ...entry,
    text: sanitiseText(entry.text),
    suggestedActions: entry.suggestedActions.map(sanitiseText),
    ...(entry.agent === undefined ? {} : { agent: sanitiseText(entry.agent) }),
  };
}

/** A conversation keeps its latest messages; older ones go (the citizen has had them). */
export const MAX_ENTRIES = 1000;
/** A reload (history from the start) shows the latest part of a long conversation. */
export const HISTORY_LIMIT = 200;

/** Transcript appends fan out to subscribers; one emitter per transcript. */
class TranscriptEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Each socket server and console subscribes once; more is a leak worth hearing about.
    this.emitter.setMaxListeners(50);
  }

  emit(conversation: string, entry: TranscriptEntry): void {
    this.emitter.emit('entry', conversation, entry);
  }

  subscribe(listener: TranscriptListener): () => void {
    this.emitter.on('entry', listener);
    return () => this.emitter.off('entry', listener);
  }
}

const SWEEP_EVERY = 1000;

interface MemoryConversation {
  seq: number;
  entries: TranscriptEntry[];
  /** Message id → its sequence number, kept after the entry itself is dropped. */
  ids: Map<string, number>;
  touched: number;
}

/** The in-memory transcript of the embedded default: gone with the process, like the rest of its state. */
export class MemoryTranscript implements Transcript {
  private readonly conversations = new Map<string, MemoryConversation>();
  private readonly events = new TranscriptEvents();
  private appendsSinceSweep = 0;

  constructor(
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async append(conversation: string, raw: NewEntry): Promise<Appended> {
    const entry = cleanEntry(raw);
    const c = this.conversation(conversation);
    const earlier = entry.messageId === undefined ? undefined : c.ids.get(entry.messageId);
    if (earlier !== undefined) {
      // Recorded so long ago that the list has dropped it: still a duplicate.
      const kept = c.entries.find((e) => e.seq === earlier) ?? {
        seq: earlier,
        from: 'citizen',
        text: '',
        suggestedActions: [],
        messageId: entry.messageId,
        at: '',
      };
      return { entry: kept, duplicate: true };
    }
    c.seq += 1;
    const added: TranscriptEntry = { ...entry, seq: c.seq, at: new Date(this.clock()).toISOString() };
    c.entries.push(added);
    if (added.messageId !== undefined) c.ids.set(added.messageId, added.seq);
    if (c.entries.length > MAX_ENTRIES) c.entries.splice(0, c.entries.length - MAX_ENTRIES);
    this.events.emit(conversation, added);
    return { entry: added, duplicate: false };
  }

  async read(conversation: string, afterSeq: number, limit = MAX_ENTRIES): Promise<TranscriptEntry[]> {
    const c = this.live(conversation);
    if (c === undefined) return [];
    return c.entries.filter((e) => e.seq > afterSeq).slice(-limit);
  }

  subscribe(listener: TranscriptListener): () => void {
    return this.events.subscribe(listener);
  }

  async forget(conversation: string): Promise<void> {
    this.conversations.delete(conversation);
  }

  async close(): Promise<void> {}

  private conversation(key: string): MemoryConversation {
    // Expired conversations of citizens who never came back are dropped now and then, not only when read.
    if ((this.appendsSinceSweep += 1) >= SWEEP_EVERY) {
      this.appendsSinceSweep = 0;
      for (const old of [...this.conversations.keys()]) this.live(old);
    }
    const c = this.live(key) ?? { seq: 0, entries: [], ids: new Map(), touched: 0 };
    c.touched = this.clock();
    this.conversations.set(key, c);
    return c;
  }

  /** The conversation unless it expired (the same TTL as Redis gives it). */
  private live(key: string): MemoryConversation | undefined {
    const c = this.conversations.get(key);
    if (c !== undefined && this.clock() - c.touched > this.ttlSeconds * 1000) {
      this.conversations.delete(key);
      return undefined;
    }
    return c;
  }
}
