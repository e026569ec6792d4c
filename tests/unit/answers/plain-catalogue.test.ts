import { describe, expect, it } from 'vitest';
import { documentChecklist } from '../../../src/catalogue/document-checklist.ts';
import { plainDuration, plainPlace, stepLines } from '../../../src/catalogue/plain-facts.ts';
import type { ProcedureRecord } from '../../../src/catalogue/procedure-record.ts';
import { SHORT_NAME_MAX } from '../../../src/catalogue/short-names.ts';
import { knowledgeBase } from '../../helpers/knowledge.ts';

const kb = knowledgeBase();
const records: ProcedureRecord[] = [...kb.catalog.records()];

describe('short names', () => {
  it('gives every one of the 2,642 procedures a short name of at most 60 characters, no two alike', () => {
    expect(records.length).toBe(2642);
    const seen = new Map<string, string>();
    for (const r of records) {
      const short = kb.shortNames.get(r.code);
      expect(short, r.code).toBeDefined();
      expect(short!.length, `${r.code} ${short}`).toBeLessThanOrEqual(SHORT_NAME_MAX);
      expect(short!.length, r.code).toBeGreaterThanOrEqual(4);
      expect(short, r.code).not.toMatch(/^thủ tục\s/iu);
      // Brackets are balanced, and a name never ends on a word that opens a phrase.
      expect((short!.match(/\(/gu) ?? []).length, short).toBe((short!.match(/\)/gu) ?? []).length);
      expect(short, r.code).not.toMatch(/\s(?:của|cho|và|hoặc|đối với|tại|các)$/u);
      const key = short!.toLocaleLowerCase('vi');
      expect(seen.get(key), `${r.code} and ${seen.get(key)} are both "${short}"`).toBeUndefined();
      seen.set(key, r.code);
    }
  });

  it("uses the staff's curated name for the most asked procedures", () => {
    expect(kb.shortNames.get('3.000333')).toBe(kb.summaries.get('3.000333')!.shortName);
    expect(kb.summaries.all().length).toBeGreaterThanOrEqual(150);
    for (const card of kb.summaries.all()) expect(kb.shortNames.get(card.code)).toBe(card.shortName);
  });
});

describe('documents as a checklist', () => {
  it('puts the birth certificate in the common case of birth registration, not the 33 catalogue rows', () => {
    const list = documentChecklist(kb.catalog.get('1.001193')!);
    const common = list.common.map((d) => d.text);
    expect(common).toContain('Giấy chứng sinh');
    expect(common[0]).toMatch(/^Tờ khai/u);
    expect(common.length).toBeLessThanOrEqual(6);
    expect(common.join('\n')).not.toMatch(/bỏ rơi|mang thai hộ|ủy quyền/u);
    expect(list.special.map((d) => d.text).join('\n')).toMatch(/bỏ rơi/u);
    expect(list.dropped).toBeGreaterThan(10);
  });

  it('keeps authorisation papers and forms of other cases out of the common list of the criminal record certificate', () => {
    const list = documentChecklist(kb.catalog.get('3.000333')!);
    expect(list.common[0]!.form).toBe('Mẫu số 01/2025/LLTP');
    expect(list.common.some((d) => /ủy quyền/u.test(d.text) || d.form === 'Mẫu số 02/2025/LLTP')).toBe(false);
  });

  it('never lists a row that asks for nothing, nor a case as a common paper, in any record', () => {
    for (const r of records) {
      const list = documentChecklist(r);
      for (const d of [...list.common, ...list.special]) expect(d.quantity, `${r.code} ${d.text}`).not.toMatch(/^0 /u);
      for (const d of list.common) expect(d.text, r.code).not.toMatch(/^(?:Trường hợp|Đối với|Nếu)\s/u);
      const forms = list.common.findIndex(
        (d) => d.form === null && !/^(?:Tờ khai|Đơn|Mẫu|Phiếu|Bản khai|Giấy đề nghị|Văn bản đề nghị)/iu.test(d.text),
      );
      const laterForm = list.common.findIndex((d, i) => i > forms && d.form !== null);
      if (forms >= 0) expect(laterForm, `${r.code}: a form after a plain paper`).toBe(-1);
    }
  });
});

describe('durations, places and steps in plain words', () => {
  it('states a unit with every duration and never shows a bare number as one', () => {
    for (const r of records) {
      for (const c of r.channels) {
        const d = c.duration === null ? null : plainDuration(c.duration);
        if (d !== null) expect(d, `${r.code} ${c.duration!.text}`).toMatch(/ngày|giờ|tháng/u);
        if (c.duration !== null && /^\s*\d+(?:[.,]\d+)?\s*$/u.test(c.duration.text)) expect(d, r.code).toBeNull();
      }
    }
  });

  it('says a place, not a clause of the steps, for birth registration', () => {
    const place = plainPlace(kb.catalog.get('1.001193')!);
    expect(place).not.toMatch(/thông báo|tình trạng hồ sơ|bước/u);
    expect(place).toMatch(/UBND xã/u);
  });

  it('reads the place the file is sent to out of a sentence ("gửi hồ sơ … đến Cơ quan đăng ký kinh doanh cấp xã")', () => {
    expect(plainPlace(kb.catalog.get('1.001612')!)).toMatch(/^Cơ quan đăng ký kinh doanh cấp xã/u);
  });

  it('makes steps one action a line, never cut mid-sentence, numbered items first', () => {
    const steps = stepLines(kb.catalog.get('3.000333')!);
    expect(steps[0]).toMatch(/đăng nhập/u);
    expect(steps.length).toBe(6);
    for (const r of records) for (const s of stepLines(r)) expect(s, r.code).not.toMatch(/…|\.\.\.$/u);
  });
});
