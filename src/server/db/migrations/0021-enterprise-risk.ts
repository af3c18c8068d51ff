/**
 * Enterprise workspace (issue 6): payroll declarations, wage-arrears warnings, safety credit ratings.
 * (Placeholder: being written.)
 */
import type { Kysely } from "kysely";

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
