import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraphApi } from './fake-graph-api.ts';
import { MessengerWebhookDriver, metaJson, signatureOf } from './messenger-webhook-driver.ts';
import { scriptedServers } from './scripted-webhook.ts';

const PAGE_ID = '102030405060708';
const TOKEN = 'page-token-test';
const PSID = '7000000000000001';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('FakeGraphApi', () => {
  let graph: FakeGraphApi;
  beforeAll(async () => {
    graph = await FakeGraphApi.start({ pageId: PAGE_ID, pageAccessToken: TOKEN });
  });
  afterAll(() => graph.close());

  let psidCounter = 0;
  /** A PSID of its own per test, so one test's windows and blocks never leak into another. */
  const freshPsid = () => `${PSID}${++psidCounter}`;

  const send = async (body: unknown, opts: { token?: string | null; path?: string; method?: string } = {}) => {
    const url = new URL(`${graph.url}${opts.path ?? `/v25.0/${PAGE_ID}/messages`}`);
    if (opts.token !== null) url.searchParams.set('access_token', opts.token ?? TOKEN);
    const res = await fetch(url, {
      method: opts.method ?? 'POST',
      headers: { 'content-type': 'application/json' },
      ...(opts.method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const textTo = (psid: string, text = 'Xin chào', extra: Record<string, unknown> = {}) => ({
    recipient: { id: psid },
    messaging_type: 'RESPONSE',
    message: { text },
    ...extra,
  });
  const expectError = (res: { status: number; body: Record<string, any> }, status: number, code: number) => {
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({
      code,
      type: expect.any(String),
      message: expect.any(String),
      fbtrace_id: expect.any(String),
    });
  };

  it('accepts a message on /{pageId}/messages and /me/messages and records it', async () => {
    const psid = freshPsid();
    const a = await send(textTo(psid, 'Thủ tục cấp căn cước'));
    const b = await send(textTo(psid, 'lần hai'), { path: '/v25.0/me/messages' });
    expect(a).toEqual({ status: 200, body: { recipient_id: psid, message_id: expect.stringMatching(/^m_\d+$/) } });
    expect(b.status).toBe(200);
    expect(b.body.message_id).not.toBe(a.body.message_id);
    const sent = graph.messagesTo(psid);
    expect(sent.map((m) => (m.body.message as { text: string }).text)).toEqual(['Thủ tục cấp căn cước', 'lần hai']);
    expect(sent[0]).toMatchObject({ psid, messageId: a.body.message_id, at: expect.any(Number) });
    expect(graph.requests.at(-1)).toMatchObject({ path: '/v25.0/me/messages', status: 200 });
  });

  it('answers 404 code 100 on other paths and refuses methods other than POST', async () => {
    const psid = freshPsid();
    expectError(await send(textTo(psid), { path: '/v24.0/me/messages' }), 404, 100);
    expectError(await send(textTo(psid), { path: `/v25.0/999/messages` }), 404, 100);
    expectError(await send(textTo(psid), { path: `/v25.0/${PAGE_ID}/subscribed_apps` }), 404, 100);
    const get = await send(undefined, { method: 'GET' });
    expect([400, 405]).toContain(get.status);
    expect(get.body.error.code).toBe(100);
    expect(graph.messagesTo(psid)).toEqual([]);
  });

  it('rejects a missing or wrong access token with code 190', async () => {
    const psid = freshPsid();
    for (const token of [null, 'wrong-token', '']) {
      const res = await send(textTo(psid), { token });
      expectError(res, 400, 190);
      expect(res.body.error).toMatchObject({ type: 'OAuthException', message: 'Invalid OAuth access token' });
    }
    expect(graph.messagesTo(psid)).toEqual([]);
    expect(graph.requests.at(-1)?.status).toBe(400);
  });

  it('rejects bodies that are not a JSON object or lack recipient.id with code 100', async () => {
    expectError(await send('{not json'), 400, 100);
    expectError(await send('[1,2]'), 400, 100);
    expectError(await send({ messaging_type: 'RESPONSE', message: { text: 'hi' } }), 400, 100);
    expectError(await send({ recipient: { id: '' }, messaging_type: 'RESPONSE', message: { text: 'hi' } }), 400, 100);
    expect(graph.requests.at(-4)?.body).toBe('{not json');
  });

  it('counts text in characters: 2000 emoji pass, 2001 characters fail', async () => {
    const psid = freshPsid();
    expect((await send(textTo(psid, '😀'.repeat(2000)))).status).toBe(200);
    expectError(await send(textTo(psid, 'a'.repeat(2001))), 400, 100);
    expectError(await send(textTo(psid, '')), 400, 100);
    expect(graph.messagesTo(psid)).toHaveLength(1);
  });

  it('wants exactly one of text and attachment', async () => {
    const psid = freshPsid();
    expectError(await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: {} }), 400, 100);
    const both = { text: 'a', attachment: { type: 'image', payload: { url: 'https://x/y.png' } } };
    expectError(await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: both }), 400, 100);
    const image = { attachment: { type: 'image', payload: { url: 'https://x/y.png' } } };
    expect((await send({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: image })).status).toBe(200);
  });

  it('limits quick replies to 13, titles to 20 characters and payloads to 1000', async () => {
    const psid = freshPsid();
    const qr = (title: string, payload = 'P') => ({ content_type: 'text', title, payload });
    const withQrs = (quick_replies: unknown[]) =>
      textTo(psid, 'Chọn một', { message: { text: 'Chọn một', quick_replies } });
    const thirteen = Array.from({ length: 13 }, (_, i) => qr(`Lựa chọn ${i}`));
    expect((await send(withQrs(thirteen))).status).toBe(200);
    expectError(await send(withQrs([...thirteen, qr('Thêm')])), 400, 100);
    expect((await send(withQrs([qr('Đổi giấy phép lái xe')]))).status).toBe(200); // exactly 20 characters
    expectError(await send(withQrs([qr('Đổi giấy phép lái xe!')])), 400, 100);
    expectError(await send(withQrs([qr('')])), 400, 100);
    expectError(await send(withQrs([qr('OK', 'p'.repeat(1001))])), 400, 100);
    expect((await send(withQrs([{ content_type: 'user_phone_number' }]))).status).toBe(200);
    expectError(await send(withQrs([{ content_type: 'location' }])), 400, 100);
    expect(graph.messagesTo(psid)).toHaveLength(3);
  });

  it('checks the button template: text 640, 1–3 buttons, postback title 20 / payload 1000, web_url needs a url', async () => {
    const psid = freshPsid();
    const template = (text: string, buttons: unknown[]) => ({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { attachment: { type: 'template', payload: { template_type: 'button', text, buttons } } },
    });
    const postback = (title = 'Gặp cán bộ', payload = 'HANDOFF') => ({ type: 'postback', title, payload });
    expect(
      (
        await send(
          template('Bạn cần gì?', [
            postback(),
            { type: 'web_url', title: 'Trang web', url: 'https://dichvucong.gov.vn' },
          ]),
        )
      ).status,
    ).toBe(200);
    expectError(await send(template('x'.repeat(641), [postback()])), 400, 100);
    expectError(await send(template('ok', [])), 400, 100);
    expectError(await send(template('ok', [postback(), postback(), postback(), postback()])), 400, 100);
    expectError(await send(template('ok', [postback('x'.repeat(21))])), 400, 100);
    expectError(await send(template('ok', [postback('ok', 'x'.repeat(1001))])), 400, 100);
    expectError(await send(template('ok', [{ type: 'web_url', title: 'Trang web' }])), 400, 100);
    expect(graph.messagesTo(psid)).toHaveLength(1);
  });

  it('limits metadata to 1000 characters', async () => {
    const psid = freshPsid();
    expect((await send(textTo(psid, 'a', { message: { text: 'a', metadata: 'm'.repeat(1000) } }))).status).toBe(200);
    expectError(await send(textTo(psid, 'a', { message: { text: 'a', metadata: 'm'.repeat(1001) } })), 400, 100);
  });

  it('accepts sender actions with only recipient and sender_action, and keeps them out of messagesTo', async () => {
    const psid = freshPsid();
    const ok = await send({ recipient: { id: psid }, sender_action: 'typing_on' });
    expect(ok).toEqual({ status: 200, body: { recipient_id: psid } });
    expectError(
      await send({ recipient: { id: psid }, sender_action: 'typing_on', messaging_type: 'RESPONSE' }),
      400,
      100,
    );
    expectError(await send({ recipient: { id: psid }, sender_action: 'typing_on', message: { text: 'x' } }), 400, 100);
    expectError(await send({ recipient: { id: psid }, sender_action: 'dancing' }), 400, 100);
    expect(graph.sent.filter((m) => m.psid === psid).map((m) => m.body.sender_action)).toEqual(['typing_on']);
    expect(graph.messagesTo(psid)).toEqual([]);
  });

  it('requires a valid messaging_type, and a tag exactly when it is MESSAGE_TAG', async () => {
    const psid = freshPsid();
    expectError(await send(textTo(psid, 'x', { messaging_type: undefined })), 400, 100);
    expectError(await send(textTo(psid, 'x', { messaging_type: 'NON_PROMOTIONAL_SUBSCRIPTION' })), 400, 100);
    expectError(await send(textTo(psid, 'x', { messaging_type: 'MESSAGE_TAG' })), 400, 100);
    expectError(await send(textTo(psid, 'x', { messaging_type: 'MESSAGE_TAG', tag: 'PROMOTION' })), 400, 100);
    expectError(await send(textTo(psid, 'x', { messaging_type: 'RESPONSE', tag: 'HUMAN_AGENT' })), 400, 100);
    expect((await send(textTo(psid, 'x', { messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' }))).status).toBe(200);
    expect(graph.messagesTo(psid)).toHaveLength(1);
  });

  it('closes the 24-hour window with code 10 / 2018278', async () => {
    const psid = freshPsid();
    graph.userWroteAt(psid, Date.now() - 23 * HOUR);
    expect((await send(textTo(psid))).status).toBe(200);
    graph.userWroteAt(psid, Date.now() - 25 * HOUR);
    for (const type of ['RESPONSE', 'UPDATE']) {
      const res = await send(textTo(psid, 'muộn', { messaging_type: type }));
      expectError(res, 400, 10);
      expect(res.body.error).toMatchObject({
        error_subcode: 2018278,
        message: 'This message is sent outside of allowed window',
      });
    }
    expect(graph.messagesTo(psid)).toHaveLength(1);
  });

  it('allows HUMAN_AGENT up to 7 days after the user wrote, not after', async () => {
    const psid = freshPsid();
    const humanAgent = textTo(psid, 'Cán bộ trả lời', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    graph.userWroteAt(psid, Date.now() - 3 * DAY);
    expect((await send(humanAgent)).status).toBe(200);
    expectError(await send(textTo(psid)), 400, 10);
    graph.userWroteAt(psid, Date.now() - 7 * DAY - HOUR);
    const late = await send(humanAgent);
    expectError(late, 400, 10);
    expect(late.body.error.error_subcode).toBe(2018278);
    expect(graph.messagesTo(psid)).toHaveLength(1);
  });

  it('answers 551 for a PSID that blocked the Page', async () => {
    const psid = freshPsid();
    graph.block(psid);
    const res = await send(textTo(psid));
    expectError(res, 400, 551);
    expect(res.body.error.message).toBe("This person isn't available right now");
    expectError(await send({ recipient: { id: psid }, sender_action: 'typing_on' }), 400, 551);
    expect((await send(textTo(freshPsid()))).status).toBe(200);
    expect(graph.sent.filter((m) => m.psid === psid)).toEqual([]);
  });

  it('fails the next requests as told, before any other check, then recovers', async () => {
    const psid = freshPsid();
    graph.failNext(2, { status: 500, code: 2 });
    graph.failNext(1, { status: 429, code: 613 });
    const first = await send(textTo(psid, 'một'), { token: 'wrong' }); // the injected failure wins over the bad token
    expectError(first, 500, 2);
    expectError(await send(textTo(psid, 'hai')), 500, 2);
    const limited = await send(textTo(psid, 'ba'));
    expectError(limited, 429, 613);
    expect(limited.body.error.message).toBe('Calls to this API have exceeded the rate limit');
    graph.failNext(1, { status: 400, code: 1200, subcode: 42, message: 'Temporary send message failure' });
    const temp = await send(textTo(psid, 'bốn'));
    expect(temp.body.error).toMatchObject({
      code: 1200,
      error_subcode: 42,
      message: 'Temporary send message failure',
      type: 'OAuthException',
    });
    expect((await send(textTo(psid, 'năm'))).status).toBe(200);
    expect(graph.messagesTo(psid).map((m) => (m.body.message as { text: string }).text)).toEqual(['năm']);
    expect(graph.requests.slice(-5).map((r) => r.status)).toEqual([500, 500, 429, 400, 200]);
  });

  it('delays the next requests, so a client timeout can be tested', async () => {
    const psid = freshPsid();
    graph.delayNext(1, 400);
    const started = Date.now();
    const timedOut = await fetch(`${graph.url}/v25.0/me/messages?access_token=${TOKEN}`, {
      method: 'POST',
      body: JSON.stringify(textTo(psid, 'chậm')),
      signal: AbortSignal.timeout(100),
    }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(Error);
    expect((timedOut as Error).name).toBe('TimeoutError');
    // Graph still delivered it though the client gave up: the ambiguity our retry logic has to live with.
    const [late] = await graph.waitForMessages(psid, 1, 2000);
    expect(late!.at - started).toBeGreaterThanOrEqual(380);
    const t0 = Date.now();
    expect((await send(textTo(psid, 'nhanh'))).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(300);
  });

  it('waitForMessages resolves once enough messages arrive and rejects on timeout', async () => {
    const psid = freshPsid();
    const waiting = graph.waitForMessages(psid, 2, 2000);
    await send({ recipient: { id: psid }, sender_action: 'typing_on' }); // not a message: must not count
    await send(textTo(psid, 'một'));
    await send(textTo(psid, 'hai'));
    await send(textTo(psid, 'ba'));
    const got = await waiting;
    expect(got.map((m) => (m.body.message as { text: string }).text)).toEqual(['một', 'hai']);
    expect(await graph.waitForMessages(psid, 1, 100)).toHaveLength(1); // already there: the first one, at once
    await expect(graph.waitForMessages(psid, 4, 150)).rejects.toThrow(/only 3/);
    await expect(graph.waitForMessages(freshPsid(), 1, 100)).rejects.toThrow();
  });
});

describe('signatureOf', () => {
  it('matches the test vector of the spec (§3.2)', () => {
    const body =
      '{"object":"page","entry":[{"id":"PAGE_ID","time":1458692752478,"messaging":[{"sender":{"id":"PSID"},"recipient":{"id":"PAGE_ID"},"timestamp":1458692752478,"message":{"mid":"m_1","text":"hello"}}]}]}';
    expect(signatureOf('app_secret_test', body)).toBe(
      'sha256=f197bc2c98402318b954a992929add4a12d5a956c9840185068d12dca72d9120',
    );
    expect(signatureOf('app_secret_test', Buffer.from(body))).toBe(
      'sha256=f197bc2c98402318b954a992929add4a12d5a956c9840185068d12dca72d9120',
    );
    expect(signatureOf('other_secret', body)).not.toBe(
      'sha256=f197bc2c98402318b954a992929add4a12d5a956c9840185068d12dca72d9120',
    );
  });
});

describe('metaJson', () => {
  it('escapes non-ASCII as lowercase \\uXXXX (surrogate pairs for emoji) and slashes, and parses back', () => {
    const value = { text: 'Đổi GPLX 😀', url: 'https://a/b' };
    const json = metaJson(value);
    expect(json).toBe('{"text":"\\u0110\\u1ed5i GPLX \\ud83d\\ude00","url":"https:\\/\\/a\\/b"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('MessengerWebhookDriver', () => {
  const SECRET = 'app_secret_test';
  const serve = scriptedServers('/webhooks/facebook');
  const driverFor = (webhookUrl: string, extra: { timeoutMs?: number; maxAttempts?: number } = {}) =>
    new MessengerWebhookDriver({ webhookUrl, appSecret: SECRET, pageId: PAGE_ID, retryDelayMs: 20, ...extra });
  const ok = (res: ServerResponse) => res.writeHead(200).end('EVENT_RECEIVED');

  it('retries after 500s with identical bytes and signatures until the 200', async () => {
    const s = await serve((n, _req, res) => (n <= 2 ? res.writeHead(500).end('boom') : ok(res)));
    const driver = driverFor(s.url);
    const deliveries = await driver.deliver([driver.text(PSID, 'hello')]);
    expect(deliveries).toEqual([
      { status: 500, body: 'boom', attempt: 1 },
      { status: 500, body: 'boom', attempt: 2 },
      { status: 200, body: 'EVENT_RECEIVED', attempt: 3 },
    ]);
    expect(s.received).toHaveLength(3);
    const [first, ...rest] = s.received;
    for (const r of rest) {
      expect(r.body.equals(first!.body)).toBe(true);
      expect(r.headers['x-hub-signature-256']).toBe(first!.headers['x-hub-signature-256']);
    }
    expect(first!.method).toBe('POST');
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.headers['x-hub-signature-256']).toBe(signatureOf(SECRET, first!.body));
    expect(first!.headers['x-hub-signature']).toBe(
      `sha1=${createHmac('sha1', SECRET).update(first!.body).digest('hex')}`,
    );
    const envelope = JSON.parse(first!.body.toString('utf8')) as {
      object: string;
      entry: { id: string; time: number; messaging: any[] }[];
    };
    expect(envelope.object).toBe('page');
    expect(envelope.entry).toHaveLength(1);
    expect(envelope.entry[0]).toMatchObject({ id: PAGE_ID, time: expect.any(Number) });
    expect(envelope.entry[0]!.messaging[0]).toMatchObject({
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      message: { text: 'hello', mid: expect.stringMatching(/^m_/) },
    });
  });

  it('gives up after maxAttempts and retries a webhook that answers too slowly', async () => {
    const failing = await serve((_n, _req, res) => res.writeHead(503).end());
    expect((await driverFor(failing.url, { maxAttempts: 3 }).deliver([])).map((d) => d.status)).toEqual([
      503, 503, 503,
    ]);
    expect(failing.received).toHaveLength(3);

    const slow = await serve((n, _req, res) => (n === 1 ? setTimeout(() => ok(res), 500) : ok(res)));
    const deliveries = await driverFor(slow.url, { timeoutMs: 150 }).deliver([]);
    expect(deliveries.map((d) => [d.status, d.attempt])).toEqual([
      [0, 1],
      [200, 2],
    ]);
    expect(deliveries[0]!.body).toMatch(/timeout/i);
  });

  it('posts the exact same bytes a second time with duplicate: true', async () => {
    const s = await serve((_n, _req, res) => ok(res));
    const driver = driverFor(s.url);
    const event = driver.text(PSID, 'một lần');
    const deliveries = await driver.deliver([event], { duplicate: true });
    expect(deliveries.map((d) => [d.status, d.attempt])).toEqual([
      [200, 1],
      [200, 2],
    ]);
    expect(s.received).toHaveLength(2);
    expect(s.received[1]!.body.equals(s.received[0]!.body)).toBe(true);
    expect(s.received[1]!.headers['x-hub-signature-256']).toBe(s.received[0]!.headers['x-hub-signature-256']);

    await driver.deliver([event]);
    expect(s.received).toHaveLength(3);
  });

  it('sends Vietnamese text escaped as \\uXXXX and signs those exact bytes', async () => {
    const s = await serve((_n, _req, res) => ok(res));
    const driver = driverFor(s.url);
    const text = 'Tôi muốn làm căn cước công dân';
    await driver.deliver([driver.text(PSID, text)]);
    const raw = s.received[0]!.body;
    const wire = raw.toString('latin1');
    expect(wire).toMatch(/^[\x20-\x7e]*$/);
    expect(wire).toContain('T\\u00f4i mu\\u1ed1n l\\u00e0m c\\u0103n c\\u01b0\\u1edbc c\\u00f4ng d\\u00e2n');
    expect(s.received[0]!.headers['x-hub-signature-256']).toBe(signatureOf(SECRET, raw));
    // A server that re-serialised the parsed body would compute a different signature.
    const parsed = JSON.parse(raw.toString('utf8')) as { entry: { messaging: { message: { text: string } }[] }[] };
    expect(parsed.entry[0]!.messaging[0]!.message.text).toBe(text);
    expect(signatureOf(SECRET, JSON.stringify(parsed))).not.toBe(s.received[0]!.headers['x-hub-signature-256']);
  });

  it('verify sends the hub.* query and returns status and body', async () => {
    const s = await serve((_n, req, res) => {
      const q = new URL(req.url, 'http://x').searchParams;
      if (q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === 'tok')
        res.writeHead(200).end(q.get('hub.challenge') ?? '');
      else res.writeHead(403).end('Forbidden');
    });
    const driver = driverFor(s.url);
    expect(await driver.verify({ mode: 'subscribe', token: 'tok', challenge: '1158201444' })).toEqual({
      status: 200,
      body: '1158201444',
    });
    expect(await driver.verify({ mode: 'subscribe', token: 'bad', challenge: '1' })).toEqual({
      status: 403,
      body: 'Forbidden',
    });
    expect(await driver.verify({ token: 'tok', challenge: '1' })).toMatchObject({ status: 403 });
    expect(s.received[0]!.method).toBe('GET');
    expect(s.received[2]!.url).not.toContain('hub.mode');
  });

  it('postRaw posts once with the signature given, none, or a correct one', async () => {
    const s = await serve((_n, _req, res) => res.writeHead(403).end('bad signature'));
    const driver = driverFor(s.url);
    expect(await driver.postRaw('{"object":"page"}', { signature: 'sha256=deadbeef' })).toEqual({
      status: 403,
      body: 'bad signature',
    });
    await driver.postRaw('{"object":"page"}', { signature: null, contentType: 'text/plain' });
    await driver.postRaw(Buffer.from('{"object":"page","entry":[]}'));
    expect(s.received).toHaveLength(3);
    expect(s.received[0]!.headers['x-hub-signature-256']).toBe('sha256=deadbeef');
    expect(s.received[0]!.headers['x-hub-signature']).toBeUndefined();
    expect(s.received[1]!.headers['x-hub-signature-256']).toBeUndefined();
    expect(s.received[1]!.headers['content-type']).toBe('text/plain');
    expect(s.received[2]!.headers['x-hub-signature-256']).toBe(signatureOf(SECRET, '{"object":"page","entry":[]}'));
  });

  it('builds events in Meta shapes with unique mids', () => {
    const driver = driverFor('http://127.0.0.1:1/unused');
    const mids = [
      driver.text(PSID, 'a'),
      driver.text(PSID, 'a'),
      driver.quickReply(PSID, 'Có', 'YES'),
      driver.postback(PSID, 'Bắt đầu', 'GET_STARTED'),
    ].map((e) => ((e.message ?? e.postback) as { mid: string }).mid);
    expect(new Set(mids).size).toBe(4);
    expect(driver.text(PSID, 'a', { mid: 'm_fixed', timestamp: 5 })).toEqual({
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      timestamp: 5,
      message: { mid: 'm_fixed', text: 'a' },
    });
    expect(driver.quickReply(PSID, 'Có', 'YES').message).toMatchObject({ text: 'Có', quick_reply: { payload: 'YES' } });
    expect(driver.postback(PSID, 'Bắt đầu', 'GET_STARTED').postback).toMatchObject({
      title: 'Bắt đầu',
      payload: 'GET_STARTED',
    });
    expect(driver.attachment(PSID, 'file').message).toMatchObject({
      attachments: [{ type: 'file', payload: { url: expect.any(String) } }],
    });
    expect(driver.attachment(PSID, 'sticker').message).toMatchObject({
      attachments: [{ type: 'image', payload: { sticker_id: expect.any(Number) } }],
    });
    const echo = driver.echo(PSID, 'Cán bộ trả lời', { appId: 42, metadata: 'bot' });
    expect(echo).toMatchObject({
      sender: { id: PAGE_ID },
      recipient: { id: PSID },
      message: { is_echo: true, app_id: 42, metadata: 'bot', text: 'Cán bộ trả lời' },
    });
    expect(driver.echo(PSID, 'x', { appId: null }).message).not.toHaveProperty('app_id');
    expect(driver.delivery(PSID, ['m_1'])).toMatchObject({
      sender: { id: PSID },
      delivery: { mids: ['m_1'], watermark: expect.any(Number) },
    });
    expect(driver.read(PSID)).toMatchObject({
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      read: { watermark: expect.any(Number) },
    });
  });
});
