import { z } from "zod";
import { emailSchema } from "../formats/email.js";
import { mobileSchema } from "../formats/mobile.js";
import { ROLES } from "../roles.js";
import { grantSchema, passwordRule, USERNAME_PATTERN } from "./auth.js";

export const USER_STATUSES = ["active", "locked", "disabled"] as const;

/** A grant to give: the role and the one scope it needs (see ROLE_SCOPE). */
export const grantInput = z.strictObject({
  role: z.enum(ROLES),
  areaCode: z
    .string()
    .regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area code is 6–18 digits")
    .optional(),
  departmentId: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  organisationId: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
});
export type GrantInput = z.infer<typeof grantInput>;

export const createUserBody = z.strictObject({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      USERNAME_PATTERN,
      "用户名为 2–40 位小写字母、数字、点、横线或下划线 / 2–40 lowercase letters, digits, . - _",
    ),
  displayName: z.string().trim().min(1, "请输入姓名 / display name is required").max(60),
  password: passwordRule,
  phone: mobileSchema.optional(),
  /** where notifications go by e-mail */
  email: emailSchema.optional(),
  grants: z.array(grantInput).max(20).default([]),
});

export const updateUserBody = z
  .strictObject({
    displayName: z.string().trim().min(1).max(60).optional(),
    status: z.enum(["active", "disabled"]).optional(),
    /** a new address, or null to remove it */
    email: emailSchema.nullable().optional(),
  })
  .refine(
    (b) => b.displayName !== undefined || b.status !== undefined || b.email !== undefined,
    "没有要修改的内容 / nothing to change",
  );

export const resetPasswordBody = z.strictObject({ newPassword: passwordRule });

export const userListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  status: z.enum(USER_STATUSES).optional(),
  role: z.enum(ROLES).optional(),
  sort: z.enum(["username", "-username", "createdAt", "-createdAt"]).default("username"),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const adminUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  status: z.enum(USER_STATUSES),
  /** masked, e.g. 138****5678 */
  phone: z.string().nullable(),
  /** where notifications go by e-mail */
  email: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  grants: z.array(grantSchema),
  allowedActions: z.array(z.enum(["edit", "disable", "unlock", "reset_password", "grant"])),
});
export type AdminUser = z.infer<typeof adminUser>;
