// The fakes checked against request and response examples of the platforms' own documentation
// (docs/specs/examples/*.json, each with its source link), not only against our reading of it: documented requests
// must be accepted over real HTTP, the fakes' answers must have the documented shape, and the webhook drivers must
// build and sign what the documentation shows.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGraphApi } from './fake-graph-api.ts';
import { FakeZaloApi } from './fake-zalo-api.ts';
import { graphParam } from './graph-params.ts';
import { shapeDiff, valueAt } from './json-shape.ts';
import { MessengerWebhookDriver, signatureOf } from './messenger-webhook-driver.ts';
import { scriptedServers } from './scripted-webhook.ts';
import { ZaloWebhookDriver, zaloSignatureOf } from './zalo-webhook-driver.ts';

interface Example {
  name: string;
  source: string;
  kind: 'request' | 'response' | 'webhook';
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body: any;
  note?: string;
  /** response: the documented request it answers, and what makes the fake answer it. */
  request?: string;
  condition?: 'ok' | 'invalid-token' | 'window-closed';
  status?: number;
  /** Paths the fake's answer may lack or add; paths whose value must equal the documented one. */
  optional?: string[];
  exact?: string[];
  /** webhook signature vectors: the exact bytes and the secret they are signed with. */
  rawBody?: string;
  secret?: string;
}

const load = (file: string): Example[] =>
  JSON.parse(readFileSync(new URL(`../../docs/specs/examples/${file}`, import.meta.url), 'utf8'));
const MESSENGER = load('messenger.json');
const ZALO = load('zalo-oa.json');
const ofKind = (list: Example[], kind: Example['kind']) => list.filter((e) => e.kind === kind);
const named = (list: Example[], name: string): Example => {
  const found = list.find((e) => e.name === name);
  if (!found) throw new Error(`no example named ${name}`);
  return found;
};

/** Replaces credential placeholders ({PAGE_ACCESS_TOKEN}, …) in every string; one left unknown fails, so no example goes out half-filled. */
function fill<T>(value: T, creds: Record<string, string>): T {
  const text = JSON.stringify(value).replace(/\{([A-Z_]+)\}/g, (m, key: string) => {
    if (!(key in creds)) throw new Error(`no value for placeholder ${m}`);
    return creds[key]!;
  });
  return JSON.parse(text) as T;
}

/** Sends a documented request as documented: a form when its content type says so, JSON otherwise. */
async function call(
  baseUrl: string,
  example: Example,
  creds: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const headers = fill(example.headers ?? {}, creds);
  const body = fill(example.body, creds);
  const isForm = Object.entries(headers).some(
    ([k, v]) => k.toLowerCase() === 'content-type' && v.startsWith('application/x-www-form-urlencoded'),
  );
  const res = await fetch(`${baseUrl}${fill(example.path ?? '/', creds)}`, {
    method: example.method ?? 'POST',
    headers,
    body: isForm ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** The fake's answer has the documented shape, and the documented status and exact values where the example names them. */
function expectAnswerLike(example: Example, answer: { status: number; body: unknown }): void {
  expect(shapeDiff(example.body, answer.body, example.optional ?? [])).toEqual([]);
  if (example.status !== undefined) expect(answer.status).toBe(example.status);
  for (const path of example.exact ?? [])
    expect({ path, value: valueAt(answer.body, path) }).toEqual({ path, value: valueAt(example.body, path) });
}

describe('docs/specs/examples', () => {
  it.each([
    ['messenger.json', MESSENGER],
    ['zalo-oa.json', ZALO],
  ])('%s: names are unique, every example cites a source, responses point at a documented request', (_file, list) => {
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((e) => e.name)).size).toBe(list.length);
    for (const e of list) {
      expect({ name: e.name, source: e.source }).toEqual({
        name: e.name,
        source: expect.stringMatching(/^(https:\/\/|\.\.\/[\w-]+\.md#)/),
      });
      expect(['request', 'response', 'webhook']).toContain(e.kind);
      expect(e.body, e.name).toBeDefined();
      if (e.kind === 'response') {
        expect(named(list, e.request!).kind).toBe('request');
        expect(['ok', 'invalid-token', 'window-closed']).toContain(e.condition);
      }
    }
  });
});

describe('shapeDiff', () => {
  it('reports missing, extra and retyped keys at any depth, and lets optional paths go', () => {
    const doc = { error: { code: 190, error_subcode: 460 }, list: [{ id: 'a' }] };
    expect(shapeDiff(doc, { error: { code: 1, error_subcode: 2 }, list: [{ id: 'b' }, { id: 'c' }] })).toEqual([]);
    expect(shapeDiff(doc, { error: { code: '190' }, list: [{ id: 'b', x: 1 }], more: true })).toEqual([
      'error.code: documented number, got string',
      'error.error_subcode: documented, missing',
      'list[].x: not documented, present',
      'more: not documented, present',
    ]);
    expect(shapeDiff(doc, { error: { code: 1 }, list: [] }, ['error.error_subcode'])).toEqual([
      'list: documented a non-empty array, got []',
    ]);
    expect(shapeDiff({ a: 1 }, null)).toEqual(['(root): documented object, got null']);
  });
});

const PAGE_TOKEN = 'page-token-documented';
const HOUR = 3_600_000;

describe("FakeGraphApi against Meta's examples", () => {
  let graph: FakeGraphApi;
  beforeEach(async () => {
    // One fake per example: a closed window set up for one must not leak into another.
    graph = await FakeGraphApi.start({ pageId: '102030405060708', pageAccessToken: PAGE_TOKEN });
  });
  afterEach(() => graph.close());

  for (const example of ofKind(MESSENGER, 'request')) {
    it(`accepts ${example.name}`, async () => {
      const answer = await call(graph.url, example, { PAGE_ACCESS_TOKEN: PAGE_TOKEN });
      expect(answer.body).not.toHaveProperty('error');
      expect(answer.status).toBe(200);
      expect(graph.sent).toHaveLength(1);
    });
  }

  for (const example of ofKind(MESSENGER, 'response')) {
    it(`answers like ${example.name} (${example.condition})`, async () => {
      const request = named(MESSENGER, example.request!);
      let token = PAGE_TOKEN;
      if (example.condition === 'invalid-token') token = 'not-the-page-token';
      if (example.condition === 'window-closed') {
        const recipient = request.body.recipient;
        const psid = (typeof recipient === 'string' ? graphParam(recipient) : recipient) as { id: string };
        graph.userWroteAt(psid.id, Date.now() - 25 * HOUR);
      }
      const answer = await call(graph.url, request, { PAGE_ACCESS_TOKEN: token });
      expectAnswerLike(example, answer);
      // A refusal must not have been sent, a success must.
      expect(graph.sent).toHaveLength(example.condition === 'ok' ? 1 : 0);
    });
  }
});

const ZALO_APP_ID = '1234567890';
const ZALO_SECRET = 'zalo-app-secret-documented';
const DAY = 24 * HOUR;

describe("FakeZaloApi against Zalo's examples", () => {
  let zalo: FakeZaloApi;
  beforeEach(async () => {
    zalo = await FakeZaloApi.start({ appId: ZALO_APP_ID, appSecret: ZALO_SECRET });
  });
  afterEach(() => zalo.close());

  const creds = (accessToken?: string) => {
    const pair = zalo.issueTokens();
    return { ACCESS_TOKEN: accessToken ?? pair.accessToken, REFRESH_TOKEN: pair.refreshToken, SECRET_KEY: ZALO_SECRET };
  };

  for (const example of ofKind(ZALO, 'request')) {
    it(`accepts ${example.name}`, async () => {
      const answer = await call(zalo.url, example, creds());
      // Zalo answers 200 to failures too (§5.1): only error 0, or no error at all (OAuth), is an acceptance.
      expect(answer.status).toBe(200);
      expect(answer.body.error ?? 0).toBe(0);
      if (example.path === '/v3.0/oa/message/cs') expect(zalo.sent).toHaveLength(1);
      else expect(zalo.refreshes).toEqual({ ok: 1, failed: 0 });
    });
  }

  for (const example of ofKind(ZALO, 'response')) {
    it(`answers like ${example.name} (${example.condition})`, async () => {
      const request = named(ZALO, example.request!);
      if (example.condition === 'window-closed')
        zalo.userInteractedAt(request.body.recipient.user_id, Date.now() - 8 * DAY);
      const answer = await call(
        zalo.url,
        request,
        creds(example.condition === 'invalid-token' ? 'never-issued-token' : undefined),
      );
      expectAnswerLike(example, answer);
      if (request.path === '/v3.0/oa/message/cs') expect(zalo.sent).toHaveLength(example.condition === 'ok' ? 1 : 0);
    });
  }
});

const APP_SECRET = 'messenger-app-secret-documented';

describe("MessengerWebhookDriver against Meta's webhook examples", () => {
  const serve = scriptedServers('/webhooks/facebook');
  const ok = () => serve((_n, _req, res) => res.writeHead(200).end('EVENT_RECEIVED'));

  // How the driver is asked for each documented event; an example without a builder fails rather than being skipped.
  type Build = (d: MessengerWebhookDriver, e: any) => Record<string, unknown>;
  const builders: Record<string, Build> = {
    'webhook-message-text-quick-reply': (d, e) =>
      d.quickReply(e.sender.id, e.message.text, e.message.quick_reply.payload, { mid: e.message.mid }),
    'webhook-message-attachment': (d, e) =>
      d.attachment(e.sender.id, e.message.attachments[0].type, { mid: e.message.mid }),
    'webhook-message-echo': (d, e) =>
      d.echo(e.recipient.id, e.message.text, {
        appId: e.message.app_id,
        metadata: e.message.metadata,
        mid: e.message.mid,
      }),
    'webhook-delivery': (d, e) => d.delivery(e.sender.id, e.delivery.mids),
    'webhook-read': (d, e) => d.read(e.sender.id),
  };

  for (const example of ofKind(MESSENGER, 'webhook').filter((e) => e.rawBody === undefined)) {
    it(`builds ${example.name} in the documented shape, signed over the bytes sent`, async () => {
      const build = builders[example.name];
      expect(build, `no driver builder for ${example.name}`).toBeDefined();
      const server = await ok();
      const entry = example.body.entry[0];
      const driver = new MessengerWebhookDriver({ webhookUrl: server.url, appSecret: APP_SECRET, pageId: entry.id });
      await driver.deliver([build!(driver, entry.messaging[0])]);
      expect(server.received).toHaveLength(1);
      const [got] = server.received;
      expect(got!.headers['x-hub-signature-256']).toBe(signatureOf(APP_SECRET, got!.body));
      expect(shapeDiff(example.body, JSON.parse(got!.body.toString('utf8')), example.optional ?? [])).toEqual([]);
    });
  }

  for (const example of ofKind(MESSENGER, 'webhook').filter((e) => e.rawBody !== undefined)) {
    it(`${example.name}: signatureOf gives the documented header and the driver posts it with the exact bytes`, async () => {
      const documented = example.headers!['x-hub-signature-256'];
      expect(JSON.parse(example.rawBody!)).toEqual(example.body);
      expect(signatureOf(example.secret!, example.rawBody!)).toBe(documented);
      const server = await ok();
      const driver = new MessengerWebhookDriver({
        webhookUrl: server.url,
        appSecret: example.secret!,
        pageId: 'PAGE_ID',
      });
      expect((await driver.postRaw(example.rawBody!)).status).toBe(200);
      expect(server.received[0]!.headers['x-hub-signature-256']).toBe(documented);
      expect(server.received[0]!.body.toString('utf8')).toBe(example.rawBody);
    });
  }
});

describe("ZaloWebhookDriver against Zalo's webhook examples", () => {
  const serve = scriptedServers('/webhooks/zalo');
  const ok = () => serve((_n, _req, res) => res.writeHead(200).end());
  const OA_SECRET = 'oa-secret-documented';

  for (const example of ofKind(ZALO, 'webhook').filter((e) => e.rawBody === undefined)) {
    it(`builds ${example.name} in the documented shape, with the MAC of §4.3 over the bytes sent`, async () => {
      expect(example.body.event_name).toBe('user_send_text'); // the only builder mapped here: text()
      const e = example.body;
      const server = await ok();
      const driver = new ZaloWebhookDriver({
        webhookUrl: server.url,
        appId: e.app_id,
        oaSecretKey: OA_SECRET,
        oaId: e.recipient.id,
      });
      await driver.deliver(
        driver.text(e.sender.id, e.message.text, { msgId: e.message.msg_id, timestamp: Number(e.timestamp) }),
      );
      expect(server.received).toHaveLength(1);
      const raw = server.received[0]!.body.toString('utf8');
      const sent = JSON.parse(raw);
      expect(shapeDiff(example.body, sent, example.optional ?? [])).toEqual([]);
      expect(server.received[0]!.headers['x-zevent-signature']).toBe(
        zaloSignatureOf(e.app_id, raw, e.timestamp, OA_SECRET),
      );
    });
  }

  for (const example of ofKind(ZALO, 'webhook').filter((e) => e.rawBody !== undefined)) {
    it(`${example.name}: zaloSignatureOf reproduces the documented mac and the driver posts it with the exact bytes`, async () => {
      const documented = example.headers!['x-zevent-signature'];
      const body = JSON.parse(example.rawBody!);
      expect(body).toEqual(example.body);
      expect(zaloSignatureOf(body.app_id, example.rawBody!, body.timestamp, example.secret!)).toBe(documented);
      const server = await ok();
      const driver = new ZaloWebhookDriver({
        webhookUrl: server.url,
        appId: body.app_id,
        oaSecretKey: example.secret!,
        oaId: body.recipient.id,
      });
      // postRaw signs with the app_id and timestamp it finds in the body, as Zalo does.
      expect((await driver.postRaw(example.rawBody!)).status).toBe(200);
      expect(server.received[0]!.headers['x-zevent-signature']).toBe(documented);
      expect(server.received[0]!.body.toString('utf8')).toBe(example.rawBody);
    });
  }
});
