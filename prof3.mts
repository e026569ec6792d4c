import { testAssistant } from './tests/helpers/assistant.ts';
import { loadDevUtterances } from './src/nlu/nlu-evaluation.ts';
import { loadDevQueries } from './src/search/search-evaluation.ts';
const msgs = [...loadDevUtterances('tests/dev-sets/nlu-dev.jsonl').map((d) => d.text), ...['search-queries', 'search-holdout-a', 'search-holdout-b'].flatMap((f) => loadDevQueries(`tests/dev-sets/${f}.jsonl`).map((q) => q.query))];
const a = await testAssistant();
const finder = (a.parser as any).mentions.finder;
let passes = 0; const fi = finder.findIn.bind(finder); finder.findIn = (...x: any[]) => { passes++; return fi(...x); };
const rows: { t: number; passes: number; m: string }[] = [];
for (const m of msgs) { await new Promise((r) => setTimeout(r, 1)); passes = 0; const t = performance.now(); await a.parser.parse(m); rows.push({ t: performance.now() - t, passes, m }); }
rows.sort((x, y) => y.t - x.t);
const n2 = rows.filter((r) => r.passes === 2).length;
console.log('two-pass messages', n2, 'of', rows.length);
for (const r of rows.slice(0, 20)) console.log(r.t.toFixed(2), r.passes, r.m.slice(0, 70));
await a.close();
