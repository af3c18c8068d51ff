import { z } from "zod";

const text = (max: number, zh: string, en: string) =>
  z
    .string()
    .trim()
    .min(1, `请填写${zh} / ${en} is required`)
    .max(max, `${zh}过长 / ${en} is too long`);

/** Standard form of an address: no spaces, full-width digits made ASCII. */
export function normalizeAddress(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, "");
}

/** A building's standard address: road, house number (号), estate, building number (幢). */
export function buildingAddress(b: {
  road: string;
  houseNumber: string;
  estate?: string | undefined;
  buildingNo?: string | undefined;
}) {
  const withSuffix = (v: string, suffix: string) => (/^\d+$/.test(v) ? `${v}${suffix}` : v);
  return normalizeAddress(
    `${b.road}${withSuffix(b.houseNumber, "号")}${b.estate ?? ""}${b.buildingNo ? withSuffix(b.buildingNo, "幢") : ""}`,
  );
}

/** A unit's standard address: its building's, then the unit number (室). */
export function unitAddress(building: string, unitNo: string) {
  return normalizeAddress(`${building}${/^\d+$/.test(unitNo) ? `${unitNo}室` : unitNo}`);
}

export const createBuildingBody = z.strictObject({
  road: text(40, "道路", "road"),
  houseNumber: text(20, "门牌号", "house number"),
  buildingNo: z.string().trim().max(20).optional(),
  estate: z.string().trim().max(60).optional(),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
});

export const buildingSchema = z.object({
  id: z.string(),
  address: z.string(),
  road: z.string(),
  houseNumber: z.string(),
  buildingNo: z.string().nullable(),
  estate: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  grid: z.object({ code: z.string(), name: z.string() }),
});

export const buildingListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  gridCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const landlordInput = z.strictObject({
  kind: z.enum(["resident", "organisation"]),
  id: z.string().regex(/^\d{1,18}$/),
});

export const createUnitBody = z.strictObject({
  buildingId: z.string().regex(/^\d{1,18}$/, "请选择楼栋 / choose a building"),
  unitNo: text(20, "室号", "unit number"),
  floor: z.number().int().min(-5).max(200).optional(),
  floorAreaM2: z.number().positive("面积须大于 0 / area must be positive").max(100000).optional(),
  isRental: z.boolean().default(false),
  declaredCapacity: z
    .number()
    .int()
    .min(1, "核定人数至少为 1 / capacity at least 1")
    .max(10000)
    .optional(),
  landlord: landlordInput.optional(),
});

export const updateUnitBody = z
  .strictObject({
    floorAreaM2: z.number().positive().max(100000).nullable().optional(),
    isRental: z.boolean().optional(),
    declaredCapacity: z.number().int().min(1).max(10000).nullable().optional(),
    landlord: landlordInput.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "没有要修改的内容 / nothing to change");

export const unitListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  gridCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .optional(),
  buildingId: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  rental: z.enum(["true", "false"]).optional(),
  overcrowded: z.enum(["true"]).optional(),
  /** Units whose landlord is this organisation. */
  landlordOrganisationId: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  sort: z.enum(["address", "-address", "occupants", "-occupants"]).default("address"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Standard-address lookup for anyone signed in (a resident registering
 *  themself picks the unit they live in): addresses only, nobody's data. */
export const addressSearchQuery = z.object({
  q: z.string().trim().min(2, "请输入至少 2 个字 / Type at least 2 characters").max(60),
});

export const addressSchema = z.object({ id: z.string(), address: z.string() });
export type AddressHit = z.infer<typeof addressSchema>;

/** How many addresses a lookup answers at most. */
export const ADDRESS_SEARCH_LIMIT = 10;

export const overcrowdingSchema = z.object({
  overcrowded: z.boolean(),
  overCapacity: z.boolean(),
  underAreaPerPerson: z.boolean(),
  areaPerPersonM2: z.number().nullable(),
});

export const unitSchema = z.object({
  id: z.string(),
  address: z.string(),
  unitNo: z.string(),
  floor: z.number().nullable(),
  floorAreaM2: z.number().nullable(),
  isRental: z.boolean(),
  declaredCapacity: z.number().nullable(),
  occupants: z.number().int(),
  overcrowding: overcrowdingSchema,
  landlord: z
    .object({ kind: z.enum(["resident", "organisation"]), id: z.string(), name: z.string() })
    .nullable(),
  building: z.object({ id: z.string(), lng: z.number(), lat: z.number() }),
  gridPath: z.string(),
});
export type Unit = z.infer<typeof unitSchema>;

/** A person living in a unit now (masked number, as in the resident list). */
export const unitOccupantSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string(),
  gender: z.enum(["male", "female"]),
  age: z.number().int(),
  status: z.enum(["registered", "permit_holder", "departed"]),
  movedIn: z.string().nullable(),
});

/** One residence registration at the unit: who moved in, when, and when they left. */
export const unitHistoryEntrySchema = z.object({
  id: z.string(),
  resident: z.object({ id: z.string(), name: z.string() }),
  movedIn: z.string(),
  movedOut: z.string().nullable(),
  channel: z.enum(["self", "grid_worker", "landlord", "enterprise", "import", "staff"]),
});

/** How many registrations a unit's detail lists at most (newest first). */
export const UNIT_HISTORY_LIMIT = 100;

/**
 * GET /api/units/:id: the unit, its building and grid, the people living
 * there and the history of moves in and out. Occupants and history list only
 * residents the caller may see as residents.
 */
export const unitDetailSchema = unitSchema.extend({
  building: z.object({
    id: z.string(),
    address: z.string(),
    estate: z.string().nullable(),
    lng: z.number(),
    lat: z.number(),
  }),
  grid: z.object({ code: z.string(), name: z.string() }),
  residents: z.array(unitOccupantSchema),
  history: z.array(unitHistoryEntrySchema),
  historyTotal: z.number().int(),
  allowedActions: z.array(z.enum(["edit"])),
});
export type UnitDetail = z.infer<typeof unitDetailSchema>;

const coordinate = String.raw`-?\d{1,3}(?:\.\d+)?`;
const BBOX = new RegExp(`^${coordinate},${coordinate},${coordinate},${coordinate}$`);

/** "west,south,east,north" (WGS84 degrees) → numbers, or null when it is not a usable box. */
export function parseBbox(text: string): [number, number, number, number] | null {
  if (!BBOX.test(text)) return null;
  const [w, s, e, n] = text.split(",").map(Number) as [number, number, number, number];
  const ok = w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n;
  return ok ? [w, s, e, n] : null;
}

/** GET /api/units/map: the list's filters plus the map's view. */
export const unitMapQuery = z.object({
  bbox: z
    .string()
    .max(100)
    .refine(
      (v) => parseBbox(v) !== null,
      "bbox 应为 西,南,东,北 的经纬度 / bbox must be west,south,east,north in degrees",
    ),
  zoom: z.coerce.number().int().min(0).max(22),
  q: unitListQuery.shape.q,
  gridCode: unitListQuery.shape.gridCode,
  rental: unitListQuery.shape.rental,
  overcrowded: unitListQuery.shape.overcrowded,
});

/** Units counted in one map cell (zoomed out). */
export const unitClusterSchema = z.object({
  /** Stable for the same cell at the same zoom. */
  key: z.string(),
  /** Where to draw it: the mean position of its units. */
  lng: z.number(),
  lat: z.number(),
  count: z.number().int(),
  overcrowded: z.number().int(),
  /** The extent of its units [west, south, east, north]: zoom here to split it. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});

/** One unit on the map (zoomed in). */
export const unitPointSchema = z.object({
  id: z.string(),
  address: z.string(),
  unitNo: z.string(),
  buildingId: z.string(),
  lng: z.number(),
  lat: z.number(),
  isRental: z.boolean(),
  occupants: z.number().int(),
  overcrowding: overcrowdingSchema,
});

export const unitMapSchema = z.object({
  /** `clusters` zoomed out (counts per cell), `units` once few enough are in view. */
  mode: z.enum(["clusters", "units"]),
  /** Matching units in the box, and how many of them are overcrowded. */
  total: z.number().int(),
  overcrowded: z.number().int(),
  clusters: z.array(unitClusterSchema),
  units: z.array(unitPointSchema),
});
export type UnitMap = z.infer<typeof unitMapSchema>;
