/**
 * Residents' secondary indexes skip NULLs: most people have no account, many
 * no employer or phone, and the blind-index lookups never ask for NULL. Fewer
 * index entries per row made bulk imports ~15 % faster (docs/benchmarks.md).
 * A partial unique index on user_id replaces the UNIQUE constraint (NULLs
 * never conflicted anyway).
 *
 * It also adds the indexes the unit pages need: a unit's registration
 * history, and the units of a landlord (resident or organisation).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE residents DROP CONSTRAINT residents_user_id_key`.execute(db);
  await sql`CREATE UNIQUE INDEX residents_user ON residents (user_id) WHERE user_id IS NOT NULL`.execute(
    db,
  );
  for (const [name, column] of [
    ["residents_unit", "unit_id"],
    ["residents_employer", "employer_id"],
    ["residents_phone_index", "phone_index"],
  ] as const) {
    await sql`DROP INDEX ${sql.ref(name)}`.execute(db);
    await sql`CREATE INDEX ${sql.ref(name)} ON residents (${sql.ref(column)}) WHERE ${sql.ref(column)} IS NOT NULL`.execute(
      db,
    );
  }
  await sql`CREATE INDEX registrations_unit ON residence_registrations (unit_id)`.execute(db);
  await sql`CREATE INDEX units_landlord_resident ON units (landlord_resident_id) WHERE landlord_resident_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX units_landlord_organisation ON units (landlord_organisation_id) WHERE landlord_organisation_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    "registrations_unit",
    "units_landlord_resident",
    "units_landlord_organisation",
  ])
    await sql`DROP INDEX ${sql.ref(name)}`.execute(db);
  await sql`DROP INDEX residents_user`.execute(db);
  await sql`ALTER TABLE residents ADD CONSTRAINT residents_user_id_key UNIQUE (user_id)`.execute(
    db,
  );
  for (const [name, column] of [
    ["residents_unit", "unit_id"],
    ["residents_employer", "employer_id"],
    ["residents_phone_index", "phone_index"],
  ] as const) {
    await sql`DROP INDEX ${sql.ref(name)}`.execute(db);
    await sql`CREATE INDEX ${sql.ref(name)} ON residents (${sql.ref(column)})`.execute(db);
  }
}
