import { readJsonFile } from '../shared/line-files.ts';
import { join } from 'node:path';
import { z } from 'zod';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

const WEEKDAY_NAMES_VI: Record<Weekday, string> = {
  sun: 'Chủ nhật',
  mon: 'thứ Hai',
  tue: 'thứ Ba',
  wed: 'thứ Tư',
  thu: 'thứ Năm',
  fri: 'thứ Sáu',
  sat: 'thứ Bảy',
};

/** A compensatory workday is worked as a full normal weekday, whatever day of the week it falls on. */
const COMPENSATORY_WORKDAY_HOURS: Weekday = 'mon';

/** Far enough to cross the longest Tết break; further means the data cannot be right. */
const LOOK_AHEAD_DAYS = 60;

const DAY_MS = 86_400_000;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" between 00:00 and 23:59');

// "HH:MM" strings compare in time order, so periods are checked without parsing them.
const OpeningPeriod = z
  .tuple([ClockTime, ClockTime])
  .refine(([start, end]) => start < end, 'a period must end after it starts');

const DayHours = z
  .array(OpeningPeriod)
  .refine(
    (periods) => periods.every((period, i) => i === 0 || (periods[i - 1]?.[1] ?? '') <= period[0]),
    'periods must be in time order and must not overlap',
  );

const CenterHoursFile = z.object({
  opening_hours: z.object({
    value: z.object({
      mon: DayHours,
      tue: DayHours,
      wed: DayHours,
      thu: DayHours,
      fri: DayHours,
      sat: DayHours,
      sun: DayHours,
      // The only rule this module implements; another value would be silently ignored otherwise.
      public_holidays: z.literal('closed').optional(),
    }),
  }),
});

const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')
  .refine((date) => addDays(date, 0) === date, 'is not a real calendar date');

const DatedEntry = z.strictObject({
  date: CalendarDate,
  name: z.string().min(1),
  sample: z.boolean().optional(),
  source: z.string().min(1).optional(),
});

const HolidayEntry = z
  .strictObject({
    date: CalendarDate.optional(),
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
    name: z.string().min(1),
    sample: z.boolean().optional(),
    source: z.string().min(1).optional(),
  })
  .transform((entry, ctx): Holiday => {
    const single = entry.date !== undefined && entry.from === undefined && entry.to === undefined;
    const range = entry.date === undefined && entry.from !== undefined && entry.to !== undefined;
    const from = entry.date ?? entry.from;
    const to = entry.date ?? entry.to;
    if ((!single && !range) || from === undefined || to === undefined) {
      ctx.addIssue({ code: 'custom', message: 'needs either "date", or both "from" and "to"' });
      return z.NEVER;
    }
    if (to < from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before "from"' });
      return z.NEVER;
    }
    return { from, to, name: entry.name };
  });

const HolidaysFile = z
  .object({
    $comment: z.string().optional(),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "Asia/Ho_Chi_Minh"'),
    holidays: z.array(HolidayEntry),
    workdays: z.array(DatedEntry).default([]),
  })
  .superRefine((file, ctx) => {
    file.workdays.forEach((workday, i) => {
      const holiday = holidayOnDate(file.holidays, workday.date);
      if (holiday === undefined) return;
      ctx.addIssue({
        code: 'custom',
        path: ['workdays', i, 'date'],
        message: `is both a workday and a holiday ("${holiday.name}")`,
      });
    });
  });

/** Days off, inclusive at both ends; a single-day holiday has `from === to`. */
interface Holiday {
  from: string;
  to: string;
  name: string;
}

/** Minutes after local midnight, end exclusive. */
interface OpeningPeriodMinutes {
  start: number;
  end: number;
}

type WeeklyHours = Record<Weekday, readonly OpeningPeriodMinutes[]>;

/**
 * When support staff are at work, for the human handoff: the weekly opening hours of
 * knowledge/center.json, minus the holidays and plus the compensatory workdays of
 * knowledge/holidays.json, in that file's time zone.
 */
export class BusinessHours {
  private readonly clock: LocalClock;
  private readonly workdays: ReadonlySet<string>;

  constructor(
    private readonly weekly: WeeklyHours,
    private readonly holidays: readonly Holiday[],
    workdays: readonly string[],
    timeZone: string,
  ) {
    this.clock = new LocalClock(timeZone);
    this.workdays = new Set(workdays);
  }

  /** Reads center.json (opening_hours) and holidays.json from the knowledge folder; throws naming the file and the problem. */
  static load(knowledgeDir: string): BusinessHours {
    const center = readJsonFile(join(knowledgeDir, 'center.json'), CenterHoursFile);
    const calendar = readJsonFile(join(knowledgeDir, 'holidays.json'), HolidaysFile);
    const weekly = weeklyHoursOf(center.opening_hours.value);
    const workdays = calendar.workdays.map((workday) => workday.date);
    return new BusinessHours(weekly, calendar.holidays, workdays, calendar.timezone);
  }

  /** True when `at` is inside one of its local day's opening periods and that day is not a holiday. */
  isOpen(at: Date): boolean {
    const local = this.clock.partsOf(at);
    const second = local.hour * 3600 + local.minute * 60 + local.second;
    return this.periodsOn(local.date).some((period) => period.start * 60 <= second && second < period.end * 60);
  }

  /** The start of the next opening period, or `at` itself when open now; throws when none within 60 days. */
  nextOpening(at: Date): Date {
    if (this.isOpen(at)) return new Date(at.getTime());
    const today = this.clock.partsOf(at).date;
    for (let ahead = 0; ahead <= LOOK_AHEAD_DAYS; ahead++) {
      const date = addDays(today, ahead);
      for (const period of this.periodsOn(date)) {
        const opening = this.clock.instantAt(date, period.start);
        if (opening.getTime() > at.getTime()) return opening;
      }
    }
    throw new Error(
      `business hours: no opening within ${LOOK_AHEAD_DAYS} days after ${at.toISOString()}; ` +
        'check opening_hours in center.json and the holidays in holidays.json',
    );
  }

  /** The name of the holiday `at` falls on (local date), or null. */
  holidayOn(at: Date): string | null {
    return holidayOnDate(this.holidays, this.clock.partsOf(at).date)?.name ?? null;
  }

  /** Short Vietnamese wording of `at` for citizens, relative to `now`: "13 giờ 30 chiều nay", "7 giờ 00 sáng thứ Hai, ngày 30/11". */
  describe(at: Date, now: Date): string {
    const local = this.clock.partsOf(at);
    const time = `${local.hour} giờ ${String(local.minute).padStart(2, '0')} ${partOfDay(local.hour)}`;
    const today = this.clock.partsOf(now).date;
    if (local.date === today) return `${time} nay`;
    if (local.date === addDays(today, 1)) return `${time} mai`;
    return `${time} ${WEEKDAY_NAMES_VI[weekdayOf(local.date)]}, ngày ${dayMonth(local.date, today)}`;
  }

  private periodsOn(date: string): readonly OpeningPeriodMinutes[] {
    if (holidayOnDate(this.holidays, date) !== undefined) return [];
    if (this.workdays.has(date)) return this.weekly[COMPENSATORY_WORKDAY_HOURS];
    return this.weekly[weekdayOf(date)];
  }
}

interface LocalParts {
  /** "YYYY-MM-DD" */
  date: string;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock date and time in one IANA time zone, taken from Intl so no UTC offset is assumed. */
class LocalClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
  }

  partsOf(at: Date): LocalParts {
    const parts = new Map(this.format.formatToParts(at).map((part) => [part.type, part.value]));
    const field = (type: Intl.DateTimeFormatPartTypes): string => {
      const value = parts.get(type);
      if (value === undefined) throw new Error(`business hours: the clock gave no ${type} for ${at.toISOString()}`);
      return value;
    };
    return {
      date: `${field('year')}-${field('month')}-${field('day')}`,
      hour: Number(field('hour')),
      minute: Number(field('minute')),
      second: Number(field('second')),
    };
  }

  /** The instant the local clock shows `minuteOfDay` on `date`. */
  instantAt(date: string, minuteOfDay: number): Date {
    const wallClock = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * 60_000;
    // The offset is read at a guess and the guess corrected; the second pass settles a guess that crossed an offset change.
    let instant = wallClock;
    for (let pass = 0; pass < 2; pass++) instant = wallClock - this.offsetAt(instant);
    return new Date(instant);
  }

  private offsetAt(instant: number): number {
    const local = this.partsOf(new Date(instant));
    const asUtc = Date.parse(`${local.date}T00:00:00Z`) + (local.hour * 3600 + local.minute * 60 + local.second) * 1000;
    return asUtc - Math.floor(instant / 1000) * 1000;
  }
}

function holidayOnDate(holidays: readonly Holiday[], date: string): Holiday | undefined {
  // ISO dates compare in calendar order.
  return holidays.find((holiday) => holiday.from <= date && date <= holiday.to);
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function weeklyHoursOf(hours: Record<Weekday, readonly (readonly [string, string])[]>): WeeklyHours {
  const day = (weekday: Weekday): OpeningPeriodMinutes[] =>
    hours[weekday].map(([start, end]) => ({ start: minutesOf(start), end: minutesOf(end) }));
  return {
    sun: day('sun'),
    mon: day('mon'),
    tue: day('tue'),
    wed: day('wed'),
    thu: day('thu'),
    fri: day('fri'),
    sat: day('sat'),
  };
}

function minutesOf(clockTime: string): number {
  const [hours, minutes] = clockTime.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Calendar arithmetic on a "YYYY-MM-DD" date; UTC is used only as a zone without offset changes. */
function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * DAY_MS;
  return Number.isNaN(time) ? '' : new Date(time).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
  if (weekday === undefined) throw new Error(`business hours: ${date} is not a date`);
  return weekday;
}

function partOfDay(hour: number): string {
  if (hour < 12) return 'sáng';
  if (hour < 18) return 'chiều';
  return 'tối';
}

/** "30/11", with the year only when it is not the current one. */
function dayMonth(date: string, today: string): string {
  const [year, month, day] = date.split('-');
  const short = `${Number(day)}/${Number(month)}`;
  return year === today.slice(0, 4) ? short : `${short}/${year}`;
}
