/**
 * An import runs inside one server process. If that process dies (a restart,
 * a crash) the import would stay "running" for ever; a heartbeat written
 * while it runs lets any server see that nobody is working on it any more
 * (jobs/imports-sweep.ts).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE imports ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now()`.execute(
    db,
  );
  await sql`CREATE INDEX imports_running ON imports (heartbeat_at) WHERE status = 'running'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX imports_running`.execute(db);
  await sql`ALTER TABLE imports DROP COLUMN heartbeat_at`.execute(db);
}
