import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisAccountStore } from '../../src/staff/agent-accounts.ts';
import { AgentClient } from '../helpers/agent-client.ts';
import { workingMorning } from '../helpers/handoff.ts';
import { REDIS_URL, redisConnections, redisPrefixes } from '../helpers/redis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const connect = redisConnections();
const prefix = redisPrefixes();

/** Every key under `keys` that names the conversation (state, transcript, callbacks, surveys, the queue). */
async function keysMentioning(redis: Redis, keys: string, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const key of await redis.keys(`${keys}*`)) {
    if (key.includes(id)) {
      found.push(key);
      continue;
    }
    const type = await redis.type(key);
    const value =
      type === 'string'
        ? await redis.get(key)
        : type === 'list'
          ? (await redis.lrange(key, 0, -1)).join('\n')
          : type === 'hash'
            ? JSON.stringify(await redis.hgetall(key))
            : type === 'stream'
              ? JSON.stringify(await redis.xrange(key, '-', '+'))
              : '';
    if (value?.includes(id)) found.push(key);
  }
  return found;
}

/** A citizen asks to be forgotten: after the supervisor deletes them, nothing of them is left anywhere. */
describe('erasing one citizen', () => {
  let server: TestServer;
  let redis: Redis;
  let keys: string;

  beforeAll(async () => {
    keys = prefix();
    redis = connect();
    await new RedisAccountStore(redis, keys).put('hoa', 'supervisor', 'mat-khau-cua-hoa', 'Lê Thị Hoa');
    server = await startTestServer({ REDIS_URL, REDIS_KEY_PREFIX: keys }, {}, workingMorning());
  });
  afterAll(async () => {
    await server?.close();
  });

  const chat = async (text: string, token: string) => {
    const res = await fetch(`${server.url}/webchat/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: crypto.randomUUID(), text }),
    });
    expect(res.status).toBe(200);
  };
  const start = async () =>
    (await (await fetch(`${server.url}/webchat/v1/conversations`, { method: 'POST' })).json()) as {
      conversationId: string;
      token: string;
    };

  it('leaves nothing of them in the transcript, the records or Redis, and keeps the others', async () => {
    const forgotten = await start();
    const kept = await start();
    await chat('lam lai can cuoc mat bao nhieu tien', forgotten.token);
    await chat('lam lai can cuoc mat bao nhieu tien', kept.token);
    await server.webchat.idle();
    await server.records.writer.flushed();
    const db = server.records.database.db;
    const keyOf = (c: { conversationId: string }) => `webchat:${c.conversationId}`;
    expect(
      (await db.selectFrom('transcript_entries').select('seq').where('conversation', '=', keyOf(forgotten)).execute())
        .length,
    ).toBeGreaterThan(1);
    expect(await keysMentioning(redis, keys, forgotten.conversationId)).not.toEqual([]);

    const hoa = new AgentClient(server.url);
    expect((await hoa.login('hoa', 'mat-khau-cua-hoa')).status).toBe(200);
    const exported = await hoa.post('/agent/api/records/citizen/export', {
      by: 'conversation',
      conversation: keyOf(forgotten),
    });
    expect(exported.status).toBe(200);
    const body = (await exported.json()) as { conversations: string[]; records: { transcript_entries: unknown[] } };
    expect(body.conversations).toEqual([keyOf(forgotten)]);
    expect(body.records.transcript_entries.length).toBeGreaterThan(1);

    const deleted = await hoa.post('/agent/api/records/citizen/delete', {
      by: 'conversation',
      conversation: keyOf(forgotten),
    });
    expect(deleted.status).toBe(200);
    await server.records.writer.flushed();

    for (const table of ['transcript_entries', 'turns', 'conversations'] as const) {
      const column = table === 'conversations' ? 'key' : 'conversation';
      expect(await db.selectFrom(table).select(column).where(column, '=', keyOf(forgotten)).execute()).toEqual([]);
      expect(
        (await db.selectFrom(table).select(column).where(column, '=', keyOf(kept)).execute()).length,
      ).toBeGreaterThan(0);
    }
    expect(await keysMentioning(redis, keys, forgotten.conversationId)).toEqual([]);
    expect(await keysMentioning(redis, keys, kept.conversationId)).not.toEqual([]);
    // The erasure itself is audited, without the conversation it erased.
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('action', '=', 'citizen.delete')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).not.toContain(forgotten.conversationId);
  });

  it('is for supervisors only', async () => {
    await new RedisAccountStore(redis, keys).put('lan', 'agent', 'mat-khau-cua-lan', 'Nguyễn Thị Lan');
    const lan = new AgentClient(server.url);
    await lan.login('lan', 'mat-khau-cua-lan');
    expect((await lan.post('/agent/api/records/citizen/delete', { by: 'phone', phone: '0905123456' })).status).toBe(
      403,
    );
    expect((await lan.get('/agent/api/records/dashboard')).status).toBe(403);
  });
});
