import { z } from 'zod';

/** One intent's score; the list a classification returns is ordered best first. */
export interface NetworkScore {
  intent: string;
  score: number;
}

/** nlp.js's default slope of its perceptrons (`alpha`); its model files omit settings left at default. */
const NLPJS_ALPHA = 0.07;

/** The part of node-nlp's exported model (`NlpManager.export()`) the intent network is read from. */
const NodeNlpModel = z.object({
  nluManager: z.object({
    domainManagers: z.record(
      z.string(),
      z.object({
        settings: z.object({ useStemDict: z.boolean().optional(), trainByDomain: z.boolean().optional() }),
        stemDict: z.record(z.string(), z.object({ intent: z.string() })),
        intentDict: z.record(z.string(), z.string()),
        domains: z.record(
          z.string(),
          z.object({
            settings: z.object({ filterZeros: z.boolean().optional(), useNoneFeature: z.boolean().optional() }),
            features: z.record(z.string(), z.number()),
            intents: z.record(z.string(), z.number()),
            intentFeatures: z.record(z.string(), z.record(z.string(), z.number())),
            neuralNetwork: z.object({
              settings: z.object({ alpha: z.number().optional() }),
              features: z.array(z.string()),
              intents: z.array(z.string()),
              /** Per intent: one weight per feature, then the bias. */
              perceptrons: z.array(z.array(z.number())),
            }),
          }),
        ),
      }),
    ),
  }),
});

/**
 * node-nlp's trained intent classifier, run without node-nlp's pipeline: the same model, the same
 * arithmetic in the same order, the same scores.
 *
 * @remarks
 * node-nlp's `process` goes through a promise chain of generic plugins that build a dozen objects
 * per message (about half of a parse's garbage, and so of its collection pauses). The model itself
 * is small: an exact-match table of training utterances, then one perceptron per intent over the
 * message's known features (syllables and syllable pairs), keeping only intents that share a
 * feature with the message, squared and normalised. This class runs exactly that, once per message;
 * a test checks it against node-nlp's own `process` on every training and dev-set message.
 */
/** What a message is classified with, read once out of node-nlp's model. */
interface NetworkModel {
  /** Training utterances' sorted feature lists → their intent (nlp.js's "stem dictionary"). */
  exact: ReadonlyMap<string, string>;
  /** How many features those utterances have, and which: a message with others has no exact match. */
  exactSizes: ReadonlySet<number>;
  exactFeatures: ReadonlySet<string>;
  /** Every intent of the exact-match table, in its order: an exact match scores 1 and the rest 0. */
  exactOrder: readonly string[];
  /** The intents in the model's own order: it decides among equal scores. */
  intents: readonly string[];
  /** Features node-nlp knows; others are ignored. */
  known: ReadonlySet<string>;
  /** Feature → input index of the perceptrons. */
  inputs: ReadonlyMap<string, number>;
  /** Per intent (same order): weights by input index (32-bit, as nlp.js keeps them), and bias. */
  perceptrons: readonly ({ weights: Float32Array; bias: number } | undefined)[];
  /** Per intent: the features its training examples had; an intent sharing none scores 0. */
  intentFeatures: readonly ReadonlySet<string>[];
  alpha: number;
  filterZeros: boolean;
}

/**
 * node-nlp's trained intent classifier, run without node-nlp's pipeline: the same model, the same
 * arithmetic in the same order, the same scores.
 *
 * @remarks
 * node-nlp's `process` goes through a promise chain of generic plugins that build a dozen objects
 * per message (about half of a parse's garbage, and so of its collection pauses). The model itself
 * is small: an exact-match table of training utterances, then one perceptron per intent over the
 * message's known features (syllables and syllable pairs), keeping only intents that share a
 * feature with the message, squared and normalised. This class runs exactly that, once per message;
 * a test checks it against node-nlp's own `process` on every training and dev-set message.
 */
export class IntentNetwork {
  /** Features already met in the message being classified: one set reused, not one per message. */
  private readonly seen = new Set<string>();

  private constructor(
    private readonly features: (text: string) => string[],
    private readonly model: NetworkModel,
  ) {}

  /**
   * Reads the network out of node-nlp's exported model for `locale`. `features` turns a text into
   * the features node-nlp's pipeline would give it (normaliser then tokeniser of the language).
   */
  static fromModel(model: unknown, locale: string, features: (text: string) => string[]): IntentNetwork {
    const parsed = NodeNlpModel.safeParse(model);
    if (!parsed.success)
      throw new Error(`Not a node-nlp model this classifier can run: ${z.prettifyError(parsed.error)}`);
    const manager = parsed.data.nluManager.domainManagers[locale];
    const domains = Object.values(manager?.domains ?? {});
    const domain = domains[0];
    // Models trained by domain, or with nlp.js's "none" feature, run differently: refused, not guessed.
    if (
      manager === undefined ||
      domain === undefined ||
      domains.length !== 1 ||
      manager.settings.trainByDomain ||
      domain.settings.useNoneFeature
    ) {
      throw new Error(
        `The intent model for "${locale}" must have one domain, no "none" feature and no training by domain`,
      );
    }
    return new IntentNetwork(features, networkModel(manager, domain));
  }

  /** Intents and scores, best first, as node-nlp's NLU would give them for `text`. */
  classify(text: string): NetworkScore[] {
    const features = this.distinctFeatures(text);
    const matched = this.exactMatch(features);
    if (matched !== undefined)
      return [
        { intent: matched, score: 1 },
        ...this.model.exactOrder.filter((i) => i !== matched).map((intent) => ({ intent, score: 0 })),
      ];
    const known = features.filter((feature) => this.model.known.has(feature));
    const inputs: number[] = [];
    for (const feature of known) {
      const input = this.model.inputs.get(feature);
      if (input !== undefined) inputs.push(input);
    }
    const scored: NetworkScore[] = [];
    for (let i = 0; i < this.model.intents.length; i += 1) {
      const perceptron = this.model.perceptrons[i];
      if (perceptron === undefined) continue;
      const score = this.activation(perceptron, inputs);
      if (score > 0 || !this.model.filterZeros) scored.push({ intent: this.model.intents[i]!, score });
    }
    if (scored.length === 0) return [{ intent: 'None', score: 1 }];
    return normalised(this.withoutUnactivated(scored.sort(byScore), known));
  }

  /** Scores of intents sharing no feature with the message set to 0, re-sorted if any was (nlp.js's "filterNonActivated"). */
  private withoutUnactivated(scored: NetworkScore[], known: readonly string[]): NetworkScore[] {
    let unactivated = false;
    for (const entry of scored) {
      const own = this.model.intentFeatures[this.model.intents.indexOf(entry.intent)]!;
      if (!known.some((feature) => own.has(feature))) {
        entry.score = 0;
        unactivated = true;
      }
    }
    return unactivated ? scored.sort(byScore) : scored;
  }

  /**
   * The message's distinct features in the order nlp.js holds them, as keys of an object: the order
   * `Object.keys` gives (array indices first, ascending, then as inserted), which is the order the
   * weights are summed in. Worked out rather than read off an object: that object was a tenth of a
   * parse's time.
   */
  private distinctFeatures(text: string): string[] {
    const seen = this.seen;
    const ordered: string[] = [];
    let indices = 0;
    for (const feature of this.features(text)) {
      if (feature.length === 0 || seen.has(feature)) continue;
      seen.add(feature);
      ordered.push(feature);
      if (isArrayIndex(feature)) indices += 1;
    }
    seen.clear();
    if (indices === 0) return ordered;
    const numbers = ordered.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
    return [...numbers, ...ordered.filter((f) => !isArrayIndex(f))];
  }

  /**
   * The intent of a training utterance with exactly these features. Looking it up takes sorting and
   * joining them, so first the two cheap tests a match must pass: a size some utterance has, and
   * only features some utterance has.
   */
  private exactMatch(features: readonly string[]): string | undefined {
    if (!this.model.exactSizes.has(features.length)) return undefined;
    for (const feature of features) if (!this.model.exactFeatures.has(feature)) return undefined;
    return this.model.exact.get([...features].sort().join());
  }

  private activation(perceptron: { weights: Float32Array; bias: number }, inputs: readonly number[]): number {
    let sum = perceptron.bias;
    for (let k = 0; k < inputs.length; k += 1) sum += perceptron.weights[inputs[k]!]!;
    return sum <= 0 ? 0 : this.model.alpha * sum;
  }
}

type ParsedModel = z.infer<typeof NodeNlpModel>;
type ParsedManager = ParsedModel['nluManager']['domainManagers'][string];

function networkModel(manager: ParsedManager, domain: ParsedManager['domains'][string]): NetworkModel {
  const net = domain.neuralNetwork;
  const byIntent = new Map(net.intents.map((intent, i) => [intent, net.perceptrons[i]!]));
  const intents = Object.keys(domain.intents);
  const exact = new Map(
    manager.settings.useStemDict === false
      ? []
      : Object.entries(manager.stemDict).map(([key, { intent }]) => [key, intent]),
  );
  const exactParts = [...exact.keys()].map((key) => (key === '' ? [] : key.split(',')));
  return {
    exact,
    exactSizes: new Set(exactParts.map((parts) => parts.length)),
    exactFeatures: new Set(exactParts.flat()),
    exactOrder: Object.keys(manager.intentDict),
    intents,
    known: new Set(Object.keys(domain.features).filter((feature) => domain.features[feature])),
    inputs: new Map(net.features.map((feature, i) => [feature, i])),
    perceptrons: intents.map((intent) => {
      const row = byIntent.get(intent);
      // As nlp.js reads its model: the weights, then the bias last.
      return row === undefined
        ? undefined
        : { weights: Float32Array.from(row.slice(0, net.features.length)), bias: row.at(-1) ?? 0 };
    }),
    intentFeatures: intents.map((intent) => {
      const own = domain.intentFeatures[intent] ?? {};
      return new Set(Object.keys(own).filter((feature) => own[feature]));
    }),
    alpha: net.settings.alpha ?? NLPJS_ALPHA,
    filterZeros: domain.settings.filterZeros ?? true,
  };
}

/** A canonical array index ("0", "15", not "015" nor 2³²−1 and above): JavaScript orders such keys first. */
function isArrayIndex(key: string): boolean {
  if (key.length > 10 || (key.length > 1 && key.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < key.length; i += 1) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(key) < 4294967295;
}

function byScore(a: NetworkScore, b: NetworkScore): number {
  return b.score - a.score;
}

/** nlp.js's last step: scores squared, then shares of their total. */
function normalised(scores: NetworkScore[]): NetworkScore[] {
  let total = 0;
  for (const entry of scores) {
    entry.score **= 2;
    total += entry.score;
  }
  if (total > 0) for (const entry of scores) entry.score /= total;
  return scores;
}
