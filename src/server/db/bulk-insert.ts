/**
 * Bulk INSERT through unnest(): one array parameter per column instead of one
 * parameter per cell, so a batch of thousands of rows costs the server one
 * small statement to parse and bind. Same SQL on PostgreSQL and PGlite.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { DB } from "./schema.js";

export type ColumnTypes<R> = {
  [K in keyof R]: "text" | "date" | "bigint" | "integer" | "boolean" | "numeric";
};

export async function bulkInsert<R extends Record<string, unknown>, Ret extends string = never>(
  db: Kysely<DB> | Transaction<DB>,
  table: keyof DB & string,
  types: ColumnTypes<R>,
  rows: R[],
  returning: readonly Ret[] = [],
): Promise<Record<Ret, string>[]> {
  if (rows.length === 0) return [];
  const cols = Object.keys(types) as (keyof R & string)[];
  const arrays: RawBuilder<unknown>[] = cols.map((c) => {
    const values = rows.map((r) => (r[c] === undefined ? null : r[c]));
    return sql`${values}::${sql.raw(types[c])}[]`;
  });
  const ret = returning.length
    ? sql` RETURNING ${sql.join(returning.map((r) => sql.ref(r)))}`
    : sql``;
  const result = await sql<
    Record<Ret, string>
  >`INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))})
    SELECT * FROM unnest(${sql.join(arrays)})${ret}`.execute(db);
  return result.rows;
}
