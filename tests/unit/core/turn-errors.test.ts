import { describe, expect, it } from 'vitest';
import { testAssistant } from '../../helpers/assistant.ts';
import { redisPrefixes } from '../../helpers/redis.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';

const newPrefix = redisPrefixes();

describe('a turn that fails', () => {
  it('answers with an apology and the hotline, never with developer text', async () => {
    // The real Redis behind a relay, then the relay cut: every state read fails.
    const proxy = await TcpProxy.redis();
    const assistant = await testAssistant({ redisUrl: proxy.url, redisKeyPrefix: newPrefix() });
    try {
      await proxy.cut();
      const { outcome, replies } = await assistant.chat('broken-1', 'làm lltp cần gì');
      expect(outcome).toBeUndefined();
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).toMatch(/^Dạ, em xin lỗi, hệ thống đang gặp sự cố/);
      expect(replies[0]!.text).toContain('đường dây nóng');
      expect(replies[0]!.text).not.toMatch(/Error|ECONNREFUSED|stack/);
    } finally {
      await assistant.close();
    }
  });
});
