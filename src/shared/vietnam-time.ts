/**
 * Vietnam's civil time: UTC+7 all year (no daylight saving). Dates the center speaks in (a dossier's
 * appointment, the day a fee is in force, the week of a survey) are Vietnam's, whatever the server's
 * own time zone. The opening hours, whose zone is configurable, use business-hours.ts.
 */
const OFFSET_MS = 7 * 3_600_000;

/** The instant shifted so that its UTC fields read as Vietnam's wall clock. */
function wallClock(at: Date): Date {
  return new Date(at.getTime() + OFFSET_MS);
}

/** The calendar day in Vietnam, as yyyy-mm-dd. */
export function vietnamDate(at: Date): string {
  return wallClock(at).toISOString().slice(0, 10);
}

/** The instant a Vietnam calendar day (yyyy-mm-dd) begins. */
export function vietnamMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+07:00`);
}

/** "2026-W48": the ISO week (Monday first) of an instant, in Vietnam. */
export function vietnamIsoWeek(at: Date): string {
  const local = wallClock(at);
  const day = (local.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day + 3));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
