/** SQL for case attachments. */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

export function insert(db: Db, row: Omit<DB["case_attachments"], "id" | "created_at">) {
  return db.insertInto("case_attachments").values(row).returningAll().executeTakeFirstOrThrow();
}

export function listForCase(db: Db, caseId: string, publicOnly: boolean) {
  let q = db.selectFrom("case_attachments").selectAll().where("case_id", "=", caseId);
  if (publicOnly) q = q.where("visibility", "=", "public");
  return q.orderBy("id").execute();
}

export function find(db: Db, caseId: string, id: string) {
  return db
    .selectFrom("case_attachments")
    .selectAll()
    .where("case_id", "=", caseId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** A public image of a case outside the sensitive categories: what may be shown to anyone. */
export function findPublicImage(db: Db, id: string) {
  return db
    .selectFrom("case_attachments as t")
    .innerJoin("cases as c", "c.id", "t.case_id")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .select(["t.id", "t.mime", "t.public_key"])
    .where("t.id", "=", id)
    .where("t.visibility", "=", "public")
    .where("t.mime", "like", "image/%")
    .where("cat.sensitive", "=", false)
    .executeTakeFirst();
}
