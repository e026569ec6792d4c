import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RedisAccountStore } from '../../src/staff/agent-accounts.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';
import { serverProcesses } from '../helpers/processes.ts';
import { REDIS_URL, redisConnections, redisPrefixes } from '../helpers/redis.ts';
import { SocketClient } from '../helpers/server.ts';

const demo = (
  JSON.parse(readFileSync(`${KNOWLEDGE_DIR}/demo-dossiers.json`, 'utf8')) as {
    dossiers: { code: string; applicant: { phoneLast4: string } }[];
  }
).dossiers;

/** An attacker's browser tab: one conversation, from one address, on one server process. */
async function tab(url: string, address: string): Promise<SocketClient> {
  const client = await SocketClient.open(url, address);
  await client.hello();
  await client.next((f) => f.type === 'message');
  return client;
}

let sent = 0;
/** Sends a message and resolves with the bot's next answer. */
async function say(client: SocketClient, text: string): Promise<string> {
  const id = `m${(sent += 1)}`;
  client.send({ type: 'message', id, text });
  return (await client.replyTo(id)).text;
}

const LOCKED = /chưa thể cho xem chi tiết/;

/**
 * The attacks of the security review, against two `npm start` processes on one Redis: every limit
 * must hold for the pair as it holds for one.
 */
describe('limits shared by two server processes on one Redis', () => {
  // Before the processes: their keys are deleted once they have stopped.
  const prefix = redisPrefixes()();
  const redis = redisConnections();
  const urls = serverProcesses(2, async () => {
    await new RedisAccountStore(redis(), prefix).put('hoa', 'supervisor', 'mat-khau-cua-hoa', 'Lê Thị Hoa');
    // One proxy hop in front, as behind nginx: X-Forwarded-For names the client.
    return { REDIS_URL, REDIS_KEY_PREFIX: prefix, TRUST_PROXY: '1' };
  });

  it('locks a dossier code after 3 wrong phone digits, whatever the process, conversation or re-sent code, for at least 15 minutes', async () => {
    const [a, b] = urls as [string, string];
    const target = demo[0]!;
    const attacker = '127.9.0.1';
    const guesses = ['0000', '1111', '2222', '3333', '4444', '5555'].filter((g) => g !== target.applicant.phoneLast4);
    let locked = 0;
    // Each guess from a fresh conversation, alternating processes, re-sending the code first.
    for (const [i, guess] of guesses.entries()) {
      const client = await tab(i % 2 === 0 ? a : b, attacker);
      expect(await say(client, target.code)).toContain(target.code);
      if (LOCKED.test(await say(client, guess))) locked += 1;
      client.close();
    }
    // Three tries were taken; every one after them found the code locked.
    expect(locked).toBe(guesses.length - 2);
    // The owner's own digits no longer open it either, on either process: the lock is the code's.
    for (const url of [a, b]) {
      const client = await tab(url, '127.9.0.2');
      expect(await say(client, target.code)).toMatch(LOCKED);
      expect(await say(client, target.applicant.phoneLast4)).toMatch(LOCKED);
      client.close();
    }
    // And it stays locked for at least 15 minutes from now.
    const keys = await redis().keys(`${prefix}limit:dossier.verify.code:*`);
    expect(keys.length).toBeGreaterThan(0);
    const ttls = await Promise.all(keys.map((k) => redis().pttl(k)));
    expect(Math.max(...ttls)).toBeGreaterThan(15 * 60_000);
  });

  it('caps dossier look-ups from one address, however many conversations it makes on either process', async () => {
    const [a, b] = urls as [string, string];
    const attacker = '127.9.1.1';
    let served = 0;
    let refused = 0;
    let conversations = 0;
    // 20 conversations × 3 invented codes, alternating processes: 60 look-ups asked.
    for (let c = 0; c < 20; c += 1) {
      let client: SocketClient;
      try {
        client = await tab(c % 2 === 0 ? a : b, attacker);
      } catch {
        continue;
      }
      conversations += 1;
      for (let k = 0; k < 3; k += 1) {
        const code = `000.00.12.H34-2611${String(c + 1).padStart(2, '0')}-${String(1000 + k)}`;
        const answer = await say(client, code);
        if (/tra cứu nhiều lần quá/.test(answer)) refused += 1;
        else if (/không tìm thấy hồ sơ/.test(answer)) served += 1;
      }
      client.close();
    }
    expect(conversations).toBe(20);
    expect(served + refused).toBe(60);
    expect(served).toBeLessThanOrEqual(30);
  });

  it('lets at most the limit of 200 concurrent wrong passwords reach the password check, over both processes', async () => {
    const [a, b] = urls as [string, string];
    const tries = Array.from({ length: 200 }, (_, i) =>
      fetch(`${i % 2 === 0 ? a : b}/agent/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
        body: JSON.stringify({ username: 'hoa', password: `doan-mo-${i}` }),
      }).then((r) => r.status),
    );
    const statuses = await Promise.all(tries);
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBe(200 - checked);
  });

  it('caps an account over every address: a client that writes its own X-Forwarded-For gains nothing past 10', async () => {
    const [a, b] = urls as [string, string];
    const accounts = new RedisAccountStore(redis(), prefix);
    await accounts.put('lan', 'agent', 'mat-khau-cua-lan', 'Nguyễn Thị Lan');
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${i % 2 === 0 ? a : b}/agent/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` },
          body: JSON.stringify({ username: 'lan', password: `doan-mo-${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(90);
  });

  it('counts the messages of one conversation over all its tabs on both processes', async () => {
    const [a, b] = urls as [string, string];
    const first = await SocketClient.open(a, '127.9.2.1');
    const welcome = await first.hello();
    const tabs = [first];
    for (let i = 1; i < 10; i += 1) {
      const client = await SocketClient.open(i % 2 === 0 ? a : b, '127.9.2.1');
      await client.hello(welcome.token as string);
      tabs.push(client);
    }
    // Ten tabs, eight messages each, at once.
    tabs.forEach((t, i) => {
      for (let k = 0; k < 8; k += 1) t.send({ type: 'message', id: `t${i}-${k}`, text: `giờ làm việc ${k}` });
    });
    const outcomes = await Promise.all(
      tabs.flatMap((t, i) =>
        Array.from({ length: 8 }, (_, k) =>
          t.next((f) => (f.type === 'ack' || f.type === 'error') && f.id === `t${i}-${k}`, 15_000),
        ),
      ),
    );
    const acked = outcomes.filter((f) => f.type === 'ack').length;
    // 1 a second plus a burst of 7: a second or two of sending at most.
    expect(acked).toBeLessThanOrEqual(12);
    expect(outcomes.filter((f) => f.type === 'error' && f.code === 'rate_limited').length).toBe(80 - acked);
    for (const t of tabs) t.close();
  });
});
