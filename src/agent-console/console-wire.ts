/**
 * The agent console's wire types: the JSON the console page (ui/) and its server (agent-console.ts,
 * agent-events.ts, queue-item.ts) exchange over /agent/api and the event stream. One declaration
 * for both sides.
 *
 * Types only, importing nothing: the page takes them with `import type`, so nothing of the server is
 * bundled into it, and the page's type-check (browser libraries, no Node) can read this file. The
 * server builds its answers against these types and checks its stores' schemas against them at
 * compile time: when one side changes alone, the build fails.
 */

export type AgentRole = 'agent' | 'supervisor';
export type Speaker = 'citizen' | 'bot' | 'agent';

/** An officer as the console shows one. */
export interface PublicAgent {
  username: string;
  role: AgentRole;
  displayName: string;
}

/** An officer in the transfer list. */
export interface AgentInfo extends PublicAgent {
  online: boolean;
}

/** One message of a conversation, as the transcript numbers and keeps it (see src/state/transcript.ts). */
export interface ConsoleEntry {
  /** 1, 2, 3… within the conversation. */
  seq: number;
  from: Speaker;
  text: string;
  suggestedActions: string[];
  /** The sender's own id for the message (webchat client id, Messenger mid, Zalo msg_id). */
  messageId?: string;
  /** ISO time the server recorded it. */
  at: string;
  /** For an agent's message: the agent's display name. */
  agent?: string;
}

/** A conversation in the queue: the handoff record without the channel address, and whether it can still be answered. */
export interface QueueItem {
  key: string;
  channel: string;
  status: 'waiting' | 'active';
  /** Complaints go to supervisors; everything else to any agent. */
  queue: 'agents' | 'supervisors';
  reason: 'asked' | 'complaint' | 'failed_turns';
  waitingSince: string;
  claimedBy: string | null;
  claimedAt: string | null;
  intent: string | null;
  procedure: { code: string; name: string } | null;
  dossierCode: string | null;
  /** `from` names a speaker, but the queue's record keeps it as any string. */
  lastMessage: { from: string; text: string; at: string } | null;
  /** False once the citizen's channel no longer lets an agent answer. */
  windowOpen: boolean;
}

export interface CannedResponse {
  id: string;
  title: string;
  text: string;
}

/** A call to return ("Gọi lại"): a message left out of hours, with a phone number. */
export interface CallbackItem {
  id: string;
  /** The conversation it came from. */
  key: string;
  channel: string;
  phone: string;
  message: string;
  createdAt: string;
  /** When staff are next at work. */
  dueAt: string;
  done: boolean;
  /** A complaint's callback is for supervisors only. */
  queue: 'agents' | 'supervisors';
}

export interface SatisfactionRow {
  label: string;
  total: number;
  veryGood: number;
  /** Share of "Rất hài lòng", 0..1. */
  share: number;
}

export interface SatisfactionStats {
  byAgent: SatisfactionRow[];
  byChannel: SatisfactionRow[];
  byWeek: SatisfactionRow[];
}

// ---- request bodies ----

export interface LoginRequest {
  username: string;
  password: string;
}

export interface ReplyRequest {
  text: string;
}

export interface TransferRequest {
  /** The username of the officer to hand it to. */
  to: string;
}

export interface CannedRequest {
  title: string;
  text: string;
}

// ---- answers ----

/** POST /agent/login and GET /agent/api/me. */
export interface SessionBody {
  agent: PublicAgent;
  /** Sent back as X-CSRF-Token with every POST and DELETE. */
  csrfToken: string;
}

/** GET /agent/api/queue, and the stream's `queue` event. */
export interface QueueBody {
  conversations: QueueItem[];
}

/** GET /agent/api/conversations/:key/transcript. */
export interface TranscriptBody {
  entries: ConsoleEntry[];
}

/** POST …/claim and …/transfer: the conversation as it is now. */
export interface ConversationBody {
  conversation: QueueItem;
}

/** POST …/reply: the agent's message as the transcript recorded it. */
export interface RepliedBody {
  entry: ConsoleEntry | null;
}

/** POST …/close. */
export interface ClosedBody {
  closed: string;
}

/** GET /agent/api/agents: online ones first. */
export interface AgentsBody {
  agents: AgentInfo[];
}

/** GET /agent/api/canned. */
export interface CannedListBody {
  responses: CannedResponse[];
}

/** POST /agent/api/canned → 201. */
export interface CannedAddedBody {
  response: CannedResponse;
}

/** GET /agent/api/callbacks. */
export interface CallbacksBody {
  tasks: CallbackItem[];
}

/** POST /agent/api/callbacks/:id/done. */
export interface CallbackDoneBody {
  task: CallbackItem;
}

/** Any refusal (the server's error handler): a 409 on claim names who has the conversation. */
export interface ErrorBody {
  error: { code: string; message: string; claimedBy?: string | null };
}

// ---- the event stream (GET /agent/api/events, server-sent events) ----

/** Each event's data, by event name. */
export interface ConsoleEvents {
  /** A snapshot of the queue: on connect and after every change. */
  queue: QueueBody;
  /** A new message of a conversation this console lists. */
  entry: { key: string; entry: ConsoleEntry };
  /** The session ended, or the account was removed or its role changed: the page asks again who is logged in. */
  revoked: Record<string, never>;
}

/**
 * `true` when A and B are the same type, property for property (optional ones too): the server's
 * compile-time checks that its stores' schemas and these types agree.
 */
export type SameShape<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** `type _ = Holds<SameShape<A, B>>` fails to compile when A and B have drifted apart. */
export type Holds<T extends true> = T;
