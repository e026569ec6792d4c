import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { afterEach } from 'vitest';
import { closeServer, listenLocal, readBody } from './http-fake-server.ts';

/** One request as our webhook stand-in received it, body as the exact bytes. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Answers the `n`th request (1-based). */
export type ScriptedAnswer = (n: number, req: Received, res: ServerResponse) => void;

export interface ScriptedServer {
  /** The webhook URL, i.e. the server's base URL followed by `path`. */
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

/** A stand-in for our webhook that answers from a script and records exactly what came in. */
async function scriptedServer(path: string, answer: ScriptedAnswer): Promise<ScriptedServer> {
  const received: Received[] = [];
  const { server, url } = await listenLocal((req, res) => {
    readBody(req, (body) => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      answer(received.length, r, res);
    });
  });
  return { url: `${url}${path}`, received, close: () => closeServer(server) };
}

/**
 * For a describe block: returns `serve`, which starts a scripted server on `path`; every server it started is
 * closed after each test.
 */
export function scriptedServers(path: string): (answer: ScriptedAnswer) => Promise<ScriptedServer> {
  let closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers) await close();
    closers = [];
  });
  return async (answer) => {
    const s = await scriptedServer(path, answer);
    closers.push(s.close);
    return s;
  };
}
