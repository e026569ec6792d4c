import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcedureCatalog } from '../../../src/catalogue/procedure-catalog.ts';
import { KNOWLEDGE_DIR } from '../../helpers/knowledge.ts';

let dir: string;
let lines: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-'));
  // Three real records from the committed catalogue, so the test data is what the product ships.
  const text = await readFile(join(KNOWLEDGE_DIR, 'procedures', 'bo-cong-an.jsonl'), 'utf8');
  lines = text
    .split('\n')
    .filter((l) => l.length > 0)
    .slice(0, 3);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const write = (name: string, content: string) => writeFile(join(dir, name), content);
const codeOf = (line: string) => (JSON.parse(line) as { code: string }).code;

describe('ProcedureCatalog', () => {
  it('loads every line, keeps summaries, and reads a full record on demand', async () => {
    await write('a.jsonl', `${lines.join('\n')}\n`);
    const catalog = ProcedureCatalog.load(dir);
    expect(catalog.size).toBe(3);
    const code = codeOf(lines[1]!);
    expect(catalog.summary(code)?.name).toBe(JSON.parse(lines[1]!).name);
    expect(catalog.get(code)).toEqual(JSON.parse(lines[1]!));
    expect(catalog.get(code)).toBe(catalog.get(code));
    expect(catalog.get('9.999999')).toBeUndefined();
    expect([...catalog.records()].map((r) => r.code)).toEqual(lines.map(codeOf));
  });

  it('reads records from several files by their byte offsets, with multi-byte text before them', async () => {
    await write('a.jsonl', `${lines[0]}\n`);
    await write('b.jsonl', `${lines[1]}\n\n${lines[2]}\n`);
    const catalog = ProcedureCatalog.load(dir);
    for (const line of lines) expect(catalog.get(codeOf(line))?.name).toBe(JSON.parse(line).name);
  });

  it('refuses a record that breaks the schema, naming the file, line and field', async () => {
    const broken = JSON.parse(lines[1]!) as Record<string, unknown>;
    broken.sourceUrl = 'not a url';
    await write('a.jsonl', `${lines[0]}\n${JSON.stringify(broken)}\n`);
    expect(() => ProcedureCatalog.load(dir)).toThrow(/a\.jsonl:2 at sourceUrl/);
  });

  it('refuses a line that is not JSON, and duplicate codes', async () => {
    await write('a.jsonl', `${lines[0]}\n{"code": \n`);
    expect(() => ProcedureCatalog.load(dir)).toThrow(/a\.jsonl:2: not JSON/);
    await write('a.jsonl', `${lines[0]}\n${lines[0]}\n`);
    expect(() => ProcedureCatalog.load(dir)).toThrow(/Duplicate procedure code/);
  });

  it('says how to create the catalogue when there is none', () => {
    expect(() => ProcedureCatalog.load(dir)).toThrow(/npm run import:catalogue/);
  });

  it('notices a file replaced since it was loaded instead of returning the wrong record', async () => {
    await write('a.jsonl', `${lines[0]}\n${lines[1]}\n`);
    const catalog = ProcedureCatalog.load(dir);
    await write('a.jsonl', `${lines[1]}\n${lines[0]}\n`);
    expect(() => catalog.get(codeOf(lines[0]!))).toThrow(/restart/);
  });
});

describe('the committed catalogue', () => {
  const catalog = ProcedureCatalog.load(join(KNOWLEDGE_DIR, 'procedures'));

  it('holds every procedure of the national snapshot, each valid', () => {
    expect(catalog.size).toBe(2642);
  });

  it('reads back every record from where it was found, across the chunks the files are read in', () => {
    let read = 0;
    for (const record of catalog.records()) {
      expect(record.code).toBe(catalog.summaries[read]!.code);
      read += 1;
    }
    expect(read).toBe(2642);
  });

  it('never reports "free" for the driving-licence fee the portal hides in a note', () => {
    const online = catalog.get('3.000347')!.channels.find((c) => c.mode === 'online')!;
    expect(online.fee.kind).toBe('amounts');
    expect(online.fee.amounts.map((a) => a.vnd)).toContain(135_000);
  });
});
