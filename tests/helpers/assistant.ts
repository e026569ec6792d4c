import { fileURLToPath } from 'node:url';
import { createAssistant, type Assistant, type AssistantConfig } from '../../src/assistant.ts';
import { createLogger, type Logger } from '../../src/shared/logger.ts';
import { KNOWLEDGE_DIR, knowledgeBase } from './knowledge.ts';

export const INTENTS_DIR = fileURLToPath(new URL('../../intents', import.meta.url));
/** The same model cache as the product: trained once by whichever test gets there first. */
export const MODEL_DIR = fileURLToPath(new URL('../../.cache/nlu', import.meta.url));

export function assistantConfig(overrides: Partial<AssistantConfig> = {}): AssistantConfig {
  return {
    knowledgeDir: KNOWLEDGE_DIR,
    intentsDir: INTENTS_DIR,
    modelDir: MODEL_DIR,
    redisUrl: undefined,
    stateTtlSeconds: 3600,
    redisKeyPrefix: 'test:',
    ...overrides,
  };
}

/** The assistant the product ships (knowledge/, intents/), on in-memory state unless told otherwise. */
export function testAssistant(
  overrides: Partial<AssistantConfig> = {},
  log: Logger = createLogger('silent'),
): Promise<Assistant> {
  return createAssistant(assistantConfig(overrides), log, knowledgeBase());
}

/** A test conversation's turn, as a citizen sees it and as the bot settled it. */
export interface SaidTurn {
  intent: string | undefined;
  procedure: string | null;
  unanswered: string | undefined;
  replies: { text: string; suggestedActions: string[] }[];
  text: string;
  buttons: string[];
}

let conversations = 0;
/** A fresh conversation with `assistant`; the function sends one message and returns the bot's turn. */
export function conversationWith(assistant: Assistant): (text: string) => Promise<SaidTurn> {
  const id = `test-conversation-${++conversations}`;
  return async (text) => {
    const { outcome, replies } = await assistant.chat(id, text);
    return {
      intent: outcome?.intent,
      procedure: outcome?.procedure ?? null,
      unanswered: outcome?.unanswered,
      replies,
      text: replies.map((r) => r.text).join('\n'),
      buttons: replies.at(-1)?.suggestedActions ?? [],
    };
  };
}
