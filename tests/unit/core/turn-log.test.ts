import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/shared/logger.ts';
import { testAssistant } from '../../helpers/assistant.ts';

/** A pino destination kept in memory, one parsed object per log line. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('turn logs', () => {
  it('writes one turn.completed line per turn, with the conversation and intent but nothing the citizen typed', async () => {
    const sink = logSink();
    const assistant = await testAssistant({}, createLogger('info', sink.stream));
    try {
      await assistant.chat('log-1', 'làm lltp cần gì');
      await assistant.chat('log-1', 'tôi tên Nguyễn Văn An, sđt 0905123456, cccd 056190001234, phí bao nhiêu');
    } finally {
      await assistant.close();
    }
    const turns = sink.lines.filter((l) => l.msg === 'turn.completed');
    expect(turns).toHaveLength(2);
    expect(turns[0]).toMatchObject({
      conversation: 'cli:log-1',
      intent: 'procedure_documents',
      procedure: '3.000333',
      outcome: 'answered',
    });
    expect(turns[1]).toMatchObject({
      conversation: 'cli:log-1',
      intent: expect.any(String),
      durationMs: expect.any(Number),
    });
    const everything = JSON.stringify(sink.lines);
    for (const secret of ['0905123456', '056190001234', 'Nguyễn Văn An', 'lltp', 'phí bao nhiêu'])
      expect(everything).not.toContain(secret);
  });
});
