import { describe, expect, it } from "vitest";
import type { Role, ScopeKind } from "../../../shared/roles.js";
import type { Actor } from "../access/access.policy.js";
import {
  canCreateTeam,
  canManageTeam,
  canPlanShiftIn,
  canVerifyHours,
  overseesShift,
  volunteerStaffPaths,
} from "./volunteers.policy.js";

const DISTRICT = "/320505/";
const STREET = "/320505/320505002/";
const COMMUNITY = "/320505/320505002/320505002001/";
const GRID = "/320505/320505002/320505002001/320505002001001/";
const OTHER_GRID = "/320505/320505002/320505002001/320505002001002/";
const OTHER_COMMUNITY = "/320505/320505002/320505002002/";

function actor(
  userId: string,
  grants: { role: Role; areaPath?: string; level?: string; scopeId?: string }[],
): Actor {
  return {
    kind: "user",
    userId,
    tokenId: null,
    label: userId,
    tokenScopes: [],
    grants: grants.map((g, i) => ({
      id: String(i),
      role: g.role,
      scopeKind: (g.areaPath ? "area" : g.scopeId ? "organisation" : "self") as ScopeKind,
      scopeId: g.scopeId ?? null,
      scopeName: null,
      scopeCode: null,
      scopeLevel: g.level ?? null,
      areaPath: g.areaPath ?? null,
    })),
  };
}

const gridWorker = actor("10", [{ role: "grid_worker", areaPath: GRID, level: "grid" }]);
const coordinator = actor("11", [{ role: "coordinator", areaPath: DISTRICT, level: "district" }]);
const association = actor("12", [{ role: "association_rep", areaPath: STREET, scopeId: "77" }]);
const resident = actor("13", [{ role: "resident" }]);

describe("where staff oversee volunteers", () => {
  it("gives a grid worker their grid's community, a coordinator their area, others nothing", () => {
    expect(volunteerStaffPaths(gridWorker)).toEqual([COMMUNITY]);
    expect(volunteerStaffPaths(coordinator)).toEqual([DISTRICT]);
    expect(volunteerStaffPaths(association)).toEqual([]);
    expect(volunteerStaffPaths(resident)).toEqual([]);
  });
});

describe("teams", () => {
  const communityTeam = { kind: "community" as const, areaPath: COMMUNITY, organisationId: null };
  const assocTeam = { kind: "association" as const, areaPath: COMMUNITY, organisationId: "77" };
  it("are managed by the community's grid worker, coordinators above and their organisation", () => {
    const cases: [Actor, typeof communityTeam | typeof assocTeam, boolean][] = [
      [gridWorker, communityTeam, true],
      [gridWorker, { ...communityTeam, areaPath: OTHER_COMMUNITY }, false],
      [gridWorker, assocTeam, false],
      [coordinator, communityTeam, true],
      [coordinator, assocTeam, true],
      [association, assocTeam, true],
      [association, { ...assocTeam, organisationId: "78" }, false],
      [association, communityTeam, false],
      [resident, communityTeam, false],
    ];
    for (const [a, t, want] of cases)
      expect(canManageTeam(a, t), `${a.userId} ${t.kind}`).toBe(want);
  });

  it("are created as community teams without an organisation, others with one", () => {
    expect(canCreateTeam(gridWorker, communityTeam)).toBe(true);
    expect(canCreateTeam(gridWorker, { ...communityTeam, organisationId: "77" })).toBe(false);
    expect(canCreateTeam(association, { ...assocTeam, organisationId: null })).toBe(false);
    expect(canCreateTeam(association, assocTeam)).toBe(true);
  });
});

describe("planning shifts", () => {
  it("lets a grid worker plan in their grid or their grid's community, not a neighbour's grid", () => {
    expect(canPlanShiftIn(gridWorker, { path: GRID, level: "grid" })).toBe(true);
    expect(canPlanShiftIn(gridWorker, { path: COMMUNITY, level: "community" })).toBe(true);
    expect(canPlanShiftIn(gridWorker, { path: OTHER_GRID, level: "grid" })).toBe(false);
    expect(canPlanShiftIn(gridWorker, { path: OTHER_COMMUNITY, level: "community" })).toBe(false);
    expect(canPlanShiftIn(coordinator, { path: OTHER_GRID, level: "grid" })).toBe(true);
    expect(canPlanShiftIn(association, { path: GRID, level: "grid" })).toBe(false);
    expect(canPlanShiftIn(resident, { path: GRID, level: "grid" })).toBe(false);
  });
});

describe("verifying hours", () => {
  const shift = {
    areaPath: GRID,
    organisationId: null,
    createdBy: "99",
    teamLeaderUserIds: ["13"],
  };
  it("is for the shift's grid worker, coordinators, its creator and its team's leaders", () => {
    expect(overseesShift(gridWorker, shift)).toBe(true);
    expect(overseesShift(gridWorker, { ...shift, areaPath: COMMUNITY })).toBe(true);
    expect(overseesShift(gridWorker, { ...shift, areaPath: OTHER_GRID })).toBe(false);
    expect(overseesShift(coordinator, shift)).toBe(true);
    expect(overseesShift(resident, shift)).toBe(true);
    expect(overseesShift(resident, { ...shift, teamLeaderUserIds: [] })).toBe(false);
    expect(overseesShift(association, { ...shift, organisationId: "77" })).toBe(true);
    expect(overseesShift(association, shift)).toBe(false);
  });

  it("is never one's own", () => {
    expect(canVerifyHours(resident, shift, "13")).toEqual({ ok: false, reason: "own" });
    expect(canVerifyHours(resident, shift, "14")).toEqual({ ok: true });
    expect(canVerifyHours(coordinator, shift, "11")).toEqual({ ok: false, reason: "own" });
    expect(canVerifyHours(association, shift, "14")).toEqual({ ok: false, reason: "forbidden" });
  });
});
