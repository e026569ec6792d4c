import fc from 'fast-check';
import Fuse from 'fuse.js';
import { describe, expect, it } from 'vitest';
import { FuzzyVocabulary } from '../../../src/search/fuzzy-vocabulary.ts';
import { knowledgeBase } from '../../helpers/knowledge.ts';

describe('FuzzyVocabulary', () => {
  const vocabulary = [
    ...new Set(knowledgeBase().catalog.summaries.flatMap((s) => knowledgeBase().text.fold(s.name).split(' '))),
  ].filter((w) => w.length >= 3);
  const threshold = 0.34;
  const fuzzy = new FuzzyVocabulary(vocabulary, threshold);
  const plain = new Fuse(vocabulary, { includeScore: true, threshold, ignoreLocation: true });
  const plainBest = (word: string) => {
    const [hit] = plain.search(word, { limit: 1 });
    return hit && { item: hit.item, score: hit.score };
  };

  it('answers exactly as fuse.js over the whole vocabulary, for misspelt words and junk', () => {
    const misspelt = fc
      .tuple(fc.constantFrom(...vocabulary), fc.nat(), fc.constantFrom('a', 'e', 'h', 'n', 'g', 'x', ''))
      .map(([word, at, letter]) => {
        const i = at % (word.length + 1);
        return word.slice(0, i) + letter + word.slice(i + (letter === '' ? 1 : 0));
      });
    const junk = fc.stringMatching(/^[a-z0-9]{3,10}$/);
    fc.assert(
      fc.property(fc.oneof(misspelt, junk), (word) => {
        expect(fuzzy.best(word)).toEqual(plainBest(word));
      }),
      { numRuns: 300 },
    );
  });

  it('corrects a typo to the catalogue word', () => {
    expect(fuzzy.best('thangg')?.item).toBe('thang');
  });
});
