/** The pure rules of the 网格风险 pages and the shapes of their charts. */
import type { TFunction } from "i18next";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_GRID_RISK_SETTINGS,
  GRID_RISK_SIGNALS,
  type GridRiskSignalValue,
} from "../../../shared/schemas/grid-risk.js";
import zhCN from "../../i18n/grid-risk/grid-risk.zh-CN.js";
import { caseTrendOption, contributionsOption, historyOption } from "./grid-risk-charts.js";
import {
  changeText,
  changeTone,
  measuredText,
  methodText,
  rankMove,
  settingsFromForm,
  settingsProblem,
  weightShares,
} from "./grid-risk-model.js";

/** A `t` over the Chinese messages, filling {{placeholders}} like i18next. */
const t = ((key: string, opts: Record<string, unknown> = {}) => {
  const path = key.replace(/^gridRisk\./, "").split(".");
  let v: unknown = zhCN;
  for (const p of path) v = (v as Record<string, unknown>)[p];
  if (typeof v !== "string") throw new Error(`no message ${key}`);
  return v.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(opts[k]));
}) as unknown as TFunction;

const signal = (
  code: GridRiskSignalValue["code"],
  over: Partial<GridRiskSignalValue>,
): GridRiskSignalValue => ({
  code,
  method: "cap",
  raw: 0,
  normalised: 0,
  weight: 10,
  contribution: 0,
  detail: {},
  ...over,
});

describe("how signals read", () => {
  it("says what was measured, with the counts behind it", () => {
    expect(
      measuredText(
        signal("caseRate", { raw: 15, detail: { cases: 3, residents: 20, floor: 200 } }),
        t,
      ),
    ).toBe("近30天 3 起，居民 20 人（不足 200 人按 200 人计），每千人 15 起");
    expect(
      measuredText(signal("caseTrend", { raw: 0.5, detail: { cases: 12, before: 8 } }), t),
    ).toBe("近30天 12 起，前30天 8 起");
    expect(measuredText(signal("hazards", { raw: 8, detail: { open: 4, major: 2 } }), t)).toContain(
      "在办隐患 4 项，其中重大隐患 2 项",
    );
    expect(measuredText(signal("patrol", { raw: 12.5, detail: { hours: 12.5 } }), t)).toBe(
      "近30天巡防、走访 12.5 小时",
    );
    // Every signal has its sentence.
    for (const code of GRID_RISK_SIGNALS) expect(measuredText(signal(code, {}), t)).not.toBe("");
  });

  it("names each method with its cap", () => {
    expect(methodText("disputes", t)).toBe("5 及以上记 100 分，按比例计分");
    expect(methodText("patrol", t)).toBe("巡防 20 小时及以上记 0 分，无巡防记 100 分");
    expect(methodText("caseRate", t)).toContain("百分位排名");
  });
});

describe("changes, moves, shares", () => {
  it("reads a 7-day change, a rise of the threshold or more as an alert", () => {
    expect(changeTone(15, 15)).toBe("alert");
    expect(changeTone(14.9, 15)).toBe("up");
    expect(changeTone(-3, 15)).toBe("down");
    expect(changeTone(0, 15)).toBe("flat");
    expect(changeTone(null, 15)).toBe("none");
    expect([changeText(12.5), changeText(-3), changeText(0), changeText(null)]).toEqual([
      "+12.5",
      "-3",
      "0",
      "—",
    ]);
  });

  it("tells a grid's move in the preview", () => {
    expect(rankMove(5, 2)).toEqual({ dir: "up", n: 3 });
    expect(rankMove(2, 5)).toEqual({ dir: "down", n: 3 });
    expect(rankMove(4, 4)).toEqual({ dir: "same", n: 0 });
  });

  it("gives each weight's share and what is wrong with the whole", () => {
    const shares = weightShares(DEFAULT_GRID_RISK_SETTINGS.weights);
    expect(shares.caseRate).toBe(25);
    expect(Object.values(shares).reduce((a, b) => a + b, 0)).toBe(100);
    expect(weightShares({}).caseRate).toBe(0);
    const form = settingsFromForm({
      weights: { disputes: 2 },
      riseThreshold: 15,
      mediumLevel: 30,
      highLevel: 50,
    });
    expect(form.weights.caseRate).toBe(0);
    expect(settingsProblem(form)).toBeNull();
    expect(settingsProblem(settingsFromForm({ weights: {}, mediumLevel: 30, highLevel: 50 }))).toBe(
      "sumZero",
    );
    expect(settingsProblem({ ...form, mediumLevel: 50 })).toBe("levelsOrder");
  });
});

describe("charts", () => {
  it("bars the points of each signal, biggest on top, coloured by how bad it is", () => {
    const o = contributionsOption(
      [
        signal("disputes", { contribution: 12, normalised: 80 }),
        signal("patrol", { contribution: 2, normalised: 20 }),
        signal("caseRate", { contribution: 6, normalised: 50 }),
      ],
      (c) => c,
      "分",
    ) as {
      yAxis: { data: string[] };
      series: { data: { value: number; itemStyle: { color: string } }[] }[];
    };
    // ECharts draws a category axis bottom-up: the last is on top.
    expect(o.yAxis.data).toEqual(["patrol", "caseRate", "disputes"]);
    expect(o.series[0]?.data.map((d) => d.value)).toEqual([2, 6, 12]);
    expect(o.series[0]?.data.map((d) => d.itemStyle.color)).toEqual([
      "#52c41a",
      "#fa8c16",
      "#f5222d",
    ]);
  });

  it("draws the history with the level lines, and cases per month", () => {
    const h = historyOption(
      [
        { day: "2026-11-01", score: 20, level: "low" },
        { day: "2026-11-02", score: 55, level: "high" },
      ],
      { mediumLevel: 30, highLevel: 50 },
      { score: "风险分", medium: "中风险", high: "高风险" },
    ) as {
      xAxis: { data: string[] };
      series: { data: number[]; markLine: { data: { yAxis: number }[] } }[];
    };
    expect(h.xAxis.data).toEqual(["2026-11-01", "2026-11-02"]);
    expect(h.series[0]?.data).toEqual([20, 55]);
    expect(h.series[0]?.markLine.data.map((m) => m.yAxis)).toEqual([30, 50]);
    const c = caseTrendOption(
      [
        { month: "2026-10", received: 4 },
        { month: "2026-11", received: 0 },
      ],
      "事件",
    ) as { xAxis: { data: string[] }; series: { data: number[] }[] };
    expect(c.xAxis.data).toEqual(["2026-10", "2026-11"]);
    expect(c.series[0]?.data).toEqual([4, 0]);
  });
});
