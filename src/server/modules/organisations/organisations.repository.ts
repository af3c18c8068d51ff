/** SQL for organisations (enterprises and associations). */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

export function insert(
  db: Db,
  row: { kind: "enterprise" | "association"; name: string; area_id: string; area_path: string },
) {
  return db
    .insertInto("organisations")
    .values(row)
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}

export function findById(db: Db, id: string) {
  return db
    .selectFrom("organisations as o")
    .innerJoin("areas as a", "a.id", "o.area_id")
    .select(["o.id", "o.kind", "o.name", "a.path as area_path"])
    .where("o.id", "=", id)
    .executeTakeFirst();
}

export function findEnterprisesByUscc(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("organisations")
    .select(["id", "uscc", "name"])
    .where("kind", "=", "enterprise")
    .where("uscc", "in", codes)
    .execute();
}
