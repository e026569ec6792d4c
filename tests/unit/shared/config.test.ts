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

  it('takes TRUST_PROXY as proxy hops or addresses, never plain true', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    for (const wrong of ['true', 'nginx', '10.0.0.999']) {
      expect(() => loadConfig({ TRUST_PROXY: wrong })).toThrow(ConfigError);
    }
    try {
      loadConfig({ TRUST_PROXY: 'true' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toMatch(/TRUST_PROXY: .*number of proxies/);
    }
  });

  it('takes WEBCHAT_ALLOWED_ORIGINS as origins or *', () => {
    expect(loadConfig({}).webchatAllowedOrigins).toBe('*');
    expect(
      loadConfig({ WEBCHAT_ALLOWED_ORIGINS: 'https://a.gov.vn, http://localhost:8080' }).webchatAllowedOrigins,
    ).toEqual(['https://a.gov.vn', 'http://localhost:8080']);
    expect(() => loadConfig({ WEBCHAT_ALLOWED_ORIGINS: 'https://a.gov.vn/page' })).toThrow(ConfigError);
  });
});
