import { readJsonFile } from '../shared/line-files.ts';
import { z } from 'zod';

/**
 * The plain-language cards of the most asked procedures (knowledge/procedure-summaries.json):
 * a short name and four lines a citizen reads in ten seconds (what to bring, what to pay, how long,
 * where), written from the procedure's own record. Staff edit them; a test checks every number,
 * date and form code of a card against its record, so a card never says what the record does not.
 */
export const ProcedureSummary = z.object({
  code: z.string().regex(/^\d+\.\d{6}$/),
  shortName: z.string().min(3).max(60),
  bring: z.string().min(3).max(200),
  pay: z.string().min(3).max(140),
  time: z.string().min(3).max(120),
  where: z.string().min(3).max(160),
});
export type ProcedureSummary = z.infer<typeof ProcedureSummary>;

const SummaryFile = z.object({
  $comment: z.string().optional(),
  asOf: z.string().optional(),
  summaries: z.array(ProcedureSummary),
});

export class ProcedureSummaries {
  private constructor(private readonly byCode: ReadonlyMap<string, ProcedureSummary>) {}

  static load(path: string): ProcedureSummaries {
    const byCode = new Map<string, ProcedureSummary>();
    for (const s of readJsonFile(path, SummaryFile).summaries) {
      if (byCode.has(s.code)) throw new Error(`${path}: ${s.code} has two cards`);
      byCode.set(s.code, s);
    }
    return new ProcedureSummaries(byCode);
  }

  static none(): ProcedureSummaries {
    return new ProcedureSummaries(new Map());
  }

  get(code: string): ProcedureSummary | undefined {
    return this.byCode.get(code);
  }

  all(): ProcedureSummary[] {
    return [...this.byCode.values()];
  }

  /** The curated short names, by code: they override the rule-made ones. */
  shortNames(): Map<string, string> {
    return new Map([...this.byCode.values()].map((s) => [s.code, s.shortName]));
  }
}
