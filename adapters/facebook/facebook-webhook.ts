import { createHmac } from 'node:crypto';
import { sameSecret } from '../../src/shared/constant-time.ts';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { ActivityHandler, BaseAdapter } from '@microsoft/agents-hosting';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { conversationKeyOf } from '../../src/core/activities.ts';
import type { HandoffDesk } from '../../src/handoff/handoff-desk.ts';
import { Errors } from '../../src/shared/errors.ts';
import { parseJsonExact } from '../../src/shared/exact-json.ts';
import { eventTime } from '../../src/shared/event-time.ts';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Transcript } from '../../src/state/transcript.ts';
import { FacebookAdapter } from './facebook-adapter.ts';
import { OUR_METADATA, type MessengerSendApi } from './messenger-send-api.ts';
import type { MessengerWindow } from './messenger-window.ts';

const CHANNEL_ID = 'facebook';
const WEBHOOK_PATH = '/webhooks/facebook';
/** Meta batches events; a megabyte is far above any batch, and caps what a forged request can make us read. */
const MAX_BODY = '1mb';
/** The "Get Started" button's payload: a new user, to be welcomed. */
const GET_STARTED = 'GET_STARTED';
/** A turn slower than this shows the typing indicator first. */
const TYPING_AFTER_MS = 400;
/** Who answered when a person replied from Meta's own inbox (shown in the console). */
const META_INBOX = 'hop-thu-facebook';

const Envelope = z.object({
  object: z.string(),
  entry: z.array(
    z
      .object({
        id: z.union([z.string(), z.number()]).transform(String),
        messaging: z.array(z.unknown()).optional(),
        standby: z.array(z.unknown()).optional(),
      })
      .passthrough(),
  ),
});

const Id = z.object({ id: z.union([z.string(), z.number()]).transform(String) });

const MessagingEvent = z
  .object({
    sender: Id,
    recipient: Id,
    timestamp: z.number().optional(),
    message: z
      .object({
        mid: z.string(),
        text: z.string().optional(),
        is_echo: z.boolean().optional(),
        metadata: z.string().optional(),
        quick_reply: z.object({ payload: z.string() }).optional(),
        attachments: z.array(z.object({ type: z.string() }).passthrough()).optional(),
      })
      .passthrough()
      .optional(),
    postback: z
      .object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();
type MessagingEvent = z.infer<typeof MessagingEvent>;

export interface FacebookWebhookDeps {
  appSecret: string;
  verifyToken: string;
  bot: ActivityHandler;
  attach<A extends BaseAdapter>(adapter: A): A;
  transcript: Transcript;
  desk: HandoffDesk;
  sendApi: MessengerSendApi;
  window: MessengerWindow;
  log: Logger;
  clock?: () => number;
}

/**
 * The Messenger webhook at /webhooks/facebook: the GET handshake, and POSTs checked against
 * X-Hub-Signature-256 over the raw bytes, answered 200 at once and then processed in the
 * background, one user's events in order. Messages, quick-reply taps and postbacks become
 * activities (their mids make redeliveries harmless: the transcript records a mid once); our own
 * echoes are ignored, while an echo of what a person typed in Meta's inbox hands the conversation
 * to people, so the bot stops answering that user.
 */
export class FacebookWebhook {
  readonly adapter: FacebookAdapter;
  private readonly queue: KeyedQueue;

  constructor(private readonly deps: FacebookWebhookDeps) {
    this.adapter = deps.attach(new FacebookAdapter(deps.sendApi, deps.window, deps.log));
    this.queue = new KeyedQueue(deps.log, 'facebook.event.failed', (psid) => conversationKeyOf(CHANNEL_ID, psid));
  }

  router(): Router {
    const router = express.Router();
    router.get(WEBHOOK_PATH, (req, res) => this.handshake(req, res));
    router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: MAX_BODY }), (req, res) => this.receive(req, res));
    return router;
  }

  /** Resolves when every event received so far has been processed (tests and shutdown wait on it). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private handshake(req: Request, res: Response): void {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (
      mode !== 'subscribe' ||
      typeof token !== 'string' ||
      !sameSecret(token, this.deps.verifyToken) ||
      typeof challenge !== 'string'
    ) {
      this.deps.log.warn({ mode: typeof mode === 'string' ? mode : null }, 'facebook.verify.refused');
      res.status(403).type('text').send('Forbidden');
      return;
    }
    res.status(200).type('text').send(challenge);
  }

  private receive(req: Request, res: Response): void {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!this.signedByMeta(raw, req.get('x-hub-signature-256'))) {
      this.deps.log.warn({ bytes: raw.length }, 'facebook.signature.refused');
      throw Errors.facebookSignature();
    }
    let json: unknown;
    try {
      // Ids sent as bare numbers would be rounded by a plain JSON.parse.
      json = parseJsonExact(raw.toString('utf8'));
    } catch {
      throw Errors.facebookMalformed('JSON');
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) throw Errors.facebookMalformed('a webhook envelope');
    if (envelope.data.object !== 'page') throw Errors.facebookUnknownObject(envelope.data.object);
    // Meta waits at most 20 s and retries on anything but 200: answer now, work after.
    res.status(200).type('text').send('EVENT_RECEIVED');
    for (const entry of envelope.data.entry) {
      if ((entry.standby?.length ?? 0) > 0)
        this.deps.log.info({ events: entry.standby!.length }, 'facebook.standby.ignored');
      for (const raw of entry.messaging ?? []) {
        const event = MessagingEvent.safeParse(raw);
        if (!event.success) {
          this.deps.log.info('facebook.event.skipped');
          continue;
        }
        const at = eventTime(event.data.timestamp, (this.deps.clock ?? Date.now)());
        if (at === 'stale') {
          this.deps.log.warn('facebook.event.stale');
          continue;
        }
        const psid = event.data.message?.is_echo ? event.data.recipient.id : event.data.sender.id;
        this.queue.push(psid, () => this.handle(event.data, at));
      }
    }
  }

  private signedByMeta(raw: Buffer, header: string | undefined): boolean {
    if (header === undefined || !header.startsWith('sha256=')) return false;
    const expected = Buffer.from(createHmac('sha256', this.deps.appSecret).update(raw).digest('hex'));
    return sameSecret(header.slice('sha256='.length).toLowerCase(), expected);
  }

  private async handle(event: MessagingEvent, at: number): Promise<void> {
    const message = event.message;
    if (message?.is_echo) return this.echo(event);
    if (message === undefined && event.postback === undefined) return; // deliveries, reads, reactions
    const psid = event.sender.id;
    await this.deps.window.userWrote(psid, at);
    const activity = this.activityFor(event, at);
    const typing = setTimeout(
      () => void this.deps.sendApi.senderAction(psid, 'typing_on').catch(() => {}),
      TYPING_AFTER_MS,
    );
    try {
      await this.adapter.process(activity, this.deps.bot);
    } finally {
      clearTimeout(typing);
    }
  }

  private activityFor(event: MessagingEvent, at: number): Activity {
    const psid = event.sender.id;
    const addressing = {
      channelId: CHANNEL_ID,
      conversation: { id: psid },
      from: { id: psid, role: 'user' },
      recipient: { id: event.recipient.id, role: 'bot' },
      locale: 'vi-VN',
      timestamp: new Date(at).toISOString(),
    };
    const postback = event.postback;
    if (postback !== undefined) {
      if (postback.payload === GET_STARTED) {
        return Activity.fromObject({
          ...addressing,
          type: ActivityTypes.ConversationUpdate,
          membersAdded: [{ id: psid, role: 'user' }],
        });
      }
      // A postback button carries our payload (the button's title); its mid makes redeliveries harmless.
      return Activity.fromObject({
        ...addressing,
        type: ActivityTypes.Message,
        id: postback.mid,
        text: postback.payload ?? postback.title ?? '',
      });
    }
    const message = event.message!;
    // A quick-reply tap: the payload is the whole title the bot offered (the shown title may be cut to 20 characters).
    const text = message.quick_reply?.payload ?? message.text ?? '';
    const attachments =
      text.length === 0 ? (message.attachments ?? []).map((a) => ({ contentType: `facebook/${a.type}` })) : [];
    return Activity.fromObject({ ...addressing, type: ActivityTypes.Message, id: message.mid, text, attachments });
  }

  /** A message the Page sent: ours (already recorded) is ignored; a person's, typed in Meta's inbox, hands the user to people. */
  private async echo(event: MessagingEvent): Promise<void> {
    const message = event.message!;
    if (message.metadata === OUR_METADATA) return;
    const psid = event.recipient.id;
    const conversation = conversationKeyOf(CHANNEL_ID, psid);
    const { duplicate } = await this.deps.transcript.append(conversation, {
      from: 'agent',
      text: message.text ?? '',
      suggestedActions: [],
      messageId: message.mid,
      agent: 'Hộp thư Facebook',
    });
    if (duplicate) return;
    await this.deps.desk.takenElsewhere(
      conversation,
      { channelId: CHANNEL_ID, conversationId: psid, userId: psid, botId: event.sender.id },
      META_INBOX,
    );
  }
}
