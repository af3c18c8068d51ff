/**
 * SQL of the enterprise risk module: payroll declarations and their corrections,
 * the facts the warning and the rating are computed from (read set-wise for a
 * batch of enterprises: payroll, cases, hazards, inspections, tasks), and the
 * stored scores with their history. No rules here.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { WAGE_WARNING_SORTS, WarningLevel } from "../../../shared/schemas/enterprise-risk.js";
import type { DB } from "../../db/schema.js";
import type { RiskRating } from "../../db/schema-risk.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

/** Case categories of labour disputes and wage complaints (劳资纠纷/欠薪). */
export const LABOUR_CATEGORIES = ["dispute.labour_wage"] as const;
/** The category a preventive case is opened in. */
export const PREVENTIVE_CATEGORY = "dispute.labour_wage";
/** Safety incidents: fire hazards and workplace safety, and fire in dormitories. */
const SAFETY_FAMILIES = ["fire_hazard", "workplace_safety"] as const;
const SAFETY_LEAVES = ["dormitory.fire_safety"] as const;

/** A day in China of a timestamptz column, whatever the session's time zone. */
const chinaDay = (column: string) =>
  sql<string>`((${sql.ref(column)} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

export interface RiskScope {
  areaPaths: string[];
  organisationIds: string[];
}

function visibleEnterprise(scope: RiskScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("o.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`o.id IN (${sql.join(scope.organisationIds)})`);
  return sql<SqlBool>`(o.kind = 'enterprise' AND (${sql.join(parts, sql` OR `)}))`;
}

/** An enterprise the scope covers, or undefined (also for associations). */
export function findVisibleEnterprise(db: Db, scope: RiskScope, id: string) {
  return db
    .selectFrom("organisations as o")
    .select(["o.id", "o.name", "o.industry", "o.area_path", "o.created_at"])
    .where("o.id", "=", id)
    .where(visibleEnterprise(scope))
    .executeTakeFirst();
}

// ------------------------------------------------------------ declarations

const DECLARATION_COLUMNS = [
  "d.id",
  "d.organisation_id",
  "d.period",
  "d.paid_on_time",
  "d.paid_on",
  "d.headcount_paid",
  "d.amount_due",
  "d.amount_paid",
  "d.note",
  "d.declared_by",
  "d.declared_at",
  "d.corrected_at",
  "d.version",
  "d.signed_at",
] as const;

export async function listDeclarations(
  db: Db,
  organisationId: string,
  page: { limit: number; offset: number },
) {
  const [items, total] = await Promise.all([
    db
      .selectFrom("payroll_declarations as d")
      .leftJoin("users as u", "u.id", "d.declared_by")
      .leftJoin("users as su", "su.id", "d.signed_by")
      .select([
        ...DECLARATION_COLUMNS,
        "u.display_name as declared_by_name",
        "su.display_name as signed_by_name",
      ])
      .where("d.organisation_id", "=", organisationId)
      .orderBy("d.period", "desc")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom("payroll_declarations")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("organisation_id", "=", organisationId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}
export type DeclarationRow = Awaited<ReturnType<typeof listDeclarations>>["items"][number];

/** The periods declared since `from` (inclusive). */
export async function declaredPeriods(db: Db, organisationId: string, from: string) {
  const rows = await db
    .selectFrom("payroll_declarations")
    .select("period")
    .where("organisation_id", "=", organisationId)
    .where("period", ">=", from)
    .execute();
  return rows.map((r) => r.period);
}

export function findDeclaration(db: Db, organisationId: string, period: string) {
  return db
    .selectFrom("payroll_declarations as d")
    .leftJoin("users as u", "u.id", "d.declared_by")
    .leftJoin("users as su", "su.id", "d.signed_by")
    .select([
      ...DECLARATION_COLUMNS,
      "u.display_name as declared_by_name",
      "su.display_name as signed_by_name",
    ])
    .where("d.organisation_id", "=", organisationId)
    .where("d.period", "=", period)
    .executeTakeFirst();
}

export function lockDeclaration(trx: Transaction<DB>, organisationId: string, period: string) {
  return trx
    .selectFrom("payroll_declarations")
    .selectAll()
    .where("organisation_id", "=", organisationId)
    .where("period", "=", period)
    .forUpdate()
    .executeTakeFirst();
}

export interface NewDeclaration {
  organisation_id: string;
  period: string;
  paid_on_time: boolean;
  paid_on: string | null;
  headcount_paid: number;
  amount_due: number;
  amount_paid: number;
  note: string | null;
  declared_by: string | null;
}

/** Inserts a declaration; undefined when the period was already declared. */
export function insertDeclaration(trx: Transaction<DB>, row: NewDeclaration) {
  return trx
    .insertInto("payroll_declarations")
    .values(row)
    .onConflict((oc) => oc.columns(["organisation_id", "period"]).doNothing())
    .returning("id")
    .executeTakeFirst();
}

/** Applies a correction when the version still matches; undefined otherwise. */
export function updateDeclaration(
  trx: Transaction<DB>,
  id: string,
  version: number,
  patch: Omit<NewDeclaration, "organisation_id" | "period" | "declared_by">,
  at: Date,
) {
  return (
    trx
      .updateTable("payroll_declarations")
      // The manager signed the facts before the correction: the new ones need signing again.
      .set({
        ...patch,
        corrected_at: at,
        signed_by: null,
        signed_at: null,
        version: sql`version + 1`,
      })
      .where("id", "=", id)
      .where("version", "=", version)
      .returning(["id", "version"])
      .executeTakeFirst()
  );
}

/** Records the manager's signature when the version still matches and it is unsigned. */
export function signDeclaration(
  trx: Transaction<DB>,
  id: string,
  version: number,
  by: string,
  at: Date,
) {
  return trx
    .updateTable("payroll_declarations")
    .set({ signed_by: by, signed_at: at })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("signed_at", "is", null)
    .returning(["id"])
    .executeTakeFirst();
}

export async function insertCorrection(
  trx: Transaction<DB>,
  row: {
    declaration_id: string;
    organisation_id: string;
    period: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
    reason: string;
    corrected_by: string | null;
    corrected_at: Date;
  },
) {
  await trx
    .insertInto("payroll_corrections")
    .values({ ...row, before: JSON.stringify(row.before), after: JSON.stringify(row.after) })
    .execute();
}

// ----------------------------------------------------------- facts, batched

/** Every enterprise gets a scores row (so the job can lock it); none are changed. */
export async function ensureScoreRows(db: Db, ids?: readonly string[]) {
  await sql`
    INSERT INTO enterprise_scores (organisation_id)
    SELECT id FROM organisations
    WHERE kind = 'enterprise' ${ids ? sql`AND id = ANY(${ids}::bigint[])` : sql``}
    ON CONFLICT (organisation_id) DO NOTHING`.execute(db);
}

/**
 * Locks the next batch of score rows after `afterId`; rows another server holds
 * are skipped (it is computing them). For named enterprises (`only`: right after
 * a declaration) the lock is waited for instead, so the fresh declaration counts.
 */
export async function lockScoreBatch(
  trx: Transaction<DB>,
  afterId: string,
  limit: number,
  only?: readonly string[],
) {
  const r = await sql<{
    organisation_id: string;
    warning_level: WarningLevel;
    warning_score: number;
    warning_computed_at: Date | null;
    name: string;
    area_path: string;
    created_at: Date;
  }>`
    SELECT s.organisation_id, s.warning_level, s.warning_score, s.warning_computed_at,
      o.name, o.area_path, o.created_at
    FROM enterprise_scores s
    JOIN organisations o ON o.id = s.organisation_id
    WHERE s.organisation_id > ${afterId}::bigint
      ${only ? sql`AND s.organisation_id = ANY(${only}::bigint[])` : sql``}
    ORDER BY s.organisation_id
    LIMIT ${limit}
    FOR UPDATE OF s ${only ? sql`` : sql`SKIP LOCKED`}`.execute(trx);
  return r.rows;
}

/** Declarations of the enterprises from `fromPeriod` on, with the day each was filed. */
export async function payrollSince(db: Db, ids: readonly string[], fromPeriod: string) {
  const r = await sql<{
    organisation_id: string;
    period: string;
    amount_due: string;
    amount_paid: string;
    paid_on_time: boolean;
    headcount_paid: number;
    declared_on: string;
  }>`
    SELECT organisation_id, period, amount_due, amount_paid, paid_on_time, headcount_paid,
      ${chinaDay("declared_at")} AS declared_on
    FROM payroll_declarations
    WHERE organisation_id = ANY(${ids}::bigint[]) AND period >= ${fromPeriod}`.execute(db);
  return r.rows;
}

/** The first period each enterprise declared. */
export async function firstPeriods(db: Db, ids: readonly string[]) {
  const r = await sql<{ organisation_id: string; first: string }>`
    SELECT organisation_id, min(period) AS first FROM payroll_declarations
    WHERE organisation_id = ANY(${ids}::bigint[]) GROUP BY organisation_id`.execute(db);
  return new Map(r.rows.map((x) => [x.organisation_id, x.first]));
}

/**
 * Cases of the categories since `since` that concern the enterprises: as a party,
 * as the reporting organisation, or reported by one of their employees.
 * Preventive cases the warning itself opened are left out.
 */
async function casesConcerning(
  db: Db,
  ids: readonly string[],
  categories: Expression<SqlBool>,
  since: Date,
) {
  const r = await sql<{ organisation_id: string; code: string; day: string }>`
    WITH c AS (
      SELECT c.id, c.code, c.reporter_organisation_id, c.reporter_user_id,
        ${chinaDay("c.created_at")} AS day
      FROM cases c
      WHERE ${categories} AND c.created_at >= ${since}
        AND c.status NOT IN ('withdrawn', 'merged')
        AND NOT EXISTS (SELECT 1 FROM wage_warning_history w WHERE w.case_id = c.id)
    )
    SELECT DISTINCT x.organisation_id, x.code, x.day FROM (
      SELECT c.reporter_organisation_id AS organisation_id, c.code, c.day FROM c
      WHERE c.reporter_organisation_id = ANY(${ids}::bigint[])
      UNION ALL
      SELECT p.organisation_id, c.code, c.day FROM c JOIN case_parties p ON p.case_id = c.id
      WHERE p.organisation_id = ANY(${ids}::bigint[])
      UNION ALL
      SELECT r.employer_id, c.code, c.day FROM c JOIN residents r ON r.user_id = c.reporter_user_id
      WHERE r.employer_id = ANY(${ids}::bigint[])
    ) x
    ORDER BY x.day, x.code`.execute(db);
  return r.rows;
}

export function labourCasesSince(db: Db, ids: readonly string[], since: Date) {
  return casesConcerning(
    db,
    ids,
    sql<SqlBool>`c.category_code = ANY(${LABOUR_CATEGORIES as unknown as string[]}::text[])`,
    since,
  );
}

export function safetyIncidentsSince(db: Db, ids: readonly string[], since: Date) {
  const families = SAFETY_FAMILIES.map((f) => `${f}.%`);
  return casesConcerning(
    db,
    ids,
    sql<SqlBool>`(c.category_code LIKE ANY(${families}::text[]) OR c.category_code = ANY(${SAFETY_LEAVES as unknown as string[]}::text[]))`,
    since,
  );
}

/** Hazards past their deadline and not closed, by level. */
export async function overdueHazards(db: Db, ids: readonly string[], today: string) {
  const r = await sql<{ organisation_id: string; general: number; major: number }>`
    SELECT organisation_id,
      count(*) FILTER (WHERE level = 'general')::int AS general,
      count(*) FILTER (WHERE level = 'major')::int AS major
    FROM hazards
    WHERE organisation_id = ANY(${ids}::bigint[]) AND status <> 'closed' AND deadline < ${today}::date
    GROUP BY organisation_id`.execute(db);
  return new Map(r.rows.map((x) => [x.organisation_id, x]));
}

/** Self-inspections due since `from` (passed, or already submitted): on time, late, missed. */
export async function inspectionStats(db: Db, ids: readonly string[], from: string, today: string) {
  const r = await sql<{ organisation_id: string; on_time: number; late: number; missed: number }>`
    SELECT organisation_id,
      count(*) FILTER (WHERE status = 'submitted' AND ${chinaDay("submitted_at")} <= due_on)::int AS on_time,
      count(*) FILTER (WHERE status = 'submitted' AND ${chinaDay("submitted_at")} > due_on)::int AS late,
      count(*) FILTER (WHERE status = 'due' AND due_on < ${today}::date)::int AS missed
    FROM inspections
    WHERE organisation_id = ANY(${ids}::bigint[]) AND due_on >= ${from}::date
      AND (due_on < ${today}::date OR status = 'submitted')
    GROUP BY organisation_id`.execute(db);
  return new Map(r.rows.map((x) => [x.organisation_id, x]));
}

/** Hazards closed since `from` (by or after their deadline) and those open past it. */
export async function hazardStats(db: Db, ids: readonly string[], from: string, today: string) {
  const r = await sql<{
    organisation_id: string;
    on_time: number;
    late: number;
    overdue_open: number;
    overdue_major: number;
  }>`
    SELECT organisation_id,
      count(*) FILTER (WHERE status = 'closed' AND ${chinaDay("closed_at")} <= deadline)::int AS on_time,
      count(*) FILTER (WHERE status = 'closed' AND ${chinaDay("closed_at")} > deadline)::int AS late,
      count(*) FILTER (WHERE status <> 'closed')::int AS overdue_open,
      count(*) FILTER (WHERE status <> 'closed' AND level = 'major')::int AS overdue_major
    FROM hazards
    WHERE organisation_id = ANY(${ids}::bigint[])
      AND ((status = 'closed' AND deadline >= ${from}::date)
        OR (status <> 'closed' AND deadline < ${today}::date))
    GROUP BY organisation_id`.execute(db);
  return new Map(r.rows.map((x) => [x.organisation_id, x]));
}

/** The enterprises' assisting tasks on cases since `since`: done on time, late, open past due. */
export async function taskStats(db: Db, ids: readonly string[], since: Date, now: Date) {
  const r = await sql<{
    organisation_id: string;
    on_time: number;
    late: number;
    overdue_open: number;
  }>`
    SELECT organisation_id,
      count(*) FILTER (WHERE status = 'done' AND (due_at IS NULL OR completed_at <= due_at))::int AS on_time,
      count(*) FILTER (WHERE status = 'done' AND completed_at > due_at)::int AS late,
      count(*) FILTER (WHERE status = 'open' AND active AND due_at < ${now})::int AS overdue_open
    FROM case_parties
    WHERE organisation_id = ANY(${ids}::bigint[]) AND role = 'assist' AND created_at >= ${since}
    GROUP BY organisation_id`.execute(db);
  return new Map(r.rows.map((x) => [x.organisation_id, x]));
}

// ------------------------------------------------------------------ scores

/** Writes the computed warnings of a batch in one statement. */
export async function updateWarnings(
  trx: Transaction<DB>,
  at: Date,
  rows: { organisation_id: string; score: number; level: WarningLevel; signals: unknown[] }[],
) {
  if (rows.length === 0) return;
  await sql`
    UPDATE enterprise_scores s
    SET warning_score = x.score, warning_level = x.level, warning_signals = x.signals,
      warning_computed_at = ${at}, version = s.version + 1
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS x(organisation_id bigint, score integer, level text, signals jsonb)
    WHERE s.organisation_id = x.organisation_id`.execute(trx);
}

export function insertWarningHistory(
  trx: Transaction<DB>,
  row: {
    organisation_id: string;
    score: number;
    level: WarningLevel;
    previous_level: WarningLevel | null;
    signals: unknown[];
    computed_at: Date;
    case_wanted: boolean;
    case_id?: string | null;
  },
) {
  return trx
    .insertInto("wage_warning_history")
    .values({ ...row, signals: JSON.stringify(row.signals) })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** An open preventive case of the enterprise (from an earlier rise), if any. */
export function openPreventiveCase(db: Db, organisationId: string) {
  return db
    .selectFrom("wage_warning_history as w")
    .innerJoin("cases as c", "c.id", "w.case_id")
    .select(["c.id", "c.code"])
    .where("w.organisation_id", "=", organisationId)
    .where("c.status", "not in", ["closed", "withdrawn", "merged"])
    .orderBy("w.id", "desc")
    .executeTakeFirst();
}

/** Rises that want a preventive case and have none yet. */
export function pendingCaseRows(db: Db, limit: number, only?: readonly string[]) {
  let q = db
    .selectFrom("wage_warning_history as w")
    .innerJoin("organisations as o", "o.id", "w.organisation_id")
    .select([
      "w.id",
      "w.organisation_id",
      "w.score",
      "w.level",
      "w.signals",
      "o.name",
      "o.area_path",
      "o.address",
      "o.unit_id",
      "o.area_id",
    ])
    .where("w.case_wanted", "=", true)
    .where("w.case_id", "is", null)
    .orderBy("w.id")
    .limit(limit);
  if (only) q = q.where("w.organisation_id", "in", only);
  return q.execute();
}
export type PendingCaseRow = Awaited<ReturnType<typeof pendingCaseRows>>[number];

export async function setHistoryCase(db: Db, historyId: string, caseId: string) {
  await db
    .updateTable("wage_warning_history")
    .set({ case_id: caseId })
    .where("id", "=", historyId)
    .where("case_id", "is", null)
    .execute();
}

/**
 * Where an enterprise is, for a case: its unit's building, else its first active
 * site (a factory before a dormitory), else any building of its grid; or, when
 * none of these exists, the grid's boundary for the caller to pick a point in.
 */
export async function enterprisePlace(
  db: Db,
  organisationId: string,
  unitId: string | null,
  gridId: string,
): Promise<
  | { kind: "point"; lat: number; lng: number; address: string | null }
  | { kind: "grid"; boundary: unknown }
  | undefined
> {
  if (unitId) {
    const b = await db
      .selectFrom("units as u")
      .innerJoin("buildings as b", "b.id", "u.building_id")
      .select(["b.lat", "b.lng", "u.address"])
      .where("u.id", "=", unitId)
      .executeTakeFirst();
    if (b) return { kind: "point", ...b };
  }
  const site = await sql<{ lat: number; lng: number; address: string }>`
    SELECT lat, lng, address FROM enterprise_sites
    WHERE organisation_id = ${organisationId} AND active
    ORDER BY (kind = 'dormitory'), id LIMIT 1`.execute(db);
  if (site.rows[0]) return { kind: "point", ...site.rows[0] };
  const building = await db
    .selectFrom("buildings as b")
    .select(["b.lat", "b.lng", "b.address"])
    .where("b.grid_id", "=", gridId)
    .orderBy("b.id")
    .limit(1)
    .executeTakeFirst();
  if (building) return { kind: "point", ...building };
  const grid = await db
    .selectFrom("areas")
    .select("boundary")
    .where("id", "=", gridId)
    .where("boundary", "is not", null)
    .executeTakeFirst();
  return grid ? { kind: "grid", boundary: grid.boundary } : undefined;
}

export function districtArea(db: Db) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path"])
    .where("level", "=", "district")
    .orderBy("id")
    .executeTakeFirst();
}

/** Whether the enterprise already is an assisting party of the case. */
export async function isCaseParty(db: Db, caseId: string, organisationId: string) {
  const r = await db
    .selectFrom("case_parties")
    .select("id")
    .where("case_id", "=", caseId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
  return r !== undefined;
}

// ------------------------------------------------------------------ rating

/** Score rows of the next batch not yet rated on `day`, locked (others skipped). */
export async function lockUnratedBatch(
  trx: Transaction<DB>,
  afterId: string,
  day: string,
  limit: number,
  only?: readonly string[],
) {
  const r = await sql<{ organisation_id: string }>`
    SELECT s.organisation_id FROM enterprise_scores s
    WHERE s.organisation_id > ${afterId}::bigint
      ${only ? sql`AND s.organisation_id = ANY(${only}::bigint[])` : sql``}
      AND NOT EXISTS (SELECT 1 FROM enterprise_rating_history h
        WHERE h.organisation_id = s.organisation_id AND h.computed_on = ${day}::date)
    ORDER BY s.organisation_id
    LIMIT ${limit}
    FOR UPDATE OF s SKIP LOCKED`.execute(trx);
  return r.rows.map((x) => x.organisation_id);
}

export async function saveRatings(
  trx: Transaction<DB>,
  day: string,
  at: Date,
  rows: { organisation_id: string; rating: RiskRating; score: number; factors: unknown[] }[],
) {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({ ...r, factors: r.factors as unknown as Record<string, unknown> })),
  );
  await sql`
    INSERT INTO enterprise_rating_history (organisation_id, computed_on, rating, score, factors, computed_at)
    SELECT x.organisation_id, ${day}::date, x.rating, x.score, x.factors, ${at}
    FROM json_to_recordset(${json}::json) AS x(organisation_id bigint, rating text, score integer, factors jsonb)
    ON CONFLICT (organisation_id, computed_on) DO UPDATE
      SET rating = excluded.rating, score = excluded.score, factors = excluded.factors,
        computed_at = excluded.computed_at`.execute(trx);
  await sql`
    UPDATE enterprise_scores s
    SET rating = x.rating, rating_score = x.score, rating_factors = x.factors,
      rating_computed_at = ${at}, version = s.version + 1
    FROM json_to_recordset(${json}::json) AS x(organisation_id bigint, rating text, score integer, factors jsonb)
    WHERE s.organisation_id = x.organisation_id`.execute(trx);
}

// ------------------------------------------------------------------- reads

export function findScores(db: Db, organisationId: string) {
  return db
    .selectFrom("enterprise_scores")
    .selectAll()
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
}

export function warningHistory(db: Db, organisationId: string, limit: number) {
  return db
    .selectFrom("wage_warning_history as w")
    .leftJoin("cases as c", "c.id", "w.case_id")
    .select([
      "w.computed_at",
      "w.score",
      "w.level",
      "w.previous_level",
      "w.case_id",
      "c.code as case_code",
    ])
    .where("w.organisation_id", "=", organisationId)
    .orderBy("w.computed_at", "desc")
    .orderBy("w.id", "desc")
    .limit(limit)
    .execute();
}

export function ratingHistory(db: Db, organisationId: string, since: string) {
  return db
    .selectFrom("enterprise_rating_history")
    .select(["computed_on", "rating", "score"])
    .where("organisation_id", "=", organisationId)
    .where("computed_on", ">=", since)
    .orderBy("computed_on")
    .execute();
}

/** The latest preventive case of each enterprise (id, code, status). */
function latestCase(organisationRef: string) {
  return sql<{ id: string; code: string; status: string } | null>`(
    SELECT json_build_object('id', c.id::text, 'code', c.code, 'status', c.status)
    FROM wage_warning_history w JOIN cases c ON c.id = w.case_id
    WHERE w.organisation_id = ${sql.ref(organisationRef)}
    ORDER BY w.id DESC LIMIT 1)`;
}

export function latestPreventiveCase(db: Db, organisationId: string) {
  return db
    .selectFrom("wage_warning_history as w")
    .innerJoin("cases as c", "c.id", "w.case_id")
    .select(["c.id", "c.code", "c.status"])
    .where("w.organisation_id", "=", organisationId)
    .orderBy("w.id", "desc")
    .executeTakeFirst();
}

export interface WarningListFilter {
  levels: WarningLevel[];
  q?: string | undefined;
  industry?: string | undefined;
  sort: (typeof WAGE_WARNING_SORTS)[number];
  limit: number;
  offset: number;
}

export async function listWarnings(db: Db, areaPaths: string[], f: WarningListFilter) {
  let q = db
    .selectFrom("enterprise_scores as s")
    .innerJoin("organisations as o", "o.id", "s.organisation_id")
    .innerJoin("areas as g", "g.id", "o.area_id")
    .where(pathPrefixAny("o.area_path", areaPaths))
    .where("s.warning_level", "in", f.levels);
  if (f.q) q = q.where("o.name", "ilike", containsPattern(f.q));
  if (f.industry) q = q.where("o.industry", "=", f.industry);
  const order = {
    "-score": [sql`s.warning_score DESC`, sql`o.id`],
    score: [sql`s.warning_score`, sql`o.id`],
    name: [sql`o.name`, sql`o.id`],
    "-name": [sql`o.name DESC`, sql`o.id`],
    computedAt: [sql`s.warning_computed_at NULLS FIRST`, sql`o.id`],
    "-computedAt": [sql`s.warning_computed_at DESC NULLS LAST`, sql`o.id`],
  }[f.sort];
  const [items, total] = await Promise.all([
    q
      .select([
        "o.id",
        "o.name",
        "o.industry",
        "g.code as grid_code",
        "g.name as grid_name",
        "s.warning_score",
        "s.warning_level",
        "s.warning_computed_at",
        "s.warning_signals",
        "s.rating",
        latestCase("o.id").as("open_case"),
      ])
      .orderBy(sql.join(order))
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/**
 * The wage-warning level each enterprise had at `at` (its latest history row
 * by then), for the enterprises with an active site or their registered
 * place under `rootPath`: per such grid path, how many were at warning and
 * at alarm.
 */
export async function warningLevelsByEnterpriseGrid(db: Db, rootPath: string, at: Date) {
  const r = await sql<{ area_path: string; warning: number; alarm: number }>`
    WITH places AS (
      SELECT organisation_id, area_path FROM enterprise_sites
      WHERE active AND area_path LIKE ${`${rootPath}%`}
      UNION
      SELECT id, area_path FROM organisations
      WHERE kind = 'enterprise' AND area_path LIKE ${`${rootPath}%`}
    ),
    levels AS (
      SELECT DISTINCT ON (h.organisation_id) h.organisation_id, h.level
      FROM wage_warning_history h
      WHERE h.organisation_id IN (SELECT organisation_id FROM places) AND h.computed_at <= ${at}
      ORDER BY h.organisation_id, h.computed_at DESC, h.id DESC
    )
    SELECT p.area_path, (count(*) FILTER (WHERE l.level = 'warning'))::int AS warning,
      (count(*) FILTER (WHERE l.level = 'alarm'))::int AS alarm
    FROM places p JOIN levels l ON l.organisation_id = p.organisation_id
    WHERE l.level IN ('warning', 'alarm')
    GROUP BY p.area_path`.execute(db);
  return r.rows;
}
