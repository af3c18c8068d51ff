/** Kysely table types of migration 0022 (enterprise workspace, issue 6). */
export type LiaisonTables = Record<never, never>;
