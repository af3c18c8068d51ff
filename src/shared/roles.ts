/**
 * Roles and the kinds of scope a grant may carry. Permissions are the named
 * things a user may do; the server computes them from grants (policies) and
 * the web app only reads them to show or hide menus and buttons.
 */
export const ROLES = [
  "admin",
  "coordinator",
  "department_officer",
  "grid_worker",
  "enterprise_officer",
  "enterprise_manager",
  "association_rep",
  "resident",
] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_KINDS = ["area", "department", "organisation", "self"] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const AREA_LEVELS = ["district", "street", "community", "grid"] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

/** The scope kind each role's grant must have. */
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  admin: "area",
  coordinator: "area",
  department_officer: "department",
  grid_worker: "area",
  enterprise_officer: "organisation",
  enterprise_manager: "organisation",
  association_rep: "organisation",
  resident: "self",
};

/**
 * The roles an enterprise's own people hold, for one enterprise each: its
 * safety officer (安全员) and its manager (企业负责人). A manager may do
 * everything an officer of the same enterprise may, and also keeps the
 * enterprise's staff accounts and signs its payroll declarations.
 */
export const ENTERPRISE_ROLES = ["enterprise_officer", "enterprise_manager"] as const;
export type EnterpriseRole = (typeof ENTERPRISE_ROLES)[number];

export function isEnterpriseRole(role: Role): role is EnterpriseRole {
  return role === "enterprise_officer" || role === "enterprise_manager";
}

export const PERMISSIONS = [
  "areas.read",
  "areas.edit",
  "departments.read",
  "admin.users",
  "admin.tokens",
  "audit.read",
  /** the coordination centre's dashboards and their live updates */
  "coordination.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** API token scopes other systems may be granted. */
export const TOKEN_SCOPES = [
  "areas:read",
  "cases:read",
  "cases:write",
  "open311:write",
  "residents:write",
  "employees:write",
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
