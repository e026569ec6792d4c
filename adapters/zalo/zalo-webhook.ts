import { createHash } from 'node:crypto';
import { sameSecret } from '../../src/shared/constant-time.ts';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { ActivityHandler, BaseAdapter } from '@microsoft/agents-hosting';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { conversationKeyOf } from '../../src/core/activities.ts';
import type { HandoffDesk } from '../../src/handoff/handoff-desk.ts';
import { Errors } from '../../src/shared/errors.ts';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Transcript } from '../../src/state/transcript.ts';
import { ZaloAdapter } from './zalo-adapter.ts';
import { parseJsonExact } from '../../src/shared/exact-json.ts';
import { eventTime } from '../../src/shared/event-time.ts';
import type { ZaloOpenApi } from './zalo-openapi.ts';
import type { ZaloWindow } from './zalo-window.ts';
import type { FirstDeliveries } from '../../src/state/first-deliveries.ts';

const CHANNEL_ID = 'zalo';
const WEBHOOK_PATH = '/webhooks/zalo';
const MAX_BODY = '1mb';
/** Who answered when an admin replied from Zalo's own OA chat tool (shown in the console). */
const ZALO_CONSOLE = 'zalo-oa-chat';

/** Ids are strings here: parseJsonExact keeps long ones exact, and short ones are turned into strings. */
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
  clock?: () => number;
}

/** Distinct "timestamp" values tried as the signed one: a genuine body has one at the top level, maybe more inside. */
const MAX_TIMESTAMP_CANDIDATES = 8;
const TIMESTAMP_KEY = Buffer.from('"timestamp"');

/**
 * The Zalo OA webhook at /webhooks/zalo: X-ZEvent-Signature checked on the raw bytes before any
 * parsing (SHA-256 of app_id, the raw body, the timestamp and the OA secret key), 200 at once, then
 * each user's events in order; an event older than the freshness window is acknowledged, not handled.
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
    // Nothing of an unsigned body is parsed: checking costs one hash pass over it, whatever it holds.
    const signedAt = this.signedTimestamp(raw, req.get('x-zevent-signature'));
    if (signedAt === null) {
      this.deps.log.warn({ bytes: raw.length }, 'zalo.signature.refused');
      throw Errors.zaloSignature();
    }
    let json: unknown;
    try {
      json = parseJsonExact(raw.toString('utf8'));
    } catch {
      throw Errors.zaloMalformed('JSON');
    }
    const event = ZaloEvent.safeParse(json);
    if (!event.success) throw Errors.zaloMalformed('an OA event (app_id, event_name, timestamp)');
    if (event.data.app_id !== this.deps.appId || event.data.timestamp !== signedAt) {
      this.deps.log.warn({ event: event.data.event_name.slice(0, 40) }, 'zalo.signature.refused');
      throw Errors.zaloSignature();
    }
    // Zalo wants 200 within 2 s and resends otherwise: answer now, work after.
    res.status(200).json({ received: true });
    const at = eventTime(Number(event.data.timestamp), (this.deps.clock ?? Date.now)());
    if (at === 'stale') {
      this.deps.log.warn({ event: event.data.event_name.slice(0, 40) }, 'zalo.event.stale');
      return;
    }
    const userId = this.userOf(event.data);
    if (userId === null) {
      this.deps.log.info({ event: event.data.event_name.slice(0, 40) }, 'zalo.event.skipped');
      return;
    }
    this.queue.push(userId, () => this.handle(event.data, userId, at));
  }

  /**
   * The body's signed timestamp when X-ZEvent-Signature matches, else null. The MAC covers app_id
   * (ours), the raw body, the timestamp and the secret; the timestamp is read from the raw bytes
   * (each "timestamp" value found, the hash of app_id + body computed once and copied per try), so
   * an unsigned body is refused without being parsed.
   */
  private signedTimestamp(raw: Buffer, header: string | undefined): string | null {
    if (header === undefined) return null;
    const given = Buffer.from(header.replace(/^mac=/, '').toLowerCase());
    if (given.length !== 64) return null;
    const prefix = createHash('sha256').update(this.deps.appId).update(raw);
    for (const timestamp of timestampCandidates(raw)) {
      const expected = Buffer.from(prefix.copy().update(timestamp).update(this.deps.oaSecretKey).digest('hex'));
      if (sameSecret(given, expected)) return timestamp;
    }
    return null;
  }

  /** The user an event is about: the sender of user_* events, the recipient of oa_* echoes, the follower of follow/unfollow. */
  private userOf(event: ZaloEvent): string | null {
    if (event.event_name === 'follow' || event.event_name === 'unfollow') return event.follower?.id ?? null;
    if (event.event_name.startsWith('oa_send_')) return event.recipient?.id ?? null;
    if (event.event_name.startsWith('user_send_') || event.event_name === 'user_submit_info')
      return event.sender?.id ?? null;
    return null;
  }

  private async handle(event: ZaloEvent, userId: string, at: number): Promise<void> {
    if (event.event_name.startsWith('oa_send_')) return this.echo(event, userId);
    if (event.event_name === 'unfollow') return;
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
      activity = Activity.fromObject({
        ...addressing,
        type: ActivityTypes.ConversationUpdate,
        membersAdded: [{ id: userId, role: 'user' }],
      });
    } else if (event.event_name === 'user_send_text') {
      // A tapped oa.query.hide button arrives the same way, its payload (the button's title) as the text.
      activity = Activity.fromObject({
        ...addressing,
        type: ActivityTypes.Message,
        id: event.message?.msg_id,
        text: event.message?.text ?? '',
      });
    } else {
      const kind = event.event_name.replace(/^user_send_/, '');
      activity = Activity.fromObject({
        ...addressing,
        type: ActivityTypes.Message,
        id: event.message?.msg_id,
        text: '',
        attachments: [{ contentType: `zalo/${kind}` }],
      });
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
    await this.deps.desk.takenElsewhere(
      conversation,
      { channelId: CHANNEL_ID, conversationId: userId, userId, botId: event.sender.id },
      ZALO_CONSOLE,
    );
  }
}

/**
 * The values after each `"timestamp":` in the raw body (digits, quoted or not), first found first,
 * at most {@link MAX_TIMESTAMP_CANDIDATES} distinct ones. A byte search, no decoding: the body
 * is not yet known to be Zalo's.
 */
function timestampCandidates(raw: Buffer): string[] {
  const found: string[] = [];
  let from = 0;
  while (found.length < MAX_TIMESTAMP_CANDIDATES) {
    const at = raw.indexOf(TIMESTAMP_KEY, from);
    if (at < 0) break;
    from = at + TIMESTAMP_KEY.length;
    let i = from;
    while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x09 || raw[i] === 0x0a || raw[i] === 0x0d)) i += 1;
    if (raw[i] !== 0x3a) continue; // ':'
    i += 1;
    while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x09 || raw[i] === 0x0a || raw[i] === 0x0d)) i += 1;
    const quoted = raw[i] === 0x22;
    if (quoted) i += 1;
    const start = i;
    while (i < raw.length && i - start < 20 && raw[i]! >= 0x30 && raw[i]! <= 0x39) i += 1;
    if (i === start || (quoted && raw[i] !== 0x22)) continue;
    const value = raw.toString('latin1', start, i);
    if (!found.includes(value)) found.push(value);
  }
  return found;
}
