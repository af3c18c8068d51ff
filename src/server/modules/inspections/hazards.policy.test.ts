import { describe, expect, it } from "vitest";
import type { Role } from "../../../shared/roles.js";
import { HAZARD_ACTIONS, HAZARD_STATUSES } from "../../../shared/schemas/inspections.js";
import type { Actor, ActorGrant } from "../access/access.policy.js";
import {
  allowedHazardActions,
  awaitsSupervision,
  canAcceptVerification,
  canSeeHazard,
  checkHazardAction,
  type HazardFacts,
  type HazardRelation,
  hazardRelation,
  nextStatus,
} from "./hazards.policy.js";

const STREET = "/320505/320505002/";
const GRID = "/320505/320505002/320505002001/320505002001001/";
const OTHER = "/320505/320505003/";

function actor(...grants: [Role, string | null, string | null][]): Actor {
  return {
    kind: "user",
    userId: "1",
    tokenId: null,
    label: "u",
    tokenScopes: [],
    grants: grants.map(
      ([role, scopeId, areaPath], i): ActorGrant => ({
        id: String(i),
        role,
        scopeKind:
          role === "enterprise_officer"
            ? "organisation"
            : role === "department_officer"
              ? "department"
              : "area",
        scopeId,
        scopeName: null,
        scopeCode: null,
        scopeLevel: null,
        areaPath,
      }),
    ),
  };
}

const hazard = {
  organisationId: "42",
  areaPath: GRID,
  supervisingDepartmentId: null as string | null,
};

const nobody: HazardRelation = {
  enterprise: false,
  areaStaff: false,
  coordinator: false,
  departmentId: null,
  supervising: false,
};

describe("how a person stands to a hazard", () => {
  it("knows the enterprise's own officer, and no other enterprise's", () => {
    expect(hazardRelation(actor(["enterprise_officer", "42", GRID]), hazard).enterprise).toBe(true);
    const other = hazardRelation(actor(["enterprise_officer", "43", GRID]), hazard);
    expect(other.enterprise).toBe(false);
    expect(canSeeHazard(other)).toBe(false);
  });

  it("covers staff by area, not outside it", () => {
    const inArea = hazardRelation(actor(["grid_worker", "9", GRID]), hazard);
    expect(inArea).toMatchObject({ areaStaff: true, coordinator: false });
    const outside = hazardRelation(actor(["coordinator", "8", OTHER]), hazard);
    expect(canSeeHazard(outside)).toBe(false);
    const dept = hazardRelation(actor(["department_officer", "77", STREET]), hazard);
    expect(dept).toMatchObject({ areaStaff: true, departmentId: "77", supervising: false });
  });

  it("lets the supervising department see its hazard even outside its area", () => {
    const r = hazardRelation(actor(["department_officer", "77", OTHER]), {
      ...hazard,
      supervisingDepartmentId: "77",
    });
    expect(r).toMatchObject({ supervising: true, areaStaff: false, departmentId: null });
    expect(canSeeHazard(r)).toBe(true);
  });
});

describe("hazard transitions", () => {
  const general = (status: HazardFacts["status"]): HazardFacts => ({
    status,
    level: "general",
    supervisingDepartmentId: null,
  });
  const major = (status: HazardFacts["status"], supervised = false): HazardFacts => ({
    status,
    level: "major",
    supervisingDepartmentId: supervised ? "77" : null,
  });
  const enterprise = { ...nobody, enterprise: true };
  const gridWorker = { ...nobody, areaStaff: true };
  const officer = { ...nobody, areaStaff: true, departmentId: "77" };
  const supervisingOfficer = { ...officer, supervising: true };
  const coordinator = { ...nobody, areaStaff: true, coordinator: true };

  it("walks open → rectifying → submitted → closed, or back to rectifying", () => {
    expect(allowedHazardActions(general("open"), enterprise)).toEqual(["plan"]);
    expect(nextStatus("plan", "open")).toBe("rectifying");
    expect(allowedHazardActions(general("rectifying"), enterprise)).toEqual(["plan", "complete"]);
    expect(nextStatus("complete", "rectifying")).toBe("submitted");
    expect(allowedHazardActions(general("submitted"), gridWorker)).toEqual(["verify"]);
    expect(nextStatus("verify", "submitted", "accept")).toBe("closed");
    expect(nextStatus("verify", "submitted", "return")).toBe("rectifying");
    expect(nextStatus("supervise", "rectifying")).toBe("rectifying");
    for (const who of [enterprise, gridWorker, officer, coordinator])
      expect(allowedHazardActions(general("closed"), who)).toEqual([]);
  });

  it("refuses an enterprise verifying (403) and staff planning (403)", () => {
    expect(checkHazardAction("verify", general("submitted"), enterprise)).toEqual({
      ok: false,
      reason: "forbidden",
    });
    expect(checkHazardAction("plan", general("open"), coordinator)).toEqual({
      ok: false,
      reason: "forbidden",
    });
  });

  it("answers a step out of order with what is allowed (409)", () => {
    expect(checkHazardAction("complete", general("open"), enterprise)).toEqual({
      ok: false,
      reason: "state",
      allowed: ["plan"],
    });
    expect(checkHazardAction("verify", general("rectifying"), gridWorker)).toEqual({
      ok: false,
      reason: "state",
      allowed: [],
    });
  });

  it("lets only the supervising department or a coordinator verify a major hazard", () => {
    expect(checkHazardAction("verify", major("submitted", true), gridWorker).ok).toBe(false);
    expect(checkHazardAction("verify", major("submitted", true), officer).ok).toBe(false);
    expect(checkHazardAction("verify", major("submitted", true), supervisingOfficer).ok).toBe(true);
    expect(checkHazardAction("verify", major("submitted", true), coordinator).ok).toBe(true);
    expect(checkHazardAction("verify", major("submitted"), coordinator).ok).toBe(true);
    expect(checkHazardAction("verify", major("submitted"), officer)).toEqual({
      ok: false,
      reason: "forbidden",
    });
  });

  it("accepts a major hazard only once a department supervises it; sending back stays open", () => {
    for (const status of ["open", "rectifying", "submitted"] as const) {
      expect(awaitsSupervision(major(status))).toBe(true);
      expect(awaitsSupervision(major(status, true))).toBe(false);
      expect(awaitsSupervision(general(status))).toBe(false);
    }
    expect(awaitsSupervision(major("closed"))).toBe(false);
    expect(canAcceptVerification("accept", major("submitted"))).toBe(false);
    expect(canAcceptVerification("return", major("submitted"))).toBe(true);
    expect(canAcceptVerification("accept", major("submitted", true))).toBe(true);
    expect(canAcceptVerification("accept", general("submitted"))).toBe(true);
  });

  it("puts a major hazard under one department's supervision, once", () => {
    expect(allowedHazardActions(major("open"), officer)).toEqual(["supervise"]);
    expect(checkHazardAction("supervise", major("open", true), officer)).toMatchObject({
      ok: false,
      reason: "state",
    });
    expect(checkHazardAction("supervise", general("open"), officer)).toMatchObject({
      ok: false,
      reason: "state",
    });
    expect(checkHazardAction("supervise", major("open"), coordinator)).toEqual({
      ok: false,
      reason: "forbidden",
    });
    expect(checkHazardAction("supervise", major("closed"), officer)).toMatchObject({
      ok: false,
      reason: "state",
    });
  });

  it("gives nobody without a relation any action in any state (generated matrix)", () => {
    for (const status of HAZARD_STATUSES)
      for (const level of ["general", "major"] as const)
        for (const action of HAZARD_ACTIONS)
          expect(
            checkHazardAction(action, { status, level, supervisingDepartmentId: null }, nobody),
          ).toEqual({ ok: false, reason: "forbidden" });
  });
});
