import type { Request, Response } from 'express';
import type { Handoff } from '../assistant.ts';
import type { AgentSession, AgentSessions } from '../agents/agent-sessions.ts';
import { PRESENCE_BEAT_MS } from '../handoff/agent-presence.ts';
import type { DeskAgent } from '../handoff/handoff-desk.ts';
import type { HandoffRecord } from '../handoff/handoff-queue.ts';
import type { Logger } from '../shared/logger.ts';
import type { Transcript } from '../state/transcript.ts';
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
}

/**
 * The console's live updates over server-sent events: a queue snapshot on connect and after every
 * change (from any process: the queue and the transcript speak on the event bus), and every new
 * message of a listed conversation. An open stream keeps the agent "online" for the bot.
 */
export class AgentEvents {
  private readonly streams = new Set<Stream>();
  private readonly stops: (() => void)[] = [];
  private readonly beat: NodeJS.Timeout;

  constructor(
    private readonly handoff: Handoff,
    transcript: Transcript,
    private readonly sessions: AgentSessions,
    private readonly log: Logger,
    private readonly visible: (agent: DeskAgent, records: readonly HandoffRecord[]) => HandoffRecord[],
  ) {
    this.stops.push(handoff.queue.subscribe(() => this.queueChanged()));
    this.stops.push(
      transcript.subscribe((key, entry) => {
        for (const stream of this.streams) if (stream.listed.has(key)) write(stream.res, 'entry', { key, entry });
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
    const stream: Stream = { res, ...authed, listed: new Set(), timer: null };
    this.streams.add(stream);
    void this.handoff.presence.beat(authed.agent.username, authed.agent.role).catch((err: unknown) => this.log.warn({ err }, 'agent.presence.failed'));
    void this.snapshot(stream);
    req.on('close', () => {
      this.streams.delete(stream);
      if (stream.timer !== null) clearTimeout(stream.timer);
      const stillOpen = [...this.streams].some((s) => s.agent.username === authed.agent.username);
      if (!stillOpen) void this.handoff.presence.leave(authed.agent.username).catch(() => {});
    });
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

  private async snapshot(stream: Stream): Promise<void> {
    try {
      const records = this.visible(stream.agent, await this.handoff.queue.list());
      stream.listed = new Set(records.map((r) => r.key));
      write(stream.res, 'queue', { conversations: await Promise.all(records.map((r) => queueItem(r, this.handoff.desk))) });
    } catch (err) {
      this.log.warn({ err }, 'agent.events.snapshot_failed');
    }
  }

  /** Keeps streams and presence alive; a stream whose session expired is ended (the page goes back to the login). */
  private async keepAlive(): Promise<void> {
    for (const stream of [...this.streams]) {
      if ((await this.sessions.get(stream.token)) === null) {
        stream.res.end();
        this.streams.delete(stream);
        continue;
      }
      stream.res.write(': keep-alive\n\n');
    }
    const online = new Map([...this.streams].map((s) => [s.agent.username, s.agent.role]));
    for (const [username, role] of online) await this.handoff.presence.beat(username, role).catch(() => {});
  }
}

function write(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
