import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntentCorpus } from '../../../src/nlu/intent-corpus.ts';
import { loadOrTrainModel, type ModelInputs } from '../../../src/nlu/intent-model-cache.ts';
import { vietnameseText } from '../../helpers/knowledge.ts';

function corpusDir(utterances: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'intents-'));
  mkdirSync(join(dir, 'vi'));
  const data = Object.entries(utterances).map(([intent, list]) => ({ intent, utterances: list }));
  writeFileSync(join(dir, 'vi', 'small.corpus.json'), JSON.stringify({ name: 'small', locale: 'vi', data }));
  return dir;
}

const inputs = (dir: string): ModelInputs => {
  const corpus = IntentCorpus.load(dir);
  return { corpus, dependencies: ['lexicon v1'], trainingSet: () => [...corpus.examples] };
};

describe('loadOrTrainModel', () => {
  const small = {
    greeting: ['xin chào', 'chào ad', 'alo'],
    procedure_fee: ['phí bao nhiêu', 'lệ phí', 'hết bao nhiêu tiền'],
  };

  it('trains once, then loads the cached model on the next start, answering the same', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'model-'));
    const dir = corpusDir(small);
    const first = await loadOrTrainModel(cache, inputs(dir), vietnameseText());
    expect(first.trained).toBe(true);
    const second = await loadOrTrainModel(cache, inputs(dir), vietnameseText());
    expect(second.trained).toBe(false);
    expect(second.file).toBe(first.file);
    expect(await second.classifier.classify('phi bao nhieu vay')).toEqual(
      await first.classifier.classify('phi bao nhieu vay'),
    );
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('trains a new model when the training data or what it depends on changes', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'model-'));
    await loadOrTrainModel(cache, inputs(corpusDir(small)), vietnameseText());
    const edited = await loadOrTrainModel(
      cache,
      inputs(corpusDir({ ...small, greeting: [...small.greeting, 'hello'] })),
      vietnameseText(),
    );
    expect(edited.trained).toBe(true);
    const newLexicon = await loadOrTrainModel(
      cache,
      { ...inputs(corpusDir(small)), dependencies: ['lexicon v2'] },
      vietnameseText(),
    );
    expect(newLexicon.trained).toBe(true);
    expect(readdirSync(cache)).toHaveLength(3);
  });
});
