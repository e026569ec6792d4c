import { randomUUID } from 'node:crypto';
import type { RecordSink } from '../records/record-events.ts';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import { ChannelDirectory, type ChannelWindow } from '../core/channel-directory.ts';
import type { BaseAdapter } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import { channelOfKey, toActivity } from '../core/activities.ts';
import type { ConversationState } from '../core/conversation-state.ts';
import type { TurnOutcome } from '../core/dialogue.ts';
import { clip, type Reply } from '../core/reply.ts';
import type { ReplyTexts } from '../core/reply-texts.ts';
import { extractEntities } from '../nlu/message-entities.ts';
import { isProcedureAspect } from '../nlu/intent-names.ts';
import type { ParsedMessage } from '../nlu/message-parser.ts';
import type { VersionedStore } from '../state/versioned-store.ts';
import type { AgentPresence } from './agent-presence.ts';
import type { BusinessHours } from './business-hours.ts';
import type { CallbackTasks } from './callback-tasks.ts';
import type { ClaimResult, ConversationAddress, HandoffQueue, HandoffReason, HandoffRecord } from './handoff-queue.ts';
import { RATINGS, type SatisfactionSurvey } from './satisfaction-survey.ts';

/** An agent as the desk needs one: who (for the queue) and the name the citizen sees. */
export interface DeskAgent {
  username: string;
  displayName: string;
  role: 'agent' | 'supervisor';
}

export interface HandoffDeskParts {
  queue: HandoffQueue;
  /** The channels' adapters: what people write goes out through the citizen's own. */
  channels: ChannelDirectory;
  presence: AgentPresence;
  hours: BusinessHours;
  surveys: SatisfactionSurvey;
  callbacks: CallbackTasks;
  /** The bot's conversation state: the survey and callback steps live there, next to the dialogue's. */
  state: VersionedStore<ConversationState>;
  texts: ReplyTexts;
  hotline: string;
  /** Folds case and diacritics, to read a tapped button however the channel sends its title back. */
  fold: (text: string) => string;
  clock: () => number;
  log: Logger;
  /** The records: each step of a handoff, survey and callback. */
  records: RecordSink;
}

/** The longest last message the queue shows. */
const LAST_MESSAGE_CHARS = 200;

/**
 * Between the citizen and the support staff. Before the bot answers, it keeps the bot quiet while
 * a person is awaited or talking (telling a waiting citizen their place), and takes the survey and
 * callback answers; after the dialogue, it puts a request for a person or a complaint in the queue,
 * or, out of hours or with nobody online, offers a callback. The console's actions (claim, reply,
 * transfer, close) go back to the citizen through their own channel's adapter.
 */
export class HandoffDesk {
  constructor(private readonly parts: HandoffDeskParts) {}

  /** The adapter that reaches citizens of `channelId` (agents' replies go out through it), and its window rule. */
  connect(channelId: string, adapter: BaseAdapter, window?: ChannelWindow): void {
    this.parts.channels.connect(channelId, adapter, window);
  }

  /**
   * A conversation handed to people while someone answers from outside (a person typing in Meta's
   * own inbox): the bot stays quiet for it until a supervisor hands it back from the console.
   */
  async takenElsewhere(conversation: string, address: ConversationAddress, by: string): Promise<void> {
    const { queue } = this.parts;
    await queue.open({
      key: conversation,
      channel: address.channelId,
      address,
      queue: 'agents',
      reason: 'asked',
      intent: null,
      procedure: null,
      dossierCode: null,
      lastMessage: null,
    });
    await queue.assign(conversation, by);
    this.parts.log.info({ conversation, by }, 'handoff.taken_elsewhere');
  }

  /**
   * Before the bot: the replies for this message when people have it (possibly none), or null to
   * let the bot answer. While a citizen waits for a person, a question the bot can answer is
   * answered (the wait goes on), and they may cancel the wait.
   */
  async beforeBot(
    conversation: string,
    parsed: ParsedMessage,
    state: ConversationState,
    activity: Activity,
  ): Promise<Reply[] | null> {
    const { queue, texts } = this.parts;
    const text = parsed.text;
    const record = await queue.get(conversation);
    if (record !== null) {
      if (record.status === 'waiting' && this.same(texts.handoffButtons.cancelHandoff, text)) {
        await queue.close(conversation);
        this.parts.log.info({ conversation }, 'handoff.cancelled_by_citizen');
        this.record(record, 'cancelled', null);
        return [
          {
            text: texts.say('handoff_cancelled'),
            suggestedActions: texts.topTasks.filter((b) => b !== 'Gặp cán bộ').slice(0, 4),
          },
        ];
      }
      await queue.note(conversation, { from: 'citizen', text: clip(text, LAST_MESSAGE_CHARS), at: this.now() });
      if (record.status === 'active') return [];
      if (answersWhileWaiting(parsed)) return null;
      return [
        {
          text: texts.say('handoff_still_waiting', await this.place(conversation)),
          suggestedActions: [texts.handoffButtons.cancelHandoff],
        },
      ];
    }
    if (state.survey !== null) return this.surveyStep(conversation, state.survey, text);
    if (state.callback !== null) return this.callbackStep(conversation, state.callback, text);
    if (state.complaint !== null) return this.complaintStep(conversation, state.complaint, parsed, activity, state);
    return null;
  }

  /**
   * After the dialogue: a request for a person goes to people; a complaint is sent to the
   * supervisors once the citizen confirms it; a question answered while waiting for a person says
   * the wait goes on; other answers stand.
   */
  async afterBot(
    conversation: string,
    activity: Activity,
    outcome: TurnOutcome,
    parsed: ParsedMessage,
    before: ConversationState,
  ): Promise<Reply[]> {
    const { texts } = this.parts;
    if (outcome.intent === 'human_handoff') {
      return this.request(conversation, activity, before.failedTurns >= 2 ? 'failed_turns' : 'asked', parsed, before);
    }
    if (outcome.intent === 'complaint') {
      await this.parts.state.update(conversation, (s) => ({
        state: { ...s, complaint: { text: clip(parsed.text, 1000) } },
        result: undefined,
      }));
      const buttons = texts.handoffButtons;
      const replies = outcome.replies.map((r, i) =>
        i === outcome.replies.length - 1 ? { ...r, suggestedActions: [buttons.sendComplaint, buttons.noComplaint] } : r,
      );
      return replies;
    }
    const waiting = await this.parts.queue.position(conversation);
    if (waiting !== null) {
      return [
        ...outcome.replies,
        {
          text: texts.say('handoff_waiting_note', { position: waiting.position }),
          suggestedActions: [texts.handoffButtons.cancelHandoff],
        },
      ];
    }
    return outcome.replies;
  }

  /** The citizen's answer to "send this complaint to the supervisors?": yes sends it (the complaint as they wrote it), no keeps it here. */
  private async complaintStep(
    conversation: string,
    complaint: NonNullable<ConversationState['complaint']>,
    parsed: ParsedMessage,
    activity: Activity,
    state: ConversationState,
  ): Promise<Reply[] | null> {
    const { texts } = this.parts;
    const buttons = texts.handoffButtons;
    const clear = () =>
      this.parts.state.update(conversation, (s) => ({ state: { ...s, complaint: null }, result: undefined }));
    if (this.same(buttons.sendComplaint, parsed.text) || this.same(buttons.agree, parsed.text)) {
      await clear();
      return this.request(conversation, activity, 'complaint', { ...parsed, text: complaint.text }, state);
    }
    await clear();
    if (this.same(buttons.noComplaint, parsed.text) || this.same(buttons.noThanks, parsed.text)) {
      return [{ text: texts.say('complaint_sent_nobody'), suggestedActions: texts.topTasks }];
    }
    // Something else: the citizen moved on; the bot takes it.
    return null;
  }

  async claim(key: string, agent: DeskAgent): Promise<ClaimResult> {
    const result = await this.parts.queue.claim(key, agent.username);
    if (result.ok) this.record(result.record, 'claimed', agent.username);
    if (result.ok && result.record.claimedAt !== null && result.record.claimedBy === agent.username) {
      await this.tellCitizen(result.record, [
        { text: this.parts.texts.say('handoff_agent_joined', { agent: agent.displayName }), suggestedActions: [] },
      ]);
    }
    return result;
  }

  /** An agent's message to the citizen, through the citizen's channel; only by the agent who has the conversation. */
  async reply(key: string, agent: DeskAgent, text: string): Promise<'sent' | 'not_listed' | 'not_yours'> {
    const record = await this.parts.queue.get(key);
    if (record === null) return 'not_listed';
    if (record.status !== 'active' || record.claimedBy !== agent.username) return 'not_yours';
    await this.send(record.address, [agentMessage(text, agent.displayName)]);
    await this.parts.queue.note(key, { from: 'agent', text: clip(text, LAST_MESSAGE_CHARS), at: this.now() });
    this.record(record, 'first_response', agent.username);
    return 'sent';
  }

  async transfer(key: string, to: string): Promise<HandoffRecord | null> {
    return this.parts.queue.assign(key, to);
  }

  /** Back to the bot: the citizen is told, and asked the satisfaction question. */
  async close(key: string, agent: DeskAgent): Promise<HandoffRecord | null> {
    const record = await this.parts.queue.close(key);
    if (record === null) return null;
    this.record(record, 'closed', agent.username);
    const { texts, state } = this.parts;
    const ratedAgent = record.claimedBy ?? agent.username;
    await state.update(key, (s) => ({
      state: {
        ...s,
        survey: { agent: ratedAgent, channel: record.channel, stage: 'rating' },
        callback: null,
        failedTurns: 0,
      },
      result: undefined,
    }));
    await this.tellCitizen(record, [
      { text: texts.say('handoff_ended', { agent: agent.displayName }), suggestedActions: [] },
      { text: texts.say('survey_question'), suggestedActions: [...texts.handoffButtons.ratings] },
    ]);
    return record;
  }

  /** One step of a handoff, for the records (the handoff is known by the time it was queued). */
  private record(
    record: HandoffRecord,
    step: 'queued' | 'claimed' | 'first_response' | 'closed' | 'cancelled',
    agent: string | null,
  ): void {
    this.parts.records.add({
      kind: 'handoff',
      id: randomUUID(),
      at: this.now(),
      conversation: record.key,
      channel: record.channel,
      handoff: record.waitingSince,
      step,
      reason: step === 'queued' ? record.reason : null,
      agent,
    });
  }

  /** Whether the channel still lets an agent reach the citizen (Messenger and Zalo close a window; the webchat does not). */
  async windowOpen(record: Pick<HandoffRecord, 'address'>): Promise<boolean> {
    const window = this.parts.channels.window(record.address.channelId);
    return window === undefined ? false : window.agentCanReply(record.address);
  }

  /** `before`: the conversation as it was before this turn, for what the staff should know (intent, procedure). */
  private async request(
    conversation: string,
    activity: Activity,
    reason: HandoffReason,
    parsed: ParsedMessage,
    before: ConversationState,
  ): Promise<Reply[]> {
    const { queue, presence, hours, texts } = this.parts;
    const now = new Date(this.parts.clock());
    const line = reason === 'complaint' ? 'supervisors' : 'agents';
    if (!hours.isOpen(now))
      return this.offerCallback(
        conversation,
        line,
        texts.say('handoff_closed_hours', { next: hours.describe(hours.nextOpening(now), now) }),
      );
    const online = await presence.online();
    if (!online.some((a) => line === 'agents' || a.role === 'supervisor')) {
      return this.offerCallback(conversation, line, texts.say('handoff_no_agent', { hotline: this.parts.hotline }));
    }
    const dossier = parsed.entities.find((e) => e.type === 'dossier_code');
    const opened = await queue.open({
      key: conversation,
      channel: activity.channelId ?? 'unknown',
      address: addressOf(activity),
      queue: line,
      reason,
      intent: reason === 'complaint' ? 'complaint' : before.lastIntent,
      procedure:
        parsed.procedure === null ? before.procedure : { code: parsed.procedure.code, name: parsed.procedure.name },
      dossierCode: dossier?.value ?? null,
      lastMessage: { from: 'citizen', text: clip(parsed.text, LAST_MESSAGE_CHARS), at: now.toISOString() },
    });
    this.parts.log.info({ conversation, reason, queue: line }, 'handoff.queued');
    if (opened.created) this.record(opened.record, 'queued', null);
    const text = texts.say(
      line === 'supervisors' ? 'handoff_queued_supervisor' : 'handoff_queued',
      await this.place(conversation),
    );
    return [{ text, suggestedActions: [] }];
  }

  private async offerCallback(conversation: string, queue: HandoffRecord['queue'], text: string): Promise<Reply[]> {
    await this.setCallback(conversation, { stage: 'offered', message: null, phone: null, queue });
    const buttons = this.parts.texts.handoffButtons;
    return [{ text, suggestedActions: [buttons.leaveMessage, buttons.noThanks] }];
  }

  private async surveyStep(
    conversation: string,
    survey: NonNullable<ConversationState['survey']>,
    text: string,
  ): Promise<Reply[] | null> {
    const { texts, surveys } = this.parts;
    const buttons = texts.handoffButtons;
    if (survey.stage === 'rating') {
      const index = buttons.ratings.findIndex((r) => this.same(r, text));
      if (index < 0) {
        // Not an answer: the citizen moved on to a question, which the bot takes.
        await this.setSurvey(conversation, null);
        return null;
      }
      const rated = {
        conversation,
        channel: survey.channel,
        agent: survey.agent,
        rating: RATINGS[index]!,
        at: this.now(),
      };
      await surveys.record(rated);
      this.parts.records.add({ kind: 'survey', id: randomUUID(), ...rated });
      await this.setSurvey(conversation, { ...survey, stage: 'comment' });
      return [{ text: texts.say('survey_comment'), suggestedActions: [buttons.skip] }];
    }
    if (!this.same(buttons.skip, text)) {
      await surveys.comment(conversation, text);
      this.parts.records.add({
        kind: 'survey_comment',
        id: randomUUID(),
        at: this.now(),
        conversation,
        comment: text.slice(0, 1000),
      });
    }
    await this.setSurvey(conversation, null);
    return [{ text: texts.say('survey_thanks'), suggestedActions: [] }];
  }

  private async callbackStep(
    conversation: string,
    callback: NonNullable<ConversationState['callback']>,
    text: string,
  ): Promise<Reply[] | null> {
    const { texts, hours, callbacks } = this.parts;
    const buttons = texts.handoffButtons;
    const declined = (): Promise<Reply[]> =>
      this.setCallback(conversation, null).then(() => [
        { text: texts.say('callback_declined', { hotline: this.parts.hotline }), suggestedActions: [] },
      ]);
    if (this.same(buttons.noThanks, text) || this.same(buttons.disagree, text)) return declined();
    switch (callback.stage) {
      case 'offered':
        if (!this.same(buttons.leaveMessage, text)) {
          await this.setCallback(conversation, null);
          return null;
        }
        await this.setCallback(conversation, { ...callback, stage: 'message' });
        return [{ text: texts.say('callback_ask_message'), suggestedActions: [buttons.noThanks] }];
      case 'message':
        await this.setCallback(conversation, { ...callback, stage: 'phone', message: clip(text, 1000) });
        return [{ text: texts.say('callback_ask_phone'), suggestedActions: [buttons.noThanks] }];
      case 'phone': {
        const phone = extractEntities(text, new Date(this.parts.clock())).find((e) => e.type === 'phone');
        if (phone === undefined)
          return [{ text: texts.say('callback_bad_phone'), suggestedActions: [buttons.noThanks] }];
        await this.setCallback(conversation, { ...callback, stage: 'consent', phone: phone.value });
        return [
          {
            text: texts.say('callback_ask_consent', { phone: phone.value }),
            suggestedActions: [buttons.agree, buttons.disagree],
          },
        ];
      }
      case 'consent': {
        if (!this.same(buttons.agree, text))
          return [
            {
              text: texts.say('callback_ask_consent', { phone: callback.phone ?? '' }),
              suggestedActions: [buttons.agree, buttons.disagree],
            },
          ];
        const now = new Date(this.parts.clock());
        const due = hours.nextOpening(now);
        const task = await callbacks.add({
          conversation,
          channel: channelOfKey(conversation),
          phone: callback.phone ?? '',
          message: callback.message ?? '',
          dueAt: due.toISOString(),
          queue: callback.queue,
        });
        await this.setCallback(conversation, null);
        this.parts.log.info({ conversation, dueAt: due.toISOString() }, 'handoff.callback.saved');
        this.parts.records.add({
          kind: 'callback',
          id: task.id,
          at: task.createdAt,
          conversation,
          channel: task.channel,
          callbackId: task.id,
          step: 'saved',
          dueAt: task.dueAt,
          phone: task.phone,
        });
        return [{ text: texts.say('callback_saved', { next: hours.describe(due, now) }), suggestedActions: [] }];
      }
    }
  }

  private async place(conversation: string): Promise<{ position: number; minutes: number }> {
    const place = await this.parts.queue.position(conversation);
    return {
      position: place?.position ?? 1,
      minutes: Math.max(1, Math.round((place?.expectedWaitMs ?? 60_000) / 60_000)),
    };
  }

  private async tellCitizen(record: HandoffRecord, replies: Reply[]): Promise<void> {
    await this.send(
      record.address,
      replies.map((reply) => toActivity(reply)),
    );
  }

  /** Proactively, through the citizen's channel adapter: its middleware records the messages like any reply. */
  private send(address: ConversationAddress, activities: Partial<Activity>[]): Promise<void> {
    return this.parts.channels.send(address, activities);
  }

  private setSurvey(conversation: string, survey: ConversationState['survey']): Promise<void> {
    return this.parts.state.update(conversation, (s) => ({ state: { ...s, survey }, result: undefined }));
  }

  private setCallback(conversation: string, callback: ConversationState['callback']): Promise<void> {
    return this.parts.state.update(conversation, (s) => ({ state: { ...s, callback }, result: undefined }));
  }

  private same(button: string, text: string): boolean {
    return this.parts.fold(button) === this.parts.fold(text);
  }

  private now(): string {
    return new Date(this.parts.clock()).toISOString();
  }
}

/** What the bot may answer while the citizen waits for a person: a question about a procedure or the center. */
function answersWhileWaiting(parsed: ParsedMessage): boolean {
  return (
    isProcedureAspect(parsed.intent) ||
    ['center_hours', 'center_location', 'center_contact', 'queue_ticket', 'postal_service', 'online_payment'].includes(
      parsed.intent,
    )
  );
}

function addressOf(activity: Activity): ConversationAddress {
  return {
    channelId: activity.channelId ?? 'unknown',
    conversationId: activity.conversation?.id ?? 'unknown',
    userId: activity.from?.id ?? 'unknown',
    botId: activity.recipient?.id ?? 'assistant',
  };
}

function agentMessage(text: string, displayName: string): Partial<Activity> {
  const activity = new Activity(ActivityTypes.Message);
  activity.text = text;
  activity.locale = 'vi-VN';
  activity.channelData = { sentByAgent: displayName };
  return activity;
}
