/**
 * Repeat incidents at the same place (issue 8's KPIs): a case is a repeat
 * when, between 90 days and 3 days before it was reported (the 3 days leave
 * out reports of the same incident: those are duplicates to merge), another
 * case of the same category family was reported in the same place cell —
 * a square of about 100 m (0.0009° of latitude × 0.00105° of longitude at
 * Suzhou's 31° N). Only facts that never change after intake decide it
 * (family, place, time), so the counter folded action by action equals a
 * rebuild. `case_rollups.repeated` counts the repeats among the received.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION gz_place_cell(lat double precision, lng double precision) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT floor(lat / 0.0009)::bigint * 1000000 + floor(lng / 0.00105)::bigint $$`.execute(
    db,
  );
  // The earlier cases of a place and family, by time: one probe per report.
  await sql`CREATE INDEX cases_place_family ON cases
    (gz_place_cell(lat, lng), split_part(category_code, '.', 1), created_at)`.execute(db);
  await sql`ALTER TABLE case_rollups ADD COLUMN repeated integer NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE case_rollups DROP COLUMN repeated`.execute(db);
  await sql`DROP INDEX cases_place_family`.execute(db);
  await sql`DROP FUNCTION gz_place_cell(double precision, double precision)`.execute(db);
}
