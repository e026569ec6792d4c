import { readJsonFile } from '../shared/line-files.ts';
import { join } from 'node:path';
import { z } from 'zod';
import { isProcedureAspect, type IntentName } from './intent-names.ts';
import type { LabelledUtterance } from './intent-corpus.ts';

/** How many generated examples each intent gets, next to its written ones. */
const GENERATED = { perAspect: 30, procedureInfo: 60 } as const;

const INFO_TEMPLATES = ['{name}', 'thủ tục {name}', 'hỏi về {name}', 'làm {name}', 'cho hỏi {name}', 'thu tuc {name}'];

/**
 * The classifier's training examples: the written corpus, plus examples generated from the
 * colloquial procedure names staff keep in knowledge/aliases.json.
 *
 * @remarks
 * Citizens name one of thousands of procedures while asking one of a few questions. Without help,
 * the classifier learns the procedure words of its examples as signs of the question ("khai sinh"
 * would mean "papers"). Pasting names onto the corpus's own bare questions ("phí bao nhiêu" →
 * "sổ đỏ phí bao nhiêu") spreads the names over all questions, and bare names teach `procedure_info`.
 * The generator is seeded, so one corpus always gives one training set (and one cached model).
 */
export function buildTrainingSet(
  corpus: readonly LabelledUtterance[],
  procedureNames: readonly string[],
  namesAProcedure: (utterance: string) => boolean,
  seed: string,
): LabelledUtterance[] {
  if (procedureNames.length === 0) return [...corpus];
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const generated: LabelledUtterance[] = [];
  const bareByIntent = new Map<IntentName, string[]>();
  for (const { intent, utterance } of corpus) {
    if (!isProcedureAspect(intent) || intent === 'procedure_info' || namesAProcedure(utterance)) continue;
    bareByIntent.set(intent, [...(bareByIntent.get(intent) ?? []), utterance]);
  }
  for (const [intent, bare] of bareByIntent) {
    for (let i = 0; i < GENERATED.perAspect; i += 1) {
      const question = pick(bare);
      const name = pick(procedureNames);
      generated.push({ intent, utterance: random() < 0.7 ? `${name} ${question}` : `${question} ${name}` });
    }
  }
  for (let i = 0; i < GENERATED.procedureInfo; i += 1) {
    generated.push({
      intent: 'procedure_info',
      utterance: pick(INFO_TEMPLATES).replace('{name}', pick(procedureNames)),
    });
  }
  return [...corpus, ...generated];
}

/** mulberry32 over a string's hash: small, fast and reproducible. */
function seededRandom(seed: string): () => number {
  let state = 0;
  for (const ch of seed) state = (Math.imul(state, 31) + ch.charCodeAt(0)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AliasNames = z.object({ aliases: z.array(z.object({ alias: z.string().min(1) })) });

/** The colloquial procedure names staff keep in knowledge/aliases.json (validated by the search too). */
export function aliasNames(knowledgeDir: string): string[] {
  return readJsonFile(join(knowledgeDir, 'aliases.json'), AliasNames).aliases.map((a) => a.alias);
}
