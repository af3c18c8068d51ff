/** Kysely table types of migration 0021 (enterprise workspace, issue 6). */
export type RiskTables = Record<never, never>;
