import { z } from 'zod';
import { PROCEDURE_ASPECTS } from '../nlu/intent-names.ts';
import { ADDRESS_FORMS } from './address-form.ts';

const ProcedureRef = z.object({ code: z.string(), name: z.string() });
export type ProcedureRef = z.infer<typeof ProcedureRef>;

/**
 * What the bot remembers of one conversation between turns. Read back from a store (possibly
 * Redis, written by another version of the server), so it is validated, and every field has a
 * default: an older state still loads.
 */
export const ConversationState = z.object({
  /** The procedure in discussion: a follow-up ("phí bao nhiêu?") refers to it. */
  procedure: ProcedureRef.nullable().default(null),
  /** Procedures offered as numbered choices, waiting for the citizen's pick. */
  choices: z.array(ProcedureRef).default([]),
  /** What the citizen asked before we had to ask which procedure (answered once they say). */
  pendingAspect: z.enum(PROCEDURE_ASPECTS).nullable().default(null),
  /** Turns in a row the bot could not help with; at two it offers a person. */
  failedTurns: z.number().int().nonnegative().default(0),
  lastIntent: z.string().nullable().default(null),
  turns: z.number().int().nonnegative().default(0),
  /** How the citizen is addressed, from their own words ("bác", "anh"…); null until they show one. */
  address: z.enum(ADDRESS_FORMS).nullable().default(null),
  /** After an agent closed the conversation: the satisfaction question is open. */
  survey: z
    .object({ agent: z.string(), channel: z.string(), stage: z.enum(['rating', 'comment']) })
    .nullable()
    .default(null),
  /** The dossier asked about: its code, and whether the citizen proved it is theirs (last 4 digits of the phone). */
  dossier: z
    .object({ code: z.string(), stage: z.enum(['verify', 'verified']), attempts: z.number().int().nonnegative() })
    .nullable()
    .default(null),
  /** A complaint heard, waiting for the citizen to confirm it goes to the supervisors: what they said. */
  complaint: z.object({ text: z.string() }).nullable().default(null),
  /** Nobody could take the conversation: the citizen is leaving a message and a number to be called back. */
  callback: z
    .object({
      stage: z.enum(['offered', 'message', 'phone', 'consent']),
      message: z.string().nullable(),
      phone: z.string().nullable(),
      /** Whose call it is: a complaint's is the supervisors'. */
      queue: z.enum(['agents', 'supervisors']).default('agents'),
    })
    .nullable()
    .default(null),
});
export type ConversationState = z.infer<typeof ConversationState>;

export function newConversationState(): ConversationState {
  return ConversationState.parse({});
}
