/**
 * Who sees the liaison pages, read from the grants (the server still decides
 * every request): government issues notices, enterprise officers receive
 * them and ask for mediation, association representatives answer requests.
 */

import { isEnterpriseRole } from "../../../shared/roles.js";
import type { MeResponse } from "../../../shared/schemas/auth.js";

const GOVERNMENT = ["admin", "coordinator", "department_officer"];

export function issuesNotices(me: MeResponse | null): boolean {
  return me?.grants.some((g) => GOVERNMENT.includes(g.role) && g.scope !== null) ?? false;
}

export function isEnterpriseOfficer(me: MeResponse | null): boolean {
  return me?.grants.some((g) => isEnterpriseRole(g.role) && g.scope !== null) ?? false;
}

export function isAssociationRep(me: MeResponse | null): boolean {
  return me?.grants.some((g) => g.role === "association_rep" && g.scope !== null) ?? false;
}

/** 通知公告: government sends, enterprises receive. */
export function canUseNotices(me: MeResponse | null): boolean {
  return issuesNotices(me) || isEnterpriseOfficer(me);
}

/** 调解申请: enterprises ask, associations answer, government reads. */
export function canUseMediations(me: MeResponse | null): boolean {
  return issuesNotices(me) || isEnterpriseOfficer(me) || isAssociationRep(me);
}
