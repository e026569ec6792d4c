import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/assistant.ts';
import { addressFormIn, addressed } from '../../../src/core/address-form.ts';
import { evaluateAnswers, sampleRecords } from '../../../src/core/answers/answer-quality.ts';
import { tidyText } from '../../../src/core/reply.ts';
import { PROCEDURE_ASPECTS } from '../../../src/nlu/intent-names.ts';
import { conversationWith, testAssistant } from '../../helpers/assistant.ts';
import { KNOWLEDGE_DIR } from '../../helpers/knowledge.ts';

let assistant: Assistant;
beforeAll(async () => {
  assistant = await testAssistant();
});
afterAll(() => assistant.close());

/** Digits of a number as a record may write it: "50.000", "50,000" and "50000" are one number. */
const digits = (s: string) => s.replace(/[.,]/gu, '');

describe('the plain-language cards of the most asked procedures (knowledge/procedure-summaries.json)', () => {
  it('say no number, date or form code that their record does not', () => {
    const cards = assistant.knowledge.summaries.all();
    expect(cards.length).toBeGreaterThanOrEqual(150);
    for (const card of cards) {
      const record = assistant.knowledge.catalog.get(card.code);
      expect(record, card.code).toBeDefined();
      const recordDigits = digits(JSON.stringify(record));
      for (const line of [card.bring, card.pay, card.time, card.where]) {
        for (const n of line.match(/\d+(?:[.,/-]\d+)*/gu) ?? []) {
          // A number as written, or its digits (the record may group thousands another way).
          expect(recordDigits.includes(digits(n)), `${card.code}: "${n}" in "${line}"`).toBe(true);
        }
      }
    }
  });

  it("are what the overview says, with the record's source link", async () => {
    const turn = await conversationWith(assistant)('lý lịch tư pháp là gì');
    const card = assistant.knowledge.summaries.get('3.000333')!;
    expect(turn.procedure).toBe('3.000333');
    expect(turn.text).toContain(`Mang theo: ${card.bring}`);
    expect(turn.text).toContain(`thời gian: ${card.time.charAt(0).toLowerCase()}${card.time.slice(1)}`);
    expect(turn.text).toContain(`Nộp tại: ${card.where}`);
    expect(turn.text).toContain('Nguồn: https://dichvucong.gov.vn/');
    expect(turn.text.length).toBeLessThanOrEqual(650);
  });
});

/** Everyday English words that have no business in a Vietnamese answer. */
const ENGLISH =
  /\b(?:the|and|with|from|should|please|sample|source|report|public|file|note|TODO|undefined|null|NaN)\b/u;
const FILE_PATH = /(?:^|[\s(])(?:\.{0,2}\/)?(?:[\w-]+\/)+[\w-]+\.(?:md|json|ts|js|jsonl|txt)\b|shared\/|knowledge\//u;

function citizenStrings(): string[] {
  const replies = JSON.parse(readFileSync(`${KNOWLEDGE_DIR}/replies.json`, 'utf8')) as Record<string, unknown>;
  const strings: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (key === '$comment' || key === 'sourceLabels' || key === 'english') return;
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, ''));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, k === 'aspectButtons' ? '' : k);
  };
  walk(replies, '');
  // Keys of aspectButtons are the buttons themselves.
  strings.push(...Object.keys((replies as { aspectButtons: Record<string, string> }).aspectButtons));
  for (const card of assistant.knowledge.summaries.all())
    strings.push(card.shortName, card.bring, card.pay, card.time, card.where);
  return strings;
}

describe('the copy a citizen reads', () => {
  it("holds no file path, no English word and no label said twice, in the reply texts, the cards and the center's answers", async () => {
    const say = conversationWith(assistant);
    const center = [];
    for (const q of [
      'mấy giờ mở cửa',
      'trung tâm ở đâu',
      'số điện thoại trung tâm',
      'lấy số thứ tự ở đâu',
      'gửi kết quả qua bưu điện được không',
    ])
      center.push((await say(q)).text);
    for (const s of [...citizenStrings(), ...center]) {
      expect(s, s).not.toMatch(FILE_PATH);
      expect(s.replace(/https?:\/\/\S+/gu, ''), s).not.toMatch(ENGLISH);
      expect(tidyText(s), s).toBe(s.replace(/ {2,}/gu, ' '));
    }
  });

  it('answers every aspect of a sample of the catalogue without a cut sentence, a raw quote or a doubled label', () => {
    const records = sampleRecords([...assistant.knowledge.catalog.records()], 120);
    for (const r of records) {
      for (const aspect of PROCEDURE_ASPECTS) {
        for (const reply of assistant.answers.answer(r, aspect, { day: '2026-12-03', firstMention: true })) {
          const words = reply.text.replace(/https?:\/\/\S+/gu, '');
          expect(words, `${r.code} ${aspect}`).not.toMatch(/…|Danh mục ghi|Việt Nam Đồng|(?<!\d)0 bản/u);
          expect(words, `${r.code} ${aspect}`).not.toMatch(FILE_PATH);
        }
      }
    }
  });

  it('keeps fee, duration, place and documents clean for at least 97% of a 300-procedure sample (npm run eval:answers)', () => {
    const report = evaluateAnswers(sampleRecords([...assistant.knowledge.catalog.records()], 300), assistant.answers, {
      day: '2026-12-03',
      firstMention: true,
    });
    expect(report.clean / report.procedures).toBeGreaterThanOrEqual(0.97);
  });

  it('says a label once where a template meets a value that repeats it, and writes weekdays in a sentence in lower case', () => {
    expect(tidyText('Đường dây nóng Đường dây nóng: 0258 000 0000')).toBe('Đường dây nóng: 0258 000 0000');
    expect(tidyText('Dạ, cán bộ Cán bộ thử nghiệm đã nhận hỗ trợ')).toBe('Dạ, Cán bộ thử nghiệm đã nhận hỗ trợ');
    expect(tidyText('Dạ, Trung tâm làm việc Thứ Hai đến Thứ Sáu.')).toBe('Dạ, Trung tâm làm việc thứ Hai đến thứ Sáu.');
    expect(tidyText('Phí 2.000 đồng/trang, ba ba')).toBe('Phí 2.000 đồng/trang, ba ba');
  });
});

describe("one form of address per conversation, the citizen's own", () => {
  it("hears the citizen's form in their words, with or without diacritics", () => {
    expect(addressFormIn('Bác bán chiếc xe máy cho thằng cháu, làm sao con?')).toBe('bác');
    expect(addressFormIn('tui 62 tuoi, nop o mo vay con')).toBe('bác');
    expect(addressFormIn('chú năm ni 66 tuổi rồi, còn vô được hông')).toBe('chú');
    expect(addressFormIn('cho anh hỏi làm sổ đỏ')).toBe('anh');
    expect(addressFormIn('chị muốn hỏi thủ tục khai sinh')).toBe('chị');
    expect(addressFormIn('cho em hỏi lltp')).toBeNull();
    expect(addressFormIn('co can mang cccd ko')).toBeNull();
    expect(addressFormIn('ba em mới mất, làm giấy khai tử')).toBeNull();
  });

  it('changes only the assistant\'s own "em" and the citizen\'s "anh/chị", never "trẻ em" or "anh em"', () => {
    expect(addressed('Dạ, em chào anh/chị! Em giúp gì được ạ? Giấy khai sinh của trẻ em; anh em ruột.', 'bác')).toBe(
      'Dạ, cháu chào bác! Cháu giúp gì được ạ? Giấy khai sinh của trẻ em; anh em ruột.',
    );
    expect(addressed('Dạ, em chào anh/chị!', null)).toBe('Dạ, em chào anh/chị!');
  });

  it('keeps the form the citizen showed for the rest of the conversation', async () => {
    const say = conversationWith(assistant);
    const first = await say('bác hỏi làm lý lịch tư pháp cần giấy tờ gì con');
    expect(first.text).not.toMatch(/anh\/chị/iu);
    const later = await say('cảm ơn');
    expect(later.text).toMatch(/bác/iu);
    expect(later.text).not.toMatch(/anh\/chị|(?<!\p{L})em(?!\p{L})/iu);
    const other = await conversationWith(assistant)('cảm ơn');
    expect(other.text).toMatch(/anh\/chị/iu);
  });
});
