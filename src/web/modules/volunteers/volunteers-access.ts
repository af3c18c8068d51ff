/** Who sees which volunteering screens (the server still decides every record). */

import { isEnterpriseRole } from "../../../shared/roles.js";
import type { MeResponse } from "../../../shared/schemas/auth.js";

/** Grid workers, coordinators and admins with an area; associations and enterprises. */
export function canManageVolunteers(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) =>
        ((g.role === "admin" || g.role === "coordinator" || g.role === "grid_worker") &&
          g.scopeKind === "area") ||
        g.role === "association_rep" ||
        isEnterpriseRole(g.role),
    ) ?? false
  );
}

/** Residents volunteer; staff plan and verify. */
export function canVolunteer(me: MeResponse | null): boolean {
  return me?.grants.some((g) => g.role === "resident") ?? false;
}

/** The hours queue: staff, and residents (team leaders see their teams' hours there). */
export function canVerifyHours(me: MeResponse | null): boolean {
  return canManageVolunteers(me) || canVolunteer(me);
}
