/**
 * Who may do what in liaison, as pure functions: which government grant a
 * notice is issued under (and so how far its audience reaches), which
 * notices and mediation requests a caller may see, the actions a notice
 * allows, the mediation request's state machine, the reminder rhythm and
 * when a receipt is overdue. The service asks here; SQL filters use the
 * scopes these functions return.
 */

import { isEnterpriseRole } from "../../../shared/roles.js";
import type {
  MediationAction,
  MediationStatus,
  NoticeAction,
  NoticeStatus,
} from "../../../shared/schemas/liaison.js";
import type { Actor, ActorGrant } from "../access/access.policy.js";
import { areaScopePaths } from "../access/access.policy.js";

/** Roles that issue notices to enterprises and read mediation requests in their area. */
export const GOVERNMENT_ROLES = ["admin", "coordinator", "department_officer"] as const;

const governmentGrants = (a: Actor) =>
  a.grants.filter(
    (g): g is ActorGrant & { areaPath: string } =>
      (GOVERNMENT_ROLES as readonly string[]).includes(g.role) && g.areaPath !== null,
  );

export const isGovernment = (a: Actor) => governmentGrants(a).length > 0;

export const enterpriseIdsOf = (a: Actor) =>
  a.grants.flatMap((g) => (isEnterpriseRole(g.role) && g.scopeId ? [g.scopeId] : []));

export const associationIdsOf = (a: Actor) =>
  a.grants.flatMap((g) => (g.role === "association_rep" && g.scopeId ? [g.scopeId] : []));

export const isEnterpriseOfficer = (a: Actor) => enterpriseIdsOf(a).length > 0;
export const isAssociationRep = (a: Actor) => associationIdsOf(a).length > 0;

/** May use the notices pages at all: government issues, enterprises receive. */
export const mayUseNotices = (a: Actor) => isGovernment(a) || isEnterpriseOfficer(a);
/** May use mediation requests: enterprises ask, associations answer, government reads. */
export const mayUseMediation = (a: Actor) =>
  isGovernment(a) || isEnterpriseOfficer(a) || isAssociationRep(a);

export interface NoticeIssuer {
  /** the area the audience stays within */
  areaPath: string;
  departmentId: string | null;
  /** how recipients read who sent it */
  name: string;
}

/**
 * The grant a new notice is issued under: the widest area among the actor's
 * admin and coordinator grants (the coordination centre of that area), else
 * their department. Null for someone who issues no notices.
 */
export function noticeIssuerOf(a: Actor): NoticeIssuer | null {
  const grants = governmentGrants(a);
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
    return {
      areaPath: dept.areaPath,
      departmentId: dept.scopeId,
      name: dept.scopeName ?? "",
    };
  return null;
}

/**
 * The notices government staff see and manage: those issued from inside
 * their area (admins, coordinators), by their department, or by themselves.
 */
export interface NoticeScope {
  areaPaths: string[];
  departmentIds: string[];
  userId: string | null;
}

export function noticeScopeOf(a: Actor): NoticeScope {
  return {
    areaPaths: areaScopePaths(a, ["admin", "coordinator"]),
    departmentIds: a.grants.flatMap((g) =>
      g.role === "department_officer" && g.scopeId ? [g.scopeId] : [],
    ),
    userId: isGovernment(a) ? a.userId : null,
  };
}

/** Does the scope cover a notice (the same test as the SQL filter)? */
export function noticeInScope(
  s: NoticeScope,
  n: { area_path: string; department_id: string | null; created_by: string | null },
): boolean {
  return (
    s.areaPaths.some((p) => n.area_path.startsWith(p)) ||
    (n.department_id !== null && s.departmentIds.includes(n.department_id)) ||
    (s.userId !== null && n.created_by === s.userId)
  );
}

/** Government's area paths for reading mediation requests and enterprises. */
export const governmentAreaPaths = (a: Actor) => areaScopePaths(a, GOVERNMENT_ROLES);

/** A reminder may go at most once in this long. */
export const REMINDER_INTERVAL_MS = 24 * 3600_000;

/** When the next reminder may go; null when it may go now. */
export function nextReminderAt(lastRemindedAt: Date | null, now: Date): Date | null {
  if (!lastRemindedAt) return null;
  const next = new Date(lastRemindedAt.getTime() + REMINDER_INTERVAL_MS);
  return next.getTime() > now.getTime() ? next : null;
}

/** Today in China (UTC+8, no daylight saving) as YYYY-MM-DD: the day deadlines are read in. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A recipient that was asked to confirm by a day that has passed, and has not. */
export function receiptOverdue(
  n: { status: NoticeStatus; ack_required: boolean; ack_due_on: string | null },
  acknowledgedAt: Date | null,
  today: string,
): boolean {
  return (
    n.status === "sent" &&
    n.ack_required &&
    n.ack_due_on !== null &&
    n.ack_due_on < today &&
    acknowledgedAt === null
  );
}

/** What government staff in scope may do with a notice now. */
export function governmentNoticeActions(
  n: { status: NoticeStatus; unread: number },
  reminderWaitsUntil: Date | null,
): NoticeAction[] {
  if (n.status === "draft") return ["edit", "delete", "send"];
  if (n.status === "sent") {
    const out: NoticeAction[] = ["withdraw"];
    if (n.unread > 0 && reminderWaitsUntil === null) out.unshift("remind");
    return out;
  }
  return [];
}

/** What a recipient enterprise's officer may do with a notice now. */
export function recipientNoticeActions(
  n: { status: NoticeStatus; ack_required: boolean },
  r: { read_at: Date | null; acknowledged_at: Date | null },
): NoticeAction[] {
  if (n.status !== "sent") return [];
  const out: NoticeAction[] = [];
  if (r.read_at === null) out.push("read");
  if (n.ack_required && r.acknowledged_at === null) out.push("acknowledge");
  return out;
}

// ------------------------------------------------------ mediation requests

/** How the caller stands to one mediation request. */
export interface MediationRelation {
  /** an officer of the enterprise that asked */
  enterprise: boolean;
  /** a representative of the association asked */
  association: boolean;
  /** government staff whose area covers the enterprise (read only) */
  government: boolean;
}

export function mediationRelationOf(
  a: Actor,
  m: { enterprise_id: string; association_id: string; area_path: string },
): MediationRelation {
  return {
    enterprise: enterpriseIdsOf(a).includes(m.enterprise_id),
    association: associationIdsOf(a).includes(m.association_id),
    government: governmentAreaPaths(a).some((p) => m.area_path.startsWith(p)),
  };
}

export const mayReadMediation = (r: MediationRelation) =>
  r.enterprise || r.association || r.government;

interface MediationRule {
  from: readonly MediationStatus[];
  /** null: the status stays (a session is recorded) */
  to: MediationStatus | null;
  who: (r: MediationRelation) => boolean;
}

const MEDIATION_RULES: Record<MediationAction, MediationRule> = {
  accept: { from: ["pending"], to: "accepted", who: (r) => r.association },
  decline: { from: ["pending"], to: "declined", who: (r) => r.association },
  withdraw: { from: ["pending"], to: "withdrawn", who: (r) => r.enterprise },
  record_session: { from: ["accepted"], to: null, who: (r) => r.association },
  close: { from: ["accepted"], to: "closed", who: (r) => r.association },
};

/** The steps this person may take on the request now. */
export function mediationAllowedActions(
  status: MediationStatus,
  r: MediationRelation,
): MediationAction[] {
  return (Object.keys(MEDIATION_RULES) as MediationAction[]).filter((a) => {
    const rule = MEDIATION_RULES[a];
    return rule.from.includes(status) && rule.who(r);
  });
}

export type MediationCheck =
  | { ok: true; to: MediationStatus | null }
  | { ok: false; reason: "forbidden" }
  | { ok: false; reason: "state"; allowed: MediationAction[] };

/**
 * May this person take `action` now? Someone with no part in it at all is
 * refused (403); someone who could, but not from this status, is told what
 * they may do instead (409).
 */
export function checkMediationAction(
  action: MediationAction,
  status: MediationStatus,
  r: MediationRelation,
): MediationCheck {
  const rule = MEDIATION_RULES[action];
  if (!rule.who(r)) return { ok: false, reason: "forbidden" };
  if (!rule.from.includes(status))
    return { ok: false, reason: "state", allowed: mediationAllowedActions(status, r) };
  return { ok: true, to: rule.to };
}
