import { z } from "zod";
import { AREA_LEVELS } from "../roles.js";

const position = z
  .tuple([
    z.number().min(-180, "经度超出范围 / longitude out of range").max(180),
    z.number().min(-90, "纬度超出范围 / latitude out of range").max(90),
  ])
  .rest(z.number());

const ring = z
  .array(position)
  .min(4, "环至少需要 4 个点 / a ring needs at least 4 positions")
  .refine((r) => {
    const a = r[0];
    const b = r[r.length - 1];
    return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
  }, "环的首尾点必须相同 / a ring must be closed (first = last position)");

export const polygonGeometry = z.strictObject({
  type: z.literal("Polygon"),
  coordinates: z.array(ring).min(1, "多边形至少需要一个环 / a polygon needs a ring"),
});
export const multiPolygonGeometry = z.strictObject({
  type: z.literal("MultiPolygon"),
  coordinates: z.array(z.array(ring).min(1)).min(1),
});
/** A boundary is a GeoJSON Polygon or MultiPolygon in WGS84 lng/lat. */
export const boundaryGeometry = z.discriminatedUnion("type", [
  polygonGeometry,
  multiPolygonGeometry,
]);
export type BoundaryGeometry = z.infer<typeof boundaryGeometry>;

export const areaLevel = z.enum(AREA_LEVELS);

export const areaSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  level: areaLevel,
  parentId: z.string().nullable(),
  path: z.string(),
});
export type AreaSummary = z.infer<typeof areaSummary>;

export const bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const areaDetail = areaSummary.extend({
  boundary: boundaryGeometry.nullable(),
  bbox: bbox.nullable(),
  centroid: z.tuple([z.number(), z.number()]).nullable(),
  ancestors: z.array(areaSummary),
  childCount: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
  allowedActions: z.array(z.enum(["edit_boundary"])),
});
export type AreaDetail = z.infer<typeof areaDetail>;

export const areaListQuery = z.object({
  level: areaLevel.optional(),
  parentCode: z.string().max(32).optional(),
  q: z.string().trim().max(64).optional(),
  sort: z.enum(["code", "name", "-code", "-name"]).default("code"),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const updateBoundaryBody = z.strictObject({
  boundary: boundaryGeometry,
  /** The version the editor started from; a newer one on the server answers 409. */
  version: z.number().int().min(1).optional(),
});

export const locateQuery = z.object({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});

export const DEPARTMENT_KINDS = [
  "comprehensive_governance",
  "public_security_bureau",
  "police_station",
  "street_office",
  "housing",
  "fire",
  "labour_inspection",
  "market_regulation",
  "urban_management",
  "health",
  "justice_office",
  "emergency_management",
  "civil_affairs",
] as const;

/** How people call each kind of department. */
export const DEPARTMENT_KIND_NAMES: Record<(typeof DEPARTMENT_KINDS)[number], string> = {
  comprehensive_governance: "综治中心",
  public_security_bureau: "公安分局",
  police_station: "派出所",
  street_office: "街道办事处",
  housing: "住建部门",
  fire: "消防救援",
  labour_inspection: "劳动保障监察",
  market_regulation: "市场监管",
  urban_management: "综合执法",
  health: "卫生健康",
  justice_office: "司法所",
  emergency_management: "应急管理",
  civil_affairs: "民政",
};

export const departmentSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(DEPARTMENT_KINDS),
  parentId: z.string().nullable(),
  area: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  coverage: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
});
