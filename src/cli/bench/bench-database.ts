/**
 * A throwaway database for a benchmark: a fresh PostgreSQL database (dropped
 * afterwards) or an in-memory PGlite, migrated and seeded with the small
 * demo district.
 */
import pg from "pg";
import type { FieldCrypto } from "../../server/crypto/field-crypto.js";
import {
  createFieldCrypto,
  generateKeyringForDev,
  parseKeyring,
} from "../../server/crypto/field-crypto.js";
import { type Database, openDatabase } from "../../server/db/database.js";
import { migrateToLatest } from "../../server/db/migrate.js";
import { runSeed } from "../../server/seed/seed.js";
import type { BenchDb } from "./harness.js";

export const BENCH_PASSWORD = "Bench-pass-2026";

export async function withBenchDatabase<T>(
  opts: {
    db: BenchDb;
    name: string;
    poolSize: number;
    url?: string | undefined;
    /** keep the PostgreSQL database afterwards (its URL is printed), to measure it again with --url */
    keep?: boolean;
  },
  fn: (database: Database, crypto: FieldCrypto) => Promise<T>,
): Promise<T> {
  const crypto = createFieldCrypto(parseKeyring(generateKeyringForDev()));
  let dbName: string | undefined;
  let adminUrl: string | undefined;
  if (opts.db === "postgresql") {
    adminUrl =
      opts.url ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    dbName = `gongzhi_bench_${opts.name}_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.end();
  }
  const url =
    dbName && adminUrl
      ? Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString()
      : undefined;
  const database = await openDatabase({ databaseUrl: url, poolSize: opts.poolSize });
  try {
    await migrateToLatest(database.db);
    await runSeed(database.db, {
      scale: "small",
      seed: 1,
      force: false,
      demoPassword: BENCH_PASSWORD,
      fieldCrypto: crypto,
    });
    return await fn(database, crypto);
  } finally {
    await database.close();
    if (dbName && url && opts.keep) console.log(`  kept the database: ${url}`);
    else if (dbName && adminUrl) {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    }
  }
}
