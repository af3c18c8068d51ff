/**
 * Who may do what with the grid risk index, as pure functions of the actor:
 * admins, coordinators and grid workers read the grids of their areas (a
 * grid worker is notified of their grid's warnings and acknowledges them);
 * admins and coordinators dismiss a warning or turn it into a preventive
 * case; admins and coordinators of the whole district set the weights (they
 * apply district-wide); admins recompute the day's index on demand.
 */
import type { Role } from "../../../shared/roles.js";
import type { GridWarningAction, GridWarningStatus } from "../../../shared/schemas/grid-risk.js";
import { type Actor, areaScopePaths, pathWithin } from "../access/access.policy.js";

const READERS: readonly Role[] = ["admin", "coordinator", "grid_worker"];
const MANAGERS: readonly Role[] = ["admin", "coordinator"];

/** The area paths whose grids the actor may read (none: no access at all). */
export function riskReadPaths(actor: Actor): string[] {
  return areaScopePaths(actor, READERS);
}

export function canReadGridRisk(actor: Actor): boolean {
  return riskReadPaths(actor).length > 0;
}

const covers = (actor: Actor, roles: readonly Role[], path: string) =>
  areaScopePaths(actor, roles).some((p) => pathWithin(path, p));

/** Admins and coordinators whose grant is the whole district. */
export function canEditRiskSettings(actor: Actor): boolean {
  return actor.grants.some(
    (g) => (g.role === "admin" || g.role === "coordinator") && g.scopeLevel === "district",
  );
}

export function canRunGridRisk(actor: Actor): boolean {
  return actor.grants.some((g) => g.role === "admin");
}

const LIVE: readonly GridWarningStatus[] = ["open", "acknowledged"];

/** What the actor may ever do with warnings of the grid at `gridPath`, whatever their status. */
export function warningRights(actor: Actor, gridPath: string): GridWarningAction[] {
  const out: GridWarningAction[] = [];
  if (covers(actor, READERS, gridPath)) out.push("acknowledge");
  if (covers(actor, MANAGERS, gridPath)) out.push("dismiss", "createTask");
  return out;
}

/** What the actor may do now with a warning of the grid at `gridPath` in `status`. */
export function allowedWarningActions(
  actor: Actor,
  warning: { status: GridWarningStatus; gridPath: string },
): GridWarningAction[] {
  if (!LIVE.includes(warning.status)) return [];
  return warningRights(actor, warning.gridPath).filter(
    (a) => a !== "acknowledge" || warning.status === "open",
  );
}
