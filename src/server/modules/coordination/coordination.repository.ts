/**
 * Reads of the coordination centre: rollups (migration 0030) and the few
 * live counts that rollups cannot keep (overdue depends on the clock; it is
 * read from the partial index of open cases). SQL only, no rules.
 */
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.js";
import type { CaseRollupCounters } from "../../db/schema-rollups.js";
import { ROLLUP_COUNTERS } from "./rollups.repository.js";

export type Counters = CaseRollupCounters;

const sums = sql.raw(
  ROLLUP_COUNTERS.map((c) => `COALESCE(sum(${c}), 0)::float8 AS ${c}`).join(", "),
);

export interface AreaRow {
  id: string;
  name: string;
  path: string;
  level: "district" | "street" | "community" | "grid";
  code: string;
}

export async function areaById(db: Kysely<DB>, id: string): Promise<AreaRow | undefined> {
  return db
    .selectFrom("areas")
    .select(["id", "name", "path", "level", "code"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function areaByPath(db: Kysely<DB>, path: string): Promise<AreaRow | undefined> {
  return db
    .selectFrom("areas")
    .select(["id", "name", "path", "level", "code"])
    .where("path", "=", path)
    .executeTakeFirst();
}

/** Areas of `level` under `path` (inclusive), by code. */
export async function areasUnder(
  db: Kysely<DB>,
  path: string,
  level: AreaRow["level"],
): Promise<AreaRow[]> {
  return db
    .selectFrom("areas")
    .select(["id", "name", "path", "level", "code"])
    .where("level", "=", level)
    .where("path", "like", `${path}%`)
    .orderBy("code")
    .execute();
}

export async function childAreas(db: Kysely<DB>, parentId: string): Promise<AreaRow[]> {
  return db
    .selectFrom("areas")
    .select(["id", "name", "path", "level", "code"])
    .where("parent_id", "=", parentId)
    .orderBy("code")
    .execute();
}

/** Totals of one area (dimension `all`) over days [from, to]. */
export async function dayTotals(
  db: Kysely<DB>,
  areaPath: string,
  from: string,
  to: string,
): Promise<Counters> {
  const r = await sql<Counters>`
    SELECT ${sums} FROM case_rollups
    WHERE grain = 'day' AND area_path = ${areaPath} AND dim = 'all' AND key = ''
      AND period BETWEEN ${from}::date AND ${to}::date`.execute(db);
  return r.rows[0] as Counters;
}

/** One row per period of one area (dimension `all`). */
export async function series(
  db: Kysely<DB>,
  areaPath: string,
  grain: "day" | "month",
  from: string,
  to: string,
): Promise<(Counters & { period: string })[]> {
  const r = await sql<Counters & { period: string }>`
    SELECT to_char(period, 'YYYY-MM-DD') AS period, ${sums} FROM case_rollups
    WHERE grain = ${grain} AND area_path = ${areaPath} AND dim = 'all' AND key = ''
      AND period BETWEEN ${from}::date AND ${to}::date
    GROUP BY period ORDER BY period`.execute(db);
  return r.rows;
}

/** Month totals of one area by a dimension's keys, over months [from, to]. */
export async function monthsByKey(
  db: Kysely<DB>,
  areaPath: string,
  dim: "department" | "family" | "category",
  from: string,
  to: string,
): Promise<(Counters & { key: string })[]> {
  const r = await sql<Counters & { key: string }>`
    SELECT key, ${sums} FROM case_rollups
    WHERE grain = 'month' AND area_path = ${areaPath} AND dim = ${dim}
      AND period BETWEEN ${from}::date AND ${to}::date
    GROUP BY key`.execute(db);
  return r.rows;
}

/** Totals of several areas (dimension `all`) over [from, to] at a grain. */
export async function totalsByArea(
  db: Kysely<DB>,
  areaPaths: string[],
  grain: "day" | "month",
  from: string,
  to: string,
): Promise<(Counters & { area_path: string })[]> {
  if (areaPaths.length === 0) return [];
  const r = await sql<Counters & { area_path: string }>`
    SELECT area_path, ${sums} FROM case_rollups
    WHERE grain = ${grain} AND area_path = ANY(${areaPaths}::text[]) AND dim = 'all' AND key = ''
      AND period BETWEEN ${from}::date AND ${to}::date
    GROUP BY area_path`.execute(db);
  return r.rows;
}

/** Open cases now, per area path given (every family). */
export async function openByArea(
  db: Kysely<DB>,
  areaPaths: string[],
): Promise<Map<string, number>> {
  if (areaPaths.length === 0) return new Map();
  const r = await sql<{ area_path: string; open: number }>`
    SELECT area_path, sum(open)::int AS open FROM case_open_counts
    WHERE area_path = ANY(${areaPaths}::text[]) GROUP BY area_path`.execute(db);
  return new Map(r.rows.map((x) => [x.area_path, x.open]));
}

const OPEN_WORKING = sql.raw(`('dispatched', 'accepted', 'in_progress')`);

/**
 * Overdue now under `areaPath`, grouped by the area prefix of `depth` path
 * segments (null: one total). Reads the partial index of open cases by due time.
 */
export async function overdueUnder(
  db: Kysely<DB>,
  areaPath: string,
  now: Date,
  depth: number | null,
): Promise<Map<string, number>> {
  const group =
    depth === null
      ? sql`''`
      : sql`array_to_string((string_to_array(area_path, '/'))[1:${sql.lit(depth + 1)}], '/') || '/'`;
  const r = await sql<{ prefix: string; n: number }>`
    SELECT ${group} AS prefix, count(*)::int AS n FROM cases
    WHERE status IN ${OPEN_WORKING} AND resolve_due_at < ${now}
      AND area_path LIKE ${`${areaPath}%`}
    GROUP BY 1`.execute(db);
  return new Map(r.rows.map((x) => [x.prefix, x.n]));
}

/** Per lead department under `areaPath`: open now and overdue now. */
export async function openByDepartment(
  db: Kysely<DB>,
  areaPath: string,
  now: Date,
): Promise<Map<string, { open: number; overdue: number }>> {
  const r = await sql<{ id: string; open: number; overdue: number }>`
    SELECT lead_department_id::text AS id, count(*)::int AS open,
      count(*) FILTER (WHERE resolve_due_at < ${now})::int AS overdue
    FROM cases
    WHERE status IN ${OPEN_WORKING} AND lead_department_id IS NOT NULL
      AND area_path LIKE ${`${areaPath}%`}
    GROUP BY 1`.execute(db);
  return new Map(r.rows.map((x) => [x.id, { open: x.open, overdue: x.overdue }]));
}

export async function departmentNames(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("departments")
    .select(["id", "name"])
    .where("id", "in", ids)
    .execute();
  return new Map(rows.map((d) => [String(d.id), d.name]));
}

/** Departments whose area lies on the path of `areaPath` or under it. */
export async function departmentsFor(
  db: Kysely<DB>,
  areaPath: string,
): Promise<{ id: string; name: string }[]> {
  const r = await sql<{ id: string; name: string }>`
    SELECT d.id::text AS id, d.name FROM departments d JOIN areas a ON a.id = d.area_id
    WHERE a.path LIKE ${`${areaPath}%`} OR ${areaPath} LIKE a.path || '%'
    ORDER BY d.id`.execute(db);
  return r.rows;
}

export async function categoryNames(db: Kysely<DB>): Promise<Map<string, string>> {
  const rows = await db.selectFrom("case_categories").select(["code", "name"]).execute();
  return new Map(rows.map((c) => [c.code, c.name]));
}

/** Pairs of subjects with the closed cases they shared under `areaPath`, months [from, to]. */
export async function collaborationPairs(
  db: Kysely<DB>,
  areaPath: string,
  from: string,
  to: string,
): Promise<{ a: string; b: string; cases: number }[]> {
  const r = await sql<{ a: string; b: string; cases: number }>`
    SELECT subject_a AS a, subject_b AS b, sum(cases)::int AS cases FROM case_collaborations
    WHERE area_path = ${areaPath} AND period BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2`.execute(db);
  return r.rows;
}

type SubjectKind = "government" | "enterprise" | "association" | "volunteer" | "other";

/** Names and kinds of subjects keyed 'd:ID' (department), 'o:ID' (organisation), 'v'. */
export async function subjectLabels(
  db: Kysely<DB>,
  ids: string[],
): Promise<Map<string, { label: string; kind: SubjectKind }>> {
  const deps = ids.filter((i) => i.startsWith("d:")).map((i) => i.slice(2));
  const orgs = ids.filter((i) => i.startsWith("o:")).map((i) => i.slice(2));
  const out = new Map<string, { label: string; kind: SubjectKind }>();
  if (ids.includes("v")) out.set("v", { label: "志愿者", kind: "volunteer" });
  if (deps.length) {
    const rows = await db
      .selectFrom("departments")
      .select(["id", "name"])
      .where("id", "in", deps)
      .execute();
    for (const d of rows) out.set(`d:${d.id}`, { label: d.name, kind: "government" });
  }
  if (orgs.length) {
    const rows = await db
      .selectFrom("organisations")
      .select(["id", "name", "kind"])
      .where("id", "in", orgs)
      .execute();
    for (const o of rows)
      out.set(`o:${o.id}`, {
        label: o.name,
        kind: o.kind === "enterprise" || o.kind === "association" ? o.kind : "other",
      });
  }
  return out;
}
