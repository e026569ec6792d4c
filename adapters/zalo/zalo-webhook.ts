import { createHash, timingSafeEqual } from 'node:crypto';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { ActivityHandler, BaseAdapter } from '@microsoft/agents-hosting';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { conversationKeyOf } from '../../src/core/assistant-bot.ts';
import type { HandoffDesk } from '../../src/handoff/handoff-desk.ts';
import { ChatbotError } from '../../src/shared/errors.ts';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Transcript } from '../../src/state/transcript.ts';
import { ZaloAdapter } from './zalo-adapter.ts';
import { parseZaloJson } from './zalo-json.ts';
import type { ZaloOpenApi } from './zalo-openapi.ts';
import type { ZaloWindow } from './zalo-window.ts';
import type { FirstDeliveries } from '../../src/state/first-deliveries.ts';

export const CHANNEL_ID = 'zalo';
export const WEBHOOK_PATH = '/webhooks/zalo';
const MAX_BODY = '1mb';
/** Who answered when an admin replied from Zalo's own OA chat tool (shown in the console). */
const ZALO_CONSOLE = 'zalo-oa-chat';

/** Ids are strings here: parseZaloJson keeps long ones exact, and short ones are turned into strings. */
const IdString = z.union([z.string(), z.number()]).transform(String);

const ZaloEvent = z
  .object({
    app_id: IdString,
    event_name: z.string(),
    timestamp: IdString,
    sender: z.object({ id: IdString, admin_id: IdString.optional() }).passthrough().optional(),
    recipient: z.object({ id: IdString }).passthrough().optional(),
    follower: z.object({ id: IdString }).passthrough().optional(),
    oa_id: IdString.optional(),
    message: z
      .object({
        msg_id: IdString.optional(),
        text: z.string().optional(),
        attachments: z.array(z.object({ type: z.string() }).passthrough()).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
type ZaloEvent = z.infer<typeof ZaloEvent>;

export interface ZaloWebhookDeps {
  appId: string;
  oaSecretKey: string;
  bot: ActivityHandler;
  attach<A extends BaseAdapter>(adapter: A): A;
  transcript: Transcript;
  desk: HandoffDesk;
  api: ZaloOpenApi;
  window: ZaloWindow;
  /** Follows already welcomed, in the shared store (every process sees them). */
  follows: FirstDeliveries;
  log: Logger;
}

/**
 * The Zalo OA webhook at /webhooks/zalo: X-ZEvent-Signature checked (SHA-256 of app_id, the raw
 * body, the timestamp and the OA secret key), 200 at once, then each user's events in order.
 * Texts and button taps become message activities keyed by msg_id (a redelivery is recorded once);
 * `follow` is a welcome; images, stickers, files and locations get a polite text answer; an
 * `oa_send_*` echo with `sender.admin_id` is an admin answering in Zalo's own tool, which hands the
 * conversation to people. Ids stay strings throughout.
 */
export class ZaloWebhook {
  readonly adapter: ZaloAdapter;
  private readonly queue: KeyedQueue;

  constructor(private readonly deps: ZaloWebhookDeps) {
    this.adapter = deps.attach(new ZaloAdapter(deps.api, deps.window, deps.log));
    this.queue = new KeyedQueue(deps.log, 'zalo.event.failed', (userId) => conversationKeyOf(CHANNEL_ID, userId));
  }

  router(): Router {
    const router = express.Router();
    router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: MAX_BODY }), (req, res) => this.receive(req, res));
    return router;
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private receive(req: Request, res: Response): void {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let json: unknown;
    try {
      json = parseZaloJson(raw.toString('utf8'));
    } catch {
      throw new ChatbotError('CHAT_ERR_ZALO_MALFORMED', 'the body is not JSON', 400);
    }
    const event = ZaloEvent.safeParse(json);
    if (!event.success) throw new ChatbotError('CHAT_ERR_ZALO_MALFORMED', 'the body is not an OA event (app_id, event_name, timestamp)', 400);
    if (!this.signed(raw, event.data, req.get('x-zevent-signature'))) {
      this.deps.log.warn({ event: event.data.event_name.slice(0, 40) }, 'zalo.signature.refused');
      throw new ChatbotError('CHAT_ERR_ZALO_SIGNATURE', 'X-ZEvent-Signature does not match', 403);
    }
    // Zalo wants 200 within 2 s and resends otherwise: answer now, work after.
    res.status(200).json({ received: true });
    const userId = this.userOf(event.data);
    if (userId === null) {
      this.deps.log.info({ event: event.data.event_name.slice(0, 40) }, 'zalo.event.skipped');
      return;
    }
    this.queue.push(userId, () => this.handle(event.data, userId));
  }

  private signed(raw: Buffer, event: ZaloEvent, header: string | undefined): boolean {
    if (header === undefined) return false;
    if (event.app_id !== this.deps.appId) return false;
    const mac = createHash('sha256').update(event.app_id).update(raw).update(event.timestamp).update(this.deps.oaSecretKey).digest('hex');
    const given = Buffer.from(header.replace(/^mac=/, '').toLowerCase());
    const expected = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The user an event is about: the sender of user_* events, the recipient of oa_* echoes, the follower of follow/unfollow. */
  private userOf(event: ZaloEvent): string | null {
    if (event.event_name === 'follow' || event.event_name === 'unfollow') return event.follower?.id ?? null;
    if (event.event_name.startsWith('oa_send_')) return event.recipient?.id ?? null;
    if (event.event_name.startsWith('user_send_') || event.event_name === 'user_submit_info') return event.sender?.id ?? null;
    return null;
  }

  private async handle(event: ZaloEvent, userId: string): Promise<void> {
    if (event.event_name.startsWith('oa_send_')) return this.echo(event, userId);
    if (event.event_name === 'unfollow') return;
    const at = Number(event.timestamp) || Date.now();
    await this.deps.window.userWrote(userId, at);
    const oaId = event.recipient?.id ?? event.oa_id ?? 'oa';
    const addressing = {
      channelId: CHANNEL_ID,
      conversation: { id: userId },
      from: { id: userId, role: 'user' },
      recipient: { id: oaId, role: 'bot' },
      locale: 'vi-VN',
      timestamp: new Date(at).toISOString(),
    };
    let activity: Activity;
    if (event.event_name === 'follow') {
      // A follow has no msg_id, and Zalo resends what it thinks was lost, maybe to another process.
      if (!(await this.deps.follows.first(`${userId}:${event.timestamp}`))) return;
      activity = Activity.fromObject({ ...addressing, type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: userId, role: 'user' }] });
    } else if (event.event_name === 'user_send_text') {
      // A tapped oa.query.hide button arrives the same way, its payload (the button's title) as the text.
      activity = Activity.fromObject({ ...addressing, type: ActivityTypes.Message, id: event.message?.msg_id, text: event.message?.text ?? '' });
    } else {
      const kind = event.event_name.replace(/^user_send_/, '');
      activity = Activity.fromObject({ ...addressing, type: ActivityTypes.Message, id: event.message?.msg_id, text: '', attachments: [{ contentType: `zalo/${kind}` }] });
    }
    await this.adapter.process(activity, this.deps.bot);
  }

  /** The OA sent something: by this server (already recorded), or by an admin in Zalo's chat tool (people have it now). */
  private async echo(event: ZaloEvent, userId: string): Promise<void> {
    if (event.sender?.admin_id === undefined) return;
    const conversation = conversationKeyOf(CHANNEL_ID, userId);
    const { duplicate } = await this.deps.transcript.append(conversation, {
      from: 'agent',
      text: event.message?.text ?? '',
      suggestedActions: [],
      ...(event.message?.msg_id ? { messageId: event.message.msg_id } : {}),
      agent: 'Zalo OA',
    });
    if (duplicate) return;
    await this.deps.desk.takenElsewhere(conversation, { channelId: CHANNEL_ID, conversationId: userId, userId, botId: event.sender.id }, ZALO_CONSOLE);
  }
}
