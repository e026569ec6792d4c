/**
 * JSON.parse for Zalo's payloads with every integer too long for a double kept exactly, as a
 * string: Zalo's user and OA ids are 16–19 digits, and a plain JSON.parse would round a bare one
 * (e.g. 2468458835291979221 becomes 2468458835291979000) and answer the wrong user.
 */
export function parseZaloJson(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

/** Longer integers than this may not survive a double. */
const SAFE_DIGITS = 15;

/** Puts quotes around integer literals of more than 15 digits outside strings; everything else is left as is. */
function quoteLongIntegers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end]!)) end += 1;
      const literal = text.slice(i, end);
      const digits = literal.replace(/^-/, '');
      out += /^\d+$/.test(digits) && digits.length > SAFE_DIGITS ? `"${literal}"` : literal;
      i = end;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

/** Index just past the closing quote of the string starting at `start` (escapes skipped). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}
