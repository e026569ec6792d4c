import { Redis } from 'ioredis';
import { openUnansweredLog } from '../state-opening.ts';
import type { AppConfig } from '../shared/config.ts';
import { writeJsonLine } from './jsonl.ts';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/** `unanswered list [--limit N]`: the questions kept for staff, newest first, one JSON object a line. */
export async function runUnansweredCommand(config: AppConfig, args: string[]): Promise<void> {
  if (args[0] !== 'list') throw new Error('usage: unanswered list [--limit N]');
  const at = args.indexOf('--limit');
  const limit = at >= 0 ? Number(args[at + 1]) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new Error(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);
  const redis = config.redisUrl === undefined ? undefined : new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (const question of await openUnansweredLog(config, redis).list(limit)) await writeJsonLine(question);
  } finally {
    await redis?.quit().catch(() => redis.disconnect());
  }
}
