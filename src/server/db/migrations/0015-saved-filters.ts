/**
 * Saved filters: a staff member's named views of a list (the case inbox's
 * tab, filters and search). Each belongs to one user; names are unique per
 * user and list regardless of case. The query is stored as the list
 * endpoint parsed it, so applying it later needs no second check.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE saved_filters (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope IN ('cases')),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
      query jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX saved_filters_name_unique ON saved_filters (user_id, scope, lower(name))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE saved_filters`.execute(db);
}
