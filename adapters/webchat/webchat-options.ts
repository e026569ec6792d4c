import type { IncomingMessage } from 'node:http';
import type { ActivityHandler, BaseAdapter } from '@microsoft/agents-hosting';
import type { SharedLimits } from '../../src/state/shared-limits.ts';
import type { Transcript } from '../../src/state/transcript.ts';
import type { AllowedOrigins } from './webchat-cors.ts';

/* What the website chatbox channel is given: the assistant's parts it uses, its limits and options. */

/** What the channel needs of the assistant: the bot, its middleware, and the transcript. */
export interface WebchatHost {
  bot: ActivityHandler;
  attach<A extends BaseAdapter>(adapter: A): A;
  transcript: Transcript;
}

export interface WebchatLimits {
  /** Largest WebSocket frame read; a bigger one closes the socket (1009). A message's text is capped at 2,000 characters. */
  maxFrameBytes: number;
  /** A socket with no frame from the citizen for this long is closed (4000); the widget reconnects when needed. */
  idleMs: number;
  /** Ping interval; a socket that missed a pong is dropped. */
  heartbeatMs: number;
  /** Output queued for one slow socket before it is cut off (it resumes on reconnect). */
  maxBufferedBytes: number;
  /** Open sockets for the whole process; more are refused with 503 (and the widget falls back to HTTP). */
  maxConnections: number;
  /** Frames a socket may get wrong in a burst, then one per `invalidFramesEverySeconds`; past that it is closed (1008). */
  invalidFramesBurst: number;
  invalidFramesEverySeconds: number;
}

/** What the channel is given besides the assistant: the shared limits, and how to know the client. */
export interface WebchatOptions {
  limits?: WebchatLimits;
  /** Per conversation, per address: counted where every process sees them. */
  shared: SharedLimits;
  /** The client's address of a request (by the proxy trust of the whole server). */
  clientAddress: (req: IncomingMessage) => string;
  /** Pages that may embed the chatbox ('*': any). */
  allowedOrigins: AllowedOrigins;
}

export const DEFAULT_LIMITS: WebchatLimits = {
  maxFrameBytes: 32 * 1024,
  idleMs: 10 * 60_000,
  heartbeatMs: 30_000,
  maxBufferedBytes: 512 * 1024,
  maxConnections: 10_000,
  invalidFramesBurst: 5,
  invalidFramesEverySeconds: 10,
};
