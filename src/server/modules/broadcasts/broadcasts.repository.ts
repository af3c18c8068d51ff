/**
 * SQL of broadcasts: the audience as one source of people (a row per person
 * with whether they have an account and a phone), counting it, fixing it in
 * delivery rows batch by batch, locking undelivered rows for the job, the
 * counters, and a recipient's list. No rules, and no phone number leaves
 * here except to the delivery job that sends.
 */
import {
  type Expression,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
import type { DB } from "../../db/schema.js";
import type { BroadcastCategoryValue, BroadcastStatusValue } from "../../db/schema-reports.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";
import type { BroadcastScope } from "./broadcasts.policy.js";

type Db = Kysely<DB> | Transaction<DB>;

const likePrefix = (p: string) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** An audience with its areas as paths, ready for SQL. */
export type ResolvedAudience =
  | { kind: "residents" | "volunteers"; areaPath: string }
  | { kind: "employees"; enterpriseIds: string[]; today: string }
  | { kind: "volunteers"; teamId: string };

/**
 * One row per person the audience reaches: `src_id` orders the batches,
 * `has_account` (an active account: in the app) and `has_phone` (their own
 * or their account's number: SMS).
 */
function source(a: ResolvedAudience): RawBuilder<unknown> {
  if (a.kind === "residents")
    return sql`
      SELECT r.id AS src_id, r.id AS resident_id, u.id AS user_id,
        (u.id IS NOT NULL AND u.status = 'active') AS has_account,
        (r.phone_enc IS NOT NULL OR u.phone_enc IS NOT NULL) AS has_phone
      FROM residents r LEFT JOIN users u ON u.id = r.user_id
      WHERE r.status <> 'departed' AND r.area_path LIKE ${likePrefix(a.areaPath)}`;
  if (a.kind === "employees")
    return sql`
      SELECT r.id AS src_id, r.id AS resident_id, u.id AS user_id,
        (u.id IS NOT NULL AND u.status = 'active') AS has_account,
        (r.phone_enc IS NOT NULL OR u.phone_enc IS NOT NULL) AS has_phone
      FROM residents r LEFT JOIN users u ON u.id = r.user_id
      WHERE EXISTS (
        SELECT 1 FROM employments e
        WHERE e.resident_id = r.id AND e.organisation_id = ANY(${a.enterpriseIds}::bigint[])
          AND (e.left_on IS NULL OR e.left_on > ${a.today}::date))`;
  const which =
    "teamId" in a
      ? sql`EXISTS (SELECT 1 FROM team_members m
          WHERE m.volunteer_id = v.id AND m.team_id = ${a.teamId} AND m.left_at IS NULL)`
      : sql`v.area_path LIKE ${likePrefix(a.areaPath)}`;
  return sql`
    SELECT v.id AS src_id, r.id AS resident_id, u.id AS user_id,
      (u.status = 'active') AS has_account,
      (r.phone_enc IS NOT NULL OR u.phone_enc IS NOT NULL) AS has_phone
    FROM volunteers v JOIN users u ON u.id = v.user_id
    LEFT JOIN LATERAL (
      SELECT x.id, x.phone_enc FROM residents x
      WHERE x.id = v.resident_id OR (v.resident_id IS NULL AND x.user_id = v.user_id)
      ORDER BY x.id LIMIT 1) r ON true
    WHERE v.status = 'active' AND ${which}`;
}

export interface AudienceCountRow {
  targeted: number;
  in_app: number;
  sms: number;
  both: number;
  unreachable: number;
}

/** Counts by channel, never a list. */
export async function countAudience(db: Db, a: ResolvedAudience, sms: boolean) {
  const r = await sql<AudienceCountRow>`
    SELECT
      count(*) FILTER (WHERE has_account OR (${sms} AND has_phone))::int AS targeted,
      count(*) FILTER (WHERE has_account)::int AS in_app,
      count(*) FILTER (WHERE ${sms} AND has_phone)::int AS sms,
      count(*) FILTER (WHERE has_account AND ${sms} AND has_phone)::int AS both,
      count(*) FILTER (WHERE NOT has_account AND NOT (${sms} AND has_phone))::int AS unreachable
    FROM (${source(a)}) s`.execute(db);
  return r.rows[0] as AudienceCountRow;
}

/**
 * Fixes the next batch of the audience (source rows after `cursor`) as
 * delivery rows; a person already fixed is skipped, so a batch run twice
 * adds nothing. Returns how many rows were read, the last source id, how
 * many were added and how many had no channel.
 */
export async function materialiseBatch(
  trx: Transaction<DB>,
  broadcastId: string,
  a: ResolvedAudience,
  sms: boolean,
  cursor: string | null,
  batch: number,
) {
  const r = await sql<{
    scanned: number;
    last: string | null;
    inserted: number;
    unreachable: number;
  }>`
    WITH src AS (
      SELECT * FROM (${source(a)}) s
      WHERE s.src_id > ${cursor ?? "0"}::bigint
      ORDER BY s.src_id LIMIT ${batch}
    ), ins AS (
      INSERT INTO broadcast_deliveries (broadcast_id, resident_id, user_id, in_app, sms)
      SELECT ${broadcastId}::bigint, resident_id, user_id, has_account, ${sms} AND has_phone
      FROM src WHERE has_account OR (${sms} AND has_phone)
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT
      (SELECT count(*) FROM src)::int AS scanned,
      (SELECT max(src_id) FROM src)::text AS last,
      (SELECT count(*) FROM ins)::int AS inserted,
      (SELECT count(*) FROM src WHERE NOT (has_account OR (${sms} AND has_phone)))::int AS unreachable`.execute(
    trx,
  );
  return r.rows[0] as {
    scanned: number;
    last: string | null;
    inserted: number;
    unreachable: number;
  };
}

// ---------------------------------------------------------- broadcasts

export interface BroadcastRow {
  id: string;
  title: string;
  body: string;
  category: BroadcastCategoryValue;
  audience: Record<string, unknown>;
  sms: boolean;
  status: BroadcastStatusValue;
  issuer_name: string;
  area_path: string;
  department_id: string | null;
  created_by: string | null;
  created_label: string;
  sent_at: Date | null;
  sent_label: string | null;
  completed_at: Date | null;
  cursor: string | null;
  materialised: boolean;
  targeted_count: number;
  unreachable_count: number;
  delivered_count: number;
  in_app_count: number;
  sms_sent_count: number;
  failed_count: number;
  read_count: number;
  version: number;
  created_at: Date;
}

const COLUMNS = [
  "b.id",
  "b.title",
  "b.body",
  "b.category",
  "b.audience",
  "b.sms",
  "b.status",
  "b.issuer_name",
  "b.area_path",
  "b.department_id",
  "b.created_by",
  "b.created_label",
  "b.sent_at",
  "b.sent_label",
  "b.completed_at",
  "b.cursor",
  "b.materialised",
  "b.targeted_count",
  "b.unreachable_count",
  "b.delivered_count",
  "b.in_app_count",
  "b.sms_sent_count",
  "b.failed_count",
  "b.read_count",
  "b.version",
  "b.created_at",
] as const;

export async function findBroadcast(db: Db, id: string): Promise<BroadcastRow | undefined> {
  return db.selectFrom("broadcasts as b").select(COLUMNS).where("b.id", "=", id).executeTakeFirst();
}

export async function lockBroadcast(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("broadcasts as b")
    .select(COLUMNS)
    .where("b.id", "=", id)
    .forUpdate()
    .executeTakeFirst() as Promise<BroadcastRow | undefined>;
}

function scopeCondition(s: BroadcastScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("b.area_path", s.areaPaths)];
  if (s.departmentIds.length)
    parts.push(sql<SqlBool>`b.department_id = ANY(${s.departmentIds}::bigint[])`);
  if (s.userId) parts.push(sql<SqlBool>`b.created_by = ${s.userId}`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export interface BroadcastFilter {
  q?: string | undefined;
  status?: BroadcastStatusValue | undefined;
  category?: BroadcastCategoryValue | undefined;
  limit: number;
  offset: number;
}

export async function listBroadcasts(db: Db, scope: BroadcastScope, f: BroadcastFilter) {
  let q = db.selectFrom("broadcasts as b").where(scopeCondition(scope));
  if (f.status) q = q.where("b.status", "=", f.status);
  if (f.category) q = q.where("b.category", "=", f.category);
  if (f.q) q = q.where("b.title", "ilike", containsPattern(f.q));
  const [items, total] = await Promise.all([
    q
      .select(COLUMNS)
      .orderBy(sql`coalesce(b.sent_at, b.created_at)`, "desc")
      .orderBy("b.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute() as Promise<BroadcastRow[]>,
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export async function insertBroadcast(
  trx: Db,
  b: {
    title: string;
    body: string;
    category: BroadcastCategoryValue;
    audience: Record<string, unknown>;
    sms: boolean;
    issuer_name: string;
    area_path: string;
    department_id: string | null;
    created_by: string | null;
    created_label: string;
  },
): Promise<string> {
  const row = await trx
    .insertInto("broadcasts")
    .values({ ...b, audience: JSON.stringify(b.audience) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface BroadcastPatch {
  title?: string;
  body?: string;
  category?: BroadcastCategoryValue;
  sms?: boolean;
  audience?: Record<string, unknown>;
  status?: BroadcastStatusValue;
  sent_at?: Date;
  sent_by?: string | null;
  sent_label?: string;
}

/** Changes the broadcast seen at `version`; false when it changed meanwhile. */
export async function updateBroadcast(
  trx: Db,
  id: string,
  version: number,
  patch: BroadcastPatch,
): Promise<boolean> {
  const { audience, ...rest } = patch;
  const res = await trx
    .updateTable("broadcasts")
    .set({
      ...rest,
      ...(audience ? { audience: JSON.stringify(audience) } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteBroadcast(trx: Db, id: string) {
  await trx.deleteFrom("broadcasts").where("id", "=", id).execute();
}

export async function insertAction(
  trx: Db,
  a: {
    broadcast_id: string;
    action: string;
    actor_user_id: string | null;
    actor_label: string;
    details?: Record<string, unknown>;
  },
) {
  await trx
    .insertInto("broadcast_actions")
    .values({ ...a, details: JSON.stringify(a.details ?? {}) })
    .execute();
}

export function actionsOf(db: Db, id: string) {
  return db
    .selectFrom("broadcast_actions")
    .select(["id", "action", "actor_label", "details", "created_at"])
    .where("broadcast_id", "=", id)
    .orderBy("id")
    .execute();
}

// ------------------------------------------------------------- the job

/** The next broadcast still fixing its audience, locked for this run (others skip it). */
export async function lockUnmaterialised(trx: Transaction<DB>) {
  return trx
    .selectFrom("broadcasts as b")
    .select(COLUMNS)
    .where("b.status", "=", "sending")
    .where("b.materialised", "=", false)
    .orderBy("b.id")
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst() as Promise<BroadcastRow | undefined>;
}

export async function advanceCursor(
  trx: Transaction<DB>,
  id: string,
  r: { cursor: string | null; done: boolean; inserted: number; unreachable: number },
) {
  await trx
    .updateTable("broadcasts")
    .set({
      cursor: r.cursor,
      materialised: r.done,
      targeted_count: sql`targeted_count + ${r.inserted}`,
      unreachable_count: sql`unreachable_count + ${r.unreachable}`,
    })
    .where("id", "=", id)
    .execute();
}

export interface PendingDelivery {
  id: string;
  broadcast_id: string;
  user_id: string | null;
  in_app: boolean;
  sms: boolean;
  user_status: string | null;
  resident_phone_enc: string | null;
  user_phone_enc: string | null;
  title: string;
  body: string;
  category: BroadcastCategoryValue;
}

/** Undelivered rows with what sending needs, locked for this run (SKIP LOCKED). */
export async function lockUndelivered(trx: Transaction<DB>, limit: number) {
  const r = await sql<PendingDelivery>`
    SELECT d.id, d.broadcast_id, d.user_id, d.in_app, d.sms, u.status AS user_status,
      r.phone_enc AS resident_phone_enc, u.phone_enc AS user_phone_enc,
      b.title, b.body, b.category
    FROM broadcast_deliveries d
    JOIN broadcasts b ON b.id = d.broadcast_id
    LEFT JOIN residents r ON r.id = d.resident_id
    LEFT JOIN users u ON u.id = d.user_id
    WHERE d.delivered_at IS NULL
    ORDER BY d.id
    LIMIT ${limit}
    FOR UPDATE OF d SKIP LOCKED`.execute(trx);
  return r.rows;
}

export async function markDelivered(
  trx: Transaction<DB>,
  at: Date,
  o: {
    all: string[];
    inApp: string[];
    smsSent: { sender: string; ids: string[] }[];
    smsFailed: { sender: string; ids: string[] }[];
  },
) {
  if (o.all.length === 0) return;
  await trx
    .updateTable("broadcast_deliveries")
    .set({ delivered_at: at })
    .where("id", "in", o.all)
    .execute();
  if (o.inApp.length)
    await trx
      .updateTable("broadcast_deliveries")
      .set({ in_app_at: at })
      .where("id", "in", o.inApp)
      .execute();
  for (const [status, groups] of [
    ["sent", o.smsSent],
    ["failed", o.smsFailed],
  ] as const)
    for (const g of groups)
      if (g.ids.length)
        await trx
          .updateTable("broadcast_deliveries")
          .set({ sms_status: status, sms_sender: g.sender })
          .where("id", "in", g.ids)
          .execute();
}

export async function addCounts(
  trx: Transaction<DB>,
  id: string,
  c: { delivered: number; inApp: number; smsSent: number; failed: number },
) {
  await trx
    .updateTable("broadcasts")
    .set({
      delivered_count: sql`delivered_count + ${c.delivered}`,
      in_app_count: sql`in_app_count + ${c.inApp}`,
      sms_sent_count: sql`sms_sent_count + ${c.smsSent}`,
      failed_count: sql`failed_count + ${c.failed}`,
    })
    .where("id", "=", id)
    .execute();
}

/** Broadcasts fixed and delivered to the last person: marked sent. Returns them. */
export async function completeDelivered(trx: Transaction<DB>, at: Date) {
  const r = await sql<{
    id: string;
    targeted_count: number;
    in_app_count: number;
    sms_sent_count: number;
    failed_count: number;
    unreachable_count: number;
  }>`
    UPDATE broadcasts b SET status = 'sent', completed_at = ${at}, version = version + 1, updated_at = now()
    WHERE b.status = 'sending' AND b.materialised
      AND NOT EXISTS (SELECT 1 FROM broadcast_deliveries d
        WHERE d.broadcast_id = b.id AND d.delivered_at IS NULL)
    RETURNING b.id, b.targeted_count, b.in_app_count, b.sms_sent_count, b.failed_count, b.unreachable_count`.execute(
    trx,
  );
  return r.rows;
}

// ---------------------------------------------------------- recipients

/** The caller's delivery of a broadcast, if it reached them in the app. */
export function findReceipt(db: Db, broadcastId: string, userId: string) {
  return db
    .selectFrom("broadcast_deliveries")
    .select(["id", "in_app_at", "read_at"])
    .where("broadcast_id", "=", broadcastId)
    .where("user_id", "=", userId)
    .where("in_app_at", "is not", null)
    .executeTakeFirst();
}

/** First read only: true when this call marked it. */
export async function markRead(
  trx: Transaction<DB>,
  deliveryId: string,
  broadcastId: string,
  at: Date,
) {
  const res = await trx
    .updateTable("broadcast_deliveries")
    .set({ read_at: at })
    .where("id", "=", deliveryId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await trx
    .updateTable("broadcasts")
    .set({ read_count: sql`read_count + 1` })
    .where("id", "=", broadcastId)
    .execute();
  return true;
}

export async function listMine(
  db: Db,
  userId: string,
  f: { unreadOnly: boolean; limit: number; offset: number },
) {
  const base = db
    .selectFrom("broadcast_deliveries as d")
    .innerJoin("broadcasts as b", "b.id", "d.broadcast_id")
    .where("d.user_id", "=", userId)
    .where("d.in_app_at", "is not", null);
  const unreadOnly = base.where("d.read_at", "is", null);
  const listed = f.unreadOnly ? unreadOnly : base;
  const [items, total, unread] = await Promise.all([
    listed
      .select([
        "b.id",
        "b.title",
        "b.body",
        "b.category",
        "b.issuer_name",
        "b.sent_at",
        "d.in_app_at",
        "d.read_at",
      ])
      .orderBy("d.broadcast_id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    listed.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
    unreadOnly.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n, unread: unread.n };
}

// -------------------------------------------------------------- lookups

export function areaByCode(db: Db, code: string) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path", "level"])
    .where("code", "=", code)
    .executeTakeFirst();
}

export function enterprisesWithin(db: Db, ids: string[], areaPath: string) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("organisations")
    .select(["id", "name"])
    .where("id", "in", ids)
    .where("kind", "=", "enterprise")
    .where("area_path", "like", likePrefix(areaPath))
    .orderBy("name")
    .execute();
}

export function teamById(db: Db, id: string) {
  return db
    .selectFrom("teams")
    .select(["id", "name", "area_path", "active"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function organisationNames(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("organisations")
    .select(["id", "name"])
    .where("id", "in", ids)
    .orderBy("name")
    .execute();
}
