/**
 * SQL of the enterprise workspace: the scoped enterprise list (with the
 * ratings, warnings and hazards other parts keep), sites, employments,
 * dormitory rooms (units the enterprise is landlord of) and the case tasks
 * waiting for an enterprise. No rules here; callers pass db or trx.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import { type ColumnTypes, jsonRows } from "../../db/bulk-insert.js";
import type { DB } from "../../db/schema.js";
import type { SiteKindValue } from "../../db/schema-workforce.js";
import { addressPattern, containsPattern, pathPrefixAny } from "../../db/scope-sql.js";
import type { DataScope } from "../access/access.policy.js";
import type { EnterpriseScope } from "./enterprises.policy.js";

type Db = Kysely<DB> | Transaction<DB>;

// ------------------------------------------------------------------ enterprises

function inScope(scope: EnterpriseScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("o.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`o.id IN (${sql.join(scope.organisationIds)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/**
 * Current employees of the enterprise `o`: open employments, and people the
 * residents register names as employed here without one (registered through
 * the residents module). UNION keeps both index lookups.
 */
const headcountSql = sql<number>`(SELECT count(*)::int FROM (
    SELECT e.resident_id AS id FROM employments e WHERE e.organisation_id = o.id AND e.left_on IS NULL
    UNION
    SELECT r.id FROM residents r WHERE r.employer_id = o.id) AS cur)`;

// Hazards are part B's (migration 0020), scores part C's (0021).
const openHazardsSql = sql<number>`(SELECT count(*)::int FROM hazards h
    WHERE h.organisation_id = o.id AND h.status <> 'closed')`;
const majorHazardsSql = sql<number>`(SELECT count(*)::int FROM hazards h
    WHERE h.organisation_id = o.id AND h.status <> 'closed' AND h.level = 'major')`;

function enterprises(db: Db, scope: EnterpriseScope) {
  return db
    .selectFrom("organisations as o")
    .innerJoin("areas as g", "g.id", "o.area_id")
    .leftJoin("areas as s", (j) => j.on(sql<SqlBool>`s.code = split_part(o.area_path, '/', 3)`))
    .leftJoin("enterprise_scores as es", "es.organisation_id", "o.id")
    .where("o.kind", "=", "enterprise")
    .where(inScope(scope));
}

const LIST_COLUMNS = [
  "o.id",
  "o.name",
  "o.uscc",
  "o.industry",
  "o.size",
  "o.area_path",
  "g.code as grid_code",
  "g.name as grid_name",
  "s.code as street_code",
  "s.name as street_name",
  "es.rating",
  "es.warning_level",
] as const;

export interface EnterpriseFilter {
  q?: string | undefined;
  uscc?: string | undefined;
  industry?: string | undefined;
  areaPath?: string | undefined;
  rating?: "A" | "B" | "C" | "D" | undefined;
  warningLevel?: "none" | "watch" | "warning" | "alarm" | undefined;
  size?: "micro" | "small" | "medium" | "large" | undefined;
  sort: string;
  limit: number;
  offset: number;
}

export async function listEnterprises(db: Db, scope: EnterpriseScope, f: EnterpriseFilter) {
  let q = enterprises(db, scope);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([eb("o.name", "like", like), eb("o.uscc", "like", like.toUpperCase())]),
    );
  }
  if (f.uscc) q = q.where("o.uscc", "=", f.uscc);
  if (f.industry) q = q.where("o.industry", "=", f.industry);
  if (f.size) q = q.where("o.size", "=", f.size);
  if (f.areaPath) q = q.where(pathPrefixAny("o.area_path", [f.areaPath]));
  if (f.rating) q = q.where("es.rating", "=", f.rating);
  if (f.warningLevel) {
    q =
      f.warningLevel === "none"
        ? q.where(sql<SqlBool>`coalesce(es.warning_level, 'none') = 'none'`)
        : q.where("es.warning_level", "=", f.warningLevel);
  }
  const desc = f.sort.startsWith("-");
  const key = desc ? f.sort.slice(1) : f.sort;
  const dir = sql.raw(desc ? "DESC" : "ASC");
  const order =
    key === "employees"
      ? sql`employees ${dir}`
      : key === "rating"
        ? // A first when ascending; unrated last either way.
          sql`es.rating ${dir} NULLS LAST`
        : key === "warning"
          ? sql`coalesce(es.warning_score, 0) ${dir}`
          : key === "hazards"
            ? sql`open_hazards ${dir}, major_hazards ${dir}`
            : sql`o.name ${dir}`;
  const [items, total] = await Promise.all([
    q
      .select([
        ...LIST_COLUMNS,
        headcountSql.as("employees"),
        openHazardsSql.as("open_hazards"),
        majorHazardsSql.as("major_hazards"),
      ])
      .orderBy(order)
      .orderBy("o.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type EnterpriseListRow = Awaited<ReturnType<typeof listEnterprises>>["items"][number];

/** One enterprise the scope sees, with its profile's columns. */
export function findVisibleEnterprise(db: Db, scope: EnterpriseScope, id: string) {
  return enterprises(db, scope)
    .select([
      ...LIST_COLUMNS,
      "o.address",
      "o.legal_representative",
      "o.safety_officer",
      "o.safety_officer_phone_masked",
      headcountSql.as("employees"),
      openHazardsSql.as("open_hazards"),
      majorHazardsSql.as("major_hazards"),
    ])
    .where("o.id", "=", id)
    .executeTakeFirst();
}

/** An enterprise whatever the scope (for API tokens, which are not scoped to an area). */
export function findEnterprise(db: Db, id: string) {
  return db
    .selectFrom("organisations")
    .select(["id", "name", "area_path"])
    .where("id", "=", id)
    .where("kind", "=", "enterprise")
    .executeTakeFirst();
}

/** Takes the enterprise's row lock: workforce writes of one enterprise go one at a time. */
export async function lockEnterprise(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("organisations")
    .select("id")
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

/** The areas whose codes make up a path ("/d/s/c/g/"), district first. */
export function areasOnPath(db: Db, path: string) {
  const codes = path.split("/").filter(Boolean);
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("areas")
    .select(["code", "name", "level"])
    .where("code", "in", codes)
    .orderBy(sql`length(path)`)
    .execute();
}

// ------------------------------------------------------------------ sites

const SITE_COLUMNS = [
  "st.id",
  "st.organisation_id",
  "st.name",
  "st.kind",
  "st.address",
  "st.lat",
  "st.lng",
  "st.area_path",
  "st.active",
  "st.version",
  "st.created_at",
  "g.code as grid_code",
  "g.name as grid_name",
] as const;

export function listSites(db: Db, organisationId: string, includeInactive: boolean) {
  let q = db
    .selectFrom("enterprise_sites as st")
    .innerJoin("areas as g", "g.id", "st.grid_id")
    .select(SITE_COLUMNS)
    .where("st.organisation_id", "=", organisationId);
  if (!includeInactive) q = q.where("st.active", "=", true);
  return q.orderBy("st.active", "desc").orderBy("st.kind").orderBy("st.id").execute();
}

export type SiteRow = Awaited<ReturnType<typeof listSites>>[number];

export function findSite(db: Db, organisationId: string, siteId: string) {
  return db
    .selectFrom("enterprise_sites as st")
    .innerJoin("areas as g", "g.id", "st.grid_id")
    .select(SITE_COLUMNS)
    .where("st.organisation_id", "=", organisationId)
    .where("st.id", "=", siteId)
    .executeTakeFirst();
}

export interface NewSite {
  organisation_id: string;
  name: string;
  kind: SiteKindValue;
  address: string;
  lat: number;
  lng: number;
  grid_id: string;
  area_path: string;
  building_id: string | null;
  created_by: string | null;
}

export function activeSiteNamed(db: Db, organisationId: string, name: string) {
  return db
    .selectFrom("enterprise_sites")
    .select("id")
    .where("organisation_id", "=", organisationId)
    .where("name", "=", name)
    .where("active", "=", true)
    .executeTakeFirst();
}

export function insertSite(db: Db, row: NewSite) {
  return db.insertInto("enterprise_sites").values(row).returning("id").executeTakeFirstOrThrow();
}

/** Changes a site if it still has `version`; undefined when someone else changed it first. */
export function updateSite(
  db: Db,
  id: string,
  version: number,
  patch: Partial<Omit<NewSite, "organisation_id" | "created_by">> & { active?: boolean },
) {
  return db
    .updateTable("enterprise_sites")
    .set({ ...patch, version: sql`version + 1`, updated_at: new Date() })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning("id")
    .executeTakeFirst();
}

// ------------------------------------------------------------------ workforce

export interface EmployeeFilter {
  status: "current" | "left" | "all";
  q?: string | undefined;
  /** One person only (the answer to a hire). */
  residentId?: string | undefined;
  sort: string;
  limit: number;
  offset: number;
}

/** Current employees (see headcountSql) and former ones (closed employments), one row each. */
export async function listEmployees(db: Db, organisationId: string, f: EmployeeFilter) {
  const current = db
    .selectFrom("residents as r")
    .leftJoin("employments as e", (j) =>
      j
        .onRef("e.resident_id", "=", "r.id")
        .on("e.organisation_id", "=", organisationId)
        .on("e.left_on", "is", null),
    )
    .where(
      sql<SqlBool>`r.id IN (
        SELECT e2.resident_id FROM employments e2 WHERE e2.organisation_id = ${organisationId} AND e2.left_on IS NULL
        UNION SELECT r2.id FROM residents r2 WHERE r2.employer_id = ${organisationId})`,
    )
    .select([
      "r.id as resident_id",
      "e.id as employment_id",
      "e.hired_on",
      "e.left_on",
      "e.position",
      "e.source",
      sql<boolean>`true`.as("current"),
    ]);
  const former = db
    .selectFrom("employments as e")
    .innerJoin("residents as r", "r.id", "e.resident_id")
    .where("e.organisation_id", "=", organisationId)
    .where("e.left_on", "is not", null)
    .select([
      "r.id as resident_id",
      "e.id as employment_id",
      "e.hired_on",
      "e.left_on",
      "e.position",
      "e.source",
      sql<boolean>`false`.as("current"),
    ]);
  const rows =
    f.status === "current" ? current : f.status === "left" ? former : current.unionAll(former);
  let q = db
    .selectFrom(rows.as("x"))
    .innerJoin("residents as p", "p.id", "x.resident_id")
    .leftJoin("units as u", (j) =>
      j.onRef("u.id", "=", "p.unit_id").on("u.landlord_organisation_id", "=", organisationId),
    );
  if (f.q) q = q.where("p.name", "like", containsPattern(f.q));
  if (f.residentId) q = q.where("p.id", "=", f.residentId);
  const desc = f.sort.startsWith("-");
  const key = desc ? f.sort.slice(1) : f.sort;
  const dir = sql.raw(desc ? "DESC" : "ASC");
  const order =
    key === "name"
      ? sql`p.name ${dir}`
      : key === "leftOn"
        ? sql`x.left_on ${dir} NULLS LAST`
        : sql`x.hired_on ${dir} NULLS LAST`;
  const [items, total] = await Promise.all([
    q
      .select([
        "x.resident_id",
        "x.employment_id",
        "x.hired_on",
        "x.left_on",
        "x.position",
        "x.source",
        "x.current",
        "p.name",
        "p.id_number_masked",
        "p.gender",
        "p.birth_date",
        "p.origin_province",
        "p.origin_city",
        "p.phone_masked",
        "u.id as dorm_unit_id",
        "u.address as dorm_address",
      ])
      .orderBy(order)
      .orderBy("x.resident_id")
      .orderBy("x.employment_id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type EmployeeRow = Awaited<ReturnType<typeof listEmployees>>["items"][number];

/** Headcount by province of origin (current employees), largest first. */
export function headcountByOrigin(db: Db, organisationId: string) {
  return db
    .selectFrom("residents as r")
    .where(
      sql<SqlBool>`r.id IN (
        SELECT e.resident_id FROM employments e WHERE e.organisation_id = ${organisationId} AND e.left_on IS NULL
        UNION SELECT r2.id FROM residents r2 WHERE r2.employer_id = ${organisationId})`,
    )
    .select(["r.origin_province as province", sql<number>`count(*)::int`.as("n")])
    .groupBy("r.origin_province")
    .orderBy(sql`count(*)`, "desc")
    .orderBy("r.origin_province")
    .execute();
}

/** Hires and leavers per month ("YYYY-MM") from `from` (a first of month) on. */
export async function movementsByMonth(db: Db, organisationId: string, from: string) {
  const [hires, leavers] = await Promise.all([
    db
      .selectFrom("employments")
      .select([
        sql<string>`to_char(hired_on, 'YYYY-MM')`.as("month"),
        sql<number>`count(*)::int`.as("n"),
      ])
      .where("organisation_id", "=", organisationId)
      .where("hired_on", ">=", from)
      .groupBy(sql`to_char(hired_on, 'YYYY-MM')`)
      .execute(),
    db
      .selectFrom("employments")
      .select([
        sql<string>`to_char(left_on, 'YYYY-MM')`.as("month"),
        sql<number>`count(*)::int`.as("n"),
      ])
      .where("organisation_id", "=", organisationId)
      .where("left_on", ">=", from)
      .groupBy(sql`to_char(left_on, 'YYYY-MM')`)
      .execute(),
  ]);
  return { hires, leavers };
}

/** The residents behind these ID-number blind indexes. */
export function residentsByIdIndexes(db: Db, indexes: string[]) {
  if (indexes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("residents")
    .select(["id", "name", "id_number_index", "employer_id"])
    .where(sql<SqlBool>`id_number_index = any(${indexes}::text[])`)
    .execute();
}

export function findResident(db: Db, id: string) {
  return db
    .selectFrom("residents")
    .select(["id", "name", "employer_id", "unit_id"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export type NewResidentRow = {
  name: string;
  id_number_enc: string;
  id_number_index: string;
  id_number_masked: string;
  gender: "male" | "female";
  birth_date: string;
  region_code: string;
  origin_province: string;
  origin_city: string | null;
  phone_enc: string | null;
  phone_index: string | null;
  phone_masked: string | null;
  area_path: string | null;
};

const RESIDENT_TYPES: ColumnTypes<NewResidentRow> = {
  name: "text",
  id_number_enc: "text",
  id_number_index: "text",
  id_number_masked: "text",
  gender: "text",
  birth_date: "date",
  region_code: "text",
  origin_province: "text",
  origin_city: "text",
  phone_enc: "text",
  phone_index: "text",
  phone_masked: "text",
  area_path: "text",
};

/**
 * New residents in one statement; a person already known by ID number (the
 * blind index) is skipped, so two writers racing create one record.
 */
export async function insertResidents(db: Db, rows: NewResidentRow[]) {
  if (rows.length === 0) return [];
  const { columns, select } = jsonRows(RESIDENT_TYPES, rows);
  const r = await sql<{ id: string; id_number_index: string }>`
    INSERT INTO residents (${columns}) ${select}
    ON CONFLICT (id_number_index) DO NOTHING
    RETURNING id, id_number_index`.execute(db);
  return r.rows;
}

/** Every employment of these residents at the enterprise, oldest hire first. */
export function employmentsOf(db: Db, organisationId: string, residentIds: string[]) {
  if (residentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("employments")
    .select(["id", "resident_id", "hired_on", "left_on", "position"])
    .where("organisation_id", "=", organisationId)
    .where(sql<SqlBool>`resident_id = any(${residentIds}::bigint[])`)
    .orderBy("resident_id")
    .orderBy("hired_on")
    .orderBy("id")
    .execute();
}

export type NewEmployment = {
  organisation_id: string;
  resident_id: string;
  hired_on: string;
  left_on: string | null;
  position: string | null;
  source: "import" | "api" | "staff";
  created_by: string | null;
};

const EMPLOYMENT_TYPES: ColumnTypes<NewEmployment> = {
  organisation_id: "bigint",
  resident_id: "bigint",
  hired_on: "date",
  left_on: "date",
  position: "text",
  source: "text",
  created_by: "bigint",
};

export async function insertEmployments(db: Db, rows: NewEmployment[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    const { columns, select } = jsonRows(EMPLOYMENT_TYPES, rows.slice(i, i + 5000));
    await sql`INSERT INTO employments (${columns}) ${select}`.execute(db);
  }
}

export type EmploymentPatch = {
  id: string;
  hired_on: string;
  left_on: string | null;
  position: string | null;
};

/** Sets hire, leave and position of these employments in one statement. */
export async function updateEmployments(db: Db, rows: EmploymentPatch[]) {
  if (rows.length === 0) return;
  const { select } = jsonRows(
    { id: "bigint", hired_on: "date", left_on: "date", position: "text" },
    rows,
  );
  await sql`UPDATE employments e SET hired_on = x.hired_on, left_on = x.left_on,
      position = x.position, updated_at = now()
    FROM (${select}) AS x WHERE e.id = x.id`.execute(db);
}

/**
 * Keeps residents.employer_id on the current employer: the enterprise of
 * the latest open employment; with none, the employer stays unless it is
 * `organisationId` (whose employment just ended). Only changed rows are written.
 */
export async function syncEmployers(db: Db, organisationId: string, residentIds: string[]) {
  if (residentIds.length === 0) return;
  await sql`
    WITH target AS (
      SELECT r.id, coalesce(
        (SELECT e.organisation_id FROM employments e
          WHERE e.resident_id = r.id AND e.left_on IS NULL
          ORDER BY e.hired_on DESC, e.id DESC LIMIT 1),
        CASE WHEN r.employer_id = ${organisationId}::bigint THEN NULL ELSE r.employer_id END
      ) AS employer
      FROM residents r WHERE r.id = any(${residentIds}::bigint[])
    )
    UPDATE residents r SET employer_id = t.employer, version = r.version + 1, updated_at = now()
    FROM target t WHERE r.id = t.id AND r.employer_id IS DISTINCT FROM t.employer`.execute(db);
}

// ------------------------------------------------------------------ dormitories

const occupantsSql = sql<number>`(SELECT count(*)::int FROM residents r
    WHERE r.unit_id = u.id AND r.status <> 'departed')`;

/**
 * The overcrowding rule of housing/overcrowding.ts in SQL, for totals and the
 * filter: more occupants than declared, or too little floor area per person.
 * The rooms themselves are judged by assessOvercrowding; a test holds the two
 * to the same answer.
 */
function overcrowdedSql(minM2: number) {
  return sql<SqlBool>`(coalesce(${occupantsSql} > u.declared_capacity, false)
    OR (u.floor_area_m2 IS NOT NULL AND ${occupantsSql} > 0
      AND u.floor_area_m2 / ${occupantsSql} < ${minM2}))`;
}

function dormitories(db: Db, organisationId: string) {
  return db.selectFrom("units as u").where("u.landlord_organisation_id", "=", organisationId);
}

export async function dormitoryTotals(db: Db, organisationId: string, minM2: number) {
  const r = await db
    .selectFrom(
      dormitories(db, organisationId)
        .select([
          "u.declared_capacity",
          occupantsSql.as("occupants"),
          overcrowdedSql(minM2).as("overcrowded"),
        ])
        .as("d"),
    )
    .select([
      sql<number>`count(*)::int`.as("rooms"),
      sql<number>`coalesce(sum(d.declared_capacity), 0)::int`.as("capacity"),
      sql<number>`coalesce(sum(d.occupants), 0)::int`.as("occupants"),
      sql<number>`(count(*) FILTER (WHERE d.overcrowded))::int`.as("overcrowded_rooms"),
    ])
    .executeTakeFirstOrThrow();
  return r;
}

export async function listDormitoryRooms(
  db: Db,
  organisationId: string,
  f: {
    overcrowded?: boolean | undefined;
    q?: string | undefined;
    unitId?: string | undefined;
    limit: number;
    offset: number;
  },
  minM2: number,
) {
  let q = dormitories(db, organisationId);
  if (f.unitId) q = q.where("u.id", "=", f.unitId);
  if (f.overcrowded !== undefined)
    q = q.where(f.overcrowded ? overcrowdedSql(minM2) : sql<SqlBool>`NOT ${overcrowdedSql(minM2)}`);
  if (f.q) q = q.where("u.address", "like", addressPattern(f.q));
  const [items, total] = await Promise.all([
    q
      .select([
        "u.id",
        "u.address",
        "u.floor_area_m2",
        "u.declared_capacity",
        "u.area_path",
        occupantsSql.as("occupants"),
      ])
      .orderBy("u.address")
      .orderBy("u.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** Is the unit one of the enterprise's dormitory rooms? */
export function findDormitoryRoom(db: Db, organisationId: string, unitId: string) {
  return dormitories(db, organisationId)
    .select(["u.id", "u.address", "u.area_path"])
    .where("u.id", "=", unitId)
    .executeTakeFirst();
}

/**
 * The occupants of these rooms the caller may see by name (as the resident
 * list decides it: by area, as their employer, or themself), and whether
 * each is an employee of the enterprise.
 */
export function visibleOccupants(
  db: Db,
  scope: DataScope,
  organisationId: string,
  unitIds: string[],
) {
  if (unitIds.length === 0) return Promise.resolve([]);
  const parts: Expression<SqlBool>[] = [pathPrefixAny("r.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`r.employer_id IN (${sql.join(scope.organisationIds)})`);
  if (scope.selfUserId) parts.push(sql<SqlBool>`r.user_id = ${scope.selfUserId}`);
  return db
    .selectFrom("residents as r")
    .select([
      "r.id",
      "r.name",
      "r.unit_id",
      sql<boolean>`(r.employer_id = ${organisationId}::bigint OR EXISTS (
        SELECT 1 FROM employments e WHERE e.resident_id = r.id
          AND e.organisation_id = ${organisationId}::bigint AND e.left_on IS NULL))`.as("employee"),
    ])
    .where(sql<SqlBool>`r.unit_id = any(${unitIds}::bigint[])`)
    .where("r.status", "<>", "departed")
    .where(sql<SqlBool>`(${sql.join(parts, sql` OR `)})`)
    .orderBy("r.name")
    .orderBy("r.id")
    .execute();
}

/** Is the resident a current employee (an open employment, or named as employed here)? */
export async function isCurrentEmployee(db: Db, organisationId: string, residentId: string) {
  const r = await db
    .selectFrom("residents as r")
    .select("r.id")
    .where("r.id", "=", residentId)
    .where(
      sql<SqlBool>`(r.employer_id = ${organisationId}::bigint OR EXISTS (
        SELECT 1 FROM employments e WHERE e.resident_id = r.id
          AND e.organisation_id = ${organisationId}::bigint AND e.left_on IS NULL))`,
    )
    .executeTakeFirst();
  return r !== undefined;
}

// ------------------------------------------------------------------ case tasks

/** Open tasks given to the enterprise on live cases, the soonest due first. */
export async function openTasks(db: Db, organisationId: string, limit: number, offset: number) {
  const q = db
    .selectFrom("case_parties as p")
    .innerJoin("cases as c", "c.id", "p.case_id")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .where("p.organisation_id", "=", organisationId)
    .where("p.active", "=", true)
    .where("p.role", "=", "assist")
    .where("p.status", "=", "open")
    .where("c.status", "not in", ["closed", "withdrawn", "merged"]);
  const [items, total] = await Promise.all([
    q
      .select([
        "p.id as party_id",
        "p.task",
        "p.due_at",
        "p.created_at",
        "c.id as case_id",
        "c.code",
        "c.status",
        "cat.name as category",
      ])
      .orderBy(sql`p.due_at ASC NULLS LAST`)
      .orderBy("p.id")
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

// ------------------------------------------------------------------ seed reads

/** Every enterprise with its grid's id, path and boundary (for placing its head site). */
export function enterprisesForSeed(db: Db) {
  return db
    .selectFrom("organisations as o")
    .innerJoin("areas as g", "g.id", "o.area_id")
    .select([
      "o.id",
      "o.name",
      "o.industry",
      "o.size",
      "o.address",
      "o.area_id",
      "o.area_path",
      "g.boundary",
    ])
    .where("o.kind", "=", "enterprise")
    .orderBy("o.id")
    .execute();
}

/** Buildings holding an enterprise's dormitory rooms (its staff quarters, 员工宿舍). */
export function dormitoryBuildingsForSeed(db: Db) {
  return db
    .selectFrom("buildings as b")
    .innerJoin("units as u", "u.building_id", "b.id")
    .select([
      "b.id",
      "b.address",
      "b.estate",
      "b.building_no",
      "b.lng",
      "b.lat",
      "b.grid_id",
      "b.area_path",
      "u.landlord_organisation_id",
    ])
    .distinct()
    .where("u.landlord_organisation_id", "is not", null)
    .where("b.estate", "like", "%员工%")
    .orderBy("b.id")
    .execute();
}

/** Residents with their employer (null: none) and the dates a hire date must follow. */
export function residentsForSeed(db: Db) {
  return db
    .selectFrom("residents")
    .select(["id", "employer_id", "birth_date", "arrival_date", "status"])
    .orderBy("id")
    .execute();
}
