/** SQL for import runs (their counters and the rows they refused). */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

export function create(
  db: Db,
  r: { kind: "residents" | "units" | "organisations"; filename: string; created_by: string | null },
) {
  return db.insertInto("imports").values(r).returningAll().executeTakeFirstOrThrow();
}

export async function progress(
  db: Db,
  id: string,
  p: { total_rows: number; inserted_rows: number; unchanged_rows: number; error_rows: number },
) {
  await db.updateTable("imports").set(p).where("id", "=", id).execute();
}

export async function finish(
  db: Db,
  id: string,
  r: { status: "done" | "failed"; message: string | null; errors: unknown },
) {
  await db
    .updateTable("imports")
    .set({
      status: r.status,
      message: r.message,
      errors: JSON.stringify(r.errors),
      finished_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
}

export function find(db: Db, id: string) {
  return db.selectFrom("imports").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function list(
  db: Db,
  f: { createdBy?: string | undefined; limit: number; offset: number },
) {
  let q = db.selectFrom("imports");
  if (f.createdBy) q = q.where("created_by", "=", f.createdBy);
  const [items, total] = await Promise.all([
    q
      .select([
        "id",
        "kind",
        "filename",
        "status",
        "total_rows",
        "inserted_rows",
        "unchanged_rows",
        "error_rows",
        "message",
        "created_by",
        "created_at",
        "finished_at",
      ])
      .orderBy("id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}
