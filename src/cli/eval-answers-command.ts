import type { Logger } from 'pino';
import { createAssistant } from '../assistant.ts';
import { vietnamDate } from '../shared/vietnam-time.ts';
import { evaluateAnswers, formatAnswerReport, sampleRecords } from '../core/answers/answer-quality.ts';
import type { AppConfig } from '../shared/config.ts';

/** Procedures the report samples, spread over the catalogue in code order. */
const DEFAULT_SAMPLE = 300;

/**
 * `eval-answers [--size N] [--all] [--day yyyy-mm-dd]`: for a sample of the catalogue, the share of
 * procedures whose fee, duration, place and documents come out as clean structured answers (see
 * answer-quality.ts), the answers' lengths per aspect, and the list of the rest.
 */
export async function runAnswerEvaluation(config: AppConfig, log: Logger, args: string[]): Promise<void> {
  const sizeAt = args.indexOf('--size');
  const size = sizeAt >= 0 ? Number(args[sizeAt + 1]) : DEFAULT_SAMPLE;
  if (!Number.isInteger(size) || size < 1) throw new Error('--size is a whole number of procedures');
  const dayAt = args.indexOf('--day');
  const day = dayAt >= 0 ? args[dayAt + 1]! : vietnamDate(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(day)) throw new Error('--day is yyyy-mm-dd');
  const assistant = await createAssistant({ ...config, redisUrl: undefined, unansweredFile: undefined }, log);
  try {
    const records = sampleRecords([...assistant.knowledge.catalog.records()], size);
    const report = evaluateAnswers(records, assistant.answers, { day, firstMention: true });
    process.stdout.write(`${formatAnswerReport(report, args.includes('--all'))}\n`);
  } finally {
    await assistant.close();
  }
}
