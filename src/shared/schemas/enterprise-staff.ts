/**
 * An enterprise's staff accounts (员工账号), kept by its manager (企业负责人):
 * the officers and managers who sign in for it. Shared by the API and the
 * staff tab's create form.
 */
import { z } from "zod";
import { emailSchema } from "../formats/email.js";
import { mobileSchema } from "../formats/mobile.js";
import { ENTERPRISE_ROLES } from "../roles.js";
import { passwordRule, USERNAME_PATTERN } from "./auth.js";
import { USER_STATUSES } from "./users.js";

export const STAFF_ACTIONS = ["deactivate", "reactivate"] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

export const staffAccountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ENTERPRISE_ROLES),
  status: z.enum(USER_STATUSES),
  /** masked, e.g. 138****5678 */
  phone: z.string().nullable(),
  /** masked, e.g. z***@example.com */
  email: z.string().nullable(),
  createdAt: z.string(),
  /** the caller's own account */
  self: z.boolean(),
  /** what the caller may do to this account now (the last active manager cannot be deactivated) */
  allowedActions: z.array(z.enum(STAFF_ACTIONS)),
});
export type StaffAccount = z.infer<typeof staffAccountSchema>;

export const staffListSchema = z.object({
  items: z.array(staffAccountSchema),
  total: z.number().int(),
  /** active managers of the enterprise */
  activeManagers: z.number().int(),
  /** whether the caller may create officer accounts */
  mayCreate: z.boolean(),
});
export type StaffList = z.infer<typeof staffListSchema>;

export const staffListQuery = z.object({
  status: z.enum(USER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/** A new officer account for the enterprise: the manager hands over the initial password. */
export const createStaffBody = z.strictObject({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      USERNAME_PATTERN,
      "用户名为 2–40 位小写字母、数字、点、横线或下划线 / 2–40 lowercase letters, digits, . - _",
    ),
  displayName: z
    .string()
    .trim()
    .min(1, "请输入姓名 / display name is required")
    .max(60, "姓名最多 60 字 / at most 60 characters"),
  password: passwordRule,
  phone: mobileSchema.optional(),
  email: emailSchema.optional(),
});
export type CreateStaffBody = z.infer<typeof createStaffBody>;
