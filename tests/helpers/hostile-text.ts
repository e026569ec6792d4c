import fc from 'fast-check';

/** Strings of any UTF-16 code units: lone surrogates, controls and bidi marks included. */
export const anyUnits = fc.string({ unit: 'binary', maxLength: 80 });
/** Text mixed from the characters that break things, Vietnamese and emoji. */
export const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\ud800',
        '\udfff',
        '\u202e',
        '\u202d',
        '\u2066',
        '\u2069',
        '\u200f',
        '\u0000',
        '\u0007',
        '\u001b',
        '\u0085',
        '\ufeff',
        '\u200b',
        '\r\n',
        '\u2028',
      ),
      fc.constantFrom('phí bao nhiêu', 'lam cccd', 'Nguyễn', '👨‍👩‍👧', '🙏', ' ', '\n', '\t', '<b>'),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));
