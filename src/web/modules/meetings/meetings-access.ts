/**
 * Who sees 联席会议 (the server still decides every request): coordinators
 * and admins (`coordination.read`) run the meetings of their areas;
 * department officers and the people of enterprises and associations see
 * the meetings they are invited to and their own action items.
 */
import { isEnterpriseRole } from "../../../shared/roles.js";
import type { MeResponse } from "../../../shared/schemas/auth.js";
import { hasPermission } from "../../auth/access.js";

export function runsMeetings(me: MeResponse | null): boolean {
  return hasPermission(me, "coordination.read");
}

/** A department or organisation that may be invited and own action items. */
export function isInvitable(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) =>
        g.scope !== null &&
        (g.role === "department_officer" ||
          g.role === "association_rep" ||
          isEnterpriseRole(g.role)),
    ) ?? false
  );
}

export function canSeeMeetings(me: MeResponse | null): boolean {
  return runsMeetings(me) || isInvitable(me);
}
