/** SQL for hazards, their timeline (hazard_actions) and the coordination map's major hazards. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import { ENTERPRISE_ROLES } from "../../../shared/roles.js";
import type { DB } from "../../db/schema.js";
import type { HazardStatus } from "../../db/schema-inspections.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

/** Hazards a caller sees: enterprises in their area, their own enterprise, or supervised by their department. */
export interface HazardScope {
  areaPaths: string[];
  organisationIds: string[];
  departmentIds: string[];
}

function visible(scope: HazardScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("o.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`h.organisation_id IN (${sql.join(scope.organisationIds)})`);
  if (scope.departmentIds.length)
    parts.push(sql<SqlBool>`h.supervising_department_id IN (${sql.join(scope.departmentIds)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

const HAZARD_COLUMNS = [
  "h.id",
  "h.organisation_id",
  "o.name as organisation_name",
  "o.area_path",
  "h.source",
  "h.inspection_id",
  "h.spot_check_id",
  "h.item_code",
  "h.level",
  "h.title",
  "h.description",
  "h.address",
  "h.lat",
  "h.lng",
  "h.status",
  "h.deadline",
  "h.plan",
  "h.plan_at",
  "h.completion_note",
  "h.completed_at",
  "h.closed_at",
  "h.supervising_department_id",
  "d.name as supervising_department_name",
  "h.supervised_at",
  "h.supervision_note",
  "h.version",
  "h.created_at",
  "h.updated_at",
] as const;

function base(db: Db) {
  return db
    .selectFrom("hazards as h")
    .innerJoin("organisations as o", "o.id", "h.organisation_id")
    .leftJoin("departments as d", "d.id", "h.supervising_department_id");
}

export interface HazardFilter {
  organisationId?: string | undefined;
  status?: HazardStatus[] | undefined;
  level?: "general" | "major" | undefined;
  source?: DB["hazards"]["source"] | undefined;
  overdue?: boolean | undefined;
  supervised?: boolean | undefined;
  supervision?: "supervised" | "awaiting" | undefined;
  spotCheckId?: string | undefined;
  q?: string | undefined;
  sort: "deadline" | "-deadline" | "createdAt" | "-createdAt" | "level" | "-level";
  limit: number;
  offset: number;
}

export async function listHazards(db: Db, scope: HazardScope, f: HazardFilter, today: string) {
  let q = base(db).where(visible(scope));
  if (f.organisationId) q = q.where("h.organisation_id", "=", f.organisationId);
  if (f.status?.length) q = q.where("h.status", "in", f.status);
  if (f.level) q = q.where("h.level", "=", f.level);
  if (f.source) q = q.where("h.source", "=", f.source);
  if (f.overdue === true) q = q.where("h.status", "<>", "closed").where("h.deadline", "<", today);
  if (f.overdue === false)
    q = q.where((eb) => eb.or([eb("h.status", "=", "closed"), eb("h.deadline", ">=", today)]));
  if (f.supervised !== undefined)
    q = q.where("h.supervising_department_id", f.supervised ? "is not" : "is", null);
  if (f.supervision === "supervised") q = q.where("h.supervising_department_id", "is not", null);
  if (f.supervision === "awaiting")
    q = q
      .where("h.level", "=", "major")
      .where("h.supervising_department_id", "is", null)
      .where("h.status", "<>", "closed");
  if (f.spotCheckId) q = q.where("h.spot_check_id", "=", f.spotCheckId);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) => eb.or([eb("h.title", "like", like), eb("o.name", "like", like)]));
  }
  const desc = f.sort.startsWith("-");
  const key = desc ? f.sort.slice(1) : f.sort;
  const dir = desc ? "desc" : "asc";
  let ordered = q.select(HAZARD_COLUMNS);
  if (key === "deadline") ordered = ordered.orderBy("h.deadline", dir);
  else if (key === "level")
    ordered = ordered.orderBy(sql`h.level = 'major'`, dir).orderBy("h.deadline", "asc");
  else ordered = ordered.orderBy("h.created_at", dir);
  const [items, total] = await Promise.all([
    ordered.orderBy("h.id", dir).limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type HazardRow = Awaited<ReturnType<typeof listHazards>>["items"][number];

export function findHazard(db: Db, id: string) {
  return base(db)
    .select([...HAZARD_COLUMNS, "h.evidence", "h.found_evidence"])
    .where("h.id", "=", id)
    .executeTakeFirst();
}

export function lockHazard(trx: Transaction<DB>, id: string) {
  return base(trx)
    .select([...HAZARD_COLUMNS, "h.evidence", "h.found_evidence"])
    .where("h.id", "=", id)
    .forUpdate("h")
    .executeTakeFirst();
}

export type HazardDetailRow = NonNullable<Awaited<ReturnType<typeof findHazard>>>;

export interface NewHazard {
  organisation_id: string;
  area_path: string;
  site_id: string | null;
  source: DB["hazards"]["source"];
  inspection_id: string | null;
  item_code: string | null;
  spot_check_id: string | null;
  level: "general" | "major";
  title: string;
  description: string | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  deadline: string;
  created_by: string | null;
  found_evidence: string[];
}

export function insertHazards(trx: Transaction<DB>, rows: NewHazard[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto("hazards")
    .values(rows.map((r) => ({ ...r, found_evidence: JSON.stringify(r.found_evidence) })))
    .returning(["id", "item_code", "status"])
    .execute();
}

export type HazardPatch = Partial<{
  status: HazardStatus;
  plan: string;
  plan_at: Date;
  evidence: string[];
  completion_note: string;
  completed_at: Date;
  closed_at: Date | null;
  verified_by: string | null;
  supervising_department_id: string;
  supervised_at: Date;
  supervision_note: string;
}>;

/** Applies the change when `version` is still the stored one; undefined otherwise. */
export function updateHazard(trx: Transaction<DB>, id: string, version: number, p: HazardPatch) {
  const { evidence, ...rest } = p;
  return trx
    .updateTable("hazards")
    .set({
      ...rest,
      ...(evidence ? { evidence: JSON.stringify(evidence) } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

export interface NewHazardAction {
  hazard_id: string;
  kind: string;
  from_status: HazardStatus | null;
  to_status: HazardStatus | null;
  actor_user_id: string | null;
  actor_label: string;
  department_id: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

export async function insertActions(trx: Transaction<DB>, rows: NewHazardAction[]) {
  if (rows.length === 0) return;
  await trx
    .insertInto("hazard_actions")
    .values(rows.map((r) => ({ ...r, details: JSON.stringify(r.details) })))
    .execute();
}

export function timeline(db: Db, hazardId: string) {
  return db
    .selectFrom("hazard_actions")
    .select(["id", "kind", "from_status", "to_status", "actor_label", "note", "details", "at"])
    .where("hazard_id", "=", hazardId)
    .orderBy("id")
    .execute();
}

/** Major hazards not yet closed, for the coordination map. */
export function majorOpenHazards(db: Db, scope: HazardScope) {
  return base(db)
    .leftJoin("units as u", "u.id", "o.unit_id")
    .leftJoin("buildings as b", "b.id", "u.building_id")
    .innerJoin("areas as a", "a.id", "o.area_id")
    .select([
      "h.id",
      "h.title",
      "h.organisation_id",
      "o.name as organisation_name",
      "h.level",
      "h.status",
      "h.deadline",
      "h.supervising_department_id",
      sql<number | null>`coalesce(h.lat, b.lat, a.centroid_lat)`.as("lat"),
      sql<number | null>`coalesce(h.lng, b.lng, a.centroid_lng)`.as("lng"),
    ])
    .where("h.level", "=", "major")
    .where("h.status", "<>", "closed")
    .where(visible(scope))
    .orderBy("h.deadline")
    .limit(5000)
    .execute();
}

export function findDepartment(db: Db, id: string) {
  return db
    .selectFrom("departments")
    .select(["id", "name"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The active enterprise officers of an enterprise (whom a hazard's news goes to). */
export async function enterpriseOfficers(db: Kysely<DB> | Transaction<DB>, organisationId: string) {
  const rows = await db
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select("role_grants.user_id")
    .distinct()
    .where("role_grants.role", "in", ENTERPRISE_ROLES)
    .where("role_grants.organisation_id", "=", organisationId)
    .where("users.status", "=", "active")
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Hazards open at `at` (found by then, not closed by then) of the enterprises
 * with an active site or their registered place under `rootPath`, counted per
 * such grid path (an enterprise with sites in two grids counts in both).
 */
export async function openHazardsByEnterpriseGrid(db: Db, rootPath: string, at: Date) {
  const r = await sql<{ area_path: string; open: number; major: number }>`
    WITH places AS (
      SELECT organisation_id, area_path FROM enterprise_sites
      WHERE active AND area_path LIKE ${`${rootPath}%`}
      UNION
      SELECT id, area_path FROM organisations
      WHERE kind = 'enterprise' AND area_path LIKE ${`${rootPath}%`}
    )
    SELECT p.area_path, count(*)::int AS open,
      (count(*) FILTER (WHERE h.level = 'major'))::int AS major
    FROM places p JOIN hazards h ON h.organisation_id = p.organisation_id
    WHERE h.created_at <= ${at} AND (h.closed_at IS NULL OR h.closed_at > ${at})
    GROUP BY p.area_path`.execute(db);
  return r.rows;
}
