/**
 * JSON.parse with every integer too long for a double kept exactly, as a string. Zalo's user and
 * OA ids are 16–19 digits and Messenger's PSIDs can be sent bare too: a plain JSON.parse rounds
 * them (2468458835291979221 becomes 2468458835291979000) and the answer goes to the wrong person.
 * Webhooks call it only after the body's signature was checked.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

/** Longer integers than this may not survive a double. */
const SAFE_DIGITS = 15;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

const isDigit = (c: number) => c >= ZERO && c <= NINE;
/** What may continue a number literal: digits, '.', 'e', 'E', '+', '-'. */
const inNumber = (c: number) => isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;

/**
 * Puts quotes around integer literals of more than 15 digits outside strings; everything else is
 * copied in slices, untouched. One pass over char codes: no per-character string or regex.
 */
function quoteLongIntegers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === QUOTE) break;
        else i += 1;
      }
      i += 1;
      continue;
    }
    if (c === MINUS || isDigit(c)) {
      const start = i;
      let integer = true;
      i += 1;
      while (i < n && inNumber(text.charCodeAt(i))) {
        if (!isDigit(text.charCodeAt(i))) integer = false;
        i += 1;
      }
      const digits = i - start - (c === MINUS ? 1 : 0);
      if (integer && digits > SAFE_DIGITS) {
        out += `${text.slice(copied, start)}"${text.slice(start, i)}"`;
        copied = i;
      }
      continue;
    }
    i += 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
