import { describe, expect, it } from "vitest";
import type { ReportKpi } from "../../../shared/schemas/reports.js";
import { changeOf, formatFigure, periodOfDay } from "./reports-model.js";

const kpi = (over: Partial<ReportKpi>): ReportKpi => ({
  key: "received",
  label: "受理量",
  unit: "count",
  value: 120,
  previous: 100,
  change: 20,
  changeRate: 0.2,
  ...over,
});

describe("report figures", () => {
  it("read in their unit", () => {
    expect(formatFigure("count", 12345, "—")).toBe("12,345");
    expect(formatFigure("rate", 0.8534, "—")).toBe("85.3%");
    expect(formatFigure("hours", 12.34, "—")).toBe("12.3");
    expect(formatFigure("score", 4.2, "—")).toBe("4.20");
    expect(formatFigure("rate", null, "暂无数据")).toBe("暂无数据");
  });

  it("change: volumes neutral, rates in points and good when up, handling time good when down", () => {
    expect(changeOf(kpi({}))).toEqual({
      direction: "up",
      good: null,
      text: "+20 (+20.0%)",
      points: false,
    });
    expect(
      changeOf(
        kpi({
          key: "resolveOnTimeRate",
          unit: "rate",
          value: 0.8,
          previous: 0.85,
          change: -0.05,
          changeRate: null,
        }),
      ),
    ).toEqual({ direction: "down", good: false, text: "−5.0", points: true });
    expect(
      changeOf(kpi({ key: "avgHandlingHours", unit: "hours", change: -3.25, changeRate: null }))
        ?.good,
    ).toBe(true);
    expect(changeOf(kpi({ key: "returned", change: 4, changeRate: null }))?.good).toBe(false);
    expect(changeOf(kpi({ change: 0, changeRate: 0 }))).toMatchObject({
      direction: "flat",
      good: null,
    });
    expect(changeOf(kpi({ change: null }))).toBeNull();
  });

  it("finds the period a picked day lies in", () => {
    expect(periodOfDay("weekly", "2026-11-26")).toBe("2026-W48");
    expect(periodOfDay("monthly", "2026-11-26")).toBe("2026-11");
  });
});
