import type { ProcedureSummary } from '../catalogue/procedure-catalog.ts';

/** One ranked search result. `score` is in [0, 1]; higher is better. */
export interface ProcedureHit {
  code: string;
  name: string;
  score: number;
}

/** A procedure as a result, its score in [0, 1] rounded to three decimals. */
export function procedureHit(record: ProcedureSummary, score: number): ProcedureHit {
  return { code: record.code, name: record.name, score: Math.round(Math.min(1, score) * 1000) / 1000 };
}
