import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant, type Assistant } from '../../src/assistant.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { FakeOneStop } from '../fakes/fake-one-stop.ts';
import { assistantConfig } from '../helpers/assistant.ts';
import { workingMorning } from '../helpers/handoff.ts';
import { KNOWLEDGE_DIR, knowledgeBase } from '../helpers/knowledge.ts';
import { runTs } from '../helpers/processes.ts';
import { SocketClient, startTestServer } from '../helpers/server.ts';
import { readFileSync } from 'node:fs';

const TOKEN = 'one-stop-token-for-tests';
const demo = (
  JSON.parse(readFileSync(`${KNOWLEDGE_DIR}/demo-dossiers.json`, 'utf8')) as { dossiers: Record<string, unknown>[] }
).dossiers;
const byStatus = (status: string, overdue?: boolean) =>
  demo.find((d) => d.status === status && (overdue === undefined || String(d.dueDate) < '2026-11-30' === overdue))! as {
    code: string;
    applicant: { name: string; phoneLast4: string };
    newDueDate?: string;
    dueDate: string;
  };

/** An assistant on the clock of a working morning, its log lines kept. */
async function assistantWith(
  dossier: Partial<ReturnType<typeof loadConfig>['dossier']> = {},
): Promise<{ assistant: Assistant; logs: string[] }> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const config = {
    ...assistantConfig(),
    dossier: {
      apiUrl: undefined,
      apiToken: undefined,
      timeoutMs: 3000,
      verifyPhone: true,
      pollSeconds: 300,
      ...dossier,
    },
  };
  return {
    assistant: await createAssistant(config, createLogger('info', sink), knowledgeBase(), workingMorning()),
    logs,
  };
}

const say = async (assistant: Assistant, conversation: string, text: string) => {
  const { outcome, replies } = await assistant.chat(conversation, text);
  return {
    intent: outcome?.intent,
    text: replies.map((r) => r.text).join('\n'),
    buttons: replies.at(-1)?.suggestedActions ?? [],
  };
};

describe('dossier lookup on the demo data', () => {
  let assistant: Assistant;
  let logs: string[];
  beforeAll(async () => {
    ({ assistant, logs } = await assistantWith());
  });
  afterAll(async () => {
    await assistant.close();
  });

  it('asks for the code, and says where it is printed, when none is given', async () => {
    const turn = await say(assistant, 'ask', 'cho em tra cứu hồ sơ');
    expect(turn.intent).toBe('dossier_status');
    expect(turn.text).toMatch(/phiếu hẹn/);
    expect(turn.text).toMatch(/000\.00\.12\.H34-231012-0001/);
  });

  it('gives the bare status for a code typed anyhow, the details only after the right 4 digits, with the name masked', async () => {
    const d = byStatus('additional_documents_requested');
    const typed = d.code.toLowerCase().replace(/-/g, ' - ');
    const first = await say(assistant, 'v1', `hồ sơ ${typed} sao rồi ad`);
    expect(first.intent).toBe('dossier_status');
    expect(first.text).toContain(d.code);
    expect(first.text).toMatch(/cần bổ sung giấy tờ/);
    expect(first.text).toMatch(/4 số cuối/);
    expect(first.text).toMatch(/dữ liệu mẫu/);
    expect(first.text).not.toContain(d.applicant.name.split(' ').at(-1)!);
    const wrong = await say(assistant, 'v1', d.applicant.phoneLast4 === '0000' ? '1111' : '0000');
    expect(wrong.text).toMatch(/chưa khớp/);
    const right = await say(assistant, 'v1', d.applicant.phoneLast4);
    expect(right.intent).toBe('dossier_status');
    const [family, ...rest] = d.applicant.name.split(' ');
    expect(right.text).toContain(`${family} ${rest.map((p) => `${p[0]}.`).join(' ')}`);
    expect(right.text).not.toContain(d.applicant.name);
    expect(right.text).toMatch(/\n1\. /);
    expect(right.buttons).toContain('Theo dõi hồ sơ');
    // Nothing personal in the logs: no code, name or digits.
    const logged = logs.join('');
    expect(logged).not.toContain(d.code);
    expect(logged).not.toContain(d.applicant.phoneLast4);
    expect(logged).not.toContain(family!);
  });

  it('locks the code after three wrong tries, for every conversation: re-sending the code does not reset it', async () => {
    // An assistant of its own: the lock is the code's, and would carry into the other tests.
    const { assistant: own, logs: ownLogs } = await assistantWith();
    try {
      const d = byStatus('ready_for_pickup');
      await say(own, 'v2', d.code);
      for (const digits of ['0001', '0002']) expect((await say(own, 'v2', digits)).text).toMatch(/chưa khớp/);
      expect((await say(own, 'v2', '0003')).text).toMatch(/chưa thể cho xem chi tiết/);
      expect((await say(own, 'v2', d.applicant.phoneLast4)).text).toMatch(/chưa thể cho xem chi tiết/);
      // The code again, in this conversation and in a new one: still locked, even with the right digits.
      for (const conversation of ['v2', 'v2-again']) {
        expect((await say(own, conversation, d.code)).text).toMatch(/chưa thể cho xem chi tiết/);
        expect((await say(own, conversation, d.applicant.phoneLast4)).text).toMatch(/chưa thể cho xem chi tiết/);
      }
      // The lock is noted where supervisors read the audit trail, without the code.
      const notices = ownLogs
        .join('')
        .split('\n')
        .filter((l) => l.includes('"dossier.code_locked"'));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain('"msg":"agent.action"');
      expect(notices[0]).not.toContain(d.code);
    } finally {
      await own.close();
    }
  });

  it('answers every status from the record, and apologises with the new date for a late dossier', async () => {
    const expectations: [string, boolean | undefined, RegExp][] = [
      ['received', undefined, /đã được tiếp nhận ngày/],
      ['processing', false, /đang được .+ giải quyết; hẹn trả kết quả ngày/],
      ['ready_for_pickup', undefined, /nhận tại: .+ mang theo:/],
      ['sent_by_post', undefined, /bưu điện.*mã vận đơn/],
      ['cancelled', undefined, /dừng giải quyết\. Lý do: ./],
    ];
    for (const [status, overdue, pattern] of expectations) {
      const d = byStatus(status, overdue);
      const conversation = `s-${status}`;
      await say(assistant, conversation, d.code);
      expect((await say(assistant, conversation, d.applicant.phoneLast4)).text).toMatch(pattern);
    }
    const late = demo.find((x) => x.newDueDate !== undefined && String(x.dueDate) < '2026-11-30')! as {
      code: string;
      applicant: { phoneLast4: string };
      newDueDate: string;
    };
    await say(assistant, 'late', late.code);
    const apology = await say(assistant, 'late', late.applicant.phoneLast4);
    const [y, m, day] = late.newDueDate.split('-');
    expect(apology.text).toMatch(/thành thật xin lỗi/);
    expect(apology.text).toContain(`Ngày hẹn mới là ${Number(day)}/${Number(m)}/${y}`);
    expect(apology.buttons).toContain('Gặp cán bộ');
    const noDate = demo.find(
      (x) => x.newDueDate === undefined && x.status === 'processing' && String(x.dueDate) < '2026-11-30',
    )! as { code: string; applicant: { phoneLast4: string } };
    await say(assistant, 'late2', noDate.code);
    expect((await say(assistant, 'late2', noDate.applicant.phoneLast4)).text).toMatch(/Cán bộ sẽ báo ngày hẹn mới/);
  });

  it('says so kindly when no dossier has the code', async () => {
    const turn = await say(assistant, 'nf', '000.00.12.H34-991231-9999');
    expect(turn.text).toMatch(/không tìm thấy hồ sơ/);
    expect(turn.buttons).toContain('Gặp cán bộ');
  });

  it('stops a sender trying code after code', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 7; i += 1)
      answers.push((await say(assistant, 'enum', `000.00.12.H34-261101-${String(i).padStart(4, '0')}`)).text);
    expect(answers.slice(0, 5).every((a) => /không tìm thấy/.test(a))).toBe(true);
    expect(answers.slice(5).every((a) => /nhiều lần quá/.test(a))).toBe(true);
  });
});

describe('dossier lookup against the one-stop system (a fake that misbehaves on purpose)', () => {
  let oneStop: FakeOneStop;
  let assistant: Assistant;
  beforeAll(async () => {
    oneStop = await FakeOneStop.start({ token: TOKEN, dossiers: demo });
    ({ assistant } = await assistantWith({ apiUrl: oneStop.url, apiToken: TOKEN, timeoutMs: 300 }));
  });
  afterAll(async () => {
    await assistant.close();
    await oneStop.close();
  });

  it('looks a dossier up over HTTP, sending the token', async () => {
    const d = byStatus('received');
    const turn = await say(assistant, 'h1', d.code);
    expect(turn.text).toMatch(/đã được tiếp nhận/);
    expect(turn.text).not.toMatch(/dữ liệu mẫu/);
    expect(oneStop.requests.at(-1)).toMatchObject({ code: d.code, status: 200 });
  });

  it('answers a timeout, a 500, malformed or wrong-shaped data with a kind message and a person to ask', async () => {
    const d = byStatus('received');
    for (const how of ['timeout', 'error500', 'malformed', 'wrong-shape'] as const) {
      oneStop.misbehave(1, how, 2000);
      const turn = await say(assistant, `f-${how}`, d.code);
      expect(turn.text).toMatch(/chưa kết nối được hệ thống một cửa/);
      expect(turn.buttons).toContain('Gặp cán bộ');
    }
    // Back to normal at once.
    expect((await say(assistant, 'f-ok', d.code)).text).toMatch(/đã được tiếp nhận/);
  });

  it('stops calling a dead backend (circuit breaker): turns stay fast and the backend gets no more calls', async () => {
    const d = byStatus('received');
    oneStop.down('timeout');
    try {
      for (let i = 0; i < 5; i += 1) await say(assistant, `dead-${i}`, d.code);
      const calls = oneStop.requests.length;
      const started = performance.now();
      const turn = await say(assistant, 'dead-after', d.code);
      expect(turn.text).toMatch(/chưa kết nối được/);
      expect(performance.now() - started).toBeLessThan(250);
      expect(oneStop.requests.length).toBe(calls);
    } finally {
      oneStop.recover();
    }
  });
});

describe('following a dossier', () => {
  it('tells the citizen on their channel when the one-stop system changes it', async () => {
    const oneStop = await FakeOneStop.start({ token: TOKEN, dossiers: demo });
    const server = await startTestServer(
      { DOSSIER_API_URL: oneStop.url, DOSSIER_API_TOKEN: TOKEN },
      {},
      workingMorning(),
    );
    try {
      const d = byStatus('processing', false);
      const client = await SocketClient.open(server.url);
      await client.hello();
      client.send({ type: 'message', id: 'w1', text: d.code });
      await client.replyTo('w1');
      client.send({ type: 'message', id: 'w2', text: d.applicant.phoneLast4 });
      await client.replyTo('w2');
      client.send({ type: 'message', id: 'w3', text: 'Theo dõi hồ sơ' });
      expect((await client.replyTo('w3')).text).toMatch(/nhắn anh\/chị ngay khi hồ sơ/);
      expect(await server.assistant.dossier.watch.poll()).toBe(0);
      oneStop.put({
        ...d,
        status: 'ready_for_pickup',
        pickup: {
          place: 'Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh',
          bring: ['Giấy tiếp nhận hồ sơ và hẹn trả kết quả', 'Căn cước'],
        },
      });
      expect(await server.assistant.dossier.watch.poll()).toBe(1);
      const news = await client.next(
        (f) => f.type === 'message' && /vừa có cập nhật/.test((f.entry as { text: string }).text),
      );
      expect((news.entry as { text: string }).text).toMatch(/Quầy số 5/);
      // Done dossiers are followed no more.
      expect(await server.assistant.dossier.watch.poll()).toBe(0);
      client.close();
    } finally {
      await server.close();
      await oneStop.close();
    }
  });

  it('answers dossier questions through the CLI chat contract', async () => {
    const d = byStatus('cancelled');
    const input = [d.code, d.applicant.phoneLast4]
      .map((text) => JSON.stringify({ conversation: 'cli', text }))
      .join('\n');
    const { code, stdout } = await runTs('src/cli/main.ts', ['chat', '--jsonl'], `${input}\n`);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { intent: string; replies: { text: string }[] });
    expect(lines.map((l) => l.intent)).toEqual(['dossier_status', 'dossier_status']);
    expect(lines[1]!.replies.map((r) => r.text).join('\n')).toMatch(/dừng giải quyết/);
  });
});
