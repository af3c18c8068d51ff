/**
 * The pure rules of the 网格风险 pages: level colours, how a signal's
 * measurement and method read, the change against 7 days before, a grid's
 * move in the weights preview, each weight's share and what is wrong with a
 * set of weights. No React and no DOM, so all of it is unit-tested.
 */
import type { TFunction } from "i18next";
import {
  GRID_RISK_SIGNALS,
  type GridRiskLevel,
  type GridRiskSettingsInput,
  type GridRiskSignal,
  type GridRiskSignalValue,
  SIGNAL_SPECS,
} from "../../../shared/schemas/grid-risk.js";

export const LEVEL_HEX: Record<GridRiskLevel, string> = {
  low: "#52c41a",
  medium: "#fa8c16",
  high: "#f5222d",
};
export const LEVEL_TAG: Record<GridRiskLevel, string> = {
  low: "green",
  medium: "orange",
  high: "red",
};

const fmt = (v: number, digits = 1) =>
  Number.isInteger(v) ? String(v) : v.toFixed(digits).replace(/\.?0+$/, "");

/** "近30天 12 起，前30天 8 起": the counts behind a signal, in the UI's language. */
export function measuredText(s: GridRiskSignalValue, t: TFunction): string {
  const d = s.detail;
  const n = (k: string) => fmt(d[k] ?? 0);
  switch (s.code) {
    case "caseRate":
      return t("gridRisk.measured.caseRate", {
        cases: n("cases"),
        residents: n("residents"),
        floor: n("floor"),
        raw: fmt(s.raw, 2),
      });
    case "caseTrend":
      return t("gridRisk.measured.caseTrend", { cases: n("cases"), before: n("before") });
    case "disputes":
      return t("gridRisk.measured.disputes", { disputes: n("disputes") });
    case "overcrowding":
      return t("gridRisk.measured.overcrowding", { units: n("units") });
    case "hazards":
      return t("gridRisk.measured.hazards", { open: n("open"), major: n("major") });
    case "wageWarnings":
      return t("gridRisk.measured.wageWarnings", { warning: n("warning"), alarm: n("alarm") });
    case "newCitizens":
      return t("gridRisk.measured.newCitizens", {
        newCitizens: n("newCitizens"),
        residents: n("residents"),
      });
    case "patrol":
      return t("gridRisk.measured.patrol", { hours: n("hours") });
  }
}

/** How a signal becomes 0–100, in words (with its cap). */
export function methodText(code: GridRiskSignal, t: TFunction): string {
  const spec = SIGNAL_SPECS[code];
  return t(`gridRisk.methods.${spec.method}`, { cap: spec.cap ?? 0 });
}

export type ChangeTone = "alert" | "up" | "down" | "flat" | "none";

/** How a 7-day change reads: a rise of the warning threshold or more is an alert. */
export function changeTone(change: number | null, riseThreshold: number): ChangeTone {
  if (change === null) return "none";
  if (change >= riseThreshold) return "alert";
  if (change > 0) return "up";
  if (change < 0) return "down";
  return "flat";
}

/** "+12.5" / "-3" / "0" / "—". */
export function changeText(change: number | null): string {
  if (change === null) return "—";
  return change > 0 ? `+${fmt(change)}` : fmt(change);
}

/** A grid's move in the preview: up when its new rank is a smaller number. */
export function rankMove(
  rank: number,
  previewRank: number,
): { dir: "up" | "down" | "same"; n: number } {
  if (previewRank < rank) return { dir: "up", n: rank - previewRank };
  if (previewRank > rank) return { dir: "down", n: previewRank - rank };
  return { dir: "same", n: 0 };
}

/** Each weight's share of all of them, in whole percent (0 when all are 0). */
export function weightShares(weights: Partial<Record<GridRiskSignal, number | null>>) {
  const total = GRID_RISK_SIGNALS.reduce((s, k) => s + Math.max(0, weights[k] ?? 0), 0);
  return Object.fromEntries(
    GRID_RISK_SIGNALS.map((k) => [
      k,
      total > 0 ? Math.round((Math.max(0, weights[k] ?? 0) / total) * 100) : 0,
    ]),
  ) as Record<GridRiskSignal, number>;
}

/** What is wrong with a set of weights and levels as a whole (the fields check themselves). */
export function settingsProblem(
  s: Pick<GridRiskSettingsInput, "weights" | "mediumLevel" | "highLevel">,
): "sumZero" | "levelsOrder" | null {
  if (!GRID_RISK_SIGNALS.some((k) => (s.weights[k] ?? 0) > 0)) return "sumZero";
  if (s.mediumLevel >= s.highLevel) return "levelsOrder";
  return null;
}

/** The settings a form holds, with empty numbers as 0 (what the preview and save send). */
export function settingsFromForm(v: {
  weights?: Partial<Record<GridRiskSignal, number | null>>;
  riseThreshold?: number | null;
  mediumLevel?: number | null;
  highLevel?: number | null;
}): GridRiskSettingsInput {
  return {
    weights: Object.fromEntries(
      GRID_RISK_SIGNALS.map((k) => [k, v.weights?.[k] ?? 0]),
    ) as GridRiskSettingsInput["weights"],
    riseThreshold: v.riseThreshold ?? 0,
    mediumLevel: v.mediumLevel ?? 0,
    highLevel: v.highLevel ?? 0,
  };
}
