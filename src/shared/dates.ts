/** Calendar dates ("YYYY-MM-DD") in China Standard Time (UTC+8, no DST). */
const CST_OFFSET_MS = 8 * 3600_000;

// Imports ask for "today" once per row: the string is built once per day.
let cachedDay = Number.NaN;
let cachedToday = "";

export function todayInChina(now: Date = new Date()): string {
  const day = Math.floor((now.getTime() + CST_OFFSET_MS) / 86_400_000);
  if (day !== cachedDay) {
    cachedToday = new Date(day * 86_400_000).toISOString().slice(0, 10);
    cachedDay = day;
  }
  return cachedToday;
}

/** Adds calendar months; the 31st of a shorter month becomes its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** Whole years between a birth date and a day. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** 2026-01-05T08:15:30+08:00: an instant in China time, whole seconds (W3C-DTF / ISO 8601). */
export function chinaDatetime(d: Date): string {
  return `${new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
