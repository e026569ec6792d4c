/**
 * The webchat's wire types: the JSON the widget (widget/) and the channel (webchat-channel.ts)
 * exchange, over the WebSocket and the HTTP fallback. One declaration for both sides.
 *
 * Types only, importing nothing: the widget takes them with `import type`, so nothing of the server
 * is bundled into the browser script, and the widget's type-check (browser libraries, no Node) can
 * read this file. The server's runtime schemas (zod, in webchat-protocol.ts and the transcript) are
 * checked against these types at compile time there: when one side changes alone, the build fails.
 *
 * Client → server: `hello` first (with the token it kept, if any, and the last sequence number it
 * has), then `message`s, each with a client id that makes resending safe.
 * Server → client: `welcome`, every transcript `message` after the client's sequence number (the
 * citizen's own included: other tabs see them), an `ack` per message, `typing`, `error`, `pong`.
 */

/** A message's text is capped at this many characters (the widget stops the citizen before the server refuses). */
export type MaxTextChars = 2000;

/** One message of the conversation, as the transcript numbers and keeps it (see src/state/transcript.ts). */
export interface WebchatEntry {
  /** 1, 2, 3… within the conversation: the widget resumes after the last one it has. */
  seq: number;
  from: 'citizen' | 'bot' | 'agent';
  text: string;
  suggestedActions: string[];
  /** The citizen's own message carries the client id it was sent with. */
  messageId?: string;
  /** ISO time the server recorded it. */
  at: string;
  /** For an agent's message: the agent's display name. */
  agent?: string;
}

/** What the widget sends over the socket (the server's schema: ClientFrame in webchat-protocol.ts). */
export type ClientFrame =
  { type: 'hello'; token?: string; after?: number } | { type: 'message'; id: string; text: string } | { type: 'ping' };

export type ServerFrame =
  | { type: 'welcome'; conversationId: string; token: string; created: boolean }
  | { type: 'message'; entry: WebchatEntry }
  | { type: 'ack'; id: string; seq: number; duplicate: boolean }
  | { type: 'typing' }
  /** The bot is done with the message `id`: its replies are the entries up to `seq`. */
  | { type: 'answered'; id: string; seq: number }
  | { type: 'error'; code: WebchatErrorCode; message: string; id?: string; retryAfterMs?: number }
  | { type: 'pong' };

export type WebchatErrorCode =
  'bad_frame' | 'hello_first' | 'bad_token' | 'message_empty' | 'message_too_long' | 'rate_limited' | 'server_busy';

// ---- the HTTP fallback (a bearer token, never cookies) ----

/** POST /webchat/v1/conversations → 201. */
export interface StartedBody {
  conversationId: string;
  token: string;
}

/** POST /webchat/v1/messages: the request body (the server's schema: SendBody in webchat-protocol.ts). */
export interface SendRequest {
  id: string;
  text: string;
}

/** POST /webchat/v1/messages → 200. */
export interface SentBody {
  ack: { id: string; seq: number; duplicate: boolean };
}

/** GET /webchat/v1/messages?after=N → 200. */
export interface EntriesBody {
  entries: WebchatEntry[];
}

/**
 * `true` when A and B are the same type, property for property (optional ones too): the server's
 * compile-time checks that its runtime schemas and these types agree.
 */
export type SameShape<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** `type _ = Holds<SameShape<A, B>>` fails to compile when A and B have drifted apart. */
export type Holds<T extends true> = T;
