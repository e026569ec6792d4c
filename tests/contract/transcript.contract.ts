import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Transcript, TranscriptEntry } from '../../src/state/transcript.ts';

const said = (text: string, messageId?: string) => ({
  from: 'citizen' as const,
  text,
  suggestedActions: [],
  ...(messageId ? { messageId } : {}),
});

/**
 * Appends to a conversation of its own through `writer` until `heard` (the conversations a
 * subscriber was told of) has it. A subscription through another process (Redis pub/sub) goes live
 * some time after subscribe() returns; past this, it is live. Deliveries come in the order they were
 * published, so once a later append is heard, an earlier one that was going to be heard has been.
 */
const heardThrough = async (writer: Transcript, heard: () => readonly string[]): Promise<void> => {
  const marker = `webchat:marker-${randomUUID()}`;
  await expect
    .poll(async () => {
      await writer.append(marker, said('marker'));
      return heard().includes(marker);
    })
    .toBe(true);
};
const answered = (text: string, suggestedActions: string[] = []) => ({ from: 'bot' as const, text, suggestedActions });

/**
 * What every transcript must do: number each conversation's messages 1, 2, 3…, record a message id
 * once however often it is delivered, replay after a sequence number, and tell subscribers.
 * `second` opens another handle on the same data, as a second server process would.
 */
export function transcriptContract(
  name: string,
  open: () => Promise<Transcript>,
  second?: (first: Transcript) => Promise<Transcript>,
): void {
  describe(`${name} (transcript contract)`, () => {
    it('numbers each conversation from 1 and reads back after a sequence number, in order', async () => {
      const t = await open();
      expect((await t.append('webchat:a', said('xin chào'))).entry.seq).toBe(1);
      expect((await t.append('webchat:a', answered('Dạ, em chào anh/chị', ['Giờ làm việc']))).entry.seq).toBe(2);
      expect((await t.append('webchat:b', said('alo'))).entry.seq).toBe(1);
      const all = await t.read('webchat:a', 0);
      expect(all.map((e) => [e.seq, e.from, e.text])).toEqual([
        [1, 'citizen', 'xin chào'],
        [2, 'bot', 'Dạ, em chào anh/chị'],
      ]);
      expect(all[1]!.suggestedActions).toEqual(['Giờ làm việc']);
      expect(all[0]!.suggestedActions).toEqual([]);
      expect(new Date(all[0]!.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect((await t.read('webchat:a', 1)).map((e) => e.seq)).toEqual([2]);
      expect(await t.read('webchat:a', 2)).toEqual([]);
      expect(await t.read('webchat:nobody', 0)).toEqual([]);
    });

    it('records a message id once: a resend returns the first entry and tells no subscriber', async () => {
      const t = await open();
      const heard: [string, TranscriptEntry][] = [];
      const stop = t.subscribe((c, e) => heard.push([c, e]));
      const conversations = () => heard.map(([c]) => c);
      await heardThrough(t, conversations);
      const first = await t.append('webchat:c', said('phí bao nhiêu', 'client-1'));
      const again = await t.append('webchat:c', said('phí bao nhiêu', 'client-1'));
      // Anything the resend told is heard before what was appended after it.
      await heardThrough(t, conversations);
      stop();
      expect(first.duplicate).toBe(false);
      expect(again).toEqual({ entry: first.entry, duplicate: true });
      expect((await t.read('webchat:c', 0)).length).toBe(1);
      expect(heard.filter(([c]) => c === 'webchat:c').map(([, e]) => e)).toEqual([first.entry]);
    });

    it('tells subscribers of another handle (another process) of every message appended', async () => {
      const t = await open();
      const other = second ? await second(t) : t;
      const heard: string[] = [];
      const conversations: string[] = [];
      const stop = other.subscribe((c, e) => (conversations.push(c), c === 'webchat:f' && heard.push(e.text)));
      await heardThrough(t, () => conversations);
      await t.append('webchat:f', said('một'));
      await t.append('webchat:f', answered('hai'));
      await expect.poll(() => heard).toEqual(['một', 'hai']);
      stop();
    });

    it('gives the latest messages when asked for fewer than there are', async () => {
      const t = await open();
      for (let i = 1; i <= 12; i += 1) await t.append('webchat:d', said(`tin ${i}`));
      expect((await t.read('webchat:d', 0, 5)).map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    });

    it('keeps every message and its number when many are appended at once', async () => {
      const t = await open();
      const other = second ? await second(t) : t;
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? t : other).append('webchat:e', said(`tin ${i}`, `id-${i}`)),
        ),
      );
      const seqs = results.map((r) => r.entry.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const read = await t.read('webchat:e', 0);
      expect(read.map((e) => e.seq)).toEqual(seqs);
      // Resending them all, from either handle, adds nothing.
      const resent = await Promise.all(
        results.map((r, i) => (i % 2 === 0 ? other : t).append('webchat:e', said(r.entry.text, r.entry.messageId))),
      );
      expect(resent.every((r) => r.duplicate)).toBe(true);
      expect((await t.read('webchat:e', 0)).length).toBe(40);
    });
  });
}
