import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inForce, readFee } from '../../../src/catalogue/fee-terms.ts';
import type { Fee } from '../../../src/catalogue/procedure-record.ts';
import { feeAnswer, vnd } from '../../../src/core/answers/fee-answer.ts';
import { FeeActs } from '../../../src/knowledge/fee-acts.ts';
import { knowledgeBase } from '../../helpers/knowledge.ts';

const NO_ACTS = FeeActs.none();
const amounts = () => fc.integer({ min: 1, max: 99_999 }).map((n) => n * 1000);
const units = () => fc.constantFrom('lần', 'bản', 'trang', 'thẻ căn cước', 'hộ chiếu', 'giấy phép');
const dates = () =>
  fc
    .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
const written = (iso: string) => iso.split('-').reverse().join('/');
const fee = (text: string, kind: Fee['kind'] = 'amounts'): Fee => ({ kind, amounts: [], acts: [], text });
const channel = (text: string, mode: 'counter' | 'online' = 'counter') => ({
  mode,
  duration: null,
  fee: fee(text),
  description: '',
  legalReference: [],
});

describe('reading a fee note (property-based)', () => {
  it('finds every amount with its unit, however the thousands are grouped', () => {
    fc.assert(
      fc.property(
        amounts(),
        units(),
        fc.constantFrom('.', ','),
        fc.constantFrom(' đồng', 'đ', ' VNĐ'),
        (n, unit, sep, currency) => {
          const digits = n.toLocaleString('en-US').replace(/,/g, sep);
          const terms = readFee(fee(`Miễn phí(- Lệ phí cấp: ${digits}${currency}/${unit})`)).terms;
          expect(terms.some((t) => t.amount === n && t.per === unit && t.currency === 'VND')).toBe(true);
        },
      ),
    );
  });

  it('drops a rate whose time has passed and keeps one that has not', () => {
    fc.assert(
      fc.property(amounts(), units(), dates(), dates(), (n, unit, until, day) => {
        const terms = readFee(fee(`Miễn phí(${vnd(n)}/${unit} (áp dụng đến hết ngày ${written(until)}))`)).terms;
        const term = terms.find((t) => t.amount === n)!;
        expect(term.until).toBe(until);
        expect(inForce(term, day)).toBe(day <= until);
        const answer = feeAnswer(
          { channels: [channel(`Miễn phí(${vnd(n)}/${unit} (áp dụng đến hết ngày ${written(until)}))`)] },
          day,
          NO_ACTS,
        );
        expect(answer.lines.join(' ').includes(vnd(n))).toBe(day <= until);
      }),
    );
  });

  it('applies a reduction in force on the day, and says until when', () => {
    fc.assert(
      fc.property(amounts(), fc.constantFrom(50, 70, 80), dates(), dates(), (n, percent, from, until) => {
        fc.pre(from <= until);
        const note = `${n.toLocaleString('de-DE')} Việt Nam Đồng(- Cấp đổi: ${vnd(n)}/thẻ. - Kể từ ngày ${written(from)} đến hết ngày ${written(until)} mức thu lệ phí bằng ${percent}% mức thu nêu trên.)`;
        const text = feeAnswer({ channels: [channel(note)] }, until, NO_ACTS).lines.join(' ');
        expect(text).toContain(vnd(Math.round((n * percent) / 100)));
        expect(text).toContain(
          `đến hết ngày ${Number(until.slice(8))}/${Number(until.slice(5, 7))}/${until.slice(0, 4)}`,
        );
        const after = new Date(Date.parse(until) + 86_400_000).toISOString().slice(0, 10);
        expect(feeAnswer({ channels: [channel(note)] }, after, NO_ACTS).lines.join(' ')).not.toContain('giảm');
      }),
    );
  });

  it('never says "free" when the note states an amount', () => {
    fc.assert(
      fc.property(amounts(), units(), (n, unit) => {
        const text = feeAnswer(
          { channels: [channel(`Miễn phí(Lệ phí: ${vnd(n)}/${unit})`)] },
          '2026-12-03',
          NO_ACTS,
        ).lines.join(' ');
        expect(text).not.toMatch(/miễn phí/i);
        expect(text).toContain(`${vnd(n)}/${unit}`);
      }),
    );
  });
});

interface TableRow {
  code: string;
  kind: 'amounts' | 'free' | 'by_act' | 'unknown';
  counter: { vnd?: number; usd?: number }[];
  notes: string;
}

/**
 * Records the reader found self-contradictory (no answer can match both halves): 2.000986 says free
 * while a step collects a fee; 1.012783's postal cell says free, its other cells cite the fee law.
 */
const CONTRADICTORY = new Set(['2.000986', '1.012783']);

describe('the fees of the 50 most asked procedures, against a table read by hand (tests/fixtures/fee-top50.json)', () => {
  const table = (
    JSON.parse(readFileSync(new URL('../../fixtures/fee-top50.json', import.meta.url), 'utf8')) as { rows: TableRow[] }
  ).rows;
  const kb = knowledgeBase();

  it.each(table.filter((r) => !CONTRADICTORY.has(r.code)).map((r) => [r.code, r] as const))('%s', (code, row) => {
    const answer = feeAnswer(kb.catalog.get(code)!, '2026-12-03', kb.feeActs);
    const text = answer.lines.join(' | ');
    const said = [...text.matchAll(/(\d{1,3}(?:\.\d{3})+|\d+) (?:đồng|USD)/gu)].map((m) =>
      Number(m[1]!.replace(/\./gu, '')),
    );
    expect(text).not.toMatch(/Danh mục ghi|Việt Nam Đồng/u);
    switch (row.kind) {
      case 'amounts':
        for (const a of row.counter) expect(said).toContain(a.vnd ?? a.usd);
        expect(text).not.toMatch(/^miễn phí$/iu);
        break;
      case 'free':
        expect(text).toMatch(/miễn phí/iu);
        expect(said).toEqual([]);
        break;
      case 'by_act':
        // The act or the council that sets it is said; never a bare "free".
        expect(text).toMatch(/theo|do HĐND|do UBND/iu);
        expect(text).not.toMatch(/^miễn phí$/iu);
        break;
      case 'unknown':
        expect(answer.stated).toBe(false);
        break;
    }
  });
});
