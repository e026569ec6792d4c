import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphParams, type GraphParams } from './graph-params.ts';
import { answerJson, HttpFakeServer } from './http-fake-server.ts';
import { SentLog } from './sent-log.ts';

/** One accepted Send API call. Sender actions have no message id, so theirs is ''. */
export interface SentMessage {
  psid: string;
  body: Record<string, unknown>;
  at: number;
  messageId: string;
}

export interface GraphFailure {
  status: number;
  code: number;
  subcode?: number;
  message?: string;
  type?: string;
}

export interface FakeGraphApiOptions {
  pageId: string;
  pageAccessToken: string;
  /** Graph version in the path, e.g. 'v25.0' (the default). */
  version?: string;
  /** Clock the messaging windows are judged by; give the server's clock when the test fakes time. */
  now?: () => number;
}

const HOUR = 3_600_000;
const STANDARD_WINDOW_MS = 24 * HOUR;
const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

const MESSAGING_TYPES = new Set(['RESPONSE', 'UPDATE', 'MESSAGE_TAG']);
const TAGS = new Set(['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE', 'HUMAN_AGENT']);
const SENDER_ACTIONS = new Set(['typing_on', 'typing_off', 'mark_seen']);
const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'file']);
const NOTIFICATION_TYPES = new Set(['REGULAR', 'SILENT_PUSH', 'NO_PUSH']);

/** Messenger counts characters, not UTF-16 units: an emoji is one character. */
const chars = (s: string): number => [...s].length;

const DEFAULT_MESSAGES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'An unexpected error has occurred. Please retry your request later.',
  4: 'Application request limit reached',
  10: 'Application does not have permission for this action',
  32: 'Page request limit reached',
  100: 'Invalid parameter',
  190: 'Invalid OAuth access token',
  551: "This person isn't available right now",
  613: 'Calls to this API have exceeded the rate limit',
  1200: 'Temporary send message failure. Please try again later',
};

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly type = 'OAuthException',
    readonly subcode?: number,
  ) {
    super(message);
  }
}

const invalid = (message: string): GraphError => new GraphError(400, 100, `(#100) ${message}`);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A local stand-in for graph.facebook.com's Send API that enforces the limits and windows Meta does (spec §4). */
export class FakeGraphApi {
  readonly url: string;
  readonly version: string;
  readonly pageId: string;
  readonly requests: { path: string; status: number; body: unknown }[] = [];

  private readonly token: string;
  private readonly now: () => number;
  private readonly lastUserMessage = new Map<string, number>();
  private readonly blocked = new Set<string>();
  // Sender actions are recorded too, but only messages count for messagesTo and waitForMessages.
  private readonly log = new SentLog<SentMessage>(
    (m) => m.psid,
    (m) => 'message' in m.body,
  );
  readonly sent: SentMessage[] = this.log.entries;
  private counter = 0;

  private constructor(
    private readonly http: HttpFakeServer<GraphFailure>,
    options: FakeGraphApiOptions,
  ) {
    this.url = http.url;
    this.version = options.version ?? 'v25.0';
    this.pageId = options.pageId;
    this.token = options.pageAccessToken;
    this.now = options.now ?? Date.now;
  }

  /** Starts an HTTP server on 127.0.0.1 and a free port. */
  static async start(options: FakeGraphApiOptions): Promise<FakeGraphApi> {
    const http = await HttpFakeServer.start<GraphFailure>();
    const fake = new FakeGraphApi(http, options);
    http.answerWith((req, res, raw, failure) => fake.respond(req, res, raw, failure));
    return fake;
  }

  /** Messages with a `message` (not sender actions) sent to a PSID, in order. */
  messagesTo(psid: string): SentMessage[] {
    return this.log.to(psid);
  }

  /** Resolves with the first `count` messages to `psid` once they have been accepted; rejects after timeoutMs. */
  waitForMessages(psid: string, count: number, timeoutMs = 5000): Promise<SentMessage[]> {
    return this.log.wait(psid, count, timeoutMs);
  }

  /** Marks when the user last wrote (ms epoch); PSIDs never set count as having just written. */
  userWroteAt(psid: string, at: number): void {
    this.lastUserMessage.set(psid, at);
  }

  /** The next `count` requests fail with this error before any other check, then behaviour is normal again. */
  failNext(count: number, failure: GraphFailure): void {
    this.http.failNext(count, failure);
  }

  /** The next `count` requests are answered only after `ms`; they are still processed, as Graph would. */
  delayNext(count: number, ms: number): void {
    this.http.delayNext(count, ms);
  }

  /** The user blocked the Page: every send to them fails with 551. */
  block(psid: string): void {
    this.blocked.add(psid);
  }

  async close(): Promise<void> {
    this.log.rejectAll('FakeGraphApi closed');
    await this.http.close();
  }

  private respond(req: IncomingMessage, res: ServerResponse, raw: string, failure: GraphFailure | undefined): void {
    const url = new URL(req.url ?? '/', this.url);
    // JSON or, as in Meta's own Send API example, a form (docs/specs/examples/messenger.json).
    const params = graphParams(req.headers['content-type'], raw);
    const body = params.body ?? raw;
    let status: number;
    let payload: Record<string, unknown>;
    try {
      if (failure) {
        const f = failure;
        throw new GraphError(
          f.status,
          f.code,
          f.message ?? DEFAULT_MESSAGES[f.code] ?? 'An unknown error occurred',
          f.type,
          f.subcode,
        );
      }
      payload = this.accept(req.method ?? 'GET', url, params);
      status = 200;
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      status = e.status;
      payload = {
        error: {
          message: e.message,
          type: e.type,
          code: e.code,
          ...(e.subcode === undefined ? {} : { error_subcode: e.subcode }),
          fbtrace_id: randomBytes(8).toString('base64url'),
        },
      };
    }
    this.requests.push({ path: url.pathname, status, body });
    answerJson(res, status, payload, 'application/json; charset=UTF-8');
  }

  private accept(method: string, url: URL, params: GraphParams): Record<string, unknown> {
    const paths = [`/${this.version}/me/messages`, `/${this.version}/${this.pageId}/messages`];
    if (!paths.includes(url.pathname)) {
      throw new GraphError(
        404,
        100,
        `Unsupported ${method.toLowerCase()} request. Object with ID '${url.pathname}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        'GraphMethodException',
        33,
      );
    }
    if (method !== 'POST')
      throw new GraphError(405, 100, `Unsupported ${method.toLowerCase()} request.`, 'GraphMethodException');
    // Graph takes the token in the query string or as a form field.
    if ((url.searchParams.get('access_token') ?? params.accessToken) !== this.token)
      throw new GraphError(400, 190, 'Invalid OAuth access token');

    const body = params.body;
    if (!isObject(body)) throw invalid('The request body must be a JSON object');
    const recipient = body.recipient;
    if (!isObject(recipient) || typeof recipient.id !== 'string' || recipient.id === '')
      throw invalid('param recipient[id] must be a non-empty string');
    const psid = recipient.id;

    const isAction = 'sender_action' in body;
    if (isAction) this.checkSenderAction(body);
    else this.checkMessage(body);

    if (this.blocked.has(psid)) throw new GraphError(400, 551, "This person isn't available right now");
    if (!isAction) this.checkWindow(psid, body);

    const messageId = isAction ? '' : `m_${++this.counter}`;
    this.log.record({ psid, body, at: this.now(), messageId });
    return isAction ? { recipient_id: psid } : { recipient_id: psid, message_id: messageId };
  }

  private checkSenderAction(body: Record<string, unknown>): void {
    const extra = Object.keys(body).filter((k) => k !== 'recipient' && k !== 'sender_action');
    if (extra.length > 0)
      throw invalid(`sender_action requests may only contain recipient and sender_action, got: ${extra.join(', ')}`);
    if (typeof body.sender_action !== 'string' || !SENDER_ACTIONS.has(body.sender_action)) {
      throw invalid('param sender_action must be one of {typing_on, typing_off, mark_seen}');
    }
  }

  private checkMessage(body: Record<string, unknown>): void {
    const type = body.messaging_type;
    if (typeof type !== 'string' || !MESSAGING_TYPES.has(type))
      throw invalid('param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    if (type === 'MESSAGE_TAG') {
      if (typeof body.tag !== 'string' || !TAGS.has(body.tag)) {
        throw invalid(
          'param tag must be one of {CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT} when messaging_type is MESSAGE_TAG',
        );
      }
    } else if ('tag' in body) {
      throw invalid('param tag is only allowed when messaging_type is MESSAGE_TAG');
    }
    if ('notification_type' in body && !NOTIFICATION_TYPES.has(body.notification_type as string)) {
      throw invalid('param notification_type must be one of {REGULAR, SILENT_PUSH, NO_PUSH}');
    }

    const message = body.message;
    if (!isObject(message)) throw invalid('param message must be an object');
    const hasText = 'text' in message;
    const hasAttachment = 'attachment' in message;
    if (hasText === hasAttachment) throw invalid('message must contain exactly one of text or attachment');
    if (hasText) {
      if (typeof message.text !== 'string' || message.text.length === 0)
        throw invalid('param message[text] must be a non-empty UTF-8 encoded string');
      if (chars(message.text) > 2000) throw invalid('param message[text] must be at most 2000 characters');
    } else {
      this.checkAttachment(message.attachment);
    }
    if ('quick_replies' in message) this.checkQuickReplies(message.quick_replies);
    if ('metadata' in message) {
      if (typeof message.metadata !== 'string' || chars(message.metadata) > 1000)
        throw invalid('param message[metadata] must be a string of at most 1000 characters');
    }
  }

  private checkQuickReplies(qrs: unknown): void {
    if (!Array.isArray(qrs)) throw invalid('param message[quick_replies] must be an array');
    if (qrs.length > 13) throw invalid('param message[quick_replies] must have at most 13 elements');
    for (const [i, qr] of qrs.entries()) {
      if (!isObject(qr)) throw invalid(`param message[quick_replies][${i}] must be an object`);
      if (qr.content_type === 'user_phone_number' || qr.content_type === 'user_email') continue;
      if (qr.content_type !== 'text')
        throw invalid(
          `param message[quick_replies][${i}][content_type] must be one of {text, user_phone_number, user_email}`,
        );
      if (typeof qr.title !== 'string' || qr.title.length === 0)
        throw invalid(`param message[quick_replies][${i}][title] is required`);
      if (chars(qr.title) > 20)
        throw invalid(`param message[quick_replies][${i}][title] must be at most 20 characters`);
      const payload = qr.payload;
      if (typeof payload !== 'string' && typeof payload !== 'number')
        throw invalid(`param message[quick_replies][${i}][payload] is required`);
      if (chars(String(payload)) > 1000)
        throw invalid(`param message[quick_replies][${i}][payload] must be at most 1000 characters`);
    }
  }

  private checkAttachment(attachment: unknown): void {
    if (!isObject(attachment) || !isObject(attachment.payload))
      throw invalid('param message[attachment] must have a type and a payload');
    const { type, payload } = attachment;
    if (typeof type === 'string' && MEDIA_TYPES.has(type)) {
      if (typeof payload.url !== 'string' && typeof payload.attachment_id !== 'string')
        throw invalid('attachment payload needs a url or an attachment_id');
      return;
    }
    if (type !== 'template')
      throw invalid('param message[attachment][type] must be one of {image, audio, video, file, template}');
    // Only the button template is ours to check; other templates pass unchecked rather than fail on rules we have not read.
    if (payload.template_type !== 'button') return;
    if (typeof payload.text !== 'string' || payload.text.length === 0)
      throw invalid('button template text is required');
    if (chars(payload.text) > 640) throw invalid('button template text must be at most 640 characters');
    const buttons = payload.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3)
      throw invalid('button template must have 1 to 3 buttons');
    for (const [i, b] of buttons.entries()) {
      if (!isObject(b)) throw invalid(`buttons[${i}] must be an object`);
      if (typeof b.title !== 'string' || b.title.length === 0) throw invalid(`buttons[${i}][title] is required`);
      if (chars(b.title) > 20) throw invalid(`buttons[${i}][title] must be at most 20 characters`);
      if (b.type === 'postback' || b.type === 'phone_number') {
        if (typeof b.payload !== 'string' || b.payload.length === 0)
          throw invalid(`buttons[${i}][payload] is required`);
        if (chars(b.payload) > 1000) throw invalid(`buttons[${i}][payload] must be at most 1000 characters`);
      } else if (b.type === 'web_url') {
        if (typeof b.url !== 'string' || b.url.length === 0)
          throw invalid(`buttons[${i}][url] is required for web_url buttons`);
      } else if (!['account_link', 'account_unlink', 'game_play'].includes(b.type as string)) {
        throw invalid(`buttons[${i}][type] is not a valid button type`);
      }
    }
  }

  private checkWindow(psid: string, body: Record<string, unknown>): void {
    const last = this.lastUserMessage.get(psid);
    if (last === undefined) return;
    const elapsed = this.now() - last;
    let limit: number | undefined;
    if (body.messaging_type !== 'MESSAGE_TAG') limit = STANDARD_WINDOW_MS;
    else if (body.tag === 'HUMAN_AGENT') limit = HUMAN_AGENT_WINDOW_MS;
    if (limit !== undefined && elapsed > limit) {
      throw new GraphError(400, 10, 'This message is sent outside of allowed window', 'OAuthException', 2018278);
    }
  }
}
