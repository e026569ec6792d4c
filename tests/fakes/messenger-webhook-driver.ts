import { createHmac, randomBytes } from 'node:crypto';
import { SignedPoster, type WebhookDelivery } from './signed-poster.ts';

export type DriverDelivery = WebhookDelivery;

export interface MessengerWebhookDriverOptions {
  /** e.g. http://127.0.0.1:PORT/webhooks/facebook */
  webhookUrl: string;
  appSecret: string;
  pageId: string;
  retryDelayMs?: number;
  maxAttempts?: number;
  /** Meta waits 20 s; tests wait less. */
  timeoutMs?: number;
}

type Event = Record<string, unknown>;

/** sha256=<hex> of HMAC-SHA256(appSecret, body): the X-Hub-Signature-256 header. */
export function signatureOf(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

function legacySignatureOf(appSecret: string, body: string | Buffer): string {
  return `sha1=${createHmac('sha1', appSecret).update(body).digest('hex')}`;
}

/**
 * JSON as Meta puts it on the wire: every non-ASCII UTF-16 unit as a lowercase \uXXXX escape and '/' as '\/'.
 * The signature covers these bytes, so a server that re-serialises the parsed body before verifying fails on
 * Vietnamese text or any URL.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** Plays Meta's part towards our webhook: the verification handshake and signed event deliveries, with retries. */
export class MessengerWebhookDriver {
  private readonly appSecret: string;
  private readonly pageId: string;
  private readonly poster: SignedPoster;

  constructor(options: MessengerWebhookDriverOptions) {
    this.appSecret = options.appSecret;
    this.pageId = options.pageId;
    this.poster = new SignedPoster({ ...options, defaultHeaders: { 'user-agent': 'facebookexternalua' } });
  }

  /** Sends the GET verification handshake (only the parameters given); returns status and body. */
  async verify(params: {
    mode?: string;
    token?: string;
    challenge?: string;
  }): Promise<{ status: number; body: string }> {
    const url = new URL(this.poster.webhookUrl);
    if (params.mode !== undefined) url.searchParams.set('hub.mode', params.mode);
    if (params.challenge !== undefined) url.searchParams.set('hub.challenge', params.challenge);
    if (params.token !== undefined) url.searchParams.set('hub.verify_token', params.token);
    const res = await fetch(url, { signal: AbortSignal.timeout(this.poster.timeoutMs) });
    return { status: res.status, body: await res.text() };
  }

  /**
   * Posts one signed page envelope holding `events`, re-posting the same bytes until a 200 or maxAttempts.
   * `duplicate` re-posts them once more after the first 200, as Meta sometimes does.
   */
  async deliver(events: Event[], options: { duplicate?: boolean } = {}): Promise<DriverDelivery[]> {
    const body = metaJson({ object: 'page', entry: [{ id: this.pageId, time: Date.now(), messaging: events }] });
    return this.poster.deliver(body, this.signedHeaders(body), options);
  }

  /**
   * Posts raw bytes once, no retry. Without `signature` both headers are correct; with one (or null) only that
   * header is sent, so a correct legacy sha1 cannot mask the bad sha256 under test.
   */
  async postRaw(
    body: string | Buffer,
    options: { signature?: string | null; contentType?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> =
      options.signature === undefined
        ? this.signedHeaders(body)
        : options.signature === null
          ? {}
          : { 'x-hub-signature-256': options.signature };
    headers['content-type'] = options.contentType ?? 'application/json';
    return this.poster.post(body, headers);
  }

  text(psid: string, text: string, options: { mid?: string; timestamp?: number } = {}): Event {
    return { ...this.fromUser(psid, options.timestamp), message: { mid: options.mid ?? newMid(), text } };
  }

  /** A quick-reply tap: Meta sends the button title as text alongside the payload. */
  quickReply(psid: string, title: string, payload: string, options: { mid?: string } = {}): Event {
    return { ...this.fromUser(psid), message: { mid: options.mid ?? newMid(), text: title, quick_reply: { payload } } };
  }

  postback(psid: string, title: string, payload: string, options: { mid?: string } = {}): Event {
    return { ...this.fromUser(psid), postback: { mid: options.mid ?? newMid(), title, payload } };
  }

  /** A sticker is an image carrying a sticker_id (the "like" thumb is 369239263222822). */
  attachment(
    psid: string,
    type: 'image' | 'audio' | 'video' | 'file' | 'sticker',
    options: { mid?: string } = {},
  ): Event {
    const url = `https://scontent.xx.fbcdn.net/v/t1.15752-9/${randomBytes(6).toString('hex')}`;
    const attachment =
      type === 'sticker'
        ? { type: 'image', payload: { url, sticker_id: 369239263222822 } }
        : { type, payload: { url } };
    return { ...this.fromUser(psid), message: { mid: options.mid ?? newMid(), attachments: [attachment] } };
  }

  /** A message the Page sent; `appId` null or absent is a message with no app id (a human in Meta's inbox). */
  echo(psid: string, text: string, options: { appId?: number | null; metadata?: string; mid?: string }): Event {
    return {
      sender: { id: this.pageId },
      recipient: { id: psid },
      timestamp: Date.now(),
      message: {
        is_echo: true,
        ...(options.appId == null ? {} : { app_id: options.appId }),
        ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
        mid: options.mid ?? newMid(),
        text,
      },
    };
  }

  delivery(psid: string, mids: string[]): Event {
    return { sender: { id: psid }, recipient: { id: this.pageId }, delivery: { mids, watermark: Date.now() } };
  }

  read(psid: string): Event {
    return { ...this.fromUser(psid), read: { watermark: Date.now() } };
  }

  private fromUser(psid: string, timestamp = Date.now()): Event {
    return { sender: { id: psid }, recipient: { id: this.pageId }, timestamp };
  }

  private signedHeaders(body: string | Buffer): Record<string, string> {
    return {
      'content-type': 'application/json',
      'x-hub-signature-256': signatureOf(this.appSecret, body),
      'x-hub-signature': legacySignatureOf(this.appSecret, body),
    };
  }
}

let mids = 0;
/** Unique across drivers in one test process, shaped like Meta's opaque mids. */
function newMid(): string {
  return `m_${randomBytes(9).toString('base64url')}${(++mids).toString(36)}`;
}
