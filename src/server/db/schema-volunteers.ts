/** Kysely table types of migration 0024 (participation, issue 7). */
export type VolunteerTables = Record<never, never>;
