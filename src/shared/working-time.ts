/**
 * The working-time clock for case deadlines: which days are working days
 * (weekends, public holidays and make-up working days / 调休), the working
 * periods of a day, and arithmetic on instants measured in working time.
 *
 * All inputs and outputs are instants (`Date`); the calendar itself is read in
 * China Standard Time (UTC+8, no DST), like `dates.ts`. Pure and shared by the
 * server and the web client: no Node-only APIs, no I/O.
 *
 * Every function iterates over days, never minutes, and gives up (with an
 * Error) after a 20-year search horizon, so a calendar without working time
 * cannot loop forever.
 */
import { z } from "zod";

const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3600_000;
/** How far any search may run, in calendar days (~20 years). */
const MAX_SEARCH_DAYS = 20 * 366;

export interface WorkCalendar {
  /** Working periods of a working day, "HH:MM" in CST, in order, not overlapping. */
  workingHours: { start: string; end: string }[];
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are days off; usually [6, 7]. */
  weekend: number[];
  /** "YYYY-MM-DD" days off even if they fall on a weekday (public holidays). */
  holidays: string[];
  /** "YYYY-MM-DD" make-up working days (调休) even if they fall on a weekend. */
  workdays: string[];
}

/** Expands an inclusive range of days in one month: ("2026-02", 15, 23). */
function days(month: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d++) out.push(`${month}-${String(d).padStart(2, "0")}`);
  return out;
}

/**
 * 09:00–12:00 and 13:30–17:30, Saturday and Sunday off, and the mainland-China
 * public holidays for 2026 as published by the State Council General Office
 * (国务院办公厅关于2026年部分节假日安排的通知).
 *
 * 2027 is deliberately left out: its notice is published late in the previous
 * year and is not encoded here. Add its days through the WORK_CALENDAR
 * configuration (see `parseCalendar`) or here once it is published.
 */
export const DEFAULT_CALENDAR: WorkCalendar = {
  workingHours: [
    { start: "09:00", end: "12:00" },
    { start: "13:30", end: "17:30" },
  ],
  weekend: [6, 7],
  holidays: [
    ...days("2026-01", 1, 3), // 元旦
    ...days("2026-02", 15, 23), // 春节
    ...days("2026-04", 4, 6), // 清明节
    ...days("2026-05", 1, 5), // 劳动节
    ...days("2026-06", 19, 21), // 端午节
    ...days("2026-09", 25, 27), // 中秋节
    ...days("2026-10", 1, 7), // 国庆节
  ],
  workdays: [
    "2026-01-04", // Sun, for 元旦
    "2026-02-14", // Sat, for 春节
    "2026-02-28", // Sat, for 春节
    "2026-05-09", // Sat, for 劳动节
    "2026-09-20", // Sun, for 国庆节
    "2026-10-10", // Sat, for 国庆节
  ],
};

// ---------------------------------------------------------------------------
// Parsing and validation

const TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** "HH:MM" → minutes after midnight, or NaN. "24:00" is allowed (end of day). */
function minutesOf(time: string): number {
  if (!TIME_PATTERN.test(time)) return Number.NaN;
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** "YYYY-MM-DD" → days since 1970-01-01, or NaN if not a real calendar date. */
function dayNumberOf(date: string): number {
  if (!DATE_PATTERN.test(date)) return Number.NaN;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    return Number.NaN;
  }
  return ms / DAY_MS;
}

/** Returns a message if the periods are not in order and disjoint, else null. */
function periodsProblem(periods: { start: string; end: string }[]): string | null {
  let previousEnd = -1;
  for (const [i, p] of periods.entries()) {
    const start = minutesOf(p.start);
    const end = minutesOf(p.end);
    if (Number.isNaN(start) || Number.isNaN(end)) {
      return `period ${i + 1}: times must be "HH:MM" (00:00–24:00)`;
    }
    if (start >= end) return `period ${i + 1}: start ${p.start} must be before end ${p.end}`;
    if (start < previousEnd) {
      return `period ${i + 1}: starts at ${p.start}, before the previous period ends (periods must be in order and not overlap)`;
    }
    previousEnd = end;
  }
  return null;
}

const timeString = z
  .string()
  .regex(TIME_PATTERN, '时间格式应为 HH:MM / time must be "HH:MM" (00:00–24:00)');
const dateString = z
  .string()
  .refine((s) => !Number.isNaN(dayNumberOf(s)), "日期无效 / must be a real date as YYYY-MM-DD");

const calendarSchema = z
  .strictObject({
    workingHours: z
      .array(z.strictObject({ start: timeString, end: timeString }))
      .min(1, "至少需要一个工作时段 / at least one working period is required")
      .default(DEFAULT_CALENDAR.workingHours),
    weekend: z
      .array(z.number().int().min(1).max(7, "ISO 星期为 1–7 / ISO weekdays are 1 (Mon) to 7 (Sun)"))
      .default(DEFAULT_CALENDAR.weekend),
    holidays: z.array(dateString).default(DEFAULT_CALENDAR.holidays),
    workdays: z.array(dateString).default(DEFAULT_CALENDAR.workdays),
  })
  .superRefine((cal, ctx) => {
    const problem = periodsProblem(cal.workingHours);
    if (problem) {
      ctx.addIssue({ code: "custom", path: ["workingHours"], message: problem });
    }
    if (new Set(cal.weekend).size !== cal.weekend.length) {
      ctx.addIssue({ code: "custom", path: ["weekend"], message: "weekdays must not repeat" });
    }
    const holidays = new Set(cal.holidays);
    for (const [i, day] of cal.workdays.entries()) {
      if (holidays.has(day)) {
        ctx.addIssue({
          code: "custom",
          path: ["workdays", i],
          message: `${day} is listed both as a holiday and as a make-up working day`,
        });
      }
    }
  });

/**
 * Validates a work calendar read from JSON configuration. Omitted fields take
 * the value of `DEFAULT_CALENDAR`; a given list replaces the default list
 * entirely (it is not merged). Unknown fields are rejected.
 *
 * @throws Error listing every problem as "path: message".
 */
export function parseCalendar(input: unknown): WorkCalendar {
  const result = calendarSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    throw new Error(`Invalid work calendar: ${problems.join("; ")}`);
  }
  const cal = result.data;
  return {
    workingHours: cal.workingHours.map((p) => ({ start: p.start, end: p.end })),
    weekend: [...cal.weekend],
    holidays: [...cal.holidays],
    workdays: [...cal.workdays],
  };
}

// ---------------------------------------------------------------------------
// The compiled calendar: numbers only, so the day loops stay cheap

interface Compiled {
  /** [start, end) offsets in ms after CST midnight, in order. */
  periods: [number, number][];
  /** End of the last period, ms after CST midnight. */
  dayEnd: number;
  weekend: Set<number>;
  holidays: Set<number>;
  workdays: Set<number>;
}

// A calendar is compiled once per object: deadlines are computed on every
// intake and transition, and the holiday lists are the same every time.
const compiledCalendars = new WeakMap<WorkCalendar, Compiled>();

function compile(cal: WorkCalendar): Compiled {
  let c = compiledCalendars.get(cal);
  if (!c) {
    c = compileAnew(cal);
    compiledCalendars.set(cal, c);
  }
  return c;
}

function compileAnew(cal: WorkCalendar): Compiled {
  const problem = periodsProblem(cal.workingHours);
  if (problem) throw new Error(`Invalid work calendar: workingHours: ${problem}`);
  const periods = cal.workingHours.map(
    (p) => [minutesOf(p.start) * 60_000, minutesOf(p.end) * 60_000] as [number, number],
  );
  const last = periods[periods.length - 1];
  if (!last) throw new Error("Invalid work calendar: it has no working hours");
  const dayNumbers = (list: string[], field: string): Set<number> =>
    new Set(
      list.map((day) => {
        const n = dayNumberOf(day);
        if (Number.isNaN(n)) throw new Error(`Invalid work calendar: ${field}: bad date "${day}"`);
        return n;
      }),
    );
  return {
    periods,
    dayEnd: last[1],
    weekend: new Set(cal.weekend),
    holidays: dayNumbers(cal.holidays, "holidays"),
    workdays: dayNumbers(cal.workdays, "workdays"),
  };
}

function isWorkingDayNumber(c: Compiled, day: number): boolean {
  if (c.workdays.has(day)) return true;
  if (c.holidays.has(day)) return false;
  // 1970-01-01 (day 0) was a Thursday, ISO weekday 4.
  const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1;
  return !c.weekend.has(isoWeekday);
}

/** The CST calendar day (days since 1970-01-01) containing an instant. */
function dayOf(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}

/** The instant of CST midnight starting a day. */
function midnightOf(day: number): number {
  return day * DAY_MS - CST_OFFSET_MS;
}

function instantOf(date: Date, name: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

function horizonError(): Error {
  return new RangeError(
    "Working-time search exceeded 20 years: the calendar has (almost) no working days, or the span is too long",
  );
}

// ---------------------------------------------------------------------------
// Public arithmetic

/**
 * Whether a calendar day ("YYYY-MM-DD") is a working day: make-up working
 * days always are, holidays and weekend days are not, other days are.
 */
export function isWorkingDay(day: string, cal: WorkCalendar): boolean {
  const n = dayNumberOf(day);
  if (Number.isNaN(n)) throw new RangeError(`Not a date as YYYY-MM-DD: "${day}"`);
  return isWorkingDayNumber(compile(cal), n);
}

/**
 * The instant at which `ms` milliseconds of working time have elapsed since
 * `start`. Outside working time the count begins at the next working period;
 * a total that is used up exactly at the end of a period returns that end
 * (e.g. 17:30), not the start of the next one. `ms` = 0 returns `start`.
 *
 * @param ms non-negative; rounded to whole milliseconds.
 * @throws RangeError for a negative or non-finite amount, or beyond 20 years.
 */
export function addWorkingMs(start: Date, ms: number, cal: WorkCalendar): Date {
  const t = instantOf(start, "start");
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Working time to add must be a finite number ≥ 0, got ${ms}`);
  }
  const c = compile(cal);
  let remaining = Math.round(ms);
  if (remaining === 0) return new Date(t);
  const first = dayOf(t);
  for (let day = first; day <= first + MAX_SEARCH_DAYS; day++) {
    if (!isWorkingDayNumber(c, day)) continue;
    const midnight = midnightOf(day);
    for (const [a, b] of c.periods) {
      const end = midnight + b;
      if (end <= t) continue;
      const from = Math.max(midnight + a, t);
      const available = end - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
    }
  }
  throw horizonError();
}

/**
 * The instant at which `hours` of working time have elapsed since `start`
 * (fractional hours allowed); see `addWorkingMs`.
 */
export function addWorkingHours(start: Date, hours: number, cal: WorkCalendar): Date {
  if (!Number.isFinite(hours) || hours < 0) {
    throw new RangeError(`Working hours to add must be a finite number ≥ 0, got ${hours}`);
  }
  return addWorkingMs(start, hours * HOUR_MS, cal);
}

/**
 * Deadline for "resolve within `days` working days", counted in whole days
 * as government time limits are (民法典 art. 201: the starting day is not
 * counted): the day of `start` (in CST) never counts, whatever the time of
 * day, and the deadline is the end of the last working period (e.g. 17:30)
 * of the `days`-th working day after it. Received on Monday with 1 day →
 * Tuesday 17:30; received on Friday evening or Saturday → Monday 17:30.
 *
 * `days` = 0 means "the same working day": the end of `start`'s day if it is
 * a working day and `start` is before its last period ends, otherwise the end
 * of the next working day.
 *
 * @throws RangeError unless `days` is an integer ≥ 0, or beyond 20 years.
 */
export function addWorkingDays(start: Date, days: number, cal: WorkCalendar): Date {
  const t = instantOf(start, "start");
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`Working days must be an integer ≥ 0, got ${days}`);
  }
  const c = compile(cal);
  const first = dayOf(t);
  if (days === 0 && isWorkingDayNumber(c, first) && t < midnightOf(first) + c.dayEnd) {
    return new Date(midnightOf(first) + c.dayEnd);
  }
  const target = Math.max(days, 1);
  let counted = 0;
  for (let day = first + 1; day <= first + MAX_SEARCH_DAYS; day++) {
    if (isWorkingDayNumber(c, day) && ++counted === target) {
      return new Date(midnightOf(day) + c.dayEnd);
    }
  }
  throw horizonError();
}

/**
 * Working milliseconds between two instants: the length of the parts of
 * [from, to) that fall inside working periods of working days. 0 if
 * `to` ≤ `from`. Inverse of `addWorkingMs`:
 * `workingMsBetween(s, addWorkingMs(s, m)) === m` for whole `m`.
 *
 * @throws RangeError if the span exceeds 20 years.
 */
export function workingMsBetween(from: Date, to: Date, cal: WorkCalendar): number {
  const f = instantOf(from, "from");
  const e = instantOf(to, "to");
  const c = compile(cal);
  if (e <= f) return 0;
  const first = dayOf(f);
  const last = dayOf(e);
  if (last - first > MAX_SEARCH_DAYS) throw horizonError();
  let total = 0;
  for (let day = first; day <= last; day++) {
    if (!isWorkingDayNumber(c, day)) continue;
    const midnight = midnightOf(day);
    for (const [a, b] of c.periods) {
      const overlap = Math.min(midnight + b, e) - Math.max(midnight + a, f);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}
