import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitiseText } from '../../../src/text/sanitise-text.ts';
import { anyUnits, hostileText } from '../../helpers/hostile-text.ts';

const FORBIDDEN =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\r\u2028\u2029]/;

describe('sanitiseText', () => {
  it('keeps Vietnamese, emoji (joiners too), markup and line breaks as typed', () => {
    expect(sanitiseText('  phí\u0000 bao\u0007 nhiêu\r\nạ \u200b ')).toBe('phí bao nhiêu\nạ');
    expect(sanitiseText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(sanitiseText('👨‍👩‍👧 🙏')).toBe('👨‍👩‍👧 🙏');
    expect(sanitiseText('\u0001\u0002 \t')).toBe('');
    // Decomposed marks (as some phones send them) become the composed letters.
    expect(sanitiseText('Nguye\u0302\u0303n')).toBe('Nguyễn');
  });

  it('drops lone surrogates and the bidi controls that make text read backwards', () => {
    expect(sanitiseText('abc\ud800def')).toBe('abcdef');
    expect(sanitiseText('\udc00x\ud83d')).toBe('x');
    expect(sanitiseText('hồ sơ \u202egnol\u202c số')).toBe('hồ sơ gnol số');
    expect(sanitiseText('\u2067admin\u2069')).toBe('admin');
  });

  it('always gives well-formed text without controls, and is idempotent, for any input', () => {
    for (const arbitrary of [anyUnits, hostileText]) {
      fc.assert(
        fc.property(arbitrary, (raw) => {
          const clean = sanitiseText(raw);
          expect(clean.isWellFormed()).toBe(true);
          expect(FORBIDDEN.test(clean)).toBe(false);
          expect(clean).toBe(clean.trim());
          expect(sanitiseText(clean)).toBe(clean);
          // JSON survives the trip Redis's cjson makes of it: no \\ud800-style escapes left.
          expect(JSON.stringify(clean)).not.toMatch(/\\ud[89a-f]/i);
        }),
        { numRuns: 500 },
      );
    }
  });
});
