/**
 * A notification may point at any page of the app (a hazard, a notice, a
 * proposal, an enterprise's warnings), not only at a case: `link` is the
 * in-app path the bell opens. Cases keep `case_id` (and their code).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notifications ADD COLUMN link text
    CHECK (link IS NULL OR (link LIKE '/%' AND link NOT LIKE '//%' AND length(link) <= 200))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notifications DROP COLUMN link`.execute(db);
}
