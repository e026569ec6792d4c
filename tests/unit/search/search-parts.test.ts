import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AliasTable } from '../../../src/search/alias-table.ts';
import { ContextSpeller, editDistance, soundAlikes } from '../../../src/search/context-speller.ts';
import { searchWords } from '../../../src/search/search-tokens.ts';
import { TokenIndex } from '../../../src/search/token-index.ts';
import { knowledgeBase, vietnameseText } from '../../helpers/knowledge.ts';

const text = vietnameseText();
const words = (s: string) => searchWords(text, s);

describe('searchWords', () => {
  it('folds, unifies final y/i and spells small numbers, keeping what the citizen typed', () => {
    expect(words('Đăng kí 1 lần').map((w) => w.folded)).toEqual(['dang', 'ki', 'mot', 'lan']);
    expect(words('đăng ký').map((w) => w.accented)).toEqual(['đăng', 'ký']);
    expect(words('năm 2024').map((w) => w.folded)).toEqual(['nam', '2024']);
  });
});

describe('TokenIndex', () => {
  const index = new TokenIndex([
    ['cap', 'lai', 'giay', 'phep'],
    ['doi', 'giay', 'phep'],
    ['cap', 'giay', 'phep', 'lai', 'xe'],
  ]);

  it('indexes words and adjacent pairs, with rarer terms weighing more', () => {
    expect([...index.docsWith('giay phep')]).toEqual([0, 1, 2]);
    expect([...index.docsWith('cap lai')]).toEqual([0]);
    expect(index.docHas(2, 'lai xe')).toBe(true);
    expect(index.docHas(1, 'lai xe')).toBe(false);
    expect(index.idf('doi')).toBeGreaterThan(index.idf('giay'));
    expect(index.idf('nothing')).toBe(0);
  });
});

describe('ContextSpeller', () => {
  const speller = new ContextSpeller([
    ['dang', 'ki', 'khai', 'sinh'],
    ['cap', 'ban', 'sao', 'trich', 'luc'],
  ]);

  it('corrects a misspelt word by its neighbours', () => {
    expect(speller.correct('sin', 'khai', undefined)).toBe('sinh');
    expect(speller.correct('trit', 'sao', 'luc')).toBe('trich');
  });

  it('leaves a word that pairs with a neighbour, or has nothing close', () => {
    expect(speller.correct('sinh', 'khai', undefined)).toBeNull();
    expect(speller.correct('xyzw', 'khai', undefined)).toBeNull();
    expect(speller.correct('sin', undefined, undefined)).toBeNull();
  });

  it('respells a real syllable only by a dialect confusion that pairs with a neighbour', () => {
    const residence = new ContextSpeller([
      ['dang', 'ki', 'tam', 'tru'],
      ['kinh', 'doanh'],
      ['kiem', 'dich'],
    ]);
    expect(residence.soundAlike('chu', 'tam', undefined)).toBe('tru');
    expect(residence.soundAlike('doan', 'kinh', undefined)).toBe('doanh');
    expect(residence.soundAlike('tiem', undefined, 'dich')).toBeNull();
    expect(soundAlikes('chu')).toContain('tru');
    expect(soundAlikes('xa')).toContain('sa');
  });

  it('measures edit distance and gives up past the bound', () => {
    expect(editDistance('trit', 'trich', 2)).toBe(2);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

describe('AliasTable', () => {
  const known = (code: string) => code !== '9.999999';

  async function withAliasFile(content: unknown, run: (path: string) => void): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'aliases-'));
    try {
      const path = join(dir, 'aliases.json');
      await writeFile(path, JSON.stringify(content));
      run(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('refuses an alias naming a procedure the catalogue does not have', async () => {
    await withAliasFile({ aliases: [{ alias: 'sổ đỏ', codes: ['9.999999'] }] }, (path) => {
      expect(() => AliasTable.fromFile(path, words, known)).toThrow(/sổ đỏ.*9\.999999/);
    });
  });

  it('matches alias phrases folded, longest first, and rewrites synonyms', async () => {
    const file = {
      aliases: [
        { alias: 'bằng lái', codes: ['3.000347'] },
        { alias: 'mất bằng lái', codes: ['3.000348'] },
      ],
      synonyms: [{ phrase: 'làm lại', means: 'cấp lại' }],
      missing: [{ alias: 'giấy phép lao động', why: 'Bộ Nội vụ' }],
    };
    await withAliasFile(file, (path) => {
      const table = AliasTable.fromFile(path, words, known);
      const matches = table.match(words('mat bang lai roi').map((w) => w.folded));
      expect(matches.map((m) => m.alias.codes)).toEqual([['3.000348']]);
      expect(table.rewriteSynonyms(words('lam lai cccd')).map((w) => w.folded)).toEqual([
        'cap',
        'lai',
        'can',
        'cuoc',
        'cong',
        'dan',
      ]);
      const scattered = table.match(words('xe bi mat bang roi lai').map((w) => w.folded));
      expect(scattered.map((m) => [m.alias.codes, m.positions])).toEqual([[['3.000348'], [2, 3, 5]]]);
      expect(table.match(words('mat xe may hom qua bang lai').map((w) => w.folded))).toEqual([
        expect.objectContaining({ positions: [5, 6] }),
      ]);
      const lookup = words('xin giay phep lao dong').map((w) => w.folded);
      expect(table.matchNotHandled(lookup, []).map((m) => m.phrase.why)).toEqual(['Bộ Nội vụ']);
    });
  });

  it('leaves an alias phrase as typed when a synonym overlaps it', async () => {
    const file = {
      aliases: [{ alias: 'xóa thế chấp', codes: ['1.011443'] }],
      synonyms: [{ phrase: 'thế chấp', means: 'biện pháp bảo đảm' }],
    };
    await withAliasFile(file, (path) => {
      const table = AliasTable.fromFile(path, words, known);
      const rewrite = (text: string) =>
        table
          .rewriteSynonyms(words(text))
          .map((w) => w.folded)
          .join(' ');
      expect(rewrite('xoa the chap so do')).toBe('xoa the chap so do');
      expect(rewrite('dang ky the chap')).toBe('dang ki bien phap bao dam');
    });
  });
});

describe('ProcedureSearch.explain', () => {
  it('shows the signals behind a ranking, so staff can see why a procedure came first', () => {
    const [top] = knowledgeBase().search.explain('đổi bằng lái', 3);
    expect(top?.code).toBe('3.000347');
    expect(top?.relevant).toBe(true);
    expect(top?.signals.aliasDoc).toBe(true);
    expect(top?.signals.wordCoverage).toBeGreaterThan(0.9);
  });

  it('never offers a procedure for something staff listed as not in the catalogue', () => {
    expect(knowledgeBase().search.search('xin giấy phép lao động cho người nước ngoài', 5)).toEqual([]);
  });
});

describe('ProcedureFinder', () => {
  it('of siblings that differ by their case or their action, ranks first the one whose name has the words the citizen used', () => {
    const { finder } = knowledgeBase();
    // «Cấp lại … (chứng chỉ bị cháy, bị mất …)» against «Cấp lại … (hết hạn)» and «Cấp mới …».
    expect(finder.findIn('chứng chỉ môi giới bất động sản bị cháy, xin cấp lại', 3)[0]!.code).toBe('1.012907');
    // «Mở khóa căn cước điện tử» against «Khóa căn cước điện tử».
    const unlock = finder.findIn('mo khoa can cuoc dien tu', 3);
    expect(unlock[0]!.code).toBe('3.000277');
    expect(unlock[0]!.nameRecall).toBeGreaterThan(unlock.find((f) => f.code === '3.000276')?.nameRecall ?? 0);
  });

  it('counts a two-syllable word whose syllables are common alone as one informative word, when asked to', () => {
    const { finder } = knowledgeBase();
    expect(finder.informativeWords(['ke', 'bien'])).toBe(0);
    expect(finder.informativeWords(['ke', 'bien'], true)).toBe(1);
  });
});
