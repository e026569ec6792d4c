import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import express, { type Request, type Response, type Router } from 'express';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { conversationKeyOf } from '../../src/core/activities.ts';
import { ALREADY_RECORDED } from '../../src/core/transcript-recorder.ts';
import { ChatbotError, Errors } from '../../src/shared/errors.ts';
import { sanitiseText } from '../../src/text/sanitise-text.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';
import { HISTORY_LIMIT, MAX_ENTRIES, type TranscriptEntry } from '../../src/state/transcript.ts';
import { WebchatAdapter } from './webchat-adapter.ts';
import { WebchatConnection } from './webchat-connection.ts';
import { ClientFrame, MAX_TEXT_CHARS, SendBody, type ServerFrame, type WebchatErrorCode } from './webchat-protocol.ts';
import type { WebchatTokens } from './webchat-tokens.ts';
import { originAllowed, webchatCors } from './webchat-cors.ts';
import type { EntriesBody, SentBody, StartedBody } from './webchat-wire.ts';
import { DEFAULT_LIMITS, type WebchatHost, type WebchatLimits, type WebchatOptions } from './webchat-options.ts';

const CHANNEL_ID = 'webchat';
const SOCKET_PATH = '/webchat/v1/socket';

/** How often each open socket's place in the per-address gauge is renewed. */
const GAUGE_REFRESH_MS = 30_000;

/**
 * The website chatbox channel: a WebSocket for live messages and an HTTP fallback for sending and
 * polling, both over the transcript. It only translates between frames and activities: the
 * citizen's message is recorded (numbered, deduplicated on the client's id), acknowledged, and run
 * as a message activity; whatever the transcript records for the conversation (bot replies, later
 * an agent's) goes out to its open sockets, and a tab that reconnects asks for what came after its
 * last sequence number.
 *
 * Limits are the service's shared ones: messages per conversation (over all its tabs and
 * processes), new conversations and open sockets per client address, and invalid frames per
 * socket (then it is closed). A message the store cannot keep gets an error frame, never silence.
 */
export class WebchatChannel {
  /** The channel's adapter: the handoff desk sends agents' messages through it. */
  readonly adapter: WebchatAdapter;
  private readonly sockets: WebSocketServer;
  private readonly byConversation = new Map<string, Set<WebchatConnection>>();
  /** Turns of one conversation run one after another, in the order their messages were recorded. */
  private readonly turns: KeyedQueue;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly gaugeRefresh: NodeJS.Timeout;
  private readonly limits: WebchatLimits;
  /** Every open socket, hello said or not. */
  private readonly open = new Set<WebchatConnection>();

  constructor(
    private readonly host: WebchatHost,
    private readonly tokens: WebchatTokens,
    private readonly log: Logger,
    private readonly options: WebchatOptions,
  ) {
    const limits = (this.limits = options.limits ?? DEFAULT_LIMITS);
    this.adapter = host.attach(new WebchatAdapter());
    this.turns = new KeyedQueue(log, 'webchat.turn.failed', (id) => conversationKeyOf(CHANNEL_ID, id));
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
    this.unsubscribe = host.transcript.subscribe((key, entry) => this.fanOut(key, entry));
    this.heartbeat = setInterval(() => this.checkSockets(), limits.heartbeatMs);
    this.heartbeat.unref();
    this.gaugeRefresh = setInterval(() => void this.refreshGauge(), GAUGE_REFRESH_MS);
    this.gaugeRefresh.unref();
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
      if (!originAllowed(this.options.allowedOrigins, req.headers.origin)) {
        this.log.warn({ reason: 'origin' }, 'webchat.connection.refused');
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      void this.admit(req, socket, head);
    });
  }

  /** Takes the socket's place among its address's open sockets (shared by every process), then upgrades. */
  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const address = this.options.clientAddress(req);
    let holder: string | null;
    try {
      holder = await this.options.shared.gauge('webchat.sockets.address').enter(address);
    } catch (err) {
      this.log.warn({ err }, 'webchat.connection.store_failed');
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (holder === null) {
      this.log.warn({ reason: 'address_sockets' }, 'webchat.connection.refused');
      socket.end('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (socket.destroyed) {
      await this.leaveGauge(address, holder);
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.connected(ws, address, holder));
  }

  /**
   * The HTTP side: start a conversation, send without a socket, read what came after a sequence
   * number. Open to the pages allowed to embed the chatbox (CORS; a bearer token, never cookies).
   */
  router(): Router {
    const router = express.Router();
    router.use('/webchat/v1', webchatCors(this.options.allowedOrigins));
    router.post('/webchat/v1/conversations', async (req, res) => {
      await this.mayStart(req.ip ?? 'unknown', res);
      const { conversationId, token } = this.tokens.issue();
      this.turns.push(conversationId, () => this.welcome(conversationId));
      res.status(201).json({ conversationId, token } satisfies StartedBody);
    });
    router.post('/webchat/v1/messages', async (req, res) => {
      const conversationId = this.authorised(req);
      const body = SendBody.safeParse(req.body);
      if (!body.success) throw Errors.webchatBadBody(body.error.issues[0]?.message ?? 'invalid');
      const text = sanitiseText(body.data.text);
      if (text.length === 0) throw Errors.webchatMessageEmpty();
      if (text.length > MAX_TEXT_CHARS) throw Errors.webchatMessageTooLong(MAX_TEXT_CHARS);
      const allowed = await this.options.shared.take('webchat.message.conversation', conversationId);
      if (!allowed.ok) {
        res.setHeader('Retry-After', String(Math.ceil(allowed.retryAfterMs / 1000)));
        throw Errors.webchatRateLimited(allowed.retryAfterMs);
      }
      const sent: SentBody = {
        ack: { id: body.data.id, ...(await this.receive(conversationId, body.data.id, text, req.ip ?? 'unknown')) },
      };
      res.json(sent);
    });
    router.get('/webchat/v1/messages', async (req, res) => {
      const conversationId = this.authorised(req);
      const after = Number(req.query.after ?? 0);
      if (!Number.isInteger(after) || after < 0) throw Errors.webchatBadBody('after must be a whole number ≥ 0');
      res.json({ entries: await this.history(conversationId, after) } satisfies EntriesBody);
    });
    return router;
  }

  /** New conversations from one address are limited: each is free to make, and each may look up dossiers. */
  private async mayStart(address: string, res?: Response): Promise<void> {
    const allowed = await this.options.shared.take('webchat.conversation.address', address);
    if (allowed.ok) return;
    this.log.warn({ reason: 'new_conversations' }, 'webchat.rate_limited');
    res?.setHeader('Retry-After', String(Math.ceil(allowed.retryAfterMs / 1000)));
    throw Errors.webchatRateLimited(allowed.retryAfterMs);
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

  /** Resolves when every turn queued so far (and anything it queued) has run (tests wait on it). */
  idle(): Promise<void> {
    return this.turns.idle();
  }

  /** Stops: sockets told to reconnect elsewhere, turns in progress finished. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.gaugeRefresh);
    this.unsubscribe();
    this.disconnectAll();
    await this.turns.idle();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
  }

  private connected(socket: WebSocket, address: string, holder: string): void {
    const connection = new WebchatConnection(
      socket,
      address,
      holder,
      this.limits,
      () => this.log.warn({ conversation: connection.key, buffered: socket.bufferedAmount }, 'webchat.client.slow'),
      (gapped) => void this.catchUp(gapped),
    );
    this.open.add(connection);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      connection.lastSeen = Date.now();
      // Frames already read when the socket began to close are dropped: nothing more is said to it.
      connection.inbox = connection.inbox.then(() =>
        socket.readyState === socket.OPEN ? this.handleFrame(connection, data, isBinary) : undefined,
      );
    });
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('error', (err) =>
      this.log.warn({ err: { message: err.message }, conversation: connection.key }, 'webchat.socket.error'),
    );
    socket.on('close', (code: number) => {
      this.open.delete(connection);
      void this.leaveGauge(address, holder);
      if (connection.key !== null) this.forget(connection);
      this.log.info({ conversation: connection.key, code }, 'webchat.disconnected');
    });
  }

  /** One frame; whatever fails, the client hears of it (an error frame with the message's id), and the socket lives on. */
  private async handleFrame(connection: WebchatConnection, data: RawData, isBinary: boolean): Promise<void> {
    const frame = isBinary ? null : parseFrame(data.toString());
    if (frame === null || !frame.success) return this.invalidFrame(connection, frame);
    const message = frame.data;
    try {
      await this.handleMessage(connection, message);
    } catch (err) {
      const busy = err instanceof ChatbotError && err.code === 'CHAT_ERR_STORE_UNAVAILABLE';
      this.log.error(
        { err, conversation: connection.key },
        busy ? 'webchat.frame.store_unavailable' : 'webchat.frame.failed',
      );
      const id = message.type === 'message' ? message.id : undefined;
      connection.send({
        ...errorFrame(
          'server_busy',
          'Hệ thống đang bận, tin nhắn chưa gửi được. Xin anh/chị chờ giây lát, tin sẽ được gửi lại.',
          id,
        ),
        retryAfterMs: 3000,
      });
    }
  }

  private async handleMessage(connection: WebchatConnection, message: ClientFrame): Promise<void> {
    if (message.type === 'ping') return connection.send({ type: 'pong' });
    if (message.type === 'hello') return this.hello(connection, message.token, message.after);
    if (connection.conversationId === null)
      return connection.send(errorFrame('hello_first', 'Gửi "hello" trước.', message.id));
    const text = sanitiseText(message.text);
    if (text.length === 0) return connection.send(errorFrame('message_empty', 'Tin nhắn trống.', message.id));
    if (text.length > MAX_TEXT_CHARS) {
      return connection.send(errorFrame('message_too_long', `Tin nhắn dài quá ${MAX_TEXT_CHARS} ký tự.`, message.id));
    }
    const allowed = await this.options.shared.take('webchat.message.conversation', connection.conversationId);
    if (!allowed.ok) {
      this.log.info({ conversation: connection.key }, 'webchat.rate_limited');
      return connection.send({
        ...errorFrame('rate_limited', 'Anh/chị gửi nhanh quá, xin đợi giây lát.', message.id),
        retryAfterMs: allowed.retryAfterMs,
      });
    }
    const { seq, duplicate } = await this.receive(connection.conversationId, message.id, text, connection.address);
    connection.send({ type: 'ack', id: message.id, seq, duplicate });
  }

  /**
   * A frame that is not one of ours: told while the socket's allowance lasts, closed (1008) when
   * it runs out. Logged once per socket, not once per frame.
   */
  private invalidFrame(connection: WebchatConnection, frame: ReturnType<typeof parseFrame>): void {
    const allowed = connection.invalidFrames.take();
    if (!allowed.ok) {
      this.log.warn({ conversation: connection.key }, 'webchat.frame.invalid_closed');
      connection.socket.close(1008, 'too many invalid frames');
      return;
    }
    if (!connection.toldInvalid) {
      connection.toldInvalid = true;
      this.log.info({ conversation: connection.key }, 'webchat.frame.invalid');
    }
    const detail = frame?.success === false ? (frame.error.issues[0]?.message ?? '') : 'frames are JSON text';
    connection.send(errorFrame('bad_frame', `Khung tin không hợp lệ: ${detail}`));
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
      try {
        await this.mayStart(connection.address);
      } catch (err) {
        if (!(err instanceof ChatbotError) || err.httpStatus !== 429) throw err;
        connection.send({
          ...errorFrame(
            'rate_limited',
            'Có quá nhiều cuộc trò chuyện mới từ mạng của anh/chị, xin thử lại sau ít phút.',
          ),
          retryAfterMs: 60_000,
        });
        return;
      }
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

  /**
   * Records the citizen's message and queues its turn; a resent message is acknowledged, not run
   * again. `origin`, the client's address, goes with the turn: the core limits dossier look-ups by it.
   */
  private async receive(
    conversationId: string,
    id: string,
    text: string,
    origin: string,
  ): Promise<{ seq: number; duplicate: boolean }> {
    const key = this.key(conversationId);
    const { entry, duplicate } = await this.host.transcript.append(key, {
      from: 'citizen',
      text,
      suggestedActions: [],
      messageId: id,
    });
    this.log.info({ conversation: key, seq: entry.seq, length: text.length, duplicate }, 'webchat.message.received');
    if (!duplicate) this.turns.push(conversationId, () => this.turn(conversationId, id, entry.seq, entry.text, origin));
    return { seq: entry.seq, duplicate };
  }

  /**
   * Runs the bot on a message, then tells this process's tabs the turn is over and up to which
   * entry: a turn may post several messages (a long answer, a note with other choices), and the
   * widget hides its typing dots on this, not on the first of them.
   */
  private async turn(conversationId: string, id: string, seq: number, text: string, origin: string): Promise<void> {
    const key = this.key(conversationId);
    for (const tab of this.byConversation.get(key) ?? []) tab.send({ type: 'typing' });
    const activity = Activity.fromObject({
      ...this.addressing(conversationId),
      type: ActivityTypes.Message,
      id,
      text,
      locale: 'vi-VN',
      timestamp: new Date().toISOString(),
      channelData: { origin },
    });
    await this.adapter.process(activity, this.host.bot, new Map([[ALREADY_RECORDED, true]]));
    const after = await this.host.transcript.read(key, seq);
    const upTo = after.at(-1)?.seq ?? seq;
    for (const tab of this.byConversation.get(key) ?? []) tab.send({ type: 'answered', id, seq: upTo });
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
      await connection.replayAll(
        await this.host.transcript.read(this.key(connection.conversationId), connection.sentUpTo),
      );
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

  /** Renews every open socket's place in its address's gauge (a process that died stops counting). */
  private async refreshGauge(): Promise<void> {
    const byAddress = new Map<string, string[]>();
    for (const c of this.open) byAddress.set(c.address, [...(byAddress.get(c.address) ?? []), c.holder]);
    const gauge = this.options.shared.gauge('webchat.sockets.address');
    for (const [address, holders] of byAddress) {
      await gauge
        .refresh(address, holders)
        .catch((err: unknown) => this.log.warn({ err }, 'webchat.gauge.refresh_failed'));
    }
  }

  private async leaveGauge(address: string, holder: string): Promise<void> {
    await this.options.shared
      .gauge('webchat.sockets.address')
      .leave(address, holder)
      .catch((err: unknown) => this.log.warn({ err }, 'webchat.gauge.leave_failed'));
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
