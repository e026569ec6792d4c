import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import type { ProcedureRecord } from '../catalogue/procedure-record.ts';
import { loadKnowledgeBase } from '../knowledge/knowledge-base.ts';
import { evaluateSearch, formatEvaluation, loadDevQueries } from '../search/search-evaluation.ts';
import { loadConfig } from '../shared/config.ts';
import { collectSyllables } from '../text/lexicon-builder.ts';
import { runSearchCommand } from './search-command.ts';
import { createAssistant } from '../assistant.ts';
import { createLogger } from '../shared/logger.ts';
import { runChatCommand, runParseCommand } from './conversation-commands.ts';
import { pino } from 'pino';

const DEV_QUERIES = fileURLToPath(new URL('../../tests/dev-sets/search-queries.jsonl', import.meta.url));
const USAGE = `usage: npm run --silent cli -- <command>
  search --jsonl [--limit N]      one query per stdin line → one JSON result per stdout line
  parse --jsonl                   one message per stdin line → intent, entities, procedure
  chat --jsonl                    {"conversation","text"} per stdin line → the bot's replies
  eval-nlu                        k-fold cross-validation and the dev set, next to plain node-nlp
  eval-search [--file F]          top-1/top-3 accuracy of the search on the dev set
  eval-understanding [--set tuning|sealed] [--explain] [--fields]
  eval-answers [--size N] [--all] [--day yyyy-mm-dd]
                                  procedure and conversation accuracy on the blind dev sets (the sealed half: figures only)
  import-catalogue <file>         national catalogue (.jsonl or .jsonl.gz) → knowledge/procedures
  build-lexicon                   knowledge/procedures → knowledge/lexicon/syllables.txt
  agent add <username> --role agent|supervisor [--name "Display name"]
                                  create or replace an agent console account (password: prompted, or stdin's first line)
  agent list                      the agent accounts: username, role, display name
  agent remove <username>         delete an agent account
  unanswered list [--limit N]     the questions the assistant could not answer, newest first, one JSON object a line
                                  (personal details removed; from Redis with REDIS_URL, else from UNANSWERED_FILE)
  zalo connect                    install the Zalo OA's first token pair (OAuth with PKCE: prints a URL, reads the code)
  zalo status                     whether a Zalo token pair is installed, and until when it is valid
  db-migrate                      brings the records' database (DATABASE_URL, else the embedded one in RECORDS_DIR) to the latest schema
  seed-records [--days N] [--turns N]
                                  writes realistic conversations through the real chat path into the records (a demo month)`;

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = loadConfig();
  const { knowledgeDir } = config;
  // stdout carries the JSON lines; logs go to stderr.
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', pino.destination(2));
  switch (command) {
    case 'parse':
    case 'chat': {
      const assistant = await createAssistant(config, log);
      try {
        await (command === 'parse' ? runParseCommand : runChatCommand)(assistant, args);
      } finally {
        await assistant.close();
      }
      return;
    }
    case 'eval-nlu': {
      const { runNluEvaluation } = await import('./eval-nlu-command.ts');
      return runNluEvaluation(config, args);
    }
    case 'eval-understanding': {
      const { runUnderstandingEvaluation } = await import('./eval-understanding-command.ts');
      return runUnderstandingEvaluation(config, log, args);
    }
    case 'eval-answers': {
      const { runAnswerEvaluation } = await import('./eval-answers-command.ts');
      return runAnswerEvaluation(config, log, args);
    }
    case 'search':
      return runSearchCommand(loadKnowledgeBase(knowledgeDir).search, args);
    case 'eval-search': {
      const fileAt = args.indexOf('--file');
      const queries = loadDevQueries(fileAt >= 0 ? args[fileAt + 1]! : DEV_QUERIES);
      const { search } = loadKnowledgeBase(knowledgeDir);
      process.stdout.write(`${formatEvaluation(evaluateSearch(queries, (q) => search.search(q, 5)))}\n`);
      return;
    }
    case 'import-catalogue': {
      const input = args[0];
      if (!input) throw new Error('usage: import-catalogue <national-catalogue.jsonl[.gz]>');
      // Loaded on demand: only operators importing a new snapshot need the importer.
      const { formatImportReport, importCatalogue } = await import('../catalogue/import-catalogue.ts');
      const report = await importCatalogue(input, join(knowledgeDir, 'procedures'));
      process.stdout.write(`${formatImportReport(report)}\n`);
      buildLexicon(knowledgeDir);
      return;
    }
    case 'build-lexicon':
      buildLexicon(knowledgeDir);
      return;
    case 'agent': {
      const { runAgentCommand } = await import('./agent-command.ts');
      return runAgentCommand(config, args);
    }
    case 'unanswered': {
      const { runUnansweredCommand } = await import('./unanswered-command.ts');
      return runUnansweredCommand(config, args);
    }
    case 'zalo': {
      const { runZaloCommand } = await import('./zalo-command.ts');
      return runZaloCommand(config, args);
    }
    case 'db-migrate': {
      // Opening runs the migrations; this says which ran (none when the schema was already the latest).
      const { openRecordsDatabase } = await import('../records/records-database.ts');
      const records = await openRecordsDatabase({ databaseUrl: config.databaseUrl, dataDir: config.recordsDir });
      process.stdout.write(`${JSON.stringify({ database: records.kind, applied: records.applied })}\n`);
      await records.close();
      return;
    }
    case 'seed-records': {
      const { runSeedRecords } = await import('./seed-records-command.ts');
      return runSeedRecords(config, args);
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

/** The syllable lexicon is derived from the catalogue, so it is rebuilt with every import. */
function buildLexicon(knowledgeDir: string): void {
  const catalog = ProcedureCatalog.load(join(knowledgeDir, 'procedures'));
  const textsOf = (r: ProcedureRecord) => [
    r.name,
    r.field,
    ...r.steps,
    ...r.conditions,
    ...r.results,
    ...r.documents.map((d) => d.name),
    ...r.applicants,
    r.agencies.submitAt,
  ];
  const lexicon = join(knowledgeDir, 'lexicon');
  const syllables = collectSyllables([...catalog.records()].flatMap(textsOf));
  const header = '# Generated by `npm run cli -- build-lexicon` from knowledge/procedures: do not edit by hand.\n';
  writeFileSync(join(lexicon, 'syllables.txt'), `${header}${syllables.join('\n')}\n`);
  process.stderr.write(`lexicon: ${syllables.length} syllables\n`);
}

// A reader that stops early (`… | head`) closes the pipe: that ends the command, it is no error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
