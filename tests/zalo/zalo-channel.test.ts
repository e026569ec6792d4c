import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTokenStore, RedisTokenStore, type TokenStore } from '../../adapters/zalo/zalo-tokens.ts';
import { FakeZaloApi } from '../fakes/fake-zalo-api.ts';
import { ZaloWebhookDriver, newZaloId, zaloJson, zaloSignatureOf } from '../fakes/zalo-webhook-driver.ts';
import { AgentClient } from '../helpers/agent-client.ts';
import { accountsFile, workingMorning } from '../helpers/handoff.ts';
import { runTs, startTs } from '../helpers/processes.ts';
import { REDIS_URL, redisConnections, redisPrefixes } from '../helpers/redis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const APP_ID = '3104000000000000001';
const APP_SECRET = 'zalo-app-secret-for-tests';
const OA_SECRET = 'zalo-oa-secret-for-tests';
const OA_ID = '388613280878808645';

describe('the Zalo OA channel, against a fake Zalo OpenAPI and OAuth server', () => {
  const clock = workingMorning();
  let zalo: FakeZaloApi;
  let server: TestServer;
  let driver: ZaloWebhookDriver;
  let tokensFile: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    zalo = await FakeZaloApi.start({ appId: APP_ID, appSecret: APP_SECRET, now: clock });
    tokensFile = join(mkdtempSync(join(tmpdir(), 'zalo-')), 'tokens.json');
    env = {
      ZALO_APP_ID: APP_ID,
      ZALO_APP_SECRET: APP_SECRET,
      ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_OPENAPI_URL: zalo.url,
      ZALO_OAUTH_URL: zalo.url,
      ZALO_REDIRECT_URI: 'https://trogiup.example.vn/zalo/callback',
      ZALO_TOKENS_FILE: tokensFile,
    };
    server = await startTestServer({ ...env, AGENT_ACCOUNTS_FILE: await accountsFile() }, {}, clock);
    driver = new ZaloWebhookDriver({
      webhookUrl: `${server.url}/webhooks/zalo`,
      appId: APP_ID,
      oaSecretKey: OA_SECRET,
      oaId: OA_ID,
      now: clock,
    });
  });
  afterAll(async () => {
    await server?.close();
    await zalo?.close();
  });

  const texts = (userId: string) => zalo.messagesTo(userId).map((m) => (m.body.message as { text: string }).text);
  /** Every event the webhook accepted so far has been handled, its replies sent (or not): nothing more is coming. */
  const settled = () => server.zalo!.idle();
  const at = (event: Record<string, unknown>, when = clock()) => ({ ...event, timestamp: String(when) });

  // First, as an operator would: the tests after it send with the pair this one installs.
  it('installs the first token pair with `zalo connect` (OAuth with PKCE), as an operator would', async () => {
    const child = startTs('src/cli/main.ts', ['zalo', 'connect'], env);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/code_challenge=/);
    const url = new URL(out.trim().split('\n')[0]!);
    expect(url.pathname).toBe('/v4/oa/permission');
    expect(url.searchParams.get('app_id')).toBe(APP_ID);
    const code = zalo.authorize(url.searchParams.get('code_challenge')!);
    const redirect = new URL(env.ZALO_REDIRECT_URI!);
    redirect.search = new URLSearchParams({ code, state: url.searchParams.get('state')!, oa_id: OA_ID }).toString();
    child.stdin.end(`${redirect}\n`);
    const exit = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(exit).toBe(0);
    expect(out).toMatch(/zalo OA connected/);
    const status = await runTs('src/cli/main.ts', ['zalo', 'status'], '', env);
    expect(status.stdout).toMatch(/token pair installed \(version 1\)/);
    expect(status.stdout).not.toMatch(/access_token|refresh/i);
  });

  it('answers "lam lltp can giay to gi" with the documents list, to the exact user id, once', async () => {
    const user = newZaloId();
    const deliveries = await driver.deliver(at(driver.text(user, 'lam lltp can giay to gi')), {
      duplicate: true,
      bareNumberIds: true,
    });
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const [answer] = await zalo.waitForMessages(user, 1);
    expect(answer!.body.recipient).toEqual({ user_id: user });
    expect((answer!.body.message as { text: string }).text).toMatch(/Lý lịch tư pháp/);
    expect((answer!.body.message as { text: string }).text).toMatch(/\n1\. /);
    await settled();
    // The question recorded once and answered once: the duplicate delivery ran no second turn.
    const transcript = await server.assistant.transcript.read(`zalo:${user}`, 0);
    expect(transcript.map((e) => e.from)).toEqual(['citizen', 'bot']);
    // Each reply sent exactly once, in order (a reply past 2,000 characters would go in pieces, and none is).
    const sent = zalo.messagesTo(user);
    expect(sent.map((m) => (m.body.message as { text: string }).text)).toEqual([transcript[1]!.text]);
    const last = sent.at(-1)!.body.message as {
      attachment: { payload: { buttons: { title: string; type: string; payload: string }[] } };
    };
    const buttons = last.attachment.payload.buttons;
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(5);
    expect(buttons[0]).toMatchObject({ type: 'oa.query.hide' });
    // Titles short on a phone; the payload a tap sends is the whole label.
    for (const b of buttons) expect([...b.title].length).toBeLessThanOrEqual(30);
    // A tapped button comes back as a text with its payload: the fee of the same procedure.
    await driver.deliver(at(driver.text(user, 'Lệ phí')));
    const fee = (await zalo.waitForMessages(user, sent.length + 1)).at(-1)!;
    expect((fee.body.message as { text: string }).text).toMatch(/phí[\s\S]*Lý lịch tư pháp|Lý lịch tư pháp[\s\S]*phí/i);
  });

  it('welcomes a new follower with the top tasks, and answers pictures and stickers kindly', async () => {
    const user = newZaloId();
    await driver.deliver(at(driver.follow(user)), { duplicate: true });
    const [welcome] = await zalo.waitForMessages(user, 1);
    expect((welcome!.body.message as { text: string }).text).toMatch(/^Dạ, em chào/);
    await driver.deliver(at(driver.image(user)));
    await driver.deliver(at(driver.sticker(user)));
    await zalo.waitForMessages(user, 3);
    await settled();
    // One welcome although the follow came twice.
    expect(texts(user)).toHaveLength(3);
    expect(
      texts(user)
        .slice(1)
        .every((t) => /chỉ đọc được tin nhắn chữ/.test(t)),
    ).toBe(true);
  });

  it('hands a user to an agent, whose console reply reaches Zalo; an admin answering in Zalo’s own tool pauses the bot', async () => {
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    await lan.listen();
    const user = newZaloId();
    await driver.deliver(at(driver.text(user, 'em muốn gặp cán bộ')));
    await zalo.waitForMessages(user, 1);
    const key = `zalo:${user}`;
    await expect.poll(() => lan.queue().map((c) => c.key)).toContain(key);
    expect((await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`)).status).toBe(200);
    expect(
      (await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, { text: 'Dạ, em Lan đây ạ.' }))
        .status,
    ).toBe(200);
    await zalo.waitForMessages(user, 3);
    expect(texts(user)[2]).toBe('Dạ, em Lan đây ạ.');
    lan.stop();

    const other = newZaloId();
    await driver.deliver(at(driver.text(other, 'giờ làm việc')));
    await zalo.waitForMessages(other, 1);
    await driver.deliver(at(driver.oaSendText(other, 'Bot reply echoed')));
    await settled();
    expect(await server.assistant.handoff.queue.get(`zalo:${other}`)).toBeNull();
    await driver.deliver(
      at(driver.oaSendText(other, 'Chào bạn, mình là admin OA', { adminId: '7777777777777777777' })),
    );
    await expect.poll(async () => (await server.assistant.handoff.queue.get(`zalo:${other}`))?.status).toBe('active');
    await driver.deliver(at(driver.text(other, 'vâng ạ')));
    await settled();
    // Handled (recorded for the admin), not answered by the bot.
    expect((await server.assistant.transcript.read(`zalo:${other}`, 0)).map((e) => [e.from, e.text]).at(-1)).toEqual([
      'citizen',
      'vâng ạ',
    ]);
    expect(zalo.messagesTo(other)).toHaveLength(1);
  });

  it('refreshes a refused access token once and sends; keeps the refresh chain', async () => {
    const store = new FileTokenStore(tokensFile);
    const before = (await store.read())!;
    zalo.expireAccessToken(before.accessToken);
    const user = newZaloId();
    await driver.deliver(at(driver.text(user, 'địa chỉ trung tâm')));
    await zalo.waitForMessages(user, 1);
    const after = (await store.read())!;
    expect(after.version).toBe(before.version + 1);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(server.logs.some((l) => l.msg === 'zalo.send.failed' && l.code === -216)).toBe(true);
  });

  it('answers within 48 hours; a person may answer up to 7 days; past that the console shows the window closed', async () => {
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    await lan.listen();
    const user = newZaloId();
    await driver.deliver(at(driver.text(user, 'gặp cán bộ')));
    const key = `zalo:${user}`;
    await expect.poll(() => lan.queue().find((c) => c.key === key)).toMatchObject({ windowOpen: true });
    await zalo.waitForMessages(user, 1);
    const DAY = 24 * 3600_000;
    try {
      // Three days on, nobody took it: the bot may no longer write, a person still may.
      clock.advance(3 * DAY);
      await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`);
      await expect.poll(() => lan.queue().find((c) => c.key === key)).toMatchObject({ windowOpen: true });
      expect(
        (
          await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, {
            text: 'Dạ, em trả lời muộn, xin lỗi anh/chị.',
          })
        ).status,
      ).toBe(200);
      await expect
        .poll(() => zalo.messagesTo(user).some((m) => JSON.stringify(m.body).includes('em trả lời muộn')))
        .toBe(true);
      // Eight days on: nobody may; the console shows it and the reply is refused.
      clock.advance(5 * DAY);
      await expect.poll(() => lan.queue().find((c) => c.key === key)).toMatchObject({ windowOpen: false });
      expect(
        (await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, { text: 'xin chào' })).status,
      ).toBe(409);
      expect(zalo.messagesTo(user).some((m) => JSON.stringify(m.body).includes('xin chào'))).toBe(false);
    } finally {
      clock.advance(-8 * DAY);
      lan.stop();
    }
  });

  it('never lets a late or out-of-order event close a window, and acknowledges but ignores a day-old replay', async () => {
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    await lan.listen();
    const user = newZaloId();
    const key = `zalo:${user}`;
    await driver.deliver(at(driver.text(user, 'gặp cán bộ')));
    await expect.poll(() => lan.queue().find((c) => c.key === key)).toMatchObject({ windowOpen: true });
    await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`);
    // An event from 20 hours ago arrives late (a Zalo resend): handled, but the window keeps its newer time.
    const HOUR = 3600_000;
    await driver.deliver(at(driver.text(user, 'tin gửi từ hôm qua'), clock() - 20 * HOUR));
    await expect
      .poll(async () => (await server.assistant.transcript.read(key, 0)).some((e) => e.text === 'tin gửi từ hôm qua'))
      .toBe(true);
    try {
      clock.advance(7 * 24 * HOUR - 2 * HOUR);
      expect(
        (await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, { text: 'Dạ, em trả lời đây ạ.' }))
          .status,
      ).toBe(200);
    } finally {
      clock.advance(-(7 * 24 * HOUR - 2 * HOUR));
    }
    // A signed event a year old: 200 (so Zalo stops resending) but not handled.
    const old = newZaloId();
    const [response] = await driver.deliver(at(driver.text(old, 'giờ làm việc'), clock() - 365 * 24 * HOUR));
    expect(response!.status).toBe(200);
    await expect.poll(() => server.logs.some((l) => l.msg === 'zalo.event.stale')).toBe(true);
    expect(await server.assistant.transcript.read(`zalo:${old}`, 0)).toEqual([]);
    expect(zalo.messagesTo(old)).toHaveLength(0);
    lan.stop();
  });

  it('refuses bad requests with a clear 4xx, skips unknown events, processes nothing twice, and keeps serving', async () => {
    const user = newZaloId();
    const body = zaloJson(at(driver.text(user, 'giờ làm việc')));
    const sentBefore = zalo.sent.length;
    expect((await driver.postRaw(body, { signature: 'mac=' + '0'.repeat(64) })).status).toBe(403);
    expect((await driver.postRaw(body, { signature: null })).status).toBe(403);
    const event = JSON.parse(body) as { timestamp: string };
    expect(
      (await driver.postRaw(body, { signature: zaloSignatureOf(APP_ID, body, event.timestamp, 'another-oa-secret') }))
        .status,
    ).toBe(403);
    // Unsigned junk is refused before it is read (403, not 400); signed junk is a clear 400.
    expect((await driver.postRaw('{"app_id": "1", "event_na', { signature: 'mac=00' })).status).toBe(403);
    expect(
      (
        await driver.postRaw('{"app_id": "1", "event_na', {
          signature: zaloSignatureOf(APP_ID, '{"app_id": "1", "event_na', '', OA_SECRET),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await driver.postRaw('{"timestamp":"1","x":', {
          signature: zaloSignatureOf(APP_ID, '{"timestamp":"1","x":', '1', OA_SECRET),
        })
      ).status,
    ).toBe(400);
    expect((await driver.postRaw(JSON.stringify({ hello: 'world', timestamp: '1' }))).status).toBe(400);
    const huge = zaloJson(at(driver.text(user, 'x'.repeat(2_000_000))));
    expect((await driver.postRaw(huge)).status).toBe(413);
    const skippedBefore = server.logs.filter((l) => l.msg === 'zalo.event.skipped').length;
    for (const unknown of [
      driver.received(user, 'abc'),
      driver.seen(user, ['abc']),
      { ...at(driver.text(user, 'x')), event_name: 'add_user_to_tag' },
    ]) {
      expect((await driver.deliver(at(unknown)))[0]!.status).toBe(200);
    }
    await settled();
    expect(server.logs.filter((l) => l.msg === 'zalo.event.skipped').length - skippedBefore).toBe(3);
    expect(zalo.sent.length).toBe(sentBefore);
    expect(await server.assistant.transcript.read(`zalo:${user}`, 0)).toEqual([]);
    await driver.deliver(at(driver.text(user, 'giờ làm việc')));
    await zalo.waitForMessages(user, 1);
  });
});

describe('two processes refreshing the Zalo token at once', () => {
  const newPrefix = redisPrefixes();
  const redis = redisConnections();

  const race = async (store: TokenStore, where: 'redis' | 'file', location: string, prefix = '') => {
    const zalo = await FakeZaloApi.start({ appId: APP_ID, appSecret: APP_SECRET });
    try {
      const issued = zalo.issueTokens();
      await store.write({ ...issued, expiresAt: Date.now() + 3600_000, version: 1 });
      const args = [zalo.url, APP_ID, APP_SECRET, issued.accessToken, where, location];
      const [a, b] = await Promise.all([
        runTs('tests/zalo/refresh-worker.ts', args, '', { PREFIX: prefix }),
        runTs('tests/zalo/refresh-worker.ts', args, '', { PREFIX: prefix }),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      // Exactly one refresh happened; both processes use its token; the chain goes on.
      expect(zalo.refreshes).toEqual({ ok: 1, failed: 0 });
      const stored = (await store.read())!;
      expect(a.stdout.trim()).toBe(stored.accessToken);
      expect(b.stdout.trim()).toBe(stored.accessToken);
      expect(stored.version).toBe(2);
      const next = await runTs(
        'tests/zalo/refresh-worker.ts',
        [zalo.url, APP_ID, APP_SECRET, stored.accessToken, where, location],
        '',
        { PREFIX: prefix },
      );
      expect(next.code).toBe(0);
      expect(zalo.refreshes).toEqual({ ok: 2, failed: 0 });
    } finally {
      await zalo.close();
    }
  };

  it('do not lose the chain, with the pair in Redis', async () => {
    const prefix = newPrefix();
    await race(new RedisTokenStore(redis(), prefix), 'redis', REDIS_URL, prefix);
  });

  it('do not lose the chain, with the pair in a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zalo-race-')), 'tokens.json');
    await race(new FileTokenStore(file), 'file', file);
  });
});
