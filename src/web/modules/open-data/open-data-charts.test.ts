import { describe, expect, it } from "vitest";
import type { OpenDataStats } from "../../../shared/schemas/open-data.js";
import { areaOption, familyTotals, monthOption, percent } from "./open-data-charts.js";

const labels = { received: "受理", resolved: "办结", rate: "按期办结率" };
const stats = {
  byCategory: [
    {
      code: "a.x",
      name: "X",
      family: "a",
      familyName: "甲",
      received: 2,
      resolved: 1,
      onTimeRate: 1,
    },
    {
      code: "b.y",
      name: "Y",
      family: "b",
      familyName: "乙",
      received: 5,
      resolved: 5,
      onTimeRate: 0.5,
    },
    {
      code: "a.z",
      name: "Z",
      family: "a",
      familyName: "甲",
      received: 4,
      resolved: 0,
      onTimeRate: null,
    },
  ],
  byMonth: [
    { month: "2026-01", received: 3, resolved: 2, onTimeRate: 0.5 },
    { month: "2026-02", received: 0, resolved: 0, onTimeRate: null },
  ],
  byArea: [
    { code: "s1", name: "一街道", received: 1, resolved: 1, onTimeRate: 1 },
    { code: "s2", name: "二街道", received: 9, resolved: 3, onTimeRate: 0 },
  ],
} as unknown as OpenDataStats;

describe("open data charts", () => {
  it("sums categories by family, most received first", () => {
    expect(familyTotals(stats.byCategory)).toEqual([
      { family: "a", name: "甲", received: 6, resolved: 1 },
      { family: "b", name: "乙", received: 5, resolved: 5 },
    ]);
  });

  it("writes rates as percentages, and a dash for none", () => {
    expect(percent(0.8734)).toBe("87.3%");
    expect(percent(1)).toBe("100.0%");
    expect(percent(null)).toBe("—");
  });

  it("puts the largest street at the top of the horizontal bars", () => {
    const o = areaOption(stats, labels) as {
      yAxis: { data: string[] };
      series: { name: string; data: number[] }[];
    };
    expect(o.yAxis.data).toEqual(["一街道", "二街道"]); // ECharts draws the last at the top
    expect(o.series.map((s) => [s.name, s.data])).toEqual([
      ["受理", [1, 9]],
      ["办结", [1, 3]],
    ]);
  });

  it("draws received and resolved per month, and the rate in percent on the second axis", () => {
    const o = monthOption(stats, labels) as {
      xAxis: { data: string[] };
      series: { name: string; data: (number | null)[]; yAxisIndex?: number }[];
    };
    expect(o.xAxis.data).toEqual(["2026.01", "2026.02"]);
    expect(o.series.map((s) => s.data)).toEqual([
      [3, 0],
      [2, 0],
      [50, null],
    ]);
    expect(o.series[2]?.yAxisIndex).toBe(1);
  });
});
