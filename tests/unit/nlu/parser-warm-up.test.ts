import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/assistant.ts';
import { loadDevUtterances } from '../../../src/nlu/nlu-evaluation.ts';
import { parseContract } from '../../../src/nlu/message-parser.ts';
import { testAssistant } from '../../helpers/assistant.ts';
import { fileURLToPath } from 'node:url';

const DEV = fileURLToPath(new URL('../../dev-sets/nlu-dev.jsonl', import.meta.url));

describe('parser start-up warm-up and caches', () => {
  let cold: Assistant;
  let warmed: Assistant;
  beforeAll(async () => {
    [cold, warmed] = await Promise.all([testAssistant(), testAssistant()]);
  });
  afterAll(async () => {
    await Promise.all([cold.close(), warmed.close()]);
  });

  it('parses every training utterance once and changes no answer', async () => {
    const { messages } = await warmed.warmUp();
    expect(messages).toBeGreaterThan(1000);
    const texts = loadDevUtterances(DEV).map((d) => d.text);
    for (const text of texts) {
      expect(parseContract(await warmed.parser.parse(text))).toEqual(parseContract(await cold.parser.parse(text)));
    }
  });

  it('keeps no per-text copy in node-nlp: distinct messages do not pile up for an hour', async () => {
    for (let i = 0; i < 50; i += 1) await cold.parser.parse(`phí làm hộ chiếu lần ${i} bao nhiêu`);
    // nlp.js's NLU instances cache prepared texts in `cache.results`; messages never go through them.
    const { nlp } = (
      cold.parser as unknown as {
        classifier: {
          nlp: {
            nluManager: {
              domainManagers: Record<string, { domains: Record<string, { cache?: { results: object } }> }>;
            };
          };
        };
      }
    ).classifier;
    const domains = Object.values(nlp.nluManager.domainManagers['vi']!.domains);
    expect(domains.length).toBeGreaterThan(0);
    for (const nlu of domains) expect(Object.keys(nlu.cache?.results ?? {})).toEqual([]);
  });
});
