/** A Graph call's parameters, read from its body; `body` is undefined when the body cannot be read at all. */
export interface GraphParams {
  body: unknown;
  /** access_token given as a form field (Graph also takes it in the query string). */
  accessToken: string | null;
}

/**
 * Reads a Graph request body the ways Graph takes it: JSON, or a form (`curl -d`, as in Meta's own Send API
 * example, docs/specs/examples/messenger.json) whose object-valued fields hold JSON. Meta's examples write that JSON
 * with single quotes (`recipient={'id':'…'}`), so those are read too.
 */
export function graphParams(contentType: string | undefined, raw: string): GraphParams {
  if (!(contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    try {
      return { body: JSON.parse(raw), accessToken: null };
    } catch {
      return { body: undefined, accessToken: null };
    }
  }
  const form = new URLSearchParams(raw);
  const body: Record<string, unknown> = {};
  for (const [key, value] of form) if (key !== 'access_token') body[key] = graphParam(value);
  return { body, accessToken: form.get('access_token') };
}

/** One form field: an object or array written as JSON (double or single quotes) is decoded, anything else stays text. */
export function graphParam(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    // Falls through to the single-quoted reading.
  }
  try {
    return JSON.parse(
      value.replace(/"(?:[^"\\]|\\.)*"|'((?:[^'\\]|\\.)*)'/gs, (m, single: string | undefined) =>
        single === undefined ? m : doubleQuoted(single),
      ),
    );
  } catch {
    // Not JSON in either quoting: left as text, which the Send API checks then refuse as not an object.
    return value;
  }
}

/** The inside of a single-quoted string as a double-quoted JSON string: \' becomes ', a bare " gets escaped. */
function doubleQuoted(inside: string): string {
  let out = '"';
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i]!;
    if (c === '\\' && inside[i + 1] === "'") {
      out += "'";
      i++;
    } else if (c === '\\') {
      out += c + (inside[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      out += '\\"';
    } else {
      out += c;
    }
  }
  return `${out}"`;
}
