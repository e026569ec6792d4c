import { z } from 'zod';
import type { TranscriptEntry } from '../../src/state/transcript.ts';

/**
 * The webchat wire protocol (JSON text frames over the WebSocket; the same bodies over HTTP).
 *
 * Client → server: `hello` first (with the token it kept, if any, and the last sequence number it
 * has), then `message`s, each with a client id that makes resending safe.
 * Server → client: `welcome`, every transcript `message` after the client's sequence number (the
 * citizen's own included: other tabs see them), an `ack` per message, `typing`, `error`, `pong`.
 */
export const MAX_TEXT_CHARS = 2000;

export const ClientMessageId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only, at most 64');

export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), token: z.string().max(200).optional(), after: z.number().int().min(0).default(0) }),
  z.object({ type: z.literal('message'), id: ClientMessageId, text: z.string() }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** The HTTP fallback's send body. */
export const SendBody = z.object({ id: ClientMessageId, text: z.string() });

export type ServerFrame =
  | { type: 'welcome'; conversationId: string; token: string; created: boolean }
  | { type: 'message'; entry: TranscriptEntry }
  | { type: 'ack'; id: string; seq: number; duplicate: boolean }
  | { type: 'typing' }
  /** The bot is done with the message `id`: its replies are the entries up to `seq`. */
  | { type: 'answered'; id: string; seq: number }
  | { type: 'error'; code: WebchatErrorCode; message: string; id?: string; retryAfterMs?: number }
  | { type: 'pong' };

export type WebchatErrorCode =
  | 'bad_frame'
  | 'hello_first'
  | 'bad_token'
  | 'message_empty'
  | 'message_too_long'
  | 'rate_limited'
  | 'server_busy';
