/**
 * The life cycle of a case as an explicit state machine: which action may
 * run from which status, by whom (the actor's relation to the case), and
 * where it leads. Pure: the service computes the relation from the database
 * and asks here; the case page shows the allowed actions it gets back.
 */
import { CASE_STATUSES, type CaseAction, type CaseStatus } from "../../../shared/schemas/cases.js";

/** How the acting person stands to one case. */
export interface CaseRelation {
  /** reported it (signed in, or holding the anonymous tracking secret) */
  reporter: boolean;
  /** an officer of the lead department */
  lead: boolean;
  /** an officer or representative of an assisting party */
  assisting: boolean;
  /** a grid worker (or coordinator) whose area covers the case's place */
  areaStaff: boolean;
  /** a coordinator (or admin) whose area covers the case's place */
  coordinator: boolean;
}

/** Statuses in which a case is still being worked on (or waits for its rating). */
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter(
  (s) => s !== "closed" && s !== "withdrawn" && s !== "merged",
);

interface Rule {
  from: readonly CaseStatus[];
  /** null: the status does not change (comment, supervise) */
  to: CaseStatus | null;
  who: (r: CaseRelation) => boolean;
}

const anyStaffParty = (r: CaseRelation) => r.lead || r.assisting || r.areaStaff || r.coordinator;

const RULES: Record<Exclude<CaseAction, "report">, Rule> = {
  verify: { from: ["reported"], to: "verified", who: (r) => r.areaStaff || r.coordinator },
  dispatch: {
    from: ["reported", "verified", "returned"],
    to: "dispatched",
    who: (r) => r.coordinator,
  },
  accept: { from: ["dispatched"], to: "accepted", who: (r) => r.lead },
  start: { from: ["accepted"], to: "in_progress", who: (r) => r.lead },
  resolve: { from: ["accepted", "in_progress"], to: "resolved", who: (r) => r.lead },
  return: { from: ["dispatched", "accepted"], to: "returned", who: (r) => r.lead },
  reassign: {
    from: ["dispatched", "accepted", "in_progress", "returned"],
    to: "dispatched",
    who: (r) => r.coordinator,
  },
  // Satisfied → closed; dissatisfied → back to the lead (see feedbackOutcome).
  feedback: { from: ["resolved"], to: "closed", who: (r) => r.reporter || r.areaStaff },
  reopen: { from: ["closed"], to: "in_progress", who: (r) => r.reporter },
  withdraw: {
    from: ["reported", "verified", "dispatched", "returned"],
    to: "withdrawn",
    who: (r) => r.reporter,
  },
  close: { from: ["resolved"], to: "closed", who: (r) => r.coordinator },
  comment: {
    from: [...OPEN_STATUSES, "closed"],
    to: null,
    who: (r) => r.reporter || anyStaffParty(r),
  },
  supervise: {
    from: ["dispatched", "accepted", "in_progress", "returned"],
    to: null,
    who: (r) => r.coordinator,
  },
  invite: {
    from: ["dispatched", "accepted", "in_progress"],
    to: null,
    who: (r) => r.lead || r.coordinator,
  },
  complete_task: {
    from: ["dispatched", "accepted", "in_progress", "resolved"],
    to: null,
    who: (r) => r.assisting,
  },
  request_extension: { from: ["accepted", "in_progress"], to: null, who: (r) => r.lead },
  grant_extension: { from: ["accepted", "in_progress"], to: null, who: (r) => r.coordinator },
  deny_extension: { from: ["accepted", "in_progress"], to: null, who: (r) => r.coordinator },
  wait_reporter: { from: ["accepted", "in_progress"], to: null, who: (r) => r.lead },
  resume: { from: ["accepted", "in_progress"], to: null, who: (r) => r.lead || r.reporter },
  merge: {
    from: ["reported", "verified", "dispatched", "accepted", "in_progress", "returned"],
    to: "merged",
    who: (r) => r.coordinator,
  },
};

export type TransitionCheck =
  | { ok: true; to: CaseStatus | null }
  | { ok: false; reason: "forbidden" }
  | { ok: false; reason: "state"; allowed: CaseAction[] };

/** Extra facts some guards need. */
export interface CaseFacts {
  status: CaseStatus;
  supervised: boolean;
  /** when the case was closed, for the reopen window */
  closedAt: Date | null;
  /** a lead department is set (accept etc. need one) */
  hasLead: boolean;
  /** the lead asked for more time and the coordinator has not answered */
  extensionPending?: boolean;
  /** waiting for the reporter: the deadline clock is paused */
  paused?: boolean;
  /** the acting party has an assisting task still open */
  myOpenTask?: boolean;
}

export interface LifecycleConfig {
  /** days after closing in which the reporter may reopen */
  reopenDays: number;
}

function guardHolds(action: CaseAction, c: CaseFacts, now: Date, cfg: LifecycleConfig): boolean {
  if (action === "reopen") {
    return (
      c.closedAt !== null && now.getTime() - c.closedAt.getTime() <= cfg.reopenDays * 86_400_000
    );
  }
  if (action === "supervise") return !c.supervised;
  if (action === "accept" || action === "start" || action === "resolve") return c.hasLead;
  if (action === "request_extension") return !c.extensionPending;
  if (action === "grant_extension" || action === "deny_extension")
    return c.extensionPending === true;
  if (action === "wait_reporter") return !c.paused;
  if (action === "resume") return c.paused === true;
  if (action === "complete_task") return c.myOpenTask === true;
  return true;
}

/** The actions this person may take on the case now. */
export function allowedActions(
  c: CaseFacts,
  r: CaseRelation,
  now: Date,
  cfg: LifecycleConfig,
): CaseAction[] {
  return (Object.keys(RULES) as Exclude<CaseAction, "report">[]).filter((a) => {
    const rule = RULES[a];
    return rule.from.includes(c.status) && rule.who(r) && guardHolds(a, c, now, cfg);
  });
}

/**
 * May this person take `action` now? Someone with no part in that action at
 * all is refused (403); someone who could, but not from the current status,
 * gets the actions they may take instead (409).
 */
export function checkTransition(
  action: Exclude<CaseAction, "report">,
  c: CaseFacts,
  r: CaseRelation,
  now: Date,
  cfg: LifecycleConfig,
): TransitionCheck {
  const rule = RULES[action];
  if (!rule.who(r)) return { ok: false, reason: "forbidden" };
  if (!rule.from.includes(c.status) || !guardHolds(action, c, now, cfg)) {
    return { ok: false, reason: "state", allowed: allowedActions(c, r, now, cfg) };
  }
  return { ok: true, to: rule.to };
}

/** Ratings of 3 and above close the case; 1–2 send it back to the lead. */
export function feedbackOutcome(rating: number): CaseStatus {
  return rating >= 3 ? "closed" : "in_progress";
}

/** The statuses from which an action can start (for documentation and tests). */
export function statusesFor(action: Exclude<CaseAction, "report">): readonly CaseStatus[] {
  return RULES[action].from;
}
