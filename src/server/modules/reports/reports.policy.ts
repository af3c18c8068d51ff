/**
 * Who may read and make district reports, as pure functions: the
 * coordination centre's people (admins and coordinators), inside the areas
 * their grants reach — the same scope as the figures a report is made of.
 */
import type { Role } from "../../../shared/roles.js";
import type { Actor, ActorGrant } from "../access/access.policy.js";
import { areaScopePaths, pathWithin } from "../access/access.policy.js";

export const REPORT_ROLES: readonly Role[] = ["admin", "coordinator"];

/** The area paths whose reports the actor reads, makes and schedules. */
export const reportScopes = (a: Actor) => areaScopePaths(a, REPORT_ROLES);

export const mayUseReports = (a: Actor) => reportScopes(a).length > 0;

export const reportInScope = (scopes: string[], areaPath: string) =>
  scopes.some((s) => pathWithin(areaPath, s));

/** Levels that get a report: a grid is too small to say much on its own. */
export const REPORT_LEVELS = ["district", "street", "community"] as const;

/** The level a report breaks its area down by. */
export const CHILD_LEVEL = { district: "street", street: "community", community: "grid" } as const;

/**
 * The actor the `reports` job reads the figures as: the coordination centre
 * of the schedule's area, and nothing wider.
 */
export function scheduleActor(area: {
  id: string;
  code: string;
  name: string;
  level: string;
  path: string;
}): Actor {
  const grant: ActorGrant = {
    id: "0",
    role: "coordinator",
    scopeKind: "area",
    scopeId: area.id,
    scopeName: area.name,
    scopeCode: area.code,
    scopeLevel: area.level,
    areaPath: area.path,
  };
  return {
    kind: "user",
    userId: null,
    tokenId: null,
    label: "job:reports",
    grants: [grant],
    tokenScopes: [],
    displayName: "综治报告定时任务",
  };
}
