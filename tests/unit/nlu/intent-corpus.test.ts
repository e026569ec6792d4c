import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntentCorpus } from '../../../src/nlu/intent-corpus.ts';
import { INTENT_NAMES } from '../../../src/nlu/intent-names.ts';
import { loadDevUtterances } from '../../../src/nlu/nlu-evaluation.ts';
import { INTENTS_DIR } from '../../helpers/assistant.ts';
import { vietnameseText } from '../../helpers/knowledge.ts';

const DEV = new URL('../../dev-sets/nlu-dev.jsonl', import.meta.url).pathname;

describe('intents/ (the training data)', () => {
  const corpus = IntentCorpus.load(INTENTS_DIR);

  it('has at least 40 utterances for every intent of the contract, out_of_scope included', () => {
    const counts = corpus.counts();
    for (const intent of INTENT_NAMES) expect(counts.get(intent) ?? 0, intent).toBeGreaterThanOrEqual(40);
  });

  it('never labels the same text (folded) with two intents', () => {
    const seen = new Map<string, string>();
    const text = vietnameseText();
    for (const { intent, utterance } of corpus.examples) {
      const key = text.fold(utterance);
      if (key.length === 0) continue;
      expect(seen.get(key) ?? intent, utterance).toBe(intent);
      seen.set(key, intent);
    }
  });

  it('shares no utterance with the dev set, which must stay unseen', () => {
    const text = vietnameseText();
    const training = new Set(corpus.examples.map((e) => text.fold(e.utterance)));
    const overlap = loadDevUtterances(DEV).filter((d) => training.has(text.fold(d.text)));
    expect(overlap.map((d) => d.text)).toEqual([]);
  });
});

describe('IntentCorpus.load', () => {
  const dirWith = (files: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'intents-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
    return dir;
  };

  it('refuses an intent name outside the contract, naming the file', () => {
    const dir = dirWith({
      'x.corpus.json': { name: 'x', locale: 'vi', data: [{ intent: 'procedure.fee', utterances: ['phí'] }] },
    });
    expect(() => IntentCorpus.load(dir)).toThrow(/x\.corpus\.json/);
  });

  it('changes its fingerprint when any utterance changes', () => {
    const file = (u: string) => ({
      'a.corpus.json': { name: 'a', locale: 'vi', data: [{ intent: 'greeting', utterances: [u] }] },
    });
    expect(IntentCorpus.load(dirWith(file('chào'))).fingerprint).not.toBe(
      IntentCorpus.load(dirWith(file('chào ad'))).fingerprint,
    );
    expect(IntentCorpus.load(dirWith(file('chào'))).fingerprint).toBe(
      IntentCorpus.load(dirWith(file('chào'))).fingerprint,
    );
  });
});
