/** SQL for the audit trail. Rows are only ever inserted. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

// Any constant works; it names the lock that serialises writers of the chain.
const AUDIT_CHAIN_LOCK = 7_305_050;

export async function lockChain(trx: Transaction<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
}

export async function lastHash(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom("audit_log")
    .select("hash")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

export async function insertRow(
  db: Db,
  row: {
    at: Date;
    actor_user_id: string | null;
    actor_token_id: string | null;
    actor_label: string;
    action: string;
    subject_type: string;
    subject_id: string | null;
    details: Record<string, unknown>;
    request_id: string | null;
    prev_hash: string;
    hash: string;
  },
): Promise<string> {
  const r = await db
    .insertInto("audit_log")
    .values({ ...row, details: JSON.stringify(row.details) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function rowsAfter(db: Db, afterId: string, limit: number) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
}

export interface AuditListFilter {
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  actorUserId?: string | undefined;
  action?: string | undefined;
  limit: number;
  offset: number;
}

export async function list(db: Db, f: AuditListFilter) {
  let q = db.selectFrom("audit_log");
  if (f.subjectType) q = q.where("subject_type", "=", f.subjectType);
  if (f.subjectId) q = q.where("subject_id", "=", f.subjectId);
  if (f.actorUserId) q = q.where("actor_user_id", "=", f.actorUserId);
  if (f.action) q = q.where("action", "like", `${f.action}%`);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy("id", "desc").limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}
