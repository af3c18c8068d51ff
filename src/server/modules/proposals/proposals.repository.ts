/**
 * SQL for deliberation: proposals, their supporters, milestones and timeline,
 * the district's settings, and the few reads of other tables the rules need
 * (where a supporter lives or volunteers, which department covers a place,
 * the cases a proposal is built from). No rules here.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { ProposalStatusValue } from "../../db/schema-proposals.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

// ----------------------------------------------------------------- settings

export function findSettings(db: Db, districtId: string) {
  return db
    .selectFrom("proposal_settings")
    .selectAll()
    .where("area_id", "=", districtId)
    .executeTakeFirst();
}

/** Inserts or updates the district's settings; null when `version` is stale. */
export async function saveSettings(
  trx: Transaction<DB>,
  row: {
    area_id: string;
    support_threshold: number;
    answer_working_days: number;
    updated_by: string | null;
  },
  version: number | undefined,
) {
  const current = await trx
    .selectFrom("proposal_settings")
    .select("version")
    .where("area_id", "=", row.area_id)
    .forUpdate()
    .executeTakeFirst();
  if (!current) {
    if (version !== undefined) return null;
    return trx.insertInto("proposal_settings").values(row).returningAll().executeTakeFirstOrThrow();
  }
  if (version !== undefined && version !== current.version) return null;
  return trx
    .updateTable("proposal_settings")
    .set({
      support_threshold: row.support_threshold,
      answer_working_days: row.answer_working_days,
      updated_by: row.updated_by,
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where("area_id", "=", row.area_id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// -------------------------------------------------------------------- areas

export function district(db: Db) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path"])
    .where("level", "=", "district")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

export function areaByPath(db: Db, path: string) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path", "level", "centroid_lat", "centroid_lng"])
    .where("path", "=", path)
    .executeTakeFirst();
}

export async function areaBoundary(db: Db, id: string) {
  const r = await db.selectFrom("areas").select("boundary").where("id", "=", id).executeTakeFirst();
  return r?.boundary ?? null;
}

// ---------------------------------------------------------------- proposals

const PROPOSAL_COLUMNS = [
  "p.id",
  "p.title",
  "p.body",
  "p.topic",
  "p.lat",
  "p.lng",
  "p.address",
  "p.area_id",
  "p.area_path",
  "p.community_id",
  "p.community_path",
  "p.proposer_user_id",
  "p.proposer_label",
  "p.proposer_kind",
  "p.proposer_organisation_id",
  "p.status",
  "p.support_threshold",
  "p.answer_working_days",
  "p.local_support_count",
  "p.support_count",
  "p.department_id",
  "p.submitted_at",
  "p.answer_due_at",
  "p.answer_overdue_at",
  "p.answer",
  "p.answer_reason",
  "p.answered_at",
  "p.answered_label",
  "p.withdrawn_at",
  "p.withdraw_reason",
  "p.done_at",
  "p.basis_case_codes",
  "p.version",
  "p.created_at",
  "g.code as grid_code",
  "g.name as grid_name",
  "c.code as community_code",
  "c.name as community_name",
  "d.name as department_name",
] as const;

function proposalBase(db: Db, viewerId: string | null) {
  return db
    .selectFrom("proposals as p")
    .innerJoin("areas as g", "g.id", "p.area_id")
    .innerJoin("areas as c", "c.id", "p.community_id")
    .leftJoin("departments as d", "d.id", "p.department_id")
    .leftJoin("proposal_supports as mine", (j) =>
      j.onRef("mine.proposal_id", "=", "p.id").on("mine.user_id", "=", viewerId ?? "0"),
    );
}

export interface ProposalFilter {
  viewerId: string | null;
  /** view: community */
  communityPath?: string | null | undefined;
  /** view: area (staff) — none: nothing */
  areaPaths?: string[] | undefined;
  /** view: department */
  departmentIds?: string[] | undefined;
  proposerId?: string | undefined;
  supportedBy?: string | undefined;
  statuses?: ProposalStatusValue[] | undefined;
  topic?: string | undefined;
  /** placed inside this area */
  areaPath?: string | undefined;
  overdue?: boolean | undefined;
  now: Date;
  q?: string | undefined;
  near?: { lat: number; lng: number; radius: number } | undefined;
  sort: "newest" | "support" | "deadline" | "distance";
  limit: number;
  offset: number;
}

/** Metres between a proposal and a point (equirectangular: exact enough within a district). */
const distanceSql = (lat: number, lng: number) =>
  sql<number>`6371008.8 * sqrt(power(radians(p.lat - ${lat}), 2) + power(cos(radians(${lat})) * radians(p.lng - ${lng}), 2))`;

export async function listProposals(db: Db, f: ProposalFilter) {
  const conds: Expression<SqlBool>[] = [];
  if (f.communityPath !== undefined)
    conds.push(
      f.communityPath ? sql<SqlBool>`p.community_path = ${f.communityPath}` : sql<SqlBool>`false`,
    );
  if (f.areaPaths !== undefined) conds.push(pathPrefixAny("p.area_path", f.areaPaths));
  if (f.departmentIds !== undefined)
    conds.push(
      f.departmentIds.length
        ? sql<SqlBool>`p.department_id IN (${sql.join(f.departmentIds)})`
        : sql<SqlBool>`false`,
    );
  if (f.proposerId) conds.push(sql<SqlBool>`p.proposer_user_id = ${f.proposerId}`);
  if (f.supportedBy)
    conds.push(
      sql<SqlBool>`EXISTS (SELECT 1 FROM proposal_supports s WHERE s.proposal_id = p.id AND s.user_id = ${f.supportedBy})`,
    );
  if (f.statuses?.length) conds.push(sql<SqlBool>`p.status IN (${sql.join(f.statuses)})`);
  if (f.topic) conds.push(sql<SqlBool>`p.topic = ${f.topic}`);
  if (f.areaPath) conds.push(pathPrefixAny("p.area_path", [f.areaPath]));
  if (f.overdue === true)
    conds.push(sql<SqlBool>`p.status = 'submitted' AND p.answer_due_at < ${f.now}`);
  if (f.overdue === false)
    conds.push(sql<SqlBool>`NOT (p.status = 'submitted' AND p.answer_due_at < ${f.now})`);
  if (f.q) {
    const like = containsPattern(f.q);
    conds.push(
      sql<SqlBool>`(p.title LIKE ${like} OR p.body LIKE ${like} OR p.address LIKE ${like})`,
    );
  }
  const near = f.near;
  if (near) {
    // A box first (cheap), then the circle.
    const dLat = near.radius / 111_320;
    const dLng = near.radius / (111_320 * Math.cos((near.lat * Math.PI) / 180));
    conds.push(
      sql<SqlBool>`p.lat BETWEEN ${near.lat - dLat} AND ${near.lat + dLat} AND p.lng BETWEEN ${near.lng - dLng} AND ${near.lng + dLng}`,
    );
    conds.push(sql<SqlBool>`${distanceSql(near.lat, near.lng)} <= ${near.radius}`);
  }
  const where = conds.length ? sql<SqlBool>`${sql.join(conds, sql` AND `)}` : sql<SqlBool>`true`;
  let q = proposalBase(db, f.viewerId)
    .where(where)
    .select(PROPOSAL_COLUMNS)
    .select((eb) => eb("mine.user_id", "is not", null).as("supported_by_me"))
    .select(
      near
        ? distanceSql(near.lat, near.lng).as("distance_m")
        : sql<number | null>`NULL`.as("distance_m"),
    );
  if (f.sort === "support")
    q = q.orderBy("p.local_support_count", "desc").orderBy("p.support_count", "desc");
  else if (f.sort === "deadline")
    // Waiting for an answer, soonest due first; then the rest, newest first.
    q = q
      .orderBy(sql`CASE WHEN p.status = 'submitted' THEN 0 ELSE 1 END`)
      .orderBy(sql`p.answer_due_at`, sql`asc nulls last`);
  else if (f.sort === "distance" && near) q = q.orderBy(distanceSql(near.lat, near.lng));
  q = q.orderBy("p.id", "desc");
  const [items, total] = await Promise.all([
    q.limit(f.limit).offset(f.offset).execute(),
    db
      .selectFrom("proposals as p")
      .where(where)
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type ProposalRow = Awaited<ReturnType<typeof listProposals>>["items"][number];

export function findProposal(db: Db, id: string, viewerId: string | null) {
  return proposalBase(db, viewerId)
    .select(PROPOSAL_COLUMNS)
    .select((eb) => eb("mine.user_id", "is not", null).as("supported_by_me"))
    .select(sql<number | null>`NULL`.as("distance_m"))
    .where("p.id", "=", id)
    .executeTakeFirst();
}

/** The proposal's row, locked for a step. */
export function lockProposal(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("proposals")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export type LockedProposal = NonNullable<Awaited<ReturnType<typeof lockProposal>>>;

export async function insertProposal(
  trx: Transaction<DB>,
  row: {
    title: string;
    body: string;
    topic: string;
    lat: number;
    lng: number;
    address: string | null;
    area_id: string;
    area_path: string;
    community_id: string;
    community_path: string;
    proposer_user_id: string;
    proposer_label: string;
    proposer_kind: "resident" | "volunteer" | "enterprise" | "association" | "staff";
    proposer_organisation_id: string | null;
    support_threshold: number;
    answer_working_days: number;
    basis_case_codes?: string[];
  },
) {
  const r = await trx.insertInto("proposals").values(row).returning("id").executeTakeFirstOrThrow();
  return r.id;
}

/** Changes a proposal if it still has `version`; null when someone changed it first. */
export function updateProposal(
  trx: Transaction<DB>,
  id: string,
  version: number,
  set: Partial<{
    status: ProposalStatusValue;
    department_id: string | null;
    submitted_at: Date;
    answer_due_at: Date;
    answer_overdue_at: Date | null;
    answer: "accepted" | "partly_accepted" | "rejected";
    answer_reason: string;
    answered_at: Date;
    answered_by: string | null;
    answered_label: string;
    withdrawn_at: Date;
    withdraw_reason: string | null;
    done_at: Date;
  }>,
) {
  return trx
    .updateTable("proposals")
    .set({ ...set, version: sql`version + 1`, updated_at: new Date() })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version", "status"])
    .executeTakeFirst();
}

export function insertAction(
  trx: Transaction<DB>,
  row: {
    proposal_id: string;
    action: string;
    from_status: ProposalStatusValue | null;
    to_status: ProposalStatusValue | null;
    actor_user_id: string | null;
    actor_label: string;
    note: string | null;
    details?: Record<string, unknown>;
  },
) {
  return trx
    .insertInto("proposal_actions")
    .values({ ...row, details: JSON.stringify(row.details ?? {}) })
    .execute();
}

export function timeline(db: Db, id: string) {
  return db
    .selectFrom("proposal_actions")
    .select(["id", "action", "from_status", "to_status", "actor_label", "note", "created_at"])
    .where("proposal_id", "=", id)
    .orderBy("id")
    .execute();
}

export function linkCases(trx: Transaction<DB>, proposalId: string, caseIds: string[]) {
  if (!caseIds.length) return Promise.resolve();
  return trx
    .insertInto("proposal_cases")
    .values(caseIds.map((case_id) => ({ proposal_id: proposalId, case_id })))
    .execute()
    .then(() => undefined);
}

export function linkedCases(db: Db, proposalId: string) {
  return db
    .selectFrom("proposal_cases as pc")
    .innerJoin("cases as k", "k.id", "pc.case_id")
    .select(["k.id", "k.code"])
    .where("pc.proposal_id", "=", proposalId)
    .orderBy("k.id")
    .execute();
}

// ----------------------------------------------------------------- supports

/** Where a person lives (their resident record) and the community they volunteer for. */
export async function supporterPlaces(db: Db, userId: string) {
  const r = await sql<{ residence_path: string | null; volunteer_path: string | null }>`
    SELECT
      (SELECT r.area_path FROM residents r
        WHERE r.user_id = ${userId} AND r.status <> 'departed' AND r.area_path IS NOT NULL
        ORDER BY r.id LIMIT 1) AS residence_path,
      (SELECT v.area_path FROM volunteers v
        WHERE v.user_id = ${userId} AND v.status = 'active' AND v.area_path IS NOT NULL
        LIMIT 1) AS volunteer_path`.execute(db);
  return {
    residencePath: r.rows[0]?.residence_path ?? null,
    volunteerPath: r.rows[0]?.volunteer_path ?? null,
  };
}

export async function isVolunteer(db: Db, userId: string) {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM volunteers WHERE user_id = ${userId} AND status = 'active'`.execute(
    db,
  );
  return (r.rows[0]?.n ?? 0) > 0;
}

export function insertSupport(
  trx: Transaction<DB>,
  row: {
    proposal_id: string;
    user_id: string;
    local: boolean;
    basis: "resident" | "volunteer" | null;
    comment: string | null;
  },
) {
  return trx.insertInto("proposal_supports").values(row).execute();
}

export function deleteSupport(trx: Transaction<DB>, proposalId: string, userId: string) {
  return trx
    .deleteFrom("proposal_supports")
    .where("proposal_id", "=", proposalId)
    .where("user_id", "=", userId)
    .returning(["local"])
    .executeTakeFirst();
}

export function findSupport(db: Db, proposalId: string, userId: string) {
  return db
    .selectFrom("proposal_supports")
    .select(["local", "basis"])
    .where("proposal_id", "=", proposalId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** Moves the counters with a support given (+1) or taken back (-1). */
export function countSupport(trx: Transaction<DB>, id: string, local: boolean, delta: 1 | -1) {
  return trx
    .updateTable("proposals")
    .set({
      support_count: sql`support_count + ${delta}`,
      local_support_count: local ? sql`local_support_count + ${delta}` : sql`local_support_count`,
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returning(["local_support_count", "support_count"])
    .executeTakeFirstOrThrow();
}

export async function supportsByBasis(db: Db, proposalId: string) {
  const rows = await db
    .selectFrom("proposal_supports")
    .select(["basis", sql<number>`count(*)::int`.as("n")])
    .where("proposal_id", "=", proposalId)
    .groupBy("basis")
    .execute();
  const of = (b: string | null) => rows.find((r) => r.basis === b)?.n ?? 0;
  return { resident: of("resident"), volunteer: of("volunteer"), other: of(null) };
}

// --------------------------------------------------------------- milestones

export function milestones(db: Db, proposalId: string) {
  return db
    .selectFrom("proposal_milestones")
    .selectAll()
    .where("proposal_id", "=", proposalId)
    .orderBy("due_on")
    .orderBy("id")
    .execute();
}

export function insertMilestone(
  trx: Transaction<DB>,
  row: {
    proposal_id: string;
    title: string;
    due_on: string;
    created_by: string | null;
    created_label: string;
  },
) {
  return trx
    .insertInto("proposal_milestones")
    .values(row)
    .returning("id")
    .executeTakeFirstOrThrow();
}

export function completeMilestone(
  trx: Transaction<DB>,
  id: string,
  proposalId: string,
  set: { note: string; completed_at: Date; completed_by: string | null; completed_label: string },
) {
  return trx
    .updateTable("proposal_milestones")
    .set({ ...set, status: "done" })
    .where("id", "=", id)
    .where("proposal_id", "=", proposalId)
    .where("status", "=", "open")
    .returning(["id", "title"])
    .executeTakeFirst();
}

export async function openMilestoneCount(db: Db, proposalId: string) {
  const r = await db
    .selectFrom("proposal_milestones")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("proposal_id", "=", proposalId)
    .where("status", "=", "open")
    .executeTakeFirstOrThrow();
  return r.n;
}

// -------------------------------------------------------------- departments

export function findDepartment(db: Db, id: string) {
  return db
    .selectFrom("departments")
    .select(["id", "name"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function departmentNames(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db.selectFrom("departments").select(["id", "name"]).where("id", "in", ids).execute();
}

/** Active coordinators whose area covers `areaPath` (any level). */
export async function coordinatorsCovering(db: Db, areaPath: string) {
  const rows = await db
    .selectFrom("role_grants")
    .innerJoin("areas", "areas.id", "role_grants.area_id")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select("role_grants.user_id")
    .distinct()
    .where("role_grants.role", "=", "coordinator")
    .where("users.status", "=", "active")
    .where(sql<SqlBool>`${areaPath} LIKE areas.path || '%'`)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Notifications about a proposal: the bell opens the proposal's page. */
export function insertNotifications(
  trx: Transaction<DB>,
  rows: { user_id: string; kind: string; title: string; body: string | null }[],
  proposalId: string,
) {
  if (!rows.length) return Promise.resolve();
  return trx
    .insertInto("notifications")
    .values(rows.map((r) => ({ ...r, case_id: null, link: `/proposals/${proposalId}` })))
    .execute()
    .then(() => undefined);
}

// -------------------------------------------------------------------- cases

/** The cases a proposal may be built from, with what the draft needs. */
export function casesByIds(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom("cases as k")
    .innerJoin("case_categories as cc", "cc.code", "k.category_code")
    .select([
      "k.id",
      "k.code",
      "k.status",
      "k.lat",
      "k.lng",
      "k.address",
      "k.area_path",
      "k.created_at",
      "cc.name as category_name",
    ])
    .where("k.id", "in", ids)
    .orderBy("k.created_at")
    .execute();
}

// ---------------------------------------------------------------------- jobs

/** Submitted proposals past their answer deadline and not yet flagged, locked for this run. */
export function lockOverdueAnswers(
  trx: Transaction<DB>,
  now: Date,
  afterId: string,
  limit: number,
) {
  return trx
    .selectFrom("proposals as p")
    .leftJoin("departments as d", "d.id", "p.department_id")
    .select([
      "p.id",
      "p.title",
      "p.status",
      "p.area_path",
      "p.department_id",
      "p.answer_due_at",
      "d.name as department_name",
    ])
    .where("p.status", "=", "submitted")
    .where("p.answer_due_at", "<", now)
    .where("p.answer_overdue_at", "is", null)
    .where("p.id", ">", afterId)
    .orderBy("p.id")
    .limit(limit)
    .forUpdate("p")
    .skipLocked()
    .execute();
}

export function flagOverdue(trx: Transaction<DB>, id: string, now: Date) {
  return trx
    .updateTable("proposals")
    .set({ answer_overdue_at: now })
    .where("id", "=", id)
    .where("answer_overdue_at", "is", null)
    .where("status", "=", "submitted")
    .returning("id")
    .executeTakeFirst();
}
