import type { Request, Response } from 'express';
import type { Handoff } from '../assistant.ts';
import type { AccountStore } from '../staff/agent-accounts.ts';
import type { AgentSession, AgentSessions } from '../staff/agent-sessions.ts';
import { PRESENCE_BEAT_MS } from '../handoff/agent-presence.ts';
import type { DeskAgent } from '../handoff/handoff-desk.ts';
import type { HandoffRecord } from '../handoff/handoff-queue.ts';
import type { Logger } from '../shared/logger.ts';
import type { Transcript } from '../state/transcript.ts';
import type { ConsoleEvents } from './console-wire.ts';
import { queueItem } from './queue-item.ts';

/** Comment lines keep proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
/** Queue changes come in bursts (claim + note + message): one snapshot for a burst. */
const SNAPSHOT_DELAY_MS = 30;

interface Stream {
  res: Response;
  agent: DeskAgent;
  session: AgentSession;
  token: string;
  /** Conversations this console lists: only their messages are sent to it. */
  listed: Set<string>;
  timer: NodeJS.Timeout | null;
  /** Events go out one after another, each after the account and the session are checked again. */
  outbox: Promise<void>;
}

/**
 * The console's live updates over server-sent events: a queue snapshot on connect and after every
 * change (from any process: the queue and the transcript speak on the event bus), and every new
 * message of a listed conversation. An open stream keeps the agent "online" for the bot.
 *
 * Who may read a stream is checked again before every event, not only when it opens: a removed
 * account, a changed role or an ended session closes the stream (with a `revoked` event, so the
 * page asks again who is logged in) before anything more is written to it.
 */
export class AgentEvents {
  private readonly streams = new Set<Stream>();
  private readonly stops: (() => void)[] = [];
  private readonly beat: NodeJS.Timeout;

  constructor(
    private readonly handoff: Handoff,
    transcript: Transcript,
    private readonly sessions: AgentSessions,
    private readonly accounts: AccountStore,
    private readonly log: Logger,
    private readonly visible: (agent: DeskAgent, records: readonly HandoffRecord[]) => HandoffRecord[],
  ) {
    this.stops.push(handoff.queue.subscribe(() => this.queueChanged()));
    this.stops.push(
      transcript.subscribe((key, entry) => {
        for (const stream of this.streams)
          if (stream.listed.has(key)) this.send(stream, 'entry', (): ConsoleEvents['entry'] => ({ key, entry }));
      }),
    );
    this.beat = setInterval(() => void this.keepAlive(), Math.min(KEEP_ALIVE_MS, PRESENCE_BEAT_MS));
    this.beat.unref();
  }

  stream(req: Request, res: Response, authed: { session: AgentSession; token: string; agent: DeskAgent }): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    const stream: Stream = { res, ...authed, listed: new Set(), timer: null, outbox: Promise.resolve() };
    this.streams.add(stream);
    void this.handoff.presence
      .beat(authed.agent.username, authed.agent.role)
      .catch((err: unknown) => this.log.warn({ err }, 'agent.presence.failed'));
    void this.snapshot(stream);
    req.on('close', () => this.drop(stream));
  }

  /** Forgets a stream; the agent is offline once none of theirs is open here. */
  private drop(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    if (stream.timer !== null) clearTimeout(stream.timer);
    const stillOpen = [...this.streams].some((s) => s.agent.username === stream.agent.username);
    if (!stillOpen) void this.handoff.presence.leave(stream.agent.username).catch(() => {});
  }

  close(): void {
    clearInterval(this.beat);
    for (const stop of this.stops) stop();
    for (const stream of this.streams) stream.res.end();
    this.streams.clear();
  }

  private queueChanged(): void {
    for (const stream of this.streams) {
      if (stream.timer !== null) continue;
      stream.timer = setTimeout(() => {
        stream.timer = null;
        void this.snapshot(stream);
      }, SNAPSHOT_DELAY_MS);
    }
  }

  private snapshot(stream: Stream): Promise<void> {
    return this.send(stream, 'queue', async (): Promise<ConsoleEvents['queue']> => {
      const records = this.visible(stream.agent, await this.handoff.queue.list());
      stream.listed = new Set(records.map((r) => r.key));
      return { conversations: await Promise.all(records.map((r) => queueItem(r, this.handoff.desk))) };
    });
  }

  /**
   * Queues one event for the stream: when its turn comes, the reader is checked again, and only
   * then is the event's data made and written. Returns when it is written (or dropped).
   */
  private send(stream: Stream, event: string, data: () => unknown): Promise<void> {
    stream.outbox = stream.outbox
      .then(async () => {
        if (!this.streams.has(stream)) return;
        if (!(await this.mayRead(stream))) return this.revoke(stream);
        if (event === 'keep-alive') stream.res.write(': keep-alive\n\n');
        else write(stream.res, event, await data());
      })
      .catch((err: unknown) => this.log.warn({ err, agent: stream.agent.username }, 'agent.events.send_failed'));
    return stream.outbox;
  }

  /** The session is live, the account still exists, and its role is the one the stream was opened with. */
  private async mayRead(stream: Stream): Promise<boolean> {
    const [session, account] = await Promise.all([
      this.sessions.get(stream.token),
      this.accounts.get(stream.agent.username),
    ]);
    return session !== null && account !== null && account.role === stream.agent.role;
  }

  private revoke(stream: Stream): void {
    this.drop(stream);
    this.log.info({ agent: stream.agent.username }, 'agent.events.revoked');
    write(stream.res, 'revoked', {} satisfies ConsoleEvents['revoked']);
    stream.res.end();
  }

  /** Keeps streams and presence alive; a stream whose reader may no longer read is ended (the page asks who is logged in). */
  private async keepAlive(): Promise<void> {
    await Promise.all([...this.streams].map((stream) => this.send(stream, 'keep-alive', () => null)));
    const online = new Map([...this.streams].map((s) => [s.agent.username, s.agent.role]));
    for (const [username, role] of online) await this.handoff.presence.beat(username, role).catch(() => {});
  }
}

function write(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
