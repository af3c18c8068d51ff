/**
 * The calendar rules of self-inspection, pure: which period a day falls in
 * ("2026-11" monthly, "2026-Q4" quarterly), when a period is due (its last
 * day), whether a submission was late, and a hazard's rectification deadline
 * (general: 30 days, major: 60). Days are "YYYY-MM-DD" in China time.
 */
import type { HazardLevel, InspectionFrequency } from "../../../shared/schemas/inspections.js";

const DAY_MS = 86_400_000;
/** China keeps one time zone and no daylight saving: UTC+8 all year. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Days given to rectify a hazard, by level. */
export const RECTIFICATION_DAYS: Record<HazardLevel, number> = { general: 30, major: 60 };

/** The calendar day (China time) of an instant. */
export function localDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight (China time) at the start of a day, as an instant. */
export function startOfLocalDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The period a day belongs to. */
export function periodOf(day: string, frequency: InspectionFrequency): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return frequency === "monthly"
    ? `${year}-${pad(month)}`
    : `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

function parsePeriod(period: string): { year: number; firstMonth: number; months: number } {
  const m = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/.exec(period);
  if (!m) throw new RangeError(`not a period: ${period}`);
  const year = Number(m[1]);
  if (m[2]) return { year, firstMonth: Number(m[2]), months: 1 };
  return { year, firstMonth: (Number(m[3]) - 1) * 3 + 1, months: 3 };
}

export function frequencyOfPeriod(period: string): InspectionFrequency {
  return parsePeriod(period).months === 1 ? "monthly" : "quarterly";
}

/** The first day of a period. */
export function periodStart(period: string): string {
  const p = parsePeriod(period);
  return `${p.year}-${pad(p.firstMonth)}-01`;
}

/** The last day of a period: the inspection is due on it. */
export function periodEnd(period: string): string {
  const p = parsePeriod(period);
  // Day 0 of the month after the period is its last day.
  const end = new Date(Date.UTC(p.year, p.firstMonth - 1 + p.months, 0));
  return end.toISOString().slice(0, 10);
}

/** The period `n` periods before (negative: after) the given one. */
export function shiftPeriod(period: string, n: number): string {
  const p = parsePeriod(period);
  const monthIndex = p.year * 12 + (p.firstMonth - 1) - n * p.months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return periodOf(`${year}-${pad(month)}-01`, p.months === 1 ? "monthly" : "quarterly");
}

/** Submitted after the day it was due. */
export function isLate(submittedAt: Date, dueOn: string): boolean {
  return localDay(submittedAt) > dueOn;
}

/** Still due and its day has passed (not done in time; it may still be done, late). */
export function isOverdue(status: "due" | "submitted", dueOn: string, today: string): boolean {
  return status === "due" && dueOn < today;
}

/** The rectification deadline of a hazard found on `day`. */
export function hazardDeadline(day: string, level: HazardLevel): string {
  return addDays(day, RECTIFICATION_DAYS[level]);
}

/** Does a template for these industries (empty: all) apply to an enterprise of this one? */
export function templateApplies(industries: readonly string[], industry: string | null): boolean {
  return industries.length === 0 || (industry !== null && industries.includes(industry));
}
