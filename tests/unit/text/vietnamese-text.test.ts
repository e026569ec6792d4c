import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDiacritics } from '../../../src/text/fold.ts';
import { vietnameseText } from '../../helpers/knowledge.ts';

const vt = vietnameseText();

describe('VietnameseText.normalize', () => {
  it('unifies old and new tone placement on the old style the catalogue uses', () => {
    expect(vt.normalize('hoà thuý khoẻ')).toBe('hòa thúy khỏe');
    expect(vt.normalize('hòa thúy khỏe')).toBe('hòa thúy khỏe');
  });

  it('keeps the tone on the main vowel after qu and gi and before a final consonant', () => {
    expect(vt.normalize('quý già gì hoàn thuyết')).toBe('quý già gì hoàn thuyết');
  });

  it('composes decomposed (NFD) input', () => {
    expect(vt.normalize('Thu\u0323 ly\u0301')).toBe('thụ lý');
  });

  it('repairs leftover Telex keystrokes', () => {
    expect(vt.normalize('lys lichj tuw phaps')).toBe('lý lịch tư pháp');
    expect(vt.normalize('ddaats ddai')).toBe('đất đai');
    expect(vt.fold('khai sinhf')).toBe('khai sinh');
  });

  it('repairs leftover VNI keystrokes but never driving-licence classes', () => {
    expect(vt.normalize('ly1 lich5 tu7 pha1p')).toBe('lý lịch tư pháp');
    expect(vt.normalize('hạng B2 A1')).toBe('hạng b2 a1');
  });

  it('leaves English words and codes alone', () => {
    expect(vt.normalize('thanks passport online')).toContain('passport online');
    expect(vt.normalize('3.000333')).toBe('3.000333');
  });

  it('expands general and domain abbreviations', () => {
    expect(vt.normalize('ko dc')).toBe('không được');
    expect(vt.normalize('đc')).toBe('được');
    expect(vt.normalize('gplx')).toBe('giấy phép lái xe');
    expect(vt.normalize('lltp')).toBe('lý lịch tư pháp');
    expect(vt.fold('gcn qsdđ')).toBe('giay chung nhan quyen su dung dat');
  });

  it('chooses a contextual expansion by its neighbours', () => {
    expect(vt.normalize('hết bn tiền')).toBe('hết bao nhiêu tiền');
    expect(vt.normalize('bn ơi')).toBe('bạn ơi');
    expect(vt.normalize('dk kinh doanh')).toBe('đăng ký kinh doanh');
    expect(vt.normalize('ko dk')).toBe('không được');
  });

  it('does not read an accented word as teencode', () => {
    expect(vt.normalize('sổ hồng')).toBe('sổ hồng');
  });

  it('keeps the inner punctuation of dossier codes, amounts and dates', () => {
    expect(vt.normalize('Mã: 000.00.12.H34-231012-0001!! ngày 12/10/2023, 135.000 đồng.')).toBe(
      'mã 000.00.12.h34-231012-0001 ngày 12/10/2023 135.000 đồng',
    );
  });

  it('reads known emoji as words and drops the rest', () => {
    expect(vt.normalize('cảm ơn 👍')).toBe('cảm ơn ok');
    expect(vt.analyze('🎉🎉').symbolsOnly).toBe(true);
    expect(vt.analyze('').symbolsOnly).toBe(false);
  });

  it('drops control characters, invisible characters and lone surrogates', () => {
    expect(vt.normalize('xin\u0000 chào\u200b\u0007 \ud800ad')).toBe('xin chào admin');
  });
});

describe('VietnameseText.analyze', () => {
  it('gives folded syllable tokens and bigrams', () => {
    const a = vt.analyze('Đăng ký thường trú');
    expect(a.tokens).toEqual(['dang', 'ky', 'thuong', 'tru']);
    expect(a.bigrams).toEqual(['dang ky', 'ky thuong', 'thuong tru']);
  });
});

const vietnameseish = fc.string({
  unit: fc.constantFrom(
    ...'aăâbcdđeêghiklmnoôơpqrstuưvxyzAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ0123456789 .,-/:@!?sfrxjw\u0300\u0301\u0309\u0303\u0323👍🎉\u0000\u200b',
  ),
  maxLength: 60,
});
const anyText = fc.oneof(vietnameseish, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }));

describe('text properties', () => {
  it('normalisation is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = vt.normalize(s);
        expect(vt.normalize(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('folding is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = foldDiacritics(s);
        expect(foldDiacritics(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('folding never drops an ASCII letter or digit', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const folded = foldDiacritics(s);
        const count = (t: string, ch: string) => [...t].filter((c) => c === ch).length;
        for (const ch of new Set(s.match(/[A-Za-z0-9]/g) ?? [])) {
          expect(count(folded, ch)).toBeGreaterThanOrEqual(count(s, ch));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('folded output has no diacritics and no đ', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(vt.fold(s)).not.toMatch(/[\u0300-\u036f]|[đĐ]/u);
      }),
      { numRuns: 1000 },
    );
  });
});
