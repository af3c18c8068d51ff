import { z } from "zod";

const text = (max: number, zh: string, en: string) =>
  z
    .string()
    .trim()
    .min(1, `请填写${zh} / ${en} is required`)
    .max(max, `${zh}过长 / ${en} is too long`);

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
  sort: z.enum(["address", "-address", "occupants", "-occupants"]).default("address"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

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
