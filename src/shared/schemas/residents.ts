import { z } from "zod";
import { mobileSchema } from "../formats/mobile.js";
import { residentIdSchema } from "../formats/resident-id.js";

const isoDate = z.iso.date("日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
const id = z.string().regex(/^\d{1,18}$/);

export const RESIDENT_STATUSES = ["registered", "permit_holder", "departed"] as const;
export const REGISTRATION_CHANNELS = [
  "self",
  "grid_worker",
  "landlord",
  "enterprise",
  "import",
  "staff",
] as const;

export const registerResidentBody = z.strictObject({
  name: z.string().trim().min(1, "请填写姓名 / name is required").max(40),
  idNumber: residentIdSchema,
  phone: mobileSchema.optional(),
  arrivalDate: isoDate.optional(),
  unitId: id.optional(),
  movedIn: isoDate.optional(),
  employerId: id.optional(),
});

/** A correction of a resident's own facts; null clears phone, arrival date
 *  or employer. The ID number never changes (a wrong one is a new person). */
export const updateResidentBody = z
  .strictObject({
    name: registerResidentBody.shape.name.optional(),
    phone: mobileSchema.nullable().optional(),
    arrivalDate: isoDate.nullable().optional(),
    employerId: id.nullable().optional(),
    /** Record that a residence permit was issued, or withdraw that record. */
    status: z.enum(["registered", "permit_holder"]).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "没有要修改的内容 / nothing to change");

export const moveBody = z.strictObject({
  unitId: id,
  date: isoDate.optional(),
});

export const moveOutBody = z.strictObject({ date: isoDate.optional() });

export const revealBody = z.strictObject({
  field: z.enum(["idNumber", "phone"]),
  reason: z
    .string()
    .trim()
    .min(4, "请说明查看理由（至少 4 个字）/ give a reason (at least 4 characters)")
    .max(200),
});

export const residentListQuery = z.object({
  q: z.string().trim().max(40).optional(),
  gridCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .optional(),
  unitId: id.optional(),
  employerId: id.optional(),
  status: z.enum(RESIDENT_STATUSES).optional(),
  originProvince: z.string().max(20).optional(),
  idNumber: z.string().max(20).optional(),
  eligible: z.enum(["true"]).optional(),
  sort: z
    .enum(["name", "-name", "registeredSince", "-registeredSince", "createdAt", "-createdAt"])
    .default("-createdAt"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const residentSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string(),
  gender: z.enum(["male", "female"]),
  birthDate: z.string(),
  age: z.number().int(),
  origin: z.object({ regionCode: z.string(), province: z.string(), city: z.string().nullable() }),
  phone: z.string().nullable(),
  arrivalDate: z.string().nullable(),
  status: z.enum(RESIDENT_STATUSES),
  registeredSince: z.string().nullable(),
  permitEligibleSince: z.string().nullable(),
  permitEligible: z.boolean(),
  unit: z.object({ id: z.string(), address: z.string() }).nullable(),
  employer: z.object({ id: z.string(), name: z.string() }).nullable(),
  gridPath: z.string().nullable(),
  allowedActions: z.array(z.enum(["edit", "move", "reveal"])),
});
export type Resident = z.infer<typeof residentSchema>;

export const registrationSchema = z.object({
  id: z.string(),
  unit: z.object({ id: z.string(), address: z.string() }),
  movedIn: z.string(),
  movedOut: z.string().nullable(),
  channel: z.enum(REGISTRATION_CHANNELS),
  registeredBy: z.string().nullable(),
});

export const residentDetailSchema = residentSchema.extend({
  registrations: z.array(registrationSchema),
});
