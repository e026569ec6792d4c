import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { createAssistant } from '../assistant.ts';
import type { AppConfig } from '../shared/config.ts';
import {
  evaluateConversations,
  evaluateQuestions,
  formatConversationReport,
  formatFieldTable,
  formatQuestionReport,
  loadBlindConversations,
  loadBlindQuestions,
} from '../nlu/understanding-evaluation.ts';

const BLIND_DIR = fileURLToPath(new URL('../../tests/dev-sets/blind/', import.meta.url));
/** A working Monday morning in Khánh Hòa: the answers do not depend on when the evaluation runs. */
const WORKING_MORNING = Date.parse('2026-11-30T02:00:00Z');

/**
 * `eval-understanding [--set tuning|sealed] [--explain] [--fields]`: procedure accuracy on the blind
 * questions through the parse the bot uses, and turn accuracy on the blind conversations through
 * the bot itself. The sealed half prints figures only, never a question: it is read by nobody
 * while tuning.
 */
export async function runUnderstandingEvaluation(config: AppConfig, log: Logger, args: string[]): Promise<void> {
  const setAt = args.indexOf('--set');
  const sets = setAt >= 0 ? [args[setAt + 1]!] : ['tuning', 'sealed'];
  const explain = args.includes('--explain');
  const fields = args.includes('--fields');
  const started = Date.now();
  const clock = () => WORKING_MORNING + (Date.now() - started);
  const assistant = await createAssistant(
    { ...config, redisUrl: undefined, unansweredFile: undefined },
    log,
    undefined,
    clock,
  );
  try {
    for (const set of sets) {
      if (set !== 'tuning' && set !== 'sealed') throw new Error('--set is tuning or sealed');
      const details = explain && set === 'tuning';
      const questionsFile = `${BLIND_DIR}${set}-questions.jsonl`;
      const conversationsFile = `${BLIND_DIR}${set}-conversations.jsonl`;
      if (!existsSync(questionsFile)) throw new Error(`no ${questionsFile}`);
      const questions = await evaluateQuestions(loadBlindQuestions(questionsFile), (text) =>
        assistant.parser.parse(text),
      );
      process.stdout.write(`${formatQuestionReport(`${set} questions`, questions, details)}\n`);
      if (fields) process.stdout.write(`${formatFieldTable(questions)}\n`);
      const conversations = await evaluateConversations(
        loadBlindConversations(conversationsFile),
        async (conversation, text) => {
          const { outcome } = await assistant.chat(`${set}-${conversation}`, text);
          return { intent: outcome?.intent ?? null, procedure: outcome?.procedure ?? null };
        },
      );
      process.stdout.write(`${formatConversationReport(`${set} conversations`, conversations, details)}\n\n`);
    }
  } finally {
    await assistant.close();
  }
}
