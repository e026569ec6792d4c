import { randomUUID } from 'node:crypto';
import type { DossierLookupResult, RecordSink } from '../records/record-events.ts';
import type { Activity } from '@microsoft/agents-activity';
import { channelOfKey } from '../core/activities.ts';
import type { ConversationState } from '../core/conversation-state.ts';
import type { Reply } from '../core/reply.ts';
import type { ReplyTexts } from '../core/reply-texts.ts';
import type { ParsedMessage } from '../nlu/message-parser.ts';
import type { Logger } from '../shared/logger.ts';
import type { LimitName, SharedLimits } from '../state/shared-limits.ts';
import type { VersionedStore } from '../state/versioned-store.ts';
import type { DossierAnswers } from './dossier-answers.ts';
import { DossierLookupFailed, type DossierStatusProvider } from './dossier-provider.ts';
import { canonicalCode } from './dossier-record.ts';
import type { DossierWatch } from './dossier-watch.ts';

export interface DossierDeskParts {
  provider: DossierStatusProvider;
  answers: DossierAnswers;
  watch: DossierWatch;
  texts: ReplyTexts;
  state: VersionedStore<ConversationState>;
  /** Look-ups and phone-digit tries, counted where every process sees them. */
  limits: SharedLimits;
  /** Ask for the last 4 digits of the applicant's phone before anything beyond the bare status. */
  verifyPhone: boolean;
  fold: (text: string) => string;
  log: Logger;
  clock: () => number;
  /** The records: each look-up's result. */
  records: RecordSink;
}

/**
 * How long a code stays locked after its last allowed wrong try (the tries themselves are the
 * `dossier.verify.code` limit: 3 per code, from anyone, anywhere). Re-sending the code, a new
 * conversation or another server process changes nothing: the lock is the code's.
 */
const LOCK_SECONDS = 60 * 60;

/**
 * "Where is my dossier?": the lookup in the one-stop system (limited per channel user, per network
 * origin when the channel knows it, and per code),
 * the bare status first, the details once the citizen gives the last 4 digits of the phone on file,
 * the answer per status (an apology and the new date when it is late), and following a dossier.
 * Names are masked; codes, names and digits stay out of the logs.
 */
export class DossierDesk {
  constructor(private readonly parts: DossierDeskParts) {}

  /** Before the dialogue: replies when the message is the desk's (a code, the 4 digits, "theo dõi"), else null. */
  async beforeBot(
    conversation: string,
    parsed: ParsedMessage,
    activity: Activity,
    state: ConversationState,
  ): Promise<Reply[] | null> {
    const news = await this.parts.watch.takePending(conversation);
    const answer = await this.answer(conversation, parsed, activity, state);
    if (news.length === 0) return answer;
    return [...news, ...(answer ?? [])];
  }

  private async answer(
    conversation: string,
    parsed: ParsedMessage,
    activity: Activity,
    state: ConversationState,
  ): Promise<Reply[] | null> {
    const code = parsed.entities.find((e) => e.type === 'dossier_code');
    if (code !== undefined && parsed.intent === 'dossier_status')
      return this.lookup(conversation, activity, canonicalCode(code.value));
    const pending = state.dossier;
    if (pending?.stage === 'verify' && /^\s*\d{4}\s*$/.test(parsed.text))
      return this.verify(conversation, pending, parsed.text.trim());
    if (
      this.same(this.parts.texts.handoffButtons.follow, parsed.text) ||
      (parsed.intent === 'dossier_status' && /\btheo doi\b/.test(this.parts.fold(parsed.text)))
    ) {
      return this.follow(conversation, pending, activity);
    }
    return null;
  }

  /** A look-up for the records: how it went, nothing of the code or the digits. */
  private looked(conversation: string, result: DossierLookupResult, replies: Reply[]): Reply[] {
    this.parts.records.add({
      kind: 'dossier_lookup',
      id: randomUUID(),
      at: new Date(this.parts.clock()).toISOString(),
      conversation,
      channel: channelOfKey(conversation),
      result,
    });
    return replies;
  }

  private async lookup(conversation: string, activity: Activity, code: string): Promise<Reply[]> {
    const { texts, answers } = this.parts;
    if (!(await this.allowed(activity, code))) {
      this.parts.log.warn({ conversation }, 'dossier.lookup.rate_limited');
      return this.looked(conversation, 'rate_limited', [
        { text: texts.say('dossier_rate_limited'), suggestedActions: ['Gặp cán bộ'] },
      ]);
    }
    const dossier = await this.fetch(conversation, code);
    if (dossier === 'failed')
      return this.looked(conversation, 'unavailable', [
        { text: texts.say('dossier_unavailable'), suggestedActions: ['Gặp cán bộ'] },
      ]);
    if (dossier === null)
      return this.looked(conversation, 'not_found', [
        { text: texts.say('dossier_not_found', { code }), suggestedActions: ['Gặp cán bộ'] },
      ]);
    if (!this.parts.verifyPhone) {
      await this.setDossier(conversation, { code: dossier.code, stage: 'verified', attempts: 0 });
      return this.looked(conversation, 'verified', [answers.full(dossier, new Date(this.parts.clock()))]);
    }
    await this.setDossier(conversation, { code: dossier.code, stage: 'verify', attempts: 0 });
    // A locked code says so at once: asking for digits that cannot be tried would only frustrate.
    if (!(await this.parts.limits.peek('dossier.verify.code', dossier.code)).ok) {
      return this.looked(conversation, 'locked', [
        { text: `${answers.brief(dossier)}\n${texts.say('dossier_phone_locked')}`, suggestedActions: ['Gặp cán bộ'] },
      ]);
    }
    return this.looked(conversation, 'shown', [
      { text: `${answers.brief(dossier)}\n${texts.say('dossier_ask_phone')}`, suggestedActions: [] },
    ]);
  }

  private async verify(
    conversation: string,
    pending: NonNullable<ConversationState['dossier']>,
    digits: string,
  ): Promise<Reply[]> {
    const { texts, answers } = this.parts;
    const locked = [{ text: texts.say('dossier_phone_locked'), suggestedActions: ['Gặp cán bộ'] }];
    // The try is counted before the digits are compared: concurrent guesses cannot outrun the count.
    const tried = await this.parts.limits.take('dossier.verify.code', pending.code);
    if (!tried.ok) return this.looked(conversation, 'locked', locked);
    const dossier = await this.fetch(conversation, pending.code);
    if (dossier === 'failed') return [{ text: texts.say('dossier_unavailable'), suggestedActions: ['Gặp cán bộ'] }];
    if (dossier === null)
      return this.looked(conversation, 'not_found', [
        { text: texts.say('dossier_not_found', { code: pending.code }), suggestedActions: ['Gặp cán bộ'] },
      ]);
    if (dossier.applicant.phoneLast4 !== digits) {
      const attempts = pending.attempts + 1;
      await this.setDossier(conversation, { ...pending, attempts });
      this.parts.log.info({ conversation, attempts }, 'dossier.verify.mismatch');
      if (tried.remaining > 0)
        return this.looked(conversation, 'wrong_digits', [
          { text: texts.say('dossier_phone_mismatch'), suggestedActions: [] },
        ]);
      // The last allowed try failed: the code stays locked for the hour from now, whoever asks.
      await this.parts.limits.lock('dossier.verify.code', pending.code, LOCK_SECONDS);
      this.parts.log.warn(
        { actor: 'system', action: 'dossier.code_locked', conversation, minutes: LOCK_SECONDS / 60 },
        'agent.action',
      );
      return this.looked(conversation, 'locked', locked);
    }
    await this.parts.limits.forgive('dossier.verify.code', pending.code);
    await this.setDossier(conversation, { ...pending, stage: 'verified' });
    return this.looked(conversation, 'verified', [answers.full(dossier, new Date(this.parts.clock()))]);
  }

  private async follow(
    conversation: string,
    pending: ConversationState['dossier'],
    activity: Activity,
  ): Promise<Reply[]> {
    const { texts } = this.parts;
    if (pending === null || pending.stage !== 'verified')
      return [{ text: texts.say('dossier_follow_needs_code'), suggestedActions: [] }];
    const dossier = await this.fetch(conversation, pending.code);
    if (dossier === 'failed' || dossier === null)
      return [{ text: texts.say('dossier_unavailable'), suggestedActions: ['Gặp cán bộ'] }];
    await this.parts.watch.follow(
      conversation,
      {
        channelId: activity.channelId ?? 'unknown',
        conversationId: activity.conversation?.id ?? 'unknown',
        userId: activity.from?.id ?? 'unknown',
        botId: activity.recipient?.id ?? 'assistant',
      },
      dossier,
    );
    this.parts.log.info({ conversation }, 'dossier.followed');
    return [{ text: texts.say('dossier_followed', { code: dossier.code }), suggestedActions: [] }];
  }

  private async fetch(conversation: string, code: string) {
    try {
      const dossier = await this.parts.provider.lookup(code);
      this.parts.log.info(
        { conversation, found: dossier !== null, status: dossier?.status ?? null, demo: this.parts.provider.demo },
        'dossier.lookup',
      );
      return dossier;
    } catch (err) {
      if (!(err instanceof DossierLookupFailed)) throw err;
      return 'failed' as const;
    }
  }

  /**
   * One look-up against every budget it draws on: the channel user's, the network origin's when
   * the channel tells it (a webchat conversation is free to make; its address is not), and the
   * code's. Each is taken, so a refused look-up still counts against the others.
   */
  private async allowed(activity: Activity, code: string): Promise<boolean> {
    const { limits } = this.parts;
    const takes: [LimitName, string][] = [
      ['dossier.lookup.user', `${activity.channelId ?? 'unknown'}:${activity.from?.id ?? 'unknown'}`],
      ['dossier.lookup.code', code],
    ];
    const origin = originOf(activity);
    if (origin !== null) takes.push(['dossier.lookup.origin', origin]);
    const verdicts = await Promise.all(takes.map(([name, key]) => limits.take(name, key)));
    return verdicts.every((v) => v.ok);
  }

  private setDossier(conversation: string, dossier: ConversationState['dossier']): Promise<void> {
    return this.parts.state.update(conversation, (s) => ({ state: { ...s, dossier }, result: undefined }));
  }

  private same(button: string, text: string): boolean {
    return this.parts.fold(button) === this.parts.fold(text);
  }
}

/**
 * Where a message physically came from, when its channel knows (the webchat puts the client's
 * address in `channelData.origin`); Messenger and Zalo users are accounts, not addresses.
 */
function originOf(activity: Activity): string | null {
  const origin = (activity.channelData as { origin?: unknown } | undefined)?.origin;
  return typeof origin === 'string' && origin !== '' ? origin : null;
}
