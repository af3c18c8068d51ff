/**
 * Standard addresses and actual housing: buildings placed on the map and
 * assigned to their grid, units with their landlord, declared capacity and
 * floor area, and the overcrowding flags derived from who lives there.
 */
import type { Kysely, Transaction } from "kysely";
import { ageOn, todayInChina } from "../../../shared/dates.js";
import {
  ADDRESS_SEARCH_LIMIT,
  buildingAddress,
  normalizeAddress,
  parseBbox,
  UNIT_HISTORY_LIMIT,
  type Unit,
  type UnitDetail,
  type UnitMap,
  unitAddress,
} from "../../../shared/schemas/housing.js";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import { type Actor, canEditBaseData, dataScopeOf } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AreaLocator } from "../geo/areas.service.js";
import * as repo from "./housing.repository.js";
import { assessOvercrowding } from "./overcrowding.js";

export interface HousingDeps {
  db: Kysely<DB>;
  locator: AreaLocator;
  config: Config;
}

// The address rules live with the schemas: the web forms preview the same address.
export { buildingAddress, normalizeAddress, unitAddress };

function presentBuilding(
  b: NonNullable<Awaited<ReturnType<typeof repo.findBuilding>>>,
  grid: { code: string; name: string },
) {
  return {
    id: b.id,
    address: b.address,
    road: b.road,
    houseNumber: b.house_number,
    buildingNo: b.building_no,
    estate: b.estate,
    lng: b.lng,
    lat: b.lat,
    grid,
  };
}

export async function createBuilding(
  deps: HousingDeps,
  actor: Actor,
  input: {
    road: string;
    houseNumber: string;
    buildingNo?: string | undefined;
    estate?: string | undefined;
    lng: number;
    lat: number;
  },
  requestId: string,
) {
  const grid = await deps.locator.locate(input.lng, input.lat);
  if (!grid) {
    throw validation(
      "该位置不在本辖区任何网格内 / The location is not inside any grid of the district",
      [{ path: "body.lng", message: "outside the district" }],
    );
  }
  if (!canEditBaseData(actor, grid.path))
    throw forbidden("该位置不在您的管辖范围内 / The location is outside your area");
  const address = buildingAddress(input);
  return deps.db.transaction().execute(async (trx) => {
    if (await repo.findBuildingByAddress(trx, address)) {
      throw conflict(`地址已存在：${address} / The address already exists`, [
        { path: "body.houseNumber", message: "exists" },
      ]);
    }
    const b = await repo.insertBuilding(trx, {
      grid_id: grid.id,
      area_path: grid.path,
      road: normalizeAddress(input.road),
      house_number: normalizeAddress(input.houseNumber),
      building_no: input.buildingNo ? normalizeAddress(input.buildingNo) : null,
      estate: input.estate?.trim() || null,
      address,
      lng: input.lng,
      lat: input.lat,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "building.created",
        subjectType: "building",
        subjectId: b.id,
        details: { address },
      },
    );
    return presentBuilding(b, { code: grid.code, name: "" });
  });
}

export async function listBuildings(
  deps: HousingDeps,
  actor: Actor,
  f: { q?: string | undefined; gridPath?: string | undefined; limit: number; offset: number },
) {
  const r = await repo.listBuildings(deps.db, dataScopeOf(actor), {
    ...f,
    ...(f.q ? { q: normalizeAddress(f.q) } : {}),
  });
  return {
    items: r.items.map((b) =>
      presentBuilding(b, { code: b.area_path.split("/").filter(Boolean).pop() ?? "", name: "" }),
    ),
    total: r.total,
  };
}

export function presentUnit(u: repo.UnitRow, minM2: number): Unit {
  const floorArea = u.floor_area_m2 === null ? null : Number(u.floor_area_m2);
  return {
    id: u.id,
    address: u.address,
    unitNo: u.unit_no,
    floor: u.floor,
    floorAreaM2: floorArea,
    isRental: u.is_rental,
    declaredCapacity: u.declared_capacity,
    occupants: u.occupants,
    overcrowding: assessOvercrowding(
      { occupants: u.occupants, declaredCapacity: u.declared_capacity, floorAreaM2: floorArea },
      minM2,
    ),
    landlord: u.landlord_resident_id
      ? { kind: "resident", id: u.landlord_resident_id, name: u.landlord_resident_name ?? "" }
      : u.landlord_organisation_id
        ? {
            kind: "organisation",
            id: u.landlord_organisation_id,
            name: u.landlord_organisation_name ?? "",
          }
        : null,
    building: { id: u.building_id, lng: u.lng, lat: u.lat },
    gridPath: u.area_path,
  };
}

/** The standard-address lookup: addresses and unit ids only, for anyone
 *  signed in; who lives where stays behind the scoped unit routes. */
export function searchAddresses(deps: HousingDeps, q: string) {
  return repo.searchAddresses(deps.db, normalizeAddress(q), ADDRESS_SEARCH_LIMIT);
}

/**
 * Where a typed address is, from the standard addresses of buildings: for
 * reports that name a place but bring no coordinates (Open311 address_string).
 * Null when no building matches; a room or unit part after the building is ignored.
 */
export async function locateAddress(deps: Pick<HousingDeps, "db">, address: string) {
  const q = normalizeAddress(address);
  // The whole address, then without the room, then the house number alone.
  const tries = [q, /^.*[栋幢座]/u.exec(q)?.[0], /^.*?号/u.exec(q)?.[0]];
  for (const t of new Set(tries)) {
    if (!t || t.length < 4) continue;
    const b = await repo.findBuildingLike(deps.db, t);
    if (b) return { address: b.address, lat: Number(b.lat), lng: Number(b.lng) };
  }
  return null;
}

export async function listUnits(
  deps: HousingDeps,
  actor: Actor,
  f: Omit<repo.UnitFilter, "overcrowdedMinM2"> & { overcrowded?: boolean },
) {
  const { overcrowded, ...rest } = f;
  const min = deps.config.overcrowdingMinM2PerPerson;
  const r = await repo.listUnits(deps.db, dataScopeOf(actor), {
    ...rest,
    ...(rest.q ? { q: normalizeAddress(rest.q) } : {}),
    ...(overcrowded ? { overcrowdedMinM2: min } : {}),
  });
  return { items: r.items.map((u) => presentUnit(u, min)), total: r.total };
}

export async function getUnit(deps: HousingDeps, actor: Actor, id: string) {
  const u = await repo.findUnit(deps.db, dataScopeOf(actor), id);
  if (!u) throw notFound("房屋", "unit");
  return presentUnit(u, deps.config.overcrowdingMinM2PerPerson);
}

/**
 * One unit for its detail page: the list row plus its building and grid, the
 * residents living there now and the moves in and out (only residents the
 * caller may see), and whether the caller may edit it.
 */
export async function getUnitDetail(
  deps: HousingDeps,
  actor: Actor,
  id: string,
): Promise<UnitDetail> {
  const scope = dataScopeOf(actor);
  const u = await repo.findUnit(deps.db, scope, id);
  if (!u) throw notFound("房屋", "unit");
  const [place, occupants, history] = await Promise.all([
    repo.findUnitPlace(deps.db, id),
    repo.unitOccupants(deps.db, scope, id),
    repo.unitHistory(deps.db, scope, id, UNIT_HISTORY_LIMIT),
  ]);
  if (!place) throw notFound("房屋", "unit");
  const unit = presentUnit(u, deps.config.overcrowdingMinM2PerPerson);
  const today = todayInChina();
  return {
    ...unit,
    building: { ...unit.building, address: place.address, estate: place.estate },
    grid: { code: place.grid_code, name: place.grid_name },
    residents: occupants.map((r) => ({
      id: r.id,
      name: r.name,
      idNumber: r.id_number_masked,
      gender: r.gender,
      age: ageOn(r.birth_date, today),
      status: r.status,
      movedIn: r.moved_in,
    })),
    history: history.items.map((g) => ({
      id: g.id,
      resident: { id: g.resident_id, name: g.name },
      movedIn: g.moved_in,
      movedOut: g.moved_out,
      channel: g.channel,
    })),
    historyTotal: history.total,
    allowedActions: canEditBaseData(actor, u.area_path) ? ["edit"] : [],
  };
}

/**
 * Map cells are a quarter of a 256-pixel tile wide, so a cluster stands about
 * 64 px from the next at any zoom.
 */
const CELLS_PER_TILE = 4;
/** Below this zoom the map always shows clusters: single markers would pile up. */
export const MAP_UNIT_MIN_ZOOM = 15;
/** At most this many single units on the map; more in view stay clustered. */
export const MAP_UNIT_LIMIT = 1000;

/**
 * The units map (GET /api/units/map): the caller's units inside a box, with
 * the list's filters. Zoomed out it answers counts per cell (and how many are
 * overcrowded), computed by the database; zoomed in, once few enough are in
 * view, the units themselves. Either way the answer stays small however many
 * units the district has (40,000 in the medium demo), which is why the
 * clustering is done here and not by a browser plugin fed every point.
 */
export async function mapUnits(
  deps: HousingDeps,
  actor: Actor,
  f: {
    bbox: string;
    zoom: number;
    q?: string | undefined;
    gridPath?: string | undefined;
    rental?: boolean | undefined;
    overcrowded?: boolean | undefined;
  },
): Promise<UnitMap> {
  const bbox = parseBbox(f.bbox);
  if (!bbox) {
    throw validation("bbox 应为 西,南,东,北 / bbox must be west,south,east,north", [
      { path: "querystring.bbox", message: "invalid" },
    ]);
  }
  const min = deps.config.overcrowdingMinM2PerPerson;
  const filter: repo.UnitMapFilter = {
    bbox,
    overcrowdedOnly: f.overcrowded === true,
    overcrowdedMinM2: min,
    ...(f.q ? { q: normalizeAddress(f.q) } : {}),
    ...(f.gridPath ? { gridPath: f.gridPath } : {}),
    ...(f.rental !== undefined ? { rental: f.rental } : {}),
  };
  const scope = dataScopeOf(actor);
  const cellDeg = 360 / 2 ** f.zoom / CELLS_PER_TILE;
  const cells = await repo.unitMapCells(deps.db, scope, filter, cellDeg);
  const total = cells.reduce((n, c) => n + c.count, 0);
  const overcrowded = cells.reduce((n, c) => n + c.overcrowded, 0);
  if (f.zoom >= MAP_UNIT_MIN_ZOOM && total <= MAP_UNIT_LIMIT) {
    const points = await repo.unitMapPoints(deps.db, scope, filter, MAP_UNIT_LIMIT);
    return {
      mode: "units",
      total,
      overcrowded,
      clusters: [],
      units: points.map((p) => {
        const floorArea = p.floor_area_m2 === null ? null : Number(p.floor_area_m2);
        return {
          id: p.id,
          address: p.address,
          unitNo: p.unit_no,
          buildingId: p.building_id,
          lng: p.lng,
          lat: p.lat,
          isRental: p.is_rental,
          occupants: p.occupants,
          overcrowding: assessOvercrowding(
            {
              occupants: p.occupants,
              declaredCapacity: p.declared_capacity,
              floorAreaM2: floorArea,
            },
            min,
          ),
        };
      }),
    };
  }
  return {
    mode: "clusters",
    total,
    overcrowded,
    clusters: cells.map((c) => ({
      key: `${f.zoom}:${c.cx}:${c.cy}`,
      lng: c.lng,
      lat: c.lat,
      count: c.count,
      overcrowded: c.overcrowded,
      bbox: [c.west, c.south, c.east, c.north],
    })),
    units: [],
  };
}

type LandlordInput = { kind: "resident" | "organisation"; id: string } | null | undefined;

async function landlordColumns(deps: HousingDeps, landlord: LandlordInput) {
  if (landlord === undefined) return {};
  if (landlord === null) return { landlord_resident_id: null, landlord_organisation_id: null };
  if (!(await repo.landlordExists(deps.db, landlord.kind, landlord.id))) {
    throw validation("房东不存在 / The landlord does not exist", [
      { path: "body.landlord.id", message: "not found" },
    ]);
  }
  return landlord.kind === "resident"
    ? { landlord_resident_id: landlord.id, landlord_organisation_id: null }
    : { landlord_resident_id: null, landlord_organisation_id: landlord.id };
}

export async function createUnit(
  deps: HousingDeps,
  actor: Actor,
  input: {
    buildingId: string;
    unitNo: string;
    floor?: number | undefined;
    floorAreaM2?: number | undefined;
    isRental: boolean;
    declaredCapacity?: number | undefined;
    landlord?: LandlordInput;
  },
  requestId: string,
) {
  const building = await repo.findBuilding(deps.db, input.buildingId);
  if (!building || !canEditBaseData(actor, building.area_path)) {
    throw validation("楼栋不存在或不在您的管辖范围内 / Unknown building, or outside your area", [
      { path: "body.buildingId", message: "not found" },
    ]);
  }
  const landlord = await landlordColumns(deps, input.landlord);
  const address = unitAddress(building.address, input.unitNo);
  const id = await deps.db.transaction().execute(async (trx) => {
    if (await repo.findUnitIdByAddress(trx, address))
      throw conflict(`房屋已存在：${address} / The unit already exists`, [
        { path: "body.unitNo", message: "exists" },
      ]);
    const u = await repo.insertUnit(trx, {
      building_id: building.id,
      area_path: building.area_path,
      unit_no: normalizeAddress(input.unitNo),
      floor: input.floor ?? null,
      floor_area_m2: input.floorAreaM2 ?? null,
      address,
      is_rental: input.isRental,
      declared_capacity: input.declaredCapacity ?? null,
      landlord_resident_id: null,
      landlord_organisation_id: null,
      ...landlord,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      { action: "unit.created", subjectType: "unit", subjectId: u.id, details: { address } },
    );
    return u.id;
  });
  return getUnit(deps, actor, id);
}

export async function updateUnit(
  deps: HousingDeps,
  actor: Actor,
  id: string,
  patch: {
    floorAreaM2?: number | null | undefined;
    isRental?: boolean | undefined;
    declaredCapacity?: number | null | undefined;
    landlord?: LandlordInput;
  },
  requestId: string,
) {
  const before = await repo.findUnitRaw(deps.db, id);
  if (!before || !canEditBaseData(actor, before.area_path)) throw notFound("房屋", "unit");
  const landlord = await landlordColumns(deps, patch.landlord);
  const set = {
    ...(patch.floorAreaM2 !== undefined ? { floor_area_m2: patch.floorAreaM2 } : {}),
    ...(patch.isRental !== undefined ? { is_rental: patch.isRental } : {}),
    ...(patch.declaredCapacity !== undefined ? { declared_capacity: patch.declaredCapacity } : {}),
    ...landlord,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateUnit(trx, id, set);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "unit.updated",
        subjectType: "unit",
        subjectId: id,
        details: {
          from: {
            floorAreaM2: before.floor_area_m2,
            isRental: before.is_rental,
            declaredCapacity: before.declared_capacity,
            landlordResidentId: before.landlord_resident_id,
            landlordOrganisationId: before.landlord_organisation_id,
          },
          to: set,
        },
      },
    );
  });
  return getUnit(deps, actor, id);
}

/** A unit's placement and landlord, for other modules' rules (pass the trx as db). */
export function findUnitPlacement(deps: { db: Kysely<DB> }, id: string) {
  return repo.findUnitPlacement(deps.db, id);
}

/** Units by their standard address (pass the trx as db). */
export function findUnitsByAddresses(deps: { db: Kysely<DB> }, addresses: string[]) {
  return repo.findUnitsByAddresses(deps.db, addresses);
}

/**
 * After a grid is redrawn (inside that transaction, the locator already
 * holding the new boundary): every building in `box` is located again, and
 * those now in another grid move there with their units, residents and
 * organisations, so each grid worker keeps seeing exactly their grid.
 * Buildings that fall outside every grid stay where they were.
 */
export async function relocateBuildings(
  trx: Transaction<DB>,
  locator: AreaLocator,
  change: {
    actor: Actor;
    requestId: string;
    /** the grid that was redrawn */
    gridId: string;
    box: [number, number, number, number];
  },
) {
  const moves = new Map<
    string,
    { grid: { id: string; path: string; code: string }; ids: string[] }
  >();
  for (const b of await repo.buildingsInBox(trx, change.box)) {
    const grid = await locator.locateWithin(trx, b.lng, b.lat);
    if (!grid || grid.id === b.grid_id) continue;
    const m = moves.get(grid.id) ?? { grid, ids: [] };
    m.ids.push(b.id);
    moves.set(grid.id, m);
  }
  if (moves.size === 0) return { moved: 0 };
  let moved = 0;
  for (const m of moves.values()) {
    await repo.moveBuildings(trx, m.ids, m.grid);
    moved += m.ids.length;
  }
  await recordAudit(
    trx,
    { actor: change.actor, requestId: change.requestId },
    {
      action: "buildings.relocated",
      subjectType: "area",
      subjectId: change.gridId,
      details: {
        moved,
        toGrids: [...moves.values()].map((m) => ({ code: m.grid.code, buildings: m.ids.length })),
      },
    },
  );
  return { moved };
}

/**
 * Housing figures for other modules (the grid risk index, a grid's profile):
 * units, rental units and overcrowded units (the configured minimum floor
 * area per person) per grid path under `rootPath`.
 */
export async function unitFiguresByGrid(
  deps: { db: Kysely<DB>; config: Pick<Config, "overcrowdingMinM2PerPerson"> },
  rootPath: string,
): Promise<Map<string, { units: number; rental: number; overcrowded: number }>> {
  const rows = await repo.unitFiguresByArea(
    deps.db,
    rootPath,
    deps.config.overcrowdingMinM2PerPerson,
  );
  return new Map(
    rows.map((r) => [
      r.area_path,
      { units: r.units, rental: r.rental, overcrowded: r.overcrowded },
    ]),
  );
}
