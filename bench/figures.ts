/**
 * `npm run figures [-- --bench]`: measures the figures the docs quote and writes them, with the date,
 * the machine and the commit, to docs/figures.md. The docs cite that file instead of figures
 * copied by hand. With `--bench`, the NLU and chat bench runs too (about a minute).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../docs/figures.md', import.meta.url));

function run(args: string[]): string {
  return execFileSync('npm', ['run', '-s', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LOG_LEVEL: 'warn' },
  }).trim();
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const sections: [string, string[]][] = [
  ['Understanding: the blind dev sets (`npm run eval:understanding`)', ['eval:understanding']],
  ['Answers: a 300-procedure sample (`npm run eval:answers`)', ['eval:answers']],
  ['Search: the search dev set (`npm run eval:search`)', ['eval:search']],
];
if (process.argv.includes('--bench'))
  sections.push(['Speed and memory: NLU and chat (`npm run bench -- nlu`)', ['bench', '--', 'nlu']]);

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
const parts = [
  '# Figures',
  '',
  `Written by \`npm run figures\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit()}, on ${machine}. Do not edit by hand: run it again.`,
];
for (const [title, args] of sections) {
  process.stderr.write(`figures: ${args.join(' ')}\n`);
  const output = run(args);
  // The search evaluation lists every miss: the summary lines are what the docs quote.
  const shown =
    args[0] === 'eval:search'
      ? output
          .split('\n')
          .filter((l) => !/^\s{4}/u.test(l))
          .join('\n')
      : output;
  parts.push('', `## ${title}`, '', '```', shown, '```');
}
writeFileSync(OUT, `${parts.join('\n')}\n`);
process.stderr.write(`figures: wrote ${OUT}\n`);
