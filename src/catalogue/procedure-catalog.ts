import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ProcedureRecord } from './procedure-record.ts';

/** What the search and lists need of a procedure; the full record is read when asked for. */
export interface ProcedureSummary {
  code: string;
  name: string;
  levels: ProcedureRecord['levels'];
  field: string;
  /** The first result documents, shortened. */
  results: string[];
  sourceUrl: string;
}

/** Where a record's line is: file, byte offset, byte length. */
interface RecordLocation {
  file: string;
  offset: number;
  length: number;
}

const CACHE_SIZE = 256;
const NEWLINE = 0x0a;

/**
 * The procedure catalogue, from knowledge/procedures/*.jsonl (one record a line, written by the
 * importer). Every record is validated by the schema once, at load; the rest of the code trusts it.
 *
 * @remarks
 * Only summaries stay in memory. A full record (steps, documents, fees: most of the 20 MB) is read
 * from its line on disk when asked for, with a small cache of recent ones, so memory does not grow
 * with the catalogue. The files are read once at load; replace them only with the server stopped
 * (`npm run import:catalogue`, then restart).
 */
export class ProcedureCatalog {
  private readonly byCode: ReadonlyMap<string, number>;
  private readonly cache = new Map<string, ProcedureRecord>();

  private constructor(
    readonly summaries: readonly ProcedureSummary[],
    private readonly locations: readonly RecordLocation[],
  ) {
    const byCode = new Map<string, number>();
    summaries.forEach((summary, i) => {
      if (byCode.has(summary.code)) throw new Error(`Duplicate procedure code ${summary.code}`);
      byCode.set(summary.code, i);
    });
    this.byCode = byCode;
  }

  /** Loads and validates every *.jsonl file of a directory; throws naming the file, line and field on bad data. */
  static load(dir: string): ProcedureCatalog {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    if (files.length === 0) throw new Error(`No procedure files in ${dir}: run "npm run import:catalogue"`);
    const summaries: ProcedureSummary[] = [];
    const locations: RecordLocation[] = [];
    for (const name of files) {
      const file = join(dir, name);
      for (const { record, location } of readRecords(file)) {
        summaries.push(summarize(record));
        locations.push(location);
      }
    }
    return new ProcedureCatalog(summaries, locations);
  }

  /** The full record, or undefined for an unknown code. */
  get(code: string): ProcedureRecord | undefined {
    const cached = this.cache.get(code);
    if (cached) {
      this.cache.delete(code);
      this.cache.set(code, cached);
      return cached;
    }
    const index = this.byCode.get(code);
    if (index === undefined) return undefined;
    const location = this.locations[index]!;
    const record = readRecordAt(location);
    if (record?.code !== code) throw new Error(`${location.file} changed since it was loaded: restart the server`);
    this.cache.set(code, record);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return record;
  }

  summary(code: string): ProcedureSummary | undefined {
    const index = this.byCode.get(code);
    return index === undefined ? undefined : this.summaries[index];
  }

  /** The summary's position in {@link summaries}, or undefined. */
  indexOf(code: string): number | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** Every full record, read one at a time (for rebuilding derived data such as the lexicon). */
  *records(): Generator<ProcedureRecord> {
    for (const summary of this.summaries) yield this.get(summary.code)!;
  }

  get size(): number {
    return this.summaries.length;
  }
}

/** Result lists can run long; their beginning names what the citizen receives. */
const SUMMARY_RESULTS = 5;
const SUMMARY_RESULT_CHARS = 200;

function summarize(record: ProcedureRecord): ProcedureSummary {
  const { code, name, levels, field, sourceUrl } = record;
  const results = record.results.slice(0, SUMMARY_RESULTS).map((r) => r.slice(0, SUMMARY_RESULT_CHARS));
  return { code, name, levels, field, results, sourceUrl };
}

/** Each line's validated record with where it is; a line at a time, so a large file never sits in memory twice. */
function* readRecords(file: string): Generator<{ record: ProcedureRecord; location: RecordLocation }> {
  let lineNumber = 0;
  for (const { line, offset } of readLines(file)) {
    lineNumber += 1;
    if (line.length === 0) continue;
    yield {
      record: parseLine(line.toString('utf8'), file, lineNumber),
      location: { file, offset, length: line.length },
    };
  }
}

/** Reading in chunks keeps load-time memory small: the catalogue files are 20 MB together. */
const CHUNK_BYTES = 1 << 20;

/** Each line's bytes (without the newline) and where it starts in the file. */
function* readLines(file: string): Generator<{ line: Buffer; offset: number }> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let carried: Buffer = Buffer.alloc(0);
    let carriedFrom = 0;
    let position = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, position);
      if (read === 0) break;
      const bytes = carried.length > 0 ? Buffer.concat([carried, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      const base = carried.length > 0 ? carriedFrom : position;
      position += read;
      let start = 0;
      for (let end = bytes.indexOf(NEWLINE, start); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
        yield { line: bytes.subarray(start, end), offset: base + start };
        start = end + 1;
      }
      // The unfinished last line is copied out, as `chunk` is read into again.
      carried = Buffer.from(bytes.subarray(start));
      carriedFrom = base + start;
    }
    if (carried.length > 0) yield { line: carried, offset: carriedFrom };
  } finally {
    closeSync(fd);
  }
}

function parseLine(line: string, file: string, lineNumber: number): ProcedureRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error(`Invalid procedure file ${file}:${lineNumber}: not JSON`);
  }
  const parsed = ProcedureRecord.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid procedure file ${file}:${lineNumber} at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The record at a location, or null when the bytes there are no longer a record. */
function readRecordAt({ file, offset, length }: RecordLocation): ProcedureRecord | null {
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  // Validated at load; the code check in get() catches a file replaced since.
  try {
    return JSON.parse(buffer.toString('utf8')) as ProcedureRecord;
  } catch {
    return null;
  }
}
