/** Kysely table types of migration 0019 (enterprise workspace, issue 6). */
export type WorkforceTables = Record<never, never>;
