import { describe, expect, it } from "vitest";
import { fillSeries, periodLabel, trendCsvRows, trendOption } from "./coordination-charts.js";

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
