/**
 * Deletes expired sessions and login failures older than the lock window.
 * Idempotent: running it twice, or on two servers at once, does the same.
 */
import type { Kysely } from "kysely";
import type { Config } from "../config.js";
import type { DB } from "../db/schema.js";
import { pruneAuthState } from "../modules/auth/auth.service.js";

export async function runAuthCleanup(db: Kysely<DB>, config: Config, now = new Date()) {
  return pruneAuthState({ db, config }, now);
}
