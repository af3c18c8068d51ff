/** Kysely table types of migration 0020 (enterprise workspace, issue 6). */
export type InspectionTables = Record<never, never>;
