/** SQL for the audit trail. Rows are only ever inserted. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

// Any constant works; it names the lock that serialises chainers (only them).
const AUDIT_CHAIN_LOCK = 7_305_050;

export async function lockChain(trx: Transaction<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
}

/** The end of the linked chain. */
export function lastLinked(db: Db) {
  return db
    .selectFrom("audit_log")
    .select(["hash", "chain_seq"])
    .where("chain_seq", "is not", null)
    .orderBy("chain_seq", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Committed rows not linked yet, oldest first. */
export function unlinked(db: Db, limit: number) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where("chain_seq", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
}

export async function link(
  db: Db,
  rows: { id: string; prev_hash: string; hash: string; chain_seq: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::bigint, ${r.prev_hash}, ${r.hash}, ${r.chain_seq}::bigint)`),
  );
  await sql`UPDATE audit_log AS a SET prev_hash = v.prev_hash, hash = v.hash, chain_seq = v.chain_seq
    FROM (VALUES ${values}) AS v(id, prev_hash, hash, chain_seq) WHERE a.id = v.id`.execute(db);
}

export async function countUnlinked(db: Db): Promise<number> {
  const r = await db
    .selectFrom("audit_log")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("chain_seq", "is", null)
    .executeTakeFirstOrThrow();
  return r.n;
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
  },
): Promise<string> {
  const r = await db
    .insertInto("audit_log")
    .values({ ...row, details: JSON.stringify(row.details) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Linked rows in chain order, after a chain position. */
export async function linkedAfter(db: Db, afterSeq: string, limit: number) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where("chain_seq", ">", afterSeq)
    .orderBy("chain_seq")
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
