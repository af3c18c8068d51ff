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
  await db
    .updateTable("imports")
    .set({ ...p, heartbeat_at: sql`now()` })
    .where("id", "=", id)
    .execute();
}

/** Tells other servers this import is still being worked on. */
export async function beat(db: Db, id: string) {
  await db
    .updateTable("imports")
    .set({ heartbeat_at: sql`now()` })
    .where("id", "=", id)
    .where("status", "=", "running")
    .execute();
}

/**
 * Marks as failed the running imports whose heartbeat is older than
 * `staleBefore`: the server that ran them stopped. A single UPDATE, so two
 * servers sweeping at once fail each import once.
 */
export async function failStale(db: Db, staleBefore: Date, message: string) {
  const rows = await db
    .updateTable("imports")
    .set({ status: "failed", message, finished_at: sql`now()` })
    .where("status", "=", "running")
    .where("heartbeat_at", "<", staleBefore)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

export async function finish(
  db: Db,
  id: string,
  r: {
    status: "done" | "failed";
    message: string | null;
    errors: unknown;
    /** The final counters, written with the status (refusals after the last
     *  written batch are only counted here). */
    counts: {
      total_rows: number;
      inserted_rows: number;
      unchanged_rows: number;
      error_rows: number;
    };
  },
) {
  await db
    .updateTable("imports")
    .set({
      ...r.counts,
      status: r.status,
      message: r.message,
      errors: JSON.stringify(r.errors),
      finished_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
}

export function find(db: Db, id: string) {
  return db
    .selectFrom("imports")
    .leftJoin("users", "users.id", "imports.created_by")
    .selectAll("imports")
    .select("users.display_name as created_by_name")
    .where("imports.id", "=", id)
    .executeTakeFirst();
}

export async function list(
  db: Db,
  f: { createdBy?: string | undefined; limit: number; offset: number },
) {
  let q = db.selectFrom("imports");
  if (f.createdBy) q = q.where("created_by", "=", f.createdBy);
  const [items, total] = await Promise.all([
    q
      .leftJoin("users", "users.id", "imports.created_by")
      .select([
        "imports.id",
        "imports.kind",
        "imports.filename",
        "imports.status",
        "imports.total_rows",
        "imports.inserted_rows",
        "imports.unchanged_rows",
        "imports.error_rows",
        "imports.message",
        "imports.created_by",
        "imports.created_at",
        "imports.finished_at",
        "imports.heartbeat_at",
        "users.display_name as created_by_name",
      ])
      .orderBy("imports.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** Refreshes the planner's statistics of the tables an import wrote: without
 *  it the map and overcrowding queries keep plans made for smaller tables. */
export async function refreshStatistics(db: Db, tables: readonly (keyof DB)[]): Promise<void> {
  if (tables.length) await sql`ANALYZE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}
