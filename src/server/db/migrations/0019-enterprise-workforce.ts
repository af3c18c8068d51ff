/**
 * Enterprise workspace (issue 6): enterprise sites, employments (hire and leave dates), dormitory rooms.
 * (Placeholder: being written.)
 */
import type { Kysely } from "kysely";

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
