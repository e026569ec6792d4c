import type { Activity } from '@microsoft/agents-activity';
import type { ConversationState } from '../core/conversation-state.ts';
import type { Reply } from '../core/reply.ts';
import type { ReplyTexts } from '../core/reply-texts.ts';
import type { ParsedMessage } from '../nlu/message-parser.ts';
import type { Logger } from '../shared/logger.ts';
import { TokenBucket } from '../shared/token-bucket.ts';
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
  /** Ask for the last 4 digits of the applicant's phone before anything beyond the bare status. */
  verifyPhone: boolean;
  fold: (text: string) => string;
  log: Logger;
  clock: () => number;
}

/** Tries at the 4 digits before the details stay closed for this conversation. */
const MAX_ATTEMPTS = 3;
/** Lookups a conversation may make in a burst, then per 10 minutes (enumeration of codes stops here). */
const PER_SENDER = { burst: 5, perSecond: 5 / 600 };
/** Lookups of one code, from anyone, per hour. */
const PER_CODE = { burst: 20, perSecond: 20 / 3600 };
const MAX_BUCKETS = 20_000;

/**
 * "Where is my dossier?": the lookup in the one-stop system (rate-limited per sender and per code),
 * the bare status first, the details once the citizen gives the last 4 digits of the phone on file,
 * the answer per status (an apology and the new date when it is late), and following a dossier.
 * Names are masked; codes, names and digits stay out of the logs.
 */
export class DossierDesk {
  private readonly senders = new Map<string, TokenBucket>();
  private readonly codes = new Map<string, TokenBucket>();

  constructor(private readonly parts: DossierDeskParts) {}

  /** Before the dialogue: replies when the message is the desk's (a code, the 4 digits, "theo dõi"), else null. */
  async beforeBot(conversation: string, parsed: ParsedMessage, activity: Activity, state: ConversationState): Promise<Reply[] | null> {
    const news = await this.parts.watch.takePending(conversation);
    const answer = await this.answer(conversation, parsed, activity, state);
    if (news.length === 0) return answer;
    return [...news, ...(answer ?? [])];
  }

  private async answer(conversation: string, parsed: ParsedMessage, activity: Activity, state: ConversationState): Promise<Reply[] | null> {
    const code = parsed.entities.find((e) => e.type === 'dossier_code');
    if (code !== undefined && parsed.intent === 'dossier_status') return this.lookup(conversation, canonicalCode(code.value));
    const pending = state.dossier;
    if (pending?.stage === 'verify' && /^\s*\d{4}\s*$/.test(parsed.text)) return this.verify(conversation, pending, parsed.text.trim());
    if (this.same(this.parts.texts.handoffButtons.follow, parsed.text) || (parsed.intent === 'dossier_status' && /\btheo doi\b/.test(this.parts.fold(parsed.text)))) {
      return this.follow(conversation, pending, activity);
    }
    return null;
  }

  private async lookup(conversation: string, code: string): Promise<Reply[]> {
    const { texts, answers } = this.parts;
    if (!this.allowed(this.senders, conversation, PER_SENDER) || !this.allowed(this.codes, code, PER_CODE)) {
      this.parts.log.warn({ conversation }, 'dossier.lookup.rate_limited');
      return [{ text: texts.say('dossier_rate_limited'), suggestedActions: ['Gặp cán bộ'] }];
    }
    const dossier = await this.fetch(conversation, code);
    if (dossier === 'failed') return [{ text: texts.say('dossier_unavailable'), suggestedActions: ['Gặp cán bộ'] }];
    if (dossier === null) return [{ text: texts.say('dossier_not_found', { code }), suggestedActions: ['Gặp cán bộ'] }];
    if (!this.parts.verifyPhone) {
      await this.setDossier(conversation, { code: dossier.code, stage: 'verified', attempts: 0 });
      return [answers.full(dossier, new Date(this.parts.clock()))];
    }
    await this.setDossier(conversation, { code: dossier.code, stage: 'verify', attempts: 0 });
    return [{ text: `${answers.brief(dossier)}\n${texts.say('dossier_ask_phone')}`, suggestedActions: [] }];
  }

  private async verify(conversation: string, pending: NonNullable<ConversationState['dossier']>, digits: string): Promise<Reply[]> {
    const { texts, answers } = this.parts;
    if (pending.attempts >= MAX_ATTEMPTS) return [{ text: texts.say('dossier_phone_locked'), suggestedActions: ['Gặp cán bộ'] }];
    const dossier = await this.fetch(conversation, pending.code);
    if (dossier === 'failed') return [{ text: texts.say('dossier_unavailable'), suggestedActions: ['Gặp cán bộ'] }];
    if (dossier === null) return [{ text: texts.say('dossier_not_found', { code: pending.code }), suggestedActions: ['Gặp cán bộ'] }];
    if (dossier.applicant.phoneLast4 !== digits) {
      const attempts = pending.attempts + 1;
      await this.setDossier(conversation, { ...pending, attempts });
      this.parts.log.info({ conversation, attempts }, 'dossier.verify.mismatch');
      if (attempts >= MAX_ATTEMPTS) return [{ text: texts.say('dossier_phone_locked'), suggestedActions: ['Gặp cán bộ'] }];
      return [{ text: texts.say('dossier_phone_mismatch'), suggestedActions: [] }];
    }
    await this.setDossier(conversation, { ...pending, stage: 'verified' });
    return [answers.full(dossier, new Date(this.parts.clock()))];
  }

  private async follow(conversation: string, pending: ConversationState['dossier'], activity: Activity): Promise<Reply[]> {
    const { texts } = this.parts;
    if (pending === null || pending.stage !== 'verified') return [{ text: texts.say('dossier_follow_needs_code'), suggestedActions: [] }];
    const dossier = await this.fetch(conversation, pending.code);
    if (dossier === 'failed' || dossier === null) return [{ text: texts.say('dossier_unavailable'), suggestedActions: ['Gặp cán bộ'] }];
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
      this.parts.log.info({ conversation, found: dossier !== null, status: dossier?.status ?? null, demo: this.parts.provider.demo }, 'dossier.lookup');
      return dossier;
    } catch (err) {
      if (!(err instanceof DossierLookupFailed)) throw err;
      return 'failed' as const;
    }
  }

  private allowed(buckets: Map<string, TokenBucket>, key: string, limit: { burst: number; perSecond: number }): boolean {
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      if (buckets.size >= MAX_BUCKETS) buckets.clear();
      bucket = new TokenBucket(limit.burst, limit.perSecond, this.parts.clock);
      buckets.set(key, bucket);
    }
    return bucket.take().ok;
  }

  private setDossier(conversation: string, dossier: ConversationState['dossier']): Promise<void> {
    return this.parts.state.update(conversation, (s) => ({ state: { ...s, dossier }, result: undefined }));
  }

  private same(button: string, text: string): boolean {
    return this.parts.fold(button) === this.parts.fold(text);
  }
}
