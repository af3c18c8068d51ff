/**
 * Prepares two migrated templates once per run — "empty" (schema only) and
 * "seeded" (the small demo district) — that every test file clones:
 * PGlite data-dir dumps in a temp folder, or PostgreSQL template databases
 * (created fresh for this run and dropped afterwards).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createFieldCrypto, parseKeyring } from "../src/server/crypto/field-crypto.js";
import { openDatabase } from "../src/server/db/database.js";
import { migrateToLatest } from "../src/server/db/migrate.js";
import { runSeed } from "../src/server/seed/seed.js";
import {
  databaseUrl,
  TEST_DATABASE_URL,
  TEST_DEMO_PASSWORD,
  TEST_ENGINE,
  TEST_KEYS,
  TEST_SEED,
} from "./test-database-config.js";

declare module "vitest" {
  export interface ProvidedContext {
    templates: { empty: string; seeded: string };
  }
}

async function prepare(url: string | undefined, seeded: boolean) {
  const database = await openDatabase({ databaseUrl: url });
  await migrateToLatest(database.db);
  if (seeded) {
    await runSeed(database.db, {
      scale: "small",
      seed: TEST_SEED,
      force: false,
      demoPassword: TEST_DEMO_PASSWORD,
      // The same keys the test apps read with (test-app.ts).
      fieldCrypto: createFieldCrypto(parseKeyring(TEST_KEYS)),
    });
  }
  return database;
}

export default async function setup(project: TestProject) {
  if (TEST_ENGINE === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-test-"));
    const templates = { empty: path.join(dir, "empty.tar"), seeded: path.join(dir, "seeded.tar") };
    for (const kind of ["empty", "seeded"] as const) {
      const database = await prepare(undefined, kind === "seeded");
      const dump = await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir(
        "none",
      );
      fs.writeFileSync(templates[kind], Buffer.from(await dump.arrayBuffer()));
      await database.close();
    }
    project.provide("templates", templates);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }

  const run = `gongzhi_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  const templates = { empty: `${run}_empty`, seeded: `${run}_seeded` };
  for (const kind of ["empty", "seeded"] as const) {
    await admin.query(`CREATE DATABASE ${templates[kind]}`);
    const database = await prepare(databaseUrl(templates[kind]), kind === "seeded");
    await database.close();
  }
  project.provide("templates", templates);
  return async () => {
    // Drop this run's templates and any clone a crashed test file left behind.
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${run}%`],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.end();
  };
}
