import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { INTENT_NAMES, type IntentName } from './intent-names.ts';

/** nlp.js's corpus format, restricted to what intents/ may hold: Vietnamese, contract intent names. */
const CorpusFile = z.object({
  name: z.string().min(1),
  locale: z.literal('vi'),
  data: z.array(
    z.object({
      intent: z.enum(INTENT_NAMES),
      utterances: z.array(z.string().trim().min(1)).min(1),
    }),
  ),
});

export interface LabelledUtterance {
  intent: IntentName;
  utterance: string;
}

/**
 * The training utterances in intents/ (`*.corpus.json`, nlp.js's corpus format), validated once.
 * `fingerprint` changes whenever any corpus file does, and keys the trained-model cache.
 */
export class IntentCorpus {
  constructor(
    readonly examples: readonly LabelledUtterance[],
    readonly fingerprint: string,
  ) {}

  static load(intentsDir: string): IntentCorpus {
    const files = corpusFiles(intentsDir);
    if (files.length === 0) throw new Error(`intents: no *.corpus.json file under ${intentsDir}`);
    const hash = createHash('sha256');
    const examples: LabelledUtterance[] = [];
    for (const file of files) {
      const raw = readFileSync(file, 'utf8');
      hash.update(relative(intentsDir, file)).update('\0').update(raw).update('\0');
      const parsed = CorpusFile.safeParse(JSON.parse(raw));
      if (!parsed.success) {
        const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new Error(`intents: ${relative(intentsDir, file)} is not a valid corpus (${where})`);
      }
      for (const { intent, utterances } of parsed.data.data) {
        for (const utterance of utterances) examples.push({ intent, utterance });
      }
    }
    return new IntentCorpus(examples, hash.digest('hex'));
  }

  /** Utterances per intent, for reports. */
  counts(): Map<IntentName, number> {
    const counts = new Map<IntentName, number>();
    for (const { intent } of this.examples) counts.set(intent, (counts.get(intent) ?? 0) + 1);
    return counts;
  }
}

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.corpus.json'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
