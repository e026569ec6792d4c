import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import type { WebchatLimits } from '../../adapters/webchat/webchat-options.ts';
import { DEFAULT_LIMITS } from '../../adapters/webchat/webchat-options.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { freshSchema } from './postgres.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { LimitOverrides } from '../../src/state/shared-limits.ts';
import { INTENTS_DIR, MODEL_DIR } from './assistant.ts';
import { KNOWLEDGE_DIR, knowledgeBase } from './knowledge.ts';

export interface TestServer extends RunningServer {
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
}

/** The real server (assistant, HTTP, webchat) on a free loopback port, logging into memory. */
export async function startTestServer(
  env: Record<string, string> = {},
  limits: Partial<WebchatLimits> = {},
  clock?: () => number,
  limitOverrides?: LimitOverrides,
): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // The records in a schema of their own on the real PostgreSQL (or, for the service-free unit run,
  // an in-memory PGlite), unless the test chose.
  const schema =
    env.DATABASE_URL !== undefined || env.RECORDS_DIR !== undefined || process.env.TEST_RECORDS === 'pglite'
      ? null
      : await freshSchema();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    KNOWLEDGE_DIR,
    INTENTS_DIR,
    NLU_MODEL_DIR: MODEL_DIR,
    SHUTDOWN_TIMEOUT_MS: '2000',
    // Never the repository's own .data/: each server gets an accounts file of its own.
    AGENT_ACCOUNTS_FILE: join(mkdtempSync(join(tmpdir(), 'agents-')), 'accounts.json'),
    ...(schema === null ? { RECORDS_DIR: 'memory://' } : { DATABASE_URL: schema.url }),
    ...env,
  });
  const running = await startServer(config, createLogger('info', sink), {
    knowledge: knowledgeBase(),
    webchatLimits: { ...DEFAULT_LIMITS, ...limits },
    ...(clock ? { clock } : {}),
    ...(limitOverrides ? { limitOverrides } : {}),
  });
  const close = running.close.bind(running);
  return Object.assign(running, {
    logs,
    close: async () => {
      await close();
      await schema?.drop();
    },
  });
}

type Frame = Record<string, unknown> & { type: string };

/** A webchat client over a real WebSocket: sends frames, and waits for the ones it expects. */
export class SocketClient {
  readonly frames: Frame[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /**
   * A socket from `address` (by default a random one of 127.0.0.0/8: each test client is a citizen
   * of their own, as the per-address limits expect of real ones).
   */
  static async open(baseUrl: string, address = randomLoopback()): Promise<SocketClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/webchat/v1/socket`, { localAddress: address });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new SocketClient(socket);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or to come) that matches. */
  next(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`),
          ),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  /** Says hello and waits for the welcome and the replay of what came after `after`. */
  async hello(token?: string, after = 0): Promise<Frame> {
    this.send({ type: 'hello', after, ...(token ? { token } : {}) });
    return this.next((f) => f.type === 'welcome' || (f.type === 'error' && f.code === 'bad_token'));
  }

  /** Transcript entries received so far. */
  entries(): { seq: number; from: string; text: string; suggestedActions: string[]; messageId?: string }[] {
    return this.frames.filter((f) => f.type === 'message').map((f) => f.entry as never);
  }

  /** Waits until `count` bot entries have arrived after the message with client id `id`. */
  async replyTo(id: string): Promise<{ seq: number; text: string; suggestedActions: string[] }> {
    const mine = await this.next((f) => f.type === 'message' && (f.entry as { messageId?: string }).messageId === id);
    const seq = (mine.entry as { seq: number }).seq;
    const reply = await this.next(
      (f) =>
        f.type === 'message' &&
        (f.entry as { seq: number; from: string }).seq > seq &&
        (f.entry as { from: string }).from === 'bot',
    );
    return reply.entry as never;
  }

  /** Waits for the bot to be done with message `id` (its `answered` frame) and for every entry up to it. */
  async answered(id: string): Promise<void> {
    const done = await this.next((f) => f.type === 'answered' && f.id === id);
    await this.next((f) => f.type === 'message' && (f.entry as { seq: number }).seq === done.seq);
  }

  /**
   * Resolves once the server has handled every frame this socket sent before, and every frame it sent
   * back meanwhile has arrived: a ping is handled after them, and its pong travels behind them.
   * With `server.webchat.idle()` first, nothing a turn says can still be on its way.
   */
  async flush(): Promise<void> {
    const pongs = () => this.frames.filter((f) => f.type === 'pong').length;
    const before = pongs();
    this.send({ type: 'ping' });
    await this.next((f) => f.type === 'pong' && pongs() > before);
  }

  close(): void {
    this.socket.close();
  }
}

/** A random address of 127.0.0.0/8 other than 127.0.0.1: every one of them reaches this machine. */
export function randomLoopback(): string {
  const byte = () => Math.floor(Math.random() * 254) + 1;
  return `127.${byte()}.${byte()}.${byte()}`;
}
