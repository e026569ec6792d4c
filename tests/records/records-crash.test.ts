import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startServer, waitForLogEvent } from '../helpers/processes.ts';
import { freshSchema, POSTGRES_URL } from '../helpers/postgres.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { REDIS_URL, redisPrefixes } from '../helpers/redis.ts';

const prefix = redisPrefixes();

interface Entry {
  seq: number;
  from: string;
  text: string;
}

/**
 * Kill -9 right after the citizen got the reply, then start again: the reply is in the transcript and
 * in the records exactly once. Real server processes, a real Redis and a real PostgreSQL.
 */
describe('a server killed right after a reply', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps the reply in the transcript and the records, once each', async () => {
    const schema = await freshSchema();
    cleanups.push(schema.drop);
    const keys = prefix();
    // The first server reaches PostgreSQL through a relay the test cuts before the message: its
    // writer cannot write the reply, so the restarted server must take it over from the outbox.
    const relay = await new TcpProxy(
      new URL(POSTGRES_URL).port === '' ? 5432 : Number(new URL(POSTGRES_URL).port),
    ).start();
    cleanups.push(() => relay.cut());
    const relayed = new URL(schema.url);
    relayed.port = String(relay.port);
    const env = {
      REDIS_URL,
      REDIS_KEY_PREFIX: keys,
      DATABASE_URL: schema.url,
      RECORDS_CLAIM_IDLE_MS: '300',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const first = startServer({ ...env, DATABASE_URL: relayed.toString() });
    let firstErr = '';
    first.stderr.on('data', (d: Buffer) => (firstErr += d.toString()));
    const url = String(
      (
        await waitForLogEvent(first, 'server.started').catch((err: unknown) => {
          throw new Error(`${String(err)}: ${firstErr}`);
        })
      ).url,
    );
    const { conversationId, token } = (await (
      await fetch(`${url}/webchat/v1/conversations`, { method: 'POST' })
    ).json()) as {
      conversationId: string;
      token: string;
    };
    const auth = { authorization: `Bearer ${token}` };
    await relay.cut();
    const sent = await fetch(`${url}/webchat/v1/messages`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'm1', text: 'lam lai can cuoc mat bao nhieu tien' }),
    });
    expect(sent.status).toBe(200);
    // The citizen's page polls until the reply is there: that is "the citizen got it".
    let reply: Entry | undefined;
    for (let i = 0; i < 200 && reply === undefined; i += 1) {
      const { entries } = (await (await fetch(`${url}/webchat/v1/messages?after=0`, { headers: auth })).json()) as {
        entries: Entry[];
      };
      reply = entries.find((e) => e.from === 'bot' && /phí|đồng/u.test(e.text));
      if (reply === undefined) await new Promise((r) => setTimeout(r, 25));
    }
    expect(reply).toBeDefined();
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const pending = await new Redis(REDIS_URL).xlen(`${keys}records:outbox`);
    expect(pending).toBeGreaterThan(0);
    const second = startServer(env);
    cleanups.push(async () => {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    });
    let stderr = '';
    second.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitForLogEvent(second, 'server.started').catch((err: unknown) => {
      throw new Error(`${String(err)}: ${stderr}`);
    });

    const conversation = `webchat:${conversationId}`;
    const db = new pg.Client({ connectionString: schema.url });
    await db.connect();
    cleanups.push(() => db.end());
    // The restarted server's writer empties the outbox: wait until the stream is empty.
    const redis = new Redis(REDIS_URL);
    cleanups.push(async () => void (await redis.quit()));
    for (let i = 0; i < 400 && (await redis.xlen(`${keys}records:outbox`)) > 0; i += 1)
      await new Promise((r) => setTimeout(r, 25));
    expect(await redis.xlen(`${keys}records:outbox`)).toBe(0);

    const rows = await db.query<{ seq: number; speaker: string; text: string }>(
      'select seq, speaker, text from transcript_entries where conversation = $1 order by seq',
      [conversation],
    );
    expect(rows.rows.filter((r) => r.text === reply!.text)).toHaveLength(1);
    expect(rows.rows.find((r) => r.seq === reply!.seq)?.speaker).toBe('bot');
    const transcript = (await redis.lrange(`${keys}transcript:${conversation}:entries`, 0, -1)).map(
      (j) => JSON.parse(j) as Entry,
    );
    expect(transcript.filter((e) => e.text === reply!.text)).toHaveLength(1);
  }, 90_000);
});
