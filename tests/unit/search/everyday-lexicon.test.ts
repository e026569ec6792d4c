import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EverydayLexicon, EverydayWordsFile } from '../../../src/search/everyday-lexicon.ts';
import { recordFields } from '../../../src/search/record-index.ts';
import { catalogueTokens, searchWords } from '../../../src/search/search-tokens.ts';
import { KNOWLEDGE_DIR, knowledgeBase, vietnameseText } from '../../helpers/knowledge.ts';

const FILE = join(KNOWLEDGE_DIR, 'lexicon', 'everyday-words.json');

describe('the everyday-words lexicon (knowledge/lexicon/everyday-words.json)', () => {
  const file = EverydayWordsFile.parse(JSON.parse(readFileSync(FILE, 'utf8')));

  it('is large enough to cover the catalogue, and says where its entries come from', () => {
    expect(file.entries.length).toBeGreaterThanOrEqual(800);
    expect(new Set(file.entries.map((e) => e.field)).size).toBeGreaterThanOrEqual(50);
    expect(file.source.length).toBeGreaterThan(40);
  });

  it('maps every phrase to words the catalogue really uses, in the parts of records the search reads', () => {
    // Folded token runs of the indexed parts of every record: a `means` must be a run of them, or the
    // expansion can never match anything; `field` must be a field of the catalogue (or "*").
    const { catalog } = knowledgeBase();
    const byField = new Map<string, string[]>();
    for (const record of catalog.records()) {
      const fields = recordFields(record);
      const text = ` ${catalogueTokens(Object.values(fields).join(' . ')).join(' ')} `;
      byField.set(record.field, [...(byField.get(record.field) ?? []), text]);
    }
    const everywhere = [...byField.values()].flat();
    const unknownFields = new Set<string>();
    const notInCatalogue: string[] = [];
    for (const entry of file.entries) {
      if (entry.field !== '*' && !byField.has(entry.field)) unknownFields.add(entry.field);
      const means = ` ${catalogueTokens(entry.means).join(' ')} `;
      if (!everywhere.some((t) => t.includes(means))) notInCatalogue.push(`${entry.field}: ${entry.means}`);
    }
    expect([...unknownFields]).toEqual([]);
    expect(notInCatalogue).toEqual([]);
  });

  it('expands an everyday phrase into the catalogue words, with diacritics that agree when typed', () => {
    const text = vietnameseText();
    const lexicon = new EverydayLexicon([
      { say: searchWords(text, 'giấy báo tử'), means: catalogueTokens('khai tử') },
      { say: searchWords(text, 'mất giấy'), means: catalogueTokens('cấp lại') },
    ]);
    expect(lexicon.size).toBe(2);
    expect(lexicon.expand(searchWords(text, 'xin giấy báo tử cho ba'))).toEqual([['khai', 'tu']]);
    expect(lexicon.expand(searchWords(text, 'xin giay bao tu cho ba'))).toEqual([['khai', 'tu']]);
    expect(lexicon.expand(searchWords(text, 'bị mất giấy rồi'))).toEqual([['cap', 'lai']]);
    // "mặt" (a surface) typed with its diacritics is not "mất" (lost).
    expect(lexicon.expand(searchWords(text, 'mặt giấy bị nhòe'))).toEqual([]);
  });

  it('loads from the shipped file with every entry kept once', () => {
    const text = vietnameseText();
    const lexicon = EverydayLexicon.load(FILE, (s) => searchWords(text, s), catalogueTokens);
    expect(lexicon.size).toBeGreaterThanOrEqual(800);
    expect(lexicon.size).toBeLessThanOrEqual(file.entries.length);
  });
});
