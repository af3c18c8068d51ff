/**
 * The life of a hazard as an explicit state machine, pure:
 *
 *   open ──plan──▶ rectifying ──complete──▶ submitted ──verify(accept)──▶ closed
 *                      ▲  │plan (revise)                 │
 *                      └──┴──────── verify(return) ◀─────┘
 *
 * plus `supervise` (挂牌督办), which changes no status: a department officer
 * puts a major hazard under their department's supervision. Who may act
 * depends on how the person stands to the hazard (the service works that
 * out from grants); a major hazard is verified only by the supervising
 * department or a coordinator, and it cannot be accepted (closed) at all
 * until a department has put it under supervision: closing a major hazard
 * is a department's accountable decision, not a desk formality.
 */
import { isEnterpriseRole, type Role } from "../../../shared/roles.js";
import type {
  HazardAction,
  HazardLevel,
  HazardStatus,
} from "../../../shared/schemas/inspections.js";
import { type Actor, pathWithin } from "../access/access.policy.js";

/** How the acting person stands to one hazard. */
export interface HazardRelation {
  /** an officer of the enterprise that must rectify */
  enterprise: boolean;
  /** government staff (admin, coordinator, department officer, grid worker) whose area covers the enterprise */
  areaStaff: boolean;
  /** a coordinator or admin whose area covers the enterprise */
  coordinator: boolean;
  /** the department of a department officer whose area covers the enterprise (null: none) */
  departmentId: string | null;
  /** an officer of the department supervising the hazard */
  supervising: boolean;
}

export interface HazardFacts {
  status: HazardStatus;
  level: HazardLevel;
  supervisingDepartmentId: string | null;
}

interface Rule {
  from: readonly HazardStatus[];
  who: (r: HazardRelation, h: HazardFacts) => boolean;
  /** an extra condition on the hazard */
  guard?: (h: HazardFacts) => boolean;
}

const RULES: Record<HazardAction, Rule> = {
  plan: { from: ["open", "rectifying"], who: (r) => r.enterprise },
  complete: { from: ["rectifying"], who: (r) => r.enterprise },
  verify: {
    from: ["submitted"],
    who: (r, h) => (h.level === "major" ? r.supervising || r.coordinator : r.areaStaff),
  },
  supervise: {
    from: ["open", "rectifying", "submitted"],
    who: (r) => r.departmentId !== null,
    guard: (h) => h.level === "major" && h.supervisingDepartmentId === null,
  },
};

/** Where an action leads (verify: by the decision). */
export function nextStatus(
  action: HazardAction,
  from: HazardStatus,
  decision?: "accept" | "return",
): HazardStatus {
  switch (action) {
    case "plan":
      return "rectifying";
    case "complete":
      return "submitted";
    case "verify":
      return decision === "return" ? "rectifying" : "closed";
    default:
      return from;
  }
}

/** The actions this person may take on the hazard now. */
export function allowedHazardActions(h: HazardFacts, r: HazardRelation): HazardAction[] {
  return (Object.keys(RULES) as HazardAction[]).filter((a) => {
    const rule = RULES[a];
    return rule.from.includes(h.status) && rule.who(r, h) && (rule.guard?.(h) ?? true);
  });
}

/**
 * A major hazard not yet closed that no department has put under
 * supervision (待挂牌): it cannot be accepted until one does.
 */
export function awaitsSupervision(h: HazardFacts): boolean {
  return h.level === "major" && h.supervisingDepartmentId === null && h.status !== "closed";
}

/**
 * May a verification with this decision close the hazard? Sending back is
 * always open to whoever may verify; accepting a major hazard needs a
 * department's supervision first.
 */
export function canAcceptVerification(decision: "accept" | "return", h: HazardFacts): boolean {
  return decision === "return" || !awaitsSupervision(h);
}

export type HazardCheck =
  | { ok: true }
  | { ok: false; reason: "forbidden" }
  | { ok: false; reason: "state"; allowed: HazardAction[] };

/**
 * May this person take `action` now? Someone with no part in it is refused
 * (403); someone who could, but not in the hazard's current state, gets the
 * actions they may take instead (409).
 */
export function checkHazardAction(
  action: HazardAction,
  h: HazardFacts,
  r: HazardRelation,
): HazardCheck {
  const rule = RULES[action];
  if (!rule.who(r, h)) return { ok: false, reason: "forbidden" };
  if (!rule.from.includes(h.status) || !(rule.guard?.(h) ?? true))
    return { ok: false, reason: "state", allowed: allowedHazardActions(h, r) };
  return { ok: true };
}

/** How the actor is named on a timeline ("王海（狮山派出所）"). */
export function actorName(actor: Actor): string {
  return actor.displayName ?? actor.label;
}

/** May the person see the hazard at all? (Anyone else is answered 404.) */
export function canSeeHazard(r: HazardRelation): boolean {
  return r.enterprise || r.areaStaff || r.supervising;
}

const AREA_STAFF: readonly Role[] = ["admin", "coordinator", "department_officer", "grid_worker"];

/** How an actor stands to a hazard of an enterprise at `areaPath`. */
export function hazardRelation(
  actor: Actor,
  h: { organisationId: string; areaPath: string; supervisingDepartmentId: string | null },
): HazardRelation {
  const covers = (g: Actor["grants"][number]) =>
    g.areaPath !== null && pathWithin(h.areaPath, g.areaPath);
  const dept = actor.grants.find((g) => g.role === "department_officer" && covers(g));
  return {
    enterprise: actor.grants.some(
      (g) => isEnterpriseRole(g.role) && g.scopeId === h.organisationId,
    ),
    areaStaff: actor.grants.some((g) => AREA_STAFF.includes(g.role) && covers(g)),
    coordinator: actor.grants.some(
      (g) => (g.role === "admin" || g.role === "coordinator") && covers(g),
    ),
    departmentId: dept?.scopeId ?? null,
    supervising:
      h.supervisingDepartmentId !== null &&
      actor.grants.some(
        (g) => g.role === "department_officer" && g.scopeId === h.supervisingDepartmentId,
      ),
  };
}

/** Government roles that may record hazards and draw spot-checks in their area. */
export function isAreaStaffFor(actor: Actor, areaPath: string): boolean {
  return actor.grants.some(
    (g) => AREA_STAFF.includes(g.role) && g.areaPath !== null && pathWithin(areaPath, g.areaPath),
  );
}

/** Who keeps the checklist templates: admins, coordinators and department officers. */
export function canManageTemplates(actor: Actor): boolean {
  return actor.grants.some(
    (g) => g.role === "admin" || g.role === "coordinator" || g.role === "department_officer",
  );
}

/** Who may draw spot-checks: department officers, coordinators and admins. */
export function canDrawSpotChecks(actor: Actor): boolean {
  return canManageTemplates(actor);
}

/** The enterprises an actor acts for as their officer. */
export function ownEnterpriseIds(actor: Actor): string[] {
  return actor.grants
    .filter((g) => isEnterpriseRole(g.role) && g.scopeId !== null)
    .map((g) => g.scopeId as string);
}

/** Area paths of the government staff grants (for SQL scope filters). */
export function staffAreaPaths(actor: Actor): string[] {
  const paths = actor.grants
    .filter((g) => AREA_STAFF.includes(g.role) && g.areaPath !== null)
    .map((g) => g.areaPath as string);
  return paths.filter((p, i) => !paths.some((q, j) => j !== i && q !== p && p.startsWith(q)));
}

/** Departments the actor is an officer of (they see hazards their department supervises). */
export function officerDepartmentIds(actor: Actor): string[] {
  return actor.grants
    .filter((g) => g.role === "department_officer" && g.scopeId !== null)
    .map((g) => g.scopeId as string);
}

/** Area paths of the actor's coordinator and admin grants. */
export function coordinatorAreaPaths(actor: Actor): string[] {
  return actor.grants
    .filter((g) => (g.role === "admin" || g.role === "coordinator") && g.areaPath !== null)
    .map((g) => g.areaPath as string);
}
