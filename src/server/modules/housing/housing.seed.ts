/**
 * Standard addresses and actual housing of the demo district: estates of
 * flats (小区), older estates (新村), rental blocks of small rooms (公寓),
 * enterprise dormitories (员工宿舍) and self-built houses let room by room
 * (民房出租), on the real roads of each street, placed inside their grid.
 * Dormitories belong to their enterprise; other lets get a resident landlord
 * once residents exist (seedLandlords), or a property company.
 *
 * Nothing is placed in the demo grid worker's grid (the first grid of
 * 狮山街道 by code): the API tests start from an empty grid there.
 */
import { type Random, weightedPicker } from "../../seed/random.js";
import type { Scale, SeedContext } from "../../seed/seed-context.js";
import {
  type Boundary,
  boundaryBbox,
  boundaryInteriorPoint,
  pointInBoundary,
} from "../geo/geometry.js";
import * as repo from "./housing.repository.js";
import { buildingAddress, unitAddress } from "./housing.service.js";

/** Units ≈ residents / 2.5 (residents.seed.ts seeds 2,000 / 100,000 / 1,000,000). */
const UNIT_COUNT: Record<Scale, number> = { small: 800, medium: 40_000, large: 400_000 };
/** Fewer buildings per estate in the small district, so one estate is not a third of it. */
const PROJECT_SCALE: Record<Scale, number> = { small: 0.35, medium: 1, large: 1 };
const BATCH = 10_000;
/** The demo enterprise's dormitories: 2 buildings × 2 floors × 5 rooms. */
const DEMO_DORMITORY = { buildings: 2, floors: 2, perFloor: 5 };

/** Real roads of each street of 虎丘区 (a road may cross several streets). */
const STREET_ROADS: Readonly<Record<string, readonly string[]>> = {
  "320505001": ["珠江路", "横山路", "晋源路", "泰山路", "滨河路"],
  "320505002": ["狮山路", "长江路", "玉山路", "竹园路", "金山路", "邓尉路", "何山路", "塔园路"],
  "320505003": ["运河路", "华山路", "嵩山路", "马运路", "枫津路", "金枫路", "枫桥路", "金山路"],
  "320505004": ["太湖大道", "石帆路", "绣品街", "上山路"],
  "320505101": ["通安路", "华金路", "真山路", "树山路", "金墅路", "石阳路"],
  "320505400": ["浒杨路", "青花路", "鸿禧路", "兴贤路", "阳山环路", "石林路", "大同路", "长亭路"],
  "320505405": ["竹园路", "锦峰路", "火炬路", "向阳路", "长江路"],
  "320505407": [
    "科灵路",
    "青城山路",
    "鹿山路",
    "龙山路",
    "嘉陵江路",
    "漓江路",
    "建林路",
    "太湖大道",
  ],
  "320505408": ["珠江路", "黄河路", "湘江路", "鹿山路"],
};
const ALL_ROADS = [...new Set(Object.values(STREET_ROADS).flat())];

/** The roads of a street (9-digit code); every road of the district for an unknown one. */
export function roadsOfStreet(streetCode: string): readonly string[] {
  return STREET_ROADS[streetCode] ?? ALL_ROADS;
}

export const HOUSING_KINDS = [
  "estate",
  "old_estate",
  "rental_block",
  "dormitory",
  "self_built",
] as const;
export type HousingKind = (typeof HOUSING_KINDS)[number];

/** Share of the units of each kind, by street (last 3 digits of its code). */
const KIND_MIX: Readonly<Record<string, readonly number[]>> = {
  "001": [35, 25, 20, 10, 10],
  "002": [45, 25, 22, 5, 3],
  "003": [35, 20, 22, 15, 8],
  "004": [20, 20, 10, 10, 40],
  "101": [20, 15, 20, 20, 25],
  "400": [25, 15, 20, 25, 15],
  "405": [40, 10, 35, 10, 5],
  "407": [35, 5, 25, 25, 10],
  "408": [5, 5, 20, 60, 10],
};
const DEFAULT_MIX = [30, 20, 22, 15, 13];
/** Buildings in a project of each kind (before PROJECT_SCALE), and units in a building on average. */
const PROJECT_SHAPE: readonly { buildings: [number, number]; scaled: boolean; units: number }[] = [
  { buildings: [4, 10], scaled: true, units: 15 * 3 }, // estate: ~15 floors × 2–4 flats
  { buildings: [3, 10], scaled: true, units: 5.5 * 2.5 }, // old estate: 5–6 floors × 2–3 flats
  { buildings: [1, 2], scaled: false, units: 5.5 * 12 }, // rental block: 4–7 floors × 8–16 rooms
  { buildings: [1, 4], scaled: true, units: 5 * 15 }, // dormitory: 4–6 floors × 10–20 rooms
  { buildings: [1, 1], scaled: false, units: 3.5 * 4.5 }, // self-built: 3–4 floors × 3–6 rooms
];

function buildingCount(random: Random, kind: number, scale: number): number {
  const shape = PROJECT_SHAPE[kind] as (typeof PROJECT_SHAPE)[number];
  const n = random.int(...shape.buildings);
  return shape.scaled ? Math.max(1, Math.round(n * scale)) : n;
}

/** Units a project of each kind holds on average, to turn unit shares into project odds. */
function unitsPerProject(scale: number): number[] {
  return PROJECT_SHAPE.map((shape) => {
    const [min, max] = shape.buildings;
    let sum = 0;
    for (let n = min; n <= max; n++) sum += shape.scaled ? Math.max(1, Math.round(n * scale)) : n;
    return (sum / (max - min + 1)) * shape.units;
  });
}

const ESTATE_PREFIXES = Array.from(
  new Set(
    "金色 锦华 和谐 阳光 星韵 馨泰 嘉业 翡翠 紫金 天域 御景 水岸 枫林 绿城 新升 长江 玉山 狮山 枫桥 浒关 通安 何山 龙湖 金科 华通 康佳 名仕 南山 湖畔 香樟 银杏 青城 鹿山 太湖 金山 运河 滨河 竹园 白马涧 真山 阳山 树山 西津 华山 嵩山 锦峰 科技城 兴贤 鸿禧 石林 青花 金墅 汇金 溪岸 新港 万科 美庐".split(
      " ",
    ),
  ),
);
/** 长江路 → 长江: estates are often named after their road. */
const ROAD_STEMS = ALL_ROADS.map((r) => r.replace(/(大道|环路|路|街)$/, "")).filter(
  (r) => r.length >= 2,
);
const ESTATE_SUFFIXES = ["花园", "家园", "苑", "雅苑", "名邸", "华庭", "新城", "嘉园", "佳苑"];
const OLD_ESTATE_SUFFIXES = ["新村", "一村", "二村", "三村", "小区", "新苑"];
const NAME_PREFIXES = [...new Set([...ESTATE_PREFIXES, ...ROAD_STEMS])];
const RENTAL_SUFFIXES = ["公寓", "青年公寓", "人才公寓", "商务公寓", "宿舍楼"];

export interface HousingEnterprise {
  id: string;
  shortName: string;
  gridCode: string;
  industry: string;
  size: "micro" | "small" | "medium" | "large";
  workforce: number;
  demo?: boolean;
}

export interface SeededUnit {
  id: string;
  areaPath: string;
  kind: HousingKind;
  floorAreaM2: number;
  /** Declared capacity; null for an owner-occupied flat. */
  capacity: number | null;
  isRental: boolean;
  /** The enterprise that owns it (dormitories) or lets it (serviced apartments). */
  landlordOrganisationId: string | null;
  /** Units with the same number share one resident landlord (seedLandlords); -1: none. */
  landlordGroup: number;
}

export interface SeededHousing {
  units: SeededUnit[];
  buildings: number;
  landlordGroups: number;
}

interface GridGeo {
  id: string;
  code: string;
  path: string;
  boundary: Boundary;
  bbox: [number, number, number, number];
}

interface UnitSpec {
  area: number;
  capacity: number | null;
  isRental: boolean;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** Floor area, capacity and tenure of one unit of a kind. */
function unitSpec(random: Random, kind: HousingKind): UnitSpec {
  switch (kind) {
    case "estate": {
      const area = round1(clamp(random.normal(95, 20), 60, 150));
      const isRental = random.chance(0.35);
      return { area, isRental, capacity: isRental ? clamp(Math.round(area / 20), 2, 6) : null };
    }
    case "old_estate": {
      const area = round1(clamp(random.normal(58, 10), 38, 85));
      const isRental = random.chance(0.55);
      return { area, isRental, capacity: isRental ? clamp(Math.round(area / 15), 2, 5) : null };
    }
    case "rental_block": {
      const area = round1(clamp(random.normal(19, 4), 12, 30));
      return { area, isRental: true, capacity: clamp(Math.floor(area / 7), 1, 3) };
    }
    case "dormitory": {
      const area = round1(clamp(random.normal(26, 4), 18, 36));
      return { area, isRental: true, capacity: Math.min(8, Math.floor(area / 5)) };
    }
    case "self_built": {
      const area = round1(clamp(random.normal(17, 4), 10, 28));
      return { area, isRental: true, capacity: clamp(Math.floor(area / 7), 1, 3) };
    }
  }
}

export async function seedHousing(
  ctx: SeedContext,
  enterprises: readonly HousingEnterprise[],
): Promise<SeededHousing> {
  const random = ctx.random;
  const allGrids: GridGeo[] = (await repo.gridsWithBoundary(ctx.trx)).map((g) => ({
    id: g.id,
    code: g.code,
    path: g.path,
    boundary: g.boundary as Boundary,
    bbox: boundaryBbox(g.boundary as Boundary),
  }));
  // The demo grid worker's grid, as accounts.seed.ts picks it, stays empty.
  const demoGrid = allGrids.find((g) => g.code.startsWith("320505002"))?.code;
  const grids = allGrids.filter((g) => g.code !== demoGrid);
  const gridByCode = new Map(grids.map((g) => [g.code, g]));
  // Some grids are dense with housing, others are parks, lakes or factories.
  const pickGrid = weightedPicker(
    grids.map((g) => ({ g, w: Math.exp(random.normal(0, 0.7)) })),
    (x) => x.w,
  );

  const employers = enterprises.filter((e) => e.workforce > 0);
  const pickDormOwner = weightedPicker(
    employers.filter(
      (e) =>
        !e.demo &&
        (e.size === "medium" || e.size === "large") &&
        ["电子信息", "精密制造", "医疗器械", "物流仓储", "建筑施工"].includes(e.industry),
    ),
    (e) => e.workforce,
  );
  const pickApartmentOperator = weightedPicker(
    employers.filter((e) => e.industry === "物业服务" && e.size !== "micro"),
    () => 1,
  );

  const nextNumber = new Map<string, number>();
  const houseNumber = (road: string): string => {
    // The tests add buildings without an estate (鹿山路18号2幢); seeded ones with a building
    // number always have one, so the two never collide. 狮山路 skips 88…, which the API tests
    // search for expecting only their own 狮山路88号.
    let n = nextNumber.get(road) ?? random.int(6, 20) * 2;
    while (road === "狮山路" && String(n).startsWith("88")) n += 2;
    nextNumber.set(road, n + random.int(1, 6) * 2);
    return String(n);
  };
  const estateNames = new Set<string>();
  const estateName = (prefixes: readonly string[], suffixes: readonly string[]): string => {
    for (let i = 0; ; i++) {
      let name = random.pick(prefixes) + random.pick(suffixes);
      // A popular name gets its second, third … phase (二期, 三期 …), then numbered areas.
      if (i >= 30) name += i < 38 ? `${"二三四五六七八九"[i - 30]}期` : `${i - 36}区`;
      if (!estateNames.has(name)) {
        estateNames.add(name);
        return name;
      }
    }
  };
  const pointIn = (g: GridGeo): [number, number] => {
    const [minX, minY, maxX, maxY] = g.bbox;
    for (let i = 0; i < 40; i++) {
      const x = random.float(minX, maxX);
      const y = random.float(minY, maxY);
      if (pointInBoundary(g.boundary, x, y)) return [x, y];
    }
    return boundaryInteriorPoint(g.boundary);
  };

  interface PlannedBuilding {
    grid: GridGeo;
    kind: HousingKind;
    road: string;
    houseNumber: string;
    buildingNo: string | null;
    estate: string | null;
    address: string;
    lng: number;
    lat: number;
    floors: number;
    perFloor: number;
    landlordOrganisationId: string | null;
    /** -2: one resident landlord per unit; -1: none; ≥ 0: one for the whole building. */
    landlordGroup: number;
  }
  const planned: PlannedBuilding[] = [];
  let landlordGroups = 0;
  let unitCount = 0;
  const scale = PROJECT_SCALE[ctx.scale];
  const perProject = unitsPerProject(scale);

  while (unitCount < UNIT_COUNT[ctx.scale]) {
    let grid = pickGrid(random)?.g as GridGeo;
    const mix = KIND_MIX[grid.code.slice(6, 9)] ?? DEFAULT_MIX;
    const kind = random.weighted(
      HOUSING_KINDS.map((k, i) => [k, (mix[i] as number) / (perProject[i] as number)]),
    );
    let owner: HousingEnterprise | undefined;
    let operator: HousingEnterprise | undefined;
    let estate: string | null;
    let count: number;
    let floors: () => number;
    let perFloor: () => number;
    switch (kind) {
      case "estate":
        estate = estateName(NAME_PREFIXES, ESTATE_SUFFIXES);
        count = buildingCount(random, 0, scale);
        floors = () => random.pick([6, 11, 11, 15, 18, 18, 26]);
        perFloor = () => random.int(2, 4);
        break;
      case "old_estate":
        estate = estateName(NAME_PREFIXES, OLD_ESTATE_SUFFIXES);
        count = buildingCount(random, 1, scale);
        floors = () => random.int(5, 6);
        perFloor = () => random.int(2, 3);
        break;
      case "rental_block":
        estate = estateName(NAME_PREFIXES, RENTAL_SUFFIXES);
        count = buildingCount(random, 2, scale);
        floors = () => random.int(4, 7);
        perFloor = () => random.int(8, 16);
        operator = random.chance(0.3) ? pickApartmentOperator(random) : undefined;
        break;
      case "dormitory": {
        owner = pickDormOwner(random);
        if (!owner) continue;
        grid = gridByCode.get(owner.gridCode) ?? grid;
        estate = estateName([`${owner.shortName}员工`], ["宿舍", "宿舍一区", "宿舍二区", "公寓"]);
        count = buildingCount(random, 3, scale);
        floors = () => random.int(4, 6);
        perFloor = () => random.int(10, 20);
        break;
      }
      case "self_built":
        estate = null;
        count = buildingCount(random, 4, scale);
        floors = () => random.int(3, 4);
        perFloor = () => random.int(3, 6);
        break;
    }
    const road = random.pick(roadsOfStreet(grid.code.slice(0, 9)));
    const number = houseNumber(road);
    const [cx, cy] = pointIn(grid);
    const projectGroup =
      kind === "self_built" || (kind === "rental_block" && !operator) ? landlordGroups++ : -1;
    for (let b = 1; b <= count; b++) {
      let lng = cx;
      let lat = cy;
      if (count > 1) {
        // Buildings of an estate stand within a hundred metres or so of each other.
        const x = cx + random.float(-0.0012, 0.0012);
        const y = cy + random.float(-0.0009, 0.0009);
        if (pointInBoundary(grid.boundary, x, y)) {
          lng = x;
          lat = y;
        }
      }
      const buildingNo = count > 1 || kind === "estate" || kind === "old_estate" ? String(b) : null;
      const building: PlannedBuilding = {
        grid,
        kind,
        road,
        houseNumber: number,
        buildingNo,
        estate,
        address: buildingAddress({
          road,
          houseNumber: number,
          estate: estate ?? undefined,
          buildingNo: buildingNo ?? undefined,
        }),
        lng,
        lat,
        floors: floors(),
        perFloor: perFloor(),
        landlordOrganisationId: owner?.id ?? operator?.id ?? null,
        landlordGroup: kind === "estate" || kind === "old_estate" ? -2 : projectGroup,
      };
      planned.push(building);
      unitCount += building.floors * building.perFloor;
    }
  }

  // The demo enterprise's own staff quarters: two small buildings of twenty
  // rooms in all, so its workspace shows employees housed in dormitories
  // (the residents seed overcrowds one of these rooms).
  const demo = enterprises.find((e) => e.demo);
  if (demo) {
    const grid = gridByCode.get(demo.gridCode) ?? (pickGrid(random)?.g as GridGeo);
    const estate = estateName([`${demo.shortName}员工`], ["宿舍"]);
    const road = random.pick(roadsOfStreet(grid.code.slice(0, 9)));
    const number = houseNumber(road);
    const [cx, cy] = pointIn(grid);
    for (let b = 1; b <= DEMO_DORMITORY.buildings; b++) {
      const x = cx + (b - 1) * 0.0004;
      const inside = pointInBoundary(grid.boundary, x, cy);
      const buildingNo = String(b);
      planned.push({
        grid,
        kind: "dormitory",
        road,
        houseNumber: number,
        buildingNo,
        estate,
        address: buildingAddress({ road, houseNumber: number, estate, buildingNo }),
        lng: inside ? x : cx,
        lat: cy,
        floors: DEMO_DORMITORY.floors,
        perFloor: DEMO_DORMITORY.perFloor,
        landlordOrganisationId: demo.id,
        landlordGroup: -1,
      });
    }
  }

  const buildingIds = new Map<string, string>();
  for (let i = 0; i < planned.length; i += BATCH) {
    const rows = await repo.insertBuildings(
      ctx.trx,
      planned.slice(i, i + BATCH).map((b) => ({
        grid_id: b.grid.id,
        area_path: b.grid.path,
        road: b.road,
        house_number: b.houseNumber,
        building_no: b.buildingNo,
        estate: b.estate,
        address: b.address,
        lng: b.lng,
        lat: b.lat,
      })),
    );
    for (const r of rows) buildingIds.set(r.address, r.id);
  }

  const units: SeededUnit[] = [];
  let pending: { unit: SeededUnit; row: repo.NewUnit }[] = [];
  const flush = async () => {
    const rows = await repo.insertUnits(
      ctx.trx,
      pending.map((p) => p.row),
    );
    const ids = new Map(rows.map((r) => [r.address, r.id]));
    for (const p of pending) p.unit.id = ids.get(p.row.address) as string;
    pending = [];
  };
  for (const b of planned) {
    const buildingId = buildingIds.get(b.address) as string;
    let previousGroup = -1;
    for (let floor = 1; floor <= b.floors; floor++) {
      for (let room = 1; room <= b.perFloor; room++) {
        const spec = unitSpec(random, b.kind);
        const unitNo = `${floor}${String(room).padStart(2, "0")}`;
        let group = -1;
        if (spec.isRental && !b.landlordOrganisationId) {
          if (b.landlordGroup >= 0) group = b.landlordGroup;
          else {
            // A flat's owner lets it; now and then one owner lets two in the same estate.
            group = previousGroup >= 0 && random.chance(0.15) ? previousGroup : landlordGroups++;
            previousGroup = group;
          }
        }
        const unit: SeededUnit = {
          id: "",
          areaPath: b.grid.path,
          kind: b.kind,
          floorAreaM2: spec.area,
          capacity: spec.capacity,
          isRental: spec.isRental,
          landlordOrganisationId: spec.isRental ? b.landlordOrganisationId : null,
          landlordGroup: group,
        };
        units.push(unit);
        pending.push({
          unit,
          row: {
            building_id: buildingId,
            area_path: b.grid.path,
            unit_no: unitNo,
            floor,
            floor_area_m2: spec.area,
            address: unitAddress(b.address, unitNo),
            is_rental: spec.isRental,
            declared_capacity: spec.capacity,
            landlord_resident_id: null,
            landlord_organisation_id: unit.landlordOrganisationId,
          },
        });
        if (pending.length >= BATCH) await flush();
      }
    }
  }
  if (pending.length) await flush();

  const byKind = HOUSING_KINDS.map((k) => `${units.filter((u) => u.kind === k).length} ${k}`);
  ctx.log(
    `housing: ${planned.length} buildings, ${units.length} units (${byKind.join(", ")}; ${
      units.filter((u) => u.isRental).length
    } let)`,
  );
  return { units, buildings: planned.length, landlordGroups };
}

/**
 * Gives every let unit without a landlord company its resident landlord:
 * one per landlord group, drawn from `candidates` (resident ids, usually
 * local home owners); a landlord may let several groups.
 */
export async function seedLandlords(
  ctx: SeedContext,
  housing: SeededHousing,
  candidates: readonly string[],
): Promise<void> {
  if (candidates.length === 0 || housing.landlordGroups === 0) return;
  const landlordOf = Array.from({ length: housing.landlordGroups }, () =>
    ctx.random.pick(candidates),
  );
  let unitIds: string[] = [];
  let residentIds: string[] = [];
  let let_ = 0;
  for (const u of housing.units) {
    if (u.landlordGroup < 0) continue;
    unitIds.push(u.id);
    residentIds.push(landlordOf[u.landlordGroup] as string);
    let_++;
    if (unitIds.length >= BATCH) {
      await repo.setResidentLandlords(ctx.trx, unitIds, residentIds);
      unitIds = [];
      residentIds = [];
    }
  }
  await repo.setResidentLandlords(ctx.trx, unitIds, residentIds);
  ctx.log(`landlords: ${let_} units let by ${new Set(landlordOf).size} resident landlords`);
}
