/**
 * A department's "due soon" and "overdue" lists: its led cases by their
 * current deadline, and its open tasks on other departments' cases. Without
 * these the lists read every late case of the district (75,000 in the large
 * demo) to test whether the department is a party to it.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX cases_lead_current_due ON cases (lead_department_id,
    (CASE WHEN cases.status = 'dispatched' THEN cases.accept_due_at
      WHEN cases.status IN ('accepted', 'in_progress') AND cases.paused_at IS NULL
      THEN cases.resolve_due_at END))
    WHERE status IN ('dispatched', 'accepted', 'in_progress')`.execute(db);
  await sql`CREATE INDEX case_parties_open_tasks ON case_parties (department_id) INCLUDE (case_id)
    WHERE active AND role = 'assist' AND status = 'open' AND task IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX case_parties_open_tasks`.execute(db);
  await sql`DROP INDEX cases_lead_current_due`.execute(db);
}
