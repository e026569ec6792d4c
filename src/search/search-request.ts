import { Errors } from '../shared/errors.ts';

/** Limits on a search request, shared by the HTTP API and the CLI. */
export const SEARCH_LIMITS = { maxQueryLength: 500, defaultLimit: 5, maxLimit: 20 } as const;

/** Validates a raw `q`; throws a ChatbotError a client can act on. */
export function validateQuery(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim().length === 0) throw Errors.queryMissing();
  if (raw.length > SEARCH_LIMITS.maxQueryLength) throw Errors.queryTooLong(SEARCH_LIMITS.maxQueryLength);
  return raw;
}

/** Validates a raw `limit`; absent means the default. */
export function validateLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return SEARCH_LIMITS.defaultLimit;
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isInteger(n) || n < 1 || n > SEARCH_LIMITS.maxLimit) throw Errors.badLimit(SEARCH_LIMITS.maxLimit);
  return n;
}
