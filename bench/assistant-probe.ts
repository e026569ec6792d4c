/**
 * Run in a fresh process by the bench: assembles the assistant as `npm start` does (cached model),
 * chats, and prints timings and memory as one JSON line.
 */
import { createAssistant } from '../src/assistant.ts';
import { loadConfig } from '../src/shared/config.ts';
import { createLogger } from '../src/shared/logger.ts';

const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const assistant = await createAssistant(loadConfig(), createLogger('silent'));
const readyMs = performance.now() - started;
const rssAfterLoad = process.memoryUsage().rss;
const texts = process.argv.slice(2);
for (let round = 0; round < 5; round += 1) {
  for (const [i, text] of texts.entries()) await assistant.chat(`probe-${round}-${i % 7}`, text);
}
const rssAfterTurns = process.memoryUsage().rss;
await assistant.close();
process.stdout.write(
  `${JSON.stringify({ readyMs, modelMs: assistant.model.milliseconds, trained: assistant.model.trained, rssBefore, rssAfterLoad, rssAfterTurns, turns: texts.length * 5 })}\n`,
);
