/** Kysely table types of migration 0033 (issue 8: district reports and broadcasts). */

// biome-ignore lint/complexity/noBannedTypes: filled in by the module that owns this migration
export type ReportBroadcastTables = {};
