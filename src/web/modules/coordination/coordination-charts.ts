/**
 * The 综治中心 trend chart as an ECharts option, and its data as CSV rows:
 * pure, so the shapes are tested without a browser.
 */
import type { EChartsCoreOption } from "echarts/core";
import type { CollaborationResponse, KpiResponse } from "../../../shared/schemas/coordination.js";
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

// ------------------------------------------------------ the collaboration network

type Network = CollaborationResponse;
type SubjectKind = Network["nodes"][number]["kind"];
export const NETWORK_KINDS: readonly SubjectKind[] = [
  "government",
  "enterprise",
  "association",
  "volunteer",
  "other",
];
export const NETWORK_COLORS: Record<SubjectKind, string> = {
  government: "#1668dc",
  enterprise: "#fa8c16",
  association: "#722ed1",
  volunteer: "#52c41a",
  other: "#8c8c8c",
};

export interface NetworkLabels {
  kind: (k: SubjectKind) => string;
  link: (a: string, b: string, n: number) => string;
  node: (name: string, kind: string, n: number) => string;
}

/**
 * The network as an ECharts force graph: the subjects of the busiest pairs
 * (the server sends at most 60 links), a dot's area in proportion to its
 * shared cases, a line's width to the pair's, one colour and legend entry
 * per kind of subject.
 */
export function networkOption(d: Network, labels: NetworkLabels): EChartsCoreOption {
  const linked = new Set(d.links.flatMap((l) => [l.source, l.target]));
  const nodes = d.nodes.filter((n) => linked.has(n.id));
  const maxNode = Math.max(1, ...nodes.map((n) => n.cases));
  const maxLink = Math.max(1, ...d.links.map((l) => l.cases));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    tooltip: {
      formatter: (p: { dataType?: string; data?: Record<string, unknown> }) => {
        const x = p.data ?? {};
        if (p.dataType === "edge") {
          const a = byId.get(String(x.source))?.label ?? String(x.source);
          const b = byId.get(String(x.target))?.label ?? String(x.target);
          return labels.link(a, b, Number(x.cases));
        }
        return labels.node(String(x.name), labels.kind(x.kind as SubjectKind), Number(x.cases));
      },
    },
    legend: { data: NETWORK_KINDS.map((k) => labels.kind(k)), bottom: 0 },
    series: [
      {
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        force: { repulsion: 140, edgeLength: [30, 110], gravity: 0.2 },
        categories: NETWORK_KINDS.map((k) => ({
          name: labels.kind(k),
          itemStyle: { color: NETWORK_COLORS[k] },
        })),
        label: { show: true, position: "right", fontSize: 11 },
        labelLayout: { hideOverlap: true },
        emphasis: { focus: "adjacency" },
        data: nodes.map((n) => ({
          id: n.id,
          name: n.label,
          kind: n.kind,
          cases: n.cases,
          value: n.cases,
          category: NETWORK_KINDS.indexOf(n.kind),
          symbolSize: 8 + 28 * Math.sqrt(n.cases / maxNode),
        })),
        links: d.links.map((l) => ({
          source: l.source,
          target: l.target,
          cases: l.cases,
          value: l.cases,
          lineStyle: { width: 1 + 7 * (l.cases / maxLink), opacity: 0.55, curveness: 0.1 },
        })),
      },
    ],
  };
}

/** The pairs as rows (subject, subject, cases), busiest first, with the subjects' names. */
export function networkPairs(d: Network): { key: string; a: string; b: string; cases: number }[] {
  const names = new Map(d.nodes.map((n) => [n.id, n.label]));
  return [...d.links]
    .sort((x, y) => y.cases - x.cases)
    .map((l) => ({
      key: `${l.source}|${l.target}`,
      a: names.get(l.source) ?? l.source,
      b: names.get(l.target) ?? l.target,
      cases: l.cases,
    }));
}
