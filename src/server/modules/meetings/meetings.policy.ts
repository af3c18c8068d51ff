/**
 * Who may do what with joint meetings, as pure functions: coordinators (and
 * admins) run the meetings of their areas; departments and organisations
 * invited see those meetings and answer for the action items they own. The
 * meeting's small state machine, what an agenda item and an action item
 * allow, when a case counts as bounced and which step a ruling takes on it.
 * The service asks here; SQL filters use the scopes these functions return.
 */
import { isEnterpriseRole } from "../../../shared/roles.js";
import type {
  ActionItemAction,
  ActionItemState,
  AgendaItemAction,
  MeetingAction,
  MeetingStatus,
} from "../../../shared/schemas/meetings.js";
import { type Actor, areaScopePaths, pathWithin } from "../access/access.policy.js";

export const COORDINATION_ROLES = ["admin", "coordinator"] as const;

/** The areas whose meetings the actor runs. */
export const coordinatorPaths = (a: Actor) => areaScopePaths(a, [...COORDINATION_ROLES]);

export const departmentIdsOf = (a: Actor) =>
  a.grants.flatMap((g) => (g.role === "department_officer" && g.scopeId ? [g.scopeId] : []));

export const organisationIdsOf = (a: Actor) =>
  a.grants.flatMap((g) =>
    (isEnterpriseRole(g.role) || g.role === "association_rep") && g.scopeId ? [g.scopeId] : [],
  );

/** What the actor may read: meetings in these areas, and those these parties are invited to. */
export interface MeetingScope {
  areaPaths: string[];
  departmentIds: string[];
  organisationIds: string[];
}

export function meetingScopeOf(a: Actor): MeetingScope {
  return {
    areaPaths: coordinatorPaths(a),
    departmentIds: departmentIdsOf(a),
    organisationIds: organisationIdsOf(a),
  };
}

/** May use the meetings pages at all: coordinators, and any department or organisation. */
export const mayUseMeetings = (s: MeetingScope) =>
  s.areaPaths.length + s.departmentIds.length + s.organisationIds.length > 0;

export interface MeetingRelation {
  /** a coordinator (or admin) whose area covers the meeting's */
  coordinator: boolean;
  /** one of the actor's departments or organisations is invited */
  participant: boolean;
}

export function meetingRelationOf(
  s: MeetingScope,
  m: { area_path: string },
  participants: { department_id: string | null; organisation_id: string | null }[],
): MeetingRelation {
  return {
    coordinator: s.areaPaths.some((p) => pathWithin(m.area_path, p)),
    participant: participants.some(
      (p) =>
        (p.department_id !== null && s.departmentIds.includes(p.department_id)) ||
        (p.organisation_id !== null && s.organisationIds.includes(p.organisation_id)),
    ),
  };
}

const MEETING_RULES: Record<MeetingAction, readonly MeetingStatus[]> = {
  // Time, place, participants: until the meeting takes place.
  edit: ["scheduled"],
  cancel: ["scheduled"],
  hold: ["scheduled"],
  // Minutes and attendance: once it took place, until it is closed.
  minutes: ["held"],
  close: ["held"],
  agenda: ["scheduled", "held"],
  // Decisions (action items) are taken at the meeting.
  decide: ["held"],
};

/** What a coordinator of the meeting's area may do with it now; participants only read. */
export function meetingAllowedActions(status: MeetingStatus, r: MeetingRelation): MeetingAction[] {
  if (!r.coordinator) return [];
  return (Object.keys(MEETING_RULES) as MeetingAction[]).filter((a) =>
    MEETING_RULES[a].includes(status),
  );
}

export type MeetingCheck =
  | { ok: true }
  | { ok: false; reason: "forbidden" }
  | { ok: false; reason: "state"; allowed: MeetingAction[] };

/** A participant who is no coordinator is refused (403); a coordinator at the wrong stage gets 409. */
export function checkMeetingAction(
  action: MeetingAction,
  status: MeetingStatus,
  r: MeetingRelation,
): MeetingCheck {
  if (!r.coordinator) return { ok: false, reason: "forbidden" };
  if (!MEETING_RULES[action].includes(status))
    return { ok: false, reason: "state", allowed: meetingAllowedActions(status, r) };
  return { ok: true };
}

/** What a coordinator may do with an agenda item (in a meeting, or in the pool: meeting null). */
export function agendaItemActions(
  item: { status: string; case_id: string | null },
  meetingStatus: MeetingStatus | null,
  coordinator: boolean,
): AgendaItemAction[] {
  if (!coordinator || item.status !== "open") return [];
  const out: AgendaItemAction[] = [];
  if (meetingStatus === "held") {
    out.push("conclude");
    if (item.case_id !== null) out.push("rule");
  }
  if (meetingStatus === null || meetingStatus === "scheduled" || meetingStatus === "held")
    out.push("drop");
  return out;
}

/** Today in China (UTC+8, no daylight saving) as YYYY-MM-DD: the day deadlines are read in. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** How an action item stands today: open past its day is overdue. */
export function actionItemState(
  item: { status: "open" | "done" | "cancelled"; due_on: string },
  today: string,
): ActionItemState {
  if (item.status === "open" && item.due_on < today) return "overdue";
  return item.status;
}

/** How the actor stands to one action item. */
export interface ActionItemRelation {
  /** a coordinator of the meeting's area */
  coordinator: boolean;
  /** an officer of the owning department, or of the owning organisation */
  owner: boolean;
}

export function actionItemRelationOf(
  s: MeetingScope,
  item: {
    area_path: string;
    owner_department_id: string | null;
    owner_organisation_id: string | null;
  },
): ActionItemRelation {
  return {
    coordinator: s.areaPaths.some((p) => pathWithin(item.area_path, p)),
    owner:
      (item.owner_department_id !== null && s.departmentIds.includes(item.owner_department_id)) ||
      (item.owner_organisation_id !== null &&
        s.organisationIds.includes(item.owner_organisation_id)),
  };
}

/**
 * The owner marks its item done (with a note); the coordinator may do it for
 * them, send a done item back, cancel an open one, or change its title,
 * owner or deadline while it is open.
 */
export function actionItemActions(
  status: "open" | "done" | "cancelled",
  r: ActionItemRelation,
): ActionItemAction[] {
  const out: ActionItemAction[] = [];
  if (status === "open" && (r.owner || r.coordinator)) out.push("complete");
  if (status === "done" && r.coordinator) out.push("reopen");
  if (status === "open" && r.coordinator) out.push("cancel", "edit");
  return out;
}

/** A case bounced: returned or reassigned more than `threshold` times (since its last ruling). */
export const isBounced = (bounces: number, threshold: number) => bounces > threshold;

/** Statuses of a case still in someone's hands, or waiting for one: what a meeting can rule on. */
export const RULABLE_CASE_STATUSES = [
  "reported",
  "verified",
  "returned",
  "dispatched",
  "accepted",
  "in_progress",
] as const;

/**
 * The step a ruling takes on the case: a case waiting to be dispatched
 * (reported, verified, returned) is dispatched to the lead; one being worked
 * by another department is reassigned; when the ruling confirms the current
 * lead the ruling is recorded as a comment. Null: the case is past ruling
 * (resolved, closed, withdrawn, merged).
 */
export function rulingCaseStep(
  status: string,
  currentLeadId: string | null,
  leadId: string,
): "dispatch" | "reassign" | "comment" | null {
  if (status === "reported" || status === "verified" || status === "returned") return "dispatch";
  if (status === "dispatched" || status === "accepted" || status === "in_progress")
    return currentLeadId === leadId ? "comment" : "reassign";
  return null;
}
