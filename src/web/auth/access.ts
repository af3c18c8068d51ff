/**
 * What the signed-in user may see. The server decides permissions; the web
 * app only reads them to show or hide menus, links and pages.
 */

import type { Permission } from "../../shared/roles.js";
import { isEnterpriseRole } from "../../shared/roles.js";
import type { MeResponse } from "../../shared/schemas/auth.js";

export function hasPermission(me: MeResponse | null, p: Permission): boolean {
  return me?.permissions.includes(p) ?? false;
}

/** Staff are users with any grant besides `resident`. */
export function isStaff(me: MeResponse | null): boolean {
  return me?.grants.some((g) => g.role !== "resident") ?? false;
}

/** Holds the resident role (a person who may register themself). */
export function isResident(me: MeResponse | null): boolean {
  return me?.grants.some((g) => g.role === "resident") ?? false;
}

/** The area browser is a staff tool, even though residents may read areas. */
export function canBrowseAreas(me: MeResponse | null): boolean {
  return isStaff(me) && hasPermission(me, "areas.read");
}

export function canManageTokens(me: MeResponse | null): boolean {
  return hasPermission(me, "admin.tokens");
}

export function canManageUsers(me: MeResponse | null): boolean {
  return hasPermission(me, "admin.users");
}

/** Roles that keep base data in an area: they may import spreadsheets and register records. */
const BASE_DATA_EDITORS = ["admin", "coordinator", "grid_worker", "department_officer"];

/** Mirrors canEditAnyBaseData on the server (the server still decides). */
export function canEditAnyBaseData(me: MeResponse | null): boolean {
  return me?.grants.some((g) => BASE_DATA_EDITORS.includes(g.role) && g.scope !== null) ?? false;
}

/** The enterprises whose employees the user registers (enterprise officers and managers). */
export function ownEnterprises(me: MeResponse | null): { id: string; name: string }[] {
  return (me?.grants ?? []).flatMap((g) =>
    isEnterpriseRole(g.role) && g.scope ? [{ id: g.scope.id, name: g.scope.name }] : [],
  );
}

/** Who may register residents: base-data staff, and enterprises (their employees). */
export function canRegisterResidents(me: MeResponse | null): boolean {
  return canEditAnyBaseData(me) || ownEnterprises(me).length > 0;
}

/** Where the user works: the code of their first area grant (a grid worker's grid), if any. */
export function homeAreaCode(me: MeResponse | null): string | null {
  return me?.grants.find((g) => g.scopeKind === "area" && g.scope?.code)?.scope?.code ?? null;
}

/**
 * Who may add and change rules of the responsibility list: coordinators and
 * admins with an area (the server still checks the rule's area is theirs).
 */
export function canEditRoutingRules(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) => (g.role === "coordinator" || g.role === "admin") && g.scopeKind === "area",
    ) ?? false
  );
}

/** Mirrors canEditTaxonomy on the server: the district's admins and coordinators. */
export function canEditTaxonomy(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) => (g.role === "coordinator" || g.role === "admin") && g.scope?.level === "district",
    ) ?? false
  );
}

/** Government staff who browse the enterprise list (企业): the roles that see enterprises by area. */
export function canBrowseEnterprises(me: MeResponse | null): boolean {
  return (
    me?.grants.some((g) =>
      ["admin", "coordinator", "department_officer", "grid_worker"].includes(g.role),
    ) ?? false
  );
}
