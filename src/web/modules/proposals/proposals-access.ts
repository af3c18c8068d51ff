/**
 * Who sees which deliberation page, read from the grants (the server still
 * decides every request): everyone signed in reads and supports proposals;
 * staff get the desk (departments answer, coordinators oversee).
 */
import type { MeResponse } from "../../../shared/schemas/auth.js";

const DESK_ROLES = ["admin", "coordinator", "department_officer", "grid_worker"];

/** 议事协商 desk: departments, coordinators and grid workers. */
export function canUseProposalDesk(me: MeResponse | null): boolean {
  return me?.grants.some((g) => DESK_ROLES.includes(g.role) && g.scope !== null) ?? false;
}

/** Coordinators (and admins) of an area: settings, early submission, proposals from cases. */
export function coordinatesProposals(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) => (g.role === "coordinator" || g.role === "admin") && g.scopeKind === "area",
    ) ?? false
  );
}

export function answersProposals(me: MeResponse | null): boolean {
  return me?.grants.some((g) => g.role === "department_officer" && g.scope !== null) ?? false;
}
