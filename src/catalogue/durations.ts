import { cleanInline, isNoInfo } from './catalogue-text.ts';
import type { Duration } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------
// Durations

export const DURATION_WITH_UNIT = /^(\d+(?:[.,]\d+)?) ?(Ngày làm việc|Ngày|Giờ|Tháng)/iu;

/** Parses a duration cell such as "5 Ngày làm việc", "10 Ngày", "8 Giờ", "6 Tháng" or "5". */
export function parseDuration(text: string): Duration | null {
  const t = cleanInline(text);
  if (isNoInfo(t)) return null;
  const duration: Duration = { text: t, workingDays: null, days: null, hours: null };
  const m = DURATION_WITH_UNIT.exec(t);
  if (!m) return duration; // a bare number or prose: the unit is not stated, so none is guessed
  const value = Number((m[1] ?? '').replace(',', '.'));
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === 'ngày làm việc') duration.workingDays = value;
  else if (unit === 'ngày') duration.days = value;
  else if (unit === 'giờ') duration.hours = value;
  return duration;
}
