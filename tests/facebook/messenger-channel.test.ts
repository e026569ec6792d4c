import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraphApi } from '../fakes/fake-graph-api.ts';
import { MessengerWebhookDriver, metaJson, signatureOf } from '../fakes/messenger-webhook-driver.ts';
import { AgentClient } from '../helpers/agent-client.ts';
import { accountsFile, workingMorning } from '../helpers/handoff.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PAGE = '104000000000001';
const APP_SECRET = 'app-secret-for-tests';
const VERIFY = 'verify-token-for-tests';
const PAGE_TOKEN = 'page-token-for-tests';

let seq = 0;
/** A fresh Messenger user: a PSID of digits, as Meta gives them. */
const newPsid = () => `2700000000${String((seq += 1)).padStart(6, '0')}`;

describe('the Messenger channel, against a fake Graph API', () => {
  let graph: FakeGraphApi;
  let server: TestServer;
  let meta: MessengerWebhookDriver;
  const clock = workingMorning();

  beforeAll(async () => {
    graph = await FakeGraphApi.start({ pageId: PAGE, pageAccessToken: PAGE_TOKEN, now: clock });
    server = await startTestServer(
      {
        FACEBOOK_APP_SECRET: APP_SECRET,
        FACEBOOK_VERIFY_TOKEN: VERIFY,
        FACEBOOK_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
        FACEBOOK_GRAPH_URL: graph.url,
        AGENT_ACCOUNTS_FILE: await accountsFile(),
      },
      {},
      clock,
    );
    meta = new MessengerWebhookDriver({
      webhookUrl: `${server.url}/webhooks/facebook`,
      appSecret: APP_SECRET,
      pageId: PAGE,
    });
  });
  afterAll(async () => {
    await server?.close();
    await graph?.close();
  });

  /** Meta stamps each event when the user acted: here, on the server's (test) clock. */
  const now = (event: Record<string, unknown>) => ({ ...event, timestamp: clock() });
  const texts = (psid: string) => graph.messagesTo(psid).map((m) => (m.body.message as { text: string }).text);
  /** Every event the webhook accepted so far has been handled, its replies sent (or not): nothing more is coming. */
  const settled = () => server.facebook!.idle();

  it('answers the verification handshake only with the right token', async () => {
    expect(await meta.verify({ mode: 'subscribe', token: VERIFY, challenge: '1158201444' })).toEqual({
      status: 200,
      body: '1158201444',
    });
    expect((await meta.verify({ mode: 'subscribe', token: 'wrong', challenge: '1' })).status).toBe(403);
    expect((await meta.verify({ mode: 'unsubscribe', token: VERIFY, challenge: '1' })).status).toBe(403);
    expect((await meta.verify({})).status).toBe(403);
  });

  it('answers "đổi gplx hết bao nhiêu tiền" with the fee from the catalogue, once, however often Meta delivers it', async () => {
    const psid = newPsid();
    const deliveries = await meta.deliver([meta.text(psid, 'đổi gplx hết bao nhiêu tiền', { timestamp: clock() })], {
      duplicate: true,
    });
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const [answer] = await graph.waitForMessages(psid, 1);
    expect(answer!.body).toMatchObject({ messaging_type: 'RESPONSE', recipient: { id: psid } });
    const message = answer!.body.message as {
      text: string;
      quick_replies: { title: string; payload: string }[];
      metadata: string;
    };
    expect(message.text).toContain('Đổi giấy phép lái xe');
    expect(message.text).toContain('135.000 đồng');
    expect(message.text).toContain('https://dichvucong.gov.vn/');
    expect(message.quick_replies.map((q) => q.title)).toContain('Giấy tờ');
    expect(message.metadata).toBe('khcc-assistant');
    // The typing indicator, if any, went as its own request.
    for (const sent of graph.sent.filter((s) => s.psid === psid && 'sender_action' in s.body))
      expect(Object.keys(sent.body).sort()).toEqual(['recipient', 'sender_action']);
    await settled();
    // Recorded once, answered once: the second delivery ran no turn.
    const transcript = await server.assistant.transcript.read(`facebook:${psid}`, 0);
    expect(transcript.map((e) => e.from)).toEqual(['citizen', 'bot']);
    expect(graph.messagesTo(psid)).toHaveLength(1);

    // A quick-reply tap carries the button's title as payload: the follow-up is about the same procedure.
    await meta.deliver([now(meta.quickReply(psid, 'Giấy tờ', 'Giấy tờ'))]);
    const [, documents] = await graph.waitForMessages(psid, 2);
    expect((documents!.body.message as { text: string }).text).toMatch(/Đổi giấy phép lái xe/);
  });

  it('takes a user to an agent; the agent’s reply from the console reaches Messenger, and the bot stays quiet', async () => {
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    await lan.listen();
    const psid = newPsid();
    await meta.deliver([meta.text(psid, 'cho tôi gặp cán bộ', { timestamp: clock() })]);
    await graph.waitForMessages(psid, 1);
    expect(texts(psid)[0]).toMatch(/vị trí số 1/);
    const key = `facebook:${psid}`;
    await expect.poll(() => lan.queue().map((c) => c.key)).toContain(key);
    expect((await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`)).status).toBe(200);
    await graph.waitForMessages(psid, 2);
    expect(texts(psid)[1]).toMatch(/Nguyễn Thị Lan đã nhận/);
    expect(
      (
        await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, {
          text: 'Dạ, em là Lan, em giúp anh/chị ạ.',
        })
      ).status,
    ).toBe(200);
    const [, , reply] = await graph.waitForMessages(psid, 3);
    expect(reply!.body).toMatchObject({
      messaging_type: 'RESPONSE',
      message: { text: 'Dạ, em là Lan, em giúp anh/chị ạ.' },
    });
    await meta.deliver([meta.text(psid, 'cảm ơn em', { timestamp: clock() })]);
    await expect
      .poll(() =>
        lan.events.some((e) => e.event === 'entry' && (e.data.entry as { text: string }).text === 'cảm ơn em'),
      )
      .toBe(true);
    await settled();
    expect(graph.messagesTo(psid)).toHaveLength(3);
    lan.stop();
  });

  it('answers the exact user when Meta sends the ids as bare 19-digit numbers', async () => {
    const psid = `8${String(Date.now()).padStart(18, '7')}`;
    const event = meta.text(psid, 'giờ làm việc', { timestamp: clock() });
    const quoted = metaJson({ object: 'page', entry: [{ id: PAGE, time: Date.now(), messaging: [event] }] });
    // The same bytes Meta would send, with the ids unquoted: a plain JSON.parse rounds them.
    const bare = quoted.replaceAll(`"${psid}"`, psid);
    expect(bare).toContain(`"id":${psid}`);
    expect((await meta.postRaw(bare)).status).toBe(200);
    const [answer] = await graph.waitForMessages(psid, 1);
    expect(answer!.body).toMatchObject({ recipient: { id: psid } });
  });

  it('shows agents when a conversation is past the 24-hour window, and refuses to send into it', async () => {
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    await lan.listen();
    const psid = newPsid();
    graph.userWroteAt(psid, clock());
    await meta.deliver([meta.text(psid, 'gặp cán bộ', { timestamp: clock() })]);
    const key = `facebook:${psid}`;
    await expect.poll(() => lan.queue().find((c) => c.key === key)).toMatchObject({ windowOpen: true });
    await graph.waitForMessages(psid, 1);
    const HOUR = 3600_000;
    // A late delivery of an older message (Meta retried it): handled, but the window keeps its newer time.
    await meta.deliver([meta.text(psid, 'tin cũ gửi lại', { timestamp: clock() - 2 * HOUR })]);
    await expect
      .poll(async () => (await server.assistant.transcript.read(key, 0)).some((e) => e.text === 'tin cũ gửi lại'))
      .toBe(true);
    try {
      // 23 hours on: still inside the 24 hours of the newer message.
      clock.advance(23 * HOUR);
      await expect.poll(() => lan.queue().find((c) => c.key === key)).toMatchObject({ windowOpen: true });
      // Two days on, nobody took it: past Meta's 24 hours.
      clock.advance(25 * HOUR);
      await expect.poll(() => lan.queue().find((c) => c.key === key)).toMatchObject({ windowOpen: false });
      expect((await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`)).status).toBe(200);
      const sent = graph.messagesTo(psid).length;
      const refused = await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, { text: 'xin chào' });
      expect(refused.status).toBe(409);
      expect(graph.messagesTo(psid)).toHaveLength(sent);
    } finally {
      clock.advance(-48 * HOUR);
      lan.stop();
    }
  });

  it('ignores its own echoes, and stops the bot for a user a person answered from Meta’s inbox', async () => {
    const psid = newPsid();
    await meta.deliver([meta.text(psid, 'giờ làm việc', { timestamp: clock() })]);
    await graph.waitForMessages(psid, 1);
    await meta.deliver([meta.echo(psid, 'bot reply echoed', { metadata: 'khcc-assistant', appId: 123 })]);
    await settled();
    const key = `facebook:${psid}`;
    expect(await server.assistant.handoff.queue.get(key)).toBeNull();
    await meta.deliver([meta.echo(psid, 'Chào anh, em là admin trang', { appId: null })]);
    await expect.poll(async () => (await server.assistant.handoff.queue.get(key))?.status).toBe('active');
    await meta.deliver([meta.text(psid, 'dạ vâng, em hỏi tiếp', { timestamp: clock() })]);
    await settled();
    expect(graph.messagesTo(psid)).toHaveLength(1);
    const transcript = await server.assistant.transcript.read(key, 0);
    expect(transcript.map((e) => e.from)).toEqual(['citizen', 'bot', 'agent', 'citizen']);
  });

  it('answers photos and stickers politely, and welcomes a user who pressed Get Started', async () => {
    const psid = newPsid();
    await meta.deliver([now(meta.attachment(psid, 'sticker'))]);
    await meta.deliver([now(meta.attachment(psid, 'image'))]);
    await graph.waitForMessages(psid, 2);
    for (const text of texts(psid)) expect(text).toMatch(/chỉ đọc được tin nhắn chữ/);
    const newcomer = newPsid();
    await meta.deliver([now(meta.postback(newcomer, 'Bắt đầu', 'GET_STARTED'))]);
    const [welcome] = await graph.waitForMessages(newcomer, 1);
    expect((welcome!.body.message as { text: string }).text).toMatch(/^Dạ, em chào/);
  });

  it('retries the Send API on temporary failures, not on permanent ones', async () => {
    const psid = newPsid();
    graph.failNext(2, {
      status: 500,
      code: 2,
      message: 'An unexpected error has occurred. Please retry your request later.',
    });
    await meta.deliver([meta.text(psid, 'địa chỉ trung tâm', { timestamp: clock() })]);
    await graph.waitForMessages(psid, 1);
    expect(server.logs.filter((l) => l.msg === 'facebook.send.failed' && l.psid === psid).map((l) => l.code)).toEqual([
      2, 2,
    ]);

    const other = newPsid();
    graph.block(other);
    await meta.deliver([meta.text(other, 'giờ làm việc', { timestamp: clock() })]);
    await settled();
    const failures = server.logs.filter((l) => l.msg === 'facebook.send.failed' && l.psid === other);
    expect(failures.map((l) => [l.code, l.retryable])).toEqual([[551, false]]);
  });

  it('refuses bad requests with a clear 4xx, processes nothing, and keeps serving', async () => {
    const before = graph.sent.length;
    const psid = newPsid();
    const body = metaJson({
      object: 'page',
      entry: [{ id: PAGE, time: clock(), messaging: [meta.text(psid, 'giờ làm việc')] }],
    });
    expect((await meta.postRaw(body, { signature: 'sha256=' + '0'.repeat(64) })).status).toBe(403);
    expect((await meta.postRaw(body, { signature: null })).status).toBe(403);
    expect((await meta.postRaw(body, { signature: signatureOf('another-secret', body) })).status).toBe(403);
    const notJson = '{"object": "page", "entry": [';
    const malformed = await meta.postRaw(notJson, { signature: signatureOf(APP_SECRET, notJson) });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ error: { code: 'CHAT_ERR_FACEBOOK_MALFORMED' } });
    const instagram = metaJson({ object: 'instagram', entry: [] });
    expect((await meta.postRaw(instagram, { signature: signatureOf(APP_SECRET, instagram) })).status).toBe(404);
    const wrongShape = metaJson({ object: 'page', entry: 'nope' });
    expect((await meta.postRaw(wrongShape, { signature: signatureOf(APP_SECRET, wrongShape) })).status).toBe(400);
    const huge = metaJson({
      object: 'page',
      entry: [{ id: PAGE, messaging: [meta.text(psid, 'x'.repeat(2_000_000))] }],
    });
    expect((await meta.postRaw(huge, { signature: signatureOf(APP_SECRET, huge) })).status).toBe(413);
    // Unknown event kinds inside a good envelope are skipped, not fatal.
    expect(
      (
        await meta.deliver([
          { sender: { id: psid }, recipient: { id: PAGE }, timestamp: clock(), something_new: { x: 1 } },
          meta.read(psid),
          meta.delivery(psid, ['m_1']),
        ])
      )[0]!.status,
    ).toBe(200);
    await settled();
    expect(graph.sent.length).toBe(before);
    expect(await server.assistant.transcript.read(`facebook:${psid}`, 0)).toEqual([]);
    // Still working.
    await meta.deliver([meta.text(psid, 'giờ làm việc', { timestamp: clock() })]);
    await graph.waitForMessages(psid, 1);
  });
});
