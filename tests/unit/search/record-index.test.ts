import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordIndex, recordFields, type FieldName } from '../../../src/search/record-index.ts';
import { loadOrBuildRecordIndex } from '../../../src/search/record-index-cache.ts';
import { catalogueWords } from '../../../src/search/search-tokens.ts';
import { KNOWLEDGE_DIR, knowledgeBase } from '../../helpers/knowledge.ts';

const empty: Record<FieldName, string> = {
  name: '',
  results: '',
  field: '',
  subjects: '',
  documents: '',
  steps: '',
  conditions: '',
};
const record = (parts: Partial<Record<FieldName, string>>) => ({ ...empty, ...parts });

/** The best-scoring record for a query, with every score. */
function rank(index: RecordIndex, query: string): number[] {
  const scores = new Float64Array(index.size);
  const touched = new Uint8Array(index.size);
  const terms = index.queryTerms(catalogueWords(query));
  index.score(terms, scores, touched);
  return [...scores.keys()].filter((d) => scores[d]! > 0).sort((a, b) => scores[b]! - scores[a]!);
}

describe('the whole-record index (BM25F)', () => {
  const records = [
    record({
      name: 'Đăng ký khai tử',
      results: 'Trích lục khai tử',
      documents: 'Giấy báo tử hoặc giấy tờ thay giấy báo tử',
    }),
    record({ name: 'Hỗ trợ thiệt hại do thiên tai', documents: 'Đơn đề nghị hỗ trợ do mưa lũ' }),
    record({ name: 'Cấp giấy phép kinh doanh', documents: 'Hợp đồng mua bán hàng hóa' }),
    record({ name: 'Đăng ký hộ kinh doanh', steps: 'Nộp hồ sơ tại cơ quan đăng ký kinh doanh cấp xã' }),
  ];
  const index = RecordIndex.build(records, catalogueWords);

  it('finds a record by words of its documents and results, not only its name', () => {
    expect(rank(index, 'giấy báo tử')[0]).toBe(0);
    expect(rank(index, 'giay bao tu')[0]).toBe(0);
  });

  it('keeps words typed with diacritics apart from their look-alikes: "mưa" (rain) is not "mua" (buy)', () => {
    expect(rank(index, 'mưa lũ')[0]).toBe(1);
    expect(rank(index, 'mưa')).toEqual([1]);
    expect(rank(index, 'mua')).toContain(2);
  });

  it('weighs a word pair: "hộ kinh doanh" is the household business, not any business', () => {
    expect(rank(index, 'hộ kinh doanh')[0]).toBe(3);
  });

  it('reads back from its bytes exactly as built', () => {
    const copy = RecordIndex.deserialize(index.serialize());
    expect(copy.size).toBe(index.size);
    for (const q of ['giấy báo tử', 'mưa lũ', 'hộ kinh doanh', 'hợp đồng mua bán'])
      expect(rank(copy, q)).toEqual(rank(index, q));
    for (const term of ['khai', 'tu', 'mưa', 'kinh doanh']) {
      expect(copy.df(term)).toBe(index.df(term));
      expect(copy.idf(term)).toBe(index.idf(term));
    }
  });

  it('is cached on disk, rebuilt when the cache is damaged, and gives the same answers either way', () => {
    const { catalog } = knowledgeBase();
    const cacheDir = mkdtempSync(join(tmpdir(), 'record-index-'));
    const built = loadOrBuildRecordIndex(catalog, join(KNOWLEDGE_DIR, 'procedures'), cacheDir);
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(/^record-index-[0-9a-f]{20}\.bin$/);
    const loaded = loadOrBuildRecordIndex(catalog, join(KNOWLEDGE_DIR, 'procedures'), cacheDir);
    writeFileSync(join(cacheDir, file!), 'not an index');
    const rebuilt = loadOrBuildRecordIndex(catalog, join(KNOWLEDGE_DIR, 'procedures'), cacheDir);
    for (const q of ['giấy báo tử', 'hộ kinh doanh', 'tàu cá']) {
      expect(rank(loaded, q).slice(0, 5)).toEqual(rank(built, q).slice(0, 5));
      expect(rank(rebuilt, q).slice(0, 5)).toEqual(rank(built, q).slice(0, 5));
    }
    expect(built.size).toBe(catalog.size);
    expect(recordFields(catalog.get(catalog.summaries[0]!.code)!).name).toBe(catalog.summaries[0]!.name);
  });
});
