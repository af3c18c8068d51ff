/** The account administration endpoints (/api/admin/users) and the department search the grant form uses. */
import type { Role } from "../../../shared/roles.js";
import type { AdminUser, GrantInput, USER_STATUSES } from "../../../shared/schemas/users.js";
import { api } from "../../api/client.js";

export type UserStatus = (typeof USER_STATUSES)[number];
export type UserSort = "username" | "-username" | "createdAt" | "-createdAt";

export interface UserListFilter {
  q?: string | undefined;
  status?: UserStatus | undefined;
  role?: Role | undefined;
  sort: UserSort;
  limit: number;
  offset: number;
}

const base = "/api/admin/users";
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export function listUsers(f: UserListFilter, signal?: AbortSignal) {
  return api<{ items: AdminUser[]; total: number }>(base, {
    query: { ...f },
    ...(signal ? { signal } : {}),
  });
}

export function getUser(id: string, signal?: AbortSignal) {
  return api<AdminUser>(one(id), signal ? { signal } : {});
}

export function createUser(body: {
  username: string;
  displayName: string;
  password: string;
  email?: string;
  grants: GrantInput[];
}) {
  return api<AdminUser>(base, { method: "POST", body });
}

export function updateUser(
  id: string,
  body: { displayName?: string; status?: "active" | "disabled"; email?: string | null },
) {
  return api<AdminUser>(one(id), { method: "PATCH", body });
}

export function resetPassword(id: string, newPassword: string) {
  return api<void>(`${one(id)}/password`, { method: "POST", body: { newPassword } });
}

export function addGrant(id: string, grant: GrantInput) {
  return api<AdminUser>(`${one(id)}/grants`, { method: "POST", body: grant });
}

export function removeGrant(id: string, grantId: string) {
  return api<void>(`${one(id)}/grants/${encodeURIComponent(grantId)}`, { method: "DELETE" });
}
