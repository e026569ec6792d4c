import { z } from 'zod';

/**
 * The clean, structured form of one national administrative procedure (thủ tục hành chính),
 * as committed under knowledge/procedures/. Every record is validated against this schema
 * when the catalogue is loaded, so the rest of the code can trust it.
 *
 * @remarks
 * Fees are the dangerous part: the national portal's fee cell often says "Miễn phí" while
 * its note states the real amount. `fee.kind` records what we could honestly establish:
 * - `amounts`: one or more amounts in VND were stated (in the cell or in the note);
 * - `free`: the portal says free AND nothing in the note names an amount or an act;
 * - `by_act`: no amount, but the note refers to a legal act that sets the fee;
 * - `unknown`: nothing usable ("Không có thông tin", empty, or unparseable).
 * The original text is always kept in `fee.text` so an answer can quote it.
 */
export const ChannelMode = z.enum(['online', 'counter', 'postal']);
export type ChannelMode = z.infer<typeof ChannelMode>;

export const FeeAmount = z.object({
  /** Amount in VND, an integer. */
  vnd: z.number().int().nonnegative(),
  /** What this amount is for, as stated next to it ("Lệ phí cấp giấy phép lái xe", "/lần"). */
  label: z.string(),
});
export type FeeAmount = z.infer<typeof FeeAmount>;

export const Fee = z.object({
  kind: z.enum(['amounts', 'free', 'by_act', 'unknown']),
  amounts: z.array(FeeAmount),
  /** Legal acts the fee text refers to, e.g. "244/2016/TT-BTC". */
  acts: z.array(z.string()),
  /** The fee cell and its note, verbatim (NFC). */
  text: z.string(),
});
export type Fee = z.infer<typeof Fee>;

export const Duration = z.object({
  /** As displayed by the portal, e.g. "5 Ngày làm việc", "10 Ngày", "8 Giờ". */
  text: z.string(),
  /** Working days when the text states working days ("Ngày làm việc"). */
  workingDays: z.number().nonnegative().nullable(),
  /** Calendar days when the text states plain days ("Ngày"). */
  days: z.number().nonnegative().nullable(),
  /** Hours when the text states hours ("Giờ"). */
  hours: z.number().nonnegative().nullable(),
});
export type Duration = z.infer<typeof Duration>;

export const SubmissionChannel = z.object({
  mode: ChannelMode,
  duration: Duration.nullable(),
  fee: Fee,
  /** Free-text description that followed the fee cell, if any. */
  description: z.string(),
  /** Legal references found in the fee/description text. */
  legalReference: z.array(z.string()),
});
export type SubmissionChannel = z.infer<typeof SubmissionChannel>;

export const RequiredDocument = z.object({
  name: z.string().min(1),
  /** Form or template name ("Mẫu số 01/2025/LLTP"), or null. */
  form: z.string().nullable(),
  /** Number of originals and copies, as stated. */
  originals: z.number().int().nonnegative(),
  copies: z.number().int().nonnegative(),
  /** The quantity cell verbatim, e.g. "1 bản chính", "0 bản chính,1 bản sao". */
  quantityText: z.string(),
});
export type RequiredDocument = z.infer<typeof RequiredDocument>;

export const LegalAct = z.object({
  /** The act's number/code, e.g. "28/2009/QH12". */
  code: z.string(),
  title: z.string(),
});
export type LegalAct = z.infer<typeof LegalAct>;

export const Level = z.enum(['ministry', 'province', 'commune', 'other']);
export type Level = z.infer<typeof Level>;

export const ProcedureRecord = z.object({
  code: z.string().regex(/^\d+\.\d{6}$/),
  name: z.string().min(1),
  /** Levels that handle it, mapped from "Cấp bộ" / "Cấp tỉnh" / "Cấp xã". */
  levels: z.array(Level),
  /** The levels as the portal wrote them. */
  levelsText: z.string(),
  field: z.string(),
  procedureType: z.string(),
  deciding_act: z.string(),
  ministry: z.string(),
  /** Who may apply. */
  applicants: z.array(z.string()),
  agencies: z.object({
    competent: z.string(),
    executing: z.string(),
    delegated: z.string(),
    cooperating: z.string(),
    /** Where to submit, with the documented fallbacks (executing agency, then the steps text). */
    submitAt: z.string(),
  }),
  channels: z.array(SubmissionChannel),
  documents: z.array(RequiredDocument),
  steps: z.array(z.string()),
  conditions: z.array(z.string()),
  results: z.array(z.string()),
  legalBasis: z.array(LegalAct),
  sourceUrl: z.string().url(),
});
export type ProcedureRecord = z.infer<typeof ProcedureRecord>;
