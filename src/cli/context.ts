/** Opens the configured database for a CLI command and closes it after. */
import path from "node:path";
import { type Config, loadConfig } from "../server/config.js";
import type { FieldCrypto } from "../server/crypto/field-crypto.js";
import { loadFieldCrypto } from "../server/crypto/keys.js";
import { type Database, openDatabase } from "../server/db/database.js";

export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, "pglite");
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    poolSize: config.databasePoolSize,
    pgliteDir: config.databaseUrl ? undefined : pgliteDir(config),
  });
}

export function configuredFieldCrypto(config: Config): FieldCrypto {
  return loadFieldCrypto(process.env, config.dataDir, (m) => console.warn(m));
}

export async function withDatabase<T>(
  fn: (database: Database, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    return await fn(database, config);
  } finally {
    await database.close();
  }
}
