import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VersionedStore } from '../../src/state/versioned-store.ts';
import { CREATE_ONLY, type Storage } from '../../src/state/storage-contract.ts';

const Counter = z.object({ count: z.number().int(), by: z.array(z.string()).default([]) });
type Counter = z.infer<typeof Counter>;

/**
 * One suite for every `Storage` implementation: the Agents SDK's read/write/delete with the eTag
 * rules of storage-contract.ts, and no update lost under concurrent writers.
 * `open()` gives a fresh, empty store; `second()` another client on the same data, when there can be one.
 */
export function storageContract(
  name: string,
  open: () => Promise<Storage>,
  second?: (first: Storage) => Promise<Storage>,
): void {
  describe(`${name} (Storage contract)`, () => {
    it('reads back what was written, with an eTag, and nothing for unknown keys', async () => {
      const s = await open();
      await s.write({ a: { text: 'chào', n: 1 } });
      const items = await s.read(['a', 'missing']);
      expect(Object.keys(items)).toEqual(['a']);
      expect(items.a).toMatchObject({ text: 'chào', n: 1, eTag: expect.any(String) });
    });

    it('refuses a write with a stale eTag and keeps the newer item', async () => {
      const s = await open();
      await s.write({ a: { v: 1 } });
      const first = (await s.read(['a'])).a;
      await s.write({ a: { v: 2, eTag: first.eTag } });
      await expect(s.write({ a: { v: 3, eTag: first.eTag } })).rejects.toMatchObject({
        code: 'CHAT_ERR_STATE_CONFLICT',
      });
      expect((await s.read(['a'])).a.v).toBe(2);
    });

    it('creates with the empty eTag only when the key is absent', async () => {
      const s = await open();
      await s.write({ a: { v: 1, eTag: CREATE_ONLY } });
      await expect(s.write({ a: { v: 2, eTag: CREATE_ONLY } })).rejects.toMatchObject({
        code: 'CHAT_ERR_STATE_CONFLICT',
      });
      expect((await s.read(['a'])).a.v).toBe(1);
    });

    it('writes unconditionally without an eTag or with "*"', async () => {
      const s = await open();
      await s.write({ a: { v: 1 } });
      await s.write({ a: { v: 2 } });
      await s.write({ a: { v: 3, eTag: '*' } });
      expect((await s.read(['a'])).a.v).toBe(3);
    });

    it('writes several keys all or nothing', async () => {
      const s = await open();
      await s.write({ a: { v: 1 } });
      const stale = (await s.read(['a'])).a.eTag;
      await s.write({ a: { v: 2 } });
      await expect(s.write({ b: { v: 1 }, a: { v: 3, eTag: stale } })).rejects.toMatchObject({
        code: 'CHAT_ERR_STATE_CONFLICT',
      });
      expect(await s.read(['b'])).toEqual({});
    });

    it('deletes, and a deleted key can be created again', async () => {
      const s = await open();
      await s.write({ a: { v: 1 } });
      await s.delete(['a']);
      expect(await s.read(['a'])).toEqual({});
      await s.write({ a: { v: 2, eTag: CREATE_ONLY } });
      expect((await s.read(['a'])).a.v).toBe(2);
    });

    it('rejects a read of no keys', async () => {
      const s = await open();
      await expect(s.read([])).rejects.toThrow();
    });

    it('loses no update when many writers, on two clients, change one conversation at once', async () => {
      const s = await open();
      const clients = [s, second ? await second(s) : s];
      const stores = clients.map((c) => new VersionedStore<Counter>(c, Counter, () => ({ count: 0, by: [] })));
      const writers = 40;
      await Promise.all(
        Array.from({ length: writers }, (_, i) =>
          stores[i % stores.length]!.update('webchat:c1', (state) => ({
            state: { count: state.count + 1, by: [...state.by, `w${i}`] },
            result: undefined,
          })),
        ),
      );
      const final = await stores[0]!.load('webchat:c1');
      expect(final.count).toBe(writers);
      expect(new Set(final.by).size).toBe(writers);
    });
  });
}
