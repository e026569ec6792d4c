import { NlpManager } from 'node-nlp';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { LabelledUtterance } from './intent-corpus.ts';
import { isIntentName, type IntentName } from './intent-names.ts';
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
 *
 * @remarks
 * nlp.js's own threshold turns an unsure answer into intent "None" with score 1; we set it to 0
 * and keep the real score, so the bot can tell "unsure" from "sure it is out of scope".
 */
export class IntentClassifier {
  private constructor(private readonly manager: NlpManager) {}

  static async train(examples: readonly LabelledUtterance[], text: VietnameseText): Promise<IntentClassifier> {
    const manager = createManager(text);
    for (const { utterance, intent } of examples) manager.addDocument(LOCALE, utterance, intent);
    await manager.train();
    return new IntentClassifier(manager);
  }

  /** Rebuilds a classifier from {@link IntentClassifier.toJSON}'s output, without training. */
  static fromJSON(model: string, text: VietnameseText): IntentClassifier {
    const manager = createManager(text);
    manager.import(model);
    return new IntentClassifier(manager);
  }

  /**
   * nlp.js keeps every text it has prepared, for an hour, in one growing object. Citizens rarely
   * send the same text twice, so that cache only costs: memory that a flood of distinct messages
   * grows for an hour, and collector pauses copying each new entry (most of our slowest parses).
   */
  private forgetPreparedTexts(): void {
    const domains = this.manager.nlp.nluManager.domainManagers?.[LOCALE]?.domains ?? {};
    for (const nlu of Object.values(domains)) if (nlu.cache?.results !== undefined) nlu.cache.results = {};
  }

  toJSON(): string {
    return this.manager.export(true);
  }

  async classify(message: string): Promise<Classification> {
    // The NLU step of NlpManager.process alone: the rest (context, answers, actions, sentiment)
    // is unused here and took half the time.
    const result = await this.manager.nlp.nluManager.process(LOCALE, message);
    this.forgetPreparedTexts();
    const ranking = (result.classifications ?? [])
      .filter((c): c is IntentScore => isIntentName(c.intent))
      .map(({ intent, score }) => ({ intent, score }))
      .sort((a, b) => b.score - a.score);
    const best = ranking[0];
    if (best === undefined) return { intent: 'out_of_scope', score: 0, ranking: [] };
    return { intent: best.intent, score: best.score, ranking };
  }
}

function createManager(text: VietnameseText): NlpManager {
  const manager = new NlpManager({
    languages: [LOCALE],
    threshold: 0,
    autoSave: false,
    autoLoad: false,
    forceNER: false,
    calculateSentiment: false,
    nlu: { log: false },
  });
  new LangVi(text).register(manager.container);
  return quiet(manager);
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
