import { describe, expect, it } from "vitest";
import {
  PROPOSAL_STATUSES,
  PROPOSAL_TOPICS,
  type ProposalAllowedAction,
  type ProposalStatus,
} from "../../../shared/schemas/proposals.js";
import type { Actor, ActorGrant } from "../access/access.policy.js";
import {
  ALL_ACTIONS,
  allowedActions,
  checkAction,
  communityPathOf,
  departmentKindsFor,
  draftFromCases,
  dueStateOf,
  mayPropose,
  milestoneLate,
  type ProposalRelation,
  proposerKindOf,
  relationOf,
  supportStanding,
  thresholdReached,
  topicFromCategories,
} from "./proposals.policy.js";

const grant = (role: ActorGrant["role"], over: Partial<ActorGrant> = {}): ActorGrant => ({
  id: "1",
  role,
  scopeKind: role === "resident" ? "self" : "area",
  scopeId: null,
  scopeName: null,
  scopeCode: null,
  scopeLevel: null,
  areaPath: null,
  ...over,
});
const actor = (grants: ActorGrant[], userId: string | null = "10"): Actor => ({
  kind: userId ? "user" : "token",
  userId,
  tokenId: userId ? null : "5",
  label: "x",
  grants,
  tokenScopes: [],
});

const COMMUNITY = "/320505/320505002/320505002005/";
const GRID = `${COMMUNITY}320505002005001/`;

describe("who may propose", () => {
  it("lets residents, enterprises, associations and volunteers propose; not staff or API tokens", () => {
    expect(mayPropose(actor([grant("resident")]), false)).toBe(true);
    expect(mayPropose(actor([grant("enterprise_officer", { scopeId: "3" })]), false)).toBe(true);
    expect(mayPropose(actor([grant("association_rep", { scopeId: "4" })]), false)).toBe(true);
    expect(mayPropose(actor([grant("grid_worker", { areaPath: GRID })]), false)).toBe(false);
    expect(mayPropose(actor([grant("grid_worker", { areaPath: GRID })]), true)).toBe(true);
    expect(mayPropose(actor([grant("department_officer")]), false)).toBe(false);
    expect(mayPropose(actor([grant("resident")], null), false)).toBe(false);
  });

  it("names the proposer by the role they proposed in", () => {
    expect(proposerKindOf(actor([grant("resident")]), true)).toBe("volunteer");
    expect(proposerKindOf(actor([grant("resident")]), false)).toBe("resident");
    expect(proposerKindOf(actor([grant("association_rep")]), false)).toBe("association");
    expect(proposerKindOf(actor([grant("enterprise_officer")]), false)).toBe("enterprise");
    expect(proposerKindOf(actor([grant("coordinator")]), false)).toBe("staff");
  });
});

describe("whose support counts", () => {
  it("counts residents and volunteers of the community, and says why others do not count", () => {
    expect(supportStanding({ residencePath: GRID, volunteerPath: null }, COMMUNITY)).toEqual({
      local: true,
      basis: "resident",
      notCountedReason: null,
    });
    expect(
      supportStanding(
        { residencePath: "/320505/320505003/x/", volunteerPath: COMMUNITY },
        COMMUNITY,
      ),
    ).toEqual({ local: true, basis: "volunteer", notCountedReason: null });
    expect(
      supportStanding({ residencePath: "/320505/320505003/x/", volunteerPath: null }, COMMUNITY),
    ).toMatchObject({ local: false, notCountedReason: "other_community" });
    expect(supportStanding({ residencePath: null, volunteerPath: null }, COMMUNITY)).toMatchObject({
      local: false,
      basis: null,
      notCountedReason: "no_residence",
    });
    // A neighbouring community whose code starts alike is not this one.
    expect(
      supportStanding(
        { residencePath: "/320505/320505002/3205050020051/", volunteerPath: null },
        COMMUNITY,
      ).local,
    ).toBe(false);
  });

  it("reaches the threshold at exactly the threshold", () => {
    expect(thresholdReached(19, 20)).toBe(false);
    expect(thresholdReached(20, 20)).toBe(true);
    expect(thresholdReached(1, 1)).toBe(true);
  });

  it("finds the community of a grid path", () => {
    expect(communityPathOf(GRID)).toBe(COMMUNITY);
    expect(communityPathOf(COMMUNITY)).toBe(COMMUNITY);
    expect(communityPathOf("/320505/320505002/")).toBeNull();
  });
});

describe("the state machine", () => {
  const rel = (over: Partial<ProposalRelation> = {}): ProposalRelation => ({
    person: true,
    proposer: false,
    supporter: false,
    department: false,
    coordinator: false,
    ...over,
  });
  const RELATIONS: Record<string, ProposalRelation> = {
    proposer: rel({ proposer: true }),
    supporter: rel({ supporter: true }),
    neighbour: rel(),
    department: rel({ department: true }),
    coordinator: rel({ coordinator: true }),
    token: rel({ person: false }),
  };
  /** Who may do what from where: the whole matrix, written out once. */
  const EXPECTED: Record<string, Partial<Record<ProposalStatus, ProposalAllowedAction[]>>> = {
    proposer: { open: ["withdraw"] },
    supporter: { open: ["unsupport"] },
    neighbour: { open: ["support"] },
    department: {
      open: ["support"],
      submitted: ["answer"],
      answered: ["add-milestone"],
      in_progress: ["add-milestone", "complete-milestone"],
    },
    coordinator: { open: ["support", "submit"], submitted: ["reassign"] },
    token: {},
  };

  for (const [who, r] of Object.entries(RELATIONS))
    for (const status of PROPOSAL_STATUSES)
      it(`${who} may do ${JSON.stringify(EXPECTED[who]?.[status] ?? [])} on a ${status} proposal`, () => {
        const facts = { status, answer: "accepted" as const, openMilestones: 1 };
        expect(allowedActions(facts, r).sort()).toEqual(
          [...(EXPECTED[who]?.[status] ?? [])].sort(),
        );
        for (const a of ALL_ACTIONS) {
          const c = checkAction(a, facts, r);
          expect(c.ok).toBe((EXPECTED[who]?.[status] ?? []).includes(a));
        }
      });

  it("refuses with 403 those who have no part, with 409 and the allowed actions those who do", () => {
    const facts = { status: "answered" as const, answer: "accepted" as const, openMilestones: 0 };
    expect(checkAction("answer", facts, RELATIONS.neighbour as ProposalRelation)).toEqual({
      ok: false,
      reason: "forbidden",
    });
    expect(checkAction("answer", facts, RELATIONS.department as ProposalRelation)).toEqual({
      ok: false,
      reason: "state",
      allowed: ["add-milestone"],
    });
  });

  it("takes no milestones on a rejected proposal and completes only open ones", () => {
    const d = RELATIONS.department as ProposalRelation;
    expect(
      allowedActions({ status: "answered", answer: "rejected", openMilestones: 0 }, d),
    ).toEqual([]);
    expect(
      allowedActions({ status: "in_progress", answer: "partly_accepted", openMilestones: 0 }, d),
    ).toEqual(["add-milestone"]);
  });

  it("does not let a supporter support again, nor the proposer support at all", () => {
    const open = { status: "open" as const, answer: null, openMilestones: 0 };
    expect(checkAction("support", open, RELATIONS.supporter as ProposalRelation)).toMatchObject({
      ok: false,
      reason: "state",
    });
    expect(checkAction("support", open, RELATIONS.proposer as ProposalRelation)).toEqual({
      ok: false,
      reason: "forbidden",
    });
  });

  it("derives the relation from grants: department by id, coordinator by area", () => {
    const p = { proposer_user_id: "10", department_id: "7", area_path: GRID };
    const officer = actor(
      [grant("department_officer", { scopeKind: "department", scopeId: "7" })],
      "20",
    );
    expect(relationOf(officer, p, false)).toMatchObject({ department: true, proposer: false });
    const other = actor(
      [grant("department_officer", { scopeKind: "department", scopeId: "8" })],
      "21",
    );
    expect(relationOf(other, p, false).department).toBe(false);
    const coord = actor([grant("coordinator", { areaPath: "/320505/320505002/" })], "22");
    expect(relationOf(coord, p, false).coordinator).toBe(true);
    const elsewhere = actor([grant("coordinator", { areaPath: "/320505/320505003/" })], "23");
    expect(relationOf(elsewhere, p, false).coordinator).toBe(false);
    expect(relationOf(actor([grant("resident")], "10"), p, false).proposer).toBe(true);
  });
});

describe("departments and deadlines", () => {
  it("looks for the topic's kind, then the street office, then the centre", () => {
    expect(departmentKindsFor("public_order")).toEqual([
      "police_station",
      "street_office",
      "comprehensive_governance",
    ]);
    expect(departmentKindsFor("other")).toEqual(["street_office", "comprehensive_governance"]);
    for (const t of PROPOSAL_TOPICS)
      expect(departmentKindsFor(t).at(-1)).toBe("comprehensive_governance");
  });

  it("tells on time, due soon and overdue only while waiting for the answer", () => {
    const now = new Date("2026-06-01T02:00:00Z");
    const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
    expect(dueStateOf("submitted", inDays(10), now)).toBe("on_time");
    expect(dueStateOf("submitted", inDays(2), now)).toBe("due_soon");
    expect(dueStateOf("submitted", inDays(-1), now)).toBe("overdue");
    expect(dueStateOf("answered", inDays(-1), now)).toBeNull();
    expect(dueStateOf("open", null, now)).toBeNull();
  });

  it("calls a milestone late after its day in China", () => {
    // 2026-06-01 17:00 UTC is already 2 June in China.
    const now = new Date("2026-06-01T17:00:00Z");
    expect(milestoneLate({ status: "open", due_on: "2026-06-01" }, now)).toBe(true);
    expect(milestoneLate({ status: "open", due_on: "2026-06-02" }, now)).toBe(false);
    expect(milestoneLate({ status: "done", due_on: "2026-01-01" }, now)).toBe(false);
  });
});

describe("proposals from cases", () => {
  it("guesses the topic from the categories", () => {
    expect(topicFromCategories(["电动车违规充电"])).toBe("ev_charging");
    expect(topicFromCategories(["消防通道堵塞"])).toBe("fire");
    expect(topicFromCategories(["群租房"])).toBe("rental_housing");
    expect(topicFromCategories(["噪音扰民"])).toBe("public_order");
    expect(topicFromCategories(["something else"])).toBe("public_order");
  });

  it("names every case in the draft and keeps within the limits", () => {
    const cases = Array.from({ length: 50 }, (_, i) => ({
      code: `SJ20260101${String(i).padStart(6, "0")}`,
      categoryName: "消防通道堵塞",
      address: i === 3 ? "金枫路 8 号" : null,
    }));
    const d = draftFromCases(cases, "寒山社区居委会");
    expect(d.topic).toBe("fire");
    expect(d.title.length).toBeLessThanOrEqual(60);
    expect(d.body).toContain("金枫路 8 号");
    for (const c of cases) expect(d.body).toContain(c.code);
  });
});
