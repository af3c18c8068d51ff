/** Opens the configured database for a CLI command and closes it after. */
import path from "node:path";
import { type Config, loadConfig } from "../server/config.js";
import type { FieldCrypto } from "../server/crypto/field-crypto.js";
import { loadFieldCrypto } from "../server/crypto/keys.js";
import { checkDataDir } from "../server/db/data-dir-check.js";
import { claimDataDir } from "../server/db/data-dir-lock.js";
import { type Database, openDatabase } from "../server/db/database.js";

export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, "pglite");
}

/**
 * Opens the configured database. The embedded one is claimed for this
 * process first: a second Gongzhi process on the same DATA_DIR (a backup
 * beside a running server) is refused with a message naming the first.
 */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl)
    return openDatabase({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize });
  const dir = pgliteDir(config);
  // Unwritable, read-only or full: say so, naming the directory, before anything writes there.
  checkDataDir(dir);
  const release = claimDataDir(dir);
  try {
    const database = await openDatabase({ pgliteDir: dir });
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
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
