import { createHash, randomBytes, randomInt } from 'node:crypto';
import { SignedPoster, type WebhookDelivery } from './signed-poster.ts';

export type ZaloDelivery = WebhookDelivery;

export interface ZaloWebhookDriverOptions {
  /** e.g. http://127.0.0.1:PORT/webhooks/zalo */
  webhookUrl: string;
  appId: string;
  /** The OA Secret Key of the webhook settings page (not the app secret): last term of the MAC. */
  oaSecretKey: string;
  oaId: string;
  retryDelayMs?: number;
  maxAttempts?: number;
  /** Zalo wants a 200 within 2 s (§4.2); tests may wait less. */
  timeoutMs?: number;
  /** Clock of the event timestamps. */
  now?: () => number;
}

type Event = Record<string, unknown>;

const ZALO_SIGNATURE_HEADER = 'X-ZEvent-Signature';

/** "mac=" + sha256hex(appId + rawBody + timestamp + oaSecretKey) — plain SHA-256, not HMAC (spec §4.3). */
export function zaloSignatureOf(appId: string, rawBody: string, timestamp: string, oaSecretKey: string): string {
  return `mac=${createHash('sha256')
    .update(appId + rawBody + timestamp + oaSecretKey, 'utf8')
    .digest('hex')}`;
}

/** Keys whose digit-string values `bareNumberIds` writes as bare numbers; `id` only under these parents. */
const ID_PARENTS = new Set(['sender', 'recipient', 'follower']);

/**
 * JSON text like Zalo sends (JSON.stringify, UTF-8 as is). With `bareNumberIds`, `sender.id`, `recipient.id`,
 * `follower.id` and `user_id_by_app` are written as bare numbers, e.g. `"id":2468458835291979221`, which a plain
 * JSON.parse rounds to 2468458835291979000: the server must read them exactly.
 */
export function zaloJson(value: unknown, options: { bareNumberIds?: boolean } = {}): string {
  if (!options.bareNumberIds) return JSON.stringify(value);
  // Marked strings survive JSON.stringify untouched, then lose their quotes; the nonce keeps user text from matching.
  const mark = `__zalo_bare_${randomBytes(8).toString('hex')}_`;
  const marked = markIds(value, undefined, mark);
  return JSON.stringify(marked).replace(new RegExp(`"${mark}(\\d+)"`, 'g'), '$1');
}

function markIds(value: unknown, parentKey: string | undefined, mark: string): unknown {
  if (Array.isArray(value)) return value.map((v) => markIds(v, undefined, mark));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const isId = k === 'user_id_by_app' || (k === 'id' && parentKey !== undefined && ID_PARENTS.has(parentKey));
    out[k] = isId && typeof v === 'string' && /^\d+$/.test(v) ? mark + v : markIds(v, k, mark);
  }
  return out;
}

/** A fresh id shaped like Zalo's user/OA ids: 18 or 19 digits, no leading zero, mostly above 2^53. */
export function newZaloId(): string {
  const length = randomInt(18, 20);
  let id = String(randomInt(1, 10));
  while (id.length < length) id += String(randomInt(0, 10));
  return id;
}

/** 32 hex digits, the shape of the message_id the OpenAPI answers, so echoes and acks can carry one. */
function newMsgId(): string {
  return randomBytes(16).toString('hex');
}

/** Plays Zalo's part towards our webhook: signed OA event deliveries, with retries and duplicates (spec §4, §7.1). */
export class ZaloWebhookDriver {
  private readonly appId: string;
  private readonly oaSecretKey: string;
  private readonly oaId: string;
  private readonly now: () => number;
  private readonly poster: SignedPoster;

  constructor(options: ZaloWebhookDriverOptions) {
    this.appId = options.appId;
    this.oaSecretKey = options.oaSecretKey;
    this.oaId = options.oaId;
    this.now = options.now ?? Date.now;
    this.poster = new SignedPoster(options);
  }

  /**
   * Posts one signed event, re-posting the same bytes until a 200 or maxAttempts (a non-200 or no answer within
   * timeoutMs counts as a failure). `duplicate` re-posts them once more after the first 200.
   */
  async deliver(event: Event, options: { duplicate?: boolean; bareNumberIds?: boolean } = {}): Promise<ZaloDelivery[]> {
    const body = zaloJson(event, { bareNumberIds: options.bareNumberIds ?? false });
    const headers = this.signedHeaders(body, fieldText(event.app_id), fieldText(event.timestamp));
    return this.poster.deliver(body, headers, options);
  }

  /**
   * Posts raw bytes once, no retry. Without `signature` the correct one is computed from the body's app_id and
   * timestamp; with a string that exact header value is sent; with null no header at all.
   */
  async postRaw(
    body: string | Buffer,
    options: { signature?: string | null } = {},
  ): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.signature === undefined) {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: sign with our own app id and no timestamp, which is all a sender could do.
      }
      const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Event) : {};
      headers[ZALO_SIGNATURE_HEADER] = zaloSignatureOf(
        fieldText(fields.app_id ?? this.appId),
        text,
        fieldText(fields.timestamp),
        this.oaSecretKey,
      );
    } else if (options.signature !== null) {
      headers[ZALO_SIGNATURE_HEADER] = options.signature;
    }
    return this.poster.post(body, headers);
  }

  /** A user's text message; a tap on an oa.query.* button arrives the same way with text = the button payload. */
  text(userId: string, text: string, options: { msgId?: string; timestamp?: number } = {}): Event {
    return this.fromUser('user_send_text', userId, { msg_id: options.msgId ?? newMsgId(), text }, options.timestamp);
  }

  image(userId: string): Event {
    const url = `https://photo-stal-9.zdn.vn/${randomBytes(8).toString('hex')}.jpg`;
    return this.fromUser('user_send_image', userId, {
      msg_id: newMsgId(),
      attachments: [{ type: 'image', payload: { url, thumbnail: url.replace('.jpg', '_thumb.jpg') } }],
    });
  }

  sticker(userId: string): Event {
    return this.fromUser('user_send_sticker', userId, {
      msg_id: newMsgId(),
      attachments: [
        {
          type: 'sticker',
          payload: {
            id: 'b1f4a8a0d8e5310b68f4',
            url: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=46991&size=130',
          },
        },
      ],
    });
  }

  /** Coordinates as strings, as CW-OA reads them (§4.5); a place in Nha Trang. */
  location(userId: string): Event {
    return this.fromUser('user_send_location', userId, {
      msg_id: newMsgId(),
      attachments: [{ type: 'location', payload: { coordinates: { latitude: '12.2451', longitude: '109.1943' } } }],
    });
  }

  /** Follow events name the user in follower.id and carry oa_id; there is no sender/recipient (§4.5). */
  follow(userId: string): Event {
    return this.followEvent('follow', userId);
  }

  unfollow(userId: string): Event {
    return this.followEvent('unfollow', userId);
  }

  /** Echo of an OA message; `adminId` marks one typed by a human in Zalo's OA chat tool (the handoff signal, §6). */
  oaSendText(userId: string, text: string, options: { adminId?: string; msgId?: string } = {}): Event {
    const sender = options.adminId === undefined ? { id: this.oaId } : { admin_id: options.adminId, id: this.oaId };
    return this.fromOa('oa_send_text', userId, sender, { msg_id: options.msgId ?? newMsgId(), text });
  }

  received(userId: string, msgId: string): Event {
    return this.fromOa('user_received_message', userId, { id: this.oaId }, { msg_id: msgId });
  }

  seen(userId: string, msgIds: string[]): Event {
    return this.fromOa('user_seen_message', userId, { id: this.oaId }, { msg_ids: [...msgIds] });
  }

  private fromUser(eventName: string, userId: string, message: Event, timestamp?: number): Event {
    return {
      app_id: this.appId,
      user_id_by_app: this.userIdByApp(userId),
      event_name: eventName,
      timestamp: String(timestamp ?? this.now()),
      sender: { id: userId },
      recipient: { id: this.oaId },
      message,
    };
  }

  private fromOa(eventName: string, userId: string, sender: Event, message: Event): Event {
    return {
      app_id: this.appId,
      user_id_by_app: this.userIdByApp(userId),
      event_name: eventName,
      timestamp: String(this.now()),
      sender,
      recipient: { id: userId },
      message,
    };
  }

  private followEvent(eventName: 'follow' | 'unfollow', userId: string): Event {
    return {
      app_id: this.appId,
      oa_id: this.oaId,
      user_id_by_app: this.userIdByApp(userId),
      event_name: eventName,
      timestamp: String(this.now()),
      follower: { id: userId },
    };
  }

  /** The per-app id of a user is stable across events, so it is derived from the per-OA id rather than drawn. */
  private userIdByApp(userId: string): string {
    const digits = BigInt(
      `0x${createHash('sha256').update(`${this.appId}:${userId}`).digest('hex').slice(0, 15)}`,
    ).toString();
    return `5${digits.padStart(17, '0').slice(0, 17)}`;
  }

  private signedHeaders(body: string, appId: string, timestamp: string): Record<string, string> {
    return {
      'content-type': 'application/json',
      [ZALO_SIGNATURE_HEADER]: zaloSignatureOf(appId, body, timestamp, this.oaSecretKey),
    };
  }
}

/** The text of an app_id/timestamp field as it appears in the body, which is what the MAC covers. */
function fieldText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
}
