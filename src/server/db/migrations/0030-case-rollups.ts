/**
 * The coordination centre's figures come from rollups, never from the case
 * table on the request path (issue 8):
 *
 * - `case_rollups`: counters per period (day or month), area (each level:
 *   district, street, community, grid) and dimension (all, department,
 *   family, category). Days are kept for every area with dimension `all`
 *   (trends); months also by department, family and category above the grid.
 * - `case_open_counts`: the stock of open cases per area (every level) and
 *   family, for the map and the "open now" tiles.
 * - `case_collaborations`: closed cases per pair of subjects that worked
 *   them together, per month and area (the interaction network).
 * - `case_rollup_queue`: the id of every new case action, written by a
 *   statement trigger in the action's own transaction. The `case-rollups`
 *   job folds the queue into the rollups: deleting queued ids and adding
 *   their counts happen in one transaction, so each action counts once and
 *   an action of a transaction that rolled back never counts.
 *
 * Existing actions are queued here and folded by the job.
 */
import { type Kysely, sql } from "kysely";

const COUNTERS = [
  "received",
  "dispatched",
  "accepted",
  "accepted_on_time",
  "resolved",
  "resolved_on_time",
  "closed",
  "rated",
  "rating_sum",
  "satisfied",
  "reopened",
  "returned",
  "reassigned",
  "supervised",
  "escalated",
  "withdrawn",
  "merged",
  "tasks_assigned",
  "tasks_done",
  "closed_multi_subject",
  "closed_multi_kind",
  "bounced",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_rollups (
      grain text NOT NULL CHECK (grain IN ('day', 'month')),
      area_path text NOT NULL,
      dim text NOT NULL CHECK (dim IN ('all', 'department', 'family', 'category')),
      key text NOT NULL,
      period date NOT NULL,
      ${sql.raw(COUNTERS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(",\n      "))},
      accept_hours double precision NOT NULL DEFAULT 0,
      resolve_hours double precision NOT NULL DEFAULT 0,
      PRIMARY KEY (grain, area_path, dim, key, period)
    )`.execute(db);
  await sql`
    CREATE TABLE case_open_counts (
      area_path text NOT NULL,
      family text NOT NULL,
      open integer NOT NULL DEFAULT 0,
      PRIMARY KEY (area_path, family)
    )`.execute(db);
  // Who works with whom: closed cases per pair of subjects (a department
  // 'd:ID', an organisation 'o:ID', the volunteers 'v'), per month and area.
  await sql`
    CREATE TABLE case_collaborations (
      area_path text NOT NULL,
      period date NOT NULL,
      subject_a text NOT NULL,
      subject_b text NOT NULL,
      cases integer NOT NULL DEFAULT 0,
      PRIMARY KEY (area_path, period, subject_a, subject_b)
    )`.execute(db);
  await sql`CREATE TABLE case_rollup_queue (action_id bigint NOT NULL)`.execute(db);
  await sql`
    CREATE FUNCTION case_actions_queue_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO case_rollup_queue (action_id) SELECT id FROM new_actions;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER case_actions_queue_rollup AFTER INSERT ON case_actions
    REFERENCING NEW TABLE AS new_actions
    FOR EACH STATEMENT EXECUTE FUNCTION case_actions_queue_rollup()`.execute(db);
  // Overdue depends on the clock, so no rollup can keep it: it is counted
  // from the partial index of working cases, which now carries the place and
  // the lead so that "overdue per grid / per department" reads the index only.
  await sql`DROP INDEX cases_open_due`.execute(db);
  await sql`CREATE INDEX cases_open_due ON cases (resolve_due_at) INCLUDE (area_path, lead_department_id)
    WHERE status IN ('dispatched', 'accepted', 'in_progress')`.execute(db);
  // What was there before the rollups: queued like any new action.
  await sql`INSERT INTO case_rollup_queue (action_id) SELECT id FROM case_actions`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX cases_open_due`.execute(db);
  await sql`CREATE INDEX cases_open_due ON cases (resolve_due_at)
    WHERE status IN ('dispatched', 'accepted', 'in_progress')`.execute(db);
  await sql`DROP TRIGGER IF EXISTS case_actions_queue_rollup ON case_actions`.execute(db);
  await sql`DROP FUNCTION IF EXISTS case_actions_queue_rollup()`.execute(db);
  await sql`DROP TABLE IF EXISTS case_rollup_queue, case_collaborations, case_open_counts, case_rollups`.execute(
    db,
  );
}
