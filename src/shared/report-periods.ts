/**
 * The periods of district reports, on the China-local calendar: a week runs
 * Monday to Sunday and is named by its ISO week ("2026-W48"); a month is
 * "2026-11". Pure functions shared by the server (parsing, the schedule) and
 * the web app (the period picker, labels).
 */

export const REPORT_KINDS = ["weekly", "monthly"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const DAY_MS = 86_400_000;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => dayOf(dayMs(day) + n * DAY_MS);
/** Days from `from` to `to`, both included. */
export const daysIn = (from: string, to: string) =>
  Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;

/** Monday of ISO week 1 of a year: the week holding 4 January. */
function isoYearStart(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY_MS;
}

/** The ISO week ("2026-W48") a calendar day lies in. */
export function isoWeekOf(day: string): string {
  const ms = dayMs(day);
  const dow = (new Date(ms).getUTCDay() + 6) % 7;
  const thursday = ms + (3 - dow) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - isoYearStart(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export interface PeriodRange {
  from: string;
  to: string;
}

/** The first and last day of a period; null when the name is not one of `kind`. */
export function periodRange(kind: ReportKind, period: string): PeriodRange | null {
  if (kind === "weekly") {
    const m = WEEK_RE.exec(period);
    if (!m) return null;
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (week < 1 || week > 53) return null;
    const from = dayOf(isoYearStart(year) + (week - 1) * 7 * DAY_MS);
    // Week 53 exists only in some years: it must name itself back.
    if (isoWeekOf(from) !== period) return null;
    return { from, to: addDays(from, 6) };
  }
  const m = MONTH_RE.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || year < 2000) return null;
  const from = `${m[1]}-${m[2]}-01`;
  const to = dayOf(Date.UTC(year, month, 0));
  return { from, to };
}

/** The period of `kind` that holds a day. */
export function periodOf(kind: ReportKind, day: string): string {
  return kind === "weekly" ? isoWeekOf(day) : day.slice(0, 7);
}

/** The period just before (the week or month before). */
export function previousPeriod(kind: ReportKind, period: string): string {
  const r = periodRange(kind, period);
  if (!r) throw new Error(`not a ${kind} period: ${period}`);
  return periodOf(kind, addDays(r.from, -1));
}

/** The last period that has ended by `today` (last week, last month). */
export function lastCompletePeriod(kind: ReportKind, today: string): string {
  return previousPeriod(kind, periodOf(kind, today));
}

/** "2026年第48周（11月23日—11月29日）" / "2026年11月". */
export function periodLabel(kind: ReportKind, period: string): string {
  const r = periodRange(kind, period);
  if (!r) return period;
  const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  if (kind === "weekly")
    return `${period.slice(0, 4)}年第${Number(period.slice(6))}周（${md(r.from)}—${md(r.to)}）`;
  return `${period.slice(0, 4)}年${Number(period.slice(5, 7))}月`;
}

/** The word for "this period" and "the one before" in report sentences. */
export const PERIOD_WORDS: Record<ReportKind, { current: string; previous: string }> = {
  weekly: { current: "本周", previous: "上周" },
  monthly: { current: "本月", previous: "上月" },
};
