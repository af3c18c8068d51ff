/**
 * Who may do what with broadcasts, as pure functions: which grant a new
 * broadcast is issued under (and so how far its audience reaches), which
 * broadcasts a member of staff manages, and what a broadcast allows in its
 * state. Recipients are not a role: anyone a delivery row names reads it.
 */
import type { BroadcastAction, BroadcastStatus } from "../../../shared/schemas/broadcasts.js";
import type { Actor, ActorGrant } from "../access/access.policy.js";
import { areaScopePaths, pathWithin } from "../access/access.policy.js";

/** Roles that write broadcasts: the coordination centre, and department officers. */
export const ISSUER_ROLES = ["admin", "coordinator", "department_officer"] as const;

const issuerGrants = (a: Actor) =>
  a.grants.filter(
    (g): g is ActorGrant & { areaPath: string } =>
      (ISSUER_ROLES as readonly string[]).includes(g.role) && g.areaPath !== null,
  );

export const isIssuer = (a: Actor) => issuerGrants(a).length > 0;

/** Anyone signed in with an account may have received broadcasts. */
export const isPerson = (a: Actor) => a.kind === "user" && a.userId !== null;

export interface Issuer {
  /** the audience stays within this area */
  areaPath: string;
  departmentId: string | null;
  /** how recipients read who sent it */
  name: string;
}

/**
 * The grant a new broadcast goes out under: the widest area among the
 * actor's admin and coordinator grants (that area's coordination centre),
 * else their department (its home area). Null for anyone else.
 */
export function issuerOf(a: Actor): Issuer | null {
  const grants = issuerGrants(a);
  const centre = grants
    .filter((g) => g.role === "admin" || g.role === "coordinator")
    .sort((x, y) => x.areaPath.length - y.areaPath.length)[0];
  if (centre)
    return {
      areaPath: centre.areaPath,
      departmentId: null,
      name: `${centre.scopeName ?? ""}综治中心`,
    };
  const dept = grants.find((g) => g.role === "department_officer");
  if (dept)
    return { areaPath: dept.areaPath, departmentId: dept.scopeId, name: dept.scopeName ?? "" };
  return null;
}

/** The broadcasts a member of staff manages: issued inside their areas, by their department, or by them. */
export interface BroadcastScope {
  areaPaths: string[];
  departmentIds: string[];
  userId: string | null;
}

export function broadcastScopeOf(a: Actor): BroadcastScope {
  return {
    areaPaths: areaScopePaths(a, ["admin", "coordinator"]),
    departmentIds: a.grants.flatMap((g) =>
      g.role === "department_officer" && g.scopeId ? [g.scopeId] : [],
    ),
    userId: isIssuer(a) ? a.userId : null,
  };
}

/** Does the scope cover a broadcast (the same test as the SQL filter)? */
export function broadcastInScope(
  s: BroadcastScope,
  b: { area_path: string; department_id: string | null; created_by: string | null },
): boolean {
  return (
    s.areaPaths.some((p) => pathWithin(b.area_path, p)) ||
    (b.department_id !== null && s.departmentIds.includes(b.department_id)) ||
    (s.userId !== null && b.created_by === s.userId)
  );
}

/** A draft is edited, deleted and sent; once sent it stays as it was. */
export function allowedActions(status: BroadcastStatus): BroadcastAction[] {
  return status === "draft" ? ["edit", "delete", "send"] : [];
}
