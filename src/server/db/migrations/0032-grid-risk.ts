/**
 * Grid risk index and early warnings (issue 8, item 6).
 *
 * - grid_risk_settings: the one row of weights, rise threshold and level
 *   lines (admins and district coordinators edit it; `version` guards edits);
 *   grid_risk_settings_history keeps every version with who and when.
 * - grid_risk_scores: one row per grid per China-local day (the primary key
 *   makes a second run of the day an update, never a second row). `signals`
 *   holds each signal's raw and normalised value; score and level follow the
 *   weights in force (a change of weights re-weights the recent rows, so a
 *   change never looks like a jump).
 * - grid_risk_warnings: at most one per grid per day (unique key), open →
 *   acknowledged → task_created | dismissed; grid_risk_warning_actions is its
 *   append-only log.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE grid_risk_settings (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      weights jsonb NOT NULL,
      rise_threshold double precision NOT NULL CHECK (rise_threshold > 0),
      medium_level double precision NOT NULL,
      high_level double precision NOT NULL,
      version integer NOT NULL DEFAULT 1,
      updated_by bigint REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (medium_level < high_level)
    )`.execute(db);
  await sql`
    INSERT INTO grid_risk_settings (weights, rise_threshold, medium_level, high_level)
    VALUES ('{"caseRate":25,"caseTrend":10,"disputes":15,"overcrowding":10,"hazards":10,"wageWarnings":10,"newCitizens":10,"patrol":10}'::jsonb,
      15, 30, 50)`.execute(db);

  await sql`
    CREATE TABLE grid_risk_settings_history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version integer NOT NULL UNIQUE,
      weights jsonb NOT NULL,
      rise_threshold double precision NOT NULL,
      medium_level double precision NOT NULL,
      high_level double precision NOT NULL,
      note text,
      changed_by bigint REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    INSERT INTO grid_risk_settings_history (version, weights, rise_threshold, medium_level, high_level, note)
    SELECT version, weights, rise_threshold, medium_level, high_level, '默认权重'
    FROM grid_risk_settings`.execute(db);

  await sql`
    CREATE TABLE grid_risk_scores (
      grid_id bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
      day date NOT NULL,
      area_path text NOT NULL,
      score double precision NOT NULL CHECK (score BETWEEN 0 AND 100),
      level text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
      signals jsonb NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (grid_id, day)
    )`.execute(db);
  // The ranking reads one day under an area path.
  await sql`CREATE INDEX grid_risk_scores_day_path ON grid_risk_scores (day, area_path text_pattern_ops)`.execute(
    db,
  );

  await sql`
    CREATE TABLE grid_risk_warnings (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      grid_id bigint NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
      area_path text NOT NULL,
      day date NOT NULL,
      score double precision NOT NULL,
      previous_score double precision,
      rise double precision,
      level text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
      reasons text[] NOT NULL,
      top_signals jsonb NOT NULL DEFAULT '[]'::jsonb,
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'acknowledged', 'task_created', 'dismissed')),
      case_id bigint REFERENCES cases(id),
      -- Who asked first for the preventive case, and their note: every caller (a
      -- retry, a second coordinator) opens the case with the same text, so its
      -- idempotency key replays instead of opening a second one.
      task_requested_by bigint REFERENCES users(id),
      task_requested_label text,
      task_note text,
      dismiss_reason text,
      acknowledged_by bigint REFERENCES users(id),
      acknowledged_at timestamptz,
      closed_by bigint REFERENCES users(id),
      closed_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (grid_id, day),
      CHECK (status <> 'task_created' OR case_id IS NOT NULL),
      CHECK (status <> 'dismissed' OR dismiss_reason IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX grid_risk_warnings_path ON grid_risk_warnings (area_path text_pattern_ops, day DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX grid_risk_warnings_live ON grid_risk_warnings (grid_id)
    WHERE status IN ('open', 'acknowledged')`.execute(db);

  await sql`
    CREATE TABLE grid_risk_warning_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      warning_id bigint NOT NULL REFERENCES grid_risk_warnings(id) ON DELETE CASCADE,
      action text NOT NULL CHECK (action IN ('raise', 'acknowledge', 'dismiss', 'create_task')),
      from_status text,
      to_status text NOT NULL,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      note text,
      case_id bigint REFERENCES cases(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX grid_risk_warning_actions_warning ON grid_risk_warning_actions (warning_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE grid_risk_warning_actions`.execute(db);
  await sql`DROP TABLE grid_risk_warnings`.execute(db);
  await sql`DROP TABLE grid_risk_scores`.execute(db);
  await sql`DROP TABLE grid_risk_settings_history`.execute(db);
  await sql`DROP TABLE grid_risk_settings`.execute(db);
}
