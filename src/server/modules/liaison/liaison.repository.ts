/**
 * SQL for liaison: notices, their recipients and log, mediation requests and
 * their timeline. The audience of a notice is one WHERE over organisations,
 * LEFT JOINed to part C's enterprise_scores (rating, warning level), used
 * both by the preview and by the single INSERT … SELECT that fixes the
 * recipients when a notice is sent.
 */
import {
  type Expression,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
import { ENTERPRISE_ROLES } from "../../../shared/roles.js";
import type { DB } from "../../db/schema.js";
import type {
  MediationOutcomeValue,
  MediationStatusValue,
  NoticeImportanceValue,
  NoticeStatusValue,
} from "../../db/schema-liaison.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";
import type { NoticeScope } from "./liaison.policy.js";

type Db = Kysely<DB> | Transaction<DB>;

// ----------------------------------------------------------------- audience

/** An audience with its area codes turned into path prefixes. */
export interface ResolvedAudience {
  mode: "all" | "filter" | "list";
  industries: string[];
  areaPaths: string[];
  ratings: string[];
  warningLevels: string[];
  enterpriseIds: string[];
}

const ENTERPRISES_WITH_SCORES = sql`organisations o
  JOIN areas g ON g.id = o.area_id
  LEFT JOIN enterprise_scores es ON es.organisation_id = o.id`;

/** The enterprises inside `scopePath` the audience reaches (over ENTERPRISES_WITH_SCORES). */
function audienceWhere(a: ResolvedAudience, scopePath: string): RawBuilder<SqlBool> {
  const parts: Expression<SqlBool>[] = [
    sql<SqlBool>`o.kind = 'enterprise'`,
    pathPrefixAny("o.area_path", [scopePath]),
  ];
  if (a.mode === "list") {
    parts.push(
      a.enterpriseIds.length
        ? sql<SqlBool>`o.id IN (${sql.join(a.enterpriseIds)})`
        : sql<SqlBool>`false`,
    );
  }
  if (a.mode === "filter") {
    if (a.industries.length) parts.push(sql<SqlBool>`o.industry IN (${sql.join(a.industries)})`);
    if (a.areaPaths.length) parts.push(pathPrefixAny("o.area_path", a.areaPaths));
    if (a.ratings.length) {
      const rated = a.ratings.filter((r) => r !== "unrated");
      const alt: Expression<SqlBool>[] = [];
      if (rated.length) alt.push(sql<SqlBool>`es.rating IN (${sql.join(rated)})`);
      if (a.ratings.includes("unrated")) alt.push(sql<SqlBool>`es.rating IS NULL`);
      parts.push(sql<SqlBool>`(${sql.join(alt, sql` OR `)})`);
    }
    if (a.warningLevels.length)
      parts.push(
        sql<SqlBool>`coalesce(es.warning_level, 'none') IN (${sql.join(a.warningLevels)})`,
      );
  }
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

/** How many enterprises the audience reaches, and the first few by name. */
export async function previewAudience(
  db: Db,
  a: ResolvedAudience,
  scopePath: string,
  sampleSize: number,
) {
  const where = audienceWhere(a, scopePath);
  const [count, sample] = await Promise.all([
    sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ${ENTERPRISES_WITH_SCORES} WHERE ${where}`.execute(db),
    sql<{
      id: string;
      name: string;
      industry: string | null;
      grid_name: string;
      rating: string | null;
      warning_level: string;
    }>`SELECT o.id::text AS id, o.name, o.industry, g.name AS grid_name, es.rating,
        coalesce(es.warning_level, 'none') AS warning_level
      FROM ${ENTERPRISES_WITH_SCORES} WHERE ${where}
      ORDER BY o.name, o.id LIMIT ${sampleSize}`.execute(db),
  ]);
  return { count: count.rows[0]?.n ?? 0, sample: sample.rows };
}

/** Which of these enterprise ids are enterprises inside `scopePath`. */
export async function enterprisesWithin(db: Db, ids: string[], scopePath: string) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("organisations as o")
    .select(["o.id", "o.name"])
    .where("o.kind", "=", "enterprise")
    .where("o.id", "in", ids)
    .where(pathPrefixAny("o.area_path", [scopePath]))
    .execute();
  return rows;
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

/**
 * Fixes the recipients of a notice: one row per enterprise the audience
 * reaches now, in one statement. Answers how many.
 */
export async function insertRecipients(
  trx: Transaction<DB>,
  noticeId: string,
  a: ResolvedAudience,
  scopePath: string,
): Promise<number> {
  const r = await sql<{ n: number }>`
    WITH ins AS (
      INSERT INTO notice_recipients (notice_id, organisation_id)
      SELECT ${noticeId}::bigint, o.id FROM ${ENTERPRISES_WITH_SCORES}
      WHERE ${audienceWhere(a, scopePath)}
      RETURNING 1
    ) SELECT count(*)::int AS n FROM ins`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

// ------------------------------------------------------------------ notices

export interface NoticeRow {
  id: string;
  title: string;
  body: string;
  importance: NoticeImportanceValue;
  ack_required: boolean;
  ack_due_on: string | null;
  audience: Record<string, unknown>;
  status: NoticeStatusValue;
  issuer_name: string;
  area_path: string;
  department_id: string | null;
  created_by: string | null;
  created_label: string;
  recipient_count: number;
  sent_at: Date | null;
  sent_label: string | null;
  withdrawn_at: Date | null;
  withdrawn_label: string | null;
  withdraw_reason: string | null;
  last_reminded_at: Date | null;
  version: number;
  created_at: Date;
}

const NOTICE_COLUMNS = [
  "n.id",
  "n.title",
  "n.body",
  "n.importance",
  "n.ack_required",
  "n.ack_due_on",
  "n.audience",
  "n.status",
  "n.issuer_name",
  "n.area_path",
  "n.department_id",
  "n.created_by",
  "n.created_label",
  "n.recipient_count",
  "n.sent_at",
  "n.sent_label",
  "n.withdrawn_at",
  "n.withdrawn_label",
  "n.withdraw_reason",
  "n.last_reminded_at",
  "n.version",
  "n.created_at",
] as const;

export function noticeScopeCondition(s: NoticeScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (s.areaPaths.length) parts.push(pathPrefixAny("n.area_path", s.areaPaths));
  if (s.departmentIds.length)
    parts.push(sql<SqlBool>`n.department_id IN (${sql.join(s.departmentIds)})`);
  if (s.userId) parts.push(sql<SqlBool>`n.created_by = ${s.userId}`);
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  return db
    .selectFrom("notices as n")
    .select(NOTICE_COLUMNS)
    .where("n.id", "=", id)
    .executeTakeFirst() as Promise<NoticeRow | undefined>;
}

/** The notice, locked for a change (send, withdraw, remind, edit, delete). */
export function lockNotice(trx: Transaction<DB>, id: string): Promise<NoticeRow | undefined> {
  return trx
    .selectFrom("notices as n")
    .select(NOTICE_COLUMNS)
    .where("n.id", "=", id)
    .forUpdate()
    .executeTakeFirst() as Promise<NoticeRow | undefined>;
}

export interface NewNotice {
  title: string;
  body: string;
  importance: NoticeImportanceValue;
  ack_required: boolean;
  ack_due_on: string | null;
  audience: Record<string, unknown>;
  issuer_name: string;
  area_path: string;
  department_id: string | null;
  created_by: string | null;
  created_label: string;
}

export async function insertNotice(trx: Transaction<DB>, n: NewNotice) {
  const row = await trx
    .insertInto("notices")
    .values({ ...n, audience: JSON.stringify(n.audience) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export type NoticePatch = Partial<
  Pick<NewNotice, "title" | "body" | "importance" | "ack_required" | "ack_due_on" | "audience">
> & {
  status?: NoticeStatusValue;
  recipient_count?: number;
  sent_at?: Date;
  sent_by?: string | null;
  sent_label?: string;
  withdrawn_at?: Date;
  withdrawn_by?: string | null;
  withdrawn_label?: string;
  withdraw_reason?: string;
  last_reminded_at?: Date;
};

/** Applies a change if the notice is still at `version`; false when someone changed it first. */
export async function updateNotice(
  trx: Transaction<DB>,
  id: string,
  version: number,
  patch: NoticePatch,
): Promise<boolean> {
  const { audience, ...rest } = patch;
  const r = await trx
    .updateTable("notices")
    .set({
      ...rest,
      ...(audience ? { audience: JSON.stringify(audience) } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteNotice(trx: Transaction<DB>, id: string) {
  await trx.deleteFrom("notices").where("id", "=", id).execute();
}

export async function insertNoticeAction(
  trx: Transaction<DB>,
  row: {
    notice_id: string;
    action: string;
    actor_user_id: string | null;
    actor_label: string;
    note?: string | null;
    details?: Record<string, unknown>;
  },
) {
  await trx
    .insertInto("notice_actions")
    .values({ ...row, note: row.note ?? null, details: JSON.stringify(row.details ?? {}) })
    .execute();
}

export function noticeLog(db: Db, noticeId: string) {
  return db
    .selectFrom("notice_actions")
    .select(["id", "action", "actor_label", "note", "details", "created_at"])
    .where("notice_id", "=", noticeId)
    .orderBy("id")
    .execute();
}

export interface NoticeListFilter {
  q?: string | undefined;
  status?: NoticeStatusValue | undefined;
  importance?: NoticeImportanceValue | undefined;
  /** the receipt state of `organisationIds` (inbox) or `enterpriseId` */
  state?: "unread" | "read" | "to_acknowledge" | "acknowledged" | undefined;
  sort: "newest" | "oldest" | "unreadFirst";
  limit: number;
  offset: number;
}

function textFilter(q: string | undefined): Expression<SqlBool> | null {
  if (!q) return null;
  const like = containsPattern(q);
  return sql<SqlBool>`(n.title LIKE ${like} OR n.body LIKE ${like})`;
}

/** Government's list: the notices in scope, newest first. */
export async function listGovernmentNotices(db: Db, scope: NoticeScope, f: NoticeListFilter) {
  let q = db.selectFrom("notices as n").where(noticeScopeCondition(scope));
  if (f.status) q = q.where("n.status", "=", f.status);
  if (f.importance) q = q.where("n.importance", "=", f.importance);
  const text = textFilter(f.q);
  if (text) q = q.where(text);
  const order = sql`coalesce(n.sent_at, n.created_at)`;
  const [items, total] = await Promise.all([
    q
      .select(NOTICE_COLUMNS)
      .orderBy(order, f.sort === "oldest" ? "asc" : "desc")
      .orderBy("n.id", f.sort === "oldest" ? "asc" : "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute() as Promise<NoticeRow[]>,
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export interface ReceiptRow {
  organisation_id: string;
  organisation_name: string;
  read_at: Date | null;
  read_label: string | null;
  acknowledged_at: Date | null;
  acknowledged_label: string | null;
}

function receiptStateCondition(state: NoticeListFilter["state"]): Expression<SqlBool> | null {
  switch (state) {
    case undefined:
      return null;
    case "unread":
      return sql<SqlBool>`(r.read_at IS NULL AND n.status = 'sent')`;
    case "read":
      return sql<SqlBool>`r.read_at IS NOT NULL`;
    case "to_acknowledge":
      return sql<SqlBool>`(n.ack_required AND r.acknowledged_at IS NULL AND n.status = 'sent')`;
    case "acknowledged":
      return sql<SqlBool>`r.acknowledged_at IS NOT NULL`;
  }
}

/**
 * Notices received by any of the organisations (an enterprise's inbox, or
 * government's view of one enterprise when `scope` is given): sent or
 * withdrawn, with the receipt. Unread first when sorted so.
 */
export async function listReceivedNotices(
  db: Db,
  organisationIds: string[],
  f: NoticeListFilter,
  scope?: NoticeScope,
) {
  if (organisationIds.length === 0) return { items: [], total: 0 };
  let q = db
    .selectFrom("notice_recipients as r")
    .innerJoin("notices as n", "n.id", "r.notice_id")
    .innerJoin("organisations as o", "o.id", "r.organisation_id")
    .where("r.organisation_id", "in", organisationIds)
    .where("n.status", "<>", "draft");
  if (scope) q = q.where(noticeScopeCondition(scope));
  if (f.status) q = q.where("n.status", "=", f.status);
  if (f.importance) q = q.where("n.importance", "=", f.importance);
  const text = textFilter(f.q);
  if (text) q = q.where(text);
  const state = receiptStateCondition(f.state);
  if (state) q = q.where(state);
  let list = q.select([
    ...NOTICE_COLUMNS,
    "r.organisation_id",
    "o.name as organisation_name",
    "r.read_at",
    "r.read_label",
    "r.acknowledged_at",
    "r.acknowledged_label",
  ]);
  if (f.sort === "unreadFirst")
    list = list.orderBy(sql`(r.read_at IS NULL AND n.status = 'sent')`, "desc");
  list = list
    .orderBy("n.sent_at", f.sort === "oldest" ? "asc" : "desc")
    .orderBy("n.id", f.sort === "oldest" ? "asc" : "desc");
  const [items, total] = await Promise.all([
    list.limit(f.limit).offset(f.offset).execute() as Promise<(NoticeRow & ReceiptRow)[]>,
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** How each notice is being received: recipients, read, acknowledged, overdue. */
export async function noticeCounts(db: Db, noticeIds: string[], today: string) {
  if (noticeIds.length === 0) return new Map<string, NoticeCounts>();
  const rows = await sql<NoticeCounts & { notice_id: string }>`
    SELECT r.notice_id::text AS notice_id,
      count(*)::int AS recipients,
      count(r.read_at)::int AS read,
      count(r.acknowledged_at)::int AS acknowledged,
      (count(*) FILTER (WHERE n.status = 'sent' AND n.ack_required AND n.ack_due_on < ${today}::date
        AND r.acknowledged_at IS NULL))::int AS overdue
    FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
    WHERE r.notice_id IN (${sql.join(noticeIds)})
    GROUP BY r.notice_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.notice_id, r]));
}

export interface NoticeCounts {
  recipients: number;
  read: number;
  acknowledged: number;
  overdue: number;
}

/** The receipt of one organisation for a notice, if it is a recipient. */
export function findReceipt(db: Db, noticeId: string, organisationIds: string[]) {
  if (organisationIds.length === 0) return Promise.resolve(undefined);
  return db
    .selectFrom("notice_recipients as r")
    .innerJoin("organisations as o", "o.id", "r.organisation_id")
    .select([
      "r.organisation_id",
      "o.name as organisation_name",
      "r.read_at",
      "r.read_label",
      "r.acknowledged_at",
      "r.acknowledged_label",
    ])
    .where("r.notice_id", "=", noticeId)
    .where("r.organisation_id", "in", organisationIds)
    .orderBy("r.organisation_id")
    .executeTakeFirst() as Promise<ReceiptRow | undefined>;
}

/** Marks read (the first read stays); answers whether this call did it. */
export async function markRead(
  db: Db,
  noticeId: string,
  organisationId: string,
  by: { userId: string | null; label: string },
  at: Date,
) {
  const r = await db
    .updateTable("notice_recipients")
    .set({ read_at: at, read_by: by.userId, read_label: by.label })
    .where("notice_id", "=", noticeId)
    .where("organisation_id", "=", organisationId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Confirms receipt (and reads, if not yet); answers whether this call did it. */
export async function markAcknowledged(
  db: Db,
  noticeId: string,
  organisationId: string,
  by: { userId: string | null; label: string },
  at: Date,
) {
  const r = await db
    .updateTable("notice_recipients")
    .set({
      acknowledged_at: at,
      acknowledged_by: by.userId,
      acknowledged_label: by.label,
      read_at: sql`coalesce(read_at, ${at})`,
      read_by: sql`coalesce(read_by, ${by.userId}::bigint)`,
      read_label: sql`coalesce(read_label, ${by.label})`,
    })
    .where("notice_id", "=", noticeId)
    .where("organisation_id", "=", organisationId)
    .where("acknowledged_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type RecipientState = "read" | "unread" | "acknowledged" | "unacknowledged" | "overdue";

function recipientStateCondition(
  state: RecipientState | undefined,
  n: { ack_due_on: string | null; ack_required: boolean; status: string },
  today: string,
): Expression<SqlBool> | null {
  switch (state) {
    case undefined:
      return null;
    case "read":
      return sql<SqlBool>`r.read_at IS NOT NULL`;
    case "unread":
      return sql<SqlBool>`r.read_at IS NULL`;
    case "acknowledged":
      return sql<SqlBool>`r.acknowledged_at IS NOT NULL`;
    case "unacknowledged":
      return sql<SqlBool>`r.acknowledged_at IS NULL`;
    case "overdue":
      return n.status === "sent" && n.ack_required && n.ack_due_on !== null && n.ack_due_on < today
        ? sql<SqlBool>`r.acknowledged_at IS NULL`
        : sql<SqlBool>`false`;
  }
}

export async function listRecipients(
  db: Db,
  n: { id: string; ack_due_on: string | null; ack_required: boolean; status: string },
  f: { state?: RecipientState | undefined; q?: string | undefined; limit: number; offset: number },
  today: string,
) {
  let q = db
    .selectFrom("notice_recipients as r")
    .innerJoin("organisations as o", "o.id", "r.organisation_id")
    .innerJoin("areas as g", "g.id", "o.area_id")
    .where("r.notice_id", "=", n.id);
  const state = recipientStateCondition(f.state, n, today);
  if (state) q = q.where(state);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([eb("o.name", "like", like), eb("o.uscc", "like", like.toUpperCase())]),
    );
  }
  const [items, total] = await Promise.all([
    q
      .select([
        "r.organisation_id",
        "o.name",
        "o.industry",
        "o.safety_officer",
        "g.code as grid_code",
        "g.name as grid_name",
        "r.read_at",
        "r.read_label",
        "r.acknowledged_at",
        "r.acknowledged_label",
        "r.last_reminded_at",
      ])
      // Those still to act first, then by name.
      .orderBy(sql`r.read_at IS NOT NULL`)
      .orderBy("o.name")
      .orderBy("r.organisation_id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** Recipients that have not read the notice. */
export async function countUnread(db: Db, noticeId: string) {
  const r = await db
    .selectFrom("notice_recipients")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("notice_id", "=", noticeId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return r.n;
}

/**
 * A notification for every active officer of the notice's recipient
 * enterprises (`unreadOnly`: of those that have not read it), in one
 * statement. Answers who was notified.
 */
export async function notifyRecipientOfficers(
  trx: Transaction<DB>,
  noticeId: string,
  n: { kind: string; title: string; body: string | null },
  unreadOnly: boolean,
) {
  const r = await sql<{ user_id: string }>`
    WITH ins AS (
      INSERT INTO notifications (user_id, kind, title, body, link)
      SELECT DISTINCT g.user_id, ${n.kind}, ${n.title}, ${n.body}::text, ${`/notices/${noticeId}`}
      FROM notice_recipients r
      JOIN role_grants g ON g.organisation_id = r.organisation_id
        AND g.role IN ('enterprise_officer', 'enterprise_manager')
      JOIN users u ON u.id = g.user_id AND u.status = 'active'
      WHERE r.notice_id = ${noticeId}::bigint ${unreadOnly ? sql`AND r.read_at IS NULL` : sql``}
      RETURNING user_id
    ) SELECT user_id::text AS user_id FROM ins`.execute(trx);
  return r.rows.map((x) => x.user_id);
}

/** Stamps the unread recipients as reminded now; answers how many. */
export async function stampReminded(trx: Transaction<DB>, noticeId: string, at: Date) {
  const r = await trx
    .updateTable("notice_recipients")
    .set({ last_reminded_at: at })
    .where("notice_id", "=", noticeId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The enterprise (kind and place), to check a caller may look at it. */
export function findEnterprise(db: Db, id: string) {
  return db
    .selectFrom("organisations")
    .select(["id", "name", "kind", "area_path", "industry"])
    .where("id", "=", id)
    .executeTakeFirst();
}

// ------------------------------------------------------- mediation requests

export interface MediationScope {
  enterpriseIds: string[];
  associationIds: string[];
  areaPaths: string[];
}

function mediationScopeCondition(s: MediationScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (s.enterpriseIds.length)
    parts.push(sql<SqlBool>`m.enterprise_id IN (${sql.join(s.enterpriseIds)})`);
  if (s.associationIds.length)
    parts.push(sql<SqlBool>`m.association_id IN (${sql.join(s.associationIds)})`);
  if (s.areaPaths.length) parts.push(pathPrefixAny("m.area_path", s.areaPaths));
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

const MEDIATION_COLUMNS = [
  "m.id",
  "m.enterprise_id",
  "e.name as enterprise_name",
  "m.association_id",
  "a.name as association_name",
  "m.case_id",
  "c.code as case_code",
  "m.area_path",
  "m.subject",
  "m.description",
  "m.people_involved",
  "m.worker_provinces",
  "m.status",
  "m.decline_reason",
  "m.outcome",
  "m.outcome_note",
  "m.sessions",
  "m.created_label",
  "m.accepted_at",
  "m.closed_at",
  "m.version",
  "m.created_at",
  "m.updated_at",
] as const;

function mediationBase(db: Db) {
  return db
    .selectFrom("mediation_requests as m")
    .innerJoin("organisations as e", "e.id", "m.enterprise_id")
    .innerJoin("organisations as a", "a.id", "m.association_id")
    .leftJoin("cases as c", "c.id", "m.case_id");
}

export interface MediationFilter {
  q?: string | undefined;
  status?: MediationStatusValue | undefined;
  open?: boolean | undefined;
  enterpriseId?: string | undefined;
  associationId?: string | undefined;
  limit: number;
  offset: number;
}

export async function listMediations(db: Db, scope: MediationScope, f: MediationFilter) {
  let q = mediationBase(db).where(mediationScopeCondition(scope));
  if (f.status) q = q.where("m.status", "=", f.status);
  if (f.open === true) q = q.where("m.status", "in", ["pending", "accepted"]);
  if (f.open === false) q = q.where("m.status", "not in", ["pending", "accepted"]);
  if (f.enterpriseId) q = q.where("m.enterprise_id", "=", f.enterpriseId);
  if (f.associationId) q = q.where("m.association_id", "=", f.associationId);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([
        eb("m.subject", "like", like),
        eb("m.description", "like", like),
        eb("e.name", "like", like),
        eb("a.name", "like", like),
      ]),
    );
  }
  const [items, total] = await Promise.all([
    q
      .select(MEDIATION_COLUMNS)
      // Waiting for an answer first, then what is being mediated, newest first.
      .orderBy(sql`CASE m.status WHEN 'pending' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END`)
      .orderBy("m.updated_at", "desc")
      .orderBy("m.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type MediationRow = Awaited<ReturnType<typeof listMediations>>["items"][number];

export function findMediation(db: Db, id: string) {
  return mediationBase(db).select(MEDIATION_COLUMNS).where("m.id", "=", id).executeTakeFirst();
}

/** The request's row, locked for a step. */
export function lockMediation(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("mediation_requests")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertMediation(
  trx: Transaction<DB>,
  row: {
    enterprise_id: string;
    association_id: string;
    case_id: string | null;
    area_path: string;
    subject: string;
    description: string;
    people_involved: number;
    worker_provinces: string[];
    created_by: string | null;
    created_label: string;
  },
) {
  const r = await trx
    .insertInto("mediation_requests")
    .values(row)
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Applies a step if the request is still at `version`; false when someone acted first. */
export async function updateMediation(
  trx: Transaction<DB>,
  id: string,
  version: number,
  set: {
    status?: MediationStatusValue;
    decline_reason?: string;
    outcome?: MediationOutcomeValue;
    outcome_note?: string | null;
    sessions?: number;
    accepted_at?: Date;
    closed_at?: Date;
  },
) {
  const r = await trx
    .updateTable("mediation_requests")
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertMediationAction(
  trx: Transaction<DB>,
  row: {
    request_id: string;
    action: string;
    from_status: MediationStatusValue | null;
    to_status: MediationStatusValue | null;
    actor_user_id: string | null;
    actor_label: string;
    note: string | null;
    details?: Record<string, unknown>;
  },
) {
  await trx
    .insertInto("mediation_actions")
    .values({ ...row, details: JSON.stringify(row.details ?? {}) })
    .execute();
}

export function mediationTimeline(db: Db, requestId: string) {
  return db
    .selectFrom("mediation_actions")
    .select([
      "id",
      "action",
      "from_status",
      "to_status",
      "actor_label",
      "note",
      "details",
      "created_at",
    ])
    .where("request_id", "=", requestId)
    .orderBy("id")
    .execute();
}

/** A notification to each active officer or representative of an organisation (an enterprise's managers with its officers). */
export async function notifyOrganisationStaff(
  trx: Transaction<DB>,
  organisationId: string,
  role: "enterprise_officer" | "association_rep",
  n: { kind: string; title: string; body: string | null; link: string },
) {
  const r = await sql<{ user_id: string }>`
    WITH ins AS (
      INSERT INTO notifications (user_id, kind, title, body, link)
      SELECT DISTINCT g.user_id, ${n.kind}, ${n.title}, ${n.body}::text, ${n.link}
      FROM role_grants g JOIN users u ON u.id = g.user_id AND u.status = 'active'
      WHERE g.organisation_id = ${organisationId}::bigint
        AND g.role IN (${sql.join(role === "enterprise_officer" ? ENTERPRISE_ROLES : [role])})
      RETURNING user_id
    ) SELECT user_id::text AS user_id FROM ins`.execute(trx);
  return r.rows.map((x) => x.user_id);
}

export function findAssociation(db: Db, id: string) {
  return db
    .selectFrom("organisations")
    .select(["id", "name", "kind"])
    .where("id", "=", id)
    .where("kind", "=", "association")
    .executeTakeFirst();
}

/** Where an enterprise's current workers come from: provinces, most workers first. */
export async function workforceProvinces(db: Db, enterpriseId: string) {
  return db
    .selectFrom("residents")
    .select(["origin_province as province", sql<number>`count(*)::int`.as("workers")])
    .where("employer_id", "=", enterpriseId)
    .where("status", "<>", "departed")
    .groupBy("origin_province")
    .orderBy(sql`count(*)`, "desc")
    .orderBy("origin_province")
    .execute();
}

/**
 * Associations for a mediation request, best first: hometown associations of
 * the workers' provinces (most of the enterprise's workers from there
 * first), then those of the enterprise's trade, then the rest by name.
 */
export async function suggestAssociations(
  db: Db,
  f: {
    enterpriseId: string;
    industry: string | null;
    provinces: string[];
    q?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  const provinces = sql`${f.provinces}::text[]`;
  const matchedWorkers = sql<number>`(SELECT count(*)::int FROM residents r
    WHERE r.employer_id = ${f.enterpriseId}::bigint AND r.status <> 'departed'
      AND r.origin_province = ANY(o.provinces))`;
  const provinceMatch = sql<boolean>`(o.association_kind = 'hometown' AND o.provinces && ${provinces})`;
  const sectorMatch = sql<boolean>`(${f.industry ?? ""} = ANY(o.sectors))`;
  let q = db.selectFrom("organisations as o").where("o.kind", "=", "association");
  if (f.q) q = q.where("o.name", "like", containsPattern(f.q));
  const [items, total] = await Promise.all([
    q
      .select([
        "o.id",
        "o.name",
        "o.association_kind",
        "o.provinces",
        "o.dialects",
        "o.sectors",
        matchedWorkers.as("matched_workers"),
        provinceMatch.as("province_match"),
        sectorMatch.as("sector_match"),
      ])
      .orderBy(sql`${provinceMatch}`, "desc")
      .orderBy(sql`matched_workers`, "desc")
      .orderBy(sql`${sectorMatch}`, "desc")
      .orderBy("o.name")
      .orderBy("o.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}
