/**
 * Coordinators maintain the case taxonomy: every category carries a version
 * (concurrent edits are detected) and may be retired (no longer offered for
 * new reports; its cases keep it). Each version is kept, with who changed it
 * and why, so what a report form asked at a given time can be looked up.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE case_categories
    ADD COLUMN version integer NOT NULL DEFAULT 1,
    ADD COLUMN retired_at timestamptz,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`.execute(db);
  await sql`
    CREATE TABLE case_category_versions (
      category_code text NOT NULL REFERENCES case_categories(code),
      version integer NOT NULL,
      change text NOT NULL CHECK (change IN ('created', 'updated', 'retired', 'restored')),
      snapshot jsonb NOT NULL,
      note text,
      changed_by bigint REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (category_code, version)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_category_versions`.execute(db);
  await sql`ALTER TABLE case_categories
    DROP COLUMN version, DROP COLUMN retired_at, DROP COLUMN updated_at`.execute(db);
}
