import { readJsonLines } from '../shared/line-files.ts';
import { z } from 'zod';
import { INTENT_NAMES, type IntentName } from './intent-names.ts';
import type { LabelledUtterance } from './intent-corpus.ts';

const DevLine = z.object({
  text: z.string(),
  intent: z.enum(INTENT_NAMES),
  procedure: z.string().optional(),
  tag: z.string().optional(),
});
export type DevUtterance = z.infer<typeof DevLine>;

/** A dev file: one `{"text", "intent", "procedure"?, "tag"?}` per line. */
export function loadDevUtterances(path: string): DevUtterance[] {
  return readJsonLines(path, DevLine);
}

export interface Prediction {
  expected: IntentName;
  predicted: string;
}

export interface IntentReport {
  accuracy: number;
  total: number;
  perIntent: { intent: IntentName; precision: number; recall: number; support: number }[];
  /** confusion[expected][predicted] = count */
  confusion: Map<string, Map<string, number>>;
}

export function report(predictions: readonly Prediction[]): IntentReport {
  const confusion = new Map<string, Map<string, number>>();
  let correct = 0;
  for (const { expected, predicted } of predictions) {
    if (expected === predicted) correct += 1;
    const row = confusion.get(expected) ?? new Map<string, number>();
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    confusion.set(expected, row);
  }
  const perIntent = INTENT_NAMES.map((intent) => {
    const tp = confusion.get(intent)?.get(intent) ?? 0;
    const support = predictions.filter((p) => p.expected === intent).length;
    const predictedAs = predictions.filter((p) => p.predicted === intent).length;
    return {
      intent,
      precision: predictedAs === 0 ? 0 : tp / predictedAs,
      recall: support === 0 ? 0 : tp / support,
      support,
    };
  });
  return {
    accuracy: predictions.length === 0 ? 0 : correct / predictions.length,
    total: predictions.length,
    perIntent,
    confusion,
  };
}

/** Deterministic stratified folds: every intent spread evenly over the k folds. */
export function stratifiedFolds(examples: readonly LabelledUtterance[], k: number): LabelledUtterance[][] {
  const folds: LabelledUtterance[][] = Array.from({ length: k }, () => []);
  const byIntent = new Map<string, LabelledUtterance[]>();
  for (const e of examples) byIntent.set(e.intent, [...(byIntent.get(e.intent) ?? []), e]);
  for (const items of byIntent.values()) items.forEach((e, i) => folds[i % k]!.push(e));
  return folds;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatReport(title: string, r: IntentReport): string {
  const lines = [`${title}: accuracy ${pct(r.accuracy)} (${Math.round(r.accuracy * r.total)}/${r.total})`];
  lines.push('  intent                   precision  recall  support');
  for (const p of r.perIntent) {
    if (p.support === 0 && p.precision === 0) continue;
    lines.push(
      `  ${p.intent.padEnd(24)} ${pct(p.precision).padStart(9)} ${pct(p.recall).padStart(7)} ${String(p.support).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

/** The confusion matrix, rows expected, columns predicted, by intent index (legend below). */
export function formatConfusion(r: IntentReport): string {
  const labels = [...INTENT_NAMES];
  const extra = [...new Set([...r.confusion.values()].flatMap((row) => [...row.keys()]))].filter(
    (l) => !labels.includes(l as IntentName),
  );
  const columns = [...labels, ...extra];
  const header = `     ${columns.map((_, i) => String(i).padStart(3)).join('')}`;
  const rows = labels.map((expected, i) => {
    const row = r.confusion.get(expected);
    return `${String(i).padStart(3)}  ${columns
      .map((c) => {
        const n = row?.get(c) ?? 0;
        return (n === 0 ? '.' : String(n)).padStart(3);
      })
      .join('')}`;
  });
  const legend = columns.map((c, i) => `${i}=${c}`).join(' ');
  return ['confusion (rows expected, columns predicted):', header, ...rows, `  ${legend}`].join('\n');
}
