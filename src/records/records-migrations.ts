import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * The records' schema, one migration per change, in order; never edit one that has shipped, add the
 * next. The same SQL runs on PostgreSQL and on the embedded PGlite (it is PostgreSQL).
 */
const MIGRATIONS: Record<string, Migration> = {
  '2026-12-03-01-records': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('conversations')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('channel_user', 'text')
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('last_at', 'timestamptz', (c) => c.notNull())
        .addColumn('turns', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('handed_off', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('purged_at', 'timestamptz')
        .execute();
      await db.schema.createIndex('conversations_started').on('conversations').columns(['started_at']).execute();
      await db.schema
        .createIndex('conversations_user')
        .on('conversations')
        .columns(['channel', 'channel_user'])
        .execute();

      await db.schema
        .createTable('transcript_entries')
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('speaker', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('agent', 'text')
        .addPrimaryKeyConstraint('transcript_entries_pk', ['conversation', 'seq'])
        .execute();
      await db.schema.createIndex('transcript_entries_at').on('transcript_entries').columns(['at']).execute();

      await db.schema
        .createTable('turns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('intent', 'text', (c) => c.notNull())
        .addColumn('procedure', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'real', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('turns_at').on('turns').columns(['at']).execute();
      await db.schema.createIndex('turns_conversation').on('turns').columns(['conversation']).execute();

      await db.schema
        .createTable('handoffs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('queued_at', 'timestamptz', (c) => c.notNull())
        .addColumn('claimed_at', 'timestamptz')
        .addColumn('agent', 'text')
        .addColumn('first_response_at', 'timestamptz')
        .addColumn('closed_at', 'timestamptz')
        .addColumn('cancelled_at', 'timestamptz')
        .execute();
      await db.schema.createIndex('handoffs_queued').on('handoffs').columns(['queued_at']).execute();
      await db.schema.createIndex('handoffs_conversation').on('handoffs').columns(['conversation']).execute();

      for (const table of ['surveys', 'dossier_lookups', 'unanswered'] as const) {
        let create = db.schema
          .createTable(table)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('conversation', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('at', 'timestamptz', (c) => c.notNull());
        if (table === 'surveys')
          create = create
            .addColumn('agent', 'text', (c) => c.notNull())
            .addColumn('rating', 'text', (c) => c.notNull())
            .addColumn('comment', 'text');
        if (table === 'dossier_lookups') create = create.addColumn('result', 'text', (c) => c.notNull());
        if (table === 'unanswered')
          create = create
            .addColumn('text', 'text', (c) => c.notNull())
            .addColumn('did', 'text', (c) => c.notNull())
            .addColumn('intent', 'text', (c) => c.notNull())
            .addColumn('candidates', 'text', (c) => c.notNull());
        await create.execute();
        await db.schema.createIndex(`${table}_at`).on(table).columns(['at']).execute();
        await db.schema.createIndex(`${table}_conversation`).on(table).columns(['conversation']).execute();
      }

      await db.schema
        .createTable('callbacks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('due_at', 'timestamptz')
        .addColumn('done_at', 'timestamptz')
        .addColumn('done_by', 'text')
        .addColumn('phone', 'text')
        .execute();
      await db.schema.createIndex('callbacks_created').on('callbacks').columns(['created_at']).execute();
      await db.schema.createIndex('callbacks_conversation').on('callbacks').columns(['conversation']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigserial', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('conversation', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'audit_log',
        'callbacks',
        'unanswered',
        'dossier_lookups',
        'surveys',
        'handoffs',
        'turns',
        'transcript_entries',
        'conversations',
      ])
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema to the latest migration. Kysely's migrator takes a lock in the database itself,
 * so processes starting together run each migration once.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  // The migrator's own tables in the connection's schema, named: unnamed, it looks for them in every
  // schema, and a database shared by several deployments (or test runs) would see another's.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrationTableSchema = rows[0]?.schema ?? 'public';
  const { error, results } = await new Migrator({ db, provider, migrationTableSchema }).migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
