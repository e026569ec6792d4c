import { createHash, createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeZaloApi, ZALO_OAUTH_ERRORS } from './fake-zalo-api.ts';
import { scriptedServers } from './scripted-webhook.ts';
import { ZaloWebhookDriver, newZaloId, zaloJson, zaloSignatureOf } from './zalo-webhook-driver.ts';

const APP_ID = '1234567890';
const APP_SECRET = 'app_secret_test';
const OA_SECRET = 'oa_secret_test';
const OA_ID = '388613280878808645';
const USER_ID = '2468458835291979221';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('FakeZaloApi', () => {
  let zalo: FakeZaloApi;
  // The fake judges lifetimes and windows by this clock, so tests move time instead of waiting.
  let clock = Date.now();
  beforeAll(async () => {
    zalo = await FakeZaloApi.start({ appId: APP_ID, appSecret: APP_SECRET, now: () => clock });
  });
  afterAll(() => zalo.close());

  let userCounter = 0;
  /** A user of its own per test, so one test's window never leaks into another. */
  const freshUser = () => `${USER_ID.slice(0, 15)}${String(++userCounter).padStart(4, '0')}`;

  const oauth = async (form: Record<string, string>, opts: { secret?: string | null; contentType?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded' };
    if (opts.secret !== null) headers.secret_key = opts.secret ?? APP_SECRET;
    const body = opts.contentType === 'application/json' ? JSON.stringify(form) : new URLSearchParams(form).toString();
    const res = await fetch(`${zalo.url}/v4/oa/access_token`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const refresh = (refreshToken: string, opts: { secret?: string | null; appId?: string } = {}) =>
    oauth({ refresh_token: refreshToken, app_id: opts.appId ?? APP_ID, grant_type: 'refresh_token' }, opts);
  const exchange = (code: string, verifier: string) =>
    oauth({ code, app_id: APP_ID, grant_type: 'authorization_code', code_verifier: verifier });

  const send = async (body: unknown, opts: { token?: string | null; path?: string; contentType?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
    if (opts.token !== null) headers.access_token = opts.token ?? token;
    const res = await fetch(`${zalo.url}${opts.path ?? '/v3.0/oa/message/cs'}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const textTo = (userId: string, text = 'Xin chào', extra: Record<string, unknown> = {}) => ({
    recipient: { user_id: userId },
    message: { text, ...extra },
  });
  const expectError = (res: { status: number; body: Record<string, any> }, error: number, status = 200) => {
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(res.body.message).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('data');
  };
  const expectOAuthError = (res: { status: number; body: Record<string, any> }, error: number) => {
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ error, error_name: expect.any(String), error_description: expect.any(String) });
    expect(res.body).not.toHaveProperty('access_token');
    expect(res.body).not.toHaveProperty('refresh_token');
  };

  let token: string;
  beforeAll(() => {
    token = zalo.issueTokens().accessToken;
  });

  describe('OAuth v4', () => {
    it('refresh returns a new pair with expires_in "90000", and the old access token keeps working', async () => {
      const first = zalo.issueTokens();
      const res = await refresh(first.refreshToken);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: '90000',
      });
      expect(res.body.access_token).not.toBe(first.accessToken);
      expect(res.body.refresh_token).not.toBe(first.refreshToken);
      const user = freshUser();
      expect((await send(textTo(user), { token: res.body.access_token })).body.error).toBe(0);
      expect((await send(textTo(user), { token: first.accessToken })).body.error).toBe(0);
      // The new refresh token is live in its turn.
      const next = await refresh(res.body.refresh_token);
      expect(next.body.expires_in).toBe('90000');
      expect(zalo.requests.at(-1)).toMatchObject({
        path: '/v4/oa/access_token',
        status: 200,
        error: null,
        body: { grant_type: 'refresh_token' },
      });
    });

    it('a new access token lives 90000 s by Zalo clock', async () => {
      const res = await refresh(zalo.issueTokens().refreshToken);
      const fresh = res.body.access_token as string;
      const user = freshUser();
      const saved = clock;
      try {
        clock = saved + 90_000_000 - 1000;
        expect((await send(textTo(user), { token: fresh })).body.error).toBe(0);
        clock = saved + 90_000_000 + 1000;
        expectError(await send(textTo(user), { token: fresh }), -216);
      } finally {
        clock = saved;
      }
    });

    it('a refresh token is single-use: the second use fails with -14014', async () => {
      const { refreshToken } = zalo.issueTokens();
      const before = { ...zalo.refreshes };
      expect((await refresh(refreshToken)).body.access_token).toEqual(expect.any(String));
      const again = await refresh(refreshToken);
      expectOAuthError(again, ZALO_OAUTH_ERRORS.invalidRefreshToken);
      expect(again.body.error).toBe(-14014);
      expectOAuthError(await refresh('never-issued'), -14014);
      expect(zalo.refreshes).toEqual({ ok: before.ok + 1, failed: before.failed + 2 });
      expect(zalo.refreshTokenUses(refreshToken)).toBe(2);
      expect(zalo.requests.at(-1)).toMatchObject({ status: 200, error: -14014 });
    });

    it('of two concurrent refreshes with one token exactly one succeeds', async () => {
      const { refreshToken } = zalo.issueTokens();
      const before = { ...zalo.refreshes };
      const results = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
      const winners = results.filter((r) => typeof r.body.access_token === 'string');
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.body.error === -14014)).toHaveLength(1);
      expect(zalo.refreshes).toEqual({ ok: before.ok + 1, failed: before.failed + 1 });
    });

    it('refuses a wrong or missing secret_key, a wrong app_id and a JSON body, without consuming the token', async () => {
      const { refreshToken } = zalo.issueTokens();
      expectOAuthError(await refresh(refreshToken, { secret: 'wrong' }), ZALO_OAUTH_ERRORS.invalidSecretKey);
      expectOAuthError(await refresh(refreshToken, { secret: null }), -14002);
      expectOAuthError(await refresh(refreshToken, { appId: '999' }), ZALO_OAUTH_ERRORS.invalidAppId);
      const json = await oauth(
        { refresh_token: refreshToken, app_id: APP_ID, grant_type: 'refresh_token' },
        { contentType: 'application/json' },
      );
      expectOAuthError(json, ZALO_OAUTH_ERRORS.invalidParameter);
      expectOAuthError(await oauth({ app_id: APP_ID, grant_type: 'password' }), ZALO_OAUTH_ERRORS.invalidParameter);
      expect((await refresh(refreshToken)).body.expires_in).toBe('90000');
    });

    it('exchanges an authorization code once, with the right PKCE verifier, within 10 minutes', async () => {
      const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const code = zalo.authorize(challenge);
      expectOAuthError(await exchange(code, 'the-wrong-verifier'), ZALO_OAUTH_ERRORS.invalidCodeVerifier);
      // The S256 challenge itself is not a verifier (a "plain" PKCE client would send it).
      expectOAuthError(await exchange(code, challenge), ZALO_OAUTH_ERRORS.invalidCodeVerifier);
      const ok = await exchange(code, verifier);
      expect(ok.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: '90000',
      });
      expect((await send(textTo(freshUser()), { token: ok.body.access_token })).body.error).toBe(0);
      expect((await refresh(ok.body.refresh_token)).body.expires_in).toBe('90000');
      expectOAuthError(await exchange(code, verifier), ZALO_OAUTH_ERRORS.invalidCode);
      expectOAuthError(await exchange('unknown-code', verifier), ZALO_OAUTH_ERRORS.invalidCode);

      const late = zalo.authorize(challenge);
      const saved = clock;
      try {
        clock = saved + 10 * MINUTE;
        expectOAuthError(await exchange(late, verifier), ZALO_OAUTH_ERRORS.invalidCode);
      } finally {
        clock = saved;
      }
      const inTime = zalo.authorize(challenge);
      clock = saved + 10 * MINUTE - 1000;
      try {
        expect((await exchange(inTime, verifier)).body.expires_in).toBe('90000');
      } finally {
        clock = saved;
      }
    });
  });

  describe('/v3.0/oa/message/cs', () => {
    it('accepts a text message, answers the success envelope and records it', async () => {
      const user = freshUser();
      const res = await send(textTo(user, 'Thủ tục cấp căn cước'));
      expect(res).toEqual({
        status: 200,
        body: {
          error: 0,
          message: 'Success',
          data: { message_id: expect.stringMatching(/^[0-9a-f]{32}$/), user_id: user },
        },
      });
      const again = await send(textTo(user, 'lần hai'));
      expect(again.body.data.message_id).not.toBe(res.body.data.message_id);
      const sent = zalo.messagesTo(user);
      expect(sent.map((m) => (m.body.message as { text: string }).text)).toEqual(['Thủ tục cấp căn cước', 'lần hai']);
      expect(sent[0]).toMatchObject({ userId: user, messageId: res.body.data.message_id, at: clock });
      expect(zalo.requests.at(-1)).toMatchObject({
        path: '/v3.0/oa/message/cs',
        status: 200,
        error: 0,
        body: textTo(user, 'lần hai'),
      });
    });

    it('answers -216 with HTTP 200 for a missing, unknown, expired or revoked access token', async () => {
      const user = freshUser();
      expectError(await send(textTo(user), { token: null }), -216);
      expectError(await send(textTo(user), { token: 'not-a-token' }), -216);
      const shortLived = zalo.issueTokens(60).accessToken;
      expect((await send(textTo(user), { token: shortLived })).body.error).toBe(0);
      const saved = clock;
      clock = saved + 61_000;
      try {
        const expired = await send(textTo(user), { token: shortLived });
        expectError(expired, -216);
        expect(expired.body.message).toBe('Access token is invalid');
      } finally {
        clock = saved;
      }
      const revoked = zalo.issueTokens().accessToken;
      zalo.expireAccessToken(revoked);
      expectError(await send(textTo(user), { token: revoked }), -216);
      expect(zalo.messagesTo(user)).toHaveLength(1);
      expect(zalo.requests.at(-1)).toMatchObject({ status: 200, error: -216 });
    });

    it('wants user_id as a string of digits: a bare JSON number is refused with -201', async () => {
      const user = freshUser();
      expectError(await send(`{"recipient":{"user_id":${user}},"message":{"text":"hi"}}`), -201);
      expectError(await send({ recipient: { user_id: Number(user) }, message: { text: 'hi' } }), -201);
      expectError(await send(textTo('')), -201);
      expectError(await send(textTo('user-42')), -201);
      expectError(await send({ recipient: { id: user }, message: { text: 'hi' } }), -201);
      expectError(await send('{not json'), -201);
      expectError(await send(textTo(user), { contentType: 'text/plain' }), -201);
      expect(zalo.messagesTo(user)).toEqual([]);
      expect(zalo.requests.at(-2)?.body).toBe('{not json');
    });

    it('requires text of 1 to 2000 characters', async () => {
      const user = freshUser();
      expect((await send(textTo(user, '😀'.repeat(2000)))).body.error).toBe(0);
      expectError(await send(textTo(user, 'a'.repeat(2001))), -201);
      expectError(await send(textTo(user, '')), -201);
      expectError(await send({ recipient: { user_id: user }, message: {} }), -201);
      expect(zalo.messagesTo(user)).toHaveLength(1);
    });

    it('checks buttons: 1 to 5, known types, payload shapes, titles up to 100', async () => {
      const user = freshUser();
      const withButtons = (buttons: unknown, extra: Record<string, unknown> = {}) =>
        textTo(user, 'Bạn cần gì?', { attachment: { type: 'template', payload: { buttons, ...extra } } });
      const hide = (title = 'Gặp cán bộ', payload: unknown = '#handoff') => ({ title, type: 'oa.query.hide', payload });
      const five = [
        hide(),
        { title: 'Hỏi tiếp', type: 'oa.query.show', payload: 'Hỏi tiếp' },
        { title: 'Xem web', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn' } },
        { title: 'Gọi', type: 'oa.open.phone', payload: { phone_code: '842583822222' } },
        { title: 'SMS', type: 'oa.open.sms', payload: { content: 'Hỏi', phone_code: '0901888484' } },
      ];
      expect((await send(withButtons(five))).body.error).toBe(0);
      expectError(await send(withButtons([...five, hide()])), -201);
      expectError(await send(withButtons([])), -201);
      expectError(await send(withButtons([{ title: 'Bắt đầu', type: 'postback', payload: 'GET_STARTED' }])), -201);
      expectError(await send(withButtons([hide('x'.repeat(101))])), -201);
      expect((await send(withButtons([hide('x'.repeat(100))]))).body.error).toBe(0);
      expectError(await send(withButtons([hide('')])), -201);
      expectError(await send(withButtons([hide('OK', 'p'.repeat(1001))])), -201);
      expectError(await send(withButtons([hide('OK', { text: 'x' })])), -201);
      expectError(
        await send(withButtons([{ title: 'Web', type: 'oa.open.url', payload: { url: 'javascript:alert(1)' } }])),
        -201,
      );
      expectError(
        await send(withButtons([{ title: 'Web', type: 'oa.open.url', payload: 'https://dichvucong.gov.vn' }])),
        -201,
      );
      expectError(
        await send(withButtons([{ title: 'Gọi', type: 'oa.open.phone', payload: { phone_code: '+84 258' } }])),
        -201,
      );
      expectError(await send(withButtons([hide()], { template_type: 'button' })), -201);
      expectError(
        await send(textTo(user, 'Ảnh', { attachment: { type: 'image', payload: { url: 'https://x/y.png' } } })),
        -201,
      );
      expect(zalo.messagesTo(user)).toHaveLength(2);
    });

    it('refuses with -230 once the user last interacted more than 7 days ago', async () => {
      const user = freshUser();
      zalo.userInteractedAt(user, clock - 6 * DAY);
      expect((await send(textTo(user))).body.error).toBe(0);
      zalo.userInteractedAt(user, clock - 7 * DAY - MINUTE);
      const late = await send(textTo(user, 'muộn'));
      expectError(late, -230);
      expect(late.body.message).toBe('User has not interacted with the OA in the past 7 days');
      zalo.userInteractedAt(user, clock);
      expect((await send(textTo(user, 'lại được'))).body.error).toBe(0);
      expect(zalo.messagesTo(user).map((m) => (m.body.message as { text: string }).text)).toEqual([
        'Xin chào',
        'lại được',
      ]);
    });

    it('failNext answers the given errors first, on any path, then behaves again', async () => {
      const user = freshUser();
      zalo.failNext(2, { error: -32, message: 'Rate limit exceeded' });
      zalo.failNext(1, { error: -1, httpStatus: 503 });
      const limited = await send(textTo(user, 'một'));
      expect(limited).toEqual({ status: 200, body: { error: -32, message: 'Rate limit exceeded' } });
      // Failures come before any check: even a valid refresh gets the rate limit, and keeps its token live.
      const { refreshToken } = zalo.issueTokens();
      const oauthLimited = await refresh(refreshToken);
      expect(oauthLimited.status).toBe(200);
      expect(oauthLimited.body.error).toBe(-32);
      expect(oauthLimited.body).not.toHaveProperty('access_token');
      expectError(await send(textTo(user, 'hai'), { token: null }), -1, 503);
      expect((await send(textTo(user, 'ba'))).body.error).toBe(0);
      expect((await refresh(refreshToken)).body.expires_in).toBe('90000');
      expect(zalo.messagesTo(user).map((m) => (m.body.message as { text: string }).text)).toEqual(['ba']);
      expect(zalo.requests.slice(-5).map((r) => [r.status, r.error])).toEqual([
        [200, -32],
        [200, -32],
        [503, -1],
        [200, 0],
        [200, null],
      ]);
    });

    it('answers 404 on other paths and methods', async () => {
      const user = freshUser();
      const res = await send(textTo(user), { path: '/v2.0/oa/message' });
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual(expect.any(Number));
      expect(res.body.error).not.toBe(0);
      const get = await fetch(`${zalo.url}/v3.0/oa/message/cs`, { headers: { access_token: token } });
      expect(get.status).toBe(404);
      expect(zalo.messagesTo(user)).toEqual([]);
      expect(zalo.requests.at(-1)).toMatchObject({ path: '/v3.0/oa/message/cs', status: 404 });
    });

    it('waitForMessages resolves with the first messages once enough arrive and rejects on timeout', async () => {
      const user = freshUser();
      const waiting = zalo.waitForMessages(user, 2, 2000);
      await send(textTo(user, 'một'));
      expectError(await send(textTo(user, 'x'.repeat(2001))), -201); // refused: must not count
      await send(textTo(user, 'hai'));
      await send(textTo(user, 'ba'));
      expect((await waiting).map((m) => (m.body.message as { text: string }).text)).toEqual(['một', 'hai']);
      expect(await zalo.waitForMessages(user, 1, 100)).toHaveLength(1);
      await expect(zalo.waitForMessages(user, 4, 150)).rejects.toThrow(/only 3/);
    });
  });
});

describe('zaloSignatureOf', () => {
  const body =
    '{"app_id":"1234567890","event_name":"user_send_text","sender":{"id":"246845883529197922"},"recipient":{"id":"388613280878808645"},"message":{"text":"xin chao","msg_id":"abc123"},"timestamp":"1700000000000","user_id_by_app":"552177279717587730"}';
  const vector = 'mac=e5a6d29cf53e65bd00e63468f7b4d231e3570747c410307ef10b316111d92d0a';

  it('matches the test vector of the spec (§4.3)', () => {
    expect(zaloSignatureOf('1234567890', body, '1700000000000', 'oa_secret_test')).toBe(vector);
  });

  it('depends on every term and is plain SHA-256, not HMAC', () => {
    expect(zaloSignatureOf('1234567890', body, '1700000000001', 'oa_secret_test')).not.toBe(vector);
    expect(zaloSignatureOf('1234567891', body, '1700000000000', 'oa_secret_test')).not.toBe(vector);
    expect(zaloSignatureOf('1234567890', body, '1700000000000', 'app_secret_test')).not.toBe(vector);
    expect(zaloSignatureOf('1234567890', `${body} `, '1700000000000', 'oa_secret_test')).not.toBe(vector);
    const hmac = createHmac('sha256', 'oa_secret_test').update(`1234567890${body}1700000000000`).digest('hex');
    expect(vector).not.toBe(`mac=${hmac}`);
  });
});

describe('zaloJson', () => {
  it('writes UTF-8 as is, like JSON.stringify', () => {
    const value = { text: 'Đổi GPLX 😀', url: 'https://a/b' };
    expect(zaloJson(value)).toBe(JSON.stringify(value));
    expect(zaloJson(value)).toContain('Đổi GPLX 😀');
  });

  it('with bareNumberIds writes sender/recipient/follower ids and user_id_by_app as bare numbers, nothing else', () => {
    const event = {
      app_id: '2553928453557884079',
      user_id_by_app: '552177279717587730',
      event_name: 'user_send_text',
      timestamp: '1699003881354',
      sender: { id: '2468458835291979221' },
      recipient: { id: '388613280878808645' },
      message: { msg_id: '1234567890123456789', text: '2468458835291979221' },
    };
    const json = zaloJson(event, { bareNumberIds: true });
    expect(json).toBe(
      '{"app_id":"2553928453557884079","user_id_by_app":552177279717587730,"event_name":"user_send_text","timestamp":"1699003881354",' +
        '"sender":{"id":2468458835291979221},"recipient":{"id":388613280878808645},"message":{"msg_id":"1234567890123456789","text":"2468458835291979221"}}',
    );
    // The trap the option exists for: a naive parse rounds the 19-digit id.
    const naive = JSON.parse(json) as { sender: { id: number } };
    expect(String(naive.sender.id)).not.toBe('2468458835291979221');
    expect(zaloJson({ event_name: 'follow', follower: { id: '2468458835291979221' } }, { bareNumberIds: true })).toBe(
      '{"event_name":"follow","follower":{"id":2468458835291979221}}',
    );
    // Non-digit ids stay strings; so does the id of an unrelated object.
    expect(zaloJson({ sender: { id: 'abc' }, message: { id: '123' } }, { bareNumberIds: true })).toBe(
      '{"sender":{"id":"abc"},"message":{"id":"123"}}',
    );
  });
});

describe('ZaloWebhookDriver', () => {
  const serve = scriptedServers('/webhooks/zalo');
  const driverFor = (
    webhookUrl: string,
    extra: { timeoutMs?: number; maxAttempts?: number; now?: () => number } = {},
  ) =>
    new ZaloWebhookDriver({
      webhookUrl,
      appId: APP_ID,
      oaSecretKey: OA_SECRET,
      oaId: OA_ID,
      retryDelayMs: 20,
      ...extra,
    });
  const ok = (res: ServerResponse) => res.writeHead(200).end('ok');
  /** What our server must compute: the MAC over the raw bytes with app_id and timestamp from the body. */
  const expectedSignature = (raw: Buffer) => {
    const { app_id, timestamp } = JSON.parse(raw.toString('utf8')) as { app_id: string; timestamp: string };
    return zaloSignatureOf(app_id, raw.toString('utf8'), timestamp, OA_SECRET);
  };

  it('retries after a 500 with identical bytes and signature until the 200', async () => {
    const s = await serve((n, _req, res) => (n === 1 ? res.writeHead(500).end('boom') : ok(res)));
    const driver = driverFor(s.url);
    const deliveries = await driver.deliver(driver.text(USER_ID, 'Tôi muốn làm căn cước'));
    expect(deliveries).toEqual([
      { status: 500, body: 'boom', attempt: 1 },
      { status: 200, body: 'ok', attempt: 2 },
    ]);
    expect(s.received).toHaveLength(2);
    const [first, second] = s.received;
    expect(second!.body.equals(first!.body)).toBe(true);
    expect(second!.headers['x-zevent-signature']).toBe(first!.headers['x-zevent-signature']);
    expect(first!.method).toBe('POST');
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.headers['x-zevent-signature']).toBe(expectedSignature(first!.body));
    expect(first!.headers['x-zevent-signature']).toMatch(/^mac=[0-9a-f]{64}$/);
    // UTF-8 on the wire, not \u escapes, and the MAC covers those bytes.
    expect(first!.body.toString('utf8')).toContain('"text":"Tôi muốn làm căn cước"');
    const event = JSON.parse(first!.body.toString('utf8')) as Record<string, any>;
    expect(event).toMatchObject({
      app_id: APP_ID,
      event_name: 'user_send_text',
      sender: { id: USER_ID },
      recipient: { id: OA_ID },
    });
  });

  it('gives up after maxAttempts and retries a webhook that answers too slowly', async () => {
    const failing = await serve((_n, _req, res) => res.writeHead(503).end());
    const driver = driverFor(failing.url, { maxAttempts: 3 });
    expect((await driver.deliver(driver.follow(USER_ID))).map((d) => d.status)).toEqual([503, 503, 503]);
    expect(failing.received).toHaveLength(3);

    const slow = await serve((n, _req, res) => (n === 1 ? setTimeout(() => ok(res), 500) : ok(res)));
    const slowDriver = driverFor(slow.url, { timeoutMs: 150 });
    const deliveries = await slowDriver.deliver(slowDriver.text(USER_ID, 'chậm'));
    expect(deliveries.map((d) => [d.status, d.attempt])).toEqual([
      [0, 1],
      [200, 2],
    ]);
    expect(deliveries[0]!.body).toMatch(/timeout/i);
  });

  it('posts the exact same bytes a second time with duplicate: true', async () => {
    const s = await serve((_n, _req, res) => ok(res));
    const driver = driverFor(s.url);
    const event = driver.text(USER_ID, 'một lần');
    const deliveries = await driver.deliver(event, { duplicate: true });
    expect(deliveries.map((d) => [d.status, d.attempt])).toEqual([
      [200, 1],
      [200, 2],
    ]);
    expect(s.received).toHaveLength(2);
    expect(s.received[1]!.body.equals(s.received[0]!.body)).toBe(true);
    expect(s.received[1]!.headers['x-zevent-signature']).toBe(s.received[0]!.headers['x-zevent-signature']);
    await driver.deliver(event);
    expect(s.received).toHaveLength(3);
  });

  it('delivers bare-number ids when asked, signed over those exact bytes', async () => {
    const s = await serve((_n, _req, res) => ok(res));
    const driver = driverFor(s.url);
    await driver.deliver(driver.text(USER_ID, 'số'), { bareNumberIds: true });
    const raw = s.received[0]!.body.toString('utf8');
    expect(raw).toContain(`"sender":{"id":${USER_ID}}`);
    expect(raw).toContain(`"recipient":{"id":${OA_ID}}`);
    expect(raw).toMatch(/"user_id_by_app":\d{18,19},/);
    expect(raw).toMatch(/"app_id":"1234567890"/);
    expect(s.received[0]!.headers['x-zevent-signature']).toBe(expectedSignature(s.received[0]!.body));
  });

  it('postRaw posts once with the signature given, none, or a correct one', async () => {
    const s = await serve((_n, _req, res) => res.writeHead(401).end('bad signature'));
    const driver = driverFor(s.url);
    const body = zaloJson(driver.text(USER_ID, 'raw'));
    expect(await driver.postRaw(body, { signature: 'mac=deadbeef' })).toEqual({ status: 401, body: 'bad signature' });
    await driver.postRaw(body, { signature: null });
    await driver.postRaw(Buffer.from(body));
    expect(s.received).toHaveLength(3);
    expect(s.received[0]!.headers['x-zevent-signature']).toBe('mac=deadbeef');
    expect(s.received[1]!.headers['x-zevent-signature']).toBeUndefined();
    expect(s.received[2]!.headers['x-zevent-signature']).toBe(expectedSignature(Buffer.from(body)));
  });

  it('builds events in Zalo shapes: string ids and ms timestamps, unique msg_ids, stable user_id_by_app', () => {
    const clock = 1_700_000_000_123;
    const driver = driverFor('http://127.0.0.1:1/unused', { now: () => clock });
    const text = driver.text(USER_ID, 'a');
    expect(text).toEqual({
      app_id: APP_ID,
      user_id_by_app: expect.stringMatching(/^\d{18,19}$/),
      event_name: 'user_send_text',
      timestamp: '1700000000123',
      sender: { id: USER_ID },
      recipient: { id: OA_ID },
      message: { msg_id: expect.any(String), text: 'a' },
    });
    expect(driver.text(USER_ID, 'b').user_id_by_app).toBe(text.user_id_by_app);
    expect(driver.text('2468458835291979222', 'b').user_id_by_app).not.toBe(text.user_id_by_app);
    const msgIds = [
      driver.text(USER_ID, 'a'),
      driver.text(USER_ID, 'a'),
      driver.image(USER_ID),
      driver.sticker(USER_ID),
      driver.location(USER_ID),
      driver.oaSendText(USER_ID, 'x'),
    ].map((e) => (e.message as { msg_id: string }).msg_id);
    expect(new Set(msgIds).size).toBe(6);
    expect(driver.text(USER_ID, 'a', { msgId: 'fixed', timestamp: 5 }).message).toEqual({ msg_id: 'fixed', text: 'a' });
    expect(driver.text(USER_ID, 'a', { timestamp: 5 }).timestamp).toBe('5');

    expect(driver.image(USER_ID)).toMatchObject({
      event_name: 'user_send_image',
      message: {
        attachments: [
          { type: 'image', payload: { url: expect.stringMatching(/^https:/), thumbnail: expect.any(String) } },
        ],
      },
    });
    expect(driver.sticker(USER_ID)).toMatchObject({
      event_name: 'user_send_sticker',
      message: { attachments: [{ type: 'sticker', payload: { id: expect.any(String), url: expect.any(String) } }] },
    });
    expect(driver.location(USER_ID)).toMatchObject({
      event_name: 'user_send_location',
      message: {
        attachments: [
          {
            type: 'location',
            payload: { coordinates: { latitude: expect.any(String), longitude: expect.any(String) } },
          },
        ],
      },
    });

    const follow = driver.follow(USER_ID);
    expect(follow).toMatchObject({
      app_id: APP_ID,
      oa_id: OA_ID,
      event_name: 'follow',
      timestamp: '1700000000123',
      follower: { id: USER_ID },
    });
    expect(follow).not.toHaveProperty('sender');
    expect(follow).not.toHaveProperty('recipient');
    expect(driver.unfollow(USER_ID)).toMatchObject({ event_name: 'unfollow', follower: { id: USER_ID } });

    expect(driver.oaSendText(USER_ID, 'Bot trả lời')).toMatchObject({
      event_name: 'oa_send_text',
      sender: { id: OA_ID },
      recipient: { id: USER_ID },
      message: { text: 'Bot trả lời' },
    });
    expect(driver.oaSendText(USER_ID, 'x').sender as object).not.toHaveProperty('admin_id');
    expect(driver.oaSendText(USER_ID, 'Cán bộ trả lời', { adminId: '7710000000000000001' }).sender).toEqual({
      admin_id: '7710000000000000001',
      id: OA_ID,
    });
    expect(driver.received(USER_ID, 'abc')).toMatchObject({
      event_name: 'user_received_message',
      sender: { id: OA_ID },
      recipient: { id: USER_ID },
      message: { msg_id: 'abc' },
    });
    expect(driver.seen(USER_ID, ['a', 'b'])).toMatchObject({
      event_name: 'user_seen_message',
      sender: { id: OA_ID },
      recipient: { id: USER_ID },
      message: { msg_ids: ['a', 'b'] },
    });
  });

  it('newZaloId gives 18–19 digit ids without a leading zero', () => {
    const ids = Array.from({ length: 200 }, () => newZaloId());
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{17,18}$/);
    expect(new Set(ids.map((id) => id.length))).toEqual(new Set([18, 19]));
    expect(new Set(ids).size).toBe(200);
  });
});
