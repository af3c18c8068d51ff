/** Applies the migrations in order with Kysely's migrator. */
import type { Kysely } from "kysely";
import { type MigrationResultSet, Migrator } from "kysely/migration";
import { migrations } from "./migrations/index.js";
import type { DB } from "./schema.js";

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    err.message = `Migration ${failed?.migrationName ?? "?"} failed: ${err.message}`;
    throw err;
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
