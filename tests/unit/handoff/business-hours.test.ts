import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BusinessHours } from '../../../src/handoff/business-hours.ts';

const KNOWLEDGE_DIR = fileURLToPath(new URL('../../../knowledge', import.meta.url));

/** An instant given as Vietnam wall-clock time. */
function vn(localDateTime: string): Date {
  return new Date(`${localDateTime}+07:00`);
}

const WEEKDAY_HOURS = [
  ['07:00', '11:30'],
  ['13:30', '17:00'],
];

const SAMPLE_WEEK = {
  mon: WEEKDAY_HOURS,
  tue: WEEKDAY_HOURS,
  wed: WEEKDAY_HOURS,
  thu: WEEKDAY_HOURS,
  fri: WEEKDAY_HOURS,
  sat: [['07:30', '11:30']],
  sun: [],
  public_holidays: 'closed',
};

interface KnowledgeFiles {
  week?: unknown;
  calendar?: unknown;
  /** Raw text of holidays.json, to write something that is not JSON. */
  holidaysText?: string;
}

/** A throwaway knowledge folder holding only the two files BusinessHours reads. */
function knowledgeDir({ week = SAMPLE_WEEK, calendar, holidaysText }: KnowledgeFiles = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'business-hours-'));
  writeFileSync(join(dir, 'center.json'), JSON.stringify({ opening_hours: { value: week, sample: true } }));
  const holidays = calendar ?? { timezone: 'Asia/Ho_Chi_Minh', holidays: [], workdays: [] };
  writeFileSync(join(dir, 'holidays.json'), holidaysText ?? JSON.stringify(holidays));
  return dir;
}

function withCalendar(holidays: unknown[], workdays: unknown[] = [], timezone = 'Asia/Ho_Chi_Minh'): BusinessHours {
  return BusinessHours.load(knowledgeDir({ calendar: { timezone, holidays, workdays } }));
}

describe('BusinessHours on the shipped knowledge', () => {
  const hours = BusinessHours.load(KNOWLEDGE_DIR);

  it('is open on a Monday morning and closed over the lunch break', () => {
    expect(hours.isOpen(vn('2026-11-30T08:00:00'))).toBe(true);
    expect(hours.isOpen(vn('2026-11-30T12:00:00'))).toBe(false);
    expect(hours.isOpen(vn('2026-11-30T13:30:00'))).toBe(true);
  });

  it('closes at the end of a period, not a second later', () => {
    expect(hours.isOpen(vn('2026-11-30T11:29:59'))).toBe(true);
    expect(hours.isOpen(vn('2026-11-30T11:30:00'))).toBe(false);
    expect(hours.isOpen(vn('2026-11-30T06:59:59'))).toBe(false);
    expect(hours.isOpen(vn('2026-11-30T17:00:00'))).toBe(false);
  });

  it('is closed on Sunday', () => {
    expect(hours.isOpen(vn('2026-11-29T09:00:00'))).toBe(false);
    expect(hours.holidayOn(vn('2026-11-29T09:00:00'))).toBeNull();
  });

  it('is open on Saturday morning only', () => {
    expect(hours.isOpen(vn('2026-11-28T07:15:00'))).toBe(false);
    expect(hours.isOpen(vn('2026-11-28T07:30:00'))).toBe(true);
    expect(hours.isOpen(vn('2026-11-28T14:00:00'))).toBe(false);
  });

  it('is closed on National Day, which it names, in both years', () => {
    expect(hours.isOpen(vn('2026-09-02T09:00:00'))).toBe(false);
    expect(hours.holidayOn(vn('2026-09-02T09:00:00'))).toBe('Quốc khánh');
    expect(hours.isOpen(vn('2027-09-02T09:00:00'))).toBe(false);
    expect(hours.holidayOn(vn('2027-09-02T09:00:00'))).toBe('Quốc khánh');
  });

  it('is closed during Tết, on a weekday that would otherwise be open', () => {
    for (const day of ['2026-02-17T09:00:00', '2026-02-19T14:00:00', '2027-02-08T09:00:00']) {
      expect(hours.isOpen(vn(day))).toBe(false);
      expect(hours.holidayOn(vn(day))).toMatch(/^Tết Nguyên đán/);
    }
  });

  it('names no holiday on an ordinary working day', () => {
    expect(hours.holidayOn(vn('2026-11-30T08:00:00'))).toBeNull();
  });

  it('reads the holiday by the local date, not the UTC date', () => {
    // 00:30 on 2 September in Vietnam is still 1 September in UTC, and 23:30 on 2 September is 16:30 UTC.
    expect(hours.holidayOn(vn('2027-09-02T00:30:00'))).toBe('Quốc khánh');
    expect(hours.holidayOn(vn('2027-09-01T23:30:00'))).toBeNull();
  });

  it('next opens at the moment asked when already open', () => {
    const at = vn('2026-11-30T09:12:34');
    expect(hours.nextOpening(at)).toEqual(at);
  });

  it('next opens on Saturday 07:30 after Friday closing', () => {
    expect(hours.nextOpening(vn('2026-11-27T17:30:00'))).toEqual(vn('2026-11-28T07:30:00'));
  });

  it('next opens after lunch the same day', () => {
    expect(hours.nextOpening(vn('2026-11-30T12:00:00'))).toEqual(vn('2026-11-30T13:30:00'));
  });

  it('next opens on Monday 07:00 after Saturday closing', () => {
    expect(hours.nextOpening(vn('2026-11-28T12:00:00'))).toEqual(vn('2026-11-30T07:00:00'));
  });

  it('next opens on Tuesday when Monday is a day off in lieu of a Sunday holiday', () => {
    // Giỗ Tổ Hùng Vương fell on Sunday 26 April 2026, so Monday 27 April is off.
    expect(hours.holidayOn(vn('2026-04-27T09:00:00'))).toMatch(/Giỗ Tổ Hùng Vương/);
    expect(hours.nextOpening(vn('2026-04-25T12:00:00'))).toEqual(vn('2026-04-28T07:00:00'));
  });

  it('next opens after Tết on a working day, at least the three first days of the year later', () => {
    const firstDay = vn('2027-02-06T09:00:00');
    const opening = hours.nextOpening(firstDay);
    expect(opening.getTime()).toBeGreaterThanOrEqual(vn('2027-02-09T00:00:00').getTime());
    expect(hours.holidayOn(opening)).toBeNull();
    expect(hours.isOpen(opening)).toBe(true);
  });
});

describe('BusinessHours on operator-edited calendars', () => {
  it('opens a compensatory workday with Monday hours, even in the afternoon of a Sunday', () => {
    const hours = withCalendar([], [{ date: '2026-12-06', name: 'Làm bù' }]);
    expect(hours.isOpen(vn('2026-12-06T14:00:00'))).toBe(true);
    expect(hours.isOpen(vn('2026-12-06T12:00:00'))).toBe(false);
    expect(hours.isOpen(vn('2026-12-13T14:00:00'))).toBe(false);
    expect(hours.nextOpening(vn('2026-12-05T12:00:00'))).toEqual(vn('2026-12-06T07:00:00'));
  });

  it('next opens on Tuesday when Monday is a holiday', () => {
    const hours = withCalendar([{ date: '2026-11-30', name: 'Ngày nghỉ thử' }]);
    expect(hours.nextOpening(vn('2026-11-28T12:00:00'))).toEqual(vn('2026-12-01T07:00:00'));
  });

  it('next opens after the last day of a Tết range', () => {
    const hours = withCalendar([{ from: '2026-02-14', to: '2026-02-22', name: 'Tết Nguyên đán', sample: true }]);
    expect(hours.holidayOn(vn('2026-02-14T08:00:00'))).toBe('Tết Nguyên đán');
    expect(hours.holidayOn(vn('2026-02-22T08:00:00'))).toBe('Tết Nguyên đán');
    expect(hours.holidayOn(vn('2026-02-23T08:00:00'))).toBeNull();
    expect(hours.nextOpening(vn('2026-02-13T17:00:00'))).toEqual(vn('2026-02-23T07:00:00'));
  });

  it('throws when nothing opens within 60 days', () => {
    const hours = withCalendar([{ from: '2026-01-01', to: '2026-12-31', name: 'Nghỉ cả năm' }]);
    expect(() => hours.nextOpening(vn('2026-03-01T08:00:00'))).toThrow(/no opening within 60 days/);
  });

  it('finds an opening 60 days ahead but not 61', () => {
    const hours = withCalendar([{ from: '2026-03-01', to: '2026-04-29', name: 'Nghỉ dài' }]);
    // 1 March + 60 days = 30 April (Thursday), the first day open again.
    expect(hours.nextOpening(vn('2026-03-01T08:00:00'))).toEqual(vn('2026-04-30T07:00:00'));
    const longer = withCalendar([{ from: '2026-03-01', to: '2026-04-30', name: 'Nghỉ dài hơn' }]);
    expect(() => longer.nextOpening(vn('2026-03-01T08:00:00'))).toThrow(/60 days/);
  });

  it('follows the time zone of holidays.json, daylight saving included', () => {
    const week = { ...SAMPLE_WEEK, mon: [['09:00', '17:00']] };
    const dir = knowledgeDir({ week, calendar: { timezone: 'Europe/Paris', holidays: [] } });
    const hours = BusinessHours.load(dir);
    // 07:30 UTC is 09:30 in Paris in July (UTC+2) but 08:30 in January (UTC+1).
    expect(hours.isOpen(new Date('2026-07-06T07:30:00Z'))).toBe(true);
    expect(hours.isOpen(new Date('2026-01-05T07:30:00Z'))).toBe(false);
    expect(hours.nextOpening(new Date('2026-01-05T07:30:00Z'))).toEqual(new Date('2026-01-05T08:00:00Z'));
    expect(hours.nextOpening(new Date('2026-07-05T12:00:00Z'))).toEqual(new Date('2026-07-06T07:00:00Z'));
  });
});

describe('BusinessHours.describe', () => {
  const hours = BusinessHours.load(KNOWLEDGE_DIR);

  it('says "nay" for later today', () => {
    expect(hours.describe(vn('2026-11-30T13:30:00'), vn('2026-11-30T12:00:00'))).toBe('13 giờ 30 chiều nay');
    expect(hours.describe(vn('2026-11-30T07:05:00'), vn('2026-11-30T06:00:00'))).toBe('7 giờ 05 sáng nay');
    expect(hours.describe(vn('2026-11-30T19:00:00'), vn('2026-11-30T18:00:00'))).toBe('19 giờ 00 tối nay');
  });

  it('says "mai" for tomorrow', () => {
    expect(hours.describe(vn('2026-11-28T07:30:00'), vn('2026-11-27T17:30:00'))).toBe('7 giờ 30 sáng mai');
  });

  it('tells today from tomorrow by the local date, not the UTC date', () => {
    // 00:30 and 07:30 local on 28 November are on different UTC dates.
    expect(hours.describe(vn('2026-11-28T07:30:00'), vn('2026-11-28T00:30:00'))).toBe('7 giờ 30 sáng nay');
    expect(hours.describe(vn('2026-11-28T07:30:00'), vn('2026-11-27T23:30:00'))).toBe('7 giờ 30 sáng mai');
  });

  it('names the weekday and date of any other day', () => {
    expect(hours.describe(vn('2026-11-30T07:00:00'), vn('2026-11-28T12:00:00'))).toBe(
      '7 giờ 00 sáng thứ Hai, ngày 30/11',
    );
    expect(hours.describe(vn('2026-12-06T14:00:00'), vn('2026-12-01T09:00:00'))).toBe(
      '14 giờ 00 chiều Chủ nhật, ngày 6/12',
    );
  });

  it('adds the year when the day is in another year', () => {
    expect(hours.describe(vn('2027-02-11T07:00:00'), vn('2026-12-30T09:00:00'))).toBe(
      '7 giờ 00 sáng thứ Năm, ngày 11/2/2027',
    );
  });

  it('describes the next opening after Tết 2026 for a citizen writing on Tết day 1', () => {
    const now = vn('2026-02-17T10:00:00');
    expect(hours.describe(hours.nextOpening(now), now)).toBe('7 giờ 00 sáng thứ Hai, ngày 23/2');
  });
});

describe('BusinessHours.load refuses invalid files', () => {
  it('names center.json and the bad time', () => {
    const dir = knowledgeDir({ week: { ...SAMPLE_WEEK, mon: [['07:00', '25:00']] } });
    expect(() => BusinessHours.load(dir)).toThrow(
      /center\.json is not valid \(opening_hours\.value\.mon\.0\.1: must be a time "HH:MM"/,
    );
  });

  it('refuses a period that ends before it starts, or overlapping periods', () => {
    expect(() => BusinessHours.load(knowledgeDir({ week: { ...SAMPLE_WEEK, tue: [['11:00', '08:00']] } }))).toThrow(
      /center\.json.*opening_hours\.value\.tue\.0: a period must end after it starts/,
    );
    const overlapping = [
      ['07:00', '12:00'],
      ['11:00', '17:00'],
    ];
    expect(() => BusinessHours.load(knowledgeDir({ week: { ...SAMPLE_WEEK, wed: overlapping } }))).toThrow(
      /center\.json.*opening_hours\.value\.wed: periods must be in time order and must not overlap/,
    );
  });

  it('refuses missing weekdays and holiday rules it does not implement', () => {
    const { sun: _sun, ...withoutSunday } = SAMPLE_WEEK;
    expect(() => BusinessHours.load(knowledgeDir({ week: withoutSunday }))).toThrow(
      /center\.json.*opening_hours\.value\.sun/,
    );
    expect(() => BusinessHours.load(knowledgeDir({ week: { ...SAMPLE_WEEK, public_holidays: 'open' } }))).toThrow(
      /center\.json.*opening_hours\.value\.public_holidays/,
    );
  });

  it('names holidays.json when it is missing or not JSON', () => {
    const missing = knowledgeDir();
    rmSync(join(missing, 'holidays.json'));
    expect(() => BusinessHours.load(missing)).toThrow(/cannot read .*holidays\.json/);
    expect(() => BusinessHours.load(knowledgeDir({ holidaysText: '{"timezone": ' }))).toThrow(
      /cannot read .*holidays\.json/,
    );
    expect(() => BusinessHours.load(join(tmpdir(), 'no-such-knowledge-folder'))).toThrow(/cannot read .*center\.json/);
  });

  it('refuses an impossible date, with its place in the file', () => {
    expect(() => withCalendar([{ date: '2026-02-30', name: 'Ngày không có' }])).toThrow(
      /holidays\.json is not valid \(holidays\.0\.date: is not a real calendar date/,
    );
    expect(() => withCalendar([{ date: '30/04/2026', name: 'Sai định dạng' }])).toThrow(
      /holidays\.0\.date: must be a date "YYYY-MM-DD"/,
    );
  });

  it('refuses a holiday with both a date and a range, or a range running backwards', () => {
    expect(() => withCalendar([{ date: '2026-09-02', from: '2026-09-01', to: '2026-09-02', name: 'Lẫn lộn' }])).toThrow(
      /holidays\.json.*holidays\.0: needs either "date", or both "from" and "to"/,
    );
    expect(() => withCalendar([{ from: '2026-09-01', name: 'Thiếu to' }])).toThrow(/holidays\.0: needs either "date"/);
    expect(() => withCalendar([{ from: '2026-09-03', to: '2026-09-01', name: 'Ngược' }])).toThrow(
      /holidays\.0\.to: must not be before "from"/,
    );
  });

  it('refuses misspelled keys instead of ignoring them', () => {
    expect(() => withCalendar([{ date: '2026-09-02', name: 'Quốc khánh', sampel: true }])).toThrow(
      /holidays\.json.*sampel/,
    );
  });

  it('refuses an unknown time zone', () => {
    expect(() => withCalendar([], [], 'Asia/Nha_Trang')).toThrow(/holidays\.json.*timezone: must be an IANA time zone/);
  });

  it('refuses a day that is both a workday and a holiday', () => {
    expect(() =>
      withCalendar([{ date: '2026-12-06', name: 'Nghỉ' }], [{ date: '2026-12-06', name: 'Làm bù' }]),
    ).toThrow(/holidays\.json.*workdays\.0\.date: is both a workday and a holiday \("Nghỉ"\)/);
  });
});
