/**
 * Who may do what in an enterprise's workspace, as pure functions of the
 * actor and the enterprise (its id and area path). Seeing an enterprise is
 * decided in SQL (enterpriseScopeOf → the repository's filter); these rules
 * decide the actions on one the caller already sees.
 */

import { isEnterpriseRole } from "../../../shared/roles.js";
import type { EnterpriseAction } from "../../../shared/schemas/enterprises.js";
import {
  type Actor,
  areaScopePaths,
  canEditBaseData,
  hasTokenScope,
  pathWithin,
} from "../access/access.policy.js";

/** The enterprises the actor holds an enterprise officer's or manager's grant for. */
export function officerOf(actor: Actor): string[] {
  return actor.grants
    .filter((g) => isEnterpriseRole(g.role) && g.scopeId !== null)
    .map((g) => g.scopeId as string);
}

/** The enterprises the actor manages (企业负责人): they keep its staff accounts. */
export function managerOf(actor: Actor): string[] {
  return actor.grants
    .filter((g) => g.role === "enterprise_manager" && g.scopeId !== null)
    .map((g) => g.scopeId as string);
}

/** Government roles that see the enterprises registered in their area. */
const AREA_ROLES = ["admin", "coordinator", "grid_worker", "department_officer"] as const;

/**
 * What of the enterprise list an actor sees, as data for SQL: enterprises
 * under these area paths, and these enterprises by id. Anyone else (an
 * association, a resident, a token) sees nothing.
 */
export interface EnterpriseScope {
  areaPaths: string[];
  organisationIds: string[];
}

export function enterpriseScopeOf(actor: Actor): EnterpriseScope {
  return { areaPaths: areaScopePaths(actor, AREA_ROLES), organisationIds: officerOf(actor) };
}

export function scopeIsEmpty(s: EnterpriseScope): boolean {
  return s.areaPaths.length === 0 && s.organisationIds.length === 0;
}

interface EnterpriseRef {
  id: string;
  areaPath: string;
}

/** The enterprise's own officers, and base-data editors of its area. */
export function canManageWorkforce(actor: Actor, e: EnterpriseRef): boolean {
  return officerOf(actor).includes(e.id) || canEditBaseData(actor, e.areaPath);
}

/**
 * The enterprise's staff accounts are kept by its managers, and by
 * administrators whose area holds it (who may also use the admin pages).
 */
export function canManageStaff(actor: Actor, e: EnterpriseRef): boolean {
  return (
    managerOf(actor).includes(e.id) ||
    actor.grants.some(
      (g) => g.role === "admin" && g.areaPath !== null && pathWithin(e.areaPath, g.areaPath),
    )
  );
}

/** Sites are kept by the same people as the workforce. */
export const canManageSites = canManageWorkforce;

/** An HR system with an `employees:write` token pushes employee records. */
export const isEmployeePusher = hasTokenScope("employees:write");

/** The actions the profile offers the caller, so the web app can show or hide its buttons. */
export function allowedActions(actor: Actor, e: EnterpriseRef): EnterpriseAction[] {
  const out: EnterpriseAction[] = [];
  if (canManageSites(actor, e)) out.push("manageSites");
  if (canManageWorkforce(actor, e)) out.push("manageEmployees", "assignDormitory");
  if (canManageStaff(actor, e)) out.push("manageStaff");
  return out;
}
