/** SQL for organisations (enterprises and associations). */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

export function insert(
  db: Db,
  row: { kind: "enterprise" | "association"; name: string; area_id: string; area_path: string },
) {
  return db
    .insertInto("organisations")
    .values(row)
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}

export function findById(db: Db, id: string) {
  return db
    .selectFrom("organisations as o")
    .innerJoin("areas as a", "a.id", "o.area_id")
    .select(["o.id", "o.kind", "o.name", "a.path as area_path"])
    .where("o.id", "=", id)
    .executeTakeFirst();
}

export function findEnterprisesByUscc(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("organisations")
    .select(["id", "uscc", "name"])
    .where("kind", "=", "enterprise")
    .where(sql<SqlBool>`uscc = any(${codes}::text[])`)
    .execute();
}

const ORG_COLUMNS = [
  "o.id",
  "o.kind",
  "o.name",
  "o.uscc",
  "o.address",
  "o.industry",
  "o.size",
  "o.legal_representative",
  "o.safety_officer",
  "o.safety_officer_phone_masked",
  "o.association_kind",
  "o.provinces",
  "o.dialects",
  "o.sectors",
  "o.area_path",
  "o.created_at",
  "g.code as grid_code",
  "g.name as grid_name",
] as const;

function visibleOrgs(db: Db, scope: { areaPaths: string[]; organisationIds: string[] }) {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("o.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`o.id IN (${sql.join(scope.organisationIds)})`);
  return db
    .selectFrom("organisations as o")
    .innerJoin("areas as g", "g.id", "o.area_id")
    .where(sql<SqlBool>`(${sql.join(parts, sql` OR `)})`);
}

const employeesOf = sql<number>`(SELECT count(*)::int FROM residents r WHERE r.employer_id = o.id AND r.status <> 'departed')`;

export async function list(
  db: Db,
  scope: { areaPaths: string[]; organisationIds: string[] },
  f: OrganisationFilter,
) {
  let q = visibleOrgs(db, scope);
  if (f.kind) q = q.where("o.kind", "=", f.kind);
  if (f.industry) q = q.where("o.industry", "=", f.industry);
  if (f.associationKind) q = q.where("o.association_kind", "=", f.associationKind);
  if (f.size) q = q.where("o.size", "=", f.size);
  if (f.gridPath) q = q.where("o.area_path", "like", `${f.gridPath}%`);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([eb("o.name", "like", like), eb("o.uscc", "like", like.toUpperCase())]),
    );
  }
  const sort = f.sort ?? "name";
  const desc = sort.startsWith("-");
  const key = desc ? sort.slice(1) : sort;
  const orderBy =
    key === "employees" ? sql`employees` : key === "createdAt" ? sql`o.created_at` : sql`o.name`;
  const [items, total] = await Promise.all([
    q
      .select([...ORG_COLUMNS, employeesOf.as("employees")])
      .orderBy(orderBy, desc ? "desc" : "asc")
      .orderBy("o.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export interface OrganisationFilter {
  kind?: "enterprise" | "association" | undefined;
  q?: string | undefined;
  industry?: string | undefined;
  associationKind?: "hometown" | "trade" | "new_citizen" | "social" | undefined;
  size?: "micro" | "small" | "medium" | "large" | undefined;
  gridPath?: string | undefined;
  sort?: "name" | "-name" | "employees" | "-employees" | "createdAt" | "-createdAt" | undefined;
  limit: number;
  offset: number;
}

export type OrganisationRow = Awaited<ReturnType<typeof list>>["items"][number];

/** The industries of the organisations in scope, most common first. */
export function industries(db: Db, scope: { areaPaths: string[]; organisationIds: string[] }) {
  return visibleOrgs(db, scope)
    .where("o.industry", "is not", null)
    .select(["o.industry", sql<number>`count(*)::int`.as("n")])
    .groupBy("o.industry")
    .orderBy(sql`count(*)`, "desc")
    .orderBy("o.industry")
    .limit(200)
    .execute();
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

/** How many units name the organisation as their landlord. */
export async function countLandlordUnits(db: Db, id: string): Promise<number> {
  const r = await db
    .selectFrom("units")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("landlord_organisation_id", "=", id)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The row as stored (for updates: the phone stays encrypted). */
export function findForUpdate(db: Db, id: string) {
  return db
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function update(db: Db, id: string, patch: Partial<NewOrganisation>) {
  await db
    .updateTable("organisations")
    .set({ ...patch, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

export function findVisible(
  db: Db,
  scope: { areaPaths: string[]; organisationIds: string[] },
  id: string,
) {
  return visibleOrgs(db, scope)
    .select([...ORG_COLUMNS, employeesOf.as("employees")])
    .where("o.id", "=", id)
    .executeTakeFirst();
}

export function findByUscc(db: Db, uscc: string) {
  return db.selectFrom("organisations").select("id").where("uscc", "=", uscc).executeTakeFirst();
}

export interface NewOrganisation {
  kind: "enterprise" | "association";
  name: string;
  uscc: string | null;
  area_id: string;
  area_path: string;
  address: string | null;
  industry: string | null;
  size: "micro" | "small" | "medium" | "large" | null;
  legal_representative: string | null;
  safety_officer: string | null;
  safety_officer_phone_enc: string | null;
  safety_officer_phone_masked: string | null;
  association_kind: "hometown" | "trade" | "new_citizen" | "social" | null;
  provinces: string[];
  dialects: string[];
  sectors: string[];
}

/** Many rows at once, as multi-row VALUES of at most 1,000 rows (the array
 *  columns rule out unnest). Answers each row's id with its name. */
export async function insertMany(db: Db, rows: NewOrganisation[]) {
  const out: { id: string; name: string }[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    out.push(
      ...(await db.insertInto("organisations").values(chunk).returning(["id", "name"]).execute()),
    );
  }
  return out;
}

export function insertFull(db: Db, row: NewOrganisation) {
  return db.insertInto("organisations").values(row).returning("id").executeTakeFirstOrThrow();
}

/** Organisations of any kind holding one of the codes. */
export function findByUsccs(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("organisations")
    .select(["id", "uscc", "name", "kind"])
    .where(sql<SqlBool>`uscc = any(${codes}::text[])`)
    .execute();
}

export function findAssociationsByNames(db: Db, names: string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("organisations")
    .select(["id", "name"])
    .where("kind", "=", "association")
    .where("name", "in", names)
    .execute();
}

/** Enterprises and associations registered per area path under `rootPath`. */
export async function countsByArea(db: Db, rootPath: string) {
  const r = await sql<{ area_path: string; enterprises: number; associations: number }>`
    SELECT area_path, (count(*) FILTER (WHERE kind = 'enterprise'))::int AS enterprises,
      (count(*) FILTER (WHERE kind = 'association'))::int AS associations
    FROM organisations WHERE area_path LIKE ${`${rootPath}%`}
    GROUP BY area_path`.execute(db);
  return r.rows;
}
