/**
 * The points rules (积分规则) of the new-citizen points scheme, as pure
 * functions: what each kind of verified work earns, and the caps per person
 * per day and per month. The ledger is append-only; an award that would pass
 * a cap is written reduced (down to nothing), with the cap named, so a
 * statement always explains its figures.
 */

import type { PointRule } from "../../../shared/schemas/points.js";

/** Points per unit of each earning rule (corrections carry their own amount). */
export const RULE_POINTS = {
  /** per verified half hour of service */
  verified_hours: 5,
  tip_resolved: 20,
  mediation_closed: 30,
  proposal_adopted: 50,
  proposal_partly_adopted: 25,
} as const satisfies Record<Exclude<PointRule, "correction">, number>;

export const DAILY_CAP = 60;
export const MONTHLY_CAP = 600;

/** Points for verified service minutes: whole half hours only. */
export function pointsForMinutes(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes <= 0) return 0;
  return Math.floor(minutes / 30) * RULE_POINTS.verified_hours;
}

export interface CapState {
  /** points already earned (after caps) on the award's day and in its month */
  day: number;
  month: number;
}

export interface CappedAward {
  amount: number;
  /** the cap that cut the award, if any */
  cappedBy: "day" | "month" | null;
  /** what the rule alone would have given */
  uncapped: number;
}

/**
 * An award under the caps: never more than what is left of the day's and the
 * month's allowance, never negative. Corrections are not capped (they undo).
 */
export function capAward(uncapped: number, state: CapState): CappedAward {
  if (uncapped <= 0) return { amount: 0, cappedBy: null, uncapped };
  const leftDay = Math.max(0, DAILY_CAP - state.day);
  const leftMonth = Math.max(0, MONTHLY_CAP - state.month);
  const amount = Math.min(uncapped, leftDay, leftMonth);
  const cappedBy = amount === uncapped ? null : leftDay <= leftMonth ? "day" : "month";
  return { amount, cappedBy, uncapped };
}
