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
    .where("uscc", "in", codes)
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
] as const;

function visibleOrgs(db: Db, scope: { areaPaths: string[]; organisationIds: string[] }) {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("o.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`o.id IN (${sql.join(scope.organisationIds)})`);
  return db.selectFrom("organisations as o").where(sql<SqlBool>`(${sql.join(parts, sql` OR `)})`);
}

const employeesOf = sql<number>`(SELECT count(*)::int FROM residents r WHERE r.employer_id = o.id AND r.status <> 'departed')`;

export async function list(
  db: Db,
  scope: { areaPaths: string[]; organisationIds: string[] },
  f: {
    kind?: "enterprise" | "association" | undefined;
    q?: string | undefined;
    industry?: string | undefined;
    gridPath?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  let q = visibleOrgs(db, scope);
  if (f.kind) q = q.where("o.kind", "=", f.kind);
  if (f.industry) q = q.where("o.industry", "=", f.industry);
  if (f.gridPath) q = q.where("o.area_path", "like", `${f.gridPath}%`);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([eb("o.name", "like", like), eb("o.uscc", "like", like.toUpperCase())]),
    );
  }
  const [items, total] = await Promise.all([
    q
      .select([...ORG_COLUMNS, employeesOf.as("employees")])
      .orderBy("o.name")
      .orderBy("o.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type OrganisationRow = Awaited<ReturnType<typeof list>>["items"][number];

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
