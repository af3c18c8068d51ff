/**
 * Cases are looked up by place: the inbox map's box and the likely
 * duplicates around a new report. A B-tree on (lng, lat) narrows the box to a
 * longitude band instead of scanning every case in scope.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX cases_lng_lat ON cases (lng, lat)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX cases_lng_lat`.execute(db);
}
