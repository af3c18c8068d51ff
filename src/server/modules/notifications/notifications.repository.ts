/** SQL for in-app notifications. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

export async function list(
  db: Db,
  userId: string,
  f: { unreadOnly: boolean; limit: number; offset: number },
) {
  let q = db.selectFrom("notifications").where("user_id", "=", userId);
  if (f.unreadOnly) q = q.where("read_at", "is", null);
  const [items, total, unread] = await Promise.all([
    q
      .leftJoin("cases", "cases.id", "notifications.case_id")
      .select([
        "notifications.id",
        "notifications.kind",
        "notifications.case_id",
        "notifications.title",
        "notifications.body",
        "notifications.read_at",
        "notifications.created_at",
        "notifications.link",
        "cases.code as case_code",
      ])
      .orderBy("notifications.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
    db
      .selectFrom("notifications")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("user_id", "=", userId)
      .where("read_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n, unread: unread.n };
}

/** Marks the user's notifications read (all, or the given ones); returns how many changed. */
export async function markRead(db: Db, userId: string, ids: string[] | "all") {
  let q = db
    .updateTable("notifications")
    .set({ read_at: sql`now()` })
    .where("user_id", "=", userId)
    .where("read_at", "is", null);
  if (ids !== "all") {
    if (ids.length === 0) return 0;
    q = q.where("id", "in", ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Marks read the user's unread notifications that open `link`; returns how many changed. */
export async function markLinkRead(db: Db, userId: string, link: string) {
  const r = await db
    .updateTable("notifications")
    .set({ read_at: sql`now()` })
    .where("user_id", "=", userId)
    .where("link", "=", link)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Undelivered notifications with the recipient's (encrypted) phone and e-mail address, locked for this run. */
export function lockUndelivered(db: Transaction<DB>, limit: number) {
  return db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .select([
      "notifications.id",
      "notifications.title",
      "notifications.body",
      "users.phone_enc",
      "users.email",
      "users.status",
    ])
    .where("notifications.delivered_at", "is", null)
    .orderBy("notifications.id")
    .limit(limit)
    .forUpdate("notifications")
    .skipLocked()
    .execute();
}

/** `delivery`: one entry per channel ("sms:log", "email:smtp:failed"), or ["app"]. */
export async function markDelivered(db: Db, ids: string[], delivery: string[], at: Date) {
  if (ids.length === 0) return;
  await db
    .updateTable("notifications")
    .set({ delivered_at: at, delivery })
    .where("id", "in", ids)
    .execute();
}

export interface NewNotification {
  user_id: string;
  kind: string;
  title: string;
  body: string | null;
  case_id?: string | null;
  link?: string | null;
  /** set when the caller delivered beyond the app itself */
  delivered_at?: Date;
  delivery?: string[];
}

export async function insertMany(db: Db, rows: NewNotification[]) {
  for (let i = 0; i < rows.length; i += 2000)
    await db
      .insertInto("notifications")
      .values(
        rows
          .slice(i, i + 2000)
          .map((r) => ({ ...r, case_id: r.case_id ?? null, link: r.link ?? null })),
      )
      .execute();
}
