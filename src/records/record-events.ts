import { z } from 'zod';

/**
 * What the assistant records of its work, as events: written to the outbox on (or beside) the turn's
 * path, read back by the records writer, which validates them here (the outbox is a store other
 * processes write to) and applies each to its table. Every event has an id unique to it, so applying
 * one twice (a writer that died before its acknowledgement) changes nothing.
 */
const Base = {
  id: z.string().min(1),
  /** When it happened (ISO 8601). */
  at: z.string(),
  /** The conversation's key (`<channel>:<id>`), or null for what happens outside one (a sign-in). */
  conversation: z.string().nullable(),
};

const TURN_OUTCOMES = ['answered', 'choices', 'not_found', 'handoff', 'declined', 'unsure', 'clarifying'] as const;
export type TurnOutcomeName = (typeof TURN_OUTCOMES)[number];

const DOSSIER_LOOKUP_RESULTS = [
  'shown',
  'not_found',
  'verified',
  'wrong_digits',
  'locked',
  'rate_limited',
  'unavailable',
] as const;
export type DossierLookupResult = (typeof DOSSIER_LOOKUP_RESULTS)[number];

const HANDOFF_STEPS = ['queued', 'claimed', 'first_response', 'closed', 'cancelled'] as const;

export const RecordEvent = z.discriminatedUnion('kind', [
  /** One transcript line (the citizen's, the bot's or an officer's), numbered as the transcript numbered it. */
  z.object({
    ...Base,
    kind: z.literal('transcript'),
    conversation: z.string(),
    seq: z.number().int().positive(),
    from: z.string(),
    text: z.string(),
    agent: z.string().nullable().default(null),
  }),
  /** One bot turn: what was asked (intent, procedure, aspect) and how it went. */
  z.object({
    ...Base,
    kind: z.literal('turn'),
    conversation: z.string(),
    channel: z.string(),
    /** The channel's own user id (PSID, Zalo user id, webchat conversation): what a deletion request names. */
    channelUser: z.string(),
    intent: z.string(),
    procedure: z.string().nullable(),
    outcome: z.enum(TURN_OUTCOMES),
    durationMs: z.number().nonnegative(),
  }),
  /** A step of a handoff to people. */
  z.object({
    ...Base,
    kind: z.literal('handoff'),
    conversation: z.string(),
    channel: z.string(),
    /** Which handoff of the conversation: the time it was queued (the queue's `waitingSince`). */
    handoff: z.string(),
    step: z.enum(HANDOFF_STEPS),
    reason: z.string().nullable().default(null),
    agent: z.string().nullable().default(null),
  }),
  /** A satisfaction answer after a handoff. */
  z.object({
    ...Base,
    kind: z.literal('survey'),
    conversation: z.string(),
    channel: z.string(),
    agent: z.string(),
    rating: z.enum(['very_good', 'good', 'neutral', 'bad']),
  }),
  /** The comment that followed the conversation's latest rating. */
  z.object({
    ...Base,
    kind: z.literal('survey_comment'),
    conversation: z.string(),
    comment: z.string(),
  }),
  /** A callback the citizen asked for (the phone number is personal data: purged with the transcript). */
  z.object({
    ...Base,
    kind: z.literal('callback'),
    conversation: z.string(),
    channel: z.string(),
    callbackId: z.string(),
    step: z.enum(['saved', 'done']),
    dueAt: z.string().nullable().default(null),
    phone: z.string().nullable().default(null),
    agent: z.string().nullable().default(null),
  }),
  /** A dossier look-up: how it went, never the code or the phone digits. */
  z.object({
    ...Base,
    kind: z.literal('dossier_lookup'),
    conversation: z.string(),
    channel: z.string(),
    result: z.enum(DOSSIER_LOOKUP_RESULTS),
  }),
  /** A question the bot could not answer (personal details already removed), for staff to work. */
  z.object({
    ...Base,
    kind: z.literal('unanswered'),
    conversation: z.string(),
    channel: z.string(),
    text: z.string(),
    did: z.string(),
    intent: z.string(),
    candidates: z.array(z.string()),
  }),
  /** What a member of staff did (the audit log). */
  z.object({
    ...Base,
    kind: z.literal('audit'),
    actor: z.string(),
    action: z.string(),
    detail: z.record(z.string(), z.unknown()).default({}),
  }),
]);
export type RecordEvent = z.infer<typeof RecordEvent>;
/** An event as its producer writes it: the defaults are filled in when it is read. */
export type NewRecordEvent = z.input<typeof RecordEvent>;

/** Where producers put events: never blocks a turn on the database, never throws into it. */
export interface RecordSink {
  add(event: NewRecordEvent): void;
}

/** A sink that records nothing (tools that run the bot outside the server: evaluations, the CLI). */
export const NO_RECORDS: RecordSink = { add: () => undefined };
