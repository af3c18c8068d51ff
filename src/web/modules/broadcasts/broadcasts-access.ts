/**
 * Who sees which broadcast screens, read from the grants (the server still
 * decides every request): government writes them (admins, coordinators,
 * department officers), residents receive them.
 */
import type { MeResponse } from "../../../shared/schemas/auth.js";
import { isResident } from "../../auth/access.js";

const ISSUERS = ["admin", "coordinator", "department_officer"];

/** 定向广播: writes and follows broadcasts. */
export function issuesBroadcasts(me: MeResponse | null): boolean {
  return me?.grants.some((g) => ISSUERS.includes(g.role) && g.scope !== null) ?? false;
}

/** 广播通知: the broadcasts that reached them in the app. */
export function receivesBroadcasts(me: MeResponse | null): boolean {
  return isResident(me);
}

export function canUseBroadcasts(me: MeResponse | null): boolean {
  return issuesBroadcasts(me) || receivesBroadcasts(me);
}
