/**
 * The intent names: a public contract (docs/intents.md). The CLI, the HTTP API and the
 * evaluation report exactly these strings; add new ones if citizens need them, never rename.
 */
export const INTENT_NAMES = [
  'greeting',
  'goodbye',
  'thanks',
  'procedure_info',
  'procedure_documents',
  'procedure_fee',
  'procedure_duration',
  'procedure_where',
  'procedure_online',
  'procedure_steps',
  'procedure_conditions',
  'procedure_legal_basis',
  'dossier_status',
  'center_hours',
  'center_location',
  'center_contact',
  'queue_ticket',
  'postal_service',
  'online_payment',
  'human_handoff',
  'complaint',
  'feedback_rating',
  'out_of_scope',
] as const;

export type IntentName = (typeof INTENT_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(INTENT_NAMES);

export function isIntentName(name: string): name is IntentName {
  return KNOWN.has(name);
}

/** The intents that ask about one aspect of a procedure, and so need to know which procedure. */
export type ProcedureAspect = Extract<IntentName, `procedure_${string}`>;

export const PROCEDURE_ASPECTS = INTENT_NAMES.filter((name): name is ProcedureAspect =>
  name.startsWith('procedure_'),
) as [ProcedureAspect, ...ProcedureAspect[]];

export function isProcedureAspect(intent: string): intent is ProcedureAspect {
  return (PROCEDURE_ASPECTS as readonly string[]).includes(intent);
}
