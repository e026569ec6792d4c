import type { ColumnType, Generated } from 'kysely';

/**
 * The tables of the records, as the queries see them (the migrations in `records-migrations.ts`
 * create them). Times are `timestamptz`: read as Date, written as ISO strings or Dates.
 */
type Time = ColumnType<Date, string | Date, string | Date>;
type MaybeTime = ColumnType<Date | null, string | Date | null | undefined, string | Date | null>;

interface ConversationsTable {
  key: string;
  channel: string;
  /** The channel's own user id: what a deletion request names; emptied by the retention job. */
  channel_user: string | null;
  started_at: Time;
  last_at: Time;
  turns: ColumnType<number, number | undefined, number>;
  /** The worst outcome any turn had (handoff > not_found > choices > declined > answered). */
  outcome: string;
  handed_off: ColumnType<boolean, boolean | undefined, boolean>;
  /** Set when the retention job removed its personal data (transcript, channel user, phone). */
  purged_at: MaybeTime;
}

interface TranscriptEntriesTable {
  conversation: string;
  seq: number;
  at: Time;
  speaker: string;
  text: string;
  agent: string | null;
}

interface TurnsTable {
  id: string;
  conversation: string;
  channel: string;
  at: Time;
  intent: string;
  procedure: string | null;
  outcome: string;
  duration_ms: number;
}

interface HandoffsTable {
  /** One per handoff: the conversation and the time it was queued. */
  id: string;
  conversation: string;
  channel: string;
  reason: string | null;
  queued_at: Time;
  claimed_at: MaybeTime;
  agent: string | null;
  first_response_at: MaybeTime;
  closed_at: MaybeTime;
  cancelled_at: MaybeTime;
}

interface SurveysTable {
  id: string;
  conversation: string;
  channel: string;
  at: Time;
  agent: string;
  rating: string;
  comment: string | null;
}

interface CallbacksTable {
  id: string;
  conversation: string;
  channel: string;
  created_at: Time;
  due_at: MaybeTime;
  done_at: MaybeTime;
  done_by: string | null;
  phone: string | null;
}

interface DossierLookupsTable {
  id: string;
  conversation: string;
  channel: string;
  at: Time;
  result: string;
}

interface UnansweredTable {
  id: string;
  conversation: string;
  channel: string;
  at: Time;
  text: string;
  did: string;
  intent: string;
  candidates: string;
}

interface AuditLogTable {
  id: string;
  at: Time;
  actor: string;
  action: string;
  conversation: string | null;
  detail: string;
}

export interface RecordsSchema {
  conversations: ConversationsTable;
  transcript_entries: TranscriptEntriesTable;
  turns: TurnsTable;
  handoffs: HandoffsTable;
  surveys: SurveysTable;
  callbacks: CallbacksTable;
  dossier_lookups: DossierLookupsTable;
  unanswered: UnansweredTable;
  audit_log: AuditLogTable & { seq: Generated<number> };
}
