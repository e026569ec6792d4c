import { createAssistant } from './src/assistant.ts';
import { loadConfig } from './src/shared/config.ts';
import { createLogger } from './src/shared/logger.ts';
const t = performance.now();
const a = await createAssistant({ ...loadConfig(), redisUrl: undefined }, createLogger('silent'));
const ms = performance.now() - t;
const m = process.memoryUsage();
console.log('ready', ms.toFixed(0), 'rss', (m.rss / 1048576).toFixed(0), 'heapUsed', (m.heapUsed / 1048576).toFixed(0), 'ab', (m.arrayBuffers/1048576).toFixed(0));
await a.close();
