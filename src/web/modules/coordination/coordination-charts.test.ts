import { describe, expect, it } from "vitest";
import {
  fillSeries,
  NETWORK_COLORS,
  networkOption,
  networkPairs,
  periodLabel,
  trendCsvRows,
  trendOption,
} from "./coordination-charts.js";

const point = (period: string, received: number, rate: number | null) => ({
  period,
  received,
  resolved: received - 1,
  closed: 0,
  resolveOnTimeRate: rate,
});

describe("fillSeries", () => {
  it("fills the quiet days of the period with zeros", () => {
    const filled = fillSeries([point("2026-03-02", 5, 0.5)], "day", "2026-03-01", "2026-03-04");
    expect(filled.map((p) => p.period)).toEqual([
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
    ]);
    expect(filled[1]?.received).toBe(5);
    expect(filled[0]).toEqual({
      period: "2026-03-01",
      received: 0,
      resolved: 0,
      closed: 0,
      resolveOnTimeRate: null,
    });
  });

  it("fills months from the first month of the period, across a year end", () => {
    const filled = fillSeries([point("2026-01-01", 3, null)], "month", "2025-11-15", "2026-02-10");
    expect(filled.map((p) => p.period)).toEqual([
      "2025-11-01",
      "2025-12-01",
      "2026-01-01",
      "2026-02-01",
    ]);
    expect(filled[2]?.received).toBe(3);
  });
});

describe("the trend chart", () => {
  it("draws the counts on the left axis and the on-time rate in % on the right", () => {
    const o = trendOption([point("2026-03-01", 4, 0.875)], "day", {
      received: "受理",
      resolved: "办结",
      closed: "结案",
      rate: "按时办结率",
    }) as { series: { name: string; type: string; yAxisIndex?: number; data: unknown[] }[] };
    expect(o.series.map((s) => s.name)).toEqual(["受理", "办结", "结案", "按时办结率"]);
    expect(o.series[0]?.type).toBe("bar");
    expect(o.series[3]).toMatchObject({ type: "line", yAxisIndex: 1, data: [87.5] });
  });

  it("switches to lines beyond a month of days", () => {
    const many = fillSeries([], "day", "2026-01-01", "2026-03-31");
    const o = trendOption(many, "day", {
      received: "a",
      resolved: "b",
      closed: "c",
      rate: "d",
    }) as {
      series: { type: string }[];
    };
    expect(o.series[0]?.type).toBe("line");
  });

  it("labels days and months, and exports the rate in %", () => {
    expect(periodLabel("2026-03-05", "day")).toBe("03-05");
    expect(periodLabel("2026-03-01", "month")).toBe("2026-03");
    expect(trendCsvRows([point("2026-03-01", 4, 0.875)])).toEqual([["2026-03-01", 4, 3, 0, 87.5]]);
  });
});

describe("the collaboration network", () => {
  const data = {
    from: "2026-09-01",
    to: "2026-11-28",
    nodes: [
      { id: "d:1", label: "派出所", kind: "government" as const, cases: 40 },
      { id: "o:7", label: "电子厂", kind: "enterprise" as const, cases: 10 },
      { id: "v", label: "志愿者", kind: "volunteer" as const, cases: 30 },
      { id: "d:2", label: "城管", kind: "government" as const, cases: 1 },
    ],
    // d:2's only pair was beyond the server's cut: it has no link here.
    links: [
      { source: "d:1", target: "o:7", cases: 10 },
      { source: "d:1", target: "v", cases: 30 },
    ],
  };
  const labels = {
    kind: (k: string) => `K-${k}`,
    link: (a: string, b: string, n: number) => `${a}—${b}:${n}`,
    node: (name: string, kind: string, n: number) => `${name}/${kind}/${n}`,
  };

  it("draws the subjects of the links, sized by cases, coloured by kind", () => {
    const o = networkOption(data, labels) as {
      series: {
        data: { id: string; category: number; symbolSize: number }[];
        links: { lineStyle: { width: number } }[];
        categories: { name: string; itemStyle: { color: string } }[];
      }[];
      tooltip: { formatter: (p: unknown) => string };
    };
    const s = o.series[0];
    expect(s?.data.map((n) => n.id)).toEqual(["d:1", "o:7", "v"]);
    const size = Object.fromEntries((s?.data ?? []).map((n) => [n.id, n.symbolSize]));
    expect(size["d:1"]).toBeGreaterThan(size.v as number);
    expect(size.v).toBeGreaterThan(size["o:7"] as number);
    expect(s?.links[1]?.lineStyle.width).toBeGreaterThan(s?.links[0]?.lineStyle.width as number);
    expect(s?.categories[s.data[1]?.category as number]).toEqual({
      name: "K-enterprise",
      itemStyle: { color: NETWORK_COLORS.enterprise },
    });
    expect(
      o.tooltip.formatter({ dataType: "edge", data: { source: "d:1", target: "v", cases: 30 } }),
    ).toBe("派出所—志愿者:30");
    expect(
      o.tooltip.formatter({
        dataType: "node",
        data: { name: "电子厂", kind: "enterprise", cases: 10 },
      }),
    ).toBe("电子厂/K-enterprise/10");
  });

  it("lists the pairs busiest first, by name", () => {
    expect(networkPairs(data)).toEqual([
      { key: "d:1|v", a: "派出所", b: "志愿者", cases: 30 },
      { key: "d:1|o:7", a: "派出所", b: "电子厂", cases: 10 },
    ]);
  });
});
