import { describe, expect, it } from 'vitest';
import { redactPersonalDetails } from '../../../src/nlu/personal-details.ts';

describe('redactPersonalDetails (what is kept of a question for staff)', () => {
  it('replaces phone, ID and dossier numbers by what they were', () => {
    expect(redactPersonalDetails('sđt 0905123456 cccd 056190001234 hỏi làm lltp')).toBe(
      'sđt [số điện thoại] cccd [số giấy tờ] hỏi làm lltp',
    );
    expect(redactPersonalDetails('hồ sơ 000.00.12.H34-231012-0001 sao rồi')).toBe('hồ sơ [mã hồ sơ] sao rồi');
  });

  it('takes out names, with or without diacritics, and e-mail addresses', () => {
    expect(redactPersonalDetails('tôi là Nguyễn Văn Bình, hỏi thủ tục khai sinh')).not.toMatch(/Nguyễn|Bình/);
    expect(redactPersonalDetails('Tran Thi Mai hoi ve ho chieu')).toBe('[tên] hoi ve ho chieu');
    expect(redactPersonalDetails('tên em là mai, mail mai.tran@example.com')).not.toMatch(/mai\.tran|example/);
  });

  it('leaves a question with nothing personal as it was', () => {
    expect(redactPersonalDetails('Đăng ký khai sinh cho con cần giấy tờ gì')).toBe(
      'Đăng ký khai sinh cho con cần giấy tờ gì',
    );
    expect(redactPersonalDetails('giờ làm việc Trung tâm Phục vụ hành chính công')).toBe(
      'giờ làm việc Trung tâm Phục vụ hành chính công',
    );
  });
});
