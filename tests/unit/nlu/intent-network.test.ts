import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/assistant.ts';
import { IntentClassifier } from '../../../src/nlu/intent-classifier.ts';
import { IntentCorpus } from '../../../src/nlu/intent-corpus.ts';
import { IntentNetwork } from '../../../src/nlu/intent-network.ts';
import { LangVi } from '../../../src/nlu/lang-vi/lang-vi.ts';
import { NlpManager } from 'node-nlp';
import { loadDevUtterances } from '../../../src/nlu/nlu-evaluation.ts';
import { loadDevQueries } from '../../../src/search/search-evaluation.ts';
import { INTENTS_DIR, testAssistant } from '../../helpers/assistant.ts';
import { vietnameseText } from '../../helpers/knowledge.ts';

const devSet = (name: string) => fileURLToPath(new URL(`../../dev-sets/${name}.jsonl`, import.meta.url));

/** Every message we have: training utterances, every dev set, and inputs at the edges. */
function allMessages(): string[] {
  const chat = readFileSync(devSet('chat-dev'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => (JSON.parse(line) as { turns: { text: string }[] }).turns.map((t) => t.text));
  return [
    ...IntentCorpus.load(INTENTS_DIR).examples.map((e) => e.utterance),
    ...loadDevUtterances(devSet('nlu-dev')).map((d) => d.text),
    ...['search-queries', 'search-holdout-a', 'search-holdout-b'].flatMap((n) =>
      loadDevQueries(devSet(n)).map((q) => q.query),
    ),
    ...chat,
    // Edges: empty, symbols only, numbers (object keys that JavaScript orders first), emoji, repeats.
    '',
    '???',
    '123',
    '2 1 10 3 2 1',
    '😀😀😀',
    'phí phí phí bao nhiêu bao nhiêu',
    'x'.repeat(300),
  ];
}

describe("IntentNetwork (node-nlp's model run without its pipeline)", () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await testAssistant();
  });
  afterAll(() => assistant.close());

  it("gives exactly node-nlp's own intents and scores, in its order, on every training and dev message", async () => {
    const { classifier } = assistant.model;
    const messages = allMessages();
    expect(messages.length).toBeGreaterThan(2500);
    let exactMatches = 0;
    for (const message of messages) {
      const ours = classifier.classify(message);
      expect(ours, message).toEqual(await classifier.classifyWithNodeNlp(message));
      if (ours.score === 1) exactMatches += 1;
    }
    // Both branches ran: training utterances hit the exact-match table, dev messages the perceptrons.
    expect(exactMatches).toBeGreaterThan(1000);
    expect(messages.length - exactMatches).toBeGreaterThan(200);
  });

  it('agrees with node-nlp on a model trained in this process, not only on one read from disk', async () => {
    const corpus = IntentCorpus.load(INTENTS_DIR).examples;
    const sample = corpus.filter((_, i) => i % 5 === 0);
    const classifier = await IntentClassifier.train(sample, vietnameseText());
    for (const { utterance: message } of corpus.filter((_, i) => i % 5 === 1).slice(0, 200)) {
      expect(classifier.classify(message), message).toEqual(await classifier.classifyWithNodeNlp(message));
    }
  });

  it("trains, from nlp.js's parts with Vietnamese only, the very model node-nlp's NlpManager trains", async () => {
    const corpus = IntentCorpus.load(INTENTS_DIR).examples.filter((_, i) => i % 3 === 0);
    const ours = await IntentClassifier.train(corpus, vietnameseText());
    const manager = new NlpManager({
      languages: ['vi'],
      threshold: 0,
      autoSave: false,
      autoLoad: false,
      forceNER: false,
      calculateSentiment: false,
      nlu: { log: false },
    });
    new LangVi(vietnameseText()).register(manager.container);
    for (const { utterance, intent } of corpus) manager.addDocument('vi', utterance, intent);
    await manager.train();
    expect(ours.toJSON()).toBe(manager.export(true));
  });

  it('refuses what is not a node-nlp model it can run, with a reason', () => {
    const features = (text: string) => text.split(' ');
    expect(() => IntentNetwork.fromModel({}, 'vi', features)).toThrow(/node-nlp model/);
    const model = JSON.parse(assistant.model.classifier.toJSON()) as {
      nluManager: {
        domainManagers: Record<string, { domains: Record<string, { settings: Record<string, unknown> }> }>;
      };
    };
    expect(() => IntentNetwork.fromModel(model, 'en', features)).toThrow(/one domain/);
    model.nluManager.domainManagers['vi']!.domains['master_domain']!.settings['useNoneFeature'] = true;
    expect(() => IntentNetwork.fromModel(model, 'vi', features)).toThrow(/"none" feature/);
  });
});
