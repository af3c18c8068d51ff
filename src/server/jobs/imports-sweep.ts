/**
 * Fails imports left "running" by a server that stopped mid-import (their
 * heartbeat went quiet). Idempotent and safe on several servers at once: a
 * live import keeps beating, so only dead ones are swept.
 */
import type { Kysely } from "kysely";
import type { DB } from "../db/schema.js";
import { failInterruptedImports } from "../modules/imports/imports.service.js";

export async function runImportsSweep(db: Kysely<DB>, now = new Date()) {
  const failed = await failInterruptedImports({ db }, now);
  return { failed: failed.length };
}
