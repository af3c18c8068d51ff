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

/** `(col, …)` and `SELECT * FROM unnest($1::type[], …)` for these rows, to build
 *  a bulk INSERT that needs more than `bulkInsert` (ON CONFLICT, a CTE). */
export function unnestRows<R extends Record<string, unknown>>(
  types: ColumnTypes<R>,
  rows: R[],
): { columns: RawBuilder<unknown>; select: RawBuilder<unknown> } {
  const cols = Object.keys(types) as (keyof R & string)[];
  const arrays: RawBuilder<unknown>[] = cols.map((c) => {
    const values = rows.map((r) => (r[c] === undefined ? null : r[c]));
    return sql`${values}::${sql.raw(types[c])}[]`;
  });
  return {
    columns: sql.join(cols.map((c) => sql.ref(c))),
    select: sql`SELECT * FROM unnest(${sql.join(arrays)})`,
  };
}

/**
 * The same, with the rows sent as one JSON array parameter read back by
 * `json_to_recordset`: one native JSON.stringify instead of escaping every
 * element of every column array, which halves the client's CPU and garbage on
 * large batches (the import path).
 */
export function jsonRows<R extends Record<string, unknown>>(
  types: ColumnTypes<R>,
  rows: R[],
): { columns: RawBuilder<unknown>; select: RawBuilder<unknown> } {
  const cols = Object.keys(types) as (keyof R & string)[];
  const definition = sql.join(cols.map((c) => sql`${sql.ref(c)} ${sql.raw(types[c])}`));
  return {
    columns: sql.join(cols.map((c) => sql.ref(c))),
    select: sql`SELECT ${sql.join(cols.map((c) => sql.ref(`x.${c}`)))} FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(${definition})`,
  };
}

export async function bulkInsert<R extends Record<string, unknown>, Ret extends string = never>(
  db: Kysely<DB> | Transaction<DB>,
  table: keyof DB & string,
  types: ColumnTypes<R>,
  rows: R[],
  returning: readonly Ret[] = [],
): Promise<Record<Ret, string>[]> {
  if (rows.length === 0) return [];
  const { columns, select } = unnestRows(types, rows);
  const ret = returning.length
    ? sql` RETURNING ${sql.join(returning.map((r) => sql.ref(r)))}`
    : sql``;
  const result = await sql<Record<Ret, string>>`INSERT INTO ${sql.table(table)} (${columns})
    ${select}${ret}`.execute(db);
  return result.rows;
}
