import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalDossierCode, extractEntities } from '../../../src/nlu/message-entities.ts';

const today = new Date('2026-11-26T08:00:00Z');
const found = (text: string) => extractEntities(text, today).map((e) => [e.type, e.value]);

describe('extractEntities', () => {
  it('finds a dossier code with its agency, date and sequence, in any case and with stray spaces', () => {
    const [code] = extractEntities('hồ sơ 000.00.12.H34-231012-0001 đến đâu rồi', today);
    expect(code).toMatchObject({
      type: 'dossier_code',
      value: '000.00.12.H34-231012-0001',
      agency: '000.00.12.H34',
      date: '2023-10-12',
      sequence: '0001',
    });
    expect(found('ma ho so 000.00.12.h34 - 231012 - 0001')).toEqual([['dossier_code', '000.00.12.H34-231012-0001']]);
    expect(found('H34.22-240115-0032')).toEqual([['dossier_code', 'H34.22-240115-0032']]);
    expect(canonicalDossierCode(' 000. 00. 12.h34-231012-0001 ')).toBe('000.00.12.H34-231012-0001');
  });

  it('refuses a dossier code whose date does not exist', () => {
    expect(found('000.00.12.H34-231332-0001')).toEqual([]);
  });

  it('finds phone numbers in the usual Vietnamese forms, as 0-prefixed digits', () => {
    expect(found('sdt em 0905 123 456')).toEqual([['phone', '0905123456']]);
    expect(found('+84 905.123.456')).toEqual([['phone', '0905123456']]);
    expect(found('gọi 0258 3822 123')).toEqual([['phone', '02583822123']]);
    expect(found('số 0123')).toEqual([]);
  });

  it('finds a 12-digit citizen ID number, typed whole or in groups, and not a phone number', () => {
    expect(found('cccd 056190001234')).toEqual([['citizen_id', '056190001234']]);
    expect(found('cccd 056 190 001 234')).toEqual([['citizen_id', '056190001234']]);
    expect(found('0905123456')).toEqual([['phone', '0905123456']]);
  });

  it('finds dates in numbers, in words and relative to today', () => {
    expect(found('nộp ngày 12/10/2023, hẹn 20/10')).toEqual([
      ['date', '2023-10-12'],
      ['date', '2026-10-20'],
    ]);
    expect(found('ngay 5 thang 3 nam 2024')).toEqual([['date', '2024-03-05']]);
    expect(found('hôm qua em nộp')).toEqual([['date', '2026-11-25']]);
    expect(found('31/02/2024')).toEqual([]);
  });

  it('does not read amounts, procedure codes or licence classes as entities', () => {
    expect(found('phí 135.000 đồng, mã 3.000333, bằng B2')).toEqual([]);
  });

  it('never throws and keeps entity spans inside the text, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        for (const e of extractEntities(text, today)) {
          expect(text.slice(e.start, e.end)).toBe(e.text);
        }
      }),
    );
  });
});

describe('stripPersonalDetails', () => {
  it('takes phone and ID numbers out of the question, with the words that label them', async () => {
    const { stripPersonalDetails } = await import('../../../src/nlu/personal-details.ts');
    const strip = (t: string) => stripPersonalDetails(t, extractEntities(t, today)).replace(/\s+/g, ' ').trim();
    expect(strip('sđt em 0905123456, cccd 056190001234, làm lltp cần gì')).toBe(', , làm lltp cần gì');
    expect(strip('số điện thoại của tôi là 0905 123 456 nhé')).toBe('nhé');
    expect(strip('cho xin sđt trung tâm')).toBe('cho xin sđt trung tâm');
  });
});
