/** Kysely table types of migration 0026 (participation, issue 7): the points ledger. */
import type { Generated } from "kysely";
import type { PointRule } from "../../shared/schemas/points.js";
import type { DefaultTimestamp } from "./schema-types.js";

export interface PointsLedgerTable {
  id: Generated<string>;
  user_id: string;
  amount: number;
  rule: PointRule;
  source_type: "shift_signup" | "case" | "proposal" | null;
  source_id: string | null;
  /** the day the work was done (caps count by it) */
  occurred_on: string;
  uncapped: number;
  capped_by: "day" | "month" | null;
  note: string | null;
  corrects_id: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface PointsBalancesTable {
  user_id: string;
  balance: number;
  earned: number;
  entries: number;
  updated_at: DefaultTimestamp;
}

export interface PointsPreferencesTable {
  user_id: string;
  leaderboard: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export interface PointsJobStateTable {
  id: number;
  watermark: Date;
}

export interface PointsTables {
  points_job_state: PointsJobStateTable;
  points_ledger: PointsLedgerTable;
  points_balances: PointsBalancesTable;
  points_preferences: PointsPreferencesTable;
}
