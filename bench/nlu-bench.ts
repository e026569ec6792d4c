import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssistant, modelInputs } from '../src/assistant.ts';
import { loadOrTrainModel } from '../src/nlu/intent-model-cache.ts';
import { ProcedureMentions } from '../src/nlu/procedure-mention.ts';
import { IntentClassifier } from '../src/nlu/intent-classifier.ts';
import { plainNodeNlp } from '../src/nlu/plain-node-nlp.ts';
import { IntentCorpus } from '../src/nlu/intent-corpus.ts';
import { loadDevUtterances } from '../src/nlu/nlu-evaluation.ts';
import { loadDevQueries } from '../src/search/search-evaluation.ts';
import { loadConfig } from '../src/shared/config.ts';
import { createLogger } from '../src/shared/logger.ts';
import { fmt, mb, percentile, timeEachAsync, timePaced } from './stats.ts';

const NLU_DEV = fileURLToPath(new URL('../tests/dev-sets/nlu-dev.jsonl', import.meta.url));
const SEARCH_SETS = ['search-queries', 'search-holdout-a', 'search-holdout-b'].map((name) =>
  fileURLToPath(new URL(`../tests/dev-sets/${name}.jsonl`, import.meta.url)),
);
const CHAT_DEV = fileURLToPath(new URL('../tests/dev-sets/chat-dev.jsonl', import.meta.url));
/** Paced parse rounds, each on a fresh assistant. */
const PACED_ROUNDS = 5;
const PROBE = fileURLToPath(new URL('./assistant-probe.ts', import.meta.url));

interface Probe {
  readyMs: number;
  modelMs: number;
  trained: boolean;
  rssBefore: number;
  rssAfterLoad: number;
  rssAfterTurns: number;
  turns: number;
}

async function plainNodeNlpTrained(corpus: IntentCorpus) {
  const plain = plainNodeNlp();
  for (const { utterance, intent } of corpus.examples) plain.addDocument('vi', utterance, intent);
  await plain.train();
  return plain;
}

/**
 * NLU and bot: parse latency (ours: node-nlp + lang-vi + entities + procedure search) against plain
 * node-nlp's `process` on the same messages; a full chat turn; model training and load time; RSS.
 */
export async function runNluBench(): Promise<string> {
  const config = loadConfig();
  // Every message of the dev sets (none is training data): citizen questions of all kinds and lengths.
  const texts = [
    ...loadDevUtterances(NLU_DEV).map((d) => d.text),
    ...SEARCH_SETS.flatMap((file) => loadDevQueries(file).map((q) => q.query)),
  ];
  const turns = readFileSync(CHAT_DEV, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => (JSON.parse(l) as { conversation: string; turns: { text: string }[] }).turns.map((t) => t.text));

  // Make sure the cached model exists, then time a cold load of it in a fresh process.
  const first = await createAssistant(config, createLogger('silent'));
  const probe = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', PROBE, ...turns], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    }).trim(),
  ) as Probe;

  // Every dev message is parsed once, cold (node-nlp and our memos cache by text), after the
  // start-up warm-up the server does (the training utterances, none of them a dev message).
  // Back to back, the way a batch job would; then, on a fresh assistant, paced: 1 ms idle before
  // each message, as messages reach a server (which is far from saturated: a few per second).
  const warmUp = await first.warmUp();
  const backToBack = await timeEachAsync(texts, (t) => first.parser.parse(t), 1, false);
  await first.close();
  // Paced rounds, each on a fresh assistant so every message is cold again. This VM's own timing
  // noise comes and goes by the minute (the probe shows it), so one round's p99 says as much about
  // the machine as about the parser: the headline is the median round, and every round is printed.
  const rounds: { parse: number[]; jitter: number[] }[] = [];
  let assistant = await createAssistant(config, createLogger('silent'));
  for (let round = 0; round < PACED_ROUNDS; round += 1) {
    if (round > 0) {
      await assistant.close();
      assistant = await createAssistant(config, createLogger('silent'));
    }
    await assistant.warmUp();
    const { samples, probe: jitter } = await timePaced(texts, (t) => assistant.parser.parse(t));
    rounds.push({ parse: samples, jitter });
  }
  const byP99 = [...rounds].sort((a, b) => percentile(a.parse, 99) - percentile(b.parse, 99));
  const { parse, jitter } = byP99[Math.floor(byP99.length / 2)]!;
  // The same messages again, best of 5 (each with its own suffix, so no cache answers): the work a
  // message takes, without first-time word corrections and collection pauses.
  const compute: number[] = [];
  for (const t of texts) {
    let best = Infinity;
    for (let r = 1; r <= 5; r += 1) {
      const start = process.hrtime.bigint();
      await assistant.parser.parse(`${t} ${'x'.repeat(r)}`);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    }
    compute.push(best);
  }
  compute.sort((a, b) => a - b);
  let n = 0;
  const chat = await timeEachAsync(turns, (t) => assistant.chat(`bench-${n++ % 40}`, t), 5);
  const corpus = IntentCorpus.load(config.intentsDir);
  const plain = await plainNodeNlpTrained(corpus);
  for (const { utterance } of corpus.examples) await plain.process('vi', utterance);
  const { samples: baseline } = await timePaced(texts, (t) => plain.process('vi', t));

  // Training makes garbage: timed after the latencies, so its collection does not land in them.
  const mentions = ProcedureMentions.load(config.knowledgeDir, assistant.knowledge);
  const fresh = await loadOrTrainModel(
    mkdtempSync(join(tmpdir(), 'bench-model-')),
    modelInputs(config, mentions),
    assistant.knowledge.text,
  );
  const trainStart = performance.now();
  await plainNodeNlpTrained(corpus);
  const trainPlainMs = performance.now() - trainStart;
  const loadStart = performance.now();
  IntentClassifier.fromJSON(readFileSync(assistant.model.file, 'utf8'), assistant.knowledge.text);
  const modelLoadMs = performance.now() - loadStart;

  await assistant.close();

  const p = (s: number[], q: number) => percentile(s, q);
  return [
    '## NLU and bot',
    `parse: ${texts.length} dev-set messages (NLU and search sets), each timed once (cold: no cache hit); chat: ${turns.length} turns of the chat dev set x 5 rounds, in-memory state`,
    `training the product model (${corpus.examples.length} written utterances + generated ones): ${fresh.milliseconds.toFixed(0)} ms; plain node-nlp on the written ones: ${trainPlainMs.toFixed(0)} ms`,
    `model load from the disk cache: ${modelLoadMs.toFixed(0)} ms here; fresh process (as \`npm start\`): model ${probe.modelMs.toFixed(0)} ms (${probe.trained ? 'TRAINED, cache missing' : 'loaded from cache'}), whole assistant ready in ${probe.readyMs.toFixed(0)} ms`,
    `RSS, fresh process: ${mb(probe.rssBefore)} once the modules are imported (node, tsx, node-nlp with all its languages, agents-hosting), ${mb(probe.rssAfterLoad)} with the assistant loaded, ${mb(probe.rssAfterTurns)} after ${probe.turns} chat turns`,
    `start-up warm-up (the server parses the ${warmUp.messages} training utterances in the background once listening): ${warmUp.milliseconds.toFixed(0)} ms`,
    `parse, paced (1 ms idle before each message), median of ${PACED_ROUNDS} rounds by p99: p50 ${fmt(p(parse, 50))}, p99 ${fmt(p(parse, 99))}, max ${fmt(parse.at(-1)!)} (target p99 < 2 ms)`,
    `  the machine's jitter, same round: a fixed ${fmt(p(jitter, 50))} of arithmetic timed the same way: p99 ${fmt(p(jitter, 99))}, max ${fmt(jitter.at(-1)!)}`,
    `  every round (parse p50 / p99 | jitter p99): ${rounds.map((r) => `${p(r.parse, 50).toFixed(2)} / ${p(r.parse, 99).toFixed(2)} | ${p(r.jitter, 99).toFixed(2)}`).join(';  ')} ms`,
    `parse, back to back (no idle; the 2nd core is busy with this process's compiler and collector threads): p50 ${fmt(p(backToBack, 50))}, p99 ${fmt(p(backToBack, 99))}, max ${fmt(backToBack.at(-1)!)}`,
    `parse, best of 5 runs per message: p50 ${fmt(p(compute, 50))}, p99 ${fmt(p(compute, 99))}`,
    `baseline plain node-nlp process(), paced the same way after the same warm-up: p50 ${fmt(p(baseline, 50))}, p99 ${fmt(p(baseline, 99))}`,
    `ratio ours/baseline (paced): p50 ${(p(parse, 50) / p(baseline, 50)).toFixed(2)}, p99 ${(p(parse, 99) / p(baseline, 99)).toFixed(2)}`,
    `chat turn (parse + state + dialogue + answer + activities): p50 ${fmt(p(chat, 50))}, p99 ${fmt(p(chat, 99))}, max ${fmt(chat.at(-1)!)} (target p99 < 10 ms)`,
  ].join('\n');
}
