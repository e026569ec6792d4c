import { readJsonFile } from '../shared/line-files.ts';
import { z } from 'zod';
import { DOSSIER_STATUSES, type DossierStatus } from '../dossier/dossier-record.ts';
import { INTENT_NAMES, PROCEDURE_ASPECTS, type IntentName, type ProcedureAspect } from '../nlu/intent-names.ts';

const TEXT_KEYS = [
  'greeting',
  'goodbye',
  'thanks',
  'out_of_scope',
  'unsure',
  'unsure_choices',
  'unsure_again',
  'ask_procedure',
  'other_choices',
  'choose_for_aspect',
  'choice_not_understood',
  'not_in_catalogue',
  'procedure_not_found',
  'complaint',
  'human_handoff',
  'feedback_rating',
  'dossier_status_ask_code',
  'dossier_status_code',
  'online_payment',
  'error',
  'message_too_long',
  'sample_marker',
  'handoff_queued',
  'handoff_queued_supervisor',
  'handoff_still_waiting',
  'english',
  'handoff_cancelled',
  'handoff_waiting_note',
  'complaint_sent_nobody',
  'handoff_closed_hours',
  'handoff_no_agent',
  'handoff_agent_joined',
  'handoff_ended',
  'survey_question',
  'survey_comment',
  'survey_thanks',
  'callback_ask_message',
  'callback_ask_phone',
  'callback_ask_consent',
  'callback_saved',
  'callback_declined',
  'callback_bad_phone',
  'attachment_unsupported',
  'dossier_not_found',
  'dossier_brief',
  'dossier_ask_phone',
  'dossier_phone_mismatch',
  'dossier_phone_locked',
  'dossier_rate_limited',
  'dossier_unavailable',
  'dossier_demo',
  'dossier_received',
  'dossier_processing',
  'dossier_additional',
  'dossier_ready',
  'dossier_posted',
  'dossier_cancelled',
  'dossier_overdue',
  'dossier_overdue_no_date',
  'dossier_followed',
  'dossier_follow_needs_code',
  'dossier_changed',
] as const;

export type TextKey = (typeof TEXT_KEYS)[number];

const Button = z.string().trim().min(1).max(40);

const RepliesFile = z.object({
  aspectButtons: z.record(Button, z.enum(INTENT_NAMES)),
  procedureButtons: z.array(Button).max(6),
  /** What the "more" buttons after a shortened answer are called: every step, every paper. */
  moreButtons: z.object({ steps: Button, documents: Button }),
  topTasks: z.array(Button).max(6),
  popularProcedures: z.array(Button).max(6),
  sourceLabels: z.record(z.string(), z.string()),
  texts: z.object(Object.fromEntries(TEXT_KEYS.map((k) => [k, z.string().min(1)])) as Record<TextKey, z.ZodString>),
  /** Buttons of the handoff: the four survey answers (best first), skip, and the callback questions. */
  handoffButtons: z.object({
    ratings: z.array(Button).length(4),
    skip: Button,
    leaveMessage: Button,
    noThanks: Button,
    agree: Button,
    disagree: Button,
    follow: Button,
    sendComplaint: Button,
    noComplaint: Button,
    cancelHandoff: Button,
  }),
  /** How each dossier status reads in a sentence ("hồ sơ … đang được giải quyết"). */
  dossierStatusNames: z.object(
    Object.fromEntries(DOSSIER_STATUSES.map((k) => [k, z.string().min(1)])) as Record<DossierStatus, z.ZodString>,
  ),
  aspectNames: z.object(
    Object.fromEntries(PROCEDURE_ASPECTS.map((k) => [k, z.string().min(1)])) as Record<ProcedureAspect, z.ZodString>,
  ),
});

/**
 * The assistant's fixed Vietnamese copy, from knowledge/replies.json, so staff can reword it without
 * touching code. Validated at start-up: every text the bot needs must be there.
 */
export class ReplyTexts {
  private constructor(private readonly file: z.infer<typeof RepliesFile>) {}

  static load(path: string): ReplyTexts {
    return new ReplyTexts(readJsonFile(path, RepliesFile));
  }

  /** The text for `key`, with `{name}` placeholders filled; a missing value leaves no placeholder behind. */
  say(key: TextKey, values: Record<string, string | number> = {}): string {
    return this.file.texts[key]
      .replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))
      .replace(/ {2,}/g, ' ')
      .trim();
  }

  get handoffButtons(): z.infer<typeof RepliesFile>['handoffButtons'] {
    return this.file.handoffButtons;
  }

  dossierStatusName(status: DossierStatus): string {
    return this.file.dossierStatusNames[status];
  }

  aspectName(aspect: ProcedureAspect): string {
    return this.file.aspectNames[aspect];
  }

  /** The intent a button asks, when `text` is exactly a button's title (case and accents aside). */
  buttonIntent(text: string, fold: (s: string) => string): IntentName | undefined {
    const typed = fold(text);
    for (const [title, intent] of Object.entries(this.file.aspectButtons)) {
      if (fold(title) === typed) return intent;
    }
    return undefined;
  }

  moreButton(kind: 'steps' | 'documents'): string {
    return this.file.moreButtons[kind];
  }

  /** The "more" view a button asks for, when `text` is exactly one of them. */
  moreKind(text: string, fold: (s: string) => string): 'steps' | 'documents' | undefined {
    const typed = fold(text);
    for (const [kind, title] of Object.entries(this.file.moreButtons))
      if (fold(title) === typed) return kind as 'steps' | 'documents';
    return undefined;
  }

  get procedureButtons(): string[] {
    return [...this.file.procedureButtons];
  }

  get topTasks(): string[] {
    return [...this.file.topTasks];
  }

  get popularProcedures(): string[] {
    return [...this.file.popularProcedures];
  }

  /**
   * How a fact's source is said to a citizen: the label of its document (knowledge/replies.json
   * sourceLabels, matched by the document the note names), a web address as it is, or nothing: a
   * staff note ("shared/docs/context.md (… what the center asked for)") is never shown.
   */
  sourceLabel(source: string): string | null {
    const exact = this.file.sourceLabels[source];
    if (exact !== undefined) return exact;
    const document = source.split(/\s[(;]/u)[0]!;
    for (const [key, label] of Object.entries(this.file.sourceLabels))
      if (key.split(/\s[(;]/u)[0] === document) return label;
    return /^https?:\/\/\S+$/u.test(source.trim()) ? source.trim() : null;
  }
}
