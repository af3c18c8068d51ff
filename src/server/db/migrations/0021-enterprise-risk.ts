/**
 * Enterprise workspace (issue 6), part C: monthly payroll declarations (工资发放申报),
 * the wage-arrears early warning (欠薪预警) and the safety credit rating (安全信用等级).
 *
 * enterprise_scores holds the current warning and rating of each enterprise (one row,
 * read by the enterprise list's filters); the two history tables keep every change of
 * warning level and one rating per enterprise per day.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE enterprise_scores (
      organisation_id bigint PRIMARY KEY REFERENCES organisations(id),
      rating text NULL CHECK (rating IN ('A', 'B', 'C', 'D')),
      rating_computed_at timestamptz,
      rating_score integer CHECK (rating_score BETWEEN 0 AND 100),
      rating_factors jsonb NOT NULL DEFAULT '[]'::jsonb,
      warning_score integer NOT NULL DEFAULT 0 CHECK (warning_score BETWEEN 0 AND 100),
      warning_level text NOT NULL DEFAULT 'none'
        CHECK (warning_level IN ('none', 'watch', 'warning', 'alarm')),
      warning_computed_at timestamptz,
      warning_signals jsonb NOT NULL DEFAULT '[]'::jsonb,
      version integer NOT NULL DEFAULT 1
    )`.execute(db);
  await sql`CREATE INDEX enterprise_scores_rating ON enterprise_scores (rating)`.execute(db);
  await sql`CREATE INDEX enterprise_scores_warning ON enterprise_scores (warning_level, warning_score DESC)
    WHERE warning_level <> 'none'`.execute(db);

  await sql`
    CREATE TABLE payroll_declarations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      paid_on_time boolean NOT NULL,
      paid_on date,
      headcount_paid integer NOT NULL CHECK (headcount_paid >= 0),
      amount_due numeric(14, 2) NOT NULL CHECK (amount_due >= 0),
      amount_paid numeric(14, 2) NOT NULL CHECK (amount_paid >= 0 AND amount_paid <= amount_due),
      note text,
      declared_by bigint REFERENCES users(id),
      declared_at timestamptz NOT NULL DEFAULT now(),
      corrected_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      UNIQUE (organisation_id, period)
    )`.execute(db);
  await sql`CREATE INDEX payroll_declarations_period ON payroll_declarations (period)`.execute(db);

  // Every correction of a declaration (PUT with version), with both states.
  await sql`
    CREATE TABLE payroll_corrections (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      declaration_id bigint NOT NULL REFERENCES payroll_declarations(id),
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      period text NOT NULL,
      before jsonb NOT NULL,
      after jsonb NOT NULL,
      reason text,
      corrected_by bigint REFERENCES users(id),
      corrected_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX payroll_corrections_declaration ON payroll_corrections (declaration_id)`.execute(
    db,
  );

  // One row per computation that changed the warning level (and the first one).
  // A rise into warning or alarm wants a preventive case: case_wanted is set in
  // the same transaction as the level, case_id once the case exists (a crash in
  // between leaves the row for the next run to finish).
  await sql`
    CREATE TABLE wage_warning_history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
      level text NOT NULL CHECK (level IN ('none', 'watch', 'warning', 'alarm')),
      previous_level text CHECK (previous_level IN ('none', 'watch', 'warning', 'alarm')),
      signals jsonb NOT NULL DEFAULT '[]'::jsonb,
      computed_at timestamptz NOT NULL DEFAULT now(),
      case_wanted boolean NOT NULL DEFAULT false,
      case_id bigint REFERENCES cases(id)
    )`.execute(db);
  await sql`CREATE INDEX wage_warning_history_pending ON wage_warning_history (id)
    WHERE case_wanted AND case_id IS NULL`.execute(db);
  await sql`CREATE INDEX wage_warning_history_org ON wage_warning_history (organisation_id, computed_at DESC)`.execute(
    db,
  );

  await sql`
    CREATE TABLE enterprise_rating_history (
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      computed_on date NOT NULL,
      rating text NOT NULL CHECK (rating IN ('A', 'B', 'C', 'D')),
      score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
      factors jsonb NOT NULL DEFAULT '[]'::jsonb,
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, computed_on)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE enterprise_rating_history`.execute(db);
  await sql`DROP TABLE wage_warning_history`.execute(db);
  await sql`DROP TABLE payroll_corrections`.execute(db);
  await sql`DROP TABLE payroll_declarations`.execute(db);
  await sql`DROP TABLE enterprise_scores`.execute(db);
}
