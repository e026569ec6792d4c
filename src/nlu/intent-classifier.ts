import { NlpManager } from 'node-nlp';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { LabelledUtterance } from './intent-corpus.ts';
import { isIntentName, type IntentName } from './intent-names.ts';
import { IntentNetwork, type NetworkScore } from './intent-network.ts';
import { LangVi } from './lang-vi/lang-vi.ts';

export interface IntentScore {
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
 * node-nlp's neural intent classifier with our Vietnamese plugin ({@link LangVi}) in its container.
 * node-nlp trains it and stores it; messages are classified by {@link IntentNetwork}, which runs the
 * same model without node-nlp's per-message pipeline.
 *
 * @remarks
 * nlp.js's own threshold turns an unsure answer into intent "None" with score 1; we set it to 0
 * and keep the real score, so the bot can tell "unsure" from "sure it is out of scope".
 */
export class IntentClassifier {
  private constructor(
    private readonly manager: NlpManager,
    private readonly network: IntentNetwork,
  ) {}

  static async train(examples: readonly LabelledUtterance[], text: VietnameseText): Promise<IntentClassifier> {
    const { manager, lang } = createManager(text);
    for (const { utterance, intent } of examples) manager.addDocument(LOCALE, utterance, intent);
    await manager.train();
    return IntentClassifier.around(manager, lang, JSON.parse(manager.export(true)));
  }

  /** Rebuilds a classifier from {@link IntentClassifier.toJSON}'s output, without training. */
  static fromJSON(model: string, text: VietnameseText): IntentClassifier {
    const { manager, lang } = createManager(text);
    const parsed: object = JSON.parse(model);
    // The network copies what it needs before node-nlp takes the parsed model over (parsed once).
    const classifier = IntentClassifier.around(manager, lang, parsed);
    manager.import(parsed);
    return classifier;
  }

  private static around(manager: NlpManager, lang: LangVi, model: unknown): IntentClassifier {
    return new IntentClassifier(manager, IntentNetwork.fromModel(model, LOCALE, (text) => lang.features(text)));
  }

  toJSON(): string {
    return this.manager.export(true);
  }

  classify(message: string): Classification {
    return classification(this.network.classify(message));
  }

  /**
   * The same classification through node-nlp's own pipeline (its NLU step alone: context, answers,
   * actions and sentiment are unused here): the reference {@link classify} is checked against.
   */
  async classifyWithNodeNlp(message: string): Promise<Classification> {
    const result = await this.manager.nlp.nluManager.process(LOCALE, message);
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

function createManager(text: VietnameseText): { manager: NlpManager; lang: LangVi } {
  const manager = new NlpManager({
    languages: [LOCALE],
    threshold: 0,
    autoSave: false,
    autoLoad: false,
    forceNER: false,
    calculateSentiment: false,
    nlu: { log: false },
  });
  const lang = new LangVi(text);
  lang.register(manager.container);
  return { manager: quiet(manager), lang };
}

/**
 * Plain node-nlp with its default settings and no Vietnamese plugin: the baseline our pipeline is
 * measured against (eval:nlu, bench).
 */
export function plainNodeNlp(): NlpManager {
  return quiet(new NlpManager({ languages: [LOCALE], nlu: { log: false }, autoSave: false, autoLoad: false }));
}

/**
 * nlp.js logs to the console; its only chatter here is training notes ("contains only stop words"
 * for "???"), which would mix into the CLI's output streams.
 */
function quiet(manager: NlpManager): NlpManager {
  const nothing = () => {};
  (manager.container as unknown as { register(name: string, item: object, singleton: boolean): void }).register(
    'logger',
    { trace: nothing, debug: nothing, info: nothing, log: nothing, warn: nothing, error: nothing },
    true,
  );
  return manager;
}
