/** SQL for departments and the areas they cover. */
import { type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DEPARTMENT_KINDS } from "../../../shared/schemas/areas.js";
import type { DB } from "../../db/schema.js";

type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

type Db = Kysely<DB> | Transaction<DB>;

export interface DepartmentFilter {
  kind?: DepartmentKind | undefined;
  q?: string | undefined;
  /** Departments covering this area or any area above it. */
  areaPath?: string | undefined;
  limit: number;
  offset: number;
}

export async function list(db: Db, f: DepartmentFilter) {
  let q = db.selectFrom("departments as d").innerJoin("areas as a", "a.id", "d.area_id");
  if (f.kind) q = q.where("d.kind", "=", f.kind);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb("d.name", "like", like), eb("d.code", "like", like)]));
  }
  if (f.areaPath) {
    const path = f.areaPath;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("department_areas as da")
          .innerJoin("areas as ca", "ca.id", "da.area_id")
          .whereRef("da.department_id", "=", "d.id")
          .where(sql<boolean>`${path} LIKE ca.path || '%'`),
      ),
    );
  }
  const [items, total] = await Promise.all([
    q
      .select([
        "d.id",
        "d.code",
        "d.name",
        "d.kind",
        "d.parent_id",
        "a.id as area_id",
        "a.code as area_code",
        "a.name as area_name",
      ])
      .orderBy("d.code")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export function coverageOf(db: Db, departmentIds: string[]) {
  if (departmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("department_areas as da")
    .innerJoin("areas as a", "a.id", "da.area_id")
    .select(["da.department_id", "a.id", "a.code", "a.name"])
    .where("da.department_id", "in", departmentIds)
    .orderBy("a.code")
    .execute();
}

export function insert(
  db: Db,
  row: {
    code: string;
    name: string;
    kind: DepartmentKind;
    parent_id: string | null;
    area_id: string;
    phone: string | null;
  },
) {
  return db
    .insertInto("departments")
    .values(row)
    .returning(["id", "code"])
    .executeTakeFirstOrThrow();
}

export async function addCoverage(db: Db, rows: { department_id: string; area_id: string }[]) {
  if (rows.length) await db.insertInto("department_areas").values(rows).execute();
}

export function findById(db: Db, id: string) {
  return db
    .selectFrom("departments as d")
    .innerJoin("areas as a", "a.id", "d.area_id")
    .select(["d.id", "d.code", "d.name", "d.kind", "a.path as area_path"])
    .where("d.id", "=", id)
    .executeTakeFirst();
}

/**
 * The most local department of `kind` whose coverage holds `areaPath`: the
 * longest covering area path wins, then the lowest id (the rule case routing
 * and everything that names "the department of that kind here" follows).
 */
export function ofKindCovering(db: Db, kind: string, areaPath: string) {
  return db
    .selectFrom("departments")
    .innerJoin("department_areas", "department_areas.department_id", "departments.id")
    .innerJoin("areas", "areas.id", "department_areas.area_id")
    .select(["departments.id", "departments.name"])
    .where("departments.kind", "=", kind as DB["departments"]["kind"])
    .where(sql<SqlBool>`${areaPath} LIKE areas.path || '%'`)
    .orderBy(sql`length(areas.path)`, "desc")
    .orderBy("departments.id")
    .executeTakeFirst();
}

/** The active accounts holding an officer grant on any of the departments. */
export async function activeOfficers(db: Db, departmentIds: readonly string[]) {
  if (departmentIds.length === 0) return [];
  const rows = await db
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select("role_grants.user_id")
    .distinct()
    .where("role_grants.role", "=", "department_officer")
    .where("role_grants.department_id", "in", departmentIds)
    .where("users.status", "=", "active")
    .execute();
  return rows.map((r) => r.user_id);
}
