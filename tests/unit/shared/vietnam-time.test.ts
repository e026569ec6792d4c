import { describe, expect, it } from 'vitest';
import { vietnamDate, vietnamIsoWeek, vietnamMidnight } from '../../../src/shared/vietnam-time.ts';

describe('Vietnam time (UTC+7, no daylight saving)', () => {
  it("gives the calendar day in Vietnam, not in the server's zone", () => {
    expect(vietnamDate(new Date('2026-12-31T16:59:59Z'))).toBe('2026-12-31');
    expect(vietnamDate(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    // Summer or winter: the same offset.
    expect(vietnamDate(new Date('2026-07-01T16:59:59Z'))).toBe('2026-07-01');
  });

  it('gives the instant a Vietnam day begins: 17:00 UTC the day before', () => {
    expect(vietnamMidnight('2027-01-01').toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(vietnamDate(vietnamMidnight('2026-07-01'))).toBe('2026-07-01');
  });

  it('gives the ISO week in Vietnam, Monday first', () => {
    expect(vietnamIsoWeek(new Date('2026-11-29T16:59:59Z'))).toBe('2026-W48'); // Sunday 23:59 in Vietnam
    expect(vietnamIsoWeek(new Date('2026-11-29T17:00:00Z'))).toBe('2026-W49'); // Monday 00:00 in Vietnam
    expect(vietnamIsoWeek(new Date('2027-01-01T05:00:00Z'))).toBe('2026-W53');
  });
});
