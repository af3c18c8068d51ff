/** Kysely table types of migration 0025 (participation, issue 7). */
export type ProposalTables = Record<never, never>;
