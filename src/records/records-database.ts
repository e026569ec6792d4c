import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { migrateToLatest } from './records-migrations.ts';
import type { RecordsSchema } from './records-schema.ts';

export type RecordsDb = Kysely<RecordsSchema>;

export interface RecordsDatabase {
  db: RecordsDb;
  /** `postgres` (DATABASE_URL) or `pglite` (embedded, one process). */
  kind: 'postgres' | 'pglite';
  /** The migrations this opening ran (none when the schema was already the latest). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * The system of record: PostgreSQL at `databaseUrl`, or without one an embedded PostgreSQL (PGlite)
 * in `dataDir`, so `npm start` needs nothing installed. Same schema and SQL on both; the schema is
 * brought to the latest migration before anything is written. PGlite is one connection in this
 * process: a deployment of several processes sets DATABASE_URL.
 */
export async function openRecordsDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where a connection the database dropped is reported (the pool replaces it; nothing crashes). */
  onConnectionError?: (err: Error) => void;
}): Promise<RecordsDatabase> {
  let db: RecordsDb;
  let kind: RecordsDatabase['kind'];
  if (options.databaseUrl !== undefined) {
    // timestamptz read as Date by pg's default parser; a small pool: records are written in batches.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 5 });
    // An idle connection the server or the network drops is an 'error' event: unheard, it would end the process.
    pool.on('error', (err) => options.onConnectionError?.(err));
    // A connection lost while checked out (between a transaction's statements) emits on the client itself.
    pool.on('connect', (client) => client.on('error', (err) => options.onConnectionError?.(err)));
    db = new Kysely<RecordsSchema>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    // `memory://` keeps it in memory (tests); any other value is a directory.
    if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    db = new Kysely<RecordsSchema>({ dialect: new PGliteDialect(new PGlite(options.dataDir)) });
    kind = 'pglite';
  }
  let applied: string[];
  try {
    applied = await migrateToLatest(db as unknown as Kysely<unknown>);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, kind, applied, close: () => db.destroy() };
}
