/**
 * The charts of the 开放数据 page as ECharts options, built from the public
 * statistics: pure functions, so the shapes are tested without a browser.
 */
import type { EChartsCoreOption } from "echarts/core";
import type { OpenDataStats } from "../../../shared/schemas/open-data.js";

export const COLORS = { received: "#1668dc", resolved: "#52c41a", rate: "#fa8c16" } as const;

export interface ChartLabels {
  received: string;
  resolved: string;
  rate: string;
}

export interface FamilyTotal {
  family: string;
  name: string;
  received: number;
  resolved: number;
}

/** The leaf categories summed by family, most received first. */
export function familyTotals(byCategory: OpenDataStats["byCategory"]): FamilyTotal[] {
  const out = new Map<string, FamilyTotal>();
  for (const c of byCategory) {
    const f = out.get(c.family) ?? {
      family: c.family,
      name: c.familyName,
      received: 0,
      resolved: 0,
    };
    f.received += c.received;
    f.resolved += c.resolved;
    out.set(c.family, f);
  }
  return [...out.values()].sort(
    (a, b) => b.received - a.received || a.family.localeCompare(b.family),
  );
}

/** 0.8734 → "87.3%"; null → the placeholder. */
export function percent(rate: number | null, none = "—"): string {
  return rate === null ? none : `${(rate * 100).toFixed(1)}%`;
}

const legend = { top: 0, left: "center", itemWidth: 14, itemHeight: 10 } as const;
const grid = { left: 8, right: 24, top: 36, bottom: 8, containLabel: true } as const;

/** Horizontal bars (names read on a phone), the largest at the top. */
function horizontalBars(
  rows: { name: string; received: number; resolved: number }[],
  l: ChartLabels,
): EChartsCoreOption {
  const bottomUp = [...rows].reverse();
  return {
    aria: { enabled: true },
    animationDuration: 300,
    legend,
    grid,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      data: bottomUp.map((r) => r.name),
      axisLabel: { width: 96, overflow: "truncate" },
    },
    series: [
      {
        name: l.received,
        type: "bar",
        data: bottomUp.map((r) => r.received),
        itemStyle: { color: COLORS.received },
      },
      {
        name: l.resolved,
        type: "bar",
        data: bottomUp.map((r) => r.resolved),
        itemStyle: { color: COLORS.resolved },
      },
    ],
  };
}

export function categoryOption(s: OpenDataStats, l: ChartLabels): EChartsCoreOption {
  return horizontalBars(familyTotals(s.byCategory), l);
}

export function areaOption(s: OpenDataStats, l: ChartLabels): EChartsCoreOption {
  return horizontalBars(
    [...s.byArea].sort((a, b) => b.received - a.received || a.code.localeCompare(b.code)),
    l,
  );
}

/** Received and resolved per month (bars on the left axis), the on-time rate as a line (right, %). */
export function monthOption(s: OpenDataStats, l: ChartLabels): EChartsCoreOption {
  return {
    aria: { enabled: true },
    animationDuration: 300,
    legend,
    grid: { ...grid, right: 8 },
    tooltip: { trigger: "axis", confine: true },
    xAxis: { type: "category", data: s.byMonth.map((m) => m.month.replace("-", ".")) },
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
      {
        name: l.received,
        type: "line",
        data: s.byMonth.map((m) => m.received),
        itemStyle: { color: COLORS.received },
        smooth: true,
      },
      {
        name: l.resolved,
        type: "line",
        data: s.byMonth.map((m) => m.resolved),
        itemStyle: { color: COLORS.resolved },
        smooth: true,
      },
      {
        name: l.rate,
        type: "line",
        yAxisIndex: 1,
        data: s.byMonth.map((m) =>
          m.onTimeRate === null ? null : Math.round(m.onTimeRate * 1000) / 10,
        ),
        itemStyle: { color: COLORS.rate },
        lineStyle: { type: "dashed" },
        tooltip: { valueFormatter: (v: unknown) => (typeof v === "number" ? `${v}%` : "—") },
        connectNulls: true,
      },
    ],
  };
}
