import { NlpManager } from 'node-nlp';
import { describe, expect, it } from 'vitest';
import { LangVi } from '../../../src/nlu/lang-vi/lang-vi.ts';
import { NormalizerVi } from '../../../src/nlu/lang-vi/normalizer-vi.ts';
import { TokenizerVi } from '../../../src/nlu/lang-vi/tokenizer-vi.ts';
import { vietnameseText } from '../../helpers/knowledge.ts';

describe('LangVi', () => {
  it('registers normalizer-vi, tokenizer-vi, stemmer-vi and stopwords-vi in a fresh node-nlp container', () => {
    const { container } = new NlpManager({ languages: ['vi'], autoSave: false, autoLoad: false });
    expect(container.get('normalizer-vi')).toBeUndefined();
    new LangVi(vietnameseText()).register(container);
    expect(container.get('normalizer-vi')).toBeInstanceOf(NormalizerVi);
    expect(container.get('tokenizer-vi')).toBeInstanceOf(TokenizerVi);
    expect(container.get('stemmer-vi')).toMatchObject({ name: 'stemmer-vi' });
    expect(container.get('stopwords-vi')).toMatchObject({ name: 'stopwords-vi' });
  });

  it('normalises through our text module: đ folded, abbreviations expanded, keystrokes repaired', () => {
    const normalizer = new NormalizerVi(vietnameseText());
    expect(normalizer.normalize('Đăng ký')).toBe('dang ky');
    expect(normalizer.normalize('lam gplx ko dc')).toBe('lam giay phep lai xe khong duoc');
    expect(normalizer.normalize('lys lichj tuw phaps')).toBe('ly lich tu phap');
  });

  it('tokenises into syllables and adjacent pairs, so "bao nhiêu" and "bao lâu" differ', () => {
    const tokens = new TokenizerVi().tokenize('phi bao nhieu');
    expect(tokens).toEqual(['phi', 'bao', 'nhieu', 'phi_bao', 'bao_nhieu']);
    expect(new TokenizerVi().tokenize('bao lau')).toContain('bao_lau');
  });

  it('is what node-nlp uses when training and classifying Vietnamese', async () => {
    const manager = new NlpManager({ languages: ['vi'], autoSave: false, autoLoad: false, nlu: { log: false } });
    new LangVi(vietnameseText()).register(manager.container);
    manager.addDocument('vi', 'đổi giấy phép lái xe', 'a');
    manager.addDocument('vi', 'giờ mở cửa', 'b');
    await manager.train();
    // Typed without diacritics and abbreviated: only our normaliser makes it the same text.
    expect((await manager.process('vi', 'doi gplx')).intent).toBe('a');
  });
});
