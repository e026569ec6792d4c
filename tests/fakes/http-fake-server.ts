import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a node:http server on 127.0.0.1 and a free port; `url` is its base, without a trailing slash. */
export async function listenLocal(listener?: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes the server and drops its kept-alive connections, which would otherwise hold close() open. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Collects the whole request body, then calls `done` from the request's 'end' event. */
export function readBody(req: IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => done(Buffer.concat(chunks)));
}

/** The body parsed as JSON, or the text itself when it is not JSON: the request log shows what was actually sent. */
export function jsonOrText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Answers with a JSON payload, unless the client already gave up on the request. */
export function answerJson(res: ServerResponse, status: number, payload: unknown, contentType: string): void {
  // A client that gave up (timeout) has gone; the send still counted, exactly the ambiguity real timeouts have.
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType });
  res.end(JSON.stringify(payload));
}

export type FakeResponder<F> = (req: IncomingMessage, res: ServerResponse, raw: string, failure: F | undefined) => void;

/**
 * The HTTP side of an API fake: a local server whose requests are answered by a responder, with failures and
 * delays injected into the next requests (`failNext`, `delayNext`).
 */
export class HttpFakeServer<F> {
  private readonly failures: F[] = [];
  private readonly delays: number[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private responder: FakeResponder<F> | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  static async start<F>(): Promise<HttpFakeServer<F>> {
    const { server, url } = await listenLocal();
    return new HttpFakeServer<F>(server, url);
  }

  /** Sets who answers; requests are only sent by tests that got the fake, so this comes before the first one. */
  answerWith(responder: FakeResponder<F>): void {
    this.responder = responder;
  }

  /** The next `count` requests get `failure` handed to the responder, which answers it before any other check. */
  failNext(count: number, failure: F): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** The next `count` requests are answered only after `ms`; they are still processed. */
  delayNext(count: number, ms: number): void {
    for (let i = 0; i < count; i++) this.delays.push(ms);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // Taken on arrival, not after the body is read, so "next" follows the order requests came in.
    const failure = this.failures.shift();
    const delay = this.delays.shift();
    readBody(req, (body) => {
      const answer = () => this.responder!(req, res, body.toString('utf8'), failure);
      if (delay === undefined) return answer();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        answer();
      }, delay);
      this.timers.add(timer);
    });
  }
}
