import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/shared/config.ts';

describe('loadConfig', () => {
  it('gives the embedded default with no variables set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, logLevel: 'info', redisUrl: undefined });
    expect(config.knowledgeDir).toMatch(/knowledge$/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '' }).port).toBe(3000);
  });

  it('reports every wrong variable at once', () => {
    try {
      loadConfig({ PORT: '99999', LOG_LEVEL: 'chatty', REDIS_URL: 'http://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/LOG_LEVEL/);
      expect(problems).toMatch(/REDIS_URL: must start with redis:\/\//);
    }
  });
});
