import { containerBootstrap } from '@nlpjs/core-loader';
import { Nlp, type NlpContainer } from '@nlpjs/nlp';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { LabelledUtterance } from './intent-corpus.ts';
import { isIntentName, type IntentName } from './intent-names.ts';
import { IntentNetwork, type NetworkScore } from './intent-network.ts';
import { LangVi } from './lang-vi/lang-vi.ts';

interface IntentScore {
  intent: IntentName;
  score: number;
}

export interface Classification {
  /** The best intent, always one of the contract's names; the caller decides what is too unsure. */
  intent: IntentName;
  score: number;
  /** Every intent that scored, best first. */
  ranking: IntentScore[];
}

const LOCALE = 'vi';

/**
 * nlp.js's neural intent classifier with our Vietnamese plugin ({@link LangVi}) in its container.
 * nlp.js (`@nlpjs/nlp`, the engine inside node-nlp) trains it and stores it; messages are
 * classified by {@link IntentNetwork}, which runs the same model without nlp.js's per-message
 * pipeline.
 *
 * node-nlp's `NlpManager` is the same engine with every language of nlp.js loaded (about 75 MB of
 * memory we never use): built from its parts here, with Vietnamese only, it trains a model
 * identical to the manager's, byte for byte (tests/unit/nlu/intent-network.test.ts).
 *
 * @remarks
 * nlp.js's own threshold turns an unsure answer into intent "None" with score 1; we set it to 0
 * and keep the real score, so the bot can tell "unsure" from "sure it is out of scope".
 */
export class IntentClassifier {
  private constructor(
    private readonly nlp: Nlp,
    private readonly network: IntentNetwork,
  ) {}

  static async train(examples: readonly LabelledUtterance[], text: VietnameseText): Promise<IntentClassifier> {
    const { nlp, lang } = createNlp(text);
    for (const { utterance, intent } of examples) nlp.addDocument(LOCALE, utterance, intent);
    await nlp.train();
    return IntentClassifier.around(nlp, lang, JSON.parse(nlp.export(true)));
  }

  /** Rebuilds a classifier from {@link IntentClassifier.toJSON}'s output, without training. */
  static fromJSON(model: string, text: VietnameseText): IntentClassifier {
    const { nlp, lang } = createNlp(text);
    const parsed: object = JSON.parse(model);
    // The network copies what it needs before nlp.js takes the parsed model over (parsed once).
    const classifier = IntentClassifier.around(nlp, lang, parsed);
    nlp.import(parsed);
    return classifier;
  }

  private static around(nlp: Nlp, lang: LangVi, model: unknown): IntentClassifier {
    return new IntentClassifier(
      nlp,
      IntentNetwork.fromModel(model, LOCALE, (text) => lang.features(text)),
    );
  }

  toJSON(): string {
    return this.nlp.export(true);
  }

  classify(message: string): Classification {
    return classification(this.network.classify(message));
  }

  /**
   * The same classification through nlp.js's own pipeline (its NLU step alone: context, answers,
   * actions and sentiment are unused here): the reference {@link classify} is checked against.
   */
  async classifyWithNodeNlp(message: string): Promise<Classification> {
    const result = await this.nlp.nluManager.process(LOCALE, message);
    return classification(result.classifications ?? []);
  }
}

/** Our intents only (node-nlp adds "None"), best first. */
function classification(scores: readonly NetworkScore[]): Classification {
  const ranking = scores
    .filter((c): c is IntentScore => isIntentName(c.intent))
    .map(({ intent, score }) => ({ intent, score }))
    .sort((a, b) => b.score - a.score);
  const best = ranking[0];
  if (best === undefined) return { intent: 'out_of_scope', score: 0, ranking: [] };
  return { intent: best.intent, score: best.score, ranking };
}

/** The settings node-nlp's NlpManager is given here, on nlp.js's own Nlp. */
const SETTINGS = {
  languages: [LOCALE],
  threshold: 0,
  autoSave: false,
  autoLoad: false,
  forceNER: false,
  calculateSentiment: false,
  nlu: { log: false },
};

function createNlp(text: VietnameseText): { nlp: Nlp; lang: LangVi } {
  // As NlpManager sets up its container, minus the languages, evaluator and builtin entities we never use.
  const container = containerBootstrap();
  container.registerConfiguration('ner', { entityPreffix: '%', entitySuffix: '%' });
  quiet(container);
  const nlp = new Nlp({ ...SETTINGS, container });
  const lang = new LangVi(text);
  lang.register(container);
  return { nlp, lang };
}

/**
 * nlp.js logs to the console; its only chatter here is training notes ("contains only stop words"
 * for "???"), which would mix into the CLI's output streams.
 */
export function quiet(container: NlpContainer): void {
  const nothing = () => {};
  container.register(
    'logger',
    { trace: nothing, debug: nothing, info: nothing, log: nothing, warn: nothing, error: nothing },
    true,
  );
}
