/** SQL for residents (actual population) and their residence registrations. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import { bulkInsert, type ColumnTypes, jsonRows } from "../../db/bulk-insert.js";
import type { DB } from "../../db/schema.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";
import type { DataScope } from "../access/access.policy.js";

type Db = Kysely<DB> | Transaction<DB>;

function visible(scope: DataScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("r.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`r.employer_id IN (${sql.join(scope.organisationIds)})`);
  if (scope.selfUserId) parts.push(sql<SqlBool>`r.user_id = ${scope.selfUserId}`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

const COLUMNS = [
  "r.id",
  "r.name",
  "r.id_number_masked",
  "r.gender",
  "r.birth_date",
  "r.region_code",
  "r.origin_province",
  "r.origin_city",
  "r.phone_masked",
  "r.arrival_date",
  "r.status",
  "r.registered_since",
  "r.area_path",
  "r.unit_id",
  "r.employer_id",
  "r.user_id",
  "r.version",
  "r.created_at",
  "u.address as unit_address",
  "o.name as employer_name",
] as const;

function base(db: Db, scope: DataScope) {
  return db
    .selectFrom("residents as r")
    .leftJoin("units as u", "u.id", "r.unit_id")
    .leftJoin("organisations as o", "o.id", "r.employer_id")
    .where(visible(scope));
}

export interface ResidentFilter {
  q?: string | undefined;
  gridPath?: string | undefined;
  unitId?: string | undefined;
  employerId?: string | undefined;
  status?: "registered" | "permit_holder" | "departed" | undefined;
  originProvince?: string | undefined;
  idNumberIndex?: string | undefined;
  /** registered without a break since this date or earlier */
  registeredSinceOnOrBefore?: string | undefined;
  sort: "name" | "-name" | "registeredSince" | "-registeredSince" | "createdAt" | "-createdAt";
  limit: number;
  offset: number;
}

export async function list(db: Db, scope: DataScope, f: ResidentFilter) {
  let q = base(db, scope);
  if (f.q) q = q.where("r.name", "like", containsPattern(f.q));
  if (f.gridPath) q = q.where("r.area_path", "=", f.gridPath);
  if (f.unitId) q = q.where("r.unit_id", "=", f.unitId);
  if (f.employerId) q = q.where("r.employer_id", "=", f.employerId);
  if (f.status) q = q.where("r.status", "=", f.status);
  if (f.originProvince) q = q.where("r.origin_province", "=", f.originProvince);
  if (f.idNumberIndex) q = q.where("r.id_number_index", "=", f.idNumberIndex);
  if (f.registeredSinceOnOrBefore) {
    q = q
      .where("r.status", "=", "registered")
      .where("r.registered_since", "<=", f.registeredSinceOnOrBefore);
  }
  const desc = f.sort.startsWith("-");
  const key = desc ? f.sort.slice(1) : f.sort;
  const col =
    key === "name" ? "r.name" : key === "registeredSince" ? "r.registered_since" : "r.created_at";
  const [items, total] = await Promise.all([
    q
      .select(COLUMNS)
      .orderBy(col, desc ? "desc" : "asc")
      .orderBy("r.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type ResidentRow = Awaited<ReturnType<typeof list>>["items"][number];

export function findVisible(db: Db, scope: DataScope, id: string) {
  return base(db, scope).select(COLUMNS).where("r.id", "=", id).executeTakeFirst();
}

/** One resident with the same columns as the lists, whatever the scope (for answers right after a write). */
export function findRow(db: Db, id: string) {
  return db
    .selectFrom("residents as r")
    .leftJoin("units as u", "u.id", "r.unit_id")
    .leftJoin("organisations as o", "o.id", "r.employer_id")
    .select(COLUMNS)
    .where("r.id", "=", id)
    .executeTakeFirst();
}

export function findById(db: Db, id: string) {
  return db.selectFrom("residents").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findByIdNumberIndex(db: Db, index: string) {
  return db
    .selectFrom("residents")
    .selectAll()
    .where("id_number_index", "=", index)
    .executeTakeFirst();
}

export function findByUserId(db: Db, userId: string) {
  return db.selectFrom("residents").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export type NewResident = {
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
  arrival_date: string | null;
  employer_id: string | null;
  user_id: string | null;
};

export function insert(db: Db, r: NewResident & { area_path?: string | null }) {
  return db.insertInto("residents").values(r).returning("id").executeTakeFirstOrThrow();
}

export type ResidentBulkRow = NewResident & {
  unit_id: string | null;
  area_path: string | null;
  registered_since: string | null;
  status?: "registered" | "permit_holder" | "departed";
};

const RESIDENT_TYPES: ColumnTypes<Required<ResidentBulkRow>> = {
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
  arrival_date: "date",
  employer_id: "bigint",
  user_id: "bigint",
  unit_id: "bigint",
  area_path: "text",
  registered_since: "date",
  status: "text",
};

export async function insertMany(db: Db, rows: ResidentBulkRow[]) {
  return bulkInsert(
    db,
    "residents",
    RESIDENT_TYPES,
    rows.map((r) => ({ ...r, status: r.status ?? "registered" })),
    ["id", "id_number_index"] as const,
  );
}

/**
 * Imported residents with their registrations, in one statement: people whose
 * ID number is already known (the blind index) are skipped, so importing a
 * file again — or two imports racing — changes nothing. A row with a unit
 * gets an open registration from `registered_since`. Returns how many were new.
 */
export async function importMany(
  db: Db,
  rows: ResidentBulkRow[],
  registeredBy: string | null,
): Promise<number> {
  if (rows.length === 0) return 0;
  // Imported people are registered (the column's default): no per-row copy
  // to add a status.
  const { status: _, ...types } = RESIDENT_TYPES;
  const { columns, select } = jsonRows(types, rows);
  const result = await sql<{ inserted: string }>`
    WITH ins AS (
      INSERT INTO residents (${columns}) ${select}
      ON CONFLICT (id_number_index) DO NOTHING
      RETURNING id, unit_id, registered_since
    ), reg AS (
      INSERT INTO residence_registrations (resident_id, unit_id, moved_in, channel, registered_by)
      SELECT id, unit_id, registered_since, 'import', ${registeredBy}::bigint
      FROM ins WHERE unit_id IS NOT NULL
    )
    SELECT count(*) AS inserted FROM ins`.execute(db);
  return Number(result.rows[0]?.inserted ?? 0);
}

export async function setHome(
  db: Db,
  id: string,
  home: {
    unit_id: string | null;
    area_path: string | null;
    registered_since: string | null;
    status: "registered" | "permit_holder" | "departed";
  },
) {
  await db
    .updateTable("residents")
    .set({ ...home, version: sql`version + 1`, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

export function openRegistration(db: Db, residentId: string) {
  return db
    .selectFrom("residence_registrations")
    .selectAll()
    .where("resident_id", "=", residentId)
    .where("moved_out", "is", null)
    .executeTakeFirst();
}

export async function closeRegistration(db: Db, id: string, movedOut: string) {
  await db
    .updateTable("residence_registrations")
    .set({ moved_out: movedOut })
    .where("id", "=", id)
    .execute();
}

export async function insertRegistration(
  db: Db,
  r: {
    resident_id: string;
    unit_id: string;
    moved_in: string;
    channel: "self" | "grid_worker" | "landlord" | "enterprise" | "import" | "staff";
    registered_by: string | null;
  },
) {
  await db.insertInto("residence_registrations").values(r).execute();
}

/** Many registrations in one statement; a past one carries its moved_out. */
export async function insertRegistrations(
  db: Db,
  rows: (Parameters<typeof insertRegistration>[1] & { moved_out?: string | null })[],
) {
  await bulkInsert(
    db,
    "residence_registrations",
    {
      resident_id: "bigint",
      unit_id: "bigint",
      moved_in: "date",
      moved_out: "date",
      channel: "text",
      registered_by: "bigint",
    },
    rows,
  );
}

/** Links a resident to the account with this username (the resident's own login). */
export async function linkAccount(db: Db, residentId: string, username: string) {
  const r = await db
    .updateTable("residents")
    .set((eb) => ({
      user_id: eb.selectFrom("users").select("users.id").where("users.username", "=", username),
    }))
    .where("id", "=", residentId)
    .returning("user_id")
    .executeTakeFirst();
  return r?.user_id ?? null;
}

export function registrationsOf(db: Db, residentId: string) {
  return db
    .selectFrom("residence_registrations as g")
    .innerJoin("units as u", "u.id", "g.unit_id")
    .leftJoin("users as by", "by.id", "g.registered_by")
    .select([
      "g.id",
      "g.unit_id",
      "u.address",
      "g.moved_in",
      "g.moved_out",
      "g.channel",
      "by.display_name as registered_by",
    ])
    .where("g.resident_id", "=", residentId)
    .orderBy("g.moved_in", "desc")
    .orderBy("g.id", "desc")
    .execute();
}

export function secretsOf(db: Db, id: string) {
  return db
    .selectFrom("residents")
    .select(["id_number_enc", "phone_enc", "area_path", "user_id"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function existingIdIndexes(db: Db, indexes: string[]): Promise<Set<string>> {
  if (indexes.length === 0) return new Set();
  const rows = await db
    .selectFrom("residents")
    .select("id_number_index")
    .where(sql<SqlBool>`id_number_index = any(${indexes}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.id_number_index));
}

export async function updateResident(
  db: Db,
  id: string,
  patch: {
    user_id?: string | null;
    employer_id?: string | null;
    name?: string;
    phone_enc?: string | null;
    phone_index?: string | null;
    phone_masked?: string | null;
    arrival_date?: string | null;
    status?: "registered" | "permit_holder";
  },
) {
  await db
    .updateTable("residents")
    .set({ ...patch, version: sql`version + 1`, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

/** Resident ids by ID-number blind index, for the indexes that exist. */
export function idsByIdNumberIndexes(db: Db, indexes: string[]) {
  if (indexes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("residents")
    .select(["id", "id_number_index"])
    .where(sql<SqlBool>`id_number_index = any(${indexes}::text[])`)
    .execute();
}

/**
 * Current residents (not departed) per area path under `rootPath`, and of
 * them the new citizens: an arrival date recorded, or a household region
 * (from the ID number) outside the prefecture `prefecture` (4 digits).
 */
export async function residentFiguresByArea(db: Db, rootPath: string, prefecture: string) {
  const r = await sql<{ area_path: string; residents: number; new_citizens: number }>`
    SELECT area_path, count(*)::int AS residents,
      (count(*) FILTER (WHERE arrival_date IS NOT NULL OR left(region_code, 4) <> ${prefecture}))::int
        AS new_citizens
    FROM residents
    WHERE status <> 'departed' AND area_path LIKE ${`${rootPath}%`}
    GROUP BY area_path`.execute(db);
  return r.rows;
}
