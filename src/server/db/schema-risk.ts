/** Kysely table types of migration 0021 (enterprise workspace, issue 6, part C). */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

/** jsonb: read as the value, written as a JSON string. */
type Json<T> = ColumnType<T, string | undefined, string>;
/** A date column: read as "YYYY-MM-DD" strings (type parser set in database.ts). */
type DateColumn = ColumnType<string, string, string>;
/** numeric comes back as a string. */
type Numeric = ColumnType<string, number | string, number | string>;

export type RiskRating = "A" | "B" | "C" | "D";
export type WarningLevelValue = "none" | "watch" | "warning" | "alarm";

export interface EnterpriseScoresTable {
  organisation_id: string;
  rating: RiskRating | null;
  rating_computed_at: Timestamp | null;
  rating_score: number | null;
  rating_factors: Json<unknown[]>;
  warning_score: Generated<number>;
  warning_level: Generated<WarningLevelValue>;
  warning_computed_at: Timestamp | null;
  warning_signals: Json<unknown[]>;
  version: Generated<number>;
}

export interface PayrollDeclarationsTable {
  id: Generated<string>;
  organisation_id: string;
  period: string;
  paid_on_time: boolean;
  paid_on: DateColumn | null;
  headcount_paid: number;
  amount_due: Numeric;
  amount_paid: Numeric;
  note: string | null;
  declared_by: string | null;
  declared_at: DefaultTimestamp;
  corrected_at: Timestamp | null;
  version: Generated<number>;
  /** the enterprise manager who signed the declaration (migration 0028); a correction clears it */
  signed_by: ColumnType<string | null, string | null | undefined, string | null>;
  signed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PayrollCorrectionsTable {
  id: Generated<string>;
  declaration_id: string;
  organisation_id: string;
  period: string;
  before: Json<Record<string, unknown>>;
  after: Json<Record<string, unknown>>;
  reason: string | null;
  corrected_by: string | null;
  corrected_at: DefaultTimestamp;
}

export interface WageWarningHistoryTable {
  id: Generated<string>;
  organisation_id: string;
  score: number;
  level: WarningLevelValue;
  previous_level: WarningLevelValue | null;
  signals: Json<unknown[]>;
  computed_at: DefaultTimestamp;
  case_wanted: Generated<boolean>;
  case_id: string | null;
}

export interface EnterpriseRatingHistoryTable {
  organisation_id: string;
  computed_on: DateColumn;
  rating: RiskRating;
  score: number;
  factors: Json<unknown[]>;
  computed_at: DefaultTimestamp;
}

export interface RiskTables {
  enterprise_scores: EnterpriseScoresTable;
  payroll_declarations: PayrollDeclarationsTable;
  payroll_corrections: PayrollCorrectionsTable;
  wage_warning_history: WageWarningHistoryTable;
  enterprise_rating_history: EnterpriseRatingHistoryTable;
}
