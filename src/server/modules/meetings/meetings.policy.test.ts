import { describe, expect, it } from "vitest";
import { MEETING_STATUSES } from "../../../shared/schemas/meetings.js";
import type { Actor } from "../access/access.policy.js";
import {
  actionItemActions,
  actionItemRelationOf,
  actionItemState,
  agendaItemActions,
  checkMeetingAction,
  chinaToday,
  isBounced,
  meetingAllowedActions,
  meetingRelationOf,
  meetingScopeOf,
  rulingCaseStep,
} from "./meetings.policy.js";

const grant = (role: Actor["grants"][number]["role"], over: Partial<Actor["grants"][number]>) => ({
  id: "g",
  role,
  scopeKind: "area" as const,
  scopeId: null,
  scopeName: null,
  scopeCode: null,
  scopeLevel: null,
  areaPath: null,
  ...over,
});
const actor = (grants: Actor["grants"]): Actor => ({
  kind: "user",
  userId: "1",
  tokenId: null,
  label: "u",
  grants,
  tokenScopes: [],
});

const streetCoordinator = actor([grant("coordinator", { areaPath: "/320505/320505002/" })]);
const officer = actor([
  grant("department_officer", {
    scopeKind: "department",
    scopeId: "7",
    areaPath: "/320505/320505002/",
  }),
]);
const enterprise = actor([
  grant("enterprise_officer", { scopeKind: "organisation", scopeId: "9" }),
]);

describe("who stands how to a meeting", () => {
  const inStreet = { area_path: "/320505/320505002/" };
  const otherStreet = { area_path: "/320505/320505001/" };
  const invited = [
    { department_id: "7", organisation_id: null },
    { department_id: null, organisation_id: "9" },
  ];

  it("is the coordinator's inside their area only, and the invited parties'", () => {
    const s = meetingScopeOf(streetCoordinator);
    expect(meetingRelationOf(s, inStreet, []).coordinator).toBe(true);
    expect(meetingRelationOf(s, otherStreet, invited).coordinator).toBe(false);
    expect(meetingRelationOf(s, otherStreet, invited).participant).toBe(false);
    expect(meetingRelationOf(meetingScopeOf(officer), otherStreet, invited)).toEqual({
      coordinator: false,
      participant: true,
    });
    expect(meetingRelationOf(meetingScopeOf(enterprise), otherStreet, invited).participant).toBe(
      true,
    );
    expect(meetingRelationOf(meetingScopeOf(enterprise), otherStreet, []).participant).toBe(false);
  });

  it("lets only coordinators act, each step at its stage (generated over every status)", () => {
    const coordinator = { coordinator: true, participant: false };
    const participant = { coordinator: false, participant: true };
    const expected: Record<string, string[]> = {
      scheduled: ["edit", "cancel", "hold", "agenda"],
      held: ["minutes", "close", "agenda", "decide"],
      closed: [],
      cancelled: [],
    };
    for (const status of MEETING_STATUSES) {
      expect(meetingAllowedActions(status, coordinator).sort()).toEqual(
        [...(expected[status] ?? [])].sort(),
      );
      expect(meetingAllowedActions(status, participant)).toEqual([]);
      for (const a of ["edit", "cancel", "hold", "minutes", "close", "agenda", "decide"] as const) {
        expect(checkMeetingAction(a, status, participant)).toEqual({
          ok: false,
          reason: "forbidden",
        });
        const c = checkMeetingAction(a, status, coordinator);
        expect(c.ok).toBe(expected[status]?.includes(a));
      }
    }
  });
});

describe("agenda items", () => {
  it("are ruled on and concluded at a held meeting, dropped until it is over", () => {
    const caseItem = { status: "open", case_id: "1" };
    const topic = { status: "open", case_id: null };
    expect(agendaItemActions(caseItem, "held", true).sort()).toEqual(["conclude", "drop", "rule"]);
    expect(agendaItemActions(topic, "held", true).sort()).toEqual(["conclude", "drop"]);
    expect(agendaItemActions(caseItem, "scheduled", true)).toEqual(["drop"]);
    expect(agendaItemActions(caseItem, null, true)).toEqual(["drop"]);
    expect(agendaItemActions(caseItem, "closed", true)).toEqual([]);
    expect(agendaItemActions(caseItem, "held", false)).toEqual([]);
    expect(agendaItemActions({ status: "concluded", case_id: "1" }, "held", true)).toEqual([]);
  });
});

describe("the bounce detector and the ruling", () => {
  it("counts a case bounced past the threshold, not at it", () => {
    expect(isBounced(2, 2)).toBe(false);
    expect(isBounced(3, 2)).toBe(true);
    expect(isBounced(1, 0)).toBe(true);
  });

  it("dispatches a waiting case, reassigns a worked one, confirms the same lead", () => {
    for (const s of ["reported", "verified", "returned"])
      expect(rulingCaseStep(s, null, "5")).toBe("dispatch");
    for (const s of ["dispatched", "accepted", "in_progress"]) {
      expect(rulingCaseStep(s, "4", "5")).toBe("reassign");
      expect(rulingCaseStep(s, "5", "5")).toBe("comment");
    }
    for (const s of ["resolved", "closed", "withdrawn", "merged"])
      expect(rulingCaseStep(s, "4", "5")).toBeNull();
  });
});

describe("action items", () => {
  it("are overdue the day after their deadline, in China's calendar", () => {
    // 2026-12-01 17:00 UTC is already 2 December in China.
    const today = chinaToday(new Date("2026-12-01T17:00:00Z"));
    expect(today).toBe("2026-12-02");
    expect(actionItemState({ status: "open", due_on: "2026-12-01" }, today)).toBe("overdue");
    expect(actionItemState({ status: "open", due_on: "2026-12-02" }, today)).toBe("open");
    expect(actionItemState({ status: "done", due_on: "2026-11-01" }, today)).toBe("done");
    expect(actionItemState({ status: "cancelled", due_on: "2026-11-01" }, today)).toBe("cancelled");
  });

  it("are done by their owner or the coordinator, reopened and changed by the coordinator only", () => {
    const item = {
      area_path: "/320505/320505002/",
      owner_department_id: "7",
      owner_organisation_id: null,
    };
    const owner = actionItemRelationOf(meetingScopeOf(officer), item);
    const coord = actionItemRelationOf(meetingScopeOf(streetCoordinator), item);
    const stranger = actionItemRelationOf(meetingScopeOf(enterprise), item);
    expect(owner).toEqual({ coordinator: false, owner: true });
    expect(coord).toEqual({ coordinator: true, owner: false });
    expect(actionItemActions("open", owner)).toEqual(["complete"]);
    expect(actionItemActions("done", owner)).toEqual([]);
    expect(actionItemActions("open", coord)).toEqual(["complete", "cancel", "edit"]);
    expect(actionItemActions("done", coord)).toEqual(["reopen"]);
    expect(actionItemActions("cancelled", coord)).toEqual([]);
    expect(actionItemActions("open", stranger)).toEqual([]);
  });
});
