import type { Logger } from '../../src/shared/logger.ts';
import { retrying } from '../../src/shared/retrying.ts';
import type { ZaloTokenManager } from './zalo-oauth.ts';

/** Zalo's limits (spec §5.2): a message's text; buttons under one message. */
export const MAX_TEXT = 2000;
export const MAX_BUTTONS = 5;
const MAX_QUERY_PAYLOAD = 1000;

export type ZaloButton =
  | { title: string; type: 'oa.query.hide'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } }
  | { title: string; type: 'oa.open.phone'; payload: { phone_code: string } };

/** A failure the OpenAPI reported in its body (it answers HTTP 200 even then). */
export class ZaloError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ZaloError';
  }

  /** The user has not written for too long (or does not follow the OA): only they can reopen the conversation. */
  get windowClosed(): boolean {
    return WINDOW_CODES.has(this.code);
  }
}

/** -216 invalid token, -220 expired token: refresh once and retry. */
const TOKEN_CODES = new Set([-216, -220]);
/** -230 no interaction for 7 days, -213 not following / no interaction, -232 interaction expired. */
const WINDOW_CODES = new Set([-230, -213, -232]);
/** -32: the app's per-minute rate limit. */
const RATE_CODES = new Set([-32]);

export interface OpenApiOptions {
  openapiUrl: string;
  tokens: ZaloTokenManager;
  log: Logger;
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

/**
 * A small typed client of the OA OpenAPI v3 consultation messages: checks the body's `error`, not
 * the HTTP status; refreshes the token once on -216; backs off on rate limits, 5xx and timeouts;
 * reports a closed interaction window without retrying.
 */
export class ZaloOpenApi {
  readonly attempts: number;
  readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: OpenApiOptions) {
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 200;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Sends a consultation message (text ≤ 2,000 characters, at most 5 buttons); returns Zalo's message id. */
  async sendText(userId: string, text: string, buttons: readonly ZaloButton[] = []): Promise<string> {
    const message: Record<string, unknown> = { text };
    if (buttons.length > 0)
      message.attachment = { type: 'template', payload: { buttons: buttons.slice(0, MAX_BUTTONS).map(withinLimits) } };
    const body = { recipient: { user_id: userId }, message };
    let token = await this.options.tokens.accessToken();
    let refreshed = false;
    const data = await retrying(
      this,
      () =>
        this.once(token, body).catch((err: unknown) =>
          Promise.reject(err instanceof ZaloError ? err : new ZaloError(0, String(err), true)),
        ),
      async (err, attempt) => {
        const error = err as ZaloError;
        this.options.log.warn({ userId, code: error.code, attempt, error: error.message }, 'zalo.send.failed');
        if (TOKEN_CODES.has(error.code) && !refreshed) {
          refreshed = true;
          token = await this.options.tokens.afterRejection(token);
          return 'now';
        }
        return error.retryable ? 'backoff' : 'fail';
      },
    );
    return String((data as { message_id?: unknown }).message_id ?? '');
  }

  private async once(token: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL('/v3.0/oa/message/cs', this.options.openapiUrl), {
        method: 'POST',
        headers: { access_token: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ZaloError(0, `no answer from the Zalo OpenAPI: ${(err as Error).message}`, true);
    }
    let json: { error?: unknown; message?: unknown; data?: unknown };
    try {
      json = (await res.json()) as typeof json;
    } catch {
      throw new ZaloError(
        0,
        `the Zalo OpenAPI answered something that is not JSON (HTTP ${res.status})`,
        res.status >= 500,
      );
    }
    const code = typeof json.error === 'number' ? json.error : Number(json.error ?? (res.ok ? 0 : -1));
    if (code === 0 && res.ok) return json.data ?? {};
    const retryable = res.status >= 500 || RATE_CODES.has(code);
    throw new ZaloError(code, typeof json.message === 'string' ? json.message : `error ${code}`, retryable);
  }
}

/**
 * Zalo's title limit is not documented (spec §5.2: keep titles short, about 20 characters): a title
 * longer than this is cut at a word with "…", the payload a tap sends keeps the full text.
 */
const MAX_TITLE = 30;

function withinLimits(button: ZaloButton): ZaloButton {
  const chars = [...button.title];
  const cut = chars.slice(0, MAX_TITLE - 1).join('');
  const title =
    chars.length <= MAX_TITLE
      ? button.title
      : `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_TITLE / 2)).trimEnd()}…`;
  if (button.type === 'oa.query.hide')
    return { ...button, title, payload: [...button.payload].slice(0, MAX_QUERY_PAYLOAD).join('') };
  return { ...button, title };
}
