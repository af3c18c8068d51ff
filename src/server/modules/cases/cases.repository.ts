/** SQL for cases: categories, routing rules, cases, parties, actions, notifications. */
import {
  type Expression,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
import { AREA_LEVELS, ENTERPRISE_ROLES } from "../../../shared/roles.js";
import type { INBOXES } from "../../../shared/schemas/cases.js";
import { prepared } from "../../db/prepared.js";
import type { CaseStatusValue, DB } from "../../db/schema.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";
import type { AuditRowValues } from "../audit/audit.service.js";

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Cases inside any of the areas. A case lies in a grid (its area_path is the
 * grid's path), so a grid is matched by equality, which lets the (area_path,
 * created_at) index give a grid's cases newest first; larger areas by prefix.
 */
function inAreas(paths: readonly string[]): Expression<SqlBool> {
  const grids = paths.filter((p) => p.split("/").filter(Boolean).length === AREA_LEVELS.length);
  const larger = paths.filter((p) => !grids.includes(p));
  const parts: Expression<SqlBool>[] = [];
  if (grids.length === 1) parts.push(sql<SqlBool>`cases.area_path = ${grids[0]}`);
  else if (grids.length > 1) parts.push(sql<SqlBool>`cases.area_path IN (${sql.join(grids)})`);
  if (larger.length) parts.push(pathPrefixAny("cases.area_path", larger));
  if (parts.length === 0) return sql<SqlBool>`false`;
  return parts.length === 1
    ? (parts[0] as Expression<SqlBool>)
    : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export function listCategories(db: Db) {
  return db.selectFrom("case_categories").selectAll().orderBy("sort").orderBy("code").execute();
}

export function findCategory(db: Db, code: string) {
  return db.selectFrom("case_categories").selectAll().where("code", "=", code).executeTakeFirst();
}

export function activeRulesFor(db: Db, categoryCodes: string[]) {
  return db
    .selectFrom("routing_rules")
    .select(["id", "category_code", "area_path", "conditions", "lead", "assist"])
    .where("active", "=", true)
    .where("category_code", "in", categoryCodes)
    .execute();
}

export function findDepartment(db: Db, id: string) {
  return db
    .selectFrom("departments")
    .select(["id", "name"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findOrganisation(db: Db, id: string) {
  return db
    .selectFrom("organisations")
    .select(["id", "name"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** A volunteer's account as a mediating party of the case (issue 7). */
export function insertMediatorParty(
  db: Db,
  row: { case_id: string; user_id: string; task: string },
) {
  return db
    .insertInto("case_parties")
    .values({
      case_id: row.case_id,
      role: "mediator",
      department_id: null,
      organisation_id: null,
      user_id: row.user_id,
      task: row.task,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function insertParties(
  db: Db,
  rows: {
    case_id: string;
    role: "lead" | "assist";
    department_id: string | null;
    organisation_id: string | null;
    task: string | null;
    due_at?: Date | null;
  }[],
) {
  if (rows.length) await db.insertInto("case_parties").values(rows).execute();
}

export async function completeTask(db: Db, partyId: string, note: string | null, at: Date) {
  await db
    .updateTable("case_parties")
    .set({ status: "done", completed_at: at, note })
    .where("id", "=", partyId)
    .execute();
}

/** Ends the current lead (a reassignment); assisting parties stay. */
export async function retireLead(db: Db, caseId: string) {
  await db
    .updateTable("case_parties")
    .set({ active: false })
    .where("case_id", "=", caseId)
    .where("role", "=", "lead")
    .where("active", "=", true)
    .execute();
}

export async function insertAction(
  db: Db,
  row: {
    case_id: string;
    action: string;
    from_status: CaseStatusValue | null;
    to_status: CaseStatusValue | null;
    actor_user_id: string | null;
    actor_label: string;
    department_id?: string | null;
    note?: string | null;
    visibility?: "internal" | "public";
    details?: Record<string, unknown>;
  },
) {
  await db
    .insertInto("case_actions")
    .values({ ...row, details: JSON.stringify(row.details ?? {}) })
    .execute();
}

export async function insertNotifications(
  db: Db,
  rows: { user_id: string; kind: string; case_id: string; title: string; body: string | null }[],
) {
  if (rows.length) await db.insertInto("notifications").values(rows).execute();
}

/** Enterprise officers and managers, and association representatives, of an organisation. */
export async function organisationStaff(db: Db, organisationId: string) {
  const rows = await db
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select("role_grants.user_id")
    .distinct()
    .where("role_grants.role", "in", [...ENTERPRISE_ROLES, "association_rep"])
    .where("role_grants.organisation_id", "=", organisationId)
    .where("users.status", "=", "active")
    .execute();
  return rows.map((r) => r.user_id);
}

const CASE_COLUMNS = [
  "cases.id",
  "cases.code",
  "cases.category_code",
  "cases.severity",
  "cases.status",
  "cases.description",
  "cases.address",
  "cases.lat",
  "cases.lng",
  "cases.area_path",
  "cases.channel",
  "cases.created_at",
  "cases.accept_due_at",
  "cases.resolve_due_at",
  "cases.supervised",
  "cases.version",
  "cases.lead_department_id",
  "cases.reporter_user_id",
  "cases.closed_at",
  "cases.paused_at",
] as const;

function caseBase(db: Db) {
  return db
    .selectFrom("cases")
    .innerJoin("case_categories as cat", "cat.code", "cases.category_code")
    .leftJoin("areas as grid", "grid.id", "cases.grid_id")
    .leftJoin("departments as lead", "lead.id", "cases.lead_department_id");
}

export function findCase(db: Db, id: string) {
  return caseBase(db)
    .select(CASE_COLUMNS)
    .select([
      "cat.name as category_name",
      "cat.sensitive",
      "grid.code as grid_code",
      "grid.name as grid_name",
      "lead.name as lead_name",
      "cases.fields",
      "cases.reporter_organisation_id",
      "cases.reporter_token_id",
      "cases.on_behalf_name",
      "cases.on_behalf_phone_masked",
      "cases.anonymous_secret_hash",
      "cases.feedback_rating",
      "cases.feedback_comment",
      "cases.dispatched_at",
      "cases.grid_id",
      "cases.extension_requested_days",
      "cases.paused_at",
      "cases.merged_into_id",
      "cat.parent_code as family",
    ])
    .select((eb) =>
      eb
        .selectFrom("cases as target")
        .select("target.code")
        .whereRef("target.id", "=", "cases.merged_into_id")
        .as("merged_into_code"),
    )
    .where("cases.id", "=", id)
    .executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

export function findCaseIdByCode(db: Db, code: string) {
  return db
    .selectFrom("cases")
    .select(["id", "anonymous_secret_hash"])
    .where("code", "=", code)
    .executeTakeFirst();
}

/** The case's parties; former ones (a returned lead) only with `withFormer`. */
export function caseParties(db: Db, caseId: string, withFormer = false) {
  let q = db
    .selectFrom("case_parties")
    .leftJoin("departments", "departments.id", "case_parties.department_id")
    .leftJoin("organisations", "organisations.id", "case_parties.organisation_id")
    .leftJoin("users as party_user", "party_user.id", "case_parties.user_id")
    .select([
      "case_parties.id",
      "case_parties.role",
      "case_parties.department_id",
      "case_parties.organisation_id",
      "case_parties.user_id",
      "party_user.display_name as user_name",
      "case_parties.task",
      "case_parties.status",
      "case_parties.active",
      "case_parties.due_at",
      "case_parties.note",
      "departments.name as department_name",
      "organisations.name as organisation_name",
    ])
    .where("case_parties.case_id", "=", caseId);
  if (!withFormer) q = q.where("case_parties.active", "=", true);
  return q.orderBy("case_parties.id").execute();
}

export function caseTimeline(db: Db, caseId: string, publicOnly: boolean) {
  let q = db
    .selectFrom("case_actions")
    .select([
      "id",
      "action",
      "from_status",
      "to_status",
      "actor_label",
      "note",
      "visibility",
      "created_at",
    ])
    .where("case_id", "=", caseId);
  if (publicOnly) q = q.where("visibility", "=", "public");
  // In time order; steps of one transaction share a time and keep their order by id.
  return q.orderBy("created_at").orderBy("id").execute();
}

/**
 * Applies a change if the case is still at `version`; undefined when someone
 * else changed it first (the caller answers 409).
 */
export function updateCase(
  db: Db,
  id: string,
  version: number,
  set: Partial<Record<keyof DB["cases"], unknown>>,
) {
  return db
    .updateTable("cases")
    .set({ ...(set as object), version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

/** Who may see which cases, as data for SQL. */
export interface CaseScope {
  /** every case under these paths (coordinators, admins) */
  allPaths: string[];
  /** non-sensitive cases under these paths (grid workers) */
  openPaths: string[];
  /** cases where one of these departments is a party */
  departmentIds: string[];
  /** cases where one of these organisations is a party or the reporter */
  organisationIds: string[];
  /** cases reported by this user */
  reporterUserId: string | null;
  /** cases this user (a volunteer) was invited to mediate (issue 7) */
  mediatorUserId?: string | null;
}

export function scopeCondition(s: CaseScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (s.allPaths.length) parts.push(inAreas(s.allPaths));
  if (s.openPaths.length) parts.push(sql<SqlBool>`(NOT cat.sensitive AND ${inAreas(s.openPaths)})`);
  // A department that once led or assisted (and returned it, or was
  // replaced) still sees the case it worked on. OFFSET 0 keeps this a check
  // per case (one index probe): otherwise, inside the OR, PostgreSQL hashes
  // every case the department ever had (200,000 at district scale) first,
  // even to show twenty.
  if (s.departmentIds.length)
    parts.push(
      sql<SqlBool>`EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = cases.id AND p.department_id IN (${sql.join(s.departmentIds)}) OFFSET 0)`,
    );
  if (s.organisationIds.length)
    parts.push(
      sql<SqlBool>`(cases.reporter_organisation_id IN (${sql.join(s.organisationIds)}) OR EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = cases.id AND p.active AND p.organisation_id IN (${sql.join(s.organisationIds)}) OFFSET 0))`,
    );
  if (s.reporterUserId) parts.push(sql<SqlBool>`cases.reporter_user_id = ${s.reporterUserId}`);
  if (s.mediatorUserId)
    parts.push(
      sql<SqlBool>`EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = cases.id AND p.active AND p.user_id = ${s.mediatorUserId} OFFSET 0)`,
    );
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export type Inbox = (typeof INBOXES)[number];

/** The deadline a case is working to now: acceptance, then resolution; none while paused. */
const dueAt = (
  t: "cases" | "c2",
) => sql`(CASE WHEN ${sql.ref(`${t}.status`)} = 'dispatched' THEN ${sql.ref(`${t}.accept_due_at`)}
  WHEN ${sql.ref(`${t}.status`)} IN ('accepted', 'in_progress') AND ${sql.ref(`${t}.paused_at`)} IS NULL
    THEN ${sql.ref(`${t}.resolve_due_at`)} END)`;
const DUE_AT = dueAt("cases");

/** The extra condition of an inbox (null: everything in scope). */
export function inboxCondition(
  inbox: Inbox,
  c: { scope: CaseScope; now: Date; soon: Date },
): Expression<SqlBool> | null {
  const depts = c.scope.departmentIds;
  const myDepartments = depts.length
    ? sql<SqlBool>`cases.lead_department_id IN (${sql.join(depts)})`
    : sql<SqlBool>`false`;
  const areaPaths = [...c.scope.allPaths, ...c.scope.openPaths];
  switch (inbox) {
    case "all":
      return null;
    case "mine":
      // What waits for me: my department's open work, reports to verify in
      // my area, and my own resolved reports waiting for my rating.
      return sql<SqlBool>`((${myDepartments} AND cases.status IN ('dispatched', 'accepted', 'in_progress'))
        OR (cases.status = 'reported' AND cat.verify AND ${inAreas(areaPaths)})
        OR (cases.status = 'resolved' AND cases.reporter_user_id = ${c.scope.reporterUserId ?? "0"}))`;
    case "department":
      return depts.length
        ? sql<SqlBool>`EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = cases.id AND p.active AND p.department_id IN (${sql.join(depts)}))`
        : sql<SqlBool>`false`;
    case "area":
      return inAreas(areaPaths);
    case "queue":
      // The first test alone matches the queue's partial index (0016).
      return sql<SqlBool>`(cases.status IN ('returned', 'reported', 'verified')
        AND (cases.status = 'returned'
          OR (cases.lead_department_id IS NULL AND NOT (cases.status = 'reported' AND cat.verify))))`;
    // The status test is implied by DUE_AT; it lets the planner use the
    // partial index on the current deadline (migration 0016).
    case "due_soon":
    case "overdue": {
      const window = (d: RawBuilder<unknown>) =>
        inbox === "overdue" ? sql`${d} < ${c.now}` : sql`${d} >= ${c.now} AND ${d} < ${c.soon}`;
      const due = sql<SqlBool>`(cases.status IN ('dispatched', 'accepted', 'in_progress') AND ${window(DUE_AT)})`;
      if (!depts.length || areaPaths.length) return due;
      // A department's late work: the cases it leads, by the (lead, deadline)
      // index, and those where it has an open task. Reading every late case
      // of the district to test each one's parties took 270 ms at 5,000,000.
      return sql<SqlBool>`(${due} AND cases.id IN (
        SELECT c2.id FROM cases c2 WHERE c2.lead_department_id IN (${sql.join(depts)})
          AND c2.status IN ('dispatched', 'accepted', 'in_progress') AND ${window(dueAt("c2"))}
        UNION ALL
        SELECT p.case_id FROM case_parties p WHERE p.department_id IN (${sql.join(depts)})
          AND p.active AND p.role = 'assist' AND p.status = 'open' AND p.task IS NOT NULL))`;
    }
    case "supervised":
      return sql<SqlBool>`(cases.supervised AND cases.status NOT IN ('closed', 'withdrawn', 'merged'))`;
    case "reported_by_me":
      return sql<SqlBool>`cases.reporter_user_id = ${c.scope.reporterUserId ?? "0"}`;
  }
}

export interface CaseFilter {
  scope: CaseScope;
  /** extra inbox condition */
  inbox: Expression<SqlBool> | null;
  statuses?: CaseStatusValue[] | undefined;
  category?: string | undefined;
  gridPath?: string | undefined;
  q?: string | undefined;
  sort: "newest" | "oldest" | "due";
  limit: number;
  offset: number;
  /**
   * Count matches only up to this many (a count over millions of cases costs
   * more than the page itself); `totalCapped` says the cap was reached.
   */
  countCap?: number;
}

/**
 * How far a list counts its matches before it answers "more than" (超过 1000
 * 条). Fifty pages are more than anyone reads; a narrower filter is the way on.
 */
export const CASE_COUNT_CAP = 1_000;
/** A text search counts less far: a common word matches a tenth of the district. */
export const SEARCH_COUNT_CAP = 200;

export async function listCases(db: Db, f: CaseFilter) {
  const q = matchingCases(db, f);
  let items = q
    .select(CASE_COLUMNS)
    .select([
      "cat.name as category_name",
      "grid.code as grid_code",
      "grid.name as grid_name",
      "lead.name as lead_name",
    ]);
  if (f.sort === "due")
    // The current deadline of open cases first (in the order of its index),
    // then the others by their last deadline.
    items = items
      .orderBy(sql`${DUE_AT} asc nulls last`)
      .orderBy(sql`coalesce(cases.resolve_due_at, cases.accept_due_at) asc nulls last`);
  else items = items.orderBy("cases.created_at", f.sort === "newest" ? "desc" : "asc");
  const cap = f.countCap ?? (f.q ? SEARCH_COUNT_CAP : CASE_COUNT_CAP);
  let counting = q.select(sql`1`.as("one"));
  // A search counts its first matches in the page's order, so that for a
  // common word PostgreSQL walks the date index as for the page, instead of
  // collecting every candidate from the text index first (600,000 for
  // "电动车": 1.1 s); for a rare word it still takes the text index.
  if (f.q && f.countCap === undefined)
    counting =
      f.sort === "due"
        ? counting.orderBy(sql`${DUE_AT} asc nulls last`)
        : counting.orderBy("cases.created_at", f.sort === "newest" ? "desc" : "asc");
  const [rows, counted] = await Promise.all([
    items.orderBy("cases.id", "desc").limit(f.limit).offset(f.offset).execute(),
    db
      .selectFrom(counting.limit(cap + 1).as("m"))
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const totalCapped = counted.n > cap;
  return { items: rows, total: totalCapped ? cap : counted.n, totalCapped };
}
export type CaseListRow = Awaited<ReturnType<typeof listCases>>["items"][number];

export function findIdempotent(db: Db, scope: string, key: string) {
  return db
    .selectFrom("idempotency_keys")
    .selectAll()
    .where("scope", "=", scope)
    .where("key", "=", key)
    .executeTakeFirst();
}

/** False when the key was taken meanwhile (a concurrent retry). */
export async function saveIdempotent(
  db: Db,
  row: { scope: string; key: string; request_hash: string; status_code: number; response: unknown },
) {
  const r = await db
    .insertInto("idempotency_keys")
    .values({ ...row, response: JSON.stringify(row.response) })
    .onConflict((oc) => oc.doNothing())
    .returning("key")
    .executeTakeFirst();
  return r !== undefined;
}

export async function pruneIdempotencyKeys(db: Db, before: Date) {
  const r = await db
    .deleteFrom("idempotency_keys")
    .where("created_at", "<", before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Open cases whose current deadline falls before `before`, after `afterId`,
 * locked for this run: a second server running the job skips them.
 */
export async function lockCasesDueBefore(
  db: Transaction<DB>,
  before: Date,
  afterId: string,
  limit: number,
) {
  const r = await sql<{
    id: string;
    code: string;
    status: CaseStatusValue;
    area_path: string;
    lead_department_id: string | null;
    escalation_level: number;
    category_name: string;
    due_at: Date;
  }>`
    SELECT cases.id, cases.code, cases.status, cases.area_path, cases.lead_department_id,
           cases.escalation_level, cat.name AS category_name, ${DUE_AT} AS due_at
    FROM cases JOIN case_categories cat ON cat.code = cases.category_code
    WHERE cases.status IN ('dispatched', 'accepted', 'in_progress') AND cases.paused_at IS NULL
      AND ${DUE_AT} < ${before} AND cases.id > ${afterId}
    ORDER BY cases.id
    LIMIT ${limit}
    FOR UPDATE OF cases SKIP LOCKED`.execute(db);
  return r.rows.map((x) => ({ ...x, due_at: new Date(x.due_at) }));
}

/** True when this (case, kind, level, deadline) had not been recorded yet. */
export async function recordEscalation(
  db: Db,
  row: { case_id: string; kind: "due_soon" | "overdue"; level: number; due_at: Date },
) {
  const r = await db
    .insertInto("case_escalations")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning("case_id")
    .executeTakeFirst();
  return r !== undefined;
}

/** Escalation does not change what people see as the case's state: no version bump. */
export async function setEscalationLevel(db: Db, id: string, level: number) {
  await db.updateTable("cases").set({ escalation_level: level }).where("id", "=", id).execute();
}

/** Coordinators whose grant is on the area of `level` that contains the place. */
export async function coordinatorsAt(
  db: Db,
  areaPath: string,
  level: "community" | "street" | "district",
) {
  const rows = await db
    .selectFrom("role_grants")
    .innerJoin("areas", "areas.id", "role_grants.area_id")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select("role_grants.user_id")
    .distinct()
    .where("role_grants.role", "=", "coordinator")
    .where("areas.level", "=", level)
    .where("users.status", "=", "active")
    .where(sql<SqlBool>`${areaPath} LIKE areas.path || '%'`)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Resolved cases waiting for a rating since before `before`, locked for this run. */
export async function lockResolvedBefore(
  db: Transaction<DB>,
  before: Date,
  afterId: string,
  limit: number,
) {
  return db
    .selectFrom("cases")
    .select(["id", "code", "version", "status"])
    .where("status", "=", "resolved")
    .where("resolved_at", "<", before)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

// ------------------------------------------------ the intake's reference data

export function allActiveRules(db: Db) {
  return db
    .selectFrom("routing_rules")
    .select(["id", "category_code", "area_path", "conditions", "lead", "assist"])
    .where("active", "=", true)
    .execute();
}

export function allDepartments(db: Db) {
  return db.selectFrom("departments").select(["id", "name", "kind"]).execute();
}

export function allCoverage(db: Db) {
  return db
    .selectFrom("department_areas")
    .innerJoin("departments", "departments.id", "department_areas.department_id")
    .innerJoin("areas", "areas.id", "department_areas.area_id")
    .select([
      "department_areas.department_id",
      "departments.kind",
      "departments.name",
      "areas.path",
    ])
    .execute();
}

export function allDepartmentOfficers(db: Db) {
  return db
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select(["role_grants.department_id", "role_grants.user_id"])
    .distinct()
    .where("role_grants.role", "=", "department_officer")
    .where("role_grants.department_id", "is not", null)
    .where("users.status", "=", "active")
    .execute() as Promise<{ department_id: string; user_id: string }[]>;
}

/**
 * A new case with everything that comes with it, as one statement (atomic
 * without a transaction): the case, its parties, its first actions, the
 * notifications and the (unlinked) audit row. The case number is drawn
 * inside. Returns the case id and its actions' ids and times.
 */
/** Everything one new case writes, as the intake builds it. */
export interface CaseIntakeRows {
  codePrefix: string;
  row: CaseIntakeRow;
  parties: {
    role: "lead" | "assist";
    department_id: string | null;
    organisation_id: string | null;
  }[];
  actions: {
    ord: number;
    action: string;
    from_status: string | null;
    to_status: string | null;
    actor_user_id: string | null;
    actor_label: string;
    department_id: string | null;
    note: string | null;
    visibility: "internal" | "public";
    details: Record<string, unknown>;
  }[];
  /** `{code}` in a title becomes the case number */
  notifications: { user_id: string; kind: string; title: string; body: string | null }[];
  /** from the audit module (auditRowValues); subject and case number are set here */
  audit: AuditRowValues;
}

/** The columns of a new case the intake sets (the rest take their defaults). */
export interface CaseIntakeRow {
  category_code: string;
  severity: string;
  status: string;
  description: string;
  fields: Record<string, unknown>;
  lat: number;
  lng: number;
  address: string | null;
  grid_id: string;
  area_path: string;
  channel: string;
  reporter_user_id: string | null;
  reporter_token_id: string | null;
  reporter_organisation_id: string | null;
  on_behalf_name: string | null;
  on_behalf_phone_enc: string | null;
  on_behalf_phone_masked: string | null;
  anonymous_secret_hash: string | null;
  lead_department_id: string | null;
  routing_rule_id: string | null;
  dispatched_at: Date | null;
  accept_due_at: Date | null;
  resolve_due_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface InsertedCase {
  id: string;
  code: string;
  created_at: Date | string;
  actions: { id: string; created_at: string }[];
  parties:
    | {
        id: string;
        role: "lead" | "assist";
        department_id: string | null;
        organisation_id: string | null;
      }[]
    | null;
}

/** The intake's columns with their types: the one list the statement reads and writes. */
const INTAKE_ROW_COLUMNS = [
  ["category_code", "text"],
  ["severity", "text"],
  ["status", "text"],
  ["description", "text"],
  ["fields", "jsonb"],
  ["lat", "double precision"],
  ["lng", "double precision"],
  ["address", "text"],
  ["grid_id", "bigint"],
  ["area_path", "text"],
  ["channel", "text"],
  ["reporter_user_id", "bigint"],
  ["reporter_token_id", "bigint"],
  ["reporter_organisation_id", "bigint"],
  ["on_behalf_name", "text"],
  ["on_behalf_phone_enc", "text"],
  ["on_behalf_phone_masked", "text"],
  ["anonymous_secret_hash", "text"],
  ["lead_department_id", "bigint"],
  ["routing_rule_id", "bigint"],
  ["dispatched_at", "timestamptz"],
  ["accept_due_at", "timestamptz"],
  ["resolve_due_at", "timestamptz"],
  ["created_at", "timestamptz"],
  ["updated_at", "timestamptz"],
] as const satisfies readonly (readonly [keyof CaseIntakeRow, string])[];
// Every column of CaseIntakeRow is in the list (a compile error otherwise).
const _allIntakeColumns: Record<keyof CaseIntakeRow, true> = Object.fromEntries(
  INTAKE_ROW_COLUMNS.map(([c]) => [c, true]),
) as Record<(typeof INTAKE_ROW_COLUMNS)[number][0], true>;
const INTAKE_ROW_TYPES = sql.raw(INTAKE_ROW_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", "));
const INTAKE_ROW_LIST = sql.raw(INTAKE_ROW_COLUMNS.map(([c]) => c).join(", "));

/**
 * Writes new cases whole, each with its parties, its report (and dispatch)
 * actions, the notifications to the lead's officers and its audit row, in
 * one statement (so atomically, without a transaction, in one round trip).
 * Several cases may go in one call (the intake groups concurrent reports);
 * the answer has one entry per case, in the order given. The statement's
 * text is the same for any number of cases, so PostgreSQL prepares it once
 * per connection.
 */
export async function insertCases(db: Db, cases: CaseIntakeRows[]): Promise<InsertedCase[]> {
  if (cases.length === 0) return [];
  const batch = JSON.stringify(cases.map((c, i) => ({ i, ...c })));
  const r = await sql<InsertedCase & { i: number }>`${prepared("case_intake")}
    WITH b AS (
      SELECT (e->>'i')::int AS i, e FROM json_array_elements(${batch}::json) AS e
    ), src AS (
      SELECT b.i, (b.e->>'codePrefix') || lpad(nextval('case_code_seq')::text, 6, '0') AS code, r.*
      FROM b, json_to_record(b.e->'row') AS r(${INTAKE_ROW_TYPES})
      ORDER BY b.i
    ), c AS (
      INSERT INTO cases (code, ${INTAKE_ROW_LIST})
      SELECT code, ${INTAKE_ROW_LIST}
      FROM src ORDER BY i
      RETURNING id, code, created_at
    ), cs AS (
      SELECT src.i, c.id, c.code, c.created_at, b.e FROM c JOIN src USING (code) JOIN b ON b.i = src.i
    ), p AS (
      INSERT INTO case_parties (case_id, role, department_id, organisation_id)
      SELECT cs.id, x.role, x.department_id, x.organisation_id
      FROM cs, json_to_recordset(cs.e->'parties')
        AS x(role text, department_id bigint, organisation_id bigint)
      RETURNING id, case_id, role, department_id, organisation_id
    ), a AS (
      INSERT INTO case_actions (case_id, action, from_status, to_status, actor_user_id, actor_label,
        department_id, note, visibility, details)
      SELECT cs.id, x.action, x.from_status, x.to_status, x.actor_user_id, x.actor_label,
        x.department_id, x.note, x.visibility, x.details
      FROM cs, json_to_recordset(cs.e->'actions')
        AS x(action text, from_status text, to_status text, actor_user_id bigint, actor_label text,
             department_id bigint, note text, visibility text, details jsonb, ord int)
      ORDER BY cs.i, x.ord
      RETURNING id, case_id, created_at
    ), n AS (
      INSERT INTO notifications (user_id, kind, case_id, title, body)
      SELECT x.user_id, x.kind, cs.id, replace(x.title, '{code}', cs.code), x.body
      FROM cs, json_to_recordset(cs.e->'notifications')
        AS x(user_id bigint, kind text, title text, body text)
    ), au AS (
      INSERT INTO audit_log (at, actor_user_id, actor_token_id, actor_label, action, subject_type,
        subject_id, details, request_id)
      SELECT x.at, x.actor_user_id, x.actor_token_id, x.actor_label, x.action, x.subject_type,
        cs.id::text, x.details || jsonb_build_object('code', cs.code), x.request_id
      FROM cs, json_to_record(cs.e->'audit')
        AS x(at timestamptz, actor_user_id bigint, actor_token_id bigint, actor_label text,
             action text, subject_type text, details jsonb, request_id text)
    )
    SELECT cs.i, cs.id, cs.code, cs.created_at,
      (SELECT json_agg(json_build_object('id', a.id::text, 'created_at', a.created_at) ORDER BY a.id)
        FROM a WHERE a.case_id = cs.id) AS actions,
      (SELECT json_agg(json_build_object('id', p.id::text, 'role', p.role,
          'department_id', p.department_id::text, 'organisation_id', p.organisation_id::text)
          ORDER BY p.id) FROM p WHERE p.case_id = cs.id) AS parties
    FROM cs ORDER BY cs.i`.execute(db);
  if (r.rows.length !== cases.length)
    throw new Error(`${cases.length} cases sent, ${r.rows.length} inserted`);
  return r.rows.map(({ i: _i, ...row }) => row);
}

/**
 * Open cases of a family inside a box around a point and a window around a
 * time: the candidates for "likely the same case" (the caller measures the
 * real distance).
 */
export function duplicateCandidates(
  db: Db,
  c: {
    id: string;
    family: string;
    box: [number, number, number, number];
    from: Date;
    to: Date;
  },
) {
  return db
    .selectFrom("cases")
    .innerJoin("case_categories as cat", "cat.code", "cases.category_code")
    .select([
      "cases.id",
      "cases.code",
      "cases.status",
      "cases.lat",
      "cases.lng",
      "cases.created_at",
      "cases.area_path",
      "cat.name as category_name",
    ])
    .where("cat.parent_code", "=", c.family)
    .where("cases.id", "!=", c.id)
    .where("cases.status", "not in", ["closed", "withdrawn", "merged"])
    .where("cases.lng", ">=", c.box[0])
    .where("cases.lat", ">=", c.box[1])
    .where("cases.lng", "<=", c.box[2])
    .where("cases.lat", "<=", c.box[3])
    .where("cases.created_at", ">=", c.from)
    .where("cases.created_at", "<=", c.to)
    .orderBy("cases.created_at", "desc")
    .limit(50)
    .execute();
}

/** Reporters (signed-in ones) of the cases merged into this one. */
export async function mergedReporters(db: Db, caseId: string) {
  const rows = await db
    .selectFrom("cases")
    .select("reporter_user_id")
    .where("merged_into_id", "=", caseId)
    .where("reporter_user_id", "is not", null)
    .execute();
  return rows.map((r) => r.reporter_user_id as string);
}

// -------------------------------------------------------------------- the map

/** The cases in scope that pass the list's filters (the inbox's included). */
function matchingCases(db: Db, f: Omit<CaseFilter, "sort" | "limit" | "offset">) {
  let q = caseBase(db).where(scopeCondition(f.scope));
  if (f.inbox) q = q.where(f.inbox);
  if (f.statuses?.length) q = q.where("cases.status", "in", f.statuses);
  if (f.category)
    // A category or a whole family, as codes (so the category index applies).
    q = q.where(
      sql<SqlBool>`cases.category_code IN (SELECT code FROM case_categories WHERE code = ${f.category} OR parent_code = ${f.category})`,
    );
  if (f.gridPath) q = q.where(inAreas([f.gridPath]));
  if (f.q) {
    const pattern = containsPattern(f.q);
    const words = sql<SqlBool>`(cases.description LIKE ${pattern} OR cases.address LIKE ${pattern})`;
    // Two characters or more: only cases holding every two-character piece
    // of the query can match (the bigram index of migration 0016). The LIKE
    // goes first: where PostgreSQL walks the date index instead (a common
    // word), it is checked row by row and costs far less than the pieces.
    const text =
      [...f.q].length >= 2
        ? sql<SqlBool>`(${words} AND gz_bigrams(cases.description || ' ' || coalesce(cases.address, '')) @> gz_bigrams(${f.q}))`
        : words;
    q = q.where(sql<SqlBool>`(cases.code = ${f.q} OR ${text})`);
  }
  return q;
}

export interface CaseMapFilter extends Omit<CaseFilter, "sort" | "limit" | "offset"> {
  /** [west, south, east, north] */
  bbox: readonly [number, number, number, number];
}

/** The matching cases whose place lies inside the box. */
function casesInBox(db: Db, f: CaseMapFilter) {
  const [w, s, e, n] = f.bbox;
  return matchingCases(db, f)
    .where("cases.lng", ">=", w)
    .where("cases.lng", "<=", e)
    .where("cases.lat", ">=", s)
    .where("cases.lat", "<=", n);
}

/**
 * Cases in the box counted per square cell of `cellDeg` degrees, with how
 * many are still open (`openStatuses`) and how many are past their deadline
 * at `now`, their mean position and their extent.
 */
export function caseMapCells(
  db: Db,
  f: CaseMapFilter,
  cellDeg: number,
  c: { now: Date; openStatuses: readonly CaseStatusValue[] },
) {
  return (
    casesInBox(db, f)
      .select([
        sql<number>`floor(cases.lng / ${cellDeg})::int`.as("cx"),
        sql<number>`floor(cases.lat / ${cellDeg})::int`.as("cy"),
        sql<number>`count(*)::int`.as("count"),
        sql<number>`(count(*) FILTER (WHERE cases.status IN (${sql.join(c.openStatuses)})))::int`.as(
          "open",
        ),
        sql<number>`(count(*) FILTER (WHERE ${DUE_AT} < ${c.now}))::int`.as("overdue"),
        sql<number>`avg(cases.lng)::float8`.as("lng"),
        sql<number>`avg(cases.lat)::float8`.as("lat"),
        sql<number>`min(cases.lng)`.as("west"),
        sql<number>`min(cases.lat)`.as("south"),
        sql<number>`max(cases.lng)`.as("east"),
        sql<number>`max(cases.lat)`.as("north"),
      ])
      // By output name, as on the units map: the cell size is bound once per expression.
      .groupBy([sql`cx`, sql`cy`])
      .orderBy(sql`cx`)
      .orderBy(sql`cy`)
      .execute()
  );
}

/** The cases in the box themselves (at most `limit`), newest first, with the deadline that applies now. */
export function caseMapPoints(db: Db, f: CaseMapFilter, limit: number) {
  return casesInBox(db, f)
    .select([
      "cases.id",
      "cases.code",
      "cases.lng",
      "cases.lat",
      "cases.status",
      "cases.severity",
      "cases.supervised",
      "cases.accept_due_at",
      "cases.resolve_due_at",
      "cases.paused_at",
      "cat.name as category_name",
      sql<Date | null>`${DUE_AT}`.as("due_at"),
    ])
    .orderBy("cases.created_at", "desc")
    .orderBy("cases.id", "desc")
    .limit(limit)
    .execute();
}

/**
 * Cases of one category family (or all when null) reported in [since, until)
 * per area path under `rootPath`, merged duplicates left out.
 */
export async function countReportedByArea(
  db: Db,
  rootPath: string,
  family: string | null,
  since: Date,
  until: Date,
) {
  const r = await sql<{ area_path: string; n: number }>`
    SELECT area_path, count(*)::int AS n FROM cases
    WHERE area_path LIKE ${`${rootPath}%`} AND created_at >= ${since} AND created_at < ${until}
      AND status <> 'merged'
      ${family === null ? sql`` : sql`AND category_code LIKE ${`${family}.%`}`}
    GROUP BY area_path`.execute(db);
  return r.rows;
}
