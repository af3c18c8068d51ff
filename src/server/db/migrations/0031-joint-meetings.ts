/**
 * Placeholder (issue 8: joint meetings and the bounce agenda); filled in by the module that owns it.
 */
import type { Kysely } from "kysely";

export async function up(_db: Kysely<unknown>): Promise<void> {}
