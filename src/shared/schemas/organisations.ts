import { z } from "zod";
import { mobileSchema } from "../formats/mobile.js";
import { usccSchema } from "../formats/uscc.js";

export const ORGANISATION_KINDS = ["enterprise", "association"] as const;
export const ENTERPRISE_SIZES = ["micro", "small", "medium", "large"] as const;
export const ASSOCIATION_KINDS = ["hometown", "trade", "new_citizen", "social"] as const;

const names = z.array(z.string().trim().min(1).max(20)).max(40).default([]);

export const createOrganisationBody = z
  .strictObject({
    kind: z.enum(ORGANISATION_KINDS),
    name: z.string().trim().min(2, "请填写名称 / name is required").max(100),
    uscc: usccSchema.optional(),
    gridCode: z.string().regex(/^\d{15}$/, "请选择所在网格 / choose the grid (15-digit code)"),
    address: z.string().trim().max(120).optional(),
    industry: z.string().trim().max(40).optional(),
    size: z.enum(ENTERPRISE_SIZES).optional(),
    legalRepresentative: z.string().trim().max(40).optional(),
    safetyOfficer: z.string().trim().max(40).optional(),
    safetyOfficerPhone: mobileSchema.optional(),
    associationKind: z.enum(ASSOCIATION_KINDS).optional(),
    provinces: names,
    dialects: names,
    sectors: names,
  })
  .refine((b) => b.kind !== "enterprise" || b.uscc !== undefined, {
    message: "企业须填写统一社会信用代码 / an enterprise needs its USCC",
    path: ["uscc"],
  })
  .refine((b) => b.kind !== "association" || b.associationKind !== undefined, {
    message: "请选择协会类型 / choose the association kind",
    path: ["associationKind"],
  });

/** Fields a base-data editor may change; `null` clears an optional one. */
export const updateOrganisationBody = z
  .strictObject({
    name: z.string().trim().min(2, "请填写名称 / name is required").max(100).optional(),
    uscc: usccSchema.nullable().optional(),
    gridCode: z
      .string()
      .regex(/^\d{15}$/, "请选择所在网格 / choose the grid (15-digit code)")
      .optional(),
    address: z.string().trim().max(120).nullable().optional(),
    industry: z.string().trim().max(40).nullable().optional(),
    size: z.enum(ENTERPRISE_SIZES).nullable().optional(),
    legalRepresentative: z.string().trim().max(40).nullable().optional(),
    safetyOfficer: z.string().trim().max(40).nullable().optional(),
    safetyOfficerPhone: mobileSchema.nullable().optional(),
    associationKind: z.enum(ASSOCIATION_KINDS).optional(),
    provinces: z.array(z.string().trim().min(1).max(20)).max(40).optional(),
    dialects: z.array(z.string().trim().min(1).max(20)).max(40).optional(),
    sectors: z.array(z.string().trim().min(1).max(20)).max(40).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "没有要修改的内容 / nothing to change");

export const ORGANISATION_SORTS = [
  "name",
  "-name",
  "employees",
  "-employees",
  "createdAt",
  "-createdAt",
] as const;

export const organisationListQuery = z.object({
  kind: z.enum(ORGANISATION_KINDS).optional(),
  q: z.string().trim().max(64).optional(),
  industry: z.string().trim().max(40).optional(),
  associationKind: z.enum(ASSOCIATION_KINDS).optional(),
  size: z.enum(ENTERPRISE_SIZES).optional(),
  sort: z.enum(ORGANISATION_SORTS).default("name"),
  gridCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const organisationSchema = z.object({
  id: z.string(),
  kind: z.enum(ORGANISATION_KINDS),
  name: z.string(),
  uscc: z.string().nullable(),
  address: z.string().nullable(),
  industry: z.string().nullable(),
  size: z.enum(ENTERPRISE_SIZES).nullable(),
  legalRepresentative: z.string().nullable(),
  safetyOfficer: z.string().nullable(),
  safetyOfficerPhone: z.string().nullable(),
  associationKind: z.enum(ASSOCIATION_KINDS).nullable(),
  provinces: z.array(z.string()),
  dialects: z.array(z.string()),
  sectors: z.array(z.string()),
  gridPath: z.string(),
  grid: z.object({ code: z.string(), name: z.string() }),
  employees: z.number().int(),
  createdAt: z.string(),
  allowedActions: z.array(z.enum(["edit"])),
});
export type Organisation = z.infer<typeof organisationSchema>;

/** One organisation with the areas above its grid (district first) and its rental units. */
export const organisationDetailSchema = organisationSchema.extend({
  areas: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      level: z.enum(["district", "street", "community", "grid"]),
    }),
  ),
  landlordUnits: z.number().int(),
});
export type OrganisationDetail = z.infer<typeof organisationDetailSchema>;
