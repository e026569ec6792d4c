import { afterAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/assistant.ts';
import { testAssistant } from '../../helpers/assistant.ts';
import { REDIS_URL, redisPrefixes } from '../../helpers/redis.ts';

// Before the hook that closes the assistants: its keys are deleted after they are closed.
const newPrefix = redisPrefixes();
const opened: Assistant[] = [];
afterAll(async () => {
  for (const a of opened) await a.close();
});

describe('conversation state in Redis (REDIS_URL set)', () => {
  it('lets a second server process continue the conversation the first one started', async () => {
    const prefix = newPrefix();
    const first = await testAssistant({ redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    const second = await testAssistant({ redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    opened.push(first, second);
    await first.chat('zalo-user-1', 'làm lý lịch tư pháp cần gì');
    const followUp = await second.chat('zalo-user-1', 'phí bao nhiêu');
    expect(followUp.outcome).toMatchObject({ intent: 'procedure_fee', procedure: '3.000333' });
  });

  it('applies every turn when two processes take turns of one conversation at the same moment', async () => {
    const prefix = newPrefix();
    const first = await testAssistant({ redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    const second = await testAssistant({ redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    opened.push(first, second);
    const turns = 12;
    await Promise.all(
      Array.from({ length: turns }, (_, i) => (i % 2 ? first : second).chat('webchat-c', i % 3 ? 'chào ad' : 'cảm ơn')),
    );
    const state = await first.store.load('cli:webchat-c');
    expect(state.turns).toBe(turns);
  });
});
