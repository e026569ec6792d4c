import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createAssistant } from '../src/assistant.ts';
import { openRecordsDatabase, type RecordsDatabase } from '../src/records/records-database.ts';
import { dashboard, dashboardQueries } from '../src/records/records-reports.ts';
import { RecordsWriter } from '../src/records/records-writer.ts';
import { seedMonth } from '../src/records/seed-month.ts';
import { loadConfig } from '../src/shared/config.ts';
import { createLogger } from '../src/shared/logger.ts';
import { fmt, percentile, timeEachAsync } from './stats.ts';

const CHAT_DEV = fileURLToPath(new URL('../tests/dev-sets/chat-dev.jsonl', import.meta.url));
const POSTGRES = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SEEDED_TURNS = 20_000;
const RUNS = 7;

/**
 * The records: what keeping them costs a chat turn (the same turns with and without, in one run),
 * and a seeded month (20,000 turns through the real chat path) read by the dashboard on PostgreSQL
 * and on the embedded PGlite: the whole dashboard and each of its queries.
 */
export async function runRecordsBench(): Promise<string> {
  const config = loadConfig();
  const log = createLogger('silent');
  const turns = readFileSync(CHAT_DEV, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => (JSON.parse(l) as { turns: { text: string }[] }).turns.map((t) => t.text));

  // A turn without records (the baseline), then with them: events to the outbox and a writer
  // emptying it into an embedded PGlite in the same process, as `npm start` runs.
  const plain = await createAssistant({ ...config, redisUrl: undefined }, log);
  await plain.warmUp();
  let n = 0;
  const without = await timeEachAsync(turns, (t) => plain.chat(`bench-${n++ % 40}`, t), 5);
  await plain.close();
  const kept = await createAssistant({ ...config, redisUrl: undefined, records: true }, log);
  const embedded = await openRecordsDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
  const writer = new RecordsWriter(kept.outbox!, embedded.db, log);
  writer.start();
  await kept.warmUp();
  const withRecords = await timeEachAsync(turns, (t) => kept.chat(`bench-${n++ % 40}`, t), 5);
  await writer.flushed(60_000);
  await writer.stop();
  const written = await embedded.db
    .selectFrom('turns')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();

  // The same with the writer on a PostgreSQL server (the deployment with DATABASE_URL).
  const schema = `bench_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: POSTGRES });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const postgres = await openRecordsDatabase({
    databaseUrl: `${POSTGRES}${POSTGRES.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    dataDir: '',
  });
  const server = await createAssistant({ ...config, redisUrl: undefined, records: true }, log);
  const serverWriter = new RecordsWriter(server.outbox!, postgres.db, log);
  serverWriter.start();
  await server.warmUp();
  const withPostgres = await timeEachAsync(turns, (t) => server.chat(`bench-${n++ % 40}`, t), 5);
  await serverWriter.flushed(60_000);
  await serverWriter.stop();
  await server.close();
  for (const table of ['transcript_entries', 'turns', 'conversations', 'unanswered', 'handoffs'] as const)
    await postgres.db.deleteFrom(table).execute();

  // The seeded month, the same events into both databases.
  const month = await openRecordsDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
  const seedStart = performance.now();
  const seeded = await seedMonth(kept, [postgres.db, month.db], { days: 30, turns: SEEDED_TURNS, end: new Date() });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  await kept.close();

  const range = { from: new Date(Date.now() - 30 * 86_400_000), to: new Date(Date.now() + 86_400_000), channel: null };
  const lines = [
    '## Records',
    `chat turn, chat dev set x 5 rounds, in-memory state: without records p50 ${fmt(percentile(without, 50))}, p99 ${fmt(percentile(without, 99))}; with records (outbox + writer to PGlite in this process) p50 ${fmt(percentile(withRecords, 50))}, p99 ${fmt(percentile(withRecords, 99))} (ratio p99 ${(percentile(withRecords, 99) / percentile(without, 99)).toFixed(2)}; target p99 < 10 ms); ${Number(written?.n ?? 0)} turns written`,
    `chat turn with the writer on PostgreSQL (DATABASE_URL): p50 ${fmt(percentile(withPostgres, 50))}, p99 ${fmt(percentile(withPostgres, 99))} (ratio p99 ${(percentile(withPostgres, 99) / percentile(without, 99)).toFixed(2)})`,
    `seeded month: ${seeded.turns} turns in ${seeded.conversations} conversations over 30 days on 3 channels, ${seeded.events} events, written to both databases in ${seedSeconds.toFixed(0)} s`,
  ];
  for (const [name, db] of [
    ['PostgreSQL 15', postgres],
    ['PGlite (embedded)', month],
  ] as [string, RecordsDatabase][]) {
    await dashboard(db.db, range);
    const whole: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t = performance.now();
      await dashboard(db.db, range);
      whole.push(performance.now() - t);
    }
    whole.sort((a, b) => a - b);
    const each: string[] = [];
    for (const [query, run] of Object.entries(dashboardQueries(db.db, range))) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      each.push(`${query} ${percentile(times, 50).toFixed(1)}/${times.at(-1)!.toFixed(1)}`);
    }
    lines.push(
      `${name}: whole dashboard (10 queries) p50 ${fmt(percentile(whole, 50))}, max ${fmt(whole.at(-1)!)} (target < 1 s); each query p50/max ms (target < 100): ${each.join(', ')}`,
    );
  }
  await postgres.close();
  await month.close();
  await embedded.close();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
  return lines.join('\n');
}
