/**
 * The rules of deliberation as pure functions: who may propose, the
 * proposal's state machine (which action from which status, by whom), whose
 * support counts towards the threshold, which kind of department answers a
 * topic, and when an answer is due or late. The service reads the facts from
 * the database and asks here; the pages get the allowed actions back.
 */

import { ENTERPRISE_ROLES, isEnterpriseRole } from "../../../shared/roles.js";
import {
  PROPOSAL_TOPIC_DEPARTMENT,
  PROPOSAL_TOPIC_NAMES,
  type ProposalAllowedAction,
  type ProposalAnswer,
  type ProposalStatus,
  type ProposalTopic,
} from "../../../shared/schemas/proposals.js";
import type { Actor } from "../access/access.policy.js";
import { areaScopePaths, pathWithin } from "../access/access.policy.js";

/** Roles that may put a proposal forward themselves (volunteers too: see mayPropose). */
const PROPOSER_ROLES = ["resident", ...ENTERPRISE_ROLES, "association_rep"] as const;

/** Residents, enterprise officers, association representatives, and volunteers. */
export function mayPropose(actor: Actor, isVolunteer: boolean): boolean {
  if (actor.kind !== "user" || !actor.userId) return false;
  return (
    isVolunteer || actor.grants.some((g) => (PROPOSER_ROLES as readonly string[]).includes(g.role))
  );
}

/** How the proposer is shown: the role they proposed in. */
export function proposerKindOf(
  actor: Actor,
  isVolunteer: boolean,
): "resident" | "volunteer" | "enterprise" | "association" | "staff" {
  const roles = new Set(actor.grants.map((g) => g.role));
  if (isVolunteer) return "volunteer";
  if (roles.has("resident")) return "resident";
  if (roles.has("association_rep")) return "association";
  if (roles.has("enterprise_officer") || roles.has("enterprise_manager")) return "enterprise";
  return "staff";
}

/** The organisation an enterprise officer or association representative proposes for. */
export function proposerOrganisationOf(actor: Actor): string | null {
  if (actor.grants.some((g) => g.role === "resident")) return null;
  return (
    actor.grants.find(
      (g) => (g.role === "association_rep" || isEnterpriseRole(g.role)) && g.scopeId,
    )?.scopeId ?? null
  );
}

/** Coordinators and admins: the areas whose proposals they oversee. */
export const coordinatorPaths = (a: Actor) => areaScopePaths(a, ["admin", "coordinator"]);
/** Staff who see proposals in an area (coordinators and grid workers). */
export const staffAreaPaths = (a: Actor) =>
  areaScopePaths(a, ["admin", "coordinator", "grid_worker"]);
export const departmentIdsOf = (a: Actor) =>
  a.grants.flatMap((g) => (g.role === "department_officer" && g.scopeId ? [g.scopeId] : []));

/** May turn cases into a proposal (the coordination centre). */
export const mayUseCases = (a: Actor) => a.kind === "user" && coordinatorPaths(a).length > 0;

/** The community path of a grid path: "/d/s/c/g/" → "/d/s/c/". */
export function communityPathOf(gridPath: string): string | null {
  const parts = gridPath.split("/").filter(Boolean);
  if (parts.length < 3) return null;
  return `/${parts.slice(0, 3).join("/")}/`;
}

/** How the acting person stands to one proposal. */
export interface ProposalRelation {
  /** a person signed in (API tokens neither propose nor support) */
  person: boolean;
  proposer: boolean;
  supporter: boolean;
  /** an officer of the department it was sent to */
  department: boolean;
  /** a coordinator (or admin) whose area covers the place */
  coordinator: boolean;
}

export function relationOf(
  actor: Actor,
  p: { proposer_user_id: string; department_id: string | null; area_path: string },
  supported: boolean,
): ProposalRelation {
  const person = actor.kind === "user" && actor.userId !== null;
  return {
    person,
    proposer: person && actor.userId === p.proposer_user_id,
    supporter: person && supported,
    department: p.department_id !== null && departmentIdsOf(actor).includes(p.department_id),
    coordinator: coordinatorPaths(actor).some((path) => pathWithin(p.area_path, path)),
  };
}

/** What some guards need beyond the status. */
export interface ProposalFacts {
  status: ProposalStatus;
  answer: ProposalAnswer | null;
  /** milestones not yet completed */
  openMilestones: number;
}

interface Rule {
  from: readonly ProposalStatus[];
  /** null: decided by the step (support may submit; completing the last milestone ends it) */
  to: ProposalStatus | null;
  who: (r: ProposalRelation) => boolean;
  guard?: (f: ProposalFacts, r: ProposalRelation) => boolean;
}

const RULES: Record<ProposalAllowedAction, Rule> = {
  // Anyone signed in may support, once, except the proposer.
  support: {
    from: ["open"],
    to: null,
    who: (r) => r.person && !r.proposer,
    guard: (_f, r) => !r.supporter,
  },
  unsupport: { from: ["open"], to: null, who: (r) => r.supporter },
  withdraw: { from: ["open"], to: "withdrawn", who: (r) => r.proposer },
  // The coordination centre may forward a proposal before the threshold.
  submit: { from: ["open"], to: "submitted", who: (r) => r.coordinator },
  reassign: { from: ["submitted"], to: "submitted", who: (r) => r.coordinator },
  answer: { from: ["submitted"], to: "answered", who: (r) => r.department },
  "add-milestone": {
    from: ["answered", "in_progress"],
    to: "in_progress",
    who: (r) => r.department,
    guard: (f) => f.answer === "accepted" || f.answer === "partly_accepted",
  },
  "complete-milestone": {
    from: ["in_progress"],
    to: null,
    who: (r) => r.department,
    guard: (f) => f.openMilestones > 0,
  },
};

export const ALL_ACTIONS = Object.keys(RULES) as ProposalAllowedAction[];

/** The actions this person may take on the proposal now. */
export function allowedActions(f: ProposalFacts, r: ProposalRelation): ProposalAllowedAction[] {
  return ALL_ACTIONS.filter((a) => {
    const rule = RULES[a];
    return rule.from.includes(f.status) && rule.who(r) && (rule.guard?.(f, r) ?? true);
  });
}

export type ActionCheck =
  | { ok: true }
  | { ok: false; reason: "forbidden" }
  | { ok: false; reason: "state"; allowed: ProposalAllowedAction[] };

/**
 * May this person take `action` now? Someone with no part in it at all is
 * refused (403); someone who could, but not from this state, gets the actions
 * they may take instead (409).
 */
export function checkAction(
  action: ProposalAllowedAction,
  f: ProposalFacts,
  r: ProposalRelation,
): ActionCheck {
  const rule = RULES[action];
  if (!rule.who(r)) return { ok: false, reason: "forbidden" };
  if (!rule.from.includes(f.status) || !(rule.guard?.(f, r) ?? true))
    return { ok: false, reason: "state", allowed: allowedActions(f, r) };
  return { ok: true };
}

/** The statuses an action starts from (documentation and tests). */
export const statusesFor = (action: ProposalAllowedAction) => RULES[action].from;

// ------------------------------------------------------------------ support

/** Where a supporter belongs: their residence and their volunteering community. */
export interface SupporterPlaces {
  /** area path of their registered residence (residents.area_path), if any */
  residencePath: string | null;
  /** path of the community an active volunteer serves (volunteers.area_path), if any */
  volunteerPath: string | null;
}

export interface SupportStanding {
  /** counts towards the threshold */
  local: boolean;
  basis: "resident" | "volunteer" | null;
  notCountedReason: "no_residence" | "other_community" | null;
}

/**
 * Does a person's support count for a proposal in `communityPath`? It does
 * when they live there (residence) or volunteer there; otherwise it is shown
 * apart, with the reason.
 */
export function supportStanding(places: SupporterPlaces, communityPath: string): SupportStanding {
  if (places.residencePath && pathWithin(places.residencePath, communityPath))
    return { local: true, basis: "resident", notCountedReason: null };
  if (places.volunteerPath && pathWithin(places.volunteerPath, communityPath))
    return { local: true, basis: "volunteer", notCountedReason: null };
  return {
    local: false,
    basis: null,
    notCountedReason:
      places.residencePath || places.volunteerPath ? "other_community" : "no_residence",
  };
}

/** Reached with this many supporters from the area? */
export const thresholdReached = (localSupports: number, threshold: number) =>
  localSupports >= threshold;

// --------------------------------------------------------------- department

/**
 * The department kinds to look for, in order, for a topic: its own kind,
 * then the street office, then the coordination centre (a place no
 * department of the kind covers still gets an answer).
 */
export function departmentKindsFor(topic: ProposalTopic): string[] {
  const own = PROPOSAL_TOPIC_DEPARTMENT[topic];
  return [...new Set([own, "street_office", "comprehensive_governance"])];
}

/** A topic guessed from the names of the categories of the cases behind a proposal. */
export function topicFromCategories(names: string[]): ProposalTopic {
  const text = names.join(" ");
  const tests: [RegExp, ProposalTopic][] = [
    [/充电|电动车|电瓶/, "ev_charging"],
    [/消防|火灾|通道|燃气/, "fire"],
    [/群租|出租|房屋|违建/, "rental_housing"],
    [/交通|停车|道路/, "traffic"],
    [/路灯|照明|井盖|设施/, "lighting"],
    [/欠薪|劳动|工资/, "labour"],
    [/纠纷|矛盾|调解/, "dispute"],
    [/治安|盗窃|诈骗|打架|斗殴|噪音|扰民/, "public_order"],
    [/环境|垃圾|占道|摊/, "public_space"],
  ];
  for (const [re, t] of tests) if (re.test(text)) return t;
  return "public_order";
}

/** The title and text a proposal built from cases starts with. */
export function draftFromCases(
  cases: { code: string; categoryName: string; address: string | null }[],
  communityName: string,
): { title: string; body: string; topic: ProposalTopic } {
  const names = [...new Set(cases.map((c) => c.categoryName))];
  const topic = topicFromCategories(names);
  const place = cases.find((c) => c.address)?.address ?? communityName;
  const title = `关于${communityName}${names[0] ?? "反复发生问题"}的治理建议`.slice(0, 60);
  const body = [
    `${place}一带近期反复发生${names.join("、")}等问题，共 ${cases.length} 件事件。`,
    `建议${PROPOSAL_TOPIC_NAMES[topic]}方面采取长效措施，从源头减少同类事件。`,
    `依据事件：${cases.map((c) => c.code).join("、")}`,
  ].join("\n");
  return { title, body: body.slice(0, 4000), topic };
}

// ---------------------------------------------------------------- deadlines

/** An answer due within this long is "due soon". */
export const ANSWER_DUE_SOON_MS = 3 * 86_400_000;

export function dueStateOf(
  status: ProposalStatus,
  answerDueAt: Date | null,
  now: Date,
): "on_time" | "due_soon" | "overdue" | null {
  if (status !== "submitted" || !answerDueAt) return null;
  const left = answerDueAt.getTime() - now.getTime();
  if (left < 0) return "overdue";
  if (left <= ANSWER_DUE_SOON_MS) return "due_soon";
  return "on_time";
}

/** The day in China (UTC+8) of an instant, "YYYY-MM-DD". */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A milestone still open after its day (China time). */
export const milestoneLate = (m: { status: string; due_on: string }, now: Date) =>
  m.status === "open" && m.due_on < chinaDay(now);
