import type { RecordsDb } from './records-database.ts';

/** How a supervisor names a citizen whose data is asked for or to be deleted. */
export type CitizenQuery =
  | { by: 'conversation'; conversation: string }
  | { by: 'phone'; phone: string }
  | { by: 'channel_user'; channel: string; user: string };

const PER_CONVERSATION = [
  'transcript_entries',
  'turns',
  'handoffs',
  'surveys',
  'callbacks',
  'dossier_lookups',
  'unanswered',
] as const;

/** Digits only, with a leading 84 read as 0: "+84 905 123 456" and "0905123456" are one number. */
function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/gu, '');
  return digits.startsWith('84') && digits.length >= 11 ? `0${digits.slice(2)}` : digits;
}

/**
 * The conversations of one citizen: the one named; those whose callbacks or transcript carry the
 * phone number (written with or without spaces, dots or +84); those of a channel user id.
 */
export async function conversationsOf(db: RecordsDb, query: CitizenQuery): Promise<string[]> {
  if (query.by === 'conversation') {
    const rows = await db
      .selectFrom('conversations')
      .select('key')
      .where('key', '=', query.conversation)
      .union(
        db
          .selectFrom('transcript_entries')
          .select('conversation as key')
          .where('conversation', '=', query.conversation),
      )
      .execute();
    return rows.map((r) => r.key);
  }
  if (query.by === 'channel_user') {
    const rows = await db
      .selectFrom('conversations')
      .select('key')
      .where('channel', '=', query.channel)
      .where('channel_user', '=', query.user)
      .execute();
    return rows.map((r) => r.key);
  }
  const digits = phoneDigits(query.phone);
  if (digits.length < 9) return [];
  const rest = digits.slice(1);
  // The number as typed in a message may hold spaces or dots between its digits: compare digits only.
  const rows = await db
    .selectFrom('callbacks')
    .select('conversation as key')
    .where((eb) => eb.fn('regexp_replace', ['phone', eb.val('\\D'), eb.val(''), eb.val('g')]), 'like', `%${rest}`)
    .union(
      db
        .selectFrom('transcript_entries')
        .select('conversation as key')
        .where('speaker', '=', 'citizen')
        .where((eb) => eb.fn('regexp_replace', ['text', eb.val('\\D'), eb.val(''), eb.val('g')]), 'like', `%${rest}%`),
    )
    .execute();
  return [...new Set(rows.map((r) => r.key))];
}

/** Everything the records hold of these conversations, table by table: what a citizen's access request gets. */
export async function exportConversations(
  db: RecordsDb,
  keys: readonly string[],
): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  if (keys.length === 0) return out;
  out.conversations = await db.selectFrom('conversations').selectAll().where('key', 'in', keys).execute();
  for (const table of PER_CONVERSATION)
    out[table] = await db.selectFrom(table).selectAll().where('conversation', 'in', keys).execute();
  out.audit_log = await db.selectFrom('audit_log').selectAll().where('conversation', 'in', keys).execute();
  return out;
}

/** Deletes every row of these conversations; the audit log keeps the staff actions, with the key replaced. */
export async function deleteConversations(db: RecordsDb, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  return db.transaction().execute(async (tx) => {
    let rows = 0;
    for (const table of PER_CONVERSATION) {
      const r = await tx.deleteFrom(table).where('conversation', 'in', keys).executeTakeFirst();
      rows += Number(r.numDeletedRows);
    }
    const c = await tx.deleteFrom('conversations').where('key', 'in', keys).executeTakeFirst();
    rows += Number(c.numDeletedRows);
    await tx
      .updateTable('audit_log')
      .set({ conversation: '(đã xóa)', detail: '{}' })
      .where('conversation', 'in', keys)
      .execute();
    return rows;
  });
}
