/** SQL for organisations (enterprises and associations). */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

export function insert(
  db: Db,
  row: { kind: "enterprise" | "association"; name: string; area_id: string },
) {
  return db
    .insertInto("organisations")
    .values(row)
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}
