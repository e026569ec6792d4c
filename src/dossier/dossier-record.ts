import { z } from 'zod';
import { vietnamDate } from '../shared/vietnam-time.ts';

export const DOSSIER_STATUSES = [
  'received',
  'processing',
  'additional_documents_requested',
  'ready_for_pickup',
  'sent_by_post',
  'cancelled',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date yyyy-mm-dd');

/** A dossier as the one-stop system reports it (the contract: adapters/one-stop/one-stop-api.openapi.yaml). */
export const DossierRecord = z.object({
  code: z.string().min(1),
  procedure: z.object({ code: z.string().optional(), name: z.string().min(1) }),
  status: z.enum(DOSSIER_STATUSES),
  statusUpdatedAt: z.string().optional(),
  receivedAt: z.string().optional(),
  dueDate: LocalDate,
  newDueDate: LocalDate.optional(),
  department: z.string().optional(),
  additionalDocuments: z.object({ items: z.array(z.string()), deadline: LocalDate.optional() }).optional(),
  pickup: z.object({ place: z.string(), bring: z.array(z.string()).default([]) }).optional(),
  postal: z
    .object({ carrier: z.string().optional(), trackingNumber: z.string(), trackingUrl: z.string().optional() })
    .optional(),
  cancellation: z.object({ reason: z.string() }).optional(),
  applicant: z.object({ name: z.string(), phoneLast4: z.string().regex(/^\d{4}$/) }),
});
export type DossierRecord = z.infer<typeof DossierRecord>;

/** Statuses after which nothing more happens to the dossier. */
export const FINAL_STATUSES: ReadonlySet<DossierStatus> = new Set(['ready_for_pickup', 'sent_by_post', 'cancelled']);

/** Late: its appointment date has passed (Vietnam's date) and it is not done. */
export function isOverdue(dossier: DossierRecord, now: Date): boolean {
  return !FINAL_STATUSES.has(dossier.status) && dossier.dueDate < vietnamDate(now);
}

/** "Nguyễn Văn An" → "Nguyễn V. A.": enough for the citizen to recognise, too little to identify anyone. */
export function maskName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '';
  const [family, ...rest] = parts;
  return [family, ...rest.map((p) => `${[...p][0]!.toUpperCase()}.`)].join(' ');
}

/** A dossier code as typed ("000.00.12.h34 - 231012 - 0001") in its canonical form. */
export function canonicalCode(typed: string): string {
  return typed.replace(/\s+/g, '').toUpperCase();
}
