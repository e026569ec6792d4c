import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenLocal } from './http-fake-server.ts';

/** A dossier in the 200 shape of adapters/one-stop/one-stop-api.openapi.yaml; loose so tests can also serve broken ones. */
export type Dossier = Record<string, unknown>;

export type Misbehaviour = 'timeout' | 'error500' | 'malformed' | 'wrong-shape' | 'slow';

export interface FakeOneStopOptions {
  /** The bearer token every request must carry. */
  token: string;
  dossiers?: Dossier[];
}

/**
 * One request, logged on arrival. `code` is the decoded path segment ('' off /dossiers/:code); `status` is the answer
 * chosen then (for 'slow', sent later or never if the client gave up), 0 for 'timeout', which never answers.
 */
export interface OneStopRequest {
  code: string;
  status: number;
  at: number;
}

const DEFAULT_MS = 10_000;
const NO_ANSWER = 0;
const JSON_TYPE = 'application/json; charset=utf-8';

/** Citizens type codes in any case and with stray spaces; the real system is asked to be as tolerant, so the fake is too. */
const keyOf = (code: string): string => code.replace(/\s+/g, '').toUpperCase();

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const json = (status: number, payload: unknown, headers?: Record<string, string>): Answer => ({
  status,
  body: JSON.stringify(payload),
  ...(headers ? { headers } : {}),
});

/**
 * A local stand-in for the province's one-stop system behind the dossier status contract
 * (`GET /dossiers/{code}`, bearer token), with the failures a lookup must survive: hangs, 5xx,
 * bodies that are not JSON or not the contract, slow answers and a backend that stays down.
 */
export class FakeOneStop {
  readonly url: string;
  readonly requests: OneStopRequest[] = [];

  private readonly token: string;
  private readonly dossiers = new Map<string, Dossier>();
  private readonly queued: { how: Misbehaviour; ms: number }[] = [];
  private downHow: 'timeout' | 'error500' | undefined;
  // Requests held back by 'timeout' or 'slow', so close() can end them instead of waiting out their timers.
  private readonly pending = new Map<ServerResponse, NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    url: string,
    options: FakeOneStopOptions,
  ) {
    this.url = url;
    this.token = options.token;
    for (const d of options.dossiers ?? []) this.put(d);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  /** Starts an HTTP server on 127.0.0.1 and a free port. */
  static async start(options: FakeOneStopOptions): Promise<FakeOneStop> {
    // An empty token would make "authenticated" mean "sent `Bearer `", which no test means to check.
    if (options.token === '') throw new Error('FakeOneStop needs a non-empty token');
    const { server, url } = await listenLocal();
    return new FakeOneStop(server, url, options);
  }

  /** Adds the dossier, or replaces the one with the same code (compared as lookups compare them). */
  put(dossier: Dossier): void {
    const code = dossier.code;
    if (typeof code !== 'string' || keyOf(code) === '')
      throw new Error('FakeOneStop.put: a dossier needs a non-empty string code');
    // A copy, so a test editing its object afterwards changes nothing until it calls put() again, as with a real backend.
    this.dossiers.set(keyOf(code), structuredClone(dossier));
  }

  /**
   * The next `count` requests misbehave, before any other check (auth, path):
   * 'timeout' holds the request without answering for `ms`, then drops the connection;
   * 'error500' answers 500; 'malformed' answers 200 with a body cut off mid-JSON;
   * 'wrong-shape' answers 200 JSON that is not the contract; 'slow' answers normally after `ms`, as the dossier was on
   * arrival. `ms` defaults to 10 s.
   */
  misbehave(count: number, how: Misbehaviour, ms = DEFAULT_MS): void {
    for (let i = 0; i < count; i++) this.queued.push({ how, ms });
  }

  /** Every request misbehaves this way until recover(); misbehaviours queued by misbehave() wait meanwhile. */
  down(how: 'timeout' | 'error500'): void {
    this.downHow = how;
  }

  /** Back to a healthy backend: ends down() and drops misbehaviours still queued. Requests already held stay held. */
  recover(): void {
    this.downHow = undefined;
    this.queued.length = 0;
  }

  /** Stops the server and ends every held request, so a hanging test client fails at once instead of after its timeout. */
  async close(): Promise<void> {
    for (const [res, timer] of this.pending) {
      clearTimeout(timer);
      res.destroy();
    }
    this.pending.clear();
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const at = Date.now();
    // GET has no body, but an unread one would keep the socket from being reused.
    req.resume();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const segment = /^\/dossiers\/([^/]+)$/.exec(path)?.[1];
    const code = segment === undefined ? '' : decode(segment);

    const misbehaviour = this.downHow ? { how: this.downHow, ms: DEFAULT_MS } : this.queued.shift();
    let answer: Answer;
    switch (misbehaviour?.how) {
      case 'timeout':
        this.requests.push({ code, status: NO_ANSWER, at });
        // Dropped at the end rather than answered, so a client without its own timeout errors instead of hanging forever.
        this.hold(res, misbehaviour.ms, () => res.destroy());
        return;
      case 'error500':
        answer = json(500, { error: 'internal_error' });
        break;
      case 'malformed':
        // A body cut off mid-way, labelled JSON: what a proxy timing out on the upstream can hand over.
        answer = { status: 200, body: `{"code":${JSON.stringify(code)},"status":"proc` };
        break;
      case 'wrong-shape':
        // The one-stop system's own fields leaking through unmapped: valid JSON, none of the contract's required fields but `code`.
        answer = json(200, { code, trangThai: 'Đang xử lý', ngayHenTra: '25/11/2026' });
        break;
      default:
        answer = this.lookup(req, segment, code);
    }
    this.requests.push({ code, status: answer.status, at });
    if (misbehaviour?.how === 'slow') this.hold(res, misbehaviour.ms, () => send(res, answer));
    else send(res, answer);
  }

  private lookup(req: IncomingMessage, segment: string | undefined, code: string): Answer {
    if (segment === undefined) return json(404, { error: 'not_found' });
    if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' }, { allow: 'GET' });
    const auth = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    if (auth?.[1] !== this.token) return json(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
    const dossier = this.dossiers.get(keyOf(code));
    return dossier ? json(200, dossier) : json(404, { error: 'not_found' });
  }

  private hold(res: ServerResponse, ms: number, then: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(res);
      then();
    }, ms);
    this.pending.set(res, timer);
    // A client that gave up needs no answer; forgetting it lets close() and the event loop finish early.
    res.on('close', () => {
      clearTimeout(timer);
      this.pending.delete(res);
    });
  }
}

/** The decoded code; a segment that is not valid percent-encoding cannot name a dossier, so it stays as sent and finds none. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function send(res: ServerResponse, answer: Answer): void {
  // A client that gave up (timeout) has gone; there is nobody to answer.
  if (res.destroyed) return;
  res.writeHead(answer.status, { 'content-type': JSON_TYPE, ...answer.headers });
  res.end(answer.body);
}
