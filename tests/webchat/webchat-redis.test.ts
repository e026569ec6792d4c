import { describe, expect, it } from 'vitest';
import { REDIS_URL, redisPrefixes } from '../helpers/redis.ts';
import { SocketClient, startTestServer } from '../helpers/server.ts';

describe('webchat on Redis', () => {
  const newPrefix = redisPrefixes();

  it('keeps a conversation across a server restart: same token, history replayed, numbering continued', async () => {
    // No WEBCHAT_TOKEN_SECRET: the secret is made once and kept in Redis, like the conversation.
    const env = { REDIS_URL, REDIS_KEY_PREFIX: newPrefix() };
    const first = await startTestServer(env);
    const client = await SocketClient.open(first.url);
    const welcome = await client.hello();
    client.send({ type: 'message', id: 'before', text: 'cấp lại căn cước công dân cần gì' });
    await client.answered('before');
    const history = client.entries();
    client.close();
    await first.close();

    const second = await startTestServer(env);
    const back = await SocketClient.open(second.url);
    expect(await back.hello(welcome.token as string, 0)).toMatchObject({
      type: 'welcome',
      created: false,
      conversationId: welcome.conversationId,
    });
    await back.next((f) => f.type === 'message' && (f.entry as { seq: number }).seq === history.at(-1)!.seq);
    expect(back.entries()).toEqual(history);
    back.send({ type: 'message', id: 'after', text: 'lệ phí bao nhiêu' });
    const ack = await back.next((f) => f.type === 'ack');
    expect(ack.seq).toBe(history.at(-1)!.seq + 1);
    // The follow-up is answered in the context kept in Redis: the fee of the same procedure.
    const reply = await back.replyTo('after');
    expect(reply.text).toMatch(/căn cước/i);
    back.close();
    await second.close();
  });

  it('gives a tab that reconnects to another server instance on the same Redis the whole conversation', async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: newPrefix() };
    const [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
    const onA = await SocketClient.open(a.url);
    const welcome = await onA.hello();
    onA.send({ type: 'message', id: 'x', text: 'giờ làm việc' });
    await onA.answered('x');
    const onB = await SocketClient.open(b.url);
    await onB.hello(welcome.token as string, 0);
    await onB.next((f) => f.type === 'message' && (f.entry as { seq: number }).seq === onA.entries().at(-1)!.seq);
    expect(onB.entries()).toEqual(onA.entries());
    onA.close();
    onB.close();
    await Promise.all([a.close(), b.close()]);
  });
});
