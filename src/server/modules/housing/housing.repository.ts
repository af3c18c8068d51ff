/** SQL for standard addresses (buildings, units) and the housing facts on units. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import { bulkInsert } from "../../db/bulk-insert.js";
import type { DB } from "../../db/schema.js";
import { addressPattern, pathPrefixAny } from "../../db/scope-sql.js";
import type { DataScope } from "../access/access.policy.js";

type Db = Kysely<DB> | Transaction<DB>;

export function insertBuilding(
  db: Db,
  b: {
    grid_id: string;
    area_path: string;
    road: string;
    house_number: string;
    building_no: string | null;
    estate: string | null;
    address: string;
    lng: number;
    lat: number;
  },
) {
  return db.insertInto("buildings").values(b).returningAll().executeTakeFirstOrThrow();
}

export function findBuildingByAddress(db: Db, address: string) {
  return db.selectFrom("buildings").selectAll().where("address", "=", address).executeTakeFirst();
}

export function findBuilding(db: Db, id: string) {
  return db.selectFrom("buildings").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listBuildings(
  db: Db,
  scope: DataScope,
  f: { q?: string | undefined; gridPath?: string | undefined; limit: number; offset: number },
) {
  let q = db.selectFrom("buildings as b").where(pathPrefixAny("b.area_path", scope.areaPaths));
  if (f.gridPath) q = q.where("b.area_path", "=", f.gridPath);
  if (f.q) q = q.where("b.address", "like", addressPattern(f.q));
  const [items, total] = await Promise.all([
    q.selectAll("b").orderBy("b.address").limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** Residents currently living in the unit (not departed). */
const occupantsOf = sql<number>`(SELECT count(*)::int FROM residents r WHERE r.unit_id = u.id AND r.status <> 'departed')`;

function unitsVisible(scope: DataScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("u.area_path", scope.areaPaths)];
  if (scope.organisationIds.length) {
    parts.push(sql<SqlBool>`u.landlord_organisation_id IN (${sql.join(scope.organisationIds)})`);
  }
  if (scope.selfUserId) {
    parts.push(
      sql<SqlBool>`u.id IN (SELECT unit_id FROM residents WHERE user_id = ${scope.selfUserId})`,
    );
  }
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

function unitQuery(db: Db, scope: DataScope) {
  return db
    .selectFrom("units as u")
    .innerJoin("buildings as b", "b.id", "u.building_id")
    .leftJoin("residents as lr", "lr.id", "u.landlord_resident_id")
    .leftJoin("organisations as lo", "lo.id", "u.landlord_organisation_id")
    .where(unitsVisible(scope));
}

const UNIT_COLUMNS = [
  "u.id",
  "u.address",
  "u.unit_no",
  "u.floor",
  "u.floor_area_m2",
  "u.is_rental",
  "u.declared_capacity",
  "u.area_path",
  "u.landlord_resident_id",
  "u.landlord_organisation_id",
  "lr.name as landlord_resident_name",
  "lo.name as landlord_organisation_name",
  "b.id as building_id",
  "b.lng",
  "b.lat",
] as const;

/**
 * The overcrowding rule of overcrowding.ts in SQL, over the units row `unit`
 * (alias) and an occupant count: more occupants than declared, or too little
 * floor area per occupant.
 */
function overcrowdedSql(unit: string, occupants: Expression<number>, minM2: number) {
  const cap = sql.ref(`${unit}.declared_capacity`);
  const area = sql.ref(`${unit}.floor_area_m2`);
  return sql<SqlBool>`(coalesce(${occupants} > ${cap}, false)
    OR (${area} IS NOT NULL AND ${occupants} > 0 AND ${area} / ${occupants} < ${minM2}))`;
}

export interface UnitFilter {
  q?: string | undefined;
  gridPath?: string | undefined;
  buildingId?: string | undefined;
  rental?: boolean | undefined;
  landlordOrganisationId?: string | undefined;
  overcrowdedMinM2?: number | undefined;
  sort: "address" | "-address" | "occupants" | "-occupants";
  limit: number;
  offset: number;
}

export async function listUnits(db: Db, scope: DataScope, f: UnitFilter) {
  let q = unitQuery(db, scope);
  if (f.gridPath) q = q.where("u.area_path", "=", f.gridPath);
  if (f.buildingId) q = q.where("u.building_id", "=", f.buildingId);
  if (f.rental !== undefined) q = q.where("u.is_rental", "=", f.rental);
  if (f.landlordOrganisationId)
    q = q.where("u.landlord_organisation_id", "=", f.landlordOrganisationId);
  if (f.q) q = q.where("u.address", "like", addressPattern(f.q));
  if (f.overcrowdedMinM2 !== undefined) {
    q = q.where(overcrowdedSql("u", occupantsOf, f.overcrowdedMinM2));
  }
  const desc = f.sort.startsWith("-");
  const items = await q
    .select([...UNIT_COLUMNS, occupantsOf.as("occupants")])
    .orderBy(f.sort.endsWith("occupants") ? sql`occupants` : sql`u.address`, desc ? "desc" : "asc")
    .orderBy("u.id")
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = await q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return { items, total: total.n };
}

export type UnitRow = Awaited<ReturnType<typeof listUnits>>["items"][number];

/** Units whose standard address contains `q` (already normalised), any area. */
export async function searchAddresses(db: Db, q: string, limit: number) {
  const base = db.selectFrom("units as u").where("u.address", "like", addressPattern(q));
  const [items, total] = await Promise.all([
    base
      .select(["u.id", "u.address"])
      // The address as typed first, then the closest (shortest) ones.
      .orderBy(sql`u.address = ${q}`, "desc")
      .orderBy(sql`length(u.address)`)
      .orderBy("u.address")
      .limit(limit)
      .execute(),
    base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export function findUnit(db: Db, scope: DataScope, id: string) {
  return unitQuery(db, scope)
    .where("u.id", "=", id)
    .select([...UNIT_COLUMNS, occupantsOf.as("occupants")])
    .executeTakeFirst();
}

export function findUnitRaw(db: Db, id: string) {
  return db.selectFrom("units").selectAll().where("id", "=", id).executeTakeFirst();
}

export function insertUnit(
  db: Db,
  u: {
    building_id: string;
    area_path: string;
    unit_no: string;
    floor: number | null;
    floor_area_m2: number | null;
    address: string;
    is_rental: boolean;
    declared_capacity: number | null;
    landlord_resident_id: string | null;
    landlord_organisation_id: string | null;
  },
) {
  return db.insertInto("units").values(u).returning(["id"]).executeTakeFirstOrThrow();
}

export function updateUnit(
  db: Db,
  id: string,
  patch: Partial<{
    floor_area_m2: number | null;
    is_rental: boolean;
    declared_capacity: number | null;
    landlord_resident_id: string | null;
    landlord_organisation_id: string | null;
  }>,
) {
  return db
    .updateTable("units")
    .set({ ...patch, updated_at: new Date() })
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
}

export type NewBuilding = {
  grid_id: string;
  area_path: string;
  road: string;
  house_number: string;
  building_no: string | null;
  estate: string | null;
  address: string;
  lng: number;
  lat: number;
};

/** Many buildings in one statement; answers each row's id with its (unique) address. */
export function insertBuildings(db: Db, rows: NewBuilding[]) {
  return bulkInsert(
    db,
    "buildings",
    {
      grid_id: "bigint",
      area_path: "text",
      road: "text",
      house_number: "text",
      building_no: "text",
      estate: "text",
      address: "text",
      // numeric → double precision on insert; the shortest decimal of a double round-trips
      lng: "numeric",
      lat: "numeric",
    },
    rows,
    ["id", "address"] as const,
  );
}

export type NewUnit = Parameters<typeof insertUnit>[1];

/** Many units in one statement; answers each row's id with its (unique) address. */
export function insertUnits(db: Db, rows: NewUnit[]) {
  return bulkInsert(
    db,
    "units",
    {
      building_id: "bigint",
      area_path: "text",
      unit_no: "text",
      floor: "integer",
      floor_area_m2: "numeric",
      address: "text",
      is_rental: "boolean",
      declared_capacity: "integer",
      landlord_resident_id: "bigint",
      landlord_organisation_id: "bigint",
    },
    rows,
    ["id", "address"] as const,
  );
}

/** Sets the resident landlord of many units: unitIds[i] is let by residentIds[i]. */
export async function setResidentLandlords(db: Db, unitIds: string[], residentIds: string[]) {
  if (unitIds.length === 0) return;
  await sql`UPDATE units u SET landlord_resident_id = v.resident_id, landlord_organisation_id = NULL
    FROM unnest(${unitIds}::bigint[], ${residentIds}::bigint[]) AS v(unit_id, resident_id)
    WHERE u.id = v.unit_id`.execute(db);
}

/** Every grid with its boundary, for placing buildings inside them. */
export function gridsWithBoundary(db: Db) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "path", "boundary"])
    .where("level", "=", "grid")
    .where("boundary", "is not", null)
    .orderBy("code")
    .execute();
}

export function findUnitIdByAddress(db: Db, address: string) {
  return db.selectFrom("units").select("id").where("address", "=", address).executeTakeFirst();
}

export function findUnitPlacement(db: Db, id: string) {
  return db
    .selectFrom("units")
    .select(["id", "area_path", "landlord_organisation_id"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function findUnitsByAddresses(db: Db, addresses: string[]) {
  if (addresses.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("units")
    .select(["id", "address", "area_path"])
    .where(sql<SqlBool>`address = any(${addresses}::text[])`)
    .execute();
}

/** Whether the landlord a unit names exists (a resident or an organisation). */
export async function landlordExists(
  db: Db,
  kind: "resident" | "organisation",
  id: string,
): Promise<boolean> {
  const table = kind === "resident" ? "residents" : "organisations";
  return (
    (await db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()) !== undefined
  );
}

export function findBuildingsByAddresses(db: Db, addresses: string[]) {
  if (addresses.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("buildings")
    .select(["id", "address", "area_path"])
    .where(sql<SqlBool>`address = any(${addresses}::text[])`)
    .execute();
}

/** The part of a unit's detail beyond the list row: its building and grid. */
export function findUnitPlace(db: Db, unitId: string) {
  return db
    .selectFrom("units as u")
    .innerJoin("buildings as b", "b.id", "u.building_id")
    .innerJoin("areas as g", "g.id", "b.grid_id")
    .select(["b.address", "b.estate", "g.code as grid_code", "g.name as grid_name"])
    .where("u.id", "=", unitId)
    .executeTakeFirst();
}

/**
 * Which residents the caller may see, as the resident list decides it
 * (residents.repository.ts): by area path, as their employer, or themself.
 * A unit's occupants and history name only these.
 */
function residentVisible(scope: DataScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny("r.area_path", scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`r.employer_id IN (${sql.join(scope.organisationIds)})`);
  if (scope.selfUserId) parts.push(sql<SqlBool>`r.user_id = ${scope.selfUserId}`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** The residents living in a unit now, with the date of their open registration there. */
export function unitOccupants(db: Db, scope: DataScope, unitId: string) {
  return db
    .selectFrom("residents as r")
    .leftJoin("residence_registrations as g", (j) =>
      j
        .onRef("g.resident_id", "=", "r.id")
        .onRef("g.unit_id", "=", "r.unit_id")
        .on("g.moved_out", "is", null),
    )
    .select([
      "r.id",
      "r.name",
      "r.id_number_masked",
      "r.gender",
      "r.birth_date",
      "r.status",
      "g.moved_in",
    ])
    .where("r.unit_id", "=", unitId)
    .where("r.status", "<>", "departed")
    .where(residentVisible(scope))
    .orderBy("g.moved_in")
    .orderBy("r.id")
    .execute();
}

/** A unit's residence registrations, latest move first, and how many there are. */
export async function unitHistory(db: Db, scope: DataScope, unitId: string, limit: number) {
  const q = db
    .selectFrom("residence_registrations as g")
    .innerJoin("residents as r", "r.id", "g.resident_id")
    .where("g.unit_id", "=", unitId)
    .where(residentVisible(scope));
  const [items, total] = await Promise.all([
    q
      .select(["g.id", "g.moved_in", "g.moved_out", "g.channel", "r.id as resident_id", "r.name"])
      .orderBy(sql`coalesce(g.moved_out, g.moved_in)`, "desc")
      .orderBy("g.id", "desc")
      .limit(limit)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export interface UnitMapFilter {
  q?: string | undefined;
  gridPath?: string | undefined;
  rental?: boolean | undefined;
  /** Only overcrowded units. */
  overcrowdedOnly: boolean;
  overcrowdedMinM2: number;
  /** [west, south, east, north] */
  bbox: readonly [number, number, number, number];
}

/** The visible units inside the box that pass the filters, with occupants and the overcrowding flag. */
function mapUnits(db: Db, scope: DataScope, f: UnitMapFilter) {
  const [w, s, e, n] = f.bbox;
  let q = db
    .selectFrom("units as u")
    .innerJoin("buildings as b", "b.id", "u.building_id")
    .where(unitsVisible(scope))
    .where("b.lng", ">=", w)
    .where("b.lng", "<=", e)
    .where("b.lat", ">=", s)
    .where("b.lat", "<=", n);
  if (f.gridPath) q = q.where("u.area_path", "=", f.gridPath);
  if (f.rental !== undefined) q = q.where("u.is_rental", "=", f.rental);
  if (f.q) q = q.where("u.address", "like", addressPattern(f.q));
  // Occupants counted once per unit by a grouped scan of just these units' residents:
  // cheaper than one correlated count per unit when the box holds the whole district.
  const occupants = db
    .selectFrom("residents as r")
    .select(["r.unit_id", sql<number>`count(*)::int`.as("n")])
    .where("r.status", "<>", "departed")
    .where("r.unit_id", "in", q.select("u.id"))
    .groupBy("r.unit_id")
    .as("o");
  return db
    .with("v", () =>
      q
        .leftJoin(occupants, "o.unit_id", "u.id")
        .select([
          "u.id",
          "u.address",
          "u.unit_no",
          "u.is_rental",
          "u.declared_capacity",
          "u.floor_area_m2",
          "b.id as building_id",
          "b.lng",
          "b.lat",
          sql<number>`coalesce(o.n, 0)`.as("occupants"),
        ]),
    )
    .with("m", (c) =>
      c
        .selectFrom("v")
        .selectAll("v")
        .select(
          overcrowdedSql("v", sql<number>`v.occupants`, f.overcrowdedMinM2).as("overcrowded"),
        ),
    )
    .selectFrom("m")
    .$if(f.overcrowdedOnly, (x) => x.where("m.overcrowded", "=", true));
}

/**
 * Units in the box counted per square cell of `cellDeg` degrees, with how
 * many of them are overcrowded, their mean position and their extent.
 */
export function unitMapCells(db: Db, scope: DataScope, f: UnitMapFilter, cellDeg: number) {
  const cx = sql<number>`floor(m.lng / ${cellDeg})::int`;
  const cy = sql<number>`floor(m.lat / ${cellDeg})::int`;
  return (
    mapUnits(db, scope, f)
      .select([
        cx.as("cx"),
        cy.as("cy"),
        sql<number>`count(*)::int`.as("count"),
        sql<number>`(count(*) FILTER (WHERE m.overcrowded))::int`.as("overcrowded"),
        sql<number>`avg(m.lng)::float8`.as("lng"),
        sql<number>`avg(m.lat)::float8`.as("lat"),
        sql<number>`min(m.lng)`.as("west"),
        sql<number>`min(m.lat)`.as("south"),
        sql<number>`max(m.lng)`.as("east"),
        sql<number>`max(m.lat)`.as("north"),
      ])
      // By output name: the same expression twice would bind the cell size twice, and
      // PostgreSQL does not see floor(lng / $1) and floor(lng / $2) as one grouping.
      .groupBy([sql`cx`, sql`cy`])
      .orderBy("cx")
      .orderBy("cy")
      .execute()
  );
}

/** The units in the box themselves (at most `limit`), by address. */
export function unitMapPoints(db: Db, scope: DataScope, f: UnitMapFilter, limit: number) {
  return mapUnits(db, scope, f)
    .select([
      "m.id",
      "m.address",
      "m.unit_no",
      "m.is_rental",
      "m.declared_capacity",
      "m.floor_area_m2",
      "m.building_id",
      "m.lng",
      "m.lat",
      "m.occupants",
    ])
    .orderBy("m.address")
    .limit(limit)
    .execute();
}

/** Buildings whose point lies inside a bounding box [minLng, minLat, maxLng, maxLat]. */
export function buildingsInBox(db: Db, box: readonly [number, number, number, number]) {
  return db
    .selectFrom("buildings")
    .select(["id", "grid_id", "lng", "lat"])
    .where("lng", ">=", box[0])
    .where("lat", ">=", box[1])
    .where("lng", "<=", box[2])
    .where("lat", "<=", box[3])
    .execute();
}

/**
 * Moves buildings into another grid, and with them everything located
 * through them: their units, the residents registered in those units and
 * the organisations at those units.
 */
export async function moveBuildings(
  db: Db,
  buildingIds: string[],
  grid: { id: string; path: string },
) {
  if (buildingIds.length === 0) return;
  await db
    .updateTable("buildings")
    .set({ grid_id: grid.id, area_path: grid.path })
    .where("id", "in", buildingIds)
    .execute();
  await db
    .updateTable("units")
    .set({ area_path: grid.path })
    .where("building_id", "in", buildingIds)
    .execute();
  const units = db.selectFrom("units").select("id").where("building_id", "in", buildingIds);
  await db
    .updateTable("residents")
    .set({ area_path: grid.path })
    .where("unit_id", "in", units)
    .execute();
  await db
    .updateTable("organisations")
    .set({ area_path: grid.path, area_id: grid.id })
    .where("unit_id", "in", units)
    .execute();
}

/** The building a typed address most likely means: the exact address, else the shortest containing it. */
export function findBuildingLike(db: Db, q: string) {
  return db
    .selectFrom("buildings as b")
    .select(["b.id", "b.address", "b.lat", "b.lng"])
    .where("b.address", "like", addressPattern(q))
    .orderBy(sql`b.address = ${q}`, "desc")
    .orderBy(sql`length(b.address)`)
    .orderBy("b.address")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Units, rental units and overcrowded units (the rule of overcrowding.ts) per
 * area path of the units under `rootPath` (a unit's path is its grid's).
 */
export async function unitFiguresByArea(db: Db, rootPath: string, minM2: number) {
  const occupants = db
    .selectFrom("residents as r")
    .select(["r.unit_id", sql<number>`count(*)::int`.as("n")])
    .where("r.status", "<>", "departed")
    .where("r.area_path", "like", `${rootPath}%`)
    .groupBy("r.unit_id")
    .as("o");
  return db
    .selectFrom("units as u")
    .leftJoin(occupants, "o.unit_id", "u.id")
    .select([
      "u.area_path",
      sql<number>`count(*)::int`.as("units"),
      sql<number>`(count(*) FILTER (WHERE u.is_rental))::int`.as("rental"),
      sql<number>`(count(*) FILTER (WHERE ${overcrowdedSql("u", sql<number>`coalesce(o.n, 0)`, minM2)}))::int`.as(
        "overcrowded",
      ),
    ])
    .where("u.area_path", "like", `${rootPath}%`)
    .groupBy("u.area_path")
    .execute();
}
