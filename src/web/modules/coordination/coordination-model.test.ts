import { describe, expect, it } from "vitest";
import type { KpiResponse } from "../../../shared/schemas/coordination.js";
import {
  CLASS_COLORS,
  checkPeriod,
  classColor,
  classOf,
  codeOfPath,
  crumbCodes,
  csvCell,
  csvPercent,
  daysIn,
  formatKpi,
  formatRate,
  kpiValues,
  mapLevelsUnder,
  presetPeriod,
  quantileClasses,
  toCsv,
  trendOf,
} from "./coordination-model.js";

describe("periods", () => {
  it("counts the presets back from today, today included", () => {
    expect(presetPeriod("7d", "2026-03-10")).toEqual({ from: "2026-03-04", to: "2026-03-10" });
    expect(daysIn(presetPeriod("30d", "2026-03-10"))).toBe(30);
    expect(presetPeriod("365d", "2026-03-01").from).toBe("2025-03-02");
  });

  it("refuses a custom range backwards, longer than 731 days, or malformed", () => {
    expect(checkPeriod({ from: "2026-01-01", to: "2026-01-31" })).toBeNull();
    expect(checkPeriod({ from: "2026-02-01", to: "2026-01-31" })).toBe("order");
    expect(checkPeriod({ from: "2024-01-01", to: "2025-12-31" })).toBeNull(); // 731 days
    expect(checkPeriod({ from: "2024-01-01", to: "2026-01-01" })).toBe("tooLong");
    expect(checkPeriod({ from: "2026-1-1", to: "2026-01-31" })).toBe("invalid");
  });
});

describe("figures", () => {
  it("shows rates as percent and null as the placeholder", () => {
    expect(formatRate(0.8734, "暂无数据")).toBe("87.3%");
    expect(formatRate(0, "暂无数据")).toBe("0.0%");
    expect(formatRate(null, "暂无数据")).toBe("暂无数据");
    expect(formatKpi("count", 12345, "-")).toBe("12,345");
    expect(formatKpi("hours", 20.25, "-")).toBe("20.3");
    expect(formatKpi("score", 4.5, "-")).toBe("4.50");
    expect(formatKpi("hours", null, "暂无数据")).toBe("暂无数据");
  });

  it("reads open and overdue from now, the rest with the period before", () => {
    const figures = { received: 10, resolveOnTimeRate: 0.5 } as KpiResponse["figures"];
    const previous = { received: 8, resolveOnTimeRate: null } as KpiResponse["previous"];
    const k = { figures, previous, open: 4, overdue: 1 } as KpiResponse;
    expect(kpiValues(k, "received")).toEqual({ value: 10, previous: 8 });
    expect(kpiValues(k, "resolveOnTimeRate")).toEqual({ value: 0.5, previous: null });
    expect(kpiValues(k, "overdue")).toEqual({ value: 1, previous: null });
  });
});

describe("trendOf", () => {
  it("calls a higher rate good news and a higher reopen rate bad news, in points", () => {
    expect(trendOf("rate", "higher", 0.9, 0.85)).toEqual({
      direction: "up",
      good: true,
      delta: "+5.0",
      unit: "points",
    });
    expect(trendOf("rate", "lower", 0.1, 0.05)).toMatchObject({ direction: "up", good: false });
    expect(trendOf("rate", "lower", 0.02, 0.05)).toMatchObject({
      direction: "down",
      good: true,
      delta: "−3.0",
    });
  });

  it("changes counts in percent, neither good nor bad for volumes", () => {
    expect(trendOf("count", "neutral", 120, 100)).toEqual({
      direction: "up",
      good: null,
      delta: "+20.0%",
      unit: "percent",
    });
    expect(trendOf("count", "lower", 3, 4)).toMatchObject({ direction: "down", good: true });
    expect(trendOf("count", "higher", 5, 5)).toMatchObject({ direction: "flat", good: null });
  });

  it("has no trend without both figures or from nothing", () => {
    expect(trendOf("rate", "higher", 0.5, null)).toBeNull();
    expect(trendOf("rate", "higher", null, 0.5)).toBeNull();
    expect(trendOf("count", "higher", 7, 0)).toBeNull();
  });

  it("changes hours plainly, fewer hours being better", () => {
    expect(trendOf("hours", "lower", 20.5, 24)).toMatchObject({
      direction: "down",
      good: true,
      delta: "−3.5",
    });
  });
});

describe("quantileClasses", () => {
  it("splits ten values into five classes of two", () => {
    const c = quantileClasses([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(c.breaks).toEqual([2, 4, 6, 8]);
    expect(c.ranges).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
    expect(classOf(1, c)).toBe(0);
    expect(classOf(5, c)).toBe(2);
    expect(classOf(10, c)).toBe(4);
    expect(classOf(null, c)).toBeNull();
  });

  it("never splits equal values and ignores areas without a value", () => {
    expect(quantileClasses([0, 0, 0, 0]).ranges).toEqual([[0, 0]]);
    const c = quantileClasses([0, 0, 0, 0, 5, null]);
    expect(c.ranges).toEqual([
      [0, 0],
      [5, 5],
    ]);
    expect(classOf(0, c)).toBe(0);
    expect(classOf(5, c)).toBe(1);
    expect(quantileClasses([null, null])).toEqual({ breaks: [], ranges: [] });
  });

  it("colours the worst class darkest, also when lower is worse", () => {
    expect(classColor(0, 5, false)).toBe(CLASS_COLORS[0]);
    expect(classColor(4, 5, false)).toBe(CLASS_COLORS[4]);
    expect(classColor(0, 5, true)).toBe(CLASS_COLORS[4]);
    expect(classColor(1, 2, false)).toBe(CLASS_COLORS[4]);
  });
});

describe("areas", () => {
  it("offers the levels below an area on the map", () => {
    expect(mapLevelsUnder("district")).toEqual(["street", "community", "grid"]);
    expect(mapLevelsUnder("community")).toEqual(["grid"]);
    expect(mapLevelsUnder("grid")).toEqual(["grid"]);
  });

  it("starts the breadcrumb at the user's own area", () => {
    const path = "/320505/320505001/320505001001/";
    expect(codeOfPath(path)).toBe("320505001001");
    expect(crumbCodes(path, ["320505"])).toEqual(["320505", "320505001", "320505001001"]);
    expect(crumbCodes(path, ["320505001"])).toEqual(["320505001", "320505001001"]);
    expect(crumbCodes(path, ["999"])).toEqual(["320505001001"]);
  });
});

describe("CSV", () => {
  it("quotes commas, quotes and line breaks, and defuses formulas", () => {
    expect(csvCell("狮山街道")).toBe("狮山街道");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("两行\n文字")).toBe('"两行\n文字"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("starts with a BOM and ends lines with CRLF", () => {
    const csv = toCsv(["部门", "按时办结率%"], [["城管, 执法", csvPercent(0.8734)]]);
    expect(csv).toBe('\uFEFF部门,按时办结率%\r\n"城管, 执法",87.3\r\n');
    expect(csvPercent(null)).toBeNull();
  });
});
