import { sql, type Transaction } from 'kysely';
import { channelOfKey } from '../core/activities.ts';
import type { RecordEvent } from './record-events.ts';
import type { RecordsSchema } from './records-schema.ts';

type Tx = Transaction<RecordsSchema>;

/** Worst first: a conversation's outcome is the worst any of its turns had. */
const OUTCOME_RANK: Record<string, number> = {
  handoff: 6,
  not_found: 5,
  choices: 4,
  unsure: 3,
  declined: 2,
  clarifying: 1,
  answered: 0,
};
const rankSql = (column: string) =>
  sql<number>`case ${sql.ref(column)} ${sql.join(
    Object.entries(OUTCOME_RANK).map(([name, rank]) => sql`when ${name} then ${rank}`),
    sql` `,
  )} else 0 end`;

/**
 * Applies one event to the tables. Each is idempotent: inserts keyed by the event's id (or the
 * transcript's conversation and number) do nothing the second time, and steps of a handoff or a
 * callback only fill a time that is still empty.
 */
export async function applyEvent(tx: Tx, e: RecordEvent): Promise<void> {
  switch (e.kind) {
    case 'transcript': {
      const added = await tx
        .insertInto('transcript_entries')
        .values({ conversation: e.conversation, seq: e.seq, at: e.at, speaker: e.from, text: e.text, agent: e.agent })
        .onConflict((oc) => oc.columns(['conversation', 'seq']).doNothing())
        .returning('seq')
        .executeTakeFirst();
      if (added !== undefined) await touchConversation(tx, e.conversation, channelOfKey(e.conversation), e.at);
      return;
    }
    case 'turn': {
      const added = await tx
        .insertInto('turns')
        .values({
          id: e.id,
          conversation: e.conversation,
          channel: e.channel,
          at: e.at,
          intent: e.intent,
          procedure: e.procedure,
          outcome: e.outcome,
          duration_ms: e.durationMs,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (added === undefined) return;
      await touchConversation(tx, e.conversation, e.channel, e.at, {
        turn: true,
        outcome: e.outcome,
        channelUser: e.channelUser,
      });
      return;
    }
    case 'handoff': {
      const id = `${e.conversation}@${e.handoff}`;
      if (e.step === 'queued') {
        await tx
          .insertInto('handoffs')
          .values({ id, conversation: e.conversation, channel: e.channel, reason: e.reason, queued_at: e.at })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        await touchConversation(tx, e.conversation, e.channel, e.at, { outcome: 'handoff' });
        await tx.updateTable('conversations').set({ handed_off: true }).where('key', '=', e.conversation).execute();
        return;
      }
      const column = (
        {
          claimed: 'claimed_at',
          first_response: 'first_response_at',
          closed: 'closed_at',
          cancelled: 'cancelled_at',
        } as const
      )[e.step];
      await tx
        .updateTable('handoffs')
        .set({ [column]: sql`coalesce(${sql.ref(column)}, ${e.at}::timestamptz)` })
        .$if(e.step === 'claimed' && e.agent !== null, (q) => q.set({ agent: e.agent }))
        .where('id', '=', id)
        .execute();
      return;
    }
    case 'survey':
      await tx
        .insertInto('surveys')
        .values({
          id: e.id,
          conversation: e.conversation,
          channel: e.channel,
          at: e.at,
          agent: e.agent,
          rating: e.rating,
          comment: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return;
    case 'survey_comment':
      // Applying it twice writes the same text again.
      await tx
        .updateTable('surveys')
        .set({ comment: e.comment })
        .where('id', '=', (eb) =>
          eb
            .selectFrom('surveys')
            .select('id')
            .where('conversation', '=', e.conversation)
            .where('at', '<=', new Date(e.at))
            .orderBy('at', 'desc')
            .limit(1),
        )
        .execute();
      return;
    case 'callback':
      if (e.step === 'saved') {
        await tx
          .insertInto('callbacks')
          .values({
            id: e.callbackId,
            conversation: e.conversation,
            channel: e.channel,
            created_at: e.at,
            due_at: e.dueAt,
            phone: e.phone,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      } else {
        await tx
          .updateTable('callbacks')
          .set({ done_at: sql`coalesce(done_at, ${e.at}::timestamptz)`, done_by: sql`coalesce(done_by, ${e.agent})` })
          .where('id', '=', e.callbackId)
          .execute();
      }
      return;
    case 'dossier_lookup':
      await tx
        .insertInto('dossier_lookups')
        .values({ id: e.id, conversation: e.conversation, channel: e.channel, at: e.at, result: e.result })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return;
    case 'unanswered':
      await tx
        .insertInto('unanswered')
        .values({
          id: e.id,
          conversation: e.conversation,
          channel: e.channel,
          at: e.at,
          text: e.text,
          did: e.did,
          intent: e.intent,
          candidates: e.candidates.join(' '),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return;
    case 'audit':
      await tx
        .insertInto('audit_log')
        .values({
          id: e.id,
          at: e.at,
          actor: e.actor,
          action: e.action,
          conversation: e.conversation,
          detail: JSON.stringify(e.detail),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return;
  }
}

/** Creates the conversation's row or moves its last time on; with a turn, counts it and keeps the worst outcome. */
async function touchConversation(
  tx: Tx,
  key: string,
  channel: string,
  at: string,
  of: { turn?: boolean; outcome?: string; channelUser?: string } = {},
): Promise<void> {
  const { outcome, channelUser } = of;
  await tx
    .insertInto('conversations')
    .values({
      key,
      channel,
      channel_user: channelUser ?? null,
      started_at: at,
      last_at: at,
      turns: of.turn === true ? 1 : 0,
      outcome: outcome ?? 'answered',
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        last_at: sql`greatest(conversations.last_at, excluded.last_at)`,
        started_at: sql`least(conversations.started_at, excluded.started_at)`,
        turns: sql`conversations.turns + excluded.turns`,
        channel_user: sql`coalesce(conversations.channel_user, excluded.channel_user)`,
        outcome: sql`case when ${rankSql('excluded.outcome')} > ${rankSql('conversations.outcome')} then excluded.outcome else conversations.outcome end`,
      }),
    )
    .execute();
}
