import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocHeap } from '../../../src/search/doc-heap.ts';

describe('DocHeap', () => {
  it('pops procedures by descending key, each once, whatever was added, and is reusable', () => {
    const heap = new DocHeap(64);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 64 }),
        fc.array(fc.double({ noNaN: true, min: -1, max: 2 }), { minLength: 64, maxLength: 64 }),
        (docs, keys) => {
          heap.clear();
          for (const doc of docs) heap.add(doc, keys[doc]!);
          heap.build();
          const popped: number[] = [];
          while (heap.length > 0) {
            const expected = heap.peekKey();
            const doc = heap.pop();
            expect(keys[doc]).toBe(expected);
            popped.push(doc);
          }
          expect([...popped].sort((a, b) => a - b)).toEqual([...docs].sort((a, b) => a - b));
          for (let i = 1; i < popped.length; i += 1)
            expect(keys[popped[i]!]!).toBeLessThanOrEqual(keys[popped[i - 1]!]!);
          expect(heap.pop()).toBe(-1);
          expect(heap.peekKey()).toBe(-Infinity);
        },
      ),
    );
  });
});
