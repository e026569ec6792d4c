import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Dossier, FakeOneStop } from './fake-one-stop.ts';

const TOKEN = 'one-stop-test-token';
/** "Today" of this project's tests: 2026-11-30 09:00 Asia/Ho_Chi_Minh; overdue is judged against its local date. */
const TODAY = '2026-11-30';

const STATUSES = [
  'received',
  'processing',
  'additional_documents_requested',
  'ready_for_pickup',
  'sent_by_post',
  'cancelled',
] as const;
const localDate = z.iso.date();
const instant = z.iso.datetime({ offset: true });

/** The 200 shape of adapters/one-stop/one-stop-api.openapi.yaml; strict, because any extra field could leak personal data. */
const DossierSchema = z.strictObject({
  code: z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.H34-\d{6}-\d{4}$/),
  procedure: z.strictObject({ code: z.string().regex(/^\d\.\d{6}$/), name: z.string().min(1) }),
  status: z.enum(STATUSES),
  statusUpdatedAt: instant,
  receivedAt: instant,
  dueDate: localDate,
  newDueDate: localDate.optional(),
  department: z.string().min(1).optional(),
  additionalDocuments: z
    .strictObject({ items: z.array(z.string().min(1)).min(1), deadline: localDate.optional() })
    .optional(),
  pickup: z.strictObject({ place: z.string().min(1), bring: z.array(z.string().min(1)).optional() }).optional(),
  postal: z
    .strictObject({
      carrier: z.string().min(1),
      trackingNumber: z.string().min(1).optional(),
      trackingUrl: z.url().optional(),
    })
    .optional(),
  cancellation: z.strictObject({ reason: z.string().min(1) }).optional(),
  applicant: z.strictObject({ name: z.string().min(1), phoneLast4: z.string().regex(/^\d{4}$/) }),
});
type ParsedDossier = z.infer<typeof DossierSchema>;

const demoFile = JSON.parse(readFileSync(new URL('../../knowledge/demo-dossiers.json', import.meta.url), 'utf8')) as {
  $comment: string;
  demo: boolean;
  dossiers: Dossier[];
};
const demo = demoFile.dossiers;

const demoByStatus = (status: (typeof STATUSES)[number]): Dossier => {
  const d = demo.find((x) => x.status === status);
  if (!d) throw new Error(`no demo dossier with status ${status}`);
  return d;
};
const codeOf = (d: Dossier): string => d.code as string;

describe('knowledge/demo-dossiers.json', () => {
  // Invalid ones are left out here and reported by the shape test, rather than breaking the whole suite's collection.
  const parsed: ParsedDossier[] = demo.flatMap((d) => {
    const r = DossierSchema.safeParse(d);
    return r.success ? [r.data] : [];
  });
  const isOverdue = (d: ParsedDossier) => (d.status === 'processing' || d.status === 'received') && d.dueDate < TODAY;

  it('is marked as demo data', () => {
    expect(demoFile.demo).toBe(true);
    expect(demoFile.$comment).toMatch(/^DỮ LIỆU MẪU \/ DEMO DATA/);
    expect(demo.length).toBeGreaterThanOrEqual(8);
  });

  it('has every dossier in the contract shape, with unique codes dated by their receipt', () => {
    for (const d of demo) {
      const result = DossierSchema.safeParse(d);
      expect(result.success, `${String(d.code)}: ${result.error?.message}`).toBe(true);
    }
    expect(new Set(parsed.map((d) => d.code.toUpperCase())).size).toBe(parsed.length);
    for (const d of parsed) {
      const yymmdd = d.code.split('-')[1];
      expect(`20${yymmdd?.slice(0, 2)}-${yymmdd?.slice(2, 4)}-${yymmdd?.slice(4, 6)}`, d.code).toBe(
        d.receivedAt.slice(0, 10),
      );
      expect(d.receivedAt <= d.statusUpdatedAt, d.code).toBe(true);
      expect(d.dueDate > d.receivedAt.slice(0, 10), d.code).toBe(true);
    }
  });

  it('covers every status at least once', () => {
    expect(new Set(parsed.map((d) => d.status))).toEqual(new Set(STATUSES));
  });

  it('has the cases the lookup must word differently', () => {
    const overdue = parsed.filter(isOverdue);
    expect(overdue.some((d) => d.status === 'processing' && d.newDueDate !== undefined && d.newDueDate > TODAY)).toBe(
      true,
    );
    expect(overdue.some((d) => d.newDueDate === undefined)).toBe(true);
    // Everything else is due after today, so "late" can only come from the overdue ones above.
    for (const d of parsed.filter((x) => !isOverdue(x))) expect(d.dueDate > TODAY, d.code).toBe(true);

    expect(
      parsed.some(
        (d) =>
          d.status === 'additional_documents_requested' &&
          d.additionalDocuments?.items.length === 2 &&
          d.additionalDocuments.deadline !== undefined,
      ),
    ).toBe(true);
    expect(parsed.some((d) => d.status === 'sent_by_post' && d.postal?.trackingNumber !== undefined)).toBe(true);
    expect(parsed.some((d) => d.status === 'cancelled' && d.cancellation !== undefined)).toBe(true);
    expect(parsed.some((d) => d.status === 'ready_for_pickup' && d.pickup !== undefined)).toBe(true);
  });
});

describe('FakeOneStop', () => {
  let fake: FakeOneStop;
  beforeAll(async () => {
    fake = await FakeOneStop.start({ token: TOKEN, dossiers: demo });
  });
  afterAll(() => fake.close());

  const get = async (
    code: string,
    opts: { token?: string | null; authorization?: string; method?: string; path?: string; timeoutMs?: number } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (opts.authorization !== undefined) headers.authorization = opts.authorization;
    else if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
    const res = await fetch(`${fake.url}${opts.path ?? `/dossiers/${encodeURIComponent(code)}`}`, {
      method: opts.method ?? 'GET',
      headers,
      ...(opts.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(opts.timeoutMs) }),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const getJson = async (code: string, opts: Parameters<typeof get>[1] = {}) => {
    const res = await get(code, opts);
    return { ...res, body: JSON.parse(res.text) as Record<string, unknown> };
  };
  /** The request fails on the client side (aborted or dropped): what a lookup sees of a hung backend. */
  const expectNoAnswer = (p: Promise<unknown>) => expect(p).rejects.toThrow();

  it('answers 200 with the dossier in the contract shape', async () => {
    const dossier = demoByStatus('processing');
    const res = await getJson(codeOf(dossier));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(dossier);
    expect(DossierSchema.safeParse(res.body).success).toBe(true);
    expect(fake.requests.at(-1)).toEqual({ code: codeOf(dossier), status: 200, at: expect.any(Number) });
  });

  it('decodes the code and matches it case-insensitively, ignoring spaces', async () => {
    const dossier = demoByStatus('received');
    const typed = ` ${codeOf(dossier).toLowerCase().replace(/-/g, ' - ')} `;
    const res = await getJson(typed);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(codeOf(dossier));
    expect(fake.requests.at(-1)?.code).toBe(typed);
  });

  it('answers 401 unless the right bearer token is sent', async () => {
    const code = codeOf(demoByStatus('received'));
    for (const opts of [
      { token: null },
      { token: 'wrong-token' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: TOKEN },
    ]) {
      const res = await getJson(code, opts);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(fake.requests.at(-1)?.status).toBe(401);
  });

  it('answers 404 for unknown dossiers and other paths, 405 for other methods', async () => {
    expect(await getJson('000.00.12.H34-261130-9999')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await getJson('', { path: '/dossiers/%E0%A4%A' })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    for (const path of [
      '/',
      '/dossiers',
      '/dossiers/',
      `/dossiers/${codeOf(demo[0]!)}/history`,
      `/v1/dossiers/${codeOf(demo[0]!)}`,
    ]) {
      expect((await get('', { path })).status, path).toBe(404);
    }
    expect(fake.requests.at(-1)?.code).toBe('');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await getJson(codeOf(demo[0]!), { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
    }
  });

  it('error500: the next requests answer 500, then normally again', async () => {
    const code = codeOf(demo[0]!);
    fake.misbehave(2, 'error500');
    expect((await get(code)).status).toBe(500);
    expect((await get(code)).status).toBe(500);
    expect((await get(code)).status).toBe(200);
    expect(fake.requests.slice(-3).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    const code = codeOf(demo[0]!);
    fake.misbehave(1, 'malformed');
    const res = await get(code);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
    expect((await get(code)).status).toBe(200);
  });

  it('wrong-shape: 200 JSON without the required fields', async () => {
    const code = codeOf(demo[0]!);
    fake.misbehave(1, 'wrong-shape');
    const res = await getJson(code);
    expect(res.status).toBe(200);
    expect(DossierSchema.safeParse(res.body).success).toBe(false);
    expect(res.body).not.toHaveProperty('status');
    expect(DossierSchema.safeParse((await getJson(code)).body).success).toBe(true);
  });

  it('timeout: no answer within ms (the client gives up), then the connection is dropped', async () => {
    const code = codeOf(demo[0]!);
    fake.misbehave(1, 'timeout', 2_000);
    const started = Date.now();
    await expectNoAnswer(get(code, { timeoutMs: 150 }));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(fake.requests.at(-1)).toMatchObject({ code, status: 0 });

    // A client with no timeout of its own still gets an error once `ms` has passed, not a hang.
    fake.misbehave(1, 'timeout', 200);
    const t0 = Date.now();
    await expectNoAnswer(get(code));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);

    expect((await get(code)).status).toBe(200);
  });

  it('slow: answers correctly, but only after ms', async () => {
    const dossier = demoByStatus('sent_by_post');
    fake.misbehave(1, 'slow', 300);
    const t0 = Date.now();
    const res = await getJson(codeOf(dossier));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(res).toMatchObject({ status: 200, body: dossier });

    fake.misbehave(1, 'slow', 1_000);
    await expectNoAnswer(get(codeOf(dossier), { timeoutMs: 100 }));
  });

  it('down/recover: every request fails until recover(), queued misbehaviours are then dropped', async () => {
    const code = codeOf(demo[0]!);
    fake.down('error500');
    fake.misbehave(1, 'malformed');
    for (let i = 0; i < 3; i++) expect((await get(code)).status).toBe(500);
    // Even a request that would be refused fails like a dead backend: it never got that far.
    expect((await get(code, { token: null })).status).toBe(500);

    fake.down('timeout');
    await expectNoAnswer(get(code, { timeoutMs: 150 }));
    await expectNoAnswer(get(code, { timeoutMs: 150 }));
    expect(fake.requests.slice(-2).map((r) => r.status)).toEqual([0, 0]);

    fake.recover();
    const res = await getJson(code);
    expect(res.status).toBe(200);
    expect(DossierSchema.safeParse(res.body).success).toBe(true);
  });

  it('put() adds a dossier and replaces one by code, keeping its own copy', async () => {
    const before = demoByStatus('processing');
    const ready: Dossier = {
      ...structuredClone(before),
      status: 'ready_for_pickup',
      statusUpdatedAt: '2026-11-30T10:00:00+07:00',
      pickup: {
        place: 'Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh',
        bring: ['Giấy tiếp nhận hồ sơ và hẹn trả kết quả', 'Căn cước'],
      },
    };
    delete ready.department;
    fake.put(ready);
    expect((await getJson(codeOf(before))).body).toEqual(ready);

    // Same dossier, code typed differently: still a replacement, not a second dossier.
    fake.put({ ...ready, code: codeOf(before).toLowerCase(), status: 'sent_by_post' });
    expect((await getJson(codeOf(before))).body.status).toBe('sent_by_post');

    ready.status = 'cancelled';
    expect((await getJson(codeOf(before))).body.status).toBe('sent_by_post');

    const added = { ...structuredClone(before), code: '000.00.12.H34-261130-0042' };
    fake.put(added);
    expect((await getJson(added.code)).body).toEqual(added);

    expect(() => fake.put({ status: 'received' })).toThrow();
    fake.put(before);
  });

  it('close() ends requests still held', async () => {
    const other = await FakeOneStop.start({ token: TOKEN, dossiers: demo });
    other.misbehave(1, 'timeout');
    const hanging = fetch(`${other.url}/dossiers/${encodeURIComponent(codeOf(demo[0]!))}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await expect.poll(() => other.requests.length).toBe(1);
    const t0 = Date.now();
    await other.close();
    await expectNoAnswer(hanging);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});
