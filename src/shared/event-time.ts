/**
 * How old a webhook event may be and still be handled. Meta and Zalo resend an event until it is
 * acknowledged, for hours at most (spec notes: Zalo up to 12 h, Meta disables a webhook failing for
 * 8 h); anything older is a replay and is acknowledged, but not handled.
 */
const EVENT_FRESHNESS_MS = 24 * 3600_000;

/**
 * The time an event is taken to have happened: its own timestamp, never later than now (a clock
 * ahead of ours must not stretch a reply window), or `stale` when it is older than the freshness
 * window. An event without a timestamp happened now.
 */
export function eventTime(timestamp: number | undefined, now: number): number | 'stale' {
  if (timestamp === undefined || !Number.isFinite(timestamp)) return now;
  if (now - timestamp > EVENT_FRESHNESS_MS) return 'stale';
  return Math.min(timestamp, now);
}
