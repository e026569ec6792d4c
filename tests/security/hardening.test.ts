import { request } from 'node:http';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccountStore } from '../../src/staff/agent-accounts.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { AgentClient } from '../helpers/agent-client.ts';
import { accountsFile, sunday, workingMorning } from '../helpers/handoff.ts';
import { REDIS_URL, TEST_KEY_TTL_SECONDS, redisPrefixes } from '../helpers/redis.ts';
import { SocketClient, randomLoopback, startTestServer, type TestServer } from '../helpers/server.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';

/** A POST from a given local address (node's fetch cannot choose one). */
function postFrom(
  address: string,
  url: string,
  body = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress: address, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a socket from `address` and resolves with the upgrade's outcome: 101, or the refusal's status. */
function upgradeFrom(url: string, address: string, origin?: string): Promise<{ status: number; socket: WebSocket }> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/webchat/v1/socket`, {
    localAddress: address,
    ...(origin ? { origin } : {}),
  });
  return new Promise((resolve) => {
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, socket }));
    socket.once('error', () => resolve({ status: 0, socket }));
  });
}

const PERSONAL = { name: 'Nguyễn Văn Bình', id: '079123456789', phone: '0905123456' };
const personalText = `tôi là ${PERSONAL.name}, căn cước ${PERSONAL.id}, sđt ${PERSONAL.phone}`;
const leaks = (logs: unknown) => {
  const text = JSON.stringify(logs);
  return Object.values(PERSONAL).filter((v) => text.includes(v));
};

describe('the webchat against a flood from one client', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('caps the sockets one address holds open, and frees a place when one closes', async () => {
    const address = randomLoopback();
    const opened = await Promise.all(Array.from({ length: 35 }, () => upgradeFrom(server.url, address)));
    const statuses = opened.map((o) => o.status);
    expect(statuses.filter((s) => s === 101)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    // Another address is not affected.
    const other = await upgradeFrom(server.url, randomLoopback());
    expect(other.status).toBe(101);
    other.socket.close();
    // One closes: one more may open.
    const open = opened.filter((o) => o.status === 101);
    open[0]!.socket.close();
    await expect
      .poll(async () => {
        const again = await upgradeFrom(server.url, address);
        again.socket.close();
        return again.status;
      })
      .toBe(101);
    for (const o of open) o.socket.close();
  });

  it('caps the new conversations one address starts, over HTTP and sockets alike', async () => {
    const address = randomLoopback();
    const started = await Promise.all(
      Array.from({ length: 25 }, () => postFrom(address, `${server.url}/webchat/v1/conversations`)),
    );
    expect(started.filter((r) => r.status === 201)).toHaveLength(20);
    const refused = started.filter((r) => r.status === 429);
    expect(refused).toHaveLength(5);
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
    const client = await SocketClient.open(server.url, address);
    client.send({ type: 'hello', after: 0 });
    expect(await client.next((f) => f.type === 'error' || f.type === 'welcome')).toMatchObject({
      type: 'error',
      code: 'rate_limited',
    });
    client.close();
  });

  it('closes a socket that keeps sending invalid frames, after a few error frames and one log line', async () => {
    const client = await SocketClient.open(server.url);
    await client.hello();
    const before = server.logs.length;
    for (let i = 0; i < 5000; i += 1) client.send(i % 2 ? '\u0000\u0001' : '{"type":"nonsense"}');
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    expect(client.frames.filter((f) => f.type === 'error' && f.code === 'bad_frame').length).toBeLessThanOrEqual(6);
    const lines = server.logs.slice(before).filter((l) => String(l.msg).startsWith('webchat.frame'));
    expect(lines.map((l) => l.msg)).toEqual(['webchat.frame.invalid', 'webchat.frame.invalid_closed']);
  });

  it('answers a preflight from an embedding page, and says which headers a page may read', async () => {
    const res = await fetch(`${server.url}/webchat/v1/messages`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://khanhhoa.gov.vn',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const started = await fetch(`${server.url}/webchat/v1/conversations`, {
      method: 'POST',
      headers: { origin: 'https://khanhhoa.gov.vn' },
    });
    expect(started.headers.get('access-control-allow-origin')).toBe('*');
    expect(started.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
  });
});

describe('the webchat embedded only where the operator allows', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      WEBCHAT_ALLOWED_ORIGINS: 'https://khanhhoa.gov.vn, https://dichvucong.khanhhoa.gov.vn',
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets listed pages in, over HTTP and sockets, and refuses others', async () => {
    const ok = await fetch(`${server.url}/webchat/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'https://khanhhoa.gov.vn', 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://khanhhoa.gov.vn');
    const foreign = await fetch(`${server.url}/webchat/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await upgradeFrom(server.url, randomLoopback(), 'https://evil.example')).status).toBe(403);
    const listed = await upgradeFrom(server.url, randomLoopback(), 'https://dichvucong.khanhhoa.gov.vn');
    expect(listed.status).toBe(101);
    listed.socket.close();
  });
});

describe('when the shared store is gone', () => {
  // Before the server's hooks: its keys are deleted once it has closed.
  const newPrefix = redisPrefixes();
  let server: TestServer;
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await TcpProxy.redis();
    server = await startTestServer({ REDIS_URL: proxy.url, REDIS_KEY_PREFIX: newPrefix() });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => {});
    await server.close();
  });

  it('says so in /healthz, tells the socket its message was not kept, and logs nobody’s words', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const client = await SocketClient.open(server.url);
    const welcome = await client.hello();
    await proxy.cut();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'store_unreachable', store: 'unreachable' });
    client.send({ type: 'message', id: 'lost-1', text: personalText });
    expect(await client.next((f) => f.id === 'lost-1', 15_000)).toMatchObject({ type: 'error', code: 'server_busy' });
    const http = await fetch(`${server.url}/webchat/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${welcome.token as string}` },
      body: JSON.stringify({ id: 'lost-2', text: personalText }),
    });
    expect(http.status).toBe(503);
    expect(leaks(server.logs)).toEqual([]);
    await proxy.restore();
    await expect.poll(async () => (await fetch(`${server.url}/healthz`)).status, { timeout: 15_000 }).toBe(200);
    // The widget resends what was refused, and now it is kept.
    client.close();
  }, 60_000);
});

describe('error logs', () => {
  const newPrefix = redisPrefixes();

  it('keep an error’s type and message, never the arguments a library hangs on it', async () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
    );
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const key = `${newPrefix()}wrongtype`;
    await redis.set(key, 'x', 'EX', TEST_KEY_TTL_SECONDS);
    // WRONGTYPE: ioredis's ReplyError carries the command and its arguments (here, a citizen's words).
    const err = await redis.hset(key, 'text', personalText).catch((e: unknown) => e);
    expect((err as { command?: { args?: unknown[] } }).command?.args).toContain(personalText);
    log.error({ err }, 'store.failed');
    let parseError: unknown;
    try {
      JSON.parse(`{"text": "${personalText}"`);
    } catch (e) {
      parseError = e;
    }
    log.error({ err: new Error('wrapped', { cause: parseError }) }, 'parse.failed');
    await redis.del(key);
    await redis.quit();
    expect(lines.join('')).toMatch(/WRONGTYPE/);
    expect(leaks(lines)).toEqual([]);
  });
});

describe('the console, as officers are removed, demoted, or poke at it', () => {
  let server: TestServer;
  let accounts: string;
  beforeAll(async () => {
    accounts = await accountsFile();
    server = await startTestServer({ AGENT_ACCOUNTS_FILE: accounts }, {}, workingMorning());
  });
  afterAll(async () => {
    await server.close();
  });

  const handoff = async () => {
    const client = await SocketClient.open(server.url);
    const welcome = await client.hello();
    client.send({ type: 'message', id: 'h1', text: 'cho tôi gặp cán bộ' });
    await client.replyTo('h1');
    return { client, key: `webchat:${welcome.conversationId as string}` };
  };

  it('ends a removed officer’s live stream before it carries another citizen message', async () => {
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    await lan.listen();
    const { client, key } = await handoff();
    await expect.poll(() => lan.queue().map((c) => c.key)).toContain(key);
    await new FileAccountStore(accounts).remove('lan');
    client.send({ type: 'message', id: 'secret', text: personalText });
    await client.next((f) => f.type === 'ack' && f.id === 'secret');
    await expect.poll(() => lan.events.some((e) => e.event === 'revoked')).toBe(true);
    expect(lan.events.some((e) => e.event === 'entry' && JSON.stringify(e.data).includes(PERSONAL.name))).toBe(false);
    expect((await lan.get('/agent/api/queue')).status).toBe(401);
    client.close();
    lan.stop();
  });

  it('ends a demoted supervisor’s stream, and the next one shows an agent’s view', async () => {
    const store = new FileAccountStore(accounts);
    const hoa = new AgentClient(server.url);
    await hoa.login('hoa', 'mat-khau-cua-hoa');
    await hoa.listen();
    await expect.poll(() => hoa.events.some((e) => e.event === 'queue')).toBe(true);
    await store.put('hoa', 'agent', 'mat-khau-cua-hoa');
    const { client } = await handoff();
    await expect.poll(() => hoa.events.some((e) => e.event === 'revoked')).toBe(true);
    expect((await hoa.get('/agent/api/stats/satisfaction')).status).toBe(403);
    await store.put('hoa', 'supervisor', 'mat-khau-cua-hoa');
    client.close();
    hoa.stop();
  });

  it('answers a malformed cookie and odd conversation keys with 401 and 404, never 500, and caches no API answer', async () => {
    const bad = await fetch(`${server.url}/agent/api/me`, { headers: { cookie: 'khcc_agent=%E0%A4%A' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('cache-control')).toBe('no-store');
    expect(bad.headers.get('x-content-type-options')).toBe('nosniff');
    const hoa = new AgentClient(server.url);
    await hoa.login('hoa', 'mat-khau-cua-hoa');
    expect((await hoa.get('/agent/api/queue')).headers.get('cache-control')).toBe('no-store');
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect((await hoa.get(`/agent/api/conversations/${key}/transcript`)).status).toBe(404);
      expect((await hoa.post(`/agent/api/conversations/${key}/claim`)).status).toBe(404);
      expect((await hoa.post(`/agent/api/callbacks/${key}/done`)).status).toBe(404);
    }
    expect(server.logs.filter((l) => l.msg === 'http.request.failed')).toEqual([]);
  });
});

describe('callbacks that hold a complaint', () => {
  it('are shown to supervisors only, and only they can mark them done', async () => {
    const server = await startTestServer({ AGENT_ACCOUNTS_FILE: await accountsFile() }, {}, sunday());
    try {
      const client = await SocketClient.open(server.url);
      await client.hello();
      const say = async (id: string, text: string) => {
        client.send({ type: 'message', id, text });
        return client.replyTo(id);
      };
      expect((await say('c1', 'tôi muốn khiếu nại cán bộ đòi tiền ngoài quy định')).suggestedActions).toContain(
        'Gửi phản ánh',
      );
      // Sent: nobody on duty on a Sunday, so the offer of a call back.
      expect((await say('c1b', 'Gửi phản ánh')).suggestedActions).toContain('Để lại lời nhắn');
      await say('c2', 'Để lại lời nhắn');
      await say('c3', 'Cán bộ ở quầy số 5 đòi thêm 500 nghìn mới nhận hồ sơ');
      await say('c4', '0905 123 456');
      expect((await say('c5', 'Đồng ý')).text).toMatch(/gọi lại/);
      const lan = new AgentClient(server.url);
      await lan.login('lan', 'mat-khau-cua-lan');
      const hoa = new AgentClient(server.url);
      await hoa.login('hoa', 'mat-khau-cua-hoa');
      const forLan = (await (await lan.get('/agent/api/callbacks')).json()) as { tasks: unknown[] };
      expect(forLan.tasks).toEqual([]);
      const forHoa = (await (await hoa.get('/agent/api/callbacks')).json()) as {
        tasks: { id: string; queue: string; phone: string }[];
      };
      expect(forHoa.tasks).toHaveLength(1);
      expect(forHoa.tasks[0]).toMatchObject({ queue: 'supervisors', phone: '0905123456' });
      expect((await lan.post(`/agent/api/callbacks/${forHoa.tasks[0]!.id}/done`)).status).toBe(404);
      expect((await hoa.post(`/agent/api/callbacks/${forHoa.tasks[0]!.id}/done`)).status).toBe(200);
      client.close();
    } finally {
      await server.close();
    }
  });
});
