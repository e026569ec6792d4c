import { createAssistant } from './src/assistant.ts';
import { loadConfig } from './src/shared/config.ts';
import { createLogger } from './src/shared/logger.ts';
import { loadDevUtterances } from './src/nlu/nlu-evaluation.ts';
import { loadDevQueries } from './src/search/search-evaluation.ts';
const a = await createAssistant(loadConfig(), createLogger('silent'));
const texts = [...loadDevUtterances('tests/dev-sets/nlu-dev.jsonl').map((d) => d.text), ...['search-queries', 'search-holdout-a', 'search-holdout-b'].flatMap((n) => loadDevQueries(`tests/dev-sets/${n}.jsonl`).map((q) => q.query))];
for (let r = 1; r < 3; r++) for (const t of texts) await a.parser.parse(`${t} ${r}`);
const p: any = a.parser;
const res: [number, number, number, string][] = [];
for (const t of texts) {
  const s0 = performance.now(); await p.classifier.classify(t); const s1 = performance.now(); p.mentions.find(t); const s2 = performance.now();
  res.push([s2 - s0, s1 - s0, s2 - s1, t]);
}
res.sort((x, y) => y[0] - x[0]);
for (const r of res.slice(0, 12)) console.log(r[0].toFixed(2), r[1].toFixed(2), r[2].toFixed(2), r[3].slice(0, 80));
await a.close();
