import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely } from 'kysely';
import pino from 'pino';
import { deleteConversations, exportConversations, conversationsOf } from '../../src/records/citizen-data.ts';
import type { NewRecordEvent } from '../../src/records/record-events.ts';
import { MemoryOutbox } from '../../src/records/record-outbox.ts';
import { openRecordsDatabase, type RecordsDatabase } from '../../src/records/records-database.ts';
import { migrateToLatest } from '../../src/records/records-migrations.ts';
import { dashboard } from '../../src/records/records-reports.ts';
import { RecordsWriter } from '../../src/records/records-writer.ts';
import { purgeOlderThan } from '../../src/records/retention.ts';
import { freshSchema } from '../helpers/postgres.ts';

const log = pino({ level: 'silent' });
const T0 = Date.parse('2026-11-02T02:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
let n = 0;
const id = () => `e${(n += 1)}`;

/** A month-old webchat conversation with a handoff, a survey and a callback, and a recent one on Zalo. */
function events(): NewRecordEvent[] {
  const old = 'webchat:old1';
  const recent = 'zalo:u42';
  const line = (conversation: string, seq: number, from: string, text: string, m: number): NewRecordEvent => ({
    kind: 'transcript',
    id: `${conversation}#${seq}`,
    at: at(m),
    conversation,
    seq,
    from,
    text,
  });
  return [
    line(old, 1, 'citizen', 'lam lai cccd mat bao nhieu', 0),
    line(old, 2, 'bot', 'Dạ, phí là 30.000 đồng.', 0),
    {
      kind: 'turn',
      id: id(),
      at: at(0),
      conversation: old,
      channel: 'webchat',
      channelUser: 'old1',
      intent: 'procedure_fee',
      procedure: '2.001194',
      outcome: 'answered',
      durationMs: 4,
    },
    line(old, 3, 'citizen', 'cho gap can bo, so em 0905 123 456', 1),
    {
      kind: 'turn',
      id: id(),
      at: at(1),
      conversation: old,
      channel: 'webchat',
      channelUser: 'old1',
      intent: 'human_handoff',
      procedure: null,
      outcome: 'handoff',
      durationMs: 3,
    },
    {
      kind: 'handoff',
      id: id(),
      at: at(1),
      conversation: old,
      channel: 'webchat',
      handoff: at(1),
      step: 'queued',
      reason: 'asked',
    },
    {
      kind: 'handoff',
      id: id(),
      at: at(3),
      conversation: old,
      channel: 'webchat',
      handoff: at(1),
      step: 'claimed',
      agent: 'lan',
    },
    {
      kind: 'handoff',
      id: id(),
      at: at(4),
      conversation: old,
      channel: 'webchat',
      handoff: at(1),
      step: 'first_response',
      agent: 'lan',
    },
    {
      kind: 'handoff',
      id: id(),
      at: at(5),
      conversation: old,
      channel: 'webchat',
      handoff: at(1),
      step: 'first_response',
      agent: 'lan',
    },
    {
      kind: 'handoff',
      id: id(),
      at: at(9),
      conversation: old,
      channel: 'webchat',
      handoff: at(1),
      step: 'closed',
      agent: 'lan',
    },
    { kind: 'survey', id: id(), at: at(10), conversation: old, channel: 'webchat', agent: 'lan', rating: 'very_good' },
    { kind: 'survey_comment', id: id(), at: at(11), conversation: old, comment: 'Cán bộ nhiệt tình' },
    {
      kind: 'callback',
      id: 'cb1',
      at: at(12),
      conversation: old,
      channel: 'webchat',
      callbackId: 'cb1',
      step: 'saved',
      dueAt: at(60),
      phone: '0905123456',
    },
    {
      kind: 'callback',
      id: 'cb1:done',
      at: at(70),
      conversation: old,
      channel: 'webchat',
      callbackId: 'cb1',
      step: 'done',
      agent: 'lan',
    },
    {
      kind: 'unanswered',
      id: id(),
      at: at(13),
      conversation: old,
      channel: 'webchat',
      text: 'giay phep nuoi ong',
      did: 'not_found',
      intent: 'procedure_info',
      candidates: [],
    },
    { kind: 'dossier_lookup', id: id(), at: at(14), conversation: old, channel: 'webchat', result: 'shown' },
    {
      kind: 'audit',
      id: id(),
      at: at(9),
      conversation: old,
      actor: 'lan',
      action: 'close',
      detail: { conversation: old },
    },
    line(recent, 1, 'citizen', 'dang ky khai sinh can gi', 40 * 24 * 60),
    {
      kind: 'turn',
      id: id(),
      at: at(40 * 24 * 60),
      conversation: recent,
      channel: 'zalo',
      channelUser: 'u42',
      intent: 'procedure_documents',
      procedure: '1.001193',
      outcome: 'choices',
      durationMs: 6,
    },
  ];
}

const kinds: [string, () => Promise<{ open: () => Promise<RecordsDatabase>; drop: () => Promise<void> }>][] = [
  [
    'PostgreSQL',
    async () => {
      const schema = await freshSchema();
      return { open: () => openRecordsDatabase({ databaseUrl: schema.url, dataDir: '' }), drop: schema.drop };
    },
  ],
  [
    'PGlite',
    async () => ({
      open: () => openRecordsDatabase({ databaseUrl: undefined, dataDir: 'memory://' }),
      drop: async () => {},
    }),
  ],
];

describe.each(kinds)('records on %s', (_name, make) => {
  let database: RecordsDatabase;
  let drop: () => Promise<void>;
  const outbox = new MemoryOutbox();

  beforeAll(async () => {
    const made = await make();
    drop = made.drop;
    database = await made.open();
    const writer = new RecordsWriter(outbox, database.db, log);
    writer.start();
    // Every event twice, as after a writer that died before acknowledging: recorded once all the same.
    const once = events();
    for (const e of [...once, ...once]) outbox.add(e);
    await writer.flushed();
    await writer.stop();
  }, 60_000);
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('runs each migration once: opening again has nothing left to run', async () => {
    expect(await migrateToLatest(database.db as unknown as Kysely<unknown>)).toEqual([]);
  });

  it('records each event exactly once, and what a conversation was', async () => {
    const db = database.db;
    expect((await db.selectFrom('transcript_entries').select('seq').execute()).length).toBe(4);
    expect((await db.selectFrom('turns').select('id').execute()).length).toBe(3);
    const conversations = await db.selectFrom('conversations').selectAll().orderBy('key').execute();
    expect(conversations.map((c) => [c.key, c.channel, c.channel_user, c.turns, c.outcome, c.handed_off])).toEqual([
      ['webchat:old1', 'webchat', 'old1', 2, 'handoff', true],
      ['zalo:u42', 'zalo', 'u42', 1, 'choices', false],
    ]);
    const [handoff] = await db.selectFrom('handoffs').selectAll().execute();
    expect(handoff?.agent).toBe('lan');
    // The first response is the first one, not the second.
    expect(handoff?.first_response_at?.toISOString()).toBe(at(4));
    const [survey] = await db.selectFrom('surveys').selectAll().execute();
    expect([survey?.rating, survey?.comment]).toEqual(['very_good', 'Cán bộ nhiệt tình']);
    const [callback] = await db.selectFrom('callbacks').selectAll().execute();
    expect([callback?.phone, callback?.done_by]).toEqual(['0905123456', 'lan']);
  });

  it('gives the dashboard its figures', async () => {
    const d = await dashboard(database.db, {
      from: new Date(T0 - 86_400_000),
      to: new Date(T0 + 50 * 86_400_000),
      channel: null,
    });
    expect(d.totals).toEqual({ conversations: 2, turns: 3 });
    expect(d.handoffs).toMatchObject({ queued: 1, claimed: 1, waitP50s: 120, firstResponseP50s: 60 });
    expect(d.ratings).toEqual([{ rating: 'very_good', answers: 1 }]);
    expect(d.callbacks).toEqual({ open: 0, overdue: 0, done: 1 });
    expect(d.procedures.map((p) => p.procedure).sort()).toEqual(['1.001193', '2.001194']);
    const zalo = await dashboard(database.db, {
      from: new Date(T0 - 86_400_000),
      to: new Date(T0 + 50 * 86_400_000),
      channel: 'zalo',
    });
    expect(zalo.totals.turns).toBe(1);
  });

  it('finds a citizen by phone (however written), channel user or conversation', async () => {
    const db = database.db;
    expect(await conversationsOf(db, { by: 'phone', phone: '+84 905.123.456' })).toEqual(['webchat:old1']);
    expect(await conversationsOf(db, { by: 'channel_user', channel: 'zalo', user: 'u42' })).toEqual(['zalo:u42']);
    expect(await conversationsOf(db, { by: 'phone', phone: '0911000000' })).toEqual([]);
    const exported = await exportConversations(db, ['webchat:old1']);
    expect(exported.transcript_entries).toHaveLength(3);
    expect(exported.callbacks?.[0]?.phone).toBe('0905123456');
  });

  it('purges the personal data of conversations past the retention time and keeps the counts', async () => {
    const db = database.db;
    const purged = await purgeOlderThan(db, new Date(T0 + 30 * 86_400_000));
    expect(purged).toEqual({ conversations: 1, transcriptLines: 3 });
    expect(await db.selectFrom('transcript_entries').select('conversation').execute()).toEqual([
      { conversation: 'zalo:u42' },
    ]);
    const [callback] = await db.selectFrom('callbacks').selectAll().execute();
    expect(callback?.phone).toBeNull();
    const [survey] = await db.selectFrom('surveys').selectAll().execute();
    expect([survey?.rating, survey?.comment]).toEqual(['very_good', null]);
    const old = await db
      .selectFrom('conversations')
      .selectAll()
      .where('key', '=', 'webchat:old1')
      .executeTakeFirstOrThrow();
    expect([old.channel_user, old.turns, old.purged_at !== null]).toEqual([null, 2, true]);
    expect((await db.selectFrom('turns').select('id').execute()).length).toBe(3);
    // A second run finds nothing more to purge.
    expect(await purgeOlderThan(db, new Date(T0 + 30 * 86_400_000))).toEqual({ conversations: 0, transcriptLines: 0 });
  });

  it('deletes every row of a citizen on request, and nothing of anyone else', async () => {
    const db = database.db;
    const rows = await deleteConversations(db, ['zalo:u42']);
    expect(rows).toBe(3);
    for (const table of ['transcript_entries', 'turns'] as const)
      expect(
        await db.selectFrom(table).select('conversation').where('conversation', '=', 'zalo:u42').execute(),
      ).toEqual([]);
    expect(await db.selectFrom('conversations').select('key').execute()).toEqual([{ key: 'webchat:old1' }]);
  });
});
