import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedisAccountStore } from '../../src/staff/agent-accounts.ts';
import { AgentClient } from '../helpers/agent-client.ts';
import { serverProcesses } from '../helpers/processes.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';
import { REDIS_URL, redisConnections, redisPrefixes } from '../helpers/redis.ts';
import { SocketClient } from '../helpers/server.ts';

/**
 * The shipped knowledge, with staff on duty around the clock (an operator's own center.json and
 * holidays.json): these processes run on the real clock, whatever time CI runs.
 */
function alwaysStaffedKnowledge(): string {
  const dir = mkdtempSync(join(tmpdir(), 'knowledge-'));
  for (const name of readdirSync(KNOWLEDGE_DIR)) {
    if (name !== 'center.json' && name !== 'holidays.json') symlinkSync(join(KNOWLEDGE_DIR, name), join(dir, name));
  }
  const center = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'center.json'), 'utf8')) as Record<
    string,
    { value: Record<string, unknown> }
  >;
  const day = [['00:00', '23:59']];
  center.opening_hours!.value = {
    ...center.opening_hours!.value,
    mon: day,
    tue: day,
    wed: day,
    thu: day,
    fri: day,
    sat: day,
    sun: day,
  };
  writeFileSync(join(dir, 'center.json'), JSON.stringify(center));
  const holidays = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'holidays.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'holidays.json'), JSON.stringify({ ...holidays, holidays: [], workdays: [] }));
  return dir;
}

describe('two server processes sharing one Redis', () => {
  // Before the processes: their keys are deleted once they have stopped.
  const prefix = redisPrefixes()();
  const redis = redisConnections();
  const urls = serverProcesses(2, async () => {
    const accounts = new RedisAccountStore(redis(), prefix);
    await accounts.put('lan', 'agent', 'mat-khau-cua-lan', 'Nguyễn Thị Lan');
    await accounts.put('minh', 'agent', 'mat-khau-cua-minh', 'Trần Văn Minh');
    await accounts.put('hoa', 'agent', 'mat-khau-cua-hoa', 'Lê Thị Hoa');
    return { REDIS_URL, REDIS_KEY_PREFIX: prefix, KNOWLEDGE_DIR: alwaysStaffedKnowledge() };
  });

  it('count wrong passwords together: five spread over both processes lock the account on either', async () => {
    const [a, b] = urls as [string, string];
    for (const [url, times] of [
      [a, 3],
      [b, 2],
    ] as const) {
      for (let i = 0; i < times; i += 1) expect((await new AgentClient(url).login('hoa', 'doan-mo')).status).toBe(401);
    }
    for (const url of [a, b]) {
      const refused = await new AgentClient(url).login('hoa', 'mat-khau-cua-hoa');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    }
  });

  it('show one queue to agents on either; one claim wins; the agent on one answers the citizen on the other', async () => {
    const [a, b] = urls as [string, string];
    const lan = new AgentClient(b);
    const minh = new AgentClient(a);
    expect((await lan.login('lan', 'mat-khau-cua-lan')).status).toBe(200);
    expect((await minh.login('minh', 'mat-khau-cua-minh')).status).toBe(200);
    await Promise.all([lan.listen(), minh.listen()]);

    const citizen = await SocketClient.open(a);
    const welcome = await citizen.hello();
    const key = `webchat:${welcome.conversationId as string}`;
    citizen.send({ type: 'message', id: 'h1', text: 'Gặp cán bộ' });
    expect((await citizen.replyTo('h1')).text).toMatch(/vị trí số 1/);
    await expect.poll(() => lan.queue().map((c) => c.key), { timeout: 2000 }).toContain(key);
    await expect.poll(() => minh.queue().map((c) => c.key), { timeout: 2000 }).toContain(key);

    const path = `/agent/api/conversations/${encodeURIComponent(key)}/claim`;
    const [byLan, byMinh] = await Promise.all([lan.post(path), minh.post(path)]);
    expect([byLan.status, byMinh.status].sort()).toEqual([200, 409]);
    const winner = byLan.status === 200 ? lan : minh;
    await expect.poll(() => lan.queue().find((c) => c.key === key)?.status, { timeout: 2000 }).toBe('active');
    await expect.poll(() => minh.queue().find((c) => c.key === key)?.status, { timeout: 2000 }).toBe('active');

    // Whichever process the winner is on, the citizen's socket on A gets the reply.
    expect(
      (await winner.post(`/agent/api/conversations/${encodeURIComponent(key)}/reply`, { text: 'Dạ, em nghe ạ' }))
        .status,
    ).toBe(200);
    const reply = await citizen.next(
      (f) => f.type === 'message' && (f.entry as { from: string }).from === 'agent',
      5000,
    );
    expect((reply.entry as { text: string }).text).toBe('Dạ, em nghe ạ');
    // And the citizen's next message reaches the agent's console live.
    citizen.send({ type: 'message', id: 'h2', text: 'em cảm ơn' });
    await expect
      .poll(
        () =>
          winner.events.some((e) => e.event === 'entry' && (e.data.entry as { messageId?: string }).messageId === 'h2'),
        { timeout: 2000 },
      )
      .toBe(true);
    expect((await winner.post(`/agent/api/conversations/${encodeURIComponent(key)}/close`)).status).toBe(200);
    await citizen.next(
      (f) =>
        f.type === 'message' && (f.entry as { suggestedActions: string[] }).suggestedActions.includes('Rất hài lòng'),
      5000,
    );
    lan.stop();
    minh.stop();
    citizen.close();
  });
});
