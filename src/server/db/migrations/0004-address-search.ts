/**
 * Standard addresses are searched by any part ("建林新村", "兴贤路38号"):
 * trigram indexes make LIKE '%…%' an index scan. On the large district
 * (400,000 units) an address lookup took 630 ms as a sequential scan and
 * 2 ms with the index (docs/benchmarks.md). pg_trgm ships with PostgreSQL
 * (a trusted extension: the database owner may create it) and with PGlite.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE INDEX units_address_trgm ON units USING gin (address gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX buildings_address_trgm ON buildings USING gin (address gin_trgm_ops)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX buildings_address_trgm`.execute(db);
  await sql`DROP INDEX units_address_trgm`.execute(db);
}
