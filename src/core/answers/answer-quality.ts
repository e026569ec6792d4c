import { namesAPlace } from '../../catalogue/plain-facts.ts';
import type { ProcedureRecord } from '../../catalogue/procedure-record.ts';
import { PROCEDURE_ASPECTS, type ProcedureAspect } from '../../nlu/intent-names.ts';
import type { Reply } from '../reply.ts';
import type { AnswerContext, ProcedureAnswers } from './procedure-answers.ts';

/**
 * What makes an answer usable by a citizen on a phone, checked on what the bot would send: no quote
 * of a catalogue cell, a unit on every amount and duration, a place that is a place, no "0 bản", no
 * sentence cut with "…", and a source link. `npm run eval:answers` runs it over a sample of the
 * catalogue; tests hold its figure.
 */
const CHECKED_ASPECTS = [
  'procedure_fee',
  'procedure_duration',
  'procedure_where',
  'procedure_documents',
] as const satisfies readonly ProcedureAspect[];

const RAW_QUOTE = /Danh mục ghi|"[^"]{30,}"|Miễn phí\(|Việt Nam Đồng/u;
const CUT = /…|\.\.\./u;
/** An amount: grouped thousands or four digits and more. */
const AMOUNT = /(?<![\d/.,])\d{1,3}(?:\.\d{3})+(?![\d/])|(?<![\d/.,])\d{4,}(?![\d/.,])/gu;

/** The problems of one answer for one aspect (empty when it is clean). */
function answerProblems(aspect: ProcedureAspect, replies: readonly Reply[]): string[] {
  const text = replies.map((r) => r.text).join('\n');
  // The link and a phone number are not the answer's words.
  // The link, a phone number and the procedure's name («…», which may hold "02 xã", "10%") are not the answer's own words.
  const words = text
    .replace(/https?:\/\/\S+/gu, '')
    .replace(/\b0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}\b/gu, '')
    .replace(/«[^»]*»/gu, '«»');
  const problems: string[] = [];
  if (!/Nguồn: https?:\/\//u.test(text)) problems.push('no source link');
  if (RAW_QUOTE.test(words)) problems.push('raw catalogue quote');
  if (CUT.test(words)) problems.push('cut sentence');
  if (/(?<!\d)0 bản/u.test(words)) problems.push('"0 bản"');
  switch (aspect) {
    case 'procedure_fee':
      for (const m of words.matchAll(AMOUNT)) {
        if (/^\d{4}$/u.test(m[0]) && Number(m[0]) >= 1990 && Number(m[0]) <= 2100) continue; // a year
        // "1.600 GT", "5.000 m3": a size, not money.
        if (
          !/^\s?(?:đồng|USD|GT|m2|m3|m|km|ha|tấn|kg|%|người|lao động|trang|bản)/u.test(
            words.slice(m.index + m[0].length),
          )
        )
          problems.push(`amount without unit: ${m[0]}`);
      }
      break;
    case 'procedure_duration': {
      const body = words.split('\n').filter((l) => !l.startsWith('Nguồn'));
      for (const line of body) {
        for (const m of line.matchAll(/(?<![\d/.,])\d+(?:,\d+)?(?![\d/.,])/gu)) {
          if (!/^\s(?:ngày|giờ|tháng|năm)/u.test(line.slice(m.index + m[0].length)))
            problems.push(`duration without unit: ${m[0]}`);
        }
      }
      break;
    }
    case 'procedure_where': {
      const place = /nộp tại: ([^\n]+)/u.exec(words)?.[1] ?? '';
      if (!namesAPlace(place)) problems.push(`not a place: ${place.slice(0, 60)}`);
      break;
    }
    default:
      break;
  }
  return problems;
}

export interface AnswerReport {
  procedures: number;
  /** Procedures whose fee, duration, place and documents answers are all clean. */
  clean: number;
  byAspect: Map<ProcedureAspect, { clean: number; lengths: number[] }>;
  /** The unclean ones: code, aspect, problems. */
  rest: { code: string; aspect: ProcedureAspect; problems: string[] }[];
}

/** Every `step`-th record of the catalogue in code order: a sample spread over all ministries and fields. */
export function sampleRecords(records: readonly ProcedureRecord[], size: number): ProcedureRecord[] {
  const sorted = [...records].sort((a, b) => (a.code < b.code ? -1 : 1));
  const step = Math.max(1, sorted.length / size);
  const out: ProcedureRecord[] = [];
  for (let i = 0; out.length < size && Math.floor(i) < sorted.length; i += step) out.push(sorted[Math.floor(i)]!);
  return out;
}

export function evaluateAnswers(
  records: readonly ProcedureRecord[],
  answers: ProcedureAnswers,
  context: AnswerContext,
): AnswerReport {
  const report: AnswerReport = { procedures: records.length, clean: 0, byAspect: new Map(), rest: [] };
  for (const aspect of PROCEDURE_ASPECTS) report.byAspect.set(aspect, { clean: 0, lengths: [] });
  for (const record of records) {
    let allClean = true;
    for (const aspect of PROCEDURE_ASPECTS) {
      const replies = answers.answer(record, aspect, context);
      const problems = answerProblems(aspect, replies);
      const tally = report.byAspect.get(aspect)!;
      tally.lengths.push(replies[0]?.text.length ?? 0);
      if (problems.length === 0) tally.clean += 1;
      else if ((CHECKED_ASPECTS as readonly string[]).includes(aspect) || problems.some((p) => p !== 'no source link'))
        report.rest.push({ code: record.code, aspect, problems });
      if ((CHECKED_ASPECTS as readonly string[]).includes(aspect) && problems.length > 0) allClean = false;
    }
    if (allClean) report.clean += 1;
  }
  return report;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export function formatAnswerReport(r: AnswerReport, details: boolean): string {
  const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
  const lines = [
    `answers for ${r.procedures} procedures: fee, duration, place and documents all clean for ${r.clean} (${pct(r.clean, r.procedures)})`,
    '  aspect                  clean    median  p95 (characters of the first message)',
  ];
  for (const [aspect, t] of r.byAspect) {
    lines.push(
      `  ${aspect.padEnd(22)} ${pct(t.clean, r.procedures).padStart(6)}  ${String(quantile(t.lengths, 0.5)).padStart(6)}  ${String(quantile(t.lengths, 0.95)).padStart(4)}`,
    );
  }
  if (r.rest.length > 0) {
    lines.push(`  not clean (${r.rest.length}):`);
    for (const x of details ? r.rest : r.rest.slice(0, 40))
      lines.push(`    ${x.code} ${x.aspect}: ${x.problems.join('; ')}`);
    if (!details && r.rest.length > 40) lines.push(`    … ${r.rest.length - 40} more (--all lists them)`);
  }
  return lines.join('\n');
}
