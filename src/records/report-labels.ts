import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../shared/line-files.ts';

const Labels = z.record(z.string(), z.string());

/** The Vietnamese names of channels, outcomes, intents and ratings in reports (knowledge/report-labels.json). */
export const ReportLabels = z.object({
  channels: Labels,
  outcomes: Labels,
  intents: Labels,
  ratings: Labels,
  did: Labels,
});
export type ReportLabels = z.infer<typeof ReportLabels>;

export function loadReportLabels(knowledgeDir: string): ReportLabels {
  return readJsonFile(join(knowledgeDir, 'report-labels.json'), ReportLabels);
}

/** A label, or the code itself when staff have not named it yet (never an empty cell). */
export const labelOf = (labels: Record<string, string>, code: string): string => labels[code] ?? code;
