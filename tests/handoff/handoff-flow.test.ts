import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../helpers/agent-client.ts';
import { accountsFile, sunday, workingMorning } from '../helpers/handoff.ts';
import { SocketClient, startTestServer, type TestServer } from '../helpers/server.ts';

describe('handoff to a person, over the real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ AGENT_ACCOUNTS_FILE: await accountsFile() }, {}, workingMorning());
  });
  afterAll(async () => {
    await server.close();
  });

  const citizen = async () => {
    const client = await SocketClient.open(server.url);
    const welcome = await client.hello();
    await client.next((f) => f.type === 'message');
    return { client, key: `webchat:${welcome.conversationId as string}` };
  };

  it('takes a citizen from the bot to an agent and back, with the survey and the supervisor’s figures', async () => {
    const lan = new AgentClient(server.url);
    expect((await lan.login('lan', 'mat-khau-cua-lan')).status).toBe(200);
    await lan.listen();

    const { client, key } = await citizen();
    client.send({ type: 'message', id: 'p1', text: 'cho tôi gặp cán bộ' });
    const queued = await client.replyTo('p1');
    expect(queued.text).toMatch(/vị trí số 1/);
    // The console hears of it within a second: the poll fails past that.
    await expect.poll(() => lan.queue().map((c) => c.key), { timeout: 1000, interval: 20 }).toContain(key);
    expect(lan.queue().find((c) => c.key === key)).toMatchObject({
      status: 'waiting',
      reason: 'asked',
      queue: 'agents',
    });

    // While waiting, a question the bot can answer is answered, and the citizen is told the wait goes on.
    client.send({ type: 'message', id: 'p2', text: 'phí làm hộ chiếu bao nhiêu' });
    expect((await client.replyTo('p2')).text).toMatch(/hộ chiếu/i);
    const note = await client.next(
      (f) => f.type === 'message' && /vẫn đang chờ cán bộ, vị trí số 1/.test((f.entry as { text: string }).text),
    );
    expect((note.entry as { suggestedActions: string[] }).suggestedActions).toEqual(['Không cần cán bộ nữa']);

    const claim = await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`);
    expect(claim.status).toBe(200);
    await client.next((f) => f.type === 'message' && /Nguyễn Thị Lan đã nhận/.test((f.entry as { text: string }).text));

    // With an agent, the bot stays silent; the agent sees the message live.
    const before = client.entries().length;
    client.send({ type: 'message', id: 'p3', text: 'em cần gấp giấy xác nhận độc thân' });
    await client.next((f) => f.type === 'ack' && f.id === 'p3');
    await expect
      .poll(() =>
        lan.events.some((e) => e.event === 'entry' && (e.data.entry as { messageId?: string }).messageId === 'p3'),
      )
      .toBe(true);
    // The turn has run and everything it could have said has reached the tab: only the citizen's message.
    await server.webchat.idle();
    await client.flush();
    expect(
      client
        .entries()
        .slice(before)
        .map((e) => e.from),
    ).toEqual(['citizen']);
    expect((await server.assistant.transcript.read(key, 0)).at(-1)).toMatchObject({ from: 'citizen', messageId: 'p3' });

    const reply = await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, {
      text: 'Dạ, anh/chị cho em xin họ tên ạ <b>',
    });
    expect(reply.status).toBe(200);
    const agentEntry = await client.next((f) => f.type === 'message' && (f.entry as { from: string }).from === 'agent');
    expect(agentEntry.entry).toMatchObject({ text: 'Dạ, anh/chị cho em xin họ tên ạ <b>', agent: 'Nguyễn Thị Lan' });

    expect((await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/close`)).status).toBe(200);
    const survey = await client.next(
      (f) =>
        f.type === 'message' && (f.entry as { suggestedActions: string[] }).suggestedActions.includes('Rất hài lòng'),
    );
    expect((survey.entry as { suggestedActions: string[] }).suggestedActions).toEqual([
      'Rất hài lòng',
      'Hài lòng',
      'Bình thường',
      'Không hài lòng',
    ]);
    client.send({ type: 'message', id: 's1', text: 'Rất hài lòng' });
    expect((await client.replyTo('s1')).suggestedActions).toEqual(['Bỏ qua']);
    client.send({ type: 'message', id: 's2', text: 'cán bộ nhiệt tình' });
    expect((await client.replyTo('s2')).text).toMatch(/cảm ơn/);
    // Back with the bot: a question gets an answer again.
    client.send({ type: 'message', id: 'b1', text: 'giờ làm việc của trung tâm' });
    expect((await client.replyTo('b1')).text).toMatch(/thứ Hai|giờ/i);

    const hoa = new AgentClient(server.url);
    await hoa.login('hoa', 'mat-khau-cua-hoa');
    const stats = (await (await hoa.get('/agent/api/stats/satisfaction')).json()) as {
      byAgent: { label: string; total: number; share: number }[];
    };
    expect(stats.byAgent).toContainEqual({ label: 'lan', total: 1, veryGood: 1, share: 1 });
    expect((await lan.get('/agent/api/stats/satisfaction')).status).toBe(403);
    lan.stop();
    client.close();
  });

  it('lets exactly one of two agents racing for a conversation have it; the other is told who', async () => {
    const [lan, minh] = [new AgentClient(server.url), new AgentClient(server.url)];
    await Promise.all([lan.login('lan', 'mat-khau-cua-lan'), minh.login('minh', 'mat-khau-cua-minh')]);
    await lan.listen();
    const { client, key } = await citizen();
    client.send({ type: 'message', id: 'r1', text: 'Gặp cán bộ' });
    await client.replyTo('r1');
    const path = `/agent/api/conversations/${encodeURIComponent(key)}/claim`;
    const [a, b] = await Promise.all([lan.post(path), minh.post(path)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? 'lan' : 'minh';
    expect(((await loser.json()) as { error: { code: string; claimedBy: string } }).error).toMatchObject({
      code: 'CHAT_ERR_HANDOFF_CLAIMED',
      claimedBy: winner,
    });
    // The loser cannot write to it either.
    const other = winner === 'lan' ? minh : lan;
    expect(
      (await other.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, { text: 'xin chào' })).status,
    ).toBe(403);
    lan.stop();
    client.close();
  });

  it('transfers a conversation to another agent, who then has it', async () => {
    const [lan, minh] = [new AgentClient(server.url), new AgentClient(server.url)];
    await Promise.all([lan.login('lan', 'mat-khau-cua-lan'), minh.login('minh', 'mat-khau-cua-minh')]);
    await lan.listen();
    const { client, key } = await citizen();
    client.send({ type: 'message', id: 't1', text: 'Gặp cán bộ' });
    await client.replyTo('t1');
    const at = `/agent/api/conversations/${encodeURIComponent(key)}`;
    expect((await lan.post(`${at}/claim`)).status).toBe(200);
    expect((await minh.post(`${at}/transfer`, { to: 'lan' })).status).toBe(403);
    expect((await lan.post(`${at}/transfer`, { to: 'nobody' })).status).toBe(400);
    const moved = await lan.post(`${at}/transfer`, { to: 'minh' });
    expect(((await moved.json()) as { conversation: { claimedBy: string } }).conversation.claimedBy).toBe('minh');
    expect((await lan.post(`${at}/reply`, { text: 'còn em không?' })).status).toBe(403);
    expect((await minh.post(`${at}/reply`, { text: 'Dạ, em Minh tiếp nhận ạ' })).status).toBe(200);
    await client.next((f) => f.type === 'message' && (f.entry as { agent?: string }).agent === 'Trần Văn Minh');
    expect(
      server.logs.filter((l) => l.msg === 'agent.action' && l.conversation === key).map((l) => [l.agent, l.action]),
    ).toEqual([
      ['lan', 'claim'],
      ['lan', 'transfer'],
      ['minh', 'reply'],
    ]);
    lan.stop();
    client.close();
  });

  it('lets supervisors keep the canned responses, and agents use them', async () => {
    const [lan, hoa] = [new AgentClient(server.url), new AgentClient(server.url)];
    await Promise.all([lan.login('lan', 'mat-khau-cua-lan'), hoa.login('hoa', 'mat-khau-cua-hoa')]);
    const list = async () =>
      ((await (await lan.get('/agent/api/canned')).json()) as { responses: { id: string; title: string }[] }).responses;
    expect((await list()).map((r) => r.title)).toContain('Xin mã hồ sơ');
    expect((await lan.post('/agent/api/canned', { title: 'Mới', text: 'Dạ' })).status).toBe(403);
    const added = await hoa.post('/agent/api/canned', {
      title: 'Giờ làm việc',
      text: 'Dạ, Trung tâm làm việc từ thứ Hai đến sáng thứ Bảy ạ.',
    });
    expect(added.status).toBe(201);
    const { response } = (await added.json()) as { response: { id: string } };
    expect((await list()).map((r) => r.title)).toContain('Giờ làm việc');
    const removed = await hoa.delete(`/agent/api/canned/${response.id}`);
    expect(removed.status).toBe(204);
    expect((await list()).map((r) => r.title)).not.toContain('Giờ làm việc');
  });

  it('refuses wrong passwords, throttles guessing, and checks the CSRF token and the session', async () => {
    const guesser = new AgentClient(server.url);
    expect((await guesser.login('minh', 'sai-mat-khau')).status).toBe(401);
    expect((await guesser.login('khong-co-ai', 'sai-mat-khau')).status).toBe(401);
    for (let i = 0; i < 4; i += 1) await guesser.login('minh', `sai-${i}`);
    const blocked = await guesser.login('minh', 'mat-khau-cua-minh');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);

    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    const cookie = await fetch(`${server.url}/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lan', password: 'mat-khau-cua-lan' }),
    });
    expect(cookie.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(cookie.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect((await lan.post('/agent/api/canned', { title: 'x', text: 'y' }, null)).status).toBe(403);
    expect((await lan.post('/agent/api/canned', { title: 'x', text: 'y' }, 'wrong')).status).toBe(403);
    expect((await lan.post('/agent/api/conversations/webchat%3Anobody/claim')).status).toBe(404);
    expect((await new AgentClient(server.url).get('/agent/api/queue')).status).toBe(401);
    expect((await lan.post('/agent/logout')).status).toBe(204);
    expect((await lan.get('/agent/api/queue')).status).toBe(401);
  });

  it('routes a complaint to the supervisors, whom agents do not see', async () => {
    const hoa = new AgentClient(server.url);
    await hoa.login('hoa', 'mat-khau-cua-hoa');
    await hoa.listen();
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    const { client, key } = await citizen();
    client.send({ type: 'message', id: 'c1', text: 'cán bộ ở quầy số 3 đòi tiền ngoài quy định mới nhận hồ sơ' });
    expect((await client.replyTo('c1')).suggestedActions).toEqual(['Gửi phản ánh', 'Không gửi']);
    // Nothing reaches the supervisors until the citizen says so (the turn has run to its end).
    await server.webchat.idle();
    expect(await server.assistant.handoff.queue.get(key)).toBeNull();
    client.send({ type: 'message', id: 'c2', text: 'Gửi phản ánh' });
    await client.replyTo('c2');
    await expect
      .poll(() => hoa.queue().find((c) => c.key === key))
      .toMatchObject({ queue: 'supervisors', reason: 'complaint' });
    // The supervisors see the complaint as written, not the button.
    expect(hoa.queue().find((c) => c.key === key)).toMatchObject({
      lastMessage: { text: 'cán bộ ở quầy số 3 đòi tiền ngoài quy định mới nhận hồ sơ' },
    });
    expect(client.entries().some((e) => /giám sát/.test(e.text))).toBe(true);
    const seen = (await (await lan.get('/agent/api/queue')).json()) as { conversations: { key: string }[] };
    expect(seen.conversations.map((c) => c.key)).not.toContain(key);
    expect((await lan.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`)).status).toBe(404);
    expect((await hoa.post(`/agent/api/conversations/${encodeURIComponent(key)}/claim`)).status).toBe(200);
    hoa.stop();
    client.close();
  });
});

describe('waiting for a person', () => {
  it('lets the citizen cancel the wait, and the conversation leaves the queue', async () => {
    const server = await startTestServer({ AGENT_ACCOUNTS_FILE: await accountsFile() }, {}, workingMorning());
    try {
      const lan = new AgentClient(server.url);
      await lan.login('lan', 'mat-khau-cua-lan');
      await lan.listen();
      const client = await SocketClient.open(server.url);
      const welcome = await client.hello();
      const key = `webchat:${welcome.conversationId as string}`;
      client.send({ type: 'message', id: 'w1', text: 'cho tôi gặp cán bộ' });
      await client.replyTo('w1');
      await expect.poll(() => lan.queue().map((c) => c.key)).toContain(key);
      client.send({ type: 'message', id: 'w2', text: 'trời nắng quá' });
      expect((await client.replyTo('w2')).suggestedActions).toEqual(['Không cần cán bộ nữa']);
      client.send({ type: 'message', id: 'w3', text: 'Không cần cán bộ nữa' });
      expect((await client.replyTo('w3')).text).toMatch(/đã hủy yêu cầu gặp cán bộ/);
      await expect.poll(() => lan.queue().map((c) => c.key)).not.toContain(key);
      // The bot is back: a question gets its answer, with no note about a wait.
      client.send({ type: 'message', id: 'w4', text: 'làm lý lịch tư pháp cần gì' });
      expect((await client.replyTo('w4')).text).toMatch(/[Ll]ý lịch tư pháp/);
      lan.stop();
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe('handoff when nobody can come', () => {
  it('out of hours, tells when staff are back and takes a message and a phone number with consent, for the next working morning', async () => {
    const server = await startTestServer({ AGENT_ACCOUNTS_FILE: await accountsFile() }, {}, sunday());
    const client = await SocketClient.open(server.url);
    await client.hello();
    const say = async (id: string, text: string) => {
      client.send({ type: 'message', id, text });
      return client.replyTo(id);
    };
    const offer = await say('o1', 'cho gặp cán bộ');
    expect(offer.text).toMatch(/ngoài giờ làm việc/);
    expect(offer.text).toMatch(/sáng mai|thứ Hai/);
    expect(offer.suggestedActions).toEqual(['Để lại lời nhắn', 'Không, cảm ơn']);
    expect((await say('o2', 'Để lại lời nhắn')).text).toMatch(/nhắn/);
    expect((await say('o3', 'Hồ sơ đăng ký kinh doanh của tôi bị trả về mà không rõ lý do')).text).toMatch(
      /số điện thoại/,
    );
    expect((await say('o4', 'số em là 12345')).text).toMatch(/chưa đúng/);
    const consent = await say('o5', '0905 123 456');
    expect(consent.text).toContain('0905123456');
    expect(consent.suggestedActions).toEqual(['Đồng ý', 'Không đồng ý']);
    expect((await say('o6', 'Đồng ý')).text).toMatch(/gọi lại/);
    const hoa = new AgentClient(server.url);
    await hoa.login('hoa', 'mat-khau-cua-hoa');
    const { tasks } = (await (await hoa.get('/agent/api/callbacks')).json()) as {
      tasks: { phone: string; message: string; dueAt: string; done: boolean; id: string }[];
    };
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      phone: '0905123456',
      message: 'Hồ sơ đăng ký kinh doanh của tôi bị trả về mà không rõ lý do',
      done: false,
    });
    expect(tasks[0]!.dueAt).toBe('2026-11-30T00:00:00.000Z');
    expect((await hoa.post(`/agent/api/callbacks/${tasks[0]!.id}/done`)).status).toBe(200);
    // The phone number is in no log line.
    expect(JSON.stringify(server.logs)).not.toContain('0905123456');
    client.close();
    await server.close();
  });
});
