import { pino } from 'pino';
import { createAssistant } from '../assistant.ts';
import { openRecordsDatabase } from '../records/records-database.ts';
import { seedMonth } from '../records/seed-month.ts';
import type { AppConfig } from '../shared/config.ts';

/** `npm run seed:records -- [--days 30] [--turns 20000]`: a demo month in the records the server reads. */
export async function runSeedRecords(config: AppConfig, args: string[]): Promise<void> {
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const value = i >= 0 ? Number(args[i + 1]) : fallback;
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a whole number above 0`);
    return value;
  };
  const records = await openRecordsDatabase({ databaseUrl: config.databaseUrl, dataDir: config.recordsDir });
  // Its own in-memory state: seeding never touches a running service's conversations.
  const assistant = await createAssistant({ ...config, redisUrl: undefined, records: true }, pino({ level: 'silent' }));
  const started = performance.now();
  const seeded = await seedMonth(assistant, [records.db], {
    days: flag('days', 30),
    turns: flag('turns', 20_000),
    end: new Date(),
  });
  process.stdout.write(
    `${JSON.stringify({ database: records.kind, ...seeded, seconds: Math.round((performance.now() - started) / 1000) })}\n`,
  );
  await assistant.close();
  await records.close();
}
