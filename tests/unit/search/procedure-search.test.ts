import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateSearch, loadDevQueries } from '../../../src/search/search-evaluation.ts';
import { knowledgeBase } from '../../helpers/knowledge.ts';

const { search, catalog } = knowledgeBase();
const top = (q: string) => search.search(q, 5)[0]?.code;

describe('ProcedureSearch', () => {
  it('finds a procedure typed without diacritics', () => {
    expect(top('doi giay phep lai xe')).toBe('3.000347');
  });

  it('tells apart procedures that differ by one verb', () => {
    expect(top('cấp lại giấy phép lái xe')).toBe('3.000348');
    expect(top('đổi giấy phép lái xe')).toBe('3.000347');
  });

  it('prefers the province-level variant of procedures sharing a name', () => {
    const hits = search.search('cấp phiếu lý lịch tư pháp', 5);
    expect(hits[0]?.code).toBe('3.000333');
    expect(catalog.get(hits[0]!.code)?.levels).toContain('province');
  });

  it('understands abbreviations and colloquial names through the alias file', () => {
    expect(top('lltp')).toBe('3.000333');
    expect(search.search('sổ đỏ', 5).map((h) => h.code)).toContain('1.013978');
  });

  it('repairs Telex leftovers before searching', () => {
    expect(top('lys lichj tuw phaps')).toBe('3.000333');
  });

  it('returns a procedure given its national code', () => {
    expect(search.search('thủ tục 3.000333', 5)).toEqual([expect.objectContaining({ code: '3.000333', score: 1 })]);
  });

  it('returns nothing for what the catalogue does not hold', () => {
    expect(search.search('giá vàng hôm nay', 5)).toEqual([]);
    expect(search.search('thời tiết nha trang ngày mai', 5)).toEqual([]);
  });

  it('ranks by score, within [0, 1], and honours the limit', () => {
    const hits = search.search('đăng ký', 3);
    expect(hits.length).toBeLessThanOrEqual(3);
    for (const h of hits) expect(h.score).toBeGreaterThan(0);
    for (const h of hits) expect(h.score).toBeLessThanOrEqual(1);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('survives bad input with an empty result', () => {
    for (const bad of ['', '   ', '🎉🎉🎉', '\u0000\u0001\u0007', '\ud800\udfff\ud800', 'x'.repeat(10_000), '!!!???']) {
      expect(() => search.search(bad, 5)).not.toThrow();
    }
    expect(search.search('🎉🎉🎉', 5)).toEqual([]);
    expect(search.search('\u0000\u0001', 5)).toEqual([]);
  });
});

describe('search quality on the development set', () => {
  const devSet = fileURLToPath(new URL('../../dev-sets/search-queries.jsonl', import.meta.url));
  const result = evaluateSearch(loadDevQueries(devSet), (q) => search.search(q, 5));

  it('has at least 150 queries', () => {
    expect(result.total).toBeGreaterThanOrEqual(150);
  });

  it('holds the accuracy floor', () => {
    expect(result.top1 / result.total).toBeGreaterThanOrEqual(SEARCH_FLOOR.top1);
    expect(result.top3 / result.total).toBeGreaterThanOrEqual(SEARCH_FLOOR.top3);
  });
});

/**
 * Floor for the development set (reached: 93.9% top-1, 97.1% top-3); see README "Search quality".
 * The foundation issue asks for 90% / 97%.
 */
const SEARCH_FLOOR = { top1: 0.9, top3: 0.97 };

describe('ProcedureSearch pruning', () => {
  it('returns what scoring every candidate would: no better relevant procedure is left out', () => {
    const { search } = knowledgeBase();
    const files = ['search-queries', 'search-holdout-a', 'search-holdout-b'];
    const queries = files.flatMap((f) =>
      loadDevQueries(new URL(`../../dev-sets/${f}.jsonl`, import.meta.url).pathname).map((q) => q.query),
    );
    for (const query of queries.filter((q) => q.split(' ').length <= 40)) {
      const hits = search.search(query, 3);
      const everything = search.explain(query, 10_000).filter((c) => c.relevant);
      const worst = hits.at(-1)?.score ?? Infinity;
      const left = everything.filter((c) => !hits.some((h) => h.code === c.code));
      expect(
        hits.every((h) => everything.some((c) => c.code === h.code)),
        query,
      ).toBe(true);
      if (hits.length === 3)
        expect(
          left.every((c) => c.score <= worst),
          query,
        ).toBe(true);
      else expect(left, query).toEqual([]);
    }
  });
});
