/**
 * Placeholder (issue 7: participation gaps, second round); filled in by the module that owns it.
 */
import type { Kysely } from "kysely";

export async function up(_db: Kysely<unknown>): Promise<void> {}
