import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { ActivityHandler, BaseAdapter } from '@microsoft/agents-hosting';
import express, { type Request, type Router } from 'express';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { conversationKeyOf } from '../../src/core/assistant-bot.ts';
import { ALREADY_RECORDED } from '../../src/core/transcript-recorder.ts';
import { Errors } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';
import { TokenBucket } from '../../src/shared/token-bucket.ts';
import { HISTORY_LIMIT, MAX_ENTRIES, type Transcript, type TranscriptEntry } from '../../src/state/transcript.ts';
import { WebchatAdapter } from './webchat-adapter.ts';
import { WebchatConnection } from './webchat-connection.ts';
import { ClientFrame, MAX_TEXT_CHARS, SendBody, type ServerFrame, type WebchatErrorCode } from './webchat-protocol.ts';
import type { WebchatTokens } from './webchat-tokens.ts';

export const CHANNEL_ID = 'webchat';
export const SOCKET_PATH = '/webchat/v1/socket';

/** What the channel needs of the assistant: the bot, its middleware, and the transcript. */
export interface WebchatHost {
  bot: ActivityHandler;
  attach<A extends BaseAdapter>(adapter: A): A;
  transcript: Transcript;
}

export interface WebchatLimits {
  /** Largest WebSocket frame read; a bigger one closes the socket (1009). A message's text is capped at 2,000 characters. */
  maxFrameBytes: number;
  /** Messages a tab may send in a burst, then per second (a citizen types slowly; taps come in twos). */
  burst: number;
  perSecond: number;
  /** A socket with no frame from the citizen for this long is closed (4000); the widget reconnects when needed. */
  idleMs: number;
  /** Ping interval; a socket that missed a pong is dropped. */
  heartbeatMs: number;
  /** Output queued for one slow socket before it is cut off (it resumes on reconnect). */
  maxBufferedBytes: number;
  /** Open sockets for the whole process; more are refused with 503 (and the widget falls back to HTTP). */
  maxConnections: number;
}

export const DEFAULT_LIMITS: WebchatLimits = {
  maxFrameBytes: 32 * 1024,
  burst: 8,
  perSecond: 1,
  idleMs: 10 * 60_000,
  heartbeatMs: 30_000,
  maxBufferedBytes: 512 * 1024,
  maxConnections: 10_000,
};

/** HTTP senders' rate limits, by conversation; forgotten in bulk past this many. */
const MAX_HTTP_BUCKETS = 10_000;

/**
 * The website chatbox channel: a WebSocket for live messages and an HTTP fallback for sending and
 * polling, both over the transcript. It only translates between frames and activities: the
 * citizen's message is recorded (numbered, deduplicated on the client's id), acknowledged, and run
 * as a message activity; whatever the transcript records for the conversation (bot replies, later
 * an agent's) goes out to its open sockets, and a tab that reconnects asks for what came after its
 * last sequence number.
 */
export class WebchatChannel {
  /** The channel's adapter: the handoff desk sends agents' messages through it. */
  readonly adapter: WebchatAdapter;
  private readonly sockets: WebSocketServer;
  private readonly byConversation = new Map<string, Set<WebchatConnection>>();
  /** Turns of one conversation run one after another, in the order their messages were recorded. */
  private readonly turns: KeyedQueue;
  private readonly httpBuckets = new Map<string, TokenBucket>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  /** Every open socket, hello said or not. */
  private readonly open = new Set<WebchatConnection>();

  constructor(
    private readonly host: WebchatHost,
    private readonly tokens: WebchatTokens,
    private readonly log: Logger,
    private readonly limits: WebchatLimits = DEFAULT_LIMITS,
  ) {
    this.adapter = host.attach(new WebchatAdapter());
    this.turns = new KeyedQueue(log, 'webchat.turn.failed', (id) => conversationKeyOf(CHANNEL_ID, id));
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
    this.sockets.on('connection', (socket: WebSocket) => this.connected(socket));
    this.unsubscribe = host.transcript.subscribe((key, entry) => this.fanOut(key, entry));
    this.heartbeat = setInterval(() => this.checkSockets(), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Serves the socket on `server` at {@link SOCKET_PATH}. */
  listen(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== SOCKET_PATH) {
        socket.destroy();
        return;
      }
      if (this.open.size >= this.limits.maxConnections) {
        this.log.warn({ connections: this.open.size }, 'webchat.connection.refused');
        socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => this.sockets.emit('connection', ws, req));
    });
  }

  /** The HTTP side: start a conversation, send without a socket, read what came after a sequence number. */
  router(): Router {
    const router = express.Router();
    router.post('/webchat/v1/conversations', async (_req, res) => {
      const { conversationId, token } = this.tokens.issue();
      this.turns.push(conversationId, () => this.welcome(conversationId));
      res.status(201).json({ conversationId, token });
    });
    router.post('/webchat/v1/messages', async (req, res) => {
      const conversationId = this.authorised(req);
      const body = SendBody.safeParse(req.body);
      if (!body.success) throw Errors.webchatBadBody(body.error.issues[0]?.message ?? 'invalid');
      const text = cleanText(body.data.text);
      if (text.length === 0) throw Errors.webchatMessageEmpty();
      if (text.length > MAX_TEXT_CHARS) throw Errors.webchatMessageTooLong(MAX_TEXT_CHARS);
      const allowed = this.httpBucket(conversationId).take();
      if (!allowed.ok) {
        res.setHeader('Retry-After', String(Math.ceil(allowed.retryAfterMs / 1000)));
        throw Errors.webchatRateLimited(allowed.retryAfterMs);
      }
      res.json({ ack: { id: body.data.id, ...(await this.receive(conversationId, body.data.id, text)) } });
    });
    router.get('/webchat/v1/messages', async (req, res) => {
      const conversationId = this.authorised(req);
      const after = Number(req.query.after ?? 0);
      if (!Number.isInteger(after) || after < 0) throw Errors.webchatBadBody('after must be a whole number ≥ 0');
      res.json({ entries: await this.history(conversationId, after) });
    });
    return router;
  }

  /** Open sockets and conversations with one, for health checks and the bench. */
  stats(): { sockets: number; conversations: number } {
    return { sockets: this.open.size, conversations: this.byConversation.size };
  }

  /**
   * Closes every socket with 1012 (service restart): widgets reconnect, to this process or another,
   * and resume from their last sequence number.
   */
  disconnectAll(): void {
    for (const socket of this.sockets.clients) socket.close(1012, 'service restart');
  }

  /** Stops: sockets told to reconnect elsewhere, turns in progress finished. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    this.disconnectAll();
    await this.turns.idle();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
  }

  private connected(socket: WebSocket): void {
    const connection = new WebchatConnection(
      socket,
      this.limits,
      () => this.log.warn({ conversation: connection.key, buffered: socket.bufferedAmount }, 'webchat.client.slow'),
      (gapped) => void this.catchUp(gapped),
    );
    this.open.add(connection);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      connection.lastSeen = Date.now();
      connection.inbox = connection.inbox
        .then(() => this.handleFrame(connection, data, isBinary))
        .catch((err: unknown) => this.log.error({ err, conversation: connection.key }, 'webchat.frame.failed'));
    });
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('error', (err) => this.log.warn({ err: { message: err.message }, conversation: connection.key }, 'webchat.socket.error'));
    socket.on('close', (code: number) => {
      this.open.delete(connection);
      if (connection.key !== null) this.forget(connection);
      this.log.info({ conversation: connection.key, code }, 'webchat.disconnected');
    });
  }

  private async handleFrame(connection: WebchatConnection, data: RawData, isBinary: boolean): Promise<void> {
    const frame = isBinary ? null : parseFrame(data.toString());
    if (frame === null || !frame.success) {
      this.log.info({ conversation: connection.key }, 'webchat.frame.invalid');
      const detail = frame?.success === false ? (frame.error.issues[0]?.message ?? '') : 'frames are JSON text';
      connection.send(errorFrame('bad_frame', `Khung tin không hợp lệ: ${detail}`));
      return;
    }
    const message = frame.data;
    if (message.type === 'ping') return connection.send({ type: 'pong' });
    if (message.type === 'hello') return this.hello(connection, message.token, message.after);
    if (connection.conversationId === null) return connection.send(errorFrame('hello_first', 'Gửi "hello" trước.', message.id));
    const text = cleanText(message.text);
    if (text.length === 0) return connection.send(errorFrame('message_empty', 'Tin nhắn trống.', message.id));
    if (text.length > MAX_TEXT_CHARS) {
      return connection.send(errorFrame('message_too_long', `Tin nhắn dài quá ${MAX_TEXT_CHARS} ký tự.`, message.id));
    }
    const allowed = connection.bucket.take();
    if (!allowed.ok) {
      this.log.info({ conversation: connection.key }, 'webchat.rate_limited');
      return connection.send({ ...errorFrame('rate_limited', 'Anh/chị gửi nhanh quá, xin đợi giây lát.', message.id), retryAfterMs: allowed.retryAfterMs });
    }
    const { seq, duplicate } = await this.receive(connection.conversationId, message.id, text);
    connection.send({ type: 'ack', id: message.id, seq, duplicate });
  }

  private async hello(connection: WebchatConnection, token: string | undefined, after: number): Promise<void> {
    if (connection.conversationId !== null) return;
    let conversationId = token === undefined ? null : this.tokens.verify(token);
    if (token !== undefined && conversationId === null) {
      connection.send(errorFrame('bad_token', 'Phiên trò chuyện đã hết hạn hoặc không hợp lệ: bắt đầu phiên mới.'));
      return;
    }
    let created = false;
    if (conversationId === null) {
      ({ conversationId, token } = this.tokens.issue());
      created = true;
    }
    const key = this.key(conversationId);
    connection.conversationId = conversationId;
    connection.key = key;
    connection.hasUpTo(after);
    connection.beginReplay();
    const tabs = this.byConversation.get(key) ?? new Set();
    tabs.add(connection);
    this.byConversation.set(key, tabs);
    connection.send({ type: 'welcome', conversationId, token: token!, created });
    this.log.info({ conversation: key, created, after }, 'webchat.connected');
    try {
      await connection.replayAll(await this.history(conversationId, after));
    } finally {
      connection.endReplay();
    }
    if (created) this.turns.push(conversationId, () => this.welcome(conversationId));
  }

  /**
   * What a tab is missing: everything after its last sequence number when it resumes, the latest
   * part of the conversation when it starts from nothing (a reload).
   */
  private history(conversationId: string, after: number): Promise<TranscriptEntry[]> {
    return this.host.transcript.read(this.key(conversationId), after, after === 0 ? HISTORY_LIMIT : MAX_ENTRIES);
  }

  /** Records the citizen's message and queues its turn; a resent message is acknowledged, not run again. */
  private async receive(conversationId: string, id: string, text: string): Promise<{ seq: number; duplicate: boolean }> {
    const key = this.key(conversationId);
    const { entry, duplicate } = await this.host.transcript.append(key, { from: 'citizen', text, suggestedActions: [], messageId: id });
    this.log.info({ conversation: key, seq: entry.seq, length: text.length, duplicate }, 'webchat.message.received');
    if (!duplicate) this.turns.push(conversationId, () => this.turn(conversationId, id, text));
    return { seq: entry.seq, duplicate };
  }

  private async turn(conversationId: string, id: string, text: string): Promise<void> {
    for (const tab of this.byConversation.get(this.key(conversationId)) ?? []) tab.send({ type: 'typing' });
    const activity = Activity.fromObject({
      ...this.addressing(conversationId),
      type: ActivityTypes.Message,
      id,
      text,
      locale: 'vi-VN',
      timestamp: new Date().toISOString(),
    });
    await this.adapter.process(activity, this.host.bot, new Map([[ALREADY_RECORDED, true]]));
  }

  private async welcome(conversationId: string): Promise<void> {
    const activity = Activity.fromObject({
      ...this.addressing(conversationId),
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id: conversationId, role: 'user' }],
    });
    await this.adapter.process(activity, this.host.bot);
  }

  private addressing(conversationId: string) {
    return {
      channelId: CHANNEL_ID,
      conversation: { id: conversationId },
      from: { id: conversationId, role: 'user' },
      recipient: { id: 'assistant', role: 'bot' },
    };
  }

  /**
   * Sends a tab what it is missing, from the transcript: entries numbered by several processes can
   * reach this one out of order, and none may be skipped.
   */
  private async catchUp(connection: WebchatConnection): Promise<void> {
    if (connection.conversationId === null) return;
    connection.beginReplay();
    try {
      await connection.replayAll(await this.host.transcript.read(this.key(connection.conversationId), connection.sentUpTo));
    } catch (err) {
      this.log.warn({ err, conversation: connection.key }, 'webchat.catch_up.failed');
    } finally {
      connection.endReplay();
    }
  }

  private fanOut(key: string, entry: TranscriptEntry): void {
    for (const tab of this.byConversation.get(key) ?? []) tab.deliver(entry);
  }

  private forget(connection: WebchatConnection): void {
    const tabs = this.byConversation.get(connection.key!);
    tabs?.delete(connection);
    if (tabs?.size === 0) this.byConversation.delete(connection.key!);
  }

  /** Drops sockets that stopped answering pings, and closes those the citizen left idle. */
  private checkSockets(): void {
    const now = Date.now();
    for (const connection of this.open) {
      const socket = connection.socket;
      if (!connection.alive) {
        socket.terminate();
        continue;
      }
      if (now - connection.lastSeen > this.limits.idleMs) {
        socket.close(4000, 'idle');
        continue;
      }
      connection.alive = false;
      socket.ping();
    }
  }

  private authorised(req: Request): string {
    const header = req.headers.authorization ?? '';
    const conversationId = header.startsWith('Bearer ') ? this.tokens.verify(header.slice(7).trim()) : null;
    if (conversationId === null) throw Errors.webchatBadToken();
    return conversationId;
  }

  private httpBucket(conversationId: string): TokenBucket {
    let bucket = this.httpBuckets.get(conversationId);
    if (bucket === undefined) {
      if (this.httpBuckets.size >= MAX_HTTP_BUCKETS) this.httpBuckets.clear();
      bucket = new TokenBucket(this.limits.burst, this.limits.perSecond);
      this.httpBuckets.set(conversationId, bucket);
    }
    return bucket;
  }

  private key(conversationId: string): string {
    return conversationKeyOf(CHANNEL_ID, conversationId);
  }
}

function parseFrame(text: string): ReturnType<typeof ClientFrame.safeParse> | null {
  try {
    return ClientFrame.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
}

function errorFrame(code: WebchatErrorCode, message: string, id?: string): ServerFrame & { type: 'error' } {
  return { type: 'error', code, message, ...(id === undefined ? {} : { id }) };
}

/**
 * The text as the citizen meant it: control characters (other than line breaks and tabs) removed,
 * line endings unified, ends trimmed. The rest is kept as typed; every page shows it as text.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u2028\u2029\ufeff]/g, '')
    .trim();
}
