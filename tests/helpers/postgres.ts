import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The real PostgreSQL these machines run (`npm test`'s preflight starts it when absent). */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A schema of its own in the test database, so no two servers, files or runs share a table: the URL
 * sets the connection's search_path to it. `drop` removes it and everything in it.
 */
export async function freshSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `t_${randomUUID().replaceAll('-', '')}`;
  await withClient((c) => c.query(`create schema ${schema}`));
  // pg reads `options` with decodeURIComponent: the space must be %20 (URLSearchParams would write '+').
  const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    drop: () => withClient((c) => c.query(`drop schema if exists ${schema} cascade`)).then(() => undefined),
  };
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
