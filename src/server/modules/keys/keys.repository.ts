/** SQL for the columns that hold values encrypted with a data key. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Every encrypted column: where it is, and the context its values are bound
 * to (field-crypto's AAD). `json` names the key inside a jsonb column.
 */
export const ENCRYPTED_COLUMNS = [
  { table: "residents", column: "id_number_enc", context: "residents.id_number" },
  { table: "residents", column: "phone_enc", context: "residents.phone" },
  { table: "users", column: "phone_enc", context: "users.phone" },
  {
    table: "organisations",
    column: "safety_officer_phone_enc",
    context: "organisations.safety_officer_phone",
  },
  { table: "imports", column: "errors", json: "sealed", context: "imports.errors" },
] as const;

export type EncryptedColumn = (typeof ENCRYPTED_COLUMNS)[number];

/** The value's SQL: the column itself, or the key inside its jsonb. */
function storedValue(c: EncryptedColumn) {
  return "json" in c ? sql<string>`${sql.ref(c.column)} ->> ${c.json}` : sql.ref(c.column);
}

/** How many values each key id encrypts in a column (the id is the second
 *  dot-separated part of `v1.<keyId>.…`). */
export async function countByKey(db: Db, c: EncryptedColumn) {
  const r = await sql<{ key_id: string; n: string }>`
    SELECT split_part(${storedValue(c)}, '.', 2) AS key_id, count(*) AS n
    FROM ${sql.table(c.table)}
    WHERE ${storedValue(c)} IS NOT NULL
    GROUP BY 1 ORDER BY 1`.execute(db);
  return r.rows.map((x) => ({ keyId: x.key_id, count: Number(x.n) }));
}

/** The next values, after id `after`, not yet under the active key. */
export async function staleValues(
  db: Db,
  c: EncryptedColumn,
  activeKeyId: string,
  after: string,
  limit: number,
) {
  // Ordered by the bigint id, not the text alias, so the keyset walk is right.
  const r = await sql<{ id: string; value: string }>`
    SELECT id::text AS id, ${storedValue(c)} AS value
    FROM ${sql.table(c.table)}
    WHERE id > ${after}::bigint
      AND ${storedValue(c)} IS NOT NULL
      AND split_part(${storedValue(c)}, '.', 2) <> ${activeKeyId}
    ORDER BY ${sql.ref(`${c.table}.id`)}
    LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** Writes re-encrypted values, each only where the row still holds the value
 *  that was read (a concurrent edit wins); answers how many were written. */
export async function replaceValues(
  trx: Transaction<DB>,
  c: EncryptedColumn,
  rows: { id: string; from: string; to: string }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const from = rows.map((r) => r.from);
  const to = rows.map((r) => r.to);
  const set =
    "json" in c
      ? sql`${sql.ref(c.column)} = jsonb_set(${sql.ref(c.column)}::jsonb, ${`{${c.json}}`}::text[], to_jsonb(v.to_value))`
      : sql`${sql.ref(c.column)} = v.to_value`;
  const r = await sql`
    UPDATE ${sql.table(c.table)} AS t SET ${set}
    FROM unnest(${ids}::bigint[], ${from}::text[], ${to}::text[]) AS v(id, from_value, to_value)
    WHERE t.id = v.id AND ${"json" in c ? sql`${sql.ref(`t.${c.column}`)} ->> ${c.json}` : sql.ref(`t.${c.column}`)} = v.from_value`.execute(
    trx,
  );
  return Number(r.numAffectedRows ?? 0);
}
