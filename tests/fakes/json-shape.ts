/** The JSON type of a value, telling arrays and null apart from objects. */
type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'boolean' || t === 'number' || t === 'string') return t;
  if (t === 'object') return 'object';
  throw new Error(`not a JSON value: ${String(value)}`);
}

/**
 * How `actual` differs in shape from `documented`, one line per difference; [] means the same shape. Same shape: the
 * same keys, recursively, with values of the same JSON type (values themselves are not compared, since documented
 * ones are placeholders). A documented key missing from `actual`, or a key `actual` adds, is a difference unless its
 * path is in `optional`. Paths are dotted, with `[]` for "any element": `entry[].messaging[].message.mid`.
 * Each element of an actual array is held against the documented element at the same index, or the last one, so a
 * documented list of two like items also describes a list of thirteen.
 */
export function shapeDiff(documented: unknown, actual: unknown, optional: readonly string[] = [], path = ''): string[] {
  const at = path === '' ? '(root)' : path;
  const want = jsonType(documented);
  const got = jsonType(actual);
  if (want !== got) return [`${at}: documented ${want}, got ${got}`];

  if (want === 'array') {
    const doc = documented as unknown[];
    const act = actual as unknown[];
    // An empty documented array says nothing about its elements; an empty actual one cannot show theirs.
    if (doc.length === 0) return [];
    if (act.length === 0) return [`${at}: documented a non-empty array, got []`];
    return act.flatMap((item, i) => shapeDiff(doc[Math.min(i, doc.length - 1)], item, optional, `${path}[]`));
  }

  if (want === 'object') {
    const doc = documented as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    const child = (key: string) => (path === '' ? key : `${path}.${key}`);
    const diffs: string[] = [];
    for (const key of Object.keys(doc)) {
      if (key in act) diffs.push(...shapeDiff(doc[key], act[key], optional, child(key)));
      else if (!optional.includes(child(key))) diffs.push(`${child(key)}: documented, missing`);
    }
    for (const key of Object.keys(act)) {
      if (!(key in doc) && !optional.includes(child(key))) diffs.push(`${child(key)}: not documented, present`);
    }
    return diffs;
  }
  return [];
}

/** The value at a dotted path (no arrays), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (jsonType(v ?? null) === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      value,
    );
}
