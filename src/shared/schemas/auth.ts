import { z } from "zod";
import { AREA_LEVELS, PERMISSIONS, ROLES, SCOPE_KINDS, TOKEN_SCOPES } from "../roles.js";

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{1,39}$/;

export const loginBody = z.strictObject({
  username: z.string().trim().min(1, "请输入用户名 / username is required").max(64),
  password: z.string().min(1, "请输入密码 / password is required").max(256),
});

export const passwordRule = z
  .string()
  .min(10, "密码至少 10 位 / at least 10 characters")
  .max(256)
  .refine(
    (p) => /[A-Za-z]/.test(p) && /\d/.test(p),
    "密码须同时包含字母和数字 / letters and digits",
  );

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordRule,
});

export const grantSchema = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  scopeKind: z.enum(SCOPE_KINDS),
  scope: z
    .object({
      id: z.string(),
      name: z.string(),
      code: z.string().optional(),
      level: z.enum(AREA_LEVELS).optional(),
    })
    .nullable(),
});
export type Grant = z.infer<typeof grantSchema>;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  status: z.enum(["active", "locked", "disabled"]),
});
export type User = z.infer<typeof userSchema>;

export const meResponse = z.object({
  user: userSchema,
  grants: z.array(grantSchema),
  permissions: z.array(z.enum(PERMISSIONS)),
  csrfToken: z.string(),
});
export type MeResponse = z.infer<typeof meResponse>;

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1, "名称不能为空 / name is required").max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, "至少选择一个权限范围 / at least one scope"),
});

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
