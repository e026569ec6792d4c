import { readFileSync } from 'node:fs';

/** One fact about the center: either sourced, or a sample value an operator must replace. */
export interface CenterFact {
  path: string;
  value: unknown;
  sample: boolean;
  source: string | undefined;
}

/**
 * Facts about the service center (address, hours, hotline, queue and priority rules) from
 * knowledge/center.json. Every leaf is `{"value": …, "source": "…"}` or `{"value": …, "sample": true}`;
 * a value with neither is refused, so nothing unsourced reaches a citizen unmarked.
 */
export class CenterFacts {
  private readonly facts: ReadonlyMap<string, CenterFact>;

  constructor(document: unknown) {
    const facts = new Map<string, CenterFact>();
    collect(document, '', facts);
    if (facts.size === 0) throw new Error('center facts: no facts found');
    this.facts = facts;
  }

  static load(path: string): CenterFacts {
    return new CenterFacts(JSON.parse(readFileSync(path, 'utf8')));
  }

  get(path: string): CenterFact | undefined {
    return this.facts.get(path);
  }

  all(): CenterFact[] {
    return [...this.facts.values()];
  }

  /** Paths still holding sample values: the operator's to-do list, logged at start-up. */
  samplePaths(): string[] {
    return this.all()
      .filter((f) => f.sample)
      .map((f) => f.path);
  }
}

function collect(node: unknown, path: string, out: Map<string, CenterFact>): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => collect(item, `${path}[${i}]`, out));
    return;
  }
  if (node === null || typeof node !== 'object') {
    throw new Error(
      `center facts: ${path || '(root)'} must be an object {"value", "source"} or {"value", "sample": true}`,
    );
  }
  const record = node as Record<string, unknown>;
  if ('value' in record) {
    const sample = record.sample === true;
    const source = typeof record.source === 'string' && record.source.length > 0 ? record.source : undefined;
    if (!sample && source === undefined) {
      throw new Error(`center facts: ${path} needs a "source" or "sample": true`);
    }
    out.set(path, { path, value: record.value, sample, source });
    return;
  }
  for (const [key, child] of Object.entries(record)) {
    if (key.startsWith('$')) continue;
    collect(child, path ? `${path}.${key}` : key, out);
  }
}
