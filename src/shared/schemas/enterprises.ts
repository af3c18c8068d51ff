/**
 * The wire shapes of the enterprise workspace (part A of issue 6): the
 * government's enterprise list, an enterprise's profile summary, its sites,
 * workforce (employments linked to residents), dormitory rooms and the case
 * tasks waiting for it. Shared by the server routes and the web forms.
 */
import { z } from "zod";
import { mobileSchema } from "../formats/mobile.js";
import { residentIdSchema } from "../formats/resident-id.js";
import { usccSchema } from "../formats/uscc.js";
import { CASE_STATUSES } from "./cases.js";
import { overcrowdingSchema } from "./housing.js";
import { ENTERPRISE_SIZES } from "./organisations.js";

const isoDate = z.iso.date("日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
const id = z.string().regex(/^\d{1,18}$/, "id must be a number");
const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const SITE_KINDS = [
  "factory",
  "dormitory",
  "office",
  "warehouse",
  "shop",
  "construction_site",
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** Safety credit rating (part C computes it). */
export const RATINGS = ["A", "B", "C", "D"] as const;
export type Rating = (typeof RATINGS)[number];
/** Wage-arrears and dispute warning level (part C computes it). */
export const WARNING_LEVELS = ["none", "watch", "warning", "alarm"] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

// ------------------------------------------------------------------ the list

export const ENTERPRISE_SORTS = [
  "name",
  "-name",
  "employees",
  "-employees",
  "rating",
  "-rating",
  "warning",
  "-warning",
  "hazards",
  "-hazards",
] as const;
export type EnterpriseSort = (typeof ENTERPRISE_SORTS)[number];

export const enterpriseListQuery = z.object({
  /** Part of the name or of the credit code. */
  q: z.string().trim().max(64).optional(),
  /** One exact credit code: checked like any USCC (a wrong check character is a 400). */
  uscc: usccSchema.optional(),
  industry: z.string().trim().max(40).optional(),
  /** An area code (street, community or grid): enterprises under it. */
  area: z
    .string()
    .regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area must be a 6–18 digit code")
    .optional(),
  rating: z.enum(RATINGS).optional(),
  warningLevel: z.enum(WARNING_LEVELS).optional(),
  size: z.enum(ENTERPRISE_SIZES).optional(),
  sort: z.enum(ENTERPRISE_SORTS).default("name"),
  ...page,
});
export type EnterpriseListQuery = z.infer<typeof enterpriseListQuery>;

const placeSchema = z.object({ code: z.string(), name: z.string() });

export const enterpriseListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  uscc: z.string().nullable(),
  industry: z.string().nullable(),
  size: z.enum(ENTERPRISE_SIZES).nullable(),
  /** The grid it is registered in, and the street above it. */
  grid: placeSchema,
  street: placeSchema.nullable(),
  employees: z.number().int(),
  rating: z.enum(RATINGS).nullable(),
  warningLevel: z.enum(WARNING_LEVELS),
  openHazards: z.number().int(),
  majorHazards: z.number().int(),
});
export type EnterpriseListItem = z.infer<typeof enterpriseListItemSchema>;

// ------------------------------------------------------------------ sites

export const siteSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(SITE_KINDS),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  grid: placeSchema,
  gridPath: z.string(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type Site = z.infer<typeof siteSchema>;

const siteName = z
  .string()
  .trim()
  .min(2, "请填写场所名称（至少 2 个字） / name the site (at least 2 characters)")
  .max(60);
const siteAddress = z
  .string()
  .trim()
  .min(4, "请填写地址 / give the address")
  .max(120, "地址过长 / address too long");
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);

const bothOrNeither = (b: { lat?: number | undefined; lng?: number | undefined }) =>
  (b.lat === undefined) === (b.lng === undefined);
const BOTH_MESSAGE = "经纬度须同时填写 / give both lat and lng, or neither";

/**
 * A new site. Without coordinates the address must match a standard address
 * (a registered building), which gives the place; either way the point must
 * lie in a grid of the district.
 */
export const createSiteBody = z
  .strictObject({
    name: siteName,
    kind: z.enum(SITE_KINDS),
    address: siteAddress,
    lat: lat.optional(),
    lng: lng.optional(),
  })
  .refine(bothOrNeither, { message: BOTH_MESSAGE, path: ["lng"] });

/** A change to a site; `version` is the one the editor saw (a stale one is a 409). */
export const updateSiteBody = z
  .strictObject({
    version: z.number().int().min(1),
    name: siteName.optional(),
    kind: z.enum(SITE_KINDS).optional(),
    address: siteAddress.optional(),
    lat: lat.optional(),
    lng: lng.optional(),
    active: z.boolean().optional(),
  })
  .refine(bothOrNeither, { message: BOTH_MESSAGE, path: ["lng"] })
  .refine((b) => Object.keys(b).length > 1, "没有要修改的内容 / nothing to change");

export const siteListQuery = z.object({
  /** Deactivated sites too. */
  all: z.enum(["true", "false"]).default("false"),
});

// ------------------------------------------------------------------ profile

export const ENTERPRISE_ACTIONS = [
  "manageSites",
  "manageEmployees",
  "assignDormitory",
  /** the staff accounts tab (员工账号): the enterprise's managers */
  "manageStaff",
] as const;
export type EnterpriseAction = (typeof ENTERPRISE_ACTIONS)[number];

export const dormitoryTotalsSchema = z.object({
  rooms: z.number().int(),
  capacity: z.number().int(),
  occupants: z.number().int(),
  overcrowdedRooms: z.number().int(),
});
export type DormitoryTotals = z.infer<typeof dormitoryTotalsSchema>;

export const enterpriseDetailSchema = z.object({
  id: z.string(),
  name: z.string(),
  uscc: z.string().nullable(),
  industry: z.string().nullable(),
  size: z.enum(ENTERPRISE_SIZES).nullable(),
  address: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  safetyOfficer: z.string().nullable(),
  /** masked */
  safetyOfficerPhone: z.string().nullable(),
  grid: placeSchema,
  gridPath: z.string(),
  /** District → grid. */
  areas: z.array(placeSchema.extend({ level: z.string() })),
  headcount: z.number().int(),
  dormitory: dormitoryTotalsSchema,
  sites: z.array(siteSchema),
  rating: z.enum(RATINGS).nullable(),
  warningLevel: z.enum(WARNING_LEVELS),
  openHazards: z.number().int(),
  majorHazards: z.number().int(),
  allowedActions: z.array(z.enum(ENTERPRISE_ACTIONS)),
});
export type EnterpriseDetail = z.infer<typeof enterpriseDetailSchema>;

// ------------------------------------------------------------------ workforce

export const EMPLOYMENT_SOURCES = ["import", "api", "staff"] as const;
export const EMPLOYEE_STATUSES = ["current", "left", "all"] as const;
export const EMPLOYEE_SORTS = [
  "name",
  "-name",
  "hiredOn",
  "-hiredOn",
  "leftOn",
  "-leftOn",
] as const;
export type EmployeeSort = (typeof EMPLOYEE_SORTS)[number];

export const employeeListQuery = z.object({
  status: z.enum(EMPLOYEE_STATUSES).default("current"),
  /** Part of the name. */
  q: z.string().trim().max(40).optional(),
  sort: z.enum(EMPLOYEE_SORTS).default("-hiredOn"),
  ...page,
});

export const employeeSchema = z.object({
  residentId: z.string(),
  /** null for a person the residents register names as employed here, with no employment record yet. */
  employmentId: z.string().nullable(),
  name: z.string(),
  /** masked */
  idNumber: z.string(),
  gender: z.enum(["male", "female"]),
  age: z.number().int(),
  origin: z.object({ province: z.string(), city: z.string().nullable() }),
  /** masked */
  phone: z.string().nullable(),
  hiredOn: z.string().nullable(),
  leftOn: z.string().nullable(),
  position: z.string().nullable(),
  source: z.enum(EMPLOYMENT_SOURCES).nullable(),
  current: z.boolean(),
  /** Where they live, when it is one of the enterprise's dormitory rooms. */
  dormitory: z.object({ unitId: z.string(), address: z.string() }).nullable(),
});
export type Employee = z.infer<typeof employeeSchema>;

const personName = z.string().trim().min(1, "请填写姓名 / name is required").max(40);
const position = z.string().trim().max(40, "岗位最多 40 个字 / position too long");

export const hireBody = z.strictObject({
  name: personName,
  idNumber: residentIdSchema,
  phone: mobileSchema.optional(),
  hiredOn: isoDate,
  position: position.optional(),
});

export const leaveBody = z.strictObject({ leftOn: isoDate });

/**
 * One employee record pushed by an HR system. The ID number is checked per
 * record (a bad one is reported with its index, the others go in), so it is a
 * plain string here.
 */
export const employeeRecordSchema = z.object({
  idNumber: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(40),
  phone: z.string().trim().max(20).nullish(),
  hiredOn: z.string().trim().max(20),
  leftOn: z.string().trim().max(20).nullish(),
  position: z.string().trim().max(40).nullish(),
});
export type EmployeeRecord = z.infer<typeof employeeRecordSchema>;

export const EMPLOYEE_PUSH_MAX = 5000;

export const employeePushBody = z.strictObject({
  employees: z
    .array(employeeRecordSchema)
    .min(1, "没有员工记录 / no employee records")
    .max(
      EMPLOYEE_PUSH_MAX,
      `一次最多 ${EMPLOYEE_PUSH_MAX} 条 / at most ${EMPLOYEE_PUSH_MAX} records`,
    ),
});

/** What an upsert of employee records did; `row` is the file's row number, or the record's index in a push. */
export const employeeSyncResultSchema = z.object({
  received: z.number().int(),
  residentsCreated: z.number().int(),
  hired: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), reason: z.string() })),
});
export type EmployeeSyncResult = z.infer<typeof employeeSyncResultSchema>;

export const workforceSchema = z.object({
  headcount: z.number().int(),
  byOrigin: z.array(z.object({ province: z.string(), count: z.number().int() })),
  /** The last 12 months, oldest first ("2025-08"). */
  months: z.array(
    z.object({ month: z.string(), hires: z.number().int(), leavers: z.number().int() }),
  ),
  dormitory: dormitoryTotalsSchema,
});
export type Workforce = z.infer<typeof workforceSchema>;

// ------------------------------------------------------------------ dormitories

export const dormitoryListQuery = z.object({
  overcrowded: z.enum(["true", "false"]).optional(),
  q: z.string().trim().max(60).optional(),
  ...page,
});

export const dormitoryRoomSchema = z.object({
  unitId: z.string(),
  address: z.string(),
  floorAreaM2: z.number().nullable(),
  capacity: z.number().int().nullable(),
  occupants: z.number().int(),
  overcrowding: overcrowdingSchema,
  /** The occupants the caller may see by name. */
  people: z.array(z.object({ residentId: z.string(), name: z.string(), employee: z.boolean() })),
  /** Occupants counted but not named to the caller. */
  hiddenOccupants: z.number().int(),
});
export type DormitoryRoom = z.infer<typeof dormitoryRoomSchema>;

export const dormitoryListSchema = z.object({
  items: z.array(dormitoryRoomSchema),
  total: z.number().int(),
  totals: dormitoryTotalsSchema,
});

export const assignRoomBody = z.strictObject({
  residentId: id,
  date: isoDate.optional(),
});

// ------------------------------------------------------------------ case tasks

export const enterpriseTaskSchema = z.object({
  partyId: z.string(),
  caseId: z.string(),
  caseCode: z.string(),
  caseStatus: z.enum(CASE_STATUSES),
  category: z.string(),
  task: z.string().nullable(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export type EnterpriseTask = z.infer<typeof enterpriseTaskSchema>;

export const EMPLOYEE_TEMPLATE_FILES = ["employees.xlsx", "employees.csv"] as const;
