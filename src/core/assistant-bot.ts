import { randomUUID } from 'node:crypto';
import { NO_RECORDS, type RecordSink, type TurnOutcomeName } from '../records/record-events.ts';
import { ActivityHandler, type TurnContext } from '@microsoft/agents-hosting';
import type { Activity } from '@microsoft/agents-activity';
import type { Logger } from 'pino';
import type { MessageParser, ParsedMessage } from '../nlu/message-parser.ts';
import { redactPersonalDetails } from '../nlu/personal-details.ts';
import type { UnansweredLog } from '../state/unanswered-log.ts';
import type { VersionedStore } from '../state/versioned-store.ts';
import type { ConversationState } from './conversation-state.ts';
import type { Dialogue, TurnOutcome } from './dialogue.ts';
import type { ReplyTexts } from './reply-texts.ts';
import { tidyText, type Reply } from './reply.ts';
import { addressed, keptForm, type AddressForm } from './address-form.ts';
import type { DossierGate, PeopleGate } from './turn-gates.ts';
import { conversationKey, messageText, toActivity } from './activities.ts';

/** Longest message the bot reads; a longer one is cut and the citizen told so. */
const MAX_MESSAGE_CHARS = 2000;

/** What a turn was about, left on the TurnContext for the channel adapter and the logs. */
export const TURN_OUTCOME = 'assistant.turnOutcome';

/**
 * The assistant on the activity model: receives message activities from any channel, and answers
 * with message activities whose suggested actions are the quick replies. It knows no channel.
 */
export class AssistantBot extends ActivityHandler {
  constructor(
    private readonly parser: MessageParser,
    private readonly dialogue: Dialogue,
    private readonly store: VersionedStore<ConversationState>,
    private readonly texts: ReplyTexts,
    private readonly log: Logger,
    /** People behind the bot: while they have the conversation the bot is quiet. */
    private readonly desk?: PeopleGate,
    /** Dossier lookups in the one-stop system: codes, the 4 digits, following a dossier. */
    private readonly dossiers?: DossierGate,
    /** Questions the assistant could not answer, kept for staff without personal details. */
    private readonly unanswered?: UnansweredLog,
    /** The records: every turn, and each unanswered question. */
    private readonly records: RecordSink = NO_RECORDS,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    // A channel announces a new citizen (webchat opened, Zalo OA followed) with a conversation update.
    this.onMembersAdded(async (context, next) => {
      const citizens = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      if (citizens.length > 0) await context.sendActivities(this.dialogue.welcome().map((reply) => toActivity(reply)));
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const started = performance.now();
    const conversation = conversationKey(context.activity);
    const typed = messageText(context.activity);
    if (typed.trim().length === 0 && (context.activity.attachments?.length ?? 0) > 0) {
      // A photo, a sticker, a voice message: the assistant reads text only, and says so kindly.
      await context.sendActivity(
        toActivity({ text: this.texts.say('attachment_unsupported'), suggestedActions: ['Gặp cán bộ'] }),
      );
      return;
    }
    const tooLong = typed.length > MAX_MESSAGE_CHARS;
    const parsed = await this.parser.parse(typed.slice(0, MAX_MESSAGE_CHARS));
    // Read once for both desks; the dialogue below reads it again under its compare-and-set.
    const current = this.desk === undefined && this.dossiers === undefined ? null : await this.store.load(conversation);
    const withPeople = (await this.desk?.beforeBot(conversation, parsed, current!, context.activity)) ?? null;
    const aboutDossier =
      withPeople === null
        ? ((await this.dossiers?.beforeBot(conversation, parsed, context.activity, current!)) ?? null)
        : null;
    const handled = withPeople ?? aboutDossier;
    if (handled !== null) {
      const state = await this.store.load(conversation);
      // The 4 digits of a phone read as nothing to the classifier; the turn was about the dossier.
      const intent = aboutDossier !== null ? 'dossier_status' : parsed.intent;
      const outcome: TurnOutcome = { state, replies: handled, intent, procedure: null, outcome: 'answered' };
      context.turnState.set(TURN_OUTCOME, outcome);
      await context.sendActivities(
        finished(handled, keptForm(current?.address ?? null, typed)).map((reply) => toActivity(reply)),
      );
      this.logTurn(conversation, outcome, parsed.score, typed.length, started, true);
      this.recordTurn(conversation, context.activity, outcome, started);
      return;
    }
    let before: ConversationState | undefined;
    const outcome = await this.store.update(conversation, (state) => {
      before = state;
      const result = this.dialogue.respond(state, parsed);
      return { state: result.state, result };
    });
    const answered =
      this.desk === undefined
        ? outcome.replies
        : await this.desk.afterBot(conversation, context.activity, outcome, parsed, before!);
    const final = { ...outcome, replies: answered };
    context.turnState.set(TURN_OUTCOME, final);
    const replies: Reply[] = tooLong
      ? [{ text: this.texts.say('message_too_long'), suggestedActions: [] }, ...answered]
      : answered;
    await context.sendActivities(finished(replies, outcome.state.address).map((reply) => toActivity(reply)));
    this.logTurn(conversation, final, parsed.score, typed.length, started, false);
    this.recordTurn(conversation, context.activity, final, started);
    await this.keepUnanswered(conversation, context.activity, parsed, outcome);
  }

  /** A turn that went unanswered, kept for staff to work through (what to add to the knowledge), without the citizen's details. */
  private async keepUnanswered(
    conversation: string,
    activity: Activity,
    parsed: ParsedMessage,
    outcome: TurnOutcome,
  ): Promise<void> {
    if (outcome.unanswered === undefined) return;
    const kept = {
      at: new Date().toISOString(),
      channel: activity.channelId ?? 'unknown',
      text: redactPersonalDetails(parsed.text),
      intent: outcome.intent,
      did: outcome.unanswered,
      candidates: parsed.candidates.slice(0, 3).map((c) => c.code),
    };
    this.records.add({ kind: 'unanswered', id: randomUUID(), conversation, ...kept });
    if (this.unanswered === undefined) return;
    try {
      await this.unanswered.add(kept);
    } catch (err) {
      this.log.warn({ err, conversation }, 'unanswered.keep_failed');
    }
  }

  /** The turn for the records: what was asked and how it went (the texts are the transcript's). */
  private recordTurn(conversation: string, activity: Activity, outcome: TurnOutcome, started: number): void {
    this.records.add({
      kind: 'turn',
      id: randomUUID(),
      at: new Date().toISOString(),
      conversation,
      channel: activity.channelId ?? 'unknown',
      channelUser: activity.from?.id ?? activity.conversation?.id ?? 'unknown',
      intent: outcome.intent,
      procedure: outcome.procedure,
      outcome: recordedOutcome(outcome),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  }

  private logTurn(
    conversation: string,
    outcome: TurnOutcome,
    score: number,
    length: number,
    started: number,
    withPeople: boolean,
  ): void {
    this.log.info(
      {
        conversation,
        intent: outcome.intent,
        score: Math.round(score * 1000) / 1000,
        procedure: outcome.procedure,
        outcome: outcome.outcome,
        withPeople,
        length,
        replies: outcome.replies.length,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      },
      'turn.completed',
    );
  }
}

/** Replies as sent: in the conversation's form of address, tidied (see tidyText). */
function finished(replies: readonly Reply[], form: AddressForm | null): Reply[] {
  return replies.map((r) => ({ ...r, text: tidyText(addressed(r.text, form)) }));
}

/** A turn's outcome as the records name it: how it was left for the citizen. */
function recordedOutcome(outcome: TurnOutcome): TurnOutcomeName {
  if (outcome.intent === 'human_handoff' || outcome.intent === 'complaint') return 'handoff';
  if (outcome.unanswered !== undefined) return outcome.unanswered;
  return outcome.outcome === 'clarifying' ? 'clarifying' : 'answered';
}
