import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ProcedureRecord } from './procedure-record.ts';

/**
 * The procedure catalogue as loaded from knowledge/procedures/*.json: every record validated once
 * here, then trusted everywhere else.
 */
export class ProcedureCatalog {
  private readonly byCode: ReadonlyMap<string, ProcedureRecord>;

  constructor(readonly records: readonly ProcedureRecord[]) {
    const byCode = new Map<string, ProcedureRecord>();
    for (const record of records) {
      if (byCode.has(record.code)) throw new Error(`Duplicate procedure code ${record.code}`);
      byCode.set(record.code, record);
    }
    this.byCode = byCode;
  }

  /** Loads and validates every *.json file of a directory; throws naming the file and record on bad data. */
  static load(dir: string): ProcedureCatalog {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    if (files.length === 0) throw new Error(`No procedure files in ${dir}: run "npm run import:catalogue"`);
    const records = files.flatMap((file) => parseFile(join(dir, file)));
    return new ProcedureCatalog(records);
  }

  get(code: string): ProcedureRecord | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  get size(): number {
    return this.records.length;
  }
}

function parseFile(path: string): ProcedureRecord[] {
  const parsed = z.array(ProcedureRecord).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid procedure file ${path} at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
