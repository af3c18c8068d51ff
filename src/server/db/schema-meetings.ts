/** Kysely table types of migration 0031 (issue 8: joint meetings and the bounce agenda). */

// biome-ignore lint/complexity/noBannedTypes: filled in by the module that owns this migration
export type MeetingTables = {};
