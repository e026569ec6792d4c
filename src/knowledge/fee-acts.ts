import { readJsonFile } from '../shared/line-files.ts';
import { z } from 'zod';

/**
 * Amounts set by the fee acts the catalogue cites without an amount (knowledge/fee-acts.json): the
 * criminal record certificate's record says only "theo Thông tư 244/2016/TT-BTC", while the act
 * sets the amount. Each row names its act, article and the public page it was read from; an act
 * that leaves the amount to the provincial People's Council says so instead.
 */
const FeeActAmount = z.object({
  vnd: z.number().int().positive(),
  per: z.string().nullable(),
  /** Who pays this amount ("mỗi lần yêu cầu", "sinh viên, người có công"). */
  who: z.string(),
});
export const FeeAct = z.object({
  act: z.string().min(5),
  title: z.string(),
  article: z.string(),
  amounts: z.array(FeeActAmount),
  /** Set when the act leaves the amount to another body ("HĐND tỉnh"). */
  delegatesTo: z.string().nullable(),
  /** A later act that may have changed the amounts, not yet read: the answer says so and sends the citizen to an officer. */
  replacedBy: z.string().nullable().default(null),
  source: z.string().url(),
  quote: z.string().optional(),
});
export type FeeAct = z.infer<typeof FeeAct>;

const FeeActFile = z.object({ $comment: z.string().optional(), acts: z.array(FeeAct) });

export class FeeActs {
  private constructor(private readonly byAct: ReadonlyMap<string, FeeAct>) {}

  static load(path: string): FeeActs {
    return new FeeActs(new Map(readJsonFile(path, FeeActFile).acts.map((a) => [a.act.toUpperCase(), a])));
  }

  static none(): FeeActs {
    return new FeeActs(new Map());
  }

  /** The first of `acts` the table knows. */
  find(acts: readonly string[]): FeeAct | undefined {
    for (const a of acts) {
      const found = this.byAct.get(a.toUpperCase());
      if (found !== undefined) return found;
    }
    return undefined;
  }
}
