import type { Logger } from '../../src/shared/logger.ts';
import { retrying } from '../../src/shared/retrying.ts';

/** Meta's limits (spec §4): a message's text, quick replies per message, a quick reply's title. */
export const MAX_TEXT = 2000;
const MAX_QUICK_REPLIES = 13;
const MAX_QUICK_REPLY_TITLE = 20;
const MAX_PAYLOAD = 1000;

/** Attached to everything we send: Meta echoes it back, which is how our own echoes are told from a person's. */
export const OUR_METADATA = 'khcc-assistant';

export type MessagingType =
  { messaging_type: 'RESPONSE' } | { messaging_type: 'UPDATE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' };

export interface QuickReply {
  title: string;
  payload: string;
}

/** A Graph API error, with what to do about it. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    readonly subcode: number | null,
    message: string,
    /** Worth trying again (5xx, rate limits, temporary failures, timeouts); never for a permanent 4xx. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'GraphError';
  }

  /** The messaging window is closed: only the user writing again reopens it. */
  get windowClosed(): boolean {
    return this.code === 10 && this.subcode === 2018278;
  }
}

/** Codes Meta documents as temporary or rate limits (spec §4.6). */
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 1200]);

export interface SendApiOptions {
  graphUrl: string;
  graphVersion: string;
  pageAccessToken: string;
  log: Logger;
  /** Tries of one request (first included) on retryable errors. */
  attempts?: number;
  /** First backoff; doubled each retry, with jitter. */
  backoffMs?: number;
  timeoutMs?: number;
}

/**
 * A small typed client of Messenger's Send API: text (split at 2,000 characters), quick replies
 * within Meta's limits, sender actions; retries with backoff on 5xx, 429, rate-limit codes and
 * timeouts, none on a permanent 4xx; every failure logged with its codes.
 */
export class MessengerSendApi {
  readonly attempts: number;
  readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: SendApiOptions) {
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 200;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Sends one message (its text at most 2,000 characters). Returns Meta's message id. */
  async sendText(
    psid: string,
    text: string,
    type: MessagingType,
    quickReplies: readonly QuickReply[] = [],
  ): Promise<string> {
    const message: Record<string, unknown> = { text, metadata: OUR_METADATA };
    if (quickReplies.length > 0) message.quick_replies = quickRepliesWithinLimits(quickReplies);
    const answer = await this.call({ recipient: { id: psid }, ...type, message }, psid);
    return String((answer as { message_id?: unknown }).message_id ?? '');
  }

  /** typing_on, typing_off or mark_seen: a request of its own, nothing else in it (spec §4.5). */
  async senderAction(psid: string, action: 'typing_on' | 'typing_off' | 'mark_seen'): Promise<void> {
    await this.call({ recipient: { id: psid }, sender_action: action }, psid);
  }

  private async call(body: Record<string, unknown>, psid: string): Promise<unknown> {
    const url = `${this.options.graphUrl}/${this.options.graphVersion}/me/messages?access_token=${encodeURIComponent(this.options.pageAccessToken)}`;
    return retrying(
      this,
      () =>
        this.once(url, body).catch((err: unknown) =>
          Promise.reject(err instanceof GraphError ? err : new GraphError(0, null, null, String(err), true)),
        ),
      async (err, attempt) => {
        const error = err as GraphError;
        this.options.log.warn(
          {
            psid,
            status: error.status,
            code: error.code,
            subcode: error.subcode,
            attempt,
            retryable: error.retryable,
            error: error.message,
          },
          'facebook.send.failed',
        );
        return error.retryable ? 'backoff' : 'fail';
      },
    );
  }

  private async once(url: string, body: Record<string, unknown>): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new GraphError(0, null, null, `no answer from the Graph API: ${(err as Error).message}`, true);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GraphError(
        res.status,
        null,
        null,
        `the Graph API answered something that is not JSON (${res.status})`,
        res.status >= 500,
      );
    }
    const error = (json as { error?: { code?: unknown; error_subcode?: unknown; message?: unknown } }).error;
    if (res.ok && error === undefined) return json;
    const code = typeof error?.code === 'number' ? error.code : null;
    const subcode = typeof error?.error_subcode === 'number' ? error.error_subcode : null;
    const retryable = res.status >= 500 || res.status === 429 || (code !== null && RETRYABLE_CODES.has(code));
    throw new GraphError(
      res.status,
      code,
      subcode,
      typeof error?.message === 'string' ? error.message : `HTTP ${res.status}`,
      retryable,
    );
  }
}

/**
 * At most 13, each title cut to 20 characters at a word where possible (with "…"), kept distinct;
 * the payload carries the whole title, so a tap reads exactly as the button the bot offered.
 */
export function quickRepliesWithinLimits(
  replies: readonly QuickReply[],
): { content_type: 'text'; title: string; payload: string }[] {
  const used = new Set<string>();
  const out: { content_type: 'text'; title: string; payload: string }[] = [];
  for (const reply of replies.slice(0, MAX_QUICK_REPLIES)) {
    let title = shortTitle(reply.title);
    for (let n = 2; used.has(title); n += 1) {
      const suffix = ` ${n}`;
      title = `${[...shortTitle(reply.title)]
        .slice(0, MAX_QUICK_REPLY_TITLE - suffix.length)
        .join('')
        .trimEnd()}${suffix}`;
    }
    used.add(title);
    out.push({ content_type: 'text', title, payload: [...reply.payload].slice(0, MAX_PAYLOAD).join('') });
  }
  return out;
}

function shortTitle(title: string): string {
  const chars = [...title.trim()];
  if (chars.length <= MAX_QUICK_REPLY_TITLE) return chars.join('') || '…';
  const head = chars.slice(0, MAX_QUICK_REPLY_TITLE - 1).join('');
  const space = head.lastIndexOf(' ');
  return `${space >= 8 ? head.slice(0, space) : head}…`;
}
