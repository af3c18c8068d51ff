/**
 * Open311's servicerequestupdates reads the public steps of all cases by
 * time ("what changed since I last asked"); without this index that is a
 * scan of every step ever taken (25,000,000 at district scale).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX case_actions_public_at ON case_actions (created_at, id)
    WHERE visibility = 'public'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX case_actions_public_at`.execute(db);
}
