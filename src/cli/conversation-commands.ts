import { z } from 'zod';
import type { Assistant } from '../assistant.ts';
import { parseContract } from '../nlu/message-parser.ts';
import { stdinLines, writeJsonLine } from './jsonl.ts';

/**
 * `parse --jsonl`: one message per stdin line → one parse object per stdout line,
 * `{"text", "intent", "score", "entities", "procedure"}` (a contract: keep it stable).
 */
export async function runParseCommand(assistant: Assistant, args: string[]): Promise<void> {
  if (!args.includes('--jsonl')) throw new Error('usage: parse --jsonl');
  for await (const line of stdinLines()) {
    await writeJsonLine(parseContract(await assistant.parser.parse(line)));
  }
}

const ChatLine = z.object({ conversation: z.string().min(1).max(200), text: z.string() });

/**
 * `chat --jsonl`: one `{"conversation", "text"}` per stdin line → one
 * `{"conversation", "intent", "procedure", "replies": [{"text", "suggestedActions"}]}` per stdout
 * line (a contract). Each conversation id keeps its context across lines. A line that is not such an
 * object gets `{"error": …}` in its place, so output lines still match input lines.
 */
export async function runChatCommand(assistant: Assistant, args: string[]): Promise<void> {
  if (!args.includes('--jsonl')) throw new Error('usage: chat --jsonl');
  for await (const line of stdinLines()) {
    const input = readChatLine(line);
    if ('error' in input) {
      await writeJsonLine(input);
      continue;
    }
    const { outcome, replies } = await assistant.chat(input.conversation, input.text);
    // A failed turn (its apology is in `replies`) has no intent.
    await writeJsonLine({
      conversation: input.conversation,
      intent: outcome?.intent ?? null,
      procedure: outcome?.procedure ?? null,
      replies,
    });
  }
}

function readChatLine(line: string): z.infer<typeof ChatLine> | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { error: 'line is not JSON: expected {"conversation": "id", "text": "..."}' };
  }
  const parsed = ChatLine.safeParse(json);
  return parsed.success ? parsed.data : { error: 'expected {"conversation": "id", "text": "..."}' };
}
