import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/create-app.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { knowledgeBase } from '../helpers/knowledge.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = createApp({ knowledge: knowledgeBase(), logger: createLogger('silent') });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /healthz', () => {
  it('reports ok with the catalogue size', async () => {
    const { status, body } = await get('/healthz');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok' });
    expect(body.procedures).toBeGreaterThan(2000);
  });
});

describe('GET /api/v1/procedures/search', () => {
  it('returns ranked results in the CLI shape', async () => {
    const { status, body } = await get(`/api/v1/procedures/search?q=${encodeURIComponent('doi gplx')}&limit=2`);
    expect(status).toBe(200);
    expect(body.query).toBe('doi gplx');
    const results = body.results as { code: string; name: string; score: number }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(2);
    expect(results[0]).toEqual({ code: '3.000347', name: 'Đổi giấy phép lái xe', score: expect.any(Number) });
  });

  it('rejects a missing or blank query with a clear 400', async () => {
    for (const q of ['', '?q=', '?q=%20%20']) {
      const { status, body } = await get(`/api/v1/procedures/search${q}`);
      expect(status).toBe(400);
      expect(body).toEqual({ error: { code: 'CHAT_ERR_SEARCH_QUERY_MISSING', message: expect.any(String) } });
    }
  });

  it('rejects a 10 KB query with a clear 400', async () => {
    const { status, body } = await get(`/api/v1/procedures/search?q=${'a'.repeat(10_240)}`);
    expect(status).toBe(400);
    expect((body.error as { code: string }).code).toBe('CHAT_ERR_SEARCH_QUERY_TOO_LONG');
  });

  it('rejects a bad limit', async () => {
    for (const limit of ['0', '-1', 'abc', '1000', '2.5']) {
      const { status } = await get(`/api/v1/procedures/search?q=lltp&limit=${limit}`);
      expect(status).toBe(400);
    }
  });

  it('answers emoji-only, control characters and broken UTF-8 with an empty result', async () => {
    for (const q of ['%F0%9F%8E%89%F0%9F%8E%89', '%00%01%07', '%ED%A0%80', '%FF%FE']) {
      const { status, body } = await get(`/api/v1/procedures/search?q=${q}`);
      expect(status).toBe(200);
      expect(body.results).toEqual([]);
    }
  });

  it('treats a repeated q parameter as a bad request, not a crash', async () => {
    const { status } = await get('/api/v1/procedures/search?q=a&q=b');
    expect(status).toBe(400);
  });
});

describe('GET /api/v1/procedures/:code', () => {
  it('returns the full record', async () => {
    const { status, body } = await get('/api/v1/procedures/3.000347');
    expect(status).toBe(200);
    expect(body.code).toBe('3.000347');
    expect(body.channels).toEqual(expect.any(Array));
    expect(body.documents).toEqual(expect.any(Array));
    expect(body.sourceUrl).toMatch(/^https:\/\/dichvucong\.gov\.vn\//);
  });

  it('answers an unknown code with a JSON 404', async () => {
    const { status, body } = await get('/api/v1/procedures/9.999999');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'CHAT_ERR_PROCEDURE_NOT_FOUND', message: expect.any(String) } });
  });
});

describe('unknown routes and bodies', () => {
  it('answers an unknown route with a JSON 404', async () => {
    const { status, body } = await get('/nope');
    expect(status).toBe(404);
    expect((body.error as { code: string }).code).toBe('CHAT_ERR_ROUTE_NOT_FOUND');
  });

  it('answers malformed JSON with a 400', async () => {
    const res = await fetch(`${base}/api/v1/procedures/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"q": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CHAT_ERR_HTTP_MALFORMED_JSON');
  });
});
