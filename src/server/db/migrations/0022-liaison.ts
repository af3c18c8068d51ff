/**
 * Enterprise workspace (issue 6): notices to enterprises with read receipts, mediation requests to associations.
 * (Placeholder: being written.)
 */
import type { Kysely } from "kysely";

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
