/** The pure rules of the grid risk index: normalisation, scores, contributions, warnings, settings. */
import { describe, expect, it } from "vitest";
import {
  contributionOf,
  DEFAULT_GRID_RISK_SETTINGS,
  GRID_RISK_SIGNALS,
  type GridRiskSettingsShape,
  gridRiskSettingsInput,
  growthOf,
  levelOf,
  normalise,
  updateGridRiskSettingsBody,
  weightedScore,
} from "../../../shared/schemas/grid-risk.js";
import {
  caseRateOf,
  explain,
  type GridFigures,
  NO_FIGURES,
  scoreOf,
  signalsOf,
  topSignals,
  warningReasons,
} from "./grid-signals.js";

const settings: GridRiskSettingsShape = DEFAULT_GRID_RISK_SETTINGS;
const figures = (f: Partial<GridFigures>): GridFigures => ({ ...NO_FIGURES, ...f });

describe("normalisation", () => {
  it("ranks the case rate among the district's grids: the share of the others below", () => {
    const all = [0, 0, 5, 10, 20];
    expect(normalise("caseRate", 0, { districtValues: all })).toBe(0);
    expect(normalise("caseRate", 5, { districtValues: all })).toBe(50);
    expect(normalise("caseRate", 20, { districtValues: all })).toBe(100);
    // One grid alone has nothing to be ranked against.
    expect(normalise("caseRate", 7, { districtValues: [7] })).toBe(0);
  });

  it("caps counts: the cap or more scores 100", () => {
    expect(normalise("disputes", 0)).toBe(0);
    expect(normalise("disputes", 1)).toBe(20);
    expect(normalise("disputes", 5)).toBe(100);
    expect(normalise("disputes", 9)).toBe(100);
    expect(normalise("hazards", 3)).toBe(30);
  });

  it("scores only rises of the case trend, a doubling or more as 100", () => {
    expect(growthOf(6, 3)).toBe(1);
    expect(growthOf(4, 2)).toBe(0.67); // a small base counts as 3
    expect(growthOf(2, 10)).toBe(-0.8);
    expect(normalise("caseTrend", growthOf(2, 10))).toBe(0);
    expect(normalise("caseTrend", growthOf(15, 10))).toBe(50);
    expect(normalise("caseTrend", growthOf(40, 10))).toBe(100);
  });

  it("reads shares as percentages and patrol coverage the other way round", () => {
    expect(normalise("newCitizens", 0.734)).toBe(73.4);
    expect(normalise("patrol", 0)).toBe(100);
    expect(normalise("patrol", 5)).toBe(75);
    expect(normalise("patrol", 40)).toBe(0);
  });

  it("counts cases per 1,000 residents with a floor for grids where few people live", () => {
    expect(caseRateOf({ cases: 3, residents: 1000 })).toBe(3);
    expect(caseRateOf({ cases: 3, residents: 20 })).toBe(15); // counted as 200
  });
});

describe("scores", () => {
  it("are the weighted mean of the normalised values, and the contributions add up to them", () => {
    const signals = signalsOf(
      new Map([
        [
          "1",
          figures({ cases: 12, casesBefore: 4, residents: 400, newCitizens: 300, disputes: 2 }),
        ],
        ["2", figures({ cases: 1, residents: 400, patrolHours: 30 })],
        ["3", figures({ hazardsOpen: 4, hazardsMajor: 2, wageAlarm: 1, overcrowdedUnits: 6 })],
      ]),
    );
    for (const [, s] of signals) {
      const { score } = scoreOf(s, settings);
      const parts = explain(s, settings.weights);
      expect(parts.map((p) => p.code)).toEqual([...GRID_RISK_SIGNALS]);
      const sum = parts.reduce((n, p) => n + p.contribution, 0);
      expect(Math.abs(sum - score)).toBeLessThanOrEqual(0.5);
    }
    const one = signals.get("1") ?? [];
    // Grid 1 has the highest case rate of the three: rank 100.
    expect(one.find((s) => s.code === "caseRate")?.normalised).toBe(100);
    expect(one.find((s) => s.code === "caseTrend")?.detail).toEqual({ cases: 12, before: 4 });
    const three = signals.get("3") ?? [];
    // Four hazards, two of them major: 4 + 2×2 = 8 of a cap of 10.
    expect(three.find((s) => s.code === "hazards")).toMatchObject({ raw: 8, normalised: 80 });
    expect(three.find((s) => s.code === "wageWarnings")).toMatchObject({ raw: 2 });
  });

  it("follow the weights: one signal alone decides when it is the only weight", () => {
    const only = Object.fromEntries(
      GRID_RISK_SIGNALS.map((s) => [s, 0]),
    ) as GridRiskSettingsShape["weights"];
    only.disputes = 3;
    expect(weightedScore({ disputes: 60, caseRate: 100 }, only)).toBe(60);
    expect(contributionOf("disputes", 60, only)).toBe(60);
    expect(contributionOf("caseRate", 100, only)).toBe(0);
    expect(weightedScore({ disputes: 60 }, { ...only, disputes: 0 })).toBe(0);
  });

  it("name the signals that give most points, leaving out those that give none", () => {
    const s = signalsOf(
      new Map([["1", figures({ disputes: 5, overcrowdedUnits: 1, patrolHours: 99 })]]),
    );
    const top = topSignals(s.get("1") ?? [], settings.weights);
    expect(top.map((t) => t.code)).toEqual(["disputes", "overcrowding"]);
  });

  it("have levels by the configured lines", () => {
    expect(levelOf(29.9, settings)).toBe("low");
    expect(levelOf(30, settings)).toBe("medium");
    expect(levelOf(50, settings)).toBe("high");
  });
});

describe("warnings", () => {
  const s = { riseThreshold: 15 };
  it("are raised by a rise of the threshold or more against 7 days before", () => {
    expect(
      warningReasons({ score: 40, level: "medium" }, { score: 25 }, { level: "medium" }, s),
    ).toEqual(["rise"]);
    expect(
      warningReasons({ score: 39.9, level: "medium" }, { score: 25 }, { level: "medium" }, s),
    ).toEqual([]);
    expect(
      warningReasons({ score: 40, level: "medium" }, undefined, { level: "medium" }, s),
    ).toEqual([]);
  });

  it("are raised by crossing into high, not by staying there", () => {
    expect(
      warningReasons({ score: 55, level: "high" }, { score: 48 }, { level: "medium" }, s),
    ).toEqual(["high"]);
    expect(
      warningReasons({ score: 55, level: "high" }, { score: 54 }, { level: "high" }, s),
    ).toEqual([]);
    // The first score of a grid that is already high.
    expect(warningReasons({ score: 70, level: "high" }, undefined, undefined, s)).toEqual(["high"]);
    expect(
      warningReasons({ score: 70, level: "high" }, { score: 30 }, { level: "medium" }, s),
    ).toEqual(["rise", "high"]);
  });
});

describe("settings input", () => {
  const good = {
    weights: { ...DEFAULT_GRID_RISK_SETTINGS.weights },
    riseThreshold: 15,
    mediumLevel: 30,
    highLevel: 50,
  };
  it("accepts the defaults and refuses negative weights, all zero, or levels the wrong way round", () => {
    expect(gridRiskSettingsInput.safeParse(good).success).toBe(true);
    const negative = gridRiskSettingsInput.safeParse({
      ...good,
      weights: { ...good.weights, patrol: -1 },
    });
    expect(negative.success).toBe(false);
    const zero = Object.fromEntries(GRID_RISK_SIGNALS.map((k) => [k, 0]));
    const none = gridRiskSettingsInput.safeParse({ ...good, weights: zero });
    expect(none.error?.issues[0]?.message).toContain("至少有一项权重大于 0");
    const wrong = gridRiskSettingsInput.safeParse({ ...good, mediumLevel: 60 });
    expect(wrong.error?.issues[0]?.path).toEqual(["mediumLevel"]);
    const unknown = gridRiskSettingsInput.safeParse({
      ...good,
      weights: { ...good.weights, noise: 3 },
    });
    expect(unknown.success).toBe(false);
  });

  it("wants the version seen to save, with the same rules", () => {
    expect(updateGridRiskSettingsBody.safeParse(good).success).toBe(false);
    expect(updateGridRiskSettingsBody.safeParse({ ...good, version: 1 }).success).toBe(true);
    expect(
      updateGridRiskSettingsBody.safeParse({ ...good, version: 1, highLevel: 20 }).success,
    ).toBe(false);
  });
});
