/**
 * Risk-weighted random sampling for spot-checks (双随机 with a risk tilt),
 * pure. Each enterprise's weight is 1 plus what its risk factors add (open
 * and overdue hazards, missed inspections, and — where the enterprise-risk
 * part has scored it — its credit rating and wage-arrears warning level).
 * The sample is drawn without replacement by Efraimidis–Spirakis: each item
 * gets the key u^(1/w) for a uniform u, and the k largest keys win, so an
 * item's chance of being drawn first is its share of the total weight.
 */

export interface RiskFactors {
  openHazards: number;
  overdueHazards: number;
  majorOpenHazards: number;
  /** inspections of the last year not done (due and past their date) */
  missedInspections: number;
  rating: "A" | "B" | "C" | "D" | null;
  warningLevel: "none" | "watch" | "warning" | "alarm" | null;
}

/** What each factor adds to the base weight of 1 (recorded with every spot-check). */
export const SPOT_CHECK_WEIGHTS = {
  base: 1,
  perOpenHazard: 0.5,
  perOverdueHazard: 1.5,
  perMajorOpenHazard: 2,
  perMissedInspection: 0.25,
  /** counted factors stop adding beyond this many */
  countCap: 10,
  ratingB: 0.5,
  ratingC: 1.5,
  ratingD: 3,
  warningWatch: 0.5,
  warningWarning: 1.5,
  warningAlarm: 3,
} as const;

export type SpotCheckWeights = typeof SPOT_CHECK_WEIGHTS;

/** The weight of one enterprise: always ≥ the base, so everyone can be drawn. */
export function riskWeight(f: RiskFactors, w: SpotCheckWeights = SPOT_CHECK_WEIGHTS): number {
  const cap = (n: number) => Math.min(Math.max(n, 0), w.countCap);
  let weight = w.base;
  weight += cap(f.openHazards) * w.perOpenHazard;
  weight += cap(f.overdueHazards) * w.perOverdueHazard;
  weight += cap(f.majorOpenHazards) * w.perMajorOpenHazard;
  weight += cap(f.missedInspections) * w.perMissedInspection;
  if (f.rating === "B") weight += w.ratingB;
  else if (f.rating === "C") weight += w.ratingC;
  else if (f.rating === "D") weight += w.ratingD;
  if (f.warningLevel === "watch") weight += w.warningWatch;
  else if (f.warningLevel === "warning") weight += w.warningWarning;
  else if (f.warningLevel === "alarm") weight += w.warningAlarm;
  return Math.round(weight * 100) / 100;
}

/**
 * Draws `k` of `items` without replacement, each with probability
 * proportional to its weight (Efraimidis–Spirakis A-Res). `random` gives
 * uniform numbers in [0, 1). The result is in draw order (largest key
 * first). Items of weight ≤ 0 are never drawn.
 */
export function weightedSample<T>(
  items: readonly T[],
  weightOf: (item: T) => number,
  k: number,
  random: () => number,
): T[] {
  if (k <= 0) return [];
  const keyed: { item: T; key: number }[] = [];
  for (const item of items) {
    const w = weightOf(item);
    if (!(w > 0) || !Number.isFinite(w)) continue;
    // log(u^(1/w)) = log(u)/w: the same order, without underflow for small weights.
    const u = 1 - random(); // (0, 1]
    keyed.push({ item, key: Math.log(u) / w });
  }
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, k).map((x) => x.item);
}
