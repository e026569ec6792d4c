import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerJson, HttpFakeServer, jsonOrText } from './http-fake-server.ts';
import { SentLog } from './sent-log.ts';

/** One accepted /v3.0/oa/message/cs call. */
export interface ZaloSent {
  userId: string;
  body: Record<string, unknown>;
  at: number;
  messageId: string;
}

export interface ZaloFailure {
  error: number;
  message?: string;
  /** Zalo answers failures with HTTP 200; give another status to simulate a gateway error. */
  httpStatus?: number;
}

export interface FakeZaloApiOptions {
  appId: string;
  /** The app secret, expected in the `secret_key` header of OAuth token requests. */
  appSecret: string;
  /** Clock for token lifetimes, code lifetimes and the 7-day window; give the server's clock when the test fakes time. */
  now?: () => number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const ACCESS_TOKEN_SECONDS = 90_000;
const REFRESH_TOKEN_MS = 90 * DAY;
const CODE_MS = 10 * MINUTE;
const INTERACTION_WINDOW_MS = 7 * DAY;

const OAUTH_PATH = '/v4/oa/access_token';
const CS_PATH = '/v3.0/oa/message/cs';

/**
 * OAuth error codes this fake answers, all with HTTP 200 like the OpenAPI. Only -14014 is corroborated by other
 * integrations; the rest are our own picks (the real list is not in the spec's sources, §3.2).
 */
export const ZALO_OAUTH_ERRORS = {
  invalidParameter: -14001,
  invalidSecretKey: -14002,
  invalidAppId: -14005,
  invalidRefreshToken: -14014,
  invalidCode: -14019,
  invalidCodeVerifier: -14021,
} as const;

const BUTTON_TYPES = new Set(['oa.query.hide', 'oa.query.show', 'oa.open.url', 'oa.open.phone', 'oa.open.sms']);
const DIGITS = /^\d+$/;

/** Zalo's limits are stated in characters; counted as code points so an emoji is one, as Messenger's fake does. */
const chars = (s: string): number => [...s].length;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A refusal in Zalo's envelope; `extra` carries the OAuth-style fields. */
class ZaloError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 200,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const invalidParam = (message: string): ZaloError => new ZaloError(-201, message);

function oauthError(code: number, name: string, description: string): ZaloError {
  return new ZaloError(code, description, 200, { error_name: name, error_description: description });
}

const newToken = (): string => randomBytes(36).toString('base64url');

interface AccessToken {
  expiresAt: number;
  revoked: boolean;
}

interface RefreshToken {
  expiresAt: number;
  consumed: boolean;
}

interface AuthCode {
  challenge: string;
  issuedAt: number;
  used: boolean;
}

/**
 * A local stand-in for openapi.zalo.me (OA messaging, v3) and oauth.zaloapp.com (v4 tokens) on one port, enforcing
 * the single-use refresh tokens, the message limits and the 7-day window of the spec (§3, §5).
 */
export class FakeZaloApi {
  readonly url: string;
  readonly appId: string;
  private readonly log = new SentLog<ZaloSent>((m) => m.userId);
  readonly sent: ZaloSent[] = this.log.entries;
  readonly requests: { path: string; status: number; body: unknown; error: number | null }[] = [];
  readonly refreshes = { ok: 0, failed: 0 };

  private readonly appSecret: string;
  private readonly now: () => number;
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly refreshUses = new Map<string, number>();
  private readonly codes = new Map<string, AuthCode>();
  private readonly lastInteraction = new Map<string, number>();

  private constructor(
    private readonly http: HttpFakeServer<ZaloFailure>,
    options: FakeZaloApiOptions,
  ) {
    this.url = http.url;
    this.appId = options.appId;
    this.appSecret = options.appSecret;
    this.now = options.now ?? Date.now;
  }

  /** Starts an HTTP server on 127.0.0.1 and a free port. */
  static async start(options: FakeZaloApiOptions): Promise<FakeZaloApi> {
    const http = await HttpFakeServer.start<ZaloFailure>();
    const fake = new FakeZaloApi(http, options);
    http.answerWith((req, res, raw, failure) => fake.respond(req, res, raw, failure));
    return fake;
  }

  messagesTo(userId: string): ZaloSent[] {
    return this.log.to(userId);
  }

  /** Resolves with the first `count` messages to `userId` once they have been accepted; rejects after timeoutMs. */
  waitForMessages(userId: string, count: number, timeoutMs = 5000): Promise<ZaloSent[]> {
    return this.log.wait(userId, count, timeoutMs);
  }

  /** Issues a token pair directly (as if an admin had authorised the app). The access token lives `expiresInSec`. */
  issueTokens(expiresInSec = ACCESS_TOKEN_SECONDS): { accessToken: string; refreshToken: string } {
    return this.newPair(expiresInSec);
  }

  /**
   * Simulates the admin approving the app on Zalo's permission page with this PKCE (S256) challenge: returns a
   * one-use authorization code valid for 10 minutes.
   */
  authorize(codeChallenge: string): string {
    const code = randomBytes(48).toString('base64url');
    this.codes.set(code, { challenge: codeChallenge, issuedAt: this.now(), used: false });
    return code;
  }

  /** How many times this refresh token was presented to the OAuth endpoint, successful or not. */
  refreshTokenUses(refreshToken: string): number {
    return this.refreshUses.get(refreshToken) ?? 0;
  }

  /** Marks when the user last interacted with the OA (ms epoch); users never set count as having just done so. */
  userInteractedAt(userId: string, at: number): void {
    this.lastInteraction.set(userId, at);
  }

  /** From now on this access token answers -216, as if Zalo had revoked it. */
  expireAccessToken(token: string): void {
    const t = this.accessTokens.get(token);
    if (t) t.revoked = true;
  }

  /** The next `count` requests (any path) fail with this error before any other check, then behaviour is normal again. */
  failNext(count: number, failure: ZaloFailure): void {
    this.http.failNext(count, failure);
  }

  async close(): Promise<void> {
    this.log.rejectAll('FakeZaloApi closed');
    await this.http.close();
  }

  private newPair(expiresInSec: number): { accessToken: string; refreshToken: string } {
    const accessToken = newToken();
    const refreshToken = newToken();
    const now = this.now();
    this.accessTokens.set(accessToken, { expiresAt: now + expiresInSec * SECOND, revoked: false });
    this.refreshTokens.set(refreshToken, { expiresAt: now + REFRESH_TOKEN_MS, consumed: false });
    return { accessToken, refreshToken };
  }

  private respond(req: IncomingMessage, res: ServerResponse, raw: string, failure: ZaloFailure | undefined): void {
    const url = new URL(req.url ?? '/', this.url);
    const isOAuth = url.pathname === OAUTH_PATH;
    const body = isOAuth && isForm(req) ? Object.fromEntries(new URLSearchParams(raw)) : jsonOrText(raw);
    let status: number;
    let payload: Record<string, unknown>;
    try {
      if (failure) {
        const message = failure.message ?? 'Simulated failure';
        throw new ZaloError(
          failure.error,
          message,
          failure.httpStatus ?? 200,
          isOAuth ? { error_description: message } : {},
        );
      }
      payload = this.route(req, url, raw);
      status = 200;
    } catch (e) {
      if (!(e instanceof ZaloError)) throw e;
      status = e.httpStatus;
      // OAuth errors carry error_name/error_description instead of message (§3.2); the OpenAPI ones a message.
      payload = 'error_description' in e.extra ? { error: e.code, ...e.extra } : { error: e.code, message: e.message };
    }
    this.requests.push({
      path: url.pathname,
      status,
      body,
      error: typeof payload.error === 'number' ? payload.error : null,
    });
    answerJson(res, status, payload, 'application/json; charset=utf-8');
  }

  private route(req: IncomingMessage, url: URL, raw: string): Record<string, unknown> {
    if (req.method === 'POST' && url.pathname === OAUTH_PATH) return this.token(req, raw);
    if (req.method === 'POST' && url.pathname === CS_PATH) return this.sendCs(req, raw);
    throw new ZaloError(404, `No such endpoint: ${req.method ?? 'GET'} ${url.pathname}`, 404);
  }

  // ---- OAuth v4 ----

  private token(req: IncomingMessage, raw: string): Record<string, unknown> {
    if (header(req, 'secret_key') !== this.appSecret) {
      throw oauthError(
        ZALO_OAUTH_ERRORS.invalidSecretKey,
        'Invalid secret key',
        'The secret_key header is missing or does not match the app',
      );
    }
    if (!isForm(req)) {
      throw oauthError(
        ZALO_OAUTH_ERRORS.invalidParameter,
        'Invalid parameter',
        'Body must be application/x-www-form-urlencoded',
      );
    }
    const form = new URLSearchParams(raw);
    if (form.get('app_id') !== this.appId)
      throw oauthError(
        ZALO_OAUTH_ERRORS.invalidAppId,
        'Invalid app id',
        'app_id is missing or does not match the secret key',
      );
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') return this.refresh(form.get('refresh_token'));
    if (grant === 'authorization_code') return this.exchangeCode(form.get('code'), form.get('code_verifier'));
    throw oauthError(
      ZALO_OAUTH_ERRORS.invalidParameter,
      'Invalid parameter',
      'grant_type must be refresh_token or authorization_code',
    );
  }

  /** Single-use: the check and the consumption happen in one synchronous step, so of two concurrent uses one fails. */
  private refresh(token: string | null): Record<string, unknown> {
    if (token !== null) this.refreshUses.set(token, (this.refreshUses.get(token) ?? 0) + 1);
    const stored = token === null ? undefined : this.refreshTokens.get(token);
    if (!stored || stored.consumed || stored.expiresAt <= this.now()) {
      this.refreshes.failed++;
      throw oauthError(
        ZALO_OAUTH_ERRORS.invalidRefreshToken,
        'Invalid refresh token',
        'Refresh token is invalid, expired or already used',
      );
    }
    stored.consumed = true;
    this.refreshes.ok++;
    // The previous access token is left alone: it stays valid until its own expiry, as on Zalo.
    return this.pairAnswer();
  }

  private exchangeCode(code: string | null, verifier: string | null): Record<string, unknown> {
    const stored = code === null ? undefined : this.codes.get(code);
    if (!stored || stored.used || this.now() - stored.issuedAt >= CODE_MS) {
      throw oauthError(
        ZALO_OAUTH_ERRORS.invalidCode,
        'Invalid code',
        'Authorization code is invalid, expired or already used',
      );
    }
    const computed = verifier === null ? '' : createHash('sha256').update(verifier).digest('base64url');
    // A wrong verifier does not burn the code, so a test can retry with the right one.
    if (verifier === null || verifier === '' || computed !== stored.challenge) {
      throw oauthError(
        ZALO_OAUTH_ERRORS.invalidCodeVerifier,
        'Invalid code verifier',
        'code_verifier does not match the code_challenge',
      );
    }
    stored.used = true;
    return this.pairAnswer();
  }

  private pairAnswer(): Record<string, unknown> {
    const pair = this.newPair(ACCESS_TOKEN_SECONDS);
    return {
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_in: String(ACCESS_TOKEN_SECONDS),
    };
  }

  // ---- OpenAPI v3 ----

  private sendCs(req: IncomingMessage, raw: string): Record<string, unknown> {
    const token = header(req, 'access_token');
    const stored = token === undefined ? undefined : this.accessTokens.get(token);
    if (!stored || stored.revoked || stored.expiresAt <= this.now())
      throw new ZaloError(-216, 'Access token is invalid');

    if (!(header(req, 'content-type') ?? '').toLowerCase().startsWith('application/json')) {
      throw invalidParam('Content-Type must be application/json');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw invalidParam('Body is not valid JSON');
    }
    if (!isObject(body)) throw invalidParam('Body must be a JSON object');
    const recipient = body.recipient;
    // A number here means the sender parsed or built the id as a JS number, which loses digits of 19-digit ids.
    if (!isObject(recipient) || typeof recipient.user_id !== 'string' || !DIGITS.test(recipient.user_id)) {
      throw invalidParam('recipient.user_id must be a string of digits');
    }
    const userId = recipient.user_id;
    checkMessage(body.message);

    const last = this.lastInteraction.get(userId);
    if (last !== undefined && this.now() - last > INTERACTION_WINDOW_MS) {
      throw new ZaloError(-230, 'User has not interacted with the OA in the past 7 days');
    }

    const messageId = randomBytes(16).toString('hex');
    this.log.record({ userId, body, at: this.now(), messageId });
    return { error: 0, message: 'Success', data: { message_id: messageId, user_id: userId } };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isForm(req: IncomingMessage): boolean {
  return (header(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Text is required; the only attachment accepted is the button template of §5.2 (what a chatbot sends). */
function checkMessage(message: unknown): void {
  if (!isObject(message)) throw invalidParam('message must be an object');
  if (typeof message.text !== 'string' || message.text.length === 0)
    throw invalidParam('message.text must be a non-empty string');
  if (chars(message.text) > 2000) throw invalidParam('message.text must be at most 2000 characters');
  if (!('attachment' in message)) return;
  const attachment = message.attachment;
  if (!isObject(attachment) || attachment.type !== 'template' || !isObject(attachment.payload)) {
    throw invalidParam('message.attachment must be {type: "template", payload: {buttons: [...]}}');
  }
  const payload = attachment.payload;
  // The button payload has no template_type (§5.2); one here means another template was meant.
  if ('template_type' in payload) throw invalidParam('attachment.payload.template_type is not supported with buttons');
  const buttons = payload.buttons;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 5)
    throw invalidParam('attachment.payload.buttons must have 1 to 5 buttons');
  for (const [i, b] of buttons.entries()) checkButton(b, i);
}

function checkButton(b: unknown, i: number): void {
  const at = `buttons[${i}]`;
  if (!isObject(b)) throw invalidParam(`${at} must be an object`);
  if (typeof b.title !== 'string' || b.title.length === 0) throw invalidParam(`${at}.title is required`);
  if (chars(b.title) > 100) throw invalidParam(`${at}.title must be at most 100 characters`);
  if (typeof b.type !== 'string' || !BUTTON_TYPES.has(b.type))
    throw invalidParam(`${at}.type must be one of ${[...BUTTON_TYPES].join(', ')}`);
  const p = b.payload;
  switch (b.type) {
    case 'oa.query.hide':
    case 'oa.query.show':
      if (typeof p !== 'string' || p.length === 0) throw invalidParam(`${at}.payload must be a non-empty string`);
      if (chars(p) > 1000) throw invalidParam(`${at}.payload must be at most 1000 characters`);
      return;
    case 'oa.open.url': {
      if (!isObject(p) || typeof p.url !== 'string') throw invalidParam(`${at}.payload.url is required`);
      let protocol = '';
      try {
        protocol = new URL(p.url).protocol;
      } catch {
        // Falls through to the refusal below.
      }
      if (protocol !== 'http:' && protocol !== 'https:') throw invalidParam(`${at}.payload.url must be an http(s) URL`);
      return;
    }
    case 'oa.open.phone':
      if (!isObject(p) || typeof p.phone_code !== 'string' || !DIGITS.test(p.phone_code))
        throw invalidParam(`${at}.payload.phone_code must be digits`);
      return;
    default: // oa.open.sms
      if (!isObject(p) || typeof p.phone_code !== 'string' || !DIGITS.test(p.phone_code))
        throw invalidParam(`${at}.payload.phone_code must be digits`);
      if ('content' in p && typeof p.content !== 'string') throw invalidParam(`${at}.payload.content must be a string`);
  }
}
