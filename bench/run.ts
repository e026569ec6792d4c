/**
 * `npm run bench`: prints the figures the issues ask for, each next to a baseline measured in the
 * same run. Figures only; nothing here passes or fails.
 */
import { fileURLToPath } from 'node:url';
import { runNluBench } from './nlu-bench.ts';
import { runRecordsBench } from './records-bench.ts';
import { runSearchBench } from './search-bench.ts';
import { runSecurityBench } from './security-bench.ts';
import { runWebchatBench } from './webchat-bench.ts';

const KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge', import.meta.url));

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only === undefined || only === 'search') process.stdout.write(`${await runSearchBench(KNOWLEDGE_DIR)}\n\n`);
  if (only === undefined || only === 'nlu') process.stdout.write(`${await runNluBench()}\n\n`);
  if (only === undefined || only === 'webchat') process.stdout.write(`${await runWebchatBench()}\n\n`);
  if (only === undefined || only === 'security') process.stdout.write(`${await runSecurityBench()}\n\n`);
  if (only === undefined || only === 'records') process.stdout.write(`${await runRecordsBench()}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
