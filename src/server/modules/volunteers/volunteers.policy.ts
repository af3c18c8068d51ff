/**
 * Who may do what with volunteers, teams, shifts and service hours, as pure
 * functions of the actor and the facts of the record. Lists filter by the
 * same rules in SQL (the repositories take the data these functions derive).
 */
import { isEnterpriseRole, type Role } from "../../../shared/roles.js";
import { type Actor, pathWithin } from "../access/access.policy.js";

/** The path of the area above (a grid's community). */
export function parentPath(path: string): string {
  return path.replace(/[^/]+\/$/, "");
}

const STAFF_ROLES: readonly Role[] = ["admin", "coordinator", "grid_worker"];

/**
 * Where the actor oversees volunteers: an admin's or coordinator's area, and
 * for a grid worker the community their grid lies in (volunteers choose
 * communities, not grids).
 */
export function volunteerStaffPaths(actor: Actor): string[] {
  const paths = actor.grants
    .filter((g) => STAFF_ROLES.includes(g.role) && g.areaPath !== null)
    .map((g) =>
      g.role === "grid_worker" && g.scopeLevel === "grid"
        ? parentPath(g.areaPath as string)
        : (g.areaPath as string),
    );
  return paths.filter((p, i) => !paths.some((q, j) => j !== i && q !== p && p.startsWith(q)));
}

/** Paths where the actor plans shifts: an admin's or coordinator's area, a grid worker's grid. */
export function shiftStaffPaths(actor: Actor): string[] {
  return actor.grants
    .filter((g) => STAFF_ROLES.includes(g.role) && g.areaPath !== null)
    .map((g) => g.areaPath as string);
}

/** The enterprises and associations the actor represents. */
export function organisationIdsOf(actor: Actor): string[] {
  return actor.grants
    .filter((g) => (g.role === "association_rep" || isEnterpriseRole(g.role)) && g.scopeId)
    .map((g) => g.scopeId as string);
}

/** Staff or an organisation's representative: may look for volunteers at all. */
export function isVolunteerStaff(actor: Actor): boolean {
  return volunteerStaffPaths(actor).length > 0 || organisationIdsOf(actor).length > 0;
}

export interface TeamFacts {
  kind: "community" | "enterprise" | "association";
  areaPath: string;
  organisationId: string | null;
}

/** May the actor add and remove members, appoint leaders and plan the team's shifts? */
export function canManageTeam(actor: Actor, t: TeamFacts): boolean {
  const coord = actor.grants.some(
    (g) =>
      (g.role === "admin" || g.role === "coordinator") &&
      g.areaPath !== null &&
      pathWithin(t.areaPath, g.areaPath),
  );
  if (coord) return true;
  if (t.organisationId !== null) return organisationIdsOf(actor).includes(t.organisationId);
  return actor.grants.some(
    (g) =>
      g.role === "grid_worker" &&
      g.areaPath !== null &&
      pathWithin(t.areaPath, g.scopeLevel === "grid" ? parentPath(g.areaPath) : g.areaPath),
  );
}

/** May the actor create a team of this kind in this community for this organisation? */
export function canCreateTeam(actor: Actor, t: TeamFacts): boolean {
  if (t.kind === "community" && t.organisationId !== null) return false;
  if (t.kind !== "community" && t.organisationId === null) return false;
  return canManageTeam(actor, t);
}

export interface AreaFacts {
  path: string;
  level: string;
}

/**
 * May the actor plan a shift (without a team) in this area: inside their
 * grant's area, or (a grid worker) the community their grid lies in.
 */
export function canPlanShiftIn(actor: Actor, area: AreaFacts): boolean {
  return actor.grants.some((g) => {
    if (!STAFF_ROLES.includes(g.role) || g.areaPath === null) return false;
    if (pathWithin(area.path, g.areaPath)) return true;
    return (
      g.role === "grid_worker" && area.level === "community" && pathWithin(g.areaPath, area.path)
    );
  });
}

export interface ShiftFacts {
  areaPath: string;
  organisationId: string | null;
  createdBy: string;
  /** users leading the shift's team now */
  teamLeaderUserIds: string[];
}

/**
 * Oversees the shift: sees every sign-up and may verify hours (except their
 * own): its creator, staff whose area covers it (a grid worker whose grid
 * lies in it or contains it), its organisation, the leaders of its team.
 */
export function overseesShift(actor: Actor, s: ShiftFacts): boolean {
  if (actor.kind !== "user" || actor.userId === null) return false;
  if (s.createdBy === actor.userId) return true;
  if (s.teamLeaderUserIds.includes(actor.userId)) return true;
  if (s.organisationId !== null && organisationIdsOf(actor).includes(s.organisationId)) return true;
  return actor.grants.some(
    (g) =>
      STAFF_ROLES.includes(g.role) &&
      g.areaPath !== null &&
      (pathWithin(s.areaPath, g.areaPath) ||
        (g.role === "grid_worker" && pathWithin(g.areaPath, s.areaPath))),
  );
}

/** May the actor verify, reject or correct these hours? Never their own. */
export function canVerifyHours(
  actor: Actor,
  s: ShiftFacts,
  volunteerUserId: string,
): { ok: true } | { ok: false; reason: "own" | "forbidden" } {
  if (actor.userId === volunteerUserId) return { ok: false, reason: "own" };
  return overseesShift(actor, s) ? { ok: true } : { ok: false, reason: "forbidden" };
}
