import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runTs } from '../helpers/processes.ts';

const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);

describe('cli parse --jsonl', () => {
  it('writes one parse object per message line, in the contract shape, including for odd lines', async () => {
    const input = ['đổi gplx hết bao nhiêu tiền', '', '🎉🎉', 'hồ sơ 000.00.12.H34-231012-0001 sao rồi', 'x'.repeat(10_000), 'chào ad'].join('\n') + '\n';
    const { code, stdout, stderr } = await runTs('src/cli/main.ts', ['parse', '--jsonl'], input);
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(['entities', 'intent', 'procedure', 'score', 'text']);
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
