/**
 * A fresh database for one test file, cloned from the run's template:
 * `const database = await createTestDatabase("seeded")` … `await database.close()`.
 */

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../src/server/db/database.js";
import { databaseUrl, TEST_DATABASE_URL, TEST_ENGINE } from "./test-database-config.js";

export async function createTestDatabase(
  template: "empty" | "seeded" = "seeded",
): Promise<Database> {
  const templates = inject("templates");
  if (TEST_ENGINE === "pglite") {
    const blob = new Blob([fs.readFileSync(templates[template])]);
    return openDatabase({ pgliteLoadDataDir: blob });
  }
  const name = `${templates[template]}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templates[template]}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ databaseUrl: databaseUrl(name), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
