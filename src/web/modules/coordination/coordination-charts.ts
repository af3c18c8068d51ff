/**
 * The 综治中心 trend chart as an ECharts option, and its data as CSV rows:
 * pure, so the shapes are tested without a browser.
 */
import type { EChartsCoreOption } from "echarts/core";
import type { KpiResponse } from "../../../shared/schemas/coordination.js";
import { addDays, csvPercent } from "./coordination-model.js";

export const TREND_COLORS = {
  received: "#1668dc",
  resolved: "#52c41a",
  closed: "#13c2c2",
  rate: "#fa8c16",
} as const;

export interface TrendLabels {
  received: string;
  resolved: string;
  closed: string;
  rate: string;
}

/** Bars up to a month of points; lines beyond, where bars would be too thin to read. */
const BAR_MAX_POINTS = 31;

type Point = KpiResponse["series"][number];

/**
 * Every day (or month) of the period, with zeros where the server had
 * nothing: the rollups only hold days with activity, and a chart that skips
 * quiet days would draw a busy week next to a busy month.
 */
export function fillSeries(
  series: readonly Point[],
  grain: KpiResponse["seriesGrain"],
  from: string,
  to: string,
): Point[] {
  const byPeriod = new Map(series.map((s) => [s.period.slice(0, 10), s]));
  const out: Point[] = [];
  const step = (d: string) =>
    grain === "day"
      ? addDays(d, 1)
      : new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 1))
          .toISOString()
          .slice(0, 10);
  const first = grain === "day" ? from : `${from.slice(0, 7)}-01`;
  for (let d = first; d <= to; d = step(d))
    out.push(
      byPeriod.get(d) ?? {
        period: d,
        received: 0,
        resolved: 0,
        closed: 0,
        resolveOnTimeRate: null,
      },
    );
  return out;
}

/** "2026-03-01" → "03-01" per day, "2026-03" per month. */
export function periodLabel(period: string, grain: KpiResponse["seriesGrain"]): string {
  return grain === "month" ? period.slice(0, 7) : period.slice(5, 10);
}

/** Received, resolved and closed per period; the on-time rate (in %) on the right-hand axis. */
export function trendOption(
  series: KpiResponse["series"],
  grain: KpiResponse["seriesGrain"],
  l: TrendLabels,
): EChartsCoreOption {
  const kind = series.length <= BAR_MAX_POINTS ? "bar" : "line";
  const count = (name: string, color: string, data: number[]) => ({
    name,
    type: kind,
    data,
    itemStyle: { color },
    ...(kind === "line" ? { showSymbol: false } : { barMaxWidth: 14 }),
  });
  return {
    aria: { enabled: true },
    animationDuration: 300,
    legend: { top: 0, left: "center", itemWidth: 14, itemHeight: 10 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", confine: true },
    xAxis: { type: "category", data: series.map((s) => periodLabel(s.period, grain)) },
    yAxis: [
      { type: "value", minInterval: 1 },
      {
        type: "value",
        min: 0,
        max: 100,
        axisLabel: { formatter: "{value}%" },
        splitLine: { show: false },
      },
    ],
    series: [
      count(
        l.received,
        TREND_COLORS.received,
        series.map((s) => s.received),
      ),
      count(
        l.resolved,
        TREND_COLORS.resolved,
        series.map((s) => s.resolved),
      ),
      count(
        l.closed,
        TREND_COLORS.closed,
        series.map((s) => s.closed),
      ),
      {
        name: l.rate,
        type: "line",
        yAxisIndex: 1,
        connectNulls: true,
        data: series.map((s) => csvPercent(s.resolveOnTimeRate)),
        itemStyle: { color: TREND_COLORS.rate },
        lineStyle: { width: 2 },
        tooltip: { valueFormatter: (v: unknown) => (typeof v === "number" ? `${v}%` : "—") },
      },
    ],
  };
}

/** The chart's numbers, one row per period (the rate in %). */
export function trendCsvRows(series: KpiResponse["series"]): (string | number | null)[][] {
  return series.map((s) => [
    s.period,
    s.received,
    s.resolved,
    s.closed,
    csvPercent(s.resolveOnTimeRate),
  ]);
}
