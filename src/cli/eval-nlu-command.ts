import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../knowledge/knowledge-base.ts';
import { IntentClassifier } from '../nlu/intent-classifier.ts';
import { plainNodeNlp } from '../nlu/plain-node-nlp.ts';
import { IntentCorpus, type LabelledUtterance } from '../nlu/intent-corpus.ts';
import { loadIntentCues, MessageParser } from '../nlu/message-parser.ts';
import {
  formatConfusion,
  formatReport,
  loadDevUtterances,
  report,
  stratifiedFolds,
  type Prediction,
} from '../nlu/nlu-evaluation.ts';
import { ProcedureMentions } from '../nlu/procedure-mention.ts';
import { aliasNames, buildTrainingSet } from '../nlu/training-set.ts';
import type { AppConfig } from '../shared/config.ts';

const DEV_FILE = fileURLToPath(new URL('../../tests/dev-sets/nlu-dev.jsonl', import.meta.url));
const FOLDS = 5;

type Predictor = (text: string) => Promise<string>;
type Trainer = (examples: readonly LabelledUtterance[]) => Promise<Predictor>;

/**
 * `eval-nlu [--file F] [--folds K]`: k-fold cross-validation on intents/ and accuracy on the dev
 * file (never used for training), for our pipeline and for plain node-nlp with its defaults on the
 * same data, so the gain shows.
 */
export async function runNluEvaluation(config: AppConfig, args: string[]): Promise<void> {
  const fileAt = args.indexOf('--file');
  const foldsAt = args.indexOf('--folds');
  const devFile = fileAt >= 0 ? args[fileAt + 1]! : DEV_FILE;
  const k = foldsAt >= 0 ? Number(args[foldsAt + 1]) : FOLDS;
  const knowledge = loadKnowledgeBase(config.knowledgeDir);
  const mentions = ProcedureMentions.load(config.knowledgeDir, knowledge);
  const corpus = IntentCorpus.load(config.intentsDir);
  const names = aliasNames(config.knowledgeDir);
  const dev = loadDevUtterances(devFile);

  const ours: Trainer = async (examples) => {
    const training = buildTrainingSet(examples, names, (u) => mentions.namesByName(u), corpus.fingerprint);
    const parser = new MessageParser(
      await IntentClassifier.train(training, knowledge.text),
      mentions,
      knowledge.text,
      loadIntentCues(config.knowledgeDir, knowledge.text),
    );
    return async (text) => (await parser.parse(text)).intent;
  };
  const plain: Trainer = async (examples) => {
    const manager = plainNodeNlp();
    for (const { utterance, intent } of examples) manager.addDocument('vi', utterance, intent);
    await manager.train();
    return async (text) => {
      const { intent } = await manager.process('vi', text);
      return intent === 'None' ? 'out_of_scope' : intent;
    };
  };

  const out: string[] = [
    `corpus: ${corpus.examples.length} utterances, ${corpus.counts().size} intents; dev: ${dev.length} utterances (${devFile})`,
  ];
  for (const [name, train] of [
    ['our pipeline (node-nlp + lang-vi + rules)', ours],
    ['plain node-nlp (defaults)', plain],
  ] as const) {
    const started = performance.now();
    const cv = await crossValidate(corpus.examples, k, train);
    const predict = await train(corpus.examples);
    const onDev: Prediction[] = [];
    for (const d of dev) onDev.push({ expected: d.intent, predicted: await predict(d.text) });
    const devReport = report(onDev);
    out.push(
      '',
      `=== ${name} ===`,
      formatReport(`${k}-fold cross-validation on intents/`, report(cv)),
      formatReport('dev set', devReport),
    );
    if (train === ours) {
      out.push(formatConfusion(devReport));
      out.push(
        'dev misses:',
        ...onDev.flatMap((p, i) =>
          p.expected === p.predicted ? [] : [`  ${p.expected} → ${p.predicted}: ${dev[i]!.text}`],
        ),
      );
    }
    out.push(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
    process.stderr.write(`${name}: done\n`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

async function crossValidate(examples: readonly LabelledUtterance[], k: number, train: Trainer): Promise<Prediction[]> {
  const folds = stratifiedFolds(examples, k);
  const predictions: Prediction[] = [];
  for (let i = 0; i < k; i += 1) {
    const predict = await train(folds.filter((_, j) => j !== i).flat());
    for (const e of folds[i]!) predictions.push({ expected: e.intent, predicted: await predict(e.utterance) });
  }
  return predictions;
}
