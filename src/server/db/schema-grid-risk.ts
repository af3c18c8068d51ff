/** Kysely table types of migration 0032 (issue 8: grid risk index and early warnings). */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

/** jsonb: read as the value, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;
/** A date column: read as "YYYY-MM-DD" strings (type parser set in database.ts). */
type DateColumn = ColumnType<string, string, string>;

export type GridRiskLevelValue = "low" | "medium" | "high";
export type GridWarningStatusValue = "open" | "acknowledged" | "task_created" | "dismissed";

/** One signal as stored with a day's score: what was measured and its 0–100 value. */
export interface StoredSignal {
  code: string;
  raw: number;
  normalised: number;
  detail: Record<string, number>;
}

export interface GridRiskSettingsTable {
  id: Generated<number>;
  weights: Json<Record<string, number>>;
  rise_threshold: number;
  medium_level: number;
  high_level: number;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
}

export interface GridRiskSettingsHistoryTable {
  id: Generated<string>;
  version: number;
  weights: Json<Record<string, number>>;
  rise_threshold: number;
  medium_level: number;
  high_level: number;
  note: string | null;
  changed_by: string | null;
  changed_at: DefaultTimestamp;
}

export interface GridRiskScoresTable {
  grid_id: string;
  day: DateColumn;
  area_path: string;
  score: number;
  level: GridRiskLevelValue;
  signals: Json<StoredSignal[]>;
  computed_at: DefaultTimestamp;
}

export interface GridRiskWarningsTable {
  id: Generated<string>;
  grid_id: string;
  area_path: string;
  day: DateColumn;
  score: number;
  previous_score: number | null;
  rise: number | null;
  level: GridRiskLevelValue;
  reasons: string[];
  top_signals: Json<{ code: string; contribution: number; normalised: number }[]>;
  status: Generated<GridWarningStatusValue>;
  case_id: string | null;
  task_requested_by: ColumnType<string | null, string | null | undefined, string | null>;
  task_requested_label: ColumnType<string | null, string | null | undefined, string | null>;
  task_note: ColumnType<string | null, string | null | undefined, string | null>;
  dismiss_reason: string | null;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  closed_by: string | null;
  closed_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
}

export interface GridRiskWarningActionsTable {
  id: Generated<string>;
  warning_id: string;
  action: "raise" | "acknowledge" | "dismiss" | "create_task";
  from_status: GridWarningStatusValue | null;
  to_status: GridWarningStatusValue;
  actor_user_id: string | null;
  actor_label: string;
  note: string | null;
  case_id: string | null;
  created_at: DefaultTimestamp;
}

export interface GridRiskTables {
  grid_risk_settings: GridRiskSettingsTable;
  grid_risk_settings_history: GridRiskSettingsHistoryTable;
  grid_risk_scores: GridRiskScoresTable;
  grid_risk_warnings: GridRiskWarningsTable;
  grid_risk_warning_actions: GridRiskWarningActionsTable;
}
