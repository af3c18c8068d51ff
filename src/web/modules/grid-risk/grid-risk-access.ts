/**
 * Who sees 网格风险 (the server still decides every request): the menu is
 * for the coordination centre (`coordination.read`: admins, coordinators);
 * grid workers reach their own grid's page from a warning's notification.
 */
import type { MeResponse } from "../../../shared/schemas/auth.js";
import { canCoordinate } from "../coordination/coordination-access.js";

/** The 网格风险 menu entry and the ranking of many grids. */
export function canOpenGridRisk(me: MeResponse | null): boolean {
  return canCoordinate(me);
}

/** The pages at all: coordinators, admins, and grid workers (their own grids). */
export function canSeeGridRisk(me: MeResponse | null): boolean {
  return (
    canCoordinate(me) ||
    (me?.grants ?? []).some((g) => g.role === "grid_worker" && g.scope !== null)
  );
}
