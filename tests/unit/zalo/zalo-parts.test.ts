import { describe, expect, it } from 'vitest';
import { buttonsFor } from '../../../adapters/zalo/zalo-adapter.ts';

describe('Zalo buttons', () => {
  it('are the quick replies, then buttons opening the source link and calling the hotline, at most 5', () => {
    const text =
      'Dạ, lệ phí 135.000 đồng.\nNguồn: https://dichvucong.gov.vn/thu-tuc/abc. Đường dây nóng 0258 3563 999.';
    const buttons = buttonsFor(text, ['Giấy tờ', 'Thời hạn']);
    expect(buttons).toEqual([
      { title: 'Giấy tờ', type: 'oa.query.hide', payload: 'Giấy tờ' },
      { title: 'Thời hạn', type: 'oa.query.hide', payload: 'Thời hạn' },
      { title: 'Xem chi tiết', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn/thu-tuc/abc' } },
      { title: 'Gọi tổng đài', type: 'oa.open.phone', payload: { phone_code: '02583563999' } },
    ]);
    const full = buttonsFor(text, ['1', '2', '3', '4', '5', '6']);
    expect(full).toHaveLength(5);
    expect(full.map((b) => b.type)).toContain('oa.open.url');
    expect(buttonsFor('Dạ, em chào anh/chị.', ['Gặp cán bộ'])).toEqual([
      { title: 'Gặp cán bộ', type: 'oa.query.hide', payload: 'Gặp cán bộ' },
    ]);
    // A dossier code is not a phone number.
    expect(buttonsFor('Hồ sơ 000.00.12.H34-231012-0001 đã có kết quả.', []).map((b) => b.type)).not.toContain(
      'oa.open.phone',
    );
  });
});
