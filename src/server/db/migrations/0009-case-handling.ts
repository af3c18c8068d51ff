/**
 * Co-handling and the deadline clock: assisting parties' tasks get a
 * deadline, a completion time and a note; a case records an extension the
 * lead asked for and the moment it began waiting for the reporter (the clock
 * pauses until it resumes).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE case_parties ADD COLUMN due_at timestamptz, ADD COLUMN completed_at timestamptz,
    ADD COLUMN note text`.execute(db);
  await sql`ALTER TABLE cases ADD COLUMN extension_requested_days integer
      CHECK (extension_requested_days BETWEEN 1 AND 30),
    ADD COLUMN paused_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cases DROP COLUMN extension_requested_days, DROP COLUMN paused_at`.execute(
    db,
  );
  await sql`ALTER TABLE case_parties DROP COLUMN due_at, DROP COLUMN completed_at, DROP COLUMN note`.execute(
    db,
  );
}
