import { describe, expect, it } from 'vitest';
import { CenterFacts } from '../../../src/knowledge/center-facts.ts';
import { knowledgeBase } from '../../helpers/knowledge.ts';

describe('CenterFacts', () => {
  it('keeps sourced facts and marks sample values', () => {
    const facts = new CenterFacts({
      address: { value: '26 Hoàng Hoa Thám', source: 'context.md' },
      contact: { hotline: { value: '0258 000 0000', sample: true } },
      $comment: 'ignored',
    });
    expect(facts.get('address')).toMatchObject({ value: '26 Hoàng Hoa Thám', sample: false, source: 'context.md' });
    expect(facts.samplePaths()).toEqual(['contact.hotline']);
  });

  it('refuses a value that is neither sourced nor marked as a sample', () => {
    expect(() => new CenterFacts({ hours: { value: '7:00–17:00' } })).toThrow(
      /hours needs a "source" or "sample": true/,
    );
    expect(() => new CenterFacts({ hours: '7:00' })).toThrow(/hours must be an object/);
  });

  it('loads the shipped file, with the center address sourced and the hotline still a sample', () => {
    const { center } = knowledgeBase();
    const sourced = center.all().filter((f) => !f.sample);
    expect(sourced.some((f) => JSON.stringify(f.value).includes('Hoàng Hoa Thám'))).toBe(true);
    expect(center.samplePaths().some((p) => /hotline/i.test(p))).toBe(true);
  });
});
