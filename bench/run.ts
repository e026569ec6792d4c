/**
 * `npm run bench`: prints the figures the issues ask for, each next to a baseline measured in the
 * same run. Figures only; nothing here passes or fails.
 */
import { fileURLToPath } from 'node:url';
import { runSearchBench } from './search-bench.ts';

const KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge', import.meta.url));

async function main(): Promise<void> {
  const report = await runSearchBench(KNOWLEDGE_DIR);
  process.stdout.write(`${report}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
