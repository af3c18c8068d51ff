/** SQL for saved filters. Every statement is keyed by the owner: no row of another user is ever read. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;
type Scope = DB["saved_filters"]["scope"];

const COLUMNS = ["id", "scope", "name", "query", "created_at", "updated_at"] as const;

export function list(db: Db, userId: string, scope: Scope) {
  return db
    .selectFrom("saved_filters")
    .select(COLUMNS)
    .where("user_id", "=", userId)
    .where("scope", "=", scope)
    .orderBy("id")
    .execute();
}

export type SavedFilterRow = Awaited<ReturnType<typeof list>>[number];

export function find(db: Db, userId: string, id: string) {
  return db
    .selectFrom("saved_filters")
    .select(COLUMNS)
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/**
 * Holds the user's row until the transaction ends, so that two saves by the
 * same user (two tabs) take turns: the count and name checks stay true.
 */
export async function lockOwner(db: Transaction<DB>, userId: string) {
  await db
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

export async function countOf(db: Db, userId: string) {
  const r = await db
    .selectFrom("saved_filters")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** Another filter of the user's in the scope with this name, regardless of case. */
export function findByName(db: Db, userId: string, scope: Scope, name: string, exceptId?: string) {
  let q = db
    .selectFrom("saved_filters")
    .select(["id", "name"])
    .where("user_id", "=", userId)
    .where("scope", "=", scope)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return q.executeTakeFirst();
}

export function insert(
  db: Db,
  v: { user_id: string; scope: Scope; name: string; query: Record<string, unknown> },
) {
  return db
    .insertInto("saved_filters")
    .values({ ...v, query: JSON.stringify(v.query) })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export function update(
  db: Db,
  userId: string,
  id: string,
  patch: { name?: string; query?: Record<string, unknown> },
) {
  return db
    .updateTable("saved_filters")
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.query !== undefined ? { query: JSON.stringify(patch.query) } : {}),
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .returning(COLUMNS)
    .executeTakeFirst();
}

export async function remove(db: Db, userId: string, id: string) {
  const r = await db
    .deleteFrom("saved_filters")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
