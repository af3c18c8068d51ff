/** SQL for spot-checks: the population with its risk factors, the draws and their findings. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { SpotCheckFinding } from "../../db/schema-inspections.js";
import { pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

export interface PopulationRow {
  id: string;
  name: string;
  industry: string | null;
  open_hazards: number;
  overdue_hazards: number;
  major_open_hazards: number;
  missed_inspections: number;
  rating: "A" | "B" | "C" | "D" | null;
  warning_level: "none" | "watch" | "warning" | "alarm" | null;
}

/** Whether the enterprise-risk scores table is there (another part of the workspace keeps it). */
async function hasScores(db: Db): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`
    SELECT to_regclass('public.enterprise_scores') IS NOT NULL AS ok`.execute(db);
  return r.rows[0]?.ok === true;
}

/**
 * The enterprises a draw picks from (under `areaPaths`, of `industry` if
 * given), each with the counts behind its risk weight, and its credit
 * rating and warning level when the risk scores exist.
 */
export async function population(
  db: Db,
  f: { areaPaths: string[]; industry?: string | undefined; today: string; yearAgo: string },
): Promise<PopulationRow[]> {
  const scores = await hasScores(db);
  const industry = f.industry ? sql`AND o.industry = ${f.industry}` : sql``;
  const r = await sql<PopulationRow>`
    WITH h AS (
      SELECT organisation_id,
        count(*)::int AS open_hazards,
        (count(*) FILTER (WHERE deadline < ${f.today}::date))::int AS overdue_hazards,
        (count(*) FILTER (WHERE level = 'major'))::int AS major_open_hazards
      FROM hazards WHERE status <> 'closed' GROUP BY organisation_id
    ), i AS (
      SELECT organisation_id, count(*)::int AS missed_inspections
      FROM inspections
      WHERE status = 'due' AND due_on < ${f.today}::date AND due_on >= ${f.yearAgo}::date
      GROUP BY organisation_id
    )
    SELECT o.id, o.name, o.industry,
      coalesce(h.open_hazards, 0) AS open_hazards,
      coalesce(h.overdue_hazards, 0) AS overdue_hazards,
      coalesce(h.major_open_hazards, 0) AS major_open_hazards,
      coalesce(i.missed_inspections, 0) AS missed_inspections,
      ${scores ? sql`s.rating, s.warning_level` : sql`NULL::text AS rating, NULL::text AS warning_level`}
    FROM organisations o
    LEFT JOIN h ON h.organisation_id = o.id
    LEFT JOIN i ON i.organisation_id = o.id
    ${scores ? sql`LEFT JOIN enterprise_scores s ON s.organisation_id = o.id` : sql``}
    WHERE o.kind = 'enterprise' AND ${pathPrefixAny("o.area_path", f.areaPaths)} ${industry}
    ORDER BY o.id`.execute(db);
  return r.rows;
}

export function insertSpotCheck(
  trx: Transaction<DB>,
  row: {
    department_id: string | null;
    area_path: string | null;
    drawn_by: string | null;
    drawn_label: string;
    drawn_at: Date;
    criteria: Record<string, unknown>;
    weights: Record<string, number>;
    population: number;
    sample_size: number;
    note: string | null;
  },
) {
  return trx
    .insertInto("spot_checks")
    .values({
      ...row,
      criteria: JSON.stringify(row.criteria),
      weights: JSON.stringify(row.weights),
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
}

export async function insertItems(
  trx: Transaction<DB>,
  rows: {
    spot_check_id: string;
    organisation_id: string;
    rank: number;
    weight: number;
    factors: Record<string, unknown>;
  }[],
) {
  if (rows.length === 0) return;
  await trx
    .insertInto("spot_check_items")
    .values(rows.map((r) => ({ ...r, factors: JSON.stringify(r.factors) })))
    .execute();
}

/** Spot-checks a caller sees: their departments' draws, or any drawn inside their area. */
export interface SpotCheckScope {
  departmentIds: string[];
  areaPaths: string[];
}

function visible(scope: SpotCheckScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("s.area_path", scope.areaPaths)];
  if (scope.departmentIds.length)
    parts.push(sql<SqlBool>`s.department_id IN (${sql.join(scope.departmentIds)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

const SPOT_CHECK_COLUMNS = [
  "s.id",
  "s.department_id",
  "d.name as department_name",
  "s.area_path",
  "s.drawn_label",
  "s.drawn_at",
  "s.criteria",
  "s.weights",
  "s.population",
  "s.sample_size",
  "s.note",
  sql<number>`(SELECT count(*)::int FROM spot_check_items x WHERE x.spot_check_id = s.id AND x.finding <> 'pending')`.as(
    "checked",
  ),
  sql<number>`(SELECT count(*)::int FROM hazards h WHERE h.spot_check_id = s.id)`.as(
    "hazards_found",
  ),
] as const;

export async function listSpotChecks(
  db: Db,
  scope: SpotCheckScope,
  page: { limit: number; offset: number },
) {
  const q = db
    .selectFrom("spot_checks as s")
    .leftJoin("departments as d", "d.id", "s.department_id")
    .where(visible(scope));
  const [items, total] = await Promise.all([
    q
      .select(SPOT_CHECK_COLUMNS)
      .orderBy("s.drawn_at", "desc")
      .orderBy("s.id", "desc")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type SpotCheckRow = Awaited<ReturnType<typeof listSpotChecks>>["items"][number];

export function findSpotCheck(db: Db, scope: SpotCheckScope, id: string) {
  return db
    .selectFrom("spot_checks as s")
    .leftJoin("departments as d", "d.id", "s.department_id")
    .select(SPOT_CHECK_COLUMNS)
    .where("s.id", "=", id)
    .where(visible(scope))
    .executeTakeFirst();
}

export function itemsOf(db: Db, spotCheckId: string) {
  return db
    .selectFrom("spot_check_items as x")
    .innerJoin("organisations as o", "o.id", "x.organisation_id")
    .leftJoin("users as u", "u.id", "x.checked_by")
    .select([
      "x.id",
      "x.rank",
      "x.organisation_id",
      "o.name as organisation_name",
      "o.industry",
      "o.address",
      "o.area_path",
      "x.weight",
      "x.factors",
      "x.finding",
      "x.note",
      "x.checked_at",
      "u.display_name as checked_by_name",
      sql<number>`(SELECT count(*)::int FROM hazards h WHERE h.spot_check_id = x.spot_check_id AND h.organisation_id = x.organisation_id)`.as(
        "hazards",
      ),
    ])
    .where("x.spot_check_id", "=", spotCheckId)
    .orderBy("x.rank")
    .execute();
}

export function lockItem(trx: Transaction<DB>, spotCheckId: string, itemId: string) {
  return trx
    .selectFrom("spot_check_items as x")
    .innerJoin("organisations as o", "o.id", "x.organisation_id")
    .select(["x.id", "x.organisation_id", "x.finding", "o.area_path", "o.address"])
    .where("x.id", "=", itemId)
    .where("x.spot_check_id", "=", spotCheckId)
    .forUpdate("x")
    .executeTakeFirst();
}

export function recordFinding(
  trx: Transaction<DB>,
  itemId: string,
  v: {
    finding: SpotCheckFinding;
    note: string | null;
    checked_at: Date;
    checked_by: string | null;
  },
) {
  return trx
    .updateTable("spot_check_items")
    .set(v)
    .where("id", "=", itemId)
    .where("finding", "=", "pending")
    .returning(["id"])
    .executeTakeFirst();
}
