/**
 * The one error type that crosses module boundaries. `code` is a stable string we grep logs for;
 * `publicMessage` is safe to show a citizen or an API client, the message is not.
 */
export class ChatbotError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly publicMessage: string = message,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options);
    this.name = 'ChatbotError';
    this.details = options?.details ?? {};
  }

  /** Extra fields an API client can act on (e.g. who claimed a conversation first), sent with the code. */
  readonly details: Record<string, unknown>;
}

export const Errors = {
  queryMissing: () =>
    new ChatbotError('CHAT_ERR_SEARCH_QUERY_MISSING', 'query parameter q must be given once, and not blank', 400),
  queryTooLong: (max: number) =>
    new ChatbotError('CHAT_ERR_SEARCH_QUERY_TOO_LONG', `query parameter q is longer than ${max} characters`, 400),
  badLimit: (max: number) =>
    new ChatbotError('CHAT_ERR_SEARCH_LIMIT', `limit must be an integer from 1 to ${max}`, 400),
  procedureNotFound: (code: string) =>
    new ChatbotError('CHAT_ERR_PROCEDURE_NOT_FOUND', `no procedure with code ${code}`, 404),
  routeNotFound: () => new ChatbotError('CHAT_ERR_ROUTE_NOT_FOUND', 'no such route', 404),
  malformedJson: () => new ChatbotError('CHAT_ERR_HTTP_MALFORMED_JSON', 'request body is not valid JSON', 400),
  bodyTooLarge: () => new ChatbotError('CHAT_ERR_HTTP_BODY_TOO_LARGE', 'request body is too large', 413),
  stateConflict: (key: string) =>
    new ChatbotError('CHAT_ERR_STATE_CONFLICT', `state ${key} was changed by someone else since it was read`, 409),
  textMissing: () => new ChatbotError('CHAT_ERR_PARSE_TEXT_MISSING', 'body must be {"text": "<a message>"}', 400),
  textTooLong: (max: number) =>
    new ChatbotError('CHAT_ERR_PARSE_TEXT_TOO_LONG', `text is longer than ${max} characters`, 413),
  webchatBadToken: () =>
    new ChatbotError(
      'CHAT_ERR_WEBCHAT_BAD_TOKEN',
      'the conversation token is missing, invalid or expired: start a new conversation',
      401,
    ),
  webchatBadBody: (detail: string) => new ChatbotError('CHAT_ERR_WEBCHAT_BAD_BODY', `bad request body: ${detail}`, 400),
  webchatMessageEmpty: () => new ChatbotError('CHAT_ERR_WEBCHAT_MESSAGE_EMPTY', 'the message is empty', 400),
  webchatMessageTooLong: (max: number) =>
    new ChatbotError('CHAT_ERR_WEBCHAT_MESSAGE_TOO_LONG', `the message is longer than ${max} characters`, 413),
  webchatRateLimited: (retryAfterMs: number) =>
    new ChatbotError(
      'CHAT_ERR_WEBCHAT_RATE_LIMITED',
      `too many messages: try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      429,
    ),
  storeUnavailable: (cause: unknown) =>
    new ChatbotError(
      'CHAT_ERR_STORE_UNAVAILABLE',
      'the shared store cannot be reached',
      503,
      'the service is briefly unavailable: try again in a moment',
      { cause },
    ),
  httpBadRequest: (status: number) => new ChatbotError('CHAT_ERR_HTTP_BAD_REQUEST', 'bad request', status),
  channelWindowClosed: (platform: string) =>
    new ChatbotError(
      'CHAT_ERR_HANDOFF_WINDOW_CLOSED',
      `${platform} no longer lets us answer this person: they must write first`,
      409,
    ),
  channelSend: (platform: string, cause: unknown) =>
    new ChatbotError('CHAT_ERR_CHANNEL_SEND', `${platform} did not take the message; try again`, 502, undefined, {
      cause,
    }),
  facebookSignature: () =>
    new ChatbotError('CHAT_ERR_FACEBOOK_SIGNATURE', 'X-Hub-Signature-256 does not match the body', 403),
  facebookMalformed: (what: string) => new ChatbotError('CHAT_ERR_FACEBOOK_MALFORMED', `the body is not ${what}`, 400),
  facebookUnknownObject: (object: string) =>
    new ChatbotError('CHAT_ERR_FACEBOOK_UNKNOWN_OBJECT', `object "${object.slice(0, 40)}" is not handled`, 404),
  zaloSignature: () => new ChatbotError('CHAT_ERR_ZALO_SIGNATURE', 'X-ZEvent-Signature does not match', 403),
  zaloMalformed: (what: string) => new ChatbotError('CHAT_ERR_ZALO_MALFORMED', `the body is not ${what}`, 400),
  agentLoginThrottled: () =>
    new ChatbotError('CHAT_ERR_AGENT_LOGIN_THROTTLED', 'too many failed logins: try again later', 429),
  agentLoginFailed: () => new ChatbotError('CHAT_ERR_AGENT_LOGIN_FAILED', 'wrong username or password', 401),
  agentSession: () => new ChatbotError('CHAT_ERR_AGENT_SESSION', 'not logged in, or the session expired', 401),
  agentUnknown: () => new ChatbotError('CHAT_ERR_AGENT_UNKNOWN', 'no such agent', 400),
  agentBadBody: (detail: string) => new ChatbotError('CHAT_ERR_AGENT_BAD_BODY', `bad request body: ${detail}`, 400),
  agentForbidden: (why: string) => new ChatbotError('CHAT_ERR_AGENT_FORBIDDEN', why, 403),
  agentCsrf: () => new ChatbotError('CHAT_ERR_AGENT_CSRF', 'missing or wrong X-CSRF-Token header', 403),
  handoffClaimed: (claimedBy: string | null) =>
    new ChatbotError('CHAT_ERR_HANDOFF_CLAIMED', `already claimed by ${claimedBy ?? 'someone'}`, 409, undefined, {
      details: { claimedBy },
    }),
  handoffNotListed: () => new ChatbotError('CHAT_ERR_HANDOFF_NOT_LISTED', 'no such conversation in your queue', 404),
  handoffWindowClosed: () =>
    new ChatbotError('CHAT_ERR_HANDOFF_WINDOW_CLOSED', 'the channel no longer lets us answer', 409),
  internal: (cause: unknown) =>
    new ChatbotError('CHAT_ERR_INTERNAL', 'internal error', 500, 'internal error', { cause }),
} as const;

/** A service the server needs (Redis) did not answer at start: main.ts names it and exits. */
export class DependencyUnavailable extends Error {
  constructor(
    readonly dependency: string,
    readonly where: string,
  ) {
    super(`${dependency} did not answer at ${where}`);
    this.name = 'DependencyUnavailable';
  }
}
