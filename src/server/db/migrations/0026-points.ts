/**
 * Participation: the points ledger (append-only) and participation (issue 7).
 * (Placeholder: being written.)
 */
import type { Kysely } from "kysely";

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
