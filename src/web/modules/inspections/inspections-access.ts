/**
 * Who sees the self-inspection and hazard screens (the server still decides
 * every request): government staff of an area, and enterprise officers for
 * their own enterprise.
 */

import { isEnterpriseRole } from "../../../shared/roles.js";
import type { MeResponse } from "../../../shared/schemas/auth.js";

const GOVERNMENT = ["admin", "coordinator", "department_officer", "grid_worker"];

/** Government staff with an area or a department. */
export function isGovernment(me: MeResponse | null): boolean {
  return me?.grants.some((g) => GOVERNMENT.includes(g.role) && g.scope !== null) ?? false;
}

export function isEnterpriseOfficer(me: MeResponse | null): boolean {
  return me?.grants.some((g) => isEnterpriseRole(g.role) && g.scope !== null) ?? false;
}

/** 隐患整改 and 企业自查: government staff and enterprise officers. */
export function canSeeHazards(me: MeResponse | null): boolean {
  return isGovernment(me) || isEnterpriseOfficer(me);
}

/** 自查检查表 and 抽查: admins, coordinators and department officers. */
export function canManageInspections(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) => ["admin", "coordinator", "department_officer"].includes(g.role) && g.scope !== null,
    ) ?? false
  );
}
