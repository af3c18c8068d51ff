/**
 * Pure helpers of the report pages: how a figure reads in its unit, which
 * way a change goes and whether that is good news, and the period a picked
 * day falls in. Tested without a browser (reports-model.test.ts).
 */
import { isoWeekOf, type ReportKind } from "../../../shared/report-periods.js";
import type { ReportKpi } from "../../../shared/schemas/reports.js";

/** 1,234 · 85.3% · 12.5 (hours) · 4.20 (score); null reads as `none`. */
export function formatFigure(
  unit: ReportKpi["unit"],
  v: number | null,
  none: string,
  lang = "zh-CN",
): string {
  if (v === null) return none;
  switch (unit) {
    case "count":
      return v.toLocaleString(lang);
    case "rate":
      return `${(v * 100).toFixed(1)}%`;
    case "hours":
      return v.toFixed(1);
    case "score":
      return v.toFixed(2);
  }
}

/** A rate 0–1 as 85.3%, or `none`. */
export const formatRate = (v: number | null, none: string) =>
  v === null ? none : `${(v * 100).toFixed(1)}%`;

/** Figures where less is better; volumes (received, dispatched …) are neither. */
const LOWER_IS_BETTER = new Set([
  "avgHandlingHours",
  "reopenRate",
  "returned",
  "supervised",
  "escalated",
]);
const HIGHER_IS_BETTER = new Set([
  "acceptOnTimeRate",
  "resolveOnTimeRate",
  "satisfaction",
  "satisfiedRate",
]);

export interface ChangeView {
  direction: "up" | "down" | "flat";
  /** true good news, false bad, null neither */
  good: boolean | null;
  /** "+20 (+20.0%)", "−5.0" (points, the caller adds the word), "+0.3" */
  text: string;
  /** rates change in percentage points */
  points: boolean;
}

const signed = (v: number, digits: number) =>
  `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v).toFixed(digits)}`;

/** The change of an overview line against the period before; null when it cannot be said. */
export function changeOf(k: ReportKpi): ChangeView | null {
  if (k.change === null) return null;
  const eps = k.unit === "rate" ? 0.0005 : 0.05;
  const direction = k.change > eps ? "up" : k.change < -eps ? "down" : "flat";
  const good =
    direction === "flat"
      ? null
      : HIGHER_IS_BETTER.has(k.key)
        ? direction === "up"
        : LOWER_IS_BETTER.has(k.key)
          ? direction === "down"
          : null;
  let text: string;
  if (k.unit === "rate") text = signed(k.change * 100, 1);
  else if (k.unit === "count")
    text = `${signed(k.change, 0)}${k.changeRate !== null ? ` (${signed(k.changeRate * 100, 1)}%)` : ""}`;
  else text = signed(k.change, k.unit === "score" ? 2 : 1);
  return { direction, good, text, points: k.unit === "rate" };
}

/** The period of `kind` a picked day ("YYYY-MM-DD") lies in. */
export function periodOfDay(kind: ReportKind, day: string): string {
  return kind === "weekly" ? isoWeekOf(day) : day.slice(0, 7);
}
