import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Handoff } from '../assistant.ts';
import type { AccountStore, AgentAccount, AgentRole } from '../staff/agent-accounts.ts';
import { csrfMatches, type AgentSessions } from '../staff/agent-sessions.ts';
import type { DeskAgent } from '../handoff/handoff-desk.ts';
import type { HandoffRecord } from '../handoff/handoff-queue.ts';
import { BrowserBundle, STAFF_BROWSERS } from '../http/browser-bundle.ts';
import { Errors } from '../shared/errors.ts';
import type { RecordSink } from '../records/record-events.ts';
import type { Logger } from '../shared/logger.ts';
import type { SharedLimits, Verdict } from '../state/shared-limits.ts';
import type { Transcript, TranscriptEntry } from '../state/transcript.ts';
import type { CallbackTask } from '../handoff/callback-tasks.ts';
import type { CannedResponse as StoredCannedResponse } from '../handoff/canned-responses.ts';
import type { SatisfactionSurvey } from '../handoff/satisfaction-survey.ts';
import { AgentEvents } from './agent-events.ts';
import type * as Wire from './console-wire.ts';
import { queueItem } from './queue-item.ts';
import { authed, supervisorOf, type Authed } from './console-auth.ts';

const PAGE = fileURLToPath(new URL('./ui/console.html', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./ui/console.ts', import.meta.url));
const UPLOT_CSS = readFileSync(fileURLToPath(import.meta.resolve('uplot/dist/uPlot.min.css')), 'utf8');

const SESSION_COOKIE = 'khcc_agent';

const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
const ReplyBody = z.object({ text: z.string().trim().min(1).max(2000) });
const TransferBody = z.object({ to: z.string().min(1).max(64) });
const CannedBody = z.object({ title: z.string().trim().min(1).max(80), text: z.string().trim().min(1).max(2000) });

// The page's wire types (console-wire.ts) against the schemas and stores behind them, checked where both are seen.
// Exported so the compiler holds them (nothing imports them): each is an error when the two shapes differ.
/** @public compile-time check, held by the compiler though nothing imports it. */
export type WireChecks = [
  Wire.Holds<Wire.SameShape<z.input<typeof Login>, Wire.LoginRequest>>, // LoginOnTheWire
  Wire.Holds<Wire.SameShape<z.input<typeof ReplyBody>, Wire.ReplyRequest>>, // ReplyOnTheWire
  Wire.Holds<Wire.SameShape<z.input<typeof TransferBody>, Wire.TransferRequest>>, // TransferOnTheWire
  Wire.Holds<Wire.SameShape<z.input<typeof CannedBody>, Wire.CannedRequest>>, // CannedRequestOnTheWire
  Wire.Holds<Wire.SameShape<StoredCannedResponse, Wire.CannedResponse>>, // CannedOnTheWire
  Wire.Holds<Wire.SameShape<TranscriptEntry, Wire.ConsoleEntry>>, // EntryOnTheWire
  Wire.Holds<Wire.SameShape<AgentRole, Wire.AgentRole>>, // RoleOnTheWire
  Wire.Holds<Wire.SameShape<Awaited<ReturnType<SatisfactionSurvey['stats']>>, Wire.SatisfactionStats>>, // StatsOnTheWire
];

export interface AgentConsoleDeps {
  accounts: AccountStore;
  sessions: AgentSessions;
  sessionSeconds: number;
  handoff: Handoff;
  transcript: Transcript;
  log: Logger;
  /** Login tries, counted where every console process sees them (Redis when there is one). */
  limits: SharedLimits;
  /** The records: the audit log of staff actions, callbacks done. */
  records: RecordSink;
  /** Routes served behind the console's sign-in and CSRF check, given the console's audit. */
  moreApi?: (audit: ConsoleAudit) => Router;
}

/** Writes one staff action to the log and the records' audit log. */
export type ConsoleAudit = (agent: DeskAgent, action: string, details: Record<string, unknown>) => void;

/**
 * The agent console at /agent: login (scrypt-hashed accounts, throttled), an HttpOnly SameSite
 * session cookie, a CSRF token on every change, the queue and transcripts, and the actions — claim,
 * reply, transfer, close — each audit-logged. An agent acts only on conversations the console lists
 * for them; everything it shows is escaped by the page (text nodes only).
 */
export class AgentConsole {
  private readonly events: AgentEvents;
  private readonly page = readFileSync(PAGE, 'utf8');
  private readonly script = BrowserBundle.build(SCRIPT, STAFF_BROWSERS);

  constructor(private readonly deps: AgentConsoleDeps) {
    this.events = new AgentEvents(
      deps.handoff,
      deps.transcript,
      deps.sessions,
      deps.accounts,
      deps.log,
      (agent, records) => this.visible(agent, records),
    );
  }

  router(): Router {
    const router = express.Router();
    router.get('/agent', (_req, res) => {
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.type('html').send(this.page);
    });
    router.get('/agent/console.js', (req, res) => this.script.serve(req, res));
    // The dashboard's chart library's own styles, served from the package (no CDN: the console works offline).
    router.get('/agent/uplot.css', (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.type('css').send(UPLOT_CSS);
    });
    router.post('/agent/login', (req, res) => this.login(req, res));
    router.post('/agent/logout', (req, res) => this.logout(req, res));
    router.use('/agent/api', (req, res, next) => {
      // What the API answers is one officer's view of citizens' conversations: never kept by a cache.
      res.setHeader('Cache-Control', 'no-store');
      void this.authenticate(req, res, next).catch(next);
    });
    router.get('/agent/api/me', (req, res) => {
      const { session } = authed(res);
      res.json({ agent: publicAgent(authed(res).agent), csrfToken: session.csrfToken } satisfies Wire.SessionBody);
    });
    router.get('/agent/api/events', (req, res) => this.events.stream(req, res, authed(res)));
    router.get('/agent/api/queue', async (_req, res) => {
      const agent = authed(res).agent;
      res.json({
        conversations: await Promise.all(
          this.visible(agent, await this.deps.handoff.queue.list()).map((r) => this.item(r)),
        ),
      } satisfies Wire.QueueBody);
    });
    router.get('/agent/api/conversations/:key/transcript', async (req, res) => {
      const record = await this.listed(req, res);
      res.json({ entries: await this.deps.transcript.read(record.key, 0) } satisfies Wire.TranscriptBody);
    });
    router.post('/agent/api/conversations/:key/claim', async (req, res) => this.claim(req, res));
    router.post('/agent/api/conversations/:key/reply', async (req, res) => this.reply(req, res));
    router.post('/agent/api/conversations/:key/transfer', async (req, res) => this.transfer(req, res));
    router.post('/agent/api/conversations/:key/close', async (req, res) => this.closeConversation(req, res));
    router.get('/agent/api/agents', async (_req, res) => {
      const online = new Set((await this.deps.handoff.presence.online()).map((a) => a.username));
      const agents = (await this.deps.accounts.list()).map((a): Wire.AgentInfo => ({
        ...publicAgent(a),
        online: online.has(a.username),
      }));
      res.json({
        agents: agents.sort((a, b) => Number(b.online) - Number(a.online) || a.username.localeCompare(b.username)),
      } satisfies Wire.AgentsBody);
    });
    router.get('/agent/api/canned', async (_req, res) =>
      res.json({ responses: await this.deps.handoff.canned.list() } satisfies Wire.CannedListBody),
    );
    router.post('/agent/api/canned', async (req, res) => {
      const { agent } = this.supervisor(res);
      const body = parse(CannedBody, req.body);
      const response = await this.deps.handoff.canned.add(body.title, body.text);
      this.audit(agent, 'canned.add', { id: response.id });
      res.status(201).json({ response } satisfies Wire.CannedAddedBody);
    });
    router.delete('/agent/api/canned/:id', async (req, res) => {
      const { agent } = this.supervisor(res);
      const removed = await this.deps.handoff.canned.remove(String(req.params.id));
      if (!removed) throw notFound();
      this.audit(agent, 'canned.remove', { id: req.params.id });
      res.status(204).end();
    });
    router.get('/agent/api/callbacks', async (_req, res) => {
      const { agent } = authed(res);
      const tasks = (await this.deps.handoff.callbacks.list()).filter((t) => mayHandle(agent, t));
      res.json({ tasks: tasks.map(callbackItem) } satisfies Wire.CallbacksBody);
    });
    router.post('/agent/api/callbacks/:id/done', async (req, res) => {
      const { agent } = authed(res);
      const task = await this.deps.handoff.callbacks.markDone(String(req.params.id), agent.username, (t) =>
        mayHandle(agent, t),
      );
      if (task === null) throw notFound();
      this.audit(agent, 'callback.done', { id: task.id, conversation: task.conversation });
      this.deps.records.add({
        kind: 'callback',
        id: `${task.id}:done`,
        at: new Date().toISOString(),
        conversation: task.conversation,
        channel: task.channel,
        callbackId: task.id,
        step: 'done',
        agent: agent.username,
      });
      res.json({ task: callbackItem(task) } satisfies Wire.CallbackDoneBody);
    });
    router.get('/agent/api/stats/satisfaction', async (_req, res) => {
      this.supervisor(res);
      res.json((await this.deps.handoff.surveys.stats()) satisfies Wire.SatisfactionStats);
    });
    // More of the API behind the same sign-in (the records' dashboard, reports, a citizen's data).
    if (this.deps.moreApi !== undefined)
      router.use(this.deps.moreApi((agent, action, details) => this.audit(agent, action, details)));
    return router;
  }

  close(): void {
    this.events.close();
  }

  /**
   * Every try takes its place in the limits before the password is hashed, so a burst of
   * concurrent tries cannot all pass a check made before any of them failed, and the hashing
   * work is capped by the same limits. A success gives its places back.
   */
  private async login(req: Request, res: Response): Promise<void> {
    const { username, password } = parse(Login, req.body);
    const name = username.trim().toLowerCase();
    const address = req.ip ?? 'unknown';
    const { limits } = this.deps;
    const verdicts = await Promise.all([
      limits.take('login.account-address', `${name}|${address}`),
      limits.take('login.account', name),
      limits.take('login.address', address),
    ]);
    const wait = longestWait(verdicts);
    if (wait !== null) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      this.deps.log.warn({ agent: name }, 'agent.login.throttled');
      throw Errors.agentLoginThrottled();
    }
    const account = await this.deps.accounts.verify(name, password);
    if (account === null) {
      this.deps.log.warn({ agent: name }, 'agent.login.failed');
      throw Errors.agentLoginFailed();
    }
    await Promise.all([
      limits.forgive('login.account-address', `${name}|${address}`),
      limits.giveBack('login.account', name),
      limits.giveBack('login.address', address),
    ]);
    const { token, session } = await this.deps.sessions.create(account);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/agent',
      maxAge: this.deps.sessionSeconds * 1000,
    });
    this.audit(deskAgent(account), 'login', {});
    res.json({ agent: publicAgent(account), csrfToken: session.csrfToken } satisfies Wire.SessionBody);
  }

  private async logout(req: Request, res: Response): Promise<void> {
    const token = readCookie(req, SESSION_COOKIE);
    const session = await this.deps.sessions.get(token);
    if (session !== null) {
      if (!csrfMatches(session, req.get('x-csrf-token'))) throw csrfError();
      await this.deps.sessions.destroy(token);
      this.audit({ username: session.username, displayName: session.displayName, role: session.role }, 'logout', {});
    }
    res.clearCookie(SESSION_COOKIE, { path: '/agent' });
    res.status(204).end();
  }

  /** A live session whose account still exists (its role read afresh), and the CSRF token on every change. */
  private async authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
    const token = readCookie(req, SESSION_COOKIE);
    const session = await this.deps.sessions.get(token);
    const account = session === null ? null : await this.deps.accounts.get(session.username);
    if (session === null || account === null) {
      if (session !== null) await this.deps.sessions.destroy(token);
      throw Errors.agentSession();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !csrfMatches(session, req.get('x-csrf-token')))
      throw csrfError();
    res.locals.authed = { session, token: token!, agent: deskAgent(account) } satisfies Authed;
    next();
  }

  private async claim(req: Request, res: Response): Promise<void> {
    const { agent } = authed(res);
    const record = await this.listed(req, res);
    if (record.queue === 'supervisors' && agent.role !== 'supervisor')
      throw forbidden('complaints are for supervisors');
    const result = await this.deps.handoff.desk.claim(record.key, agent);
    if (!result.ok) {
      const claimedBy = result.record?.claimedBy ?? null;
      throw Errors.handoffClaimed(claimedBy);
    }
    this.audit(agent, 'claim', { conversation: record.key });
    res.json({ conversation: await this.item(result.record) } satisfies Wire.ConversationBody);
  }

  private async reply(req: Request, res: Response): Promise<void> {
    const { agent } = authed(res);
    const record = await this.listed(req, res);
    const { text } = parse(ReplyBody, req.body);
    if (!(await this.deps.handoff.desk.windowOpen(record))) throw Errors.handoffWindowClosed();
    const sent = await this.deps.handoff.desk.reply(record.key, agent, text);
    if (sent === 'not_yours') throw forbidden('claim the conversation first');
    if (sent === 'not_listed') throw notFound();
    this.audit(agent, 'reply', { conversation: record.key, length: text.length });
    const entries = await this.deps.transcript.read(record.key, 0, 20);
    res.json({ entry: entries.filter((e) => e.from === 'agent').at(-1) ?? null } satisfies Wire.RepliedBody);
  }

  private async transfer(req: Request, res: Response): Promise<void> {
    const { agent } = authed(res);
    const record = await this.listed(req, res);
    const { to } = parse(TransferBody, req.body);
    if (record.claimedBy !== agent.username && agent.role !== 'supervisor')
      throw forbidden('only the agent who has it, or a supervisor, can transfer it');
    const target = await this.deps.accounts.get(to.trim().toLowerCase());
    if (target === null) throw Errors.agentUnknown();
    const moved = await this.deps.handoff.desk.transfer(record.key, target.username);
    if (moved === null) throw notFound();
    this.audit(agent, 'transfer', { conversation: record.key, to: target.username });
    res.json({ conversation: await this.item(moved) } satisfies Wire.ConversationBody);
  }

  private async closeConversation(req: Request, res: Response): Promise<void> {
    const { agent } = authed(res);
    const record = await this.listed(req, res);
    if (record.claimedBy !== agent.username && agent.role !== 'supervisor')
      throw forbidden('only the agent who has it, or a supervisor, can close it');
    await this.deps.handoff.desk.close(record.key, agent);
    this.audit(agent, 'close', { conversation: record.key });
    res.json({ closed: record.key } satisfies Wire.ClosedBody);
  }

  /** The conversation named in the URL, if the console lists it for this agent; else 404 (nothing else is reachable). */
  private async listed(req: Request, res: Response): Promise<HandoffRecord> {
    const record = await this.deps.handoff.queue.get(String(req.params.key));
    if (record === null || this.visible(authed(res).agent, [record]).length === 0) throw notFound();
    return record;
  }

  /** Agents see the agents' queue and what is assigned to them; supervisors see everything. */
  private visible(agent: DeskAgent, records: readonly HandoffRecord[]): HandoffRecord[] {
    return records.filter((r) => agent.role === 'supervisor' || r.queue === 'agents' || r.claimedBy === agent.username);
  }

  private item(record: HandoffRecord): Promise<Wire.QueueItem> {
    return queueItem(record, this.deps.handoff.desk);
  }

  private supervisor(res: Response): Authed {
    return supervisorOf(res);
  }

  private audit(agent: DeskAgent, action: string, details: Record<string, unknown>): void {
    this.deps.log.info({ agent: agent.username, action, ...details }, 'agent.action');
    const conversation = typeof details.conversation === 'string' ? details.conversation : null;
    this.deps.records.add({
      kind: 'audit',
      id: randomUUID(),
      at: new Date().toISOString(),
      conversation,
      actor: agent.username,
      action,
      detail: details,
    });
  }
}

function deskAgent(account: AgentAccount): DeskAgent {
  return { username: account.username, displayName: account.displayName, role: account.role };
}

function publicAgent(agent: DeskAgent): Wire.PublicAgent {
  return { username: agent.username, role: agent.role, displayName: agent.displayName };
}

function callbackItem(task: CallbackTask): Wire.CallbackItem {
  return {
    id: task.id,
    key: task.conversation,
    channel: task.channel,
    phone: task.phone,
    message: task.message,
    createdAt: task.createdAt,
    dueAt: task.dueAt,
    done: task.done,
    queue: task.queue,
  };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw Errors.agentBadBody(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // A malformed cookie is no session, not a server error.
        return undefined;
      }
    }
  }
  return undefined;
}

/** The longest wait among refused verdicts, or null when all were allowed. */
function longestWait(verdicts: readonly Verdict[]): number | null {
  let wait: number | null = null;
  for (const v of verdicts) if (!v.ok) wait = Math.max(wait ?? 0, v.retryAfterMs);
  return wait;
}

/** A complaint's callback (it holds the complaint and the phone number) is for supervisors only. */
function mayHandle(agent: DeskAgent, task: CallbackTask): boolean {
  return task.queue === 'agents' || agent.role === 'supervisor';
}

const notFound = Errors.handoffNotListed;
const forbidden = Errors.agentForbidden;
const csrfError = Errors.agentCsrf;
