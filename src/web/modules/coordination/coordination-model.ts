/**
 * The pure rules of the 综治中心 page: which period a preset means, how a
 * figure and its change against the previous period read (and whether the
 * change is good news), the quantile classes the map shades areas by, the
 * breadcrumb of the area drilled into, and CSV that Excel opens in Chinese.
 * No React and no DOM here, so all of it is unit-tested.
 */
import { COORDINATION_MAX_DAYS, type KpiResponse } from "../../../shared/schemas/coordination.js";

const DAY_MS = 86_400_000;

export const PERIOD_PRESETS = ["7d", "30d", "90d", "365d"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
const PRESET_DAYS: Record<PeriodPreset, number> = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 };

export interface Period {
  from: string;
  to: string;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn(p: Period): number {
  return (
    Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS) + 1
  );
}

/** The last N days up to today, today included. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  return { from: addDays(today, -(PRESET_DAYS[preset] - 1)), to: today };
}

export type PeriodProblem = "order" | "tooLong" | "invalid";

/** Why a custom range cannot be asked for, or null when it can. */
export function checkPeriod(p: Period): PeriodProblem | null {
  const ok = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));
  if (!ok(p.from) || !ok(p.to)) return "invalid";
  if (p.from > p.to) return "order";
  if (daysIn(p) > COORDINATION_MAX_DAYS) return "tooLong";
  return null;
}

// ---------------------------------------------------------------- figures

/** 0.8734 → "87.3%"; null → the placeholder. */
export function formatRate(rate: number | null, none: string): string {
  return rate === null ? none : `${(rate * 100).toFixed(1)}%`;
}

/** Integers with thousands separators; fractions with `digits` decimals. */
export function formatNumber(v: number | null, none: string, digits = 0): string {
  if (v === null || !Number.isFinite(v)) return none;
  return v.toLocaleString("zh-CN", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export type KpiKey =
  | "received"
  | "closed"
  | "acceptOnTimeRate"
  | "resolveOnTimeRate"
  | "avgHandlingHours"
  | "satisfaction"
  | "satisfiedRate"
  | "reopenRate"
  | "repeatRate"
  | "multiSubjectRate"
  | "multiKindRate"
  | "avgAcceptHours"
  | "bounced"
  | "open"
  | "overdue";

/** How a KPI reads: a count, a rate (shown as %), hours or a 1–5 score. */
export type KpiKind = "count" | "rate" | "hours" | "score";
/** Which way is good news; `neutral` for volumes that are neither (受理量, 在办). */
export type Better = "higher" | "lower" | "neutral";

export interface KpiSpec {
  key: KpiKey;
  kind: KpiKind;
  better: Better;
}

/** The tiles, in the order they are shown: handling, then working together. */
export const KPI_SPECS: readonly KpiSpec[] = [
  { key: "received", kind: "count", better: "neutral" },
  { key: "closed", kind: "count", better: "higher" },
  { key: "acceptOnTimeRate", kind: "rate", better: "higher" },
  { key: "resolveOnTimeRate", kind: "rate", better: "higher" },
  { key: "avgHandlingHours", kind: "hours", better: "lower" },
  { key: "satisfaction", kind: "score", better: "higher" },
  { key: "satisfiedRate", kind: "rate", better: "higher" },
  { key: "reopenRate", kind: "rate", better: "lower" },
  { key: "repeatRate", kind: "rate", better: "lower" },
  { key: "open", kind: "count", better: "neutral" },
  { key: "overdue", kind: "count", better: "lower" },
  { key: "multiSubjectRate", kind: "rate", better: "higher" },
  { key: "multiKindRate", kind: "rate", better: "higher" },
  { key: "avgAcceptHours", kind: "hours", better: "lower" },
  { key: "bounced", kind: "count", better: "lower" },
];

/** A tile's value now and in the period before (null: no previous figure, as for 在办). */
export function kpiValues(
  k: KpiResponse,
  key: KpiKey,
): { value: number | null; previous: number | null } {
  if (key === "open") return { value: k.open, previous: null };
  if (key === "overdue") return { value: k.overdue, previous: null };
  return { value: k.figures[key], previous: k.previous[key] };
}

export function formatKpi(kind: KpiKind, v: number | null, none: string): string {
  if (kind === "rate") return formatRate(v, none);
  if (kind === "hours") return formatNumber(v, none, 1);
  if (kind === "score") return formatNumber(v, none, 2);
  return formatNumber(v, none);
}

export interface Trend {
  direction: "up" | "down" | "flat";
  /** true: good news, false: bad news, null: neither (a volume) */
  good: boolean | null;
  /** "+12.5%" for counts, "+3.2 个百分点" style points for rates ("pp"), "+1.5" otherwise */
  delta: string;
  unit: "percent" | "points" | "plain";
}

/**
 * The change against the previous period, or null when either side is
 * missing (or a count had nothing before, where a percentage means nothing).
 * Rates change in percentage points; counts in percent; the rest as is.
 */
export function trendOf(
  kind: KpiKind,
  better: Better,
  value: number | null,
  previous: number | null,
): Trend | null {
  if (value === null || previous === null) return null;
  let change: number;
  let unit: Trend["unit"];
  if (kind === "rate") {
    change = Math.round((value - previous) * 1000) / 10;
    unit = "points";
  } else if (kind === "count") {
    if (previous === 0) return null;
    change = Math.round(((value - previous) / previous) * 1000) / 10;
    unit = "percent";
  } else {
    change = Math.round((value - previous) * 100) / 100;
    unit = "plain";
  }
  const direction = change > 0 ? "up" : change < 0 ? "down" : "flat";
  const good =
    better === "neutral" || direction === "flat"
      ? null
      : (direction === "up") === (better === "higher");
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  const abs = Math.abs(change);
  const delta = `${sign}${unit === "plain" ? String(abs) : abs.toFixed(1)}${unit === "percent" ? "%" : ""}`;
  return { direction, good, delta, unit };
}

// ---------------------------------------------------------------- map classes

export interface Classes {
  /** upper bounds (inclusive) of each class but the last, ascending */
  breaks: number[];
  /** each class's [min, max] of the values that fall in it */
  ranges: [number, number][];
}

/**
 * Quantile classes (at most `k`) of the non-null values: each class holds
 * about as many areas as the others. Equal values never straddle two
 * classes, so fewer classes come back when the values repeat (all zero → one).
 */
export function quantileClasses(values: readonly (number | null)[], k = 5): Classes {
  const sorted = values
    .filter((v): v is number => v !== null && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return { breaks: [], ranges: [] };
  const breaks: number[] = [];
  for (let i = 1; i < k; i++) {
    const at = sorted[
      Math.min(sorted.length - 1, Math.ceil((i * sorted.length) / k) - 1)
    ] as number;
    if ((breaks.length === 0 || at > (breaks.at(-1) as number)) && at < (sorted.at(-1) as number))
      breaks.push(at);
  }
  const ranges: [number, number][] = [];
  let start = 0;
  for (let c = 0; c <= breaks.length; c++) {
    const upper = c < breaks.length ? (breaks[c] as number) : Number.POSITIVE_INFINITY;
    let end = start;
    while (end < sorted.length && (sorted[end] as number) <= upper) end++;
    ranges.push([sorted[start] as number, sorted[end - 1] as number]);
    start = end;
  }
  return { breaks, ranges };
}

/** The class index of a value (0 = lowest), or null for no value. */
export function classOf(v: number | null, c: Classes): number | null {
  if (v === null || c.ranges.length === 0) return null;
  const i = c.breaks.findIndex((b) => v <= b);
  return i < 0 ? c.breaks.length : i;
}

/** Light to dark: many open or overdue cases, or few on time, read as dark (worse). */
export const CLASS_COLORS = ["#fff1b8", "#ffd666", "#fa8c16", "#d4380d", "#820014"] as const;
export const NO_DATA_COLOR = "#d9d9d9";

/**
 * The colour of class `i` of `n`: spread over the ramp; when lower is worse
 * (an on-time rate) the ramp is reversed so the worst is still the darkest.
 */
export function classColor(i: number, n: number, lowerIsWorse: boolean): string {
  const at = n <= 1 ? 2 : Math.round((i * (CLASS_COLORS.length - 1)) / (n - 1));
  const idx = lowerIsWorse ? CLASS_COLORS.length - 1 - at : at;
  return CLASS_COLORS[idx] as string;
}

// ---------------------------------------------------------------- areas

export const AREA_LEVELS_DOWN = ["district", "street", "community", "grid"] as const;
export type MapLevel = "street" | "community" | "grid";

/** The levels the map can shade under an area of `level` (a grid shows itself). */
export function mapLevelsUnder(level: string): MapLevel[] {
  const all: MapLevel[] = ["street", "community", "grid"];
  const depth = AREA_LEVELS_DOWN.indexOf(level as (typeof AREA_LEVELS_DOWN)[number]);
  if (level === "grid") return ["grid"];
  return depth < 0 ? all : all.filter((l) => AREA_LEVELS_DOWN.indexOf(l) > depth);
}

/** The code of an area from its materialised path `/320505/320505001/`. */
export function codeOfPath(path: string): string {
  return path.split("/").filter(Boolean).at(-1) ?? "";
}

/**
 * The breadcrumb's codes, widest first: the area's ancestors and itself, from
 * the first one the user's grants reach (`homeCodes`); above that they may not
 * look. With no grant on the path, only the area itself.
 */
export function crumbCodes(path: string, homeCodes: readonly string[]): string[] {
  const codes = path.split("/").filter(Boolean);
  const start = codes.findIndex((c) => homeCodes.includes(c));
  return start < 0 ? codes.slice(-1) : codes.slice(start);
}

// ---------------------------------------------------------------- CSV

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a text
 * that a spreadsheet would run as a formula (= + - @) gets a leading
 * apostrophe. Numbers stay numbers.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A whole CSV file: a BOM so Excel reads it as UTF-8 (Chinese intact), CRLF lines. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** A rate as a CSV number in percent with one decimal (87.3), empty when there is none. */
export const csvPercent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
