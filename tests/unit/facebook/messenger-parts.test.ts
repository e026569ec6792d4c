import fc from 'fast-check';
import { windowPolicy } from '../../../adapters/shared/windowed-adapter.ts';
import { describe, expect, it } from 'vitest';
import { quickRepliesWithinLimits } from '../../../adapters/facebook/messenger-send-api.ts';
import { MessengerWindow } from '../../../adapters/facebook/messenger-window.ts';
import { splitMessage } from '../../../src/core/reply.ts';
import { MemoryStorage } from '../../../src/state/memory-storage.ts';

describe('splitMessage', () => {
  it('keeps every character, in order, in pieces within the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 10, max: 2000 }), (text, max) => {
        const pieces = splitMessage(text, max);
        for (const piece of pieces) expect([...piece].length).toBeLessThanOrEqual(max);
        expect(pieces.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
      }),
    );
  });

  it('cuts after a sentence or at a line break rather than inside a word', () => {
    const sentence = 'Dạ, hồ sơ gồm tờ khai và bản sao căn cước. ';
    const pieces = splitMessage(sentence.repeat(80), 2000);
    expect(pieces.length).toBe(2);
    expect(pieces[0]!.endsWith('căn cước.')).toBe(true);
    expect(splitMessage(`${'a'.repeat(1500)}\n${'b'.repeat(1000)}`, 2000)).toEqual([
      'a'.repeat(1500),
      'b'.repeat(1000),
    ]);
  });
});

describe('quick replies within Messenger limits', () => {
  it('keeps at most 13, titles of at most 20 characters, distinct, with the whole title as payload', () => {
    const titles = Array.from({ length: 16 }, (_, i) => `Cấp lại giấy phép lái xe bị mất ${i}`);
    const replies = quickRepliesWithinLimits(titles.map((t) => ({ title: t, payload: t })));
    expect(replies).toHaveLength(13);
    for (const r of replies) expect([...r.title].length).toBeLessThanOrEqual(20);
    expect(new Set(replies.map((r) => r.title)).size).toBe(13);
    expect(replies[0]!.payload).toBe(titles[0]);
    expect(quickRepliesWithinLimits([{ title: 'Lệ phí', payload: 'Lệ phí' }])).toEqual([
      { content_type: 'text', title: 'Lệ phí', payload: 'Lệ phí' },
    ]);
  });
});

describe('MessengerWindow', () => {
  it('lets the bot answer within 24 hours; an agent up to 7 days only with the HUMAN_AGENT tag', async () => {
    let now = Date.parse('2026-11-30T02:00:00Z');
    const tagged = new MessengerWindow(new MemoryStorage(), true, () => now);
    const untagged = new MessengerWindow(new MemoryStorage(), false, () => now);
    for (const w of [tagged, untagged]) await w.userWrote('123', now);
    expect(await tagged.permit('123', false, true)).toEqual({ messaging_type: 'RESPONSE' });
    expect(await tagged.permit('123', false, false)).toEqual({ messaging_type: 'UPDATE' });
    expect(await tagged.permit('999', false, true)).toBeNull();
    now += 25 * 3600_000;
    expect(await tagged.permit('123', false, true)).toBeNull();
    expect(await tagged.permit('123', true, false)).toEqual({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    // What the handoff desk asks the channel: the same window.
    expect(await windowPolicy(untagged).agentCanReply({ userId: '123' })).toBe(false);
    expect(await windowPolicy(tagged).agentCanReply({ userId: '123' })).toBe(true);
    expect(await windowPolicy(tagged).botCanSend({ userId: '123' })).toBe(false);
    now += 6 * 24 * 3600_000;
    expect(await windowPolicy(tagged).agentCanReply({ userId: '123' })).toBe(false);
  });
});
