/**
 * Who may do what, as pure functions of the actor. Areas are compared by their
 * materialised path ("/320505/320505001/…/"): a grant on an area covers every
 * area whose path starts with the grant's path. Nothing here touches SQL; list
 * queries use `areaScopePaths` to filter in the database.
 */
import type { Permission, Role, ScopeKind } from "../../../shared/roles.js";
import { isEnterpriseRole, PERMISSIONS } from "../../../shared/roles.js";

export interface ActorGrant {
  id: string;
  role: Role;
  scopeKind: ScopeKind;
  /** area, department or organisation id, by scopeKind; null for self */
  scopeId: string | null;
  scopeName: string | null;
  scopeCode: string | null;
  scopeLevel: string | null;
  /** Path of the area the grant reaches (the area itself, or the department's
   *  / organisation's home area); null for self. */
  areaPath: string | null;
}

export interface Actor {
  kind: "user" | "token";
  userId: string | null;
  tokenId: string | null;
  label: string;
  grants: ActorGrant[];
  /** API token scopes (kind = token). */
  tokenScopes: string[];
  /** How people see the user on a case's timeline ("王海（狮山派出所）"); the
   *  audit trail keeps `label` (the username). */
  displayName?: string;
}

export type Rule = (actor: Actor) => boolean;

export const and =
  (...rules: Rule[]): Rule =>
  (a) =>
    rules.every((r) => r(a));
export const or =
  (...rules: Rule[]): Rule =>
  (a) =>
    rules.some((r) => r(a));

export const hasRole =
  (...roles: Role[]): Rule =>
  (a) =>
    a.grants.some((g) => roles.includes(g.role));

export const isAdmin: Rule = hasRole("admin");
export const isStaff: Rule = (a) => a.grants.some((g) => g.role !== "resident");
export const hasTokenScope =
  (scope: string): Rule =>
  (a) =>
    a.kind === "token" && a.tokenScopes.includes(scope);

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  coordinator: ["areas.read", "areas.edit", "departments.read", "audit.read", "coordination.read"],
  department_officer: ["areas.read", "departments.read"],
  grid_worker: ["areas.read", "departments.read"],
  enterprise_officer: ["areas.read", "departments.read"],
  enterprise_manager: ["areas.read", "departments.read"],
  association_rep: ["areas.read", "departments.read"],
  resident: [],
};

const TOKEN_PERMISSIONS: Record<string, readonly Permission[]> = {
  "areas:read": ["areas.read", "departments.read"],
};

export function permissionsOf(actor: Actor): Permission[] {
  const set = new Set<Permission>();
  for (const g of actor.grants) for (const p of ROLE_PERMISSIONS[g.role]) set.add(p);
  if (actor.kind === "token") {
    for (const s of actor.tokenScopes) for (const p of TOKEN_PERMISSIONS[s] ?? []) set.add(p);
  }
  return PERMISSIONS.filter((p) => set.has(p));
}

export const hasPermission =
  (permission: Permission): Rule =>
  (a) =>
    permissionsOf(a).includes(permission);

/** True when `path` lies inside (or is) the area at `scopePath`. */
export function pathWithin(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}

/** The area paths an actor's grants of the given roles reach. */
export function areaScopePaths(actor: Actor, roles?: readonly Role[]): string[] {
  const paths = actor.grants
    .filter((g) => g.areaPath !== null && (!roles || roles.includes(g.role)))
    .map((g) => g.areaPath as string);
  // Drop paths covered by a shorter one so SQL gets the fewest prefixes.
  return paths.filter((p, i) => !paths.some((q, j) => j !== i && q !== p && p.startsWith(q)));
}

/** May the actor edit the geography (boundaries) of the area at `areaPath`? */
export function canEditArea(actor: Actor, areaPath: string): boolean {
  return actor.grants.some(
    (g) =>
      (g.role === "admin" || g.role === "coordinator") &&
      g.areaPath !== null &&
      pathWithin(areaPath, g.areaPath),
  );
}

/**
 * What base-data records an actor may see, as data for SQL filters: records
 * under any of `areaPaths`, records tied to any of `organisationIds` (an
 * enterprise officer's employees and dormitories), and the actor's own
 * resident record. `all` short-cuts everything for district-wide grants.
 */
export interface DataScope {
  areaPaths: string[];
  organisationIds: string[];
  selfUserId: string | null;
}

/** Roles whose area (own, or their department's) bounds what they see. */
const AREA_SCOPED_ROLES: readonly Role[] = [
  "admin",
  "coordinator",
  "grid_worker",
  "department_officer",
];

export function dataScopeOf(actor: Actor): DataScope {
  return {
    areaPaths: areaScopePaths(actor, AREA_SCOPED_ROLES),
    organisationIds: actor.grants
      .filter((g) => isEnterpriseRole(g.role) && g.scopeId !== null)
      .map((g) => g.scopeId as string),
    selfUserId: actor.grants.some((g) => g.role === "resident") ? actor.userId : null,
  };
}

export function scopeIsEmpty(s: DataScope): boolean {
  return s.areaPaths.length === 0 && s.organisationIds.length === 0 && s.selfUserId === null;
}

/** Roles that keep base data (addresses, housing, residents) in their area. */
const BASE_DATA_EDITORS: readonly Role[] = [
  "admin",
  "coordinator",
  "grid_worker",
  "department_officer",
];

/** May the actor create or change base data located at `areaPath`? */
export function canEditBaseData(actor: Actor, areaPath: string): boolean {
  return actor.grants.some(
    (g) =>
      BASE_DATA_EDITORS.includes(g.role) && g.areaPath !== null && pathWithin(areaPath, g.areaPath),
  );
}

/**
 * Where a person registered without an address is kept: in the area of the
 * registering actor's base-data grant (a grid worker's grid), so they stay in
 * sight of whoever registered them and of the coordinators above; null for
 * actors with no such grant (an enterprise sees its employees through the
 * employer, a resident themself through the account).
 */
export function unplacedAreaPathOf(actor: Actor): string | null {
  return (
    actor.grants.find((g) => BASE_DATA_EDITORS.includes(g.role) && g.areaPath !== null)?.areaPath ??
    null
  );
}

export const canEditAnyBaseData: Rule = (a) =>
  a.grants.some((g) => BASE_DATA_EDITORS.includes(g.role) && g.areaPath !== null);

/**
 * Roles that may ever see a full ID or phone number: base-data editors (of
 * people in their area) and residents (their own). Others are refused before
 * any record is looked up.
 */
export const canRevealAnyPersonalData: Rule = or(canEditAnyBaseData, hasRole("resident"));

/**
 * Admins and coordinators of the whole district oversee everyone's imports;
 * others see only their own (an import's refused rows hold the personal
 * numbers people typed, from anywhere in the file).
 */
export const overseesAllImports: Rule = (a) =>
  a.grants.some(
    (g) => (g.role === "admin" || g.role === "coordinator") && g.scopeLevel === "district",
  );
