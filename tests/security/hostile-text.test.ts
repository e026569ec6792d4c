import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../../adapters/zalo/zalo-tokens.ts';
import { sanitiseText } from '../../src/text/sanitise-text.ts';
import type { TranscriptEntry } from '../../src/state/transcript.ts';
import { FakeGraphApi } from '../fakes/fake-graph-api.ts';
import { FakeZaloApi } from '../fakes/fake-zalo-api.ts';
import { MessengerWebhookDriver } from '../fakes/messenger-webhook-driver.ts';
import { ZaloWebhookDriver, newZaloId } from '../fakes/zalo-webhook-driver.ts';
import { workingMorning } from '../helpers/handoff.ts';
import { REDIS_URL, redisPrefixes } from '../helpers/redis.ts';
import { SocketClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { hostileText } from '../helpers/hostile-text.ts';

const APP_SECRET = 'facebook-app-secret-for-tests';
const PAGE = '1010101010101010';
const PAGE_TOKEN = 'page-token-for-tests';
const ZALO_APP = '3104000000000000001';
const ZALO_SECRET = 'zalo-app-secret-for-tests';
const OA_SECRET = 'zalo-oa-secret-for-tests';
const RUNS = 15;
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/**
 * Random hostile text (lone surrogates, bidi overrides, controls, emoji, Vietnamese) through every
 * channel's real entry into Redis and back: each message is kept, cleaned the same way whatever
 * the channel, and the bot answers it; nothing is lost and nothing crashes.
 */
describe('hostile text through every channel into Redis', () => {
  const clock = workingMorning();
  // Before the server's hooks: its keys are deleted once it has closed.
  const prefix = redisPrefixes()();
  let graph: FakeGraphApi;
  let zalo: FakeZaloApi;
  let server: TestServer;
  let meta: MessengerWebhookDriver;
  let oa: ZaloWebhookDriver;

  beforeAll(async () => {
    graph = await FakeGraphApi.start({ pageId: PAGE, pageAccessToken: PAGE_TOKEN, now: clock });
    zalo = await FakeZaloApi.start({ appId: ZALO_APP, appSecret: ZALO_SECRET, now: clock });
    const redis = new Redis(REDIS_URL);
    const pair = zalo.issueTokens();
    await new RedisTokenStore(redis, prefix).write({ ...pair, expiresAt: clock() + 3600_000, version: 1 });
    await redis.quit();
    server = await startTestServer(
      {
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        FACEBOOK_APP_SECRET: APP_SECRET,
        FACEBOOK_VERIFY_TOKEN: 'verify-token-for-tests',
        FACEBOOK_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
        FACEBOOK_GRAPH_URL: graph.url,
        ZALO_APP_ID: ZALO_APP,
        ZALO_APP_SECRET: ZALO_SECRET,
        ZALO_OA_SECRET_KEY: OA_SECRET,
        ZALO_OPENAPI_URL: zalo.url,
        ZALO_OAUTH_URL: zalo.url,
      },
      {},
      clock,
      // Not a test of the limits: each sample is a burst of its own.
      {
        limits: {
          'webchat.message.conversation': { points: 1000, seconds: 1 },
          'webchat.conversation.address': { points: 1000, seconds: 1 },
        },
      },
    );
    meta = new MessengerWebhookDriver({
      webhookUrl: `${server.url}/webhooks/facebook`,
      appSecret: APP_SECRET,
      pageId: PAGE,
    });
    oa = new ZaloWebhookDriver({
      webhookUrl: `${server.url}/webhooks/zalo`,
      appId: ZALO_APP,
      oaSecretKey: OA_SECRET,
      oaId: '388613280878808645',
      now: clock,
    });
  });
  afterAll(async () => {
    await server?.close();
    await graph?.close();
    await zalo?.close();
  });

  /** The citizen's entry with this message id, once kept, and a bot entry after it. */
  async function kept(key: string, messageId: string): Promise<TranscriptEntry> {
    let entry: TranscriptEntry | undefined;
    await expect
      .poll(
        async () => {
          const entries = await server.assistant.transcript.read(key, 0);
          entry = entries.find((e) => e.messageId === messageId);
          return entry !== undefined && entries.some((e) => e.from === 'bot' && e.seq > entry!.seq);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    return entry!;
  }

  function expectClean(entry: TranscriptEntry, raw: string): void {
    expect(entry.text).toBe(sanitiseText(raw));
    expect(entry.text.isWellFormed()).toBe(true);
    expect(FORBIDDEN.test(entry.text)).toBe(false);
  }

  const nonEmpty = hostileText.filter((t) => sanitiseText(t) !== '');

  it('over the webchat socket', async () => {
    await fc.assert(
      fc.asyncProperty(nonEmpty, async (raw) => {
        const client = await SocketClient.open(server.url);
        const welcome = await client.hello();
        const id = randomUUID();
        client.send({ type: 'message', id, text: raw });
        expect(await client.next((f) => f.id === id)).toMatchObject({ type: 'ack' });
        expectClean(await kept(`webchat:${welcome.conversationId as string}`, id), raw);
        client.close();
      }),
      { numRuns: RUNS },
    );
  });

  it('over the webchat HTTP fallback', async () => {
    await fc.assert(
      fc.asyncProperty(nonEmpty, async (raw) => {
        const { conversationId, token } = (await (
          await fetch(`${server.url}/webchat/v1/conversations`, { method: 'POST' })
        ).json()) as { conversationId: string; token: string };
        const id = randomUUID();
        const res = await fetch(`${server.url}/webchat/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ id, text: raw }),
        });
        expect(res.status).toBe(200);
        expectClean(await kept(`webchat:${conversationId}`, id), raw);
      }),
      { numRuns: RUNS },
    );
  });

  it('over the Messenger webhook', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(nonEmpty, async (raw) => {
        const psid = `27${String(Date.now()).slice(-8)}${String((n += 1)).padStart(6, '0')}`;
        const mid = `m_${randomUUID()}`;
        const [delivery] = await meta.deliver([meta.text(psid, raw, { mid, timestamp: clock() })]);
        expect(delivery!.status).toBe(200);
        expectClean(await kept(`facebook:${psid}`, mid), raw);
      }),
      { numRuns: RUNS },
    );
  });

  it('over the Zalo webhook', async () => {
    await fc.assert(
      fc.asyncProperty(nonEmpty, async (raw) => {
        const user = newZaloId();
        const msgId = randomUUID().replaceAll('-', '');
        const [delivery] = await oa.deliver({ ...oa.text(user, raw, { msgId }), timestamp: String(clock()) });
        expect(delivery!.status).toBe(200);
        expectClean(await kept(`zalo:${user}`, msgId), raw);
      }),
      { numRuns: RUNS },
    );
  });
});
