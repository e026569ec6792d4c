import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTs } from '../helpers/processes.ts';

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);

describe('cli parse --jsonl', () => {
  it('writes one parse object per message line, in the contract shape, including for odd lines', async () => {
    const input =
      [
        'đổi gplx hết bao nhiêu tiền',
        '',
        '🎉🎉',
        'hồ sơ 000.00.12.H34-231012-0001 sao rồi',
        'x'.repeat(10_000),
        'chào ad',
      ].join('\n') + '\n';
    const { code, stdout, stderr } = await runTs('src/cli/main.ts', ['parse', '--jsonl'], input);
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines).toHaveLength(6);
    for (const line of lines)
      expect(Object.keys(line).sort()).toEqual(['entities', 'intent', 'procedure', 'score', 'text']);
    expect(lines[0]).toMatchObject({ intent: 'procedure_fee', procedure: { code: '3.000347' } });
    expect(lines[1]).toMatchObject({ text: '', procedure: null });
    expect(lines[3]).toMatchObject({ intent: 'dossier_status' });
    expect(lines[3]!.entities[0]).toMatchObject({ type: 'dossier_code', value: '000.00.12.H34-231012-0001' });
    expect(lines[5]).toMatchObject({ intent: 'greeting', procedure: null });
  });
});

describe('cli chat --jsonl', () => {
  it('keeps each conversation id its context across lines, and answers every line', async () => {
    const a = `a-${randomUUID()}`;
    const b = `b-${randomUUID()}`;
    const input = [
      { conversation: a, text: 'làm lltp cần giấy tờ gì' },
      { conversation: b, text: 'đổi bằng lái ở đâu' },
      { conversation: a, text: 'phí bao nhiêu' },
      'not json',
      { conversation: b, text: 'mất mấy ngày' },
    ]
      .map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))
      .join('\n');
    const { code, stdout, stderr } = await runTs('src/cli/main.ts', ['chat', '--jsonl'], `${input}\n`);
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ conversation: a, intent: 'procedure_documents', procedure: '3.000333' });
    expect(lines[1]).toMatchObject({ conversation: b, intent: 'procedure_where', procedure: '3.000347' });
    expect(lines[2]).toMatchObject({ conversation: a, intent: 'procedure_fee', procedure: '3.000333' });
    expect(lines[3]).toMatchObject({ error: expect.stringContaining('conversation') });
    expect(lines[4]).toMatchObject({ conversation: b, intent: 'procedure_duration', procedure: '3.000347' });
    for (const line of [lines[0], lines[2]]) {
      expect(line!.replies.length).toBeGreaterThan(0);
      for (const reply of line!.replies) expect(Object.keys(reply).sort()).toEqual(['suggestedActions', 'text']);
    }
  });
});

describe('cli chat --jsonl: the follow-up rules, as a channel runs them', () => {
  it("keeps the procedure through its record's own words, a pointer, a case, a detail and a detour; switches on a clear name", async () => {
    const c = `rules-${randomUUID()}`;
    const turns = [
      'làm lý lịch tư pháp cần gì',
      'mat bao nhieu ngay lam viec', // every word the record's own ("ngày làm việc" names other procedures well)
      'cai nay phi co cao ko', // pointing at it ("cái" is not "cai nghiện")
      'còn nếu xin để đi lao động xuất khẩu Nhật Bản thì giấy tờ có khác không', // a case of it
      'giờ làm việc của trung tâm', // a detour
      'có nộp online được không hay phải nộp trực tiếp', // back to it
      'thế còn đổi bằng lái xe thì mất bao lâu', // a clear new name
    ];
    const input = turns.map((text) => JSON.stringify({ conversation: c, text })).join('\n');
    const { code, stdout, stderr } = await runTs('src/cli/main.ts', ['chat', '--jsonl'], `${input}\n`);
    expect(code, stderr).toBe(0);
    const got = jsonLines(stdout).map((l) => [l.intent, l.procedure]);
    expect(got).toEqual([
      ['procedure_documents', '3.000333'],
      ['procedure_duration', '3.000333'],
      ['procedure_fee', '3.000333'],
      ['procedure_documents', '3.000333'],
      ['center_hours', null],
      ['procedure_online', '3.000333'],
      ['procedure_duration', '3.000347'],
    ]);
  });
});

describe('cli unanswered list', () => {
  it('lists the questions the bot could not answer, newest first, without personal details', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unanswered-'));
    const env = { UNANSWERED_FILE: join(dir, 'unanswered.jsonl'), REDIS_URL: '' };
    const c = `u-${randomUUID()}`;
    const input = [
      { conversation: c, text: 'làm lltp cần giấy tờ gì' },
      {
        conversation: c,
        text: 'tôi là Trần Thị Mai, sđt 0905123456, hỏi thủ tục cấp thẻ hướng dẫn viên du lịch quốc tế',
      },
      { conversation: c, text: 'thời tiết Nha Trang ngày mai có mưa không' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const chat = await runTs('src/cli/main.ts', ['chat', '--jsonl'], `${input}\n`, env);
    expect(chat.code, chat.stderr).toBe(0);
    const listed = await runTs('src/cli/main.ts', ['unanswered', 'list', '--limit', '10'], '', env);
    expect(listed.code, listed.stderr).toBe(0);
    const kept = jsonLines(listed.stdout);
    expect(kept.map((k) => k.did)).toEqual(['declined', 'not_found']);
    expect(kept[1]!.text).toContain('thẻ hướng dẫn viên du lịch');
    expect(listed.stdout).not.toMatch(/0905123456|Trần|Mai,/);
    expect(kept[1]).toMatchObject({
      channel: expect.any(String),
      intent: expect.any(String),
      candidates: expect.any(Array),
    });

    const bad = await runTs('src/cli/main.ts', ['unanswered', 'list', '--limit', 'lots'], '', env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--limit/);
  });
});
