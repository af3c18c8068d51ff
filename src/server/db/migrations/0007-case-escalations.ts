/**
 * What the deadline job has done to a case: one row per (case, kind, level),
 * so a warning or an escalation happens exactly once even when the job runs
 * twice, on two servers at once, or again after a crash.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_escalations (
      case_id bigint NOT NULL REFERENCES cases(id),
      kind text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
      level integer NOT NULL,
      due_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, kind, level, due_at)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_escalations`.execute(db);
}
