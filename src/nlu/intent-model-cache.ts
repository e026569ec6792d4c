import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../shared/atomic-file.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import { IntentClassifier } from './intent-classifier.ts';
import type { IntentCorpus } from './intent-corpus.ts';
import type { LabelledUtterance } from './intent-corpus.ts';

/** Bump when the features or the training change in code, so old cached models are not reused. */
const PIPELINE_VERSION = 'vi-syllables+pairs/aliases-generated/3';

export interface CachedModel {
  classifier: IntentClassifier;
  /** Whether this start trained the model (no cached one fitted) or loaded it from disk. */
  trained: boolean;
  milliseconds: number;
  file: string;
}

export interface ModelInputs {
  corpus: IntentCorpus;
  /** Everything else the trained model depends on: lexicon and alias files, as bytes. */
  dependencies: readonly string[];
  trainingSet: () => LabelledUtterance[];
}

/**
 * The trained intent model, cached on disk under a name keyed by a hash of intents/ (and of the
 * lexicon the features depend on): a restart loads it instead of training, and any edit to the
 * training data trains a new one. Written to a temporary file and renamed, so a crash mid-write
 * never leaves a broken model behind.
 */
export async function loadOrTrainModel(
  cacheDir: string,
  inputs: ModelInputs,
  text: VietnameseText,
): Promise<CachedModel> {
  const file = join(cacheDir, `intent-model-${modelKey(inputs)}.json`);
  const started = performance.now();
  if (existsSync(file)) {
    const classifier = IntentClassifier.fromJSON(readFileSync(file, 'utf8'), text);
    return { classifier, trained: false, milliseconds: performance.now() - started, file };
  }
  const classifier = await IntentClassifier.train(inputs.trainingSet(), text);
  const milliseconds = performance.now() - started;
  writeFileAtomic(file, classifier.toJSON());
  return { classifier, trained: true, milliseconds, file };
}

function modelKey(inputs: ModelInputs): string {
  const hash = createHash('sha256').update(PIPELINE_VERSION).update('\0').update(inputs.corpus.fingerprint);
  for (const dependency of inputs.dependencies) hash.update('\0').update(dependency);
  return hash.digest('hex').slice(0, 20);
}

/** The files under knowledge/ a trained model depends on, as their contents. */
export function modelDependencies(knowledgeDir: string): string[] {
  const lexicon = join(knowledgeDir, 'lexicon');
  const files = readdirSync(lexicon)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => join(lexicon, name));
  return [...files, join(knowledgeDir, 'aliases.json')].map((path) => readFileSync(path, 'utf8'));
}
