import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../shared/atomic-file.ts';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import { RECORD_INDEX_VERSION, RecordIndex, recordFields } from './record-index.ts';
import { catalogueWords } from './search-tokens.ts';

/**
 * The whole-record index, cached on disk under a name keyed by the catalogue files (names, sizes,
 * times) and the index's own settings: building it reads nine megabytes of records (a second or
 * two, and a burst of garbage), loading it a few milliseconds. Written to a temporary file and
 * renamed, so several processes starting at once never read half a file.
 */
export function loadOrBuildRecordIndex(
  catalog: ProcedureCatalog,
  proceduresDir: string,
  cacheDir: string,
): RecordIndex {
  const file = join(cacheDir, `record-index-${indexKey(proceduresDir)}.bin`);
  if (existsSync(file)) {
    try {
      const index = RecordIndex.deserialize(readFileSync(file));
      if (index.size === catalog.size) return index;
    } catch {
      // A damaged cache is rebuilt, never trusted.
    }
  }
  const index = RecordIndex.build([...catalog.records()].map(recordFields), catalogueWords);
  try {
    writeFileAtomic(file, index.serialize());
  } catch {
    // A read-only disk only costs the next start the build again.
  }
  return index;
}

function indexKey(proceduresDir: string): string {
  const hash = createHash('sha256').update(RECORD_INDEX_VERSION);
  for (const name of readdirSync(proceduresDir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()) {
    const stat = statSync(join(proceduresDir, name));
    hash.update(`\0${name}\0${stat.size}\0${stat.mtimeMs}`);
  }
  return hash.digest('hex').slice(0, 20);
}
