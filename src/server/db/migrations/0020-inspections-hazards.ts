/**
 * Enterprise workspace (issue 6): self-inspection checklists and inspections, hazards and rectification, spot-checks.
 * (Placeholder: being written.)
 */
import type { Kysely } from "kysely";

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
