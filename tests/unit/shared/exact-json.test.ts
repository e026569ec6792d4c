import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../../../src/shared/exact-json.ts';

describe('parseJsonExact', () => {
  it('keeps long ids exact, inside and outside arrays, and leaves strings and small numbers alone', () => {
    const parsed = parseJsonExact(
      '{"sender":{"id":2468458835291979221},"ids":[-9007199254740993,12],"text":"id:2468458835291979221, ok","n":1.5e3,"e":"a\\"1234567890123456"}',
    );
    expect(parsed).toEqual({
      sender: { id: '2468458835291979221' },
      ids: ['-9007199254740993', 12],
      text: 'id:2468458835291979221, ok',
      n: 1500,
      e: 'a"1234567890123456',
    });
    expect(() => parseJsonExact('{"a": ')).toThrow();
  });

  it('reads any JSON without long integers exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const long = /(?<![\w."])-?\d{16,}(?![\w.])/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
        fc.pre(!long);
        expect(parseJsonExact(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('gives every 16–19 digit id back as the digits sent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n - 1n }), (id) => {
        expect(parseJsonExact(`{"sender":{"id":${id}},"list":[${id}]}`)).toEqual({
          sender: { id: String(id) },
          list: [String(id)],
        });
      }),
    );
  });
});
