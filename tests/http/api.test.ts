import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/create-app.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { Assistant } from '../../src/assistant.ts';
import { testAssistant } from '../helpers/assistant.ts';
import { knowledgeBase } from '../helpers/knowledge.ts';

let server: Server;
let base: string;
let assistant: Assistant;

beforeAll(async () => {
  assistant = await testAssistant();
  const app = createApp({ knowledge: knowledgeBase(), logger: createLogger('silent'), parser: assistant.parser });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await assistant.close();
});

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

describe('POST /api/v1/parse', () => {
  const parse = async (body: unknown, raw?: string) => {
    const res = await fetch(`${base}/api/v1/parse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('returns the parse contract: intent, score, entities and the procedure', async () => {
    const { status, body } = await parse({ text: 'đổi gplx hết bao nhiêu tiền' });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['entities', 'intent', 'procedure', 'score', 'text']);
    expect(body.intent).toBe('procedure_fee');
    expect(body.procedure).toMatchObject({ code: '3.000347', name: 'Đổi giấy phép lái xe' });
    expect(body.entities).toContainEqual(expect.objectContaining({ type: 'procedure', value: '3.000347' }));
  });

  it('finds a dossier code typed in lower case with stray spaces', async () => {
    const { body } = await parse({ text: 'ho so 000.00.12.h34 - 231012-0001 sao roi' });
    expect(body.intent).toBe('dossier_status');
    expect(body.entities).toContainEqual(
      expect.objectContaining({ type: 'dossier_code', value: '000.00.12.H34-231012-0001', date: '2023-10-12' }),
    );
  });

  it('answers a missing, blank, non-string or oversized text with a clear 4xx', async () => {
    expect((await parse({})).status).toBe(400);
    expect((await parse({ text: '   ' })).body.error.code).toBe('CHAT_ERR_PARSE_TEXT_MISSING');
    expect((await parse({ text: 42 })).status).toBe(400);
    expect((await parse({ text: 'a'.repeat(2001) })).status).toBe(413);
    expect((await parse(null, '{"text": ')).body.error.code).toBe('CHAT_ERR_HTTP_MALFORMED_JSON');
  });

  it('parses emoji-only and control-character text without failing', async () => {
    for (const text of ['🎉🎉', '\u0000\u0007', '\uD800 lone surrogate']) {
      const { status, body } = await parse({ text });
      expect(status).toBe(200);
      expect(typeof body.intent).toBe('string');
    }
  });
});
