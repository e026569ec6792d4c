import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketClient, startTestServer, type TestServer } from '../helpers/server.ts';

describe('webchat channel over a real socket', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** Every turn has run and every frame the server sent this client has arrived: nothing more is coming. */
  const settled = async (client: SocketClient) => {
    await server.webchat.idle();
    await client.flush();
  };

  const welcomed = async () => {
    const client = await SocketClient.open(server.url);
    const welcome = await client.hello();
    await client.next((f) => f.type === 'message' && (f.entry as { from: string }).from === 'bot');
    return { client, welcome, token: welcome.token as string };
  };

  it('opens a conversation with a welcome and the top tasks, then answers with quick replies', async () => {
    const client = await SocketClient.open(server.url);
    const welcome = await client.hello();
    expect(welcome).toMatchObject({ type: 'welcome', created: true });
    expect(welcome.token).toMatch(/^v1\./);
    const greeting = await client.next((f) => f.type === 'message');
    expect(greeting.entry).toMatchObject({ seq: 1, from: 'bot' });
    expect((greeting.entry as { suggestedActions: string[] }).suggestedActions).toContain('Gặp cán bộ');

    client.send({ type: 'message', id: 'q1', text: 'đổi gplx hết bao nhiêu tiền' });
    expect(await client.next((f) => f.type === 'ack')).toEqual({ type: 'ack', id: 'q1', seq: 2, duplicate: false });
    await client.next((f) => f.type === 'typing');
    const reply = await client.replyTo('q1');
    expect(reply.text).toMatch(/^Dạ/);
    expect(reply.text).toMatch(/lệ phí|phí/i);
    expect(reply.text).toMatch(/https?:\/\//);
    // The turn's end: its last entry, the one with the buttons.
    await client.answered('q1');
    const done = await client.next((f) => f.type === 'answered');
    expect(done).toEqual({ type: 'answered', id: 'q1', seq: client.entries().at(-1)!.seq });
    expect(done.seq).toBeGreaterThanOrEqual(reply.seq);
    expect(client.entries().at(-1)!.suggestedActions.length).toBeGreaterThan(0);
    client.close();
  });

  it('answers a resent message once: the resend is acknowledged with the first sequence number', async () => {
    const { client } = await welcomed();
    client.send({ type: 'message', id: 'same-id', text: 'giờ làm việc của trung tâm' });
    client.send({ type: 'message', id: 'same-id', text: 'giờ làm việc của trung tâm' });
    await client.replyTo('same-id');
    await settled(client);
    const acks = client.frames.filter((f) => f.type === 'ack');
    expect(acks.map((a) => a.duplicate)).toEqual([false, true]);
    expect(acks[0]!.seq).toBe(acks[1]!.seq);
    const entries = client.entries();
    expect(entries.filter((e) => e.messageId === 'same-id')).toHaveLength(1);
    const mine = entries.find((e) => e.messageId === 'same-id')!.seq;
    // One turn: one end of turn, and exactly the replies up to it, no second copy of them.
    const ends = client.frames.filter((f) => f.type === 'answered');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ id: 'same-id' });
    const after = entries.filter((e) => e.seq > mine);
    expect(after.map((e) => e.seq)).toEqual(
      Array.from({ length: (ends[0]!.seq as number) - mine }, (_, i) => mine + 1 + i),
    );
    expect(after.every((e) => e.from === 'bot')).toBe(true);
    const transcript = await server.assistant.transcript.read(
      `webchat:${client.frames.find((f) => f.type === 'welcome')!.conversationId as string}`,
      0,
    );
    expect(transcript.map((e) => e.seq)).toEqual(entries.map((e) => e.seq));
    client.close();
  });

  it('resumes after the last sequence number a tab has, and replays the history on a reload', async () => {
    const { client, token } = await welcomed();
    client.send({ type: 'message', id: 'r1', text: 'làm lý lịch tư pháp cần giấy tờ gì' });
    await client.replyTo('r1');
    client.send({ type: 'message', id: 'r2', text: 'phí bao nhiêu' });
    await client.replyTo('r2');
    await settled(client);
    const all = client.entries();
    client.close();
    expect(all.length).toBeGreaterThan(4);

    // A hello's replay is sent before anything that frame is followed by: flush() has it all.
    const resumed = await SocketClient.open(server.url);
    expect(await resumed.hello(token, 3)).toMatchObject({ type: 'welcome', created: false });
    await resumed.flush();
    expect(resumed.entries().map((e) => e.seq)).toEqual(all.filter((e) => e.seq > 3).map((e) => e.seq));
    resumed.close();

    const reloaded = await SocketClient.open(server.url);
    await reloaded.hello(token, 0);
    await reloaded.flush();
    expect(reloaded.entries()).toEqual(all);
    expect(reloaded.entries().map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    reloaded.close();
  });

  it('shows every message to every tab of the conversation', async () => {
    const { client: first, token } = await welcomed();
    const second = await SocketClient.open(server.url);
    await second.hello(token, 1);
    first.send({ type: 'message', id: 't1', text: 'địa chỉ trung tâm ở đâu' });
    const reply = await second.replyTo('t1');
    expect(reply.text.length).toBeGreaterThan(10);
    expect((await first.replyTo('t1')).seq).toBe(reply.seq);
    first.close();
    second.close();
  });

  it('takes messages over HTTP while the socket is down, and the socket brings the answers later', async () => {
    const { client, token } = await welcomed();
    const lastSeq = client.entries().at(-1)!.seq;
    client.close();
    const key = `webchat:${client.frames.find((f) => f.type === 'welcome')!.conversationId as string}`;
    const turns = () => server.logs.filter((l) => l.msg === 'turn.completed' && l.conversation === key);
    const turnsBefore = turns().length;
    const post = (id: string) =>
      fetch(`${server.url}/webchat/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ id, text: 'thủ tục đăng ký khai sinh cần gì' }),
      });
    const sent = await post('h1');
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ ack: { id: 'h1', seq: lastSeq + 1, duplicate: false } });
    expect(await (await post('h1')).json()).toEqual({ ack: { id: 'h1', seq: lastSeq + 1, duplicate: true } });
    await server.webchat.idle();
    const polled = (await (
      await fetch(`${server.url}/webchat/v1/messages?after=${lastSeq}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as {
      entries: { seq: number; from: string; messageId?: string }[];
    };
    expect(polled.entries[0]).toMatchObject({ seq: lastSeq + 1, from: 'citizen', messageId: 'h1' });
    // One turn for the message sent twice: the citizen's message once, then exactly that turn's replies.
    expect(turns().length - turnsBefore).toBe(1);
    const replies = turns().at(-1)!.replies as number;
    expect(replies).toBeGreaterThan(0);
    expect(polled.entries.map((e) => e.from)).toEqual(['citizen', ...Array.from({ length: replies }, () => 'bot')]);
    const back = await SocketClient.open(server.url);
    await back.hello(token, lastSeq);
    await back.flush();
    expect(back.entries().map((e) => e.seq)).toEqual(polled.entries.map((e) => e.seq));
    back.close();
  });

  it('opens no conversation without its token', async () => {
    const { token } = await welcomed();
    const [v, id, issued, mac] = token.split('.');
    const client = await SocketClient.open(server.url);
    client.send({ type: 'message', id: 'x1', text: 'alo' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'hello_first', id: 'x1' });
    expect(await client.hello(`${v}.${id}.${issued}.${mac!.slice(0, -2)}AA`)).toMatchObject({
      type: 'error',
      code: 'bad_token',
    });
    client.close();
    for (const header of [`Bearer ${id}`, `Bearer v1.${randomUUID()}.${issued}.${mac}`, '', 'Basic abc']) {
      const res = await fetch(`${server.url}/webchat/v1/messages?after=0`, {
        headers: header ? { authorization: header } : {},
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CHAT_ERR_WEBCHAT_BAD_TOKEN');
    }
  });

  it('answers bad frames and bad messages with a clear error, keeps the socket, and records nothing', async () => {
    const { client } = await welcomed();
    const before = client.entries().length;
    const errors = async (frame: unknown) => {
      const count = client.frames.filter((f) => f.type === 'error').length;
      client.send(frame);
      await client.next((f) => f.type === 'error' && client.frames.filter((g) => g.type === 'error').length > count);
      return client.frames.filter((f) => f.type === 'error').at(-1)!;
    };
    expect(await errors('{not json')).toMatchObject({ code: 'bad_frame' });
    expect(await errors({ type: 'dance' })).toMatchObject({ code: 'bad_frame' });
    expect(await errors({ type: 'message', text: 'thiếu id' })).toMatchObject({ code: 'bad_frame' });
    expect(await errors({ type: 'message', id: '<script>', text: 'id lạ' })).toMatchObject({ code: 'bad_frame' });
    expect(await errors({ type: 'message', id: 'e1', text: ' \u0000\u0007 ' })).toMatchObject({
      code: 'message_empty',
      id: 'e1',
    });
    expect(await errors({ type: 'message', id: 'e2', text: 'a'.repeat(2001) })).toMatchObject({
      code: 'message_too_long',
      id: 'e2',
    });
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.next((f) => f.type === 'error' && client.frames.filter((g) => g.type === 'error').length === 7);
    expect(client.entries().length).toBe(before);
    // Still a working conversation: an emoji-only message gets a polite answer.
    client.send({ type: 'message', id: 'e3', text: '🙏🙏' });
    expect((await client.replyTo('e3')).text).toMatch(/^Dạ/);
    client.close();
  });

  it('closes a socket that sends a frame over the size limit, and goes on serving the others', async () => {
    const { client } = await welcomed();
    const other = await welcomed();
    client.send({ type: 'message', id: 'big', text: 'x'.repeat(40_000) });
    expect((await client.closed).code).toBe(1009);
    other.client.send({ type: 'message', id: 'ok', text: 'giờ làm việc' });
    expect((await other.client.replyTo('ok')).text).toMatch(/^Dạ/);
    other.client.close();
  });

  it('writes no citizen text, phone number or token into its logs', async () => {
    const { client, token } = await welcomed();
    client.send({ type: 'message', id: 'p1', text: 'sđt em 0905123456, hồ sơ của Nguyễn Văn Bình' });
    await client.replyTo('p1');
    // The whole turn has run, so every line it logs is in.
    await server.webchat.idle();
    client.close();
    const logged = JSON.stringify(server.logs);
    expect(logged).not.toContain('0905123456');
    expect(logged).not.toContain('Nguyễn Văn Bình');
    expect(logged).not.toContain(token);
    expect(server.logs.some((l) => l.msg === 'webchat.message.received' && typeof l.conversation === 'string')).toBe(
      true,
    );
  });
});

describe('webchat limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A pong must come within one heartbeat: a whole second, so a busy test machine does not look dead.
    server = await startTestServer({}, { idleMs: 1500, heartbeatMs: 1000, maxBufferedBytes: 64 * 1024 }, undefined, {
      limits: { 'webchat.message.conversation': { points: 1, seconds: 1, burst: { points: 2, seconds: 10 } } },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('rate-limits a tab with a retry time, records nothing refused, and takes the resend later', async () => {
    const client = await SocketClient.open(server.url);
    await client.hello();
    for (let i = 1; i <= 5; i += 1) client.send({ type: 'message', id: `f${i}`, text: `giờ làm việc ${i}` });
    const limited = await client.next((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    await client.flush();
    const acked = client.frames.filter((f) => f.type === 'ack').map((f) => f.id);
    const refused = client.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').map((f) => f.id);
    expect(acked).toEqual(['f1', 'f2', 'f3']);
    expect(refused).toEqual(['f4', 'f5']);
    expect(
      client
        .entries()
        .filter((e) => e.from === 'citizen')
        .map((e) => e.messageId),
    ).toEqual(['f1', 'f2', 'f3']);
    // Resent after the wait the server gave with its last refusal (not a guess): it is taken.
    const lastRefusal = client.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').at(-1)!;
    expect(lastRefusal.retryAfterMs).toBeLessThanOrEqual(1000);
    await delay(lastRefusal.retryAfterMs as number);
    client.send({ type: 'message', id: 'f4', text: 'giờ làm việc 4' });
    expect(await client.next((f) => f.type === 'ack' && f.id === 'f4')).toMatchObject({ duplicate: false });
    client.close();
  });

  it('closes a socket left idle, with a code the widget knows', async () => {
    const client = await SocketClient.open(server.url);
    await client.hello();
    expect((await client.closed).code).toBe(4000);
  }, 10_000);

  it('cuts off a tab that does not read, without losing it anything: it resumes where it stopped', async () => {
    const client = await SocketClient.open(server.url);
    const welcome = await client.hello();
    await client.next((f) => f.type === 'message');
    // The tab stops reading (a phone in a tunnel); meanwhile a long conversation goes on.
    client.socket.pause();
    const key = `webchat:${welcome.conversationId as string}`;
    for (let i = 0; i < 600; i += 1) {
      await server.assistant.transcript.append(key, {
        from: 'bot',
        text: `${i} ${'chữ '.repeat(2000)}`,
        suggestedActions: [],
      });
    }
    await expect
      .poll(() => server.logs.some((l) => l.msg === 'webchat.client.slow' && l.conversation === key))
      .toBe(true);
    // Cut off: once its socket has closed, the server holds no tab of the conversation.
    await expect.poll(() => server.webchat.stats().conversations).toBe(0);
    const had = Math.max(0, ...client.entries().map((e) => e.seq));
    const resumed = await SocketClient.open(server.url);
    await resumed.hello(welcome.token as string, had);
    await resumed.next((f) => f.type === 'message' && (f.entry as { seq: number }).seq === 601, 20_000);
    expect(resumed.entries().map((e) => e.seq)).toEqual(Array.from({ length: 601 - had }, (_, i) => had + 1 + i));
    resumed.close();
  });

  it('never crashes on a flood of junk from many sockets', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => SocketClient.open(server.url)));
    for (const s of sockets)
      for (let i = 0; i < 20; i += 1)
        s.send(i % 2 ? '\u0000\u0001' : JSON.stringify({ type: 'message', id: `j${i}`, text: '💥' }));
    // Each is closed once past its allowance of invalid frames (the sixth, of ten sent).
    expect((await Promise.all(sockets.map((s) => s.closed))).map((c) => c.code)).toEqual(sockets.map(() => 1008));
    const client = await SocketClient.open(server.url);
    await client.hello();
    client.send({ type: 'message', id: 'alive', text: 'xin chào' });
    expect((await client.replyTo('alive')).text).toMatch(/^Dạ/);
    client.close();
  });
});
