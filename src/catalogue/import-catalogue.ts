import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parseCatalogueRow } from './catalogue-importer.ts';
import { ProcedureRecord } from './procedure-record.ts';
import type { Fee } from './procedure-record.ts';

/*
 * Imports a national catalogue snapshot (JSON lines, optionally gzipped) into
 * knowledge/procedures/<ministry>.jsonl (one record a line). Any bad line aborts the whole import: a partial
 * catalogue would silently drop procedures citizens ask about.
 */

type FeeKind = Fee['kind'];

export interface ImportReport {
  inputPath: string;
  outDir: string;
  records: number;
  perMinistry: Record<string, number>;
  /** Submission channels by fee kind. */
  fees: Record<FeeKind, number>;
  /** Procedures with at least one channel whose fee is stated as amounts. */
  proceduresWithAmounts: number;
  documents: { total: number; proceduresWithoutDocuments: number };
  proceduresWithoutSubmitAt: number;
  /** Always empty in a returned report: any failure makes the import throw. */
  failures: string[];
  files: string[];
}

interface NumberedRecord {
  line: number;
  record: ProcedureRecord;
}

/** How many failing lines an error message lists before summarising. */
const FAILURES_SHOWN = 20;

function openLines(inputPath: string): AsyncIterable<string> {
  const file: Readable = createReadStream(inputPath);
  const input = inputPath.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  file.on('error', (error) => input.destroy(error));
  return createInterface({ input, crlfDelay: Infinity });
}

function codeHint(line: string): string {
  return /"ma_thu_tuc"\s*:\s*"([^"]*)"/u.exec(line)?.[1] ?? 'unknown code';
}

function parseLine(line: string, lineNumber: number): ProcedureRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`line ${lineNumber} (${codeHint(line)}): not valid JSON: ${reason}`, { cause: error });
  }
  try {
    return ProcedureRecord.parse(parseCatalogueRow(raw));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`line ${lineNumber} (${codeHint(line)}): ${reason}`, { cause: error });
  }
}

/** Reads and parses every line; throws once, listing every failing line. */
async function readCatalogue(inputPath: string): Promise<NumberedRecord[]> {
  const parsed: NumberedRecord[] = [];
  const failures: string[] = [];
  let lineNumber = 0;
  for await (const line of openLines(inputPath)) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    try {
      parsed.push({ line: lineNumber, record: parseLine(line, lineNumber) });
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) {
    const shown = failures.slice(0, FAILURES_SHOWN).join('\n  ');
    const more = failures.length > FAILURES_SHOWN ? `\n  … and ${failures.length - FAILURES_SHOWN} more` : '';
    throw new Error(`catalogue import failed on ${failures.length} line(s) of ${inputPath}:\n  ${shown}${more}`);
  }
  return parsed;
}

function rejectDuplicateCodes(records: readonly NumberedRecord[]): void {
  const firstLine = new Map<string, number>();
  for (const { line, record } of records) {
    const seen = firstLine.get(record.code);
    if (seen !== undefined) {
      throw new Error(`duplicate procedure code ${record.code} on lines ${seen} and ${line}`);
    }
    firstLine.set(record.code, line);
  }
}

/** The ministry folder becomes a file name, so it must be a plain slug. */
function groupByMinistry(records: readonly ProcedureRecord[]): Map<string, ProcedureRecord[]> {
  const groups = new Map<string, ProcedureRecord[]>();
  for (const record of records) {
    if (!/^[a-z0-9][a-z0-9-]*$/u.test(record.ministry)) {
      throw new Error(`procedure ${record.code}: ministry folder "${record.ministry}" is not a safe file name`);
    }
    const group = groups.get(record.ministry) ?? [];
    group.push(record);
    groups.set(record.ministry, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.code.localeCompare(b.code));
  return groups;
}

async function removeStaleJson(outDir: string): Promise<void> {
  const entries = await readdir(outDir, { withFileTypes: true });
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && /\.jsonl?$/.test(entry.name))
      .map((entry) => rm(join(outDir, entry.name))),
  );
}

async function writeGroups(outDir: string, groups: Map<string, ProcedureRecord[]>): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  await removeStaleJson(outDir);
  const files: string[] = [];
  for (const [ministry, records] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    // One record a line: the product reads a record's line when it needs it, and a diff shows
    // which procedures changed.
    const file = join(outDir, `${ministry}.jsonl`);
    await writeFile(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
    files.push(file);
  }
  return files;
}

function summarise(records: readonly ProcedureRecord[]): Omit<ImportReport, 'inputPath' | 'outDir' | 'files'> {
  const fees: Record<FeeKind, number> = { amounts: 0, free: 0, by_act: 0, unknown: 0 };
  const perMinistry: Record<string, number> = {};
  let documents = 0;
  for (const record of records) {
    perMinistry[record.ministry] = (perMinistry[record.ministry] ?? 0) + 1;
    for (const channel of record.channels) fees[channel.fee.kind] += 1;
    documents += record.documents.length;
  }
  return {
    records: records.length,
    perMinistry,
    fees,
    proceduresWithAmounts: records.filter((r) => r.channels.some((c) => c.fee.kind === 'amounts')).length,
    documents: { total: documents, proceduresWithoutDocuments: records.filter((r) => r.documents.length === 0).length },
    proceduresWithoutSubmitAt: records.filter((r) => r.agencies.submitAt === '').length,
    failures: [],
  };
}

/** Imports the catalogue at inputPath (.jsonl or .jsonl.gz) into outDir, one file per ministry. */
export async function importCatalogue(inputPath: string, outDir: string): Promise<ImportReport> {
  const parsed = await readCatalogue(inputPath);
  rejectDuplicateCodes(parsed);
  const records = parsed.map((p) => p.record);
  const files = await writeGroups(outDir, groupByMinistry(records));
  return { inputPath, outDir, ...summarise(records), files };
}

export function formatImportReport(r: ImportReport): string {
  const ministries = Object.entries(r.perMinistry)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ministry, count]) => `${ministry} ${count}`)
    .join(', ');
  const channels = r.fees.amounts + r.fees.free + r.fees.by_act + r.fees.unknown;
  return [
    `Imported ${r.records} procedures from ${r.inputPath} into ${r.outDir} (${r.files.length} files).`,
    `By ministry: ${ministries}.`,
    `Fees over ${channels} channels: amounts ${r.fees.amounts}, free ${r.fees.free}, by_act ${r.fees.by_act}, unknown ${r.fees.unknown}; ${r.proceduresWithAmounts} procedures state amounts.`,
    `Documents: ${r.documents.total} rows; ${r.documents.proceduresWithoutDocuments} procedures without documents.`,
    `Procedures without a place to submit: ${r.proceduresWithoutSubmitAt}. Failures: ${r.failures.length}.`,
  ].join('\n');
}
