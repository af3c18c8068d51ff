/** Kysely table types of migration 0026 (participation, issue 7). */
export type PointsTables = Record<never, never>;
