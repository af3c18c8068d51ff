import { describe, expect, it } from "vitest";
import { CASE_STATUSES, type CaseStatus } from "../../../shared/schemas/cases.js";
import {
  allowedActions,
  type CaseFacts,
  type CaseRelation,
  checkTransition,
  feedbackOutcome,
} from "./case-lifecycle.js";

const nobody: CaseRelation = {
  reporter: false,
  lead: false,
  assisting: false,
  areaStaff: false,
  coordinator: false,
};
const as = (r: Partial<CaseRelation>): CaseRelation => ({ ...nobody, ...r });
const facts = (status: CaseStatus, more: Partial<CaseFacts> = {}): CaseFacts => ({
  status,
  supervised: false,
  closedAt: null,
  hasLead: true,
  ...more,
});
const cfg = { reopenDays: 7 };
const now = new Date("2026-11-29T10:00:00+08:00");

describe("case life cycle", () => {
  it("walks the happy path: reported → verified → dispatched → accepted → in progress → resolved → closed", () => {
    const steps: [Parameters<typeof checkTransition>[0], CaseStatus, CaseRelation, CaseStatus][] = [
      ["verify", "reported", as({ areaStaff: true }), "verified"],
      ["dispatch", "verified", as({ coordinator: true }), "dispatched"],
      ["accept", "dispatched", as({ lead: true }), "accepted"],
      ["start", "accepted", as({ lead: true }), "in_progress"],
      ["resolve", "in_progress", as({ lead: true }), "resolved"],
      ["feedback", "resolved", as({ reporter: true }), "closed"],
    ];
    for (const [action, from, who, to] of steps) {
      expect(checkTransition(action, facts(from), who, now, cfg), action).toEqual({ ok: true, to });
    }
  });

  it("refuses someone with no part in an action, whatever the status", () => {
    for (const s of CASE_STATUSES) {
      expect(checkTransition("accept", facts(s), as({ reporter: true }), now, cfg)).toEqual({
        ok: false,
        reason: "forbidden",
      });
      expect(checkTransition("dispatch", facts(s), as({ lead: true }), now, cfg).ok).toBe(false);
    }
  });

  it("answers a wrong-state action with what is allowed instead", () => {
    const r = checkTransition("resolve", facts("dispatched"), as({ lead: true }), now, cfg);
    expect(r).toEqual({
      ok: false,
      reason: "state",
      allowed: ["accept", "return", "comment", "invite"],
    });
  });

  it("lets the reporter reopen only within the window", () => {
    const closedAt = new Date(now.getTime() - 6 * 86_400_000);
    expect(
      checkTransition("reopen", facts("closed", { closedAt }), as({ reporter: true }), now, cfg),
    ).toEqual({ ok: true, to: "in_progress" });
    const late = new Date(now.getTime() - 8 * 86_400_000);
    const r = checkTransition(
      "reopen",
      facts("closed", { closedAt: late }),
      as({ reporter: true }),
      now,
      cfg,
    );
    expect(r.ok).toBe(false);
  });

  it("supervises once, and never a finished case", () => {
    const c = as({ coordinator: true });
    expect(checkTransition("supervise", facts("in_progress"), c, now, cfg).ok).toBe(true);
    expect(
      checkTransition("supervise", facts("in_progress", { supervised: true }), c, now, cfg).ok,
    ).toBe(false);
    expect(checkTransition("supervise", facts("closed"), c, now, cfg).ok).toBe(false);
  });

  it("offers nothing on a withdrawn or merged case but to nobody", () => {
    const everyone = as({
      reporter: true,
      lead: true,
      assisting: true,
      areaStaff: true,
      coordinator: true,
    });
    expect(allowedActions(facts("withdrawn"), everyone, now, cfg)).toEqual([]);
    expect(allowedActions(facts("merged"), everyone, now, cfg)).toEqual([]);
  });

  it("cannot accept a case with no lead", () => {
    expect(
      checkTransition(
        "accept",
        facts("dispatched", { hasLead: false }),
        as({ lead: true }),
        now,
        cfg,
      ).ok,
    ).toBe(false);
  });

  it("sends a dissatisfied rating back to the lead", () => {
    expect([1, 2, 3, 4, 5].map(feedbackOutcome)).toEqual([
      "in_progress",
      "in_progress",
      "closed",
      "closed",
      "closed",
    ]);
  });

  it("guards extensions, pauses and assisting tasks by the case's facts", () => {
    const lead = as({ lead: true });
    const coordinator = as({ coordinator: true });
    const f = facts("in_progress");
    expect(checkTransition("request_extension", f, lead, now, cfg).ok).toBe(true);
    expect(
      checkTransition("request_extension", { ...f, extensionPending: true }, lead, now, cfg).ok,
    ).toBe(false);
    expect(checkTransition("grant_extension", f, coordinator, now, cfg).ok).toBe(false);
    expect(
      checkTransition("grant_extension", { ...f, extensionPending: true }, coordinator, now, cfg)
        .ok,
    ).toBe(true);
    expect(checkTransition("resume", f, as({ reporter: true }), now, cfg).ok).toBe(false);
    expect(
      checkTransition("resume", { ...f, paused: true }, as({ reporter: true }), now, cfg).ok,
    ).toBe(true);
    expect(checkTransition("wait_reporter", { ...f, paused: true }, lead, now, cfg).ok).toBe(false);
    const helper = as({ assisting: true });
    expect(checkTransition("complete_task", f, helper, now, cfg).ok).toBe(false);
    expect(checkTransition("complete_task", { ...f, myOpenTask: true }, helper, now, cfg).ok).toBe(
      true,
    );
    expect(checkTransition("complete_task", { ...f, myOpenTask: true }, lead, now, cfg)).toEqual({
      ok: false,
      reason: "forbidden",
    });
  });
});
