/** Kysely table types of migration 0032 (issue 8: grid risk index and early warnings). */

// biome-ignore lint/complexity/noBannedTypes: filled in by the module that owns this migration
export type GridRiskTables = {};
