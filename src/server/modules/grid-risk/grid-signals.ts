/**
 * The pure rules of the grid risk index: from each grid's measured figures to
 * its eight signals (raw value, 0–100 value, the counts behind), the score
 * under a set of weights, and whether a day's score is an early warning. No
 * SQL here; the service gathers the figures from the modules that own them.
 */
import {
  contributionOf,
  GRID_RISK_SIGNALS,
  type GridRiskLevel,
  type GridRiskSettingsShape,
  type GridRiskSignal,
  type GridRiskSignalValue,
  growthOf,
  levelOf,
  normalise,
  POPULATION_FLOOR,
  SIGNAL_SPECS,
  weightedScore,
} from "../../../shared/schemas/grid-risk.js";
import type { StoredSignal } from "../../db/schema-grid-risk.js";

/** What was measured in one grid for one day (windows of 30 days ending that day). */
export interface GridFigures {
  residents: number;
  newCitizens: number;
  /** cases reported in the last 30 days, and in the 30 days before */
  cases: number;
  casesBefore: number;
  /** dispute-family cases reported in the last 30 days */
  disputes: number;
  overcrowdedUnits: number;
  hazardsOpen: number;
  hazardsMajor: number;
  wageWarning: number;
  wageAlarm: number;
  /** patrol and visit hours in the grid in the last 30 days */
  patrolHours: number;
}

export const NO_FIGURES: GridFigures = {
  residents: 0,
  newCitizens: 0,
  cases: 0,
  casesBefore: 0,
  disputes: 0,
  overcrowdedUnits: 0,
  hazardsOpen: 0,
  hazardsMajor: 0,
  wageWarning: 0,
  wageAlarm: 0,
  patrolHours: 0,
};

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Cases per 1,000 residents, counting at least POPULATION_FLOOR residents. */
export function caseRateOf(f: Pick<GridFigures, "cases" | "residents">): number {
  return round2((f.cases * 1000) / Math.max(f.residents, POPULATION_FLOOR));
}

/** The raw value of each signal and the counts behind it. */
function rawSignals(
  f: GridFigures,
): Record<GridRiskSignal, { raw: number; detail: Record<string, number> }> {
  return {
    caseRate: {
      raw: caseRateOf(f),
      detail: { cases: f.cases, residents: f.residents, floor: POPULATION_FLOOR },
    },
    caseTrend: {
      raw: growthOf(f.cases, f.casesBefore),
      detail: { cases: f.cases, before: f.casesBefore },
    },
    disputes: { raw: f.disputes, detail: { disputes: f.disputes } },
    overcrowding: { raw: f.overcrowdedUnits, detail: { units: f.overcrowdedUnits } },
    // A major hazard counts three times.
    hazards: {
      raw: f.hazardsOpen + 2 * f.hazardsMajor,
      detail: { open: f.hazardsOpen, major: f.hazardsMajor },
    },
    // An enterprise at alarm counts twice.
    wageWarnings: {
      raw: f.wageWarning + 2 * f.wageAlarm,
      detail: { warning: f.wageWarning, alarm: f.wageAlarm },
    },
    newCitizens: {
      raw: f.residents > 0 ? round2(f.newCitizens / f.residents) : 0,
      detail: { newCitizens: f.newCitizens, residents: f.residents },
    },
    patrol: { raw: f.patrolHours, detail: { hours: f.patrolHours } },
  };
}

/**
 * Every grid's signals for one day. The case rate is ranked among all the
 * grids given (the district's), so pass them all at once.
 */
export function signalsOf(figures: ReadonlyMap<string, GridFigures>): Map<string, StoredSignal[]> {
  const raws = new Map([...figures].map(([id, f]) => [id, rawSignals(f)]));
  const rates = [...raws.values()].map((r) => r.caseRate.raw);
  const out = new Map<string, StoredSignal[]>();
  for (const [id, r] of raws) {
    out.set(
      id,
      GRID_RISK_SIGNALS.map((code) => ({
        code,
        raw: r[code].raw,
        normalised: normalise(code, r[code].raw, { districtValues: rates }),
        detail: r[code].detail,
      })),
    );
  }
  return out;
}

const normalisedOf = (signals: readonly StoredSignal[]) =>
  Object.fromEntries(signals.map((s) => [s.code, s.normalised])) as Partial<
    Record<GridRiskSignal, number>
  >;

/** A day's score and level under the settings. */
export function scoreOf(
  signals: readonly StoredSignal[],
  settings: GridRiskSettingsShape,
): { score: number; level: GridRiskLevel } {
  const score = weightedScore(normalisedOf(signals), settings.weights);
  return { score, level: levelOf(score, settings) };
}

/** The signals as the API shows them: with their method, weight and points of the score. */
export function explain(
  signals: readonly StoredSignal[],
  weights: GridRiskSettingsShape["weights"],
): GridRiskSignalValue[] {
  return GRID_RISK_SIGNALS.map((code) => {
    const s = signals.find((x) => x.code === code);
    const normalised = s?.normalised ?? 0;
    return {
      code,
      method: SIGNAL_SPECS[code].method,
      raw: s?.raw ?? 0,
      normalised,
      weight: weights[code] ?? 0,
      contribution: contributionOf(code, normalised, weights),
      detail: s?.detail ?? {},
    };
  });
}

/** The signals that give the most points (ties by the order of the signals), at most `n`. */
export function topSignals(
  signals: readonly StoredSignal[],
  weights: GridRiskSettingsShape["weights"],
  n = 3,
) {
  return explain(signals, weights)
    .filter((s) => s.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, n)
    .map((s) => ({ code: s.code, contribution: s.contribution, normalised: s.normalised }));
}

/**
 * Why a day's score is an early warning: `rise` when it rose by the threshold
 * or more against the score RISE_COMPARE_DAYS earlier; `high` when it is high
 * and the grid's previous score (the latest before, if any) was not.
 */
export function warningReasons(
  today: { score: number; level: GridRiskLevel },
  weekAgo: { score: number } | undefined,
  previous: { level: GridRiskLevel } | undefined,
  settings: Pick<GridRiskSettingsShape, "riseThreshold">,
): ("rise" | "high")[] {
  const reasons: ("rise" | "high")[] = [];
  if (weekAgo && today.score - weekAgo.score >= settings.riseThreshold - 1e-9) reasons.push("rise");
  if (today.level === "high" && previous?.level !== "high") reasons.push("high");
  return reasons;
}
