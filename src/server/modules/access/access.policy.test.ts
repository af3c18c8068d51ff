import { describe, expect, it } from "vitest";
import type { Role } from "../../../shared/roles.js";
import {
  type Actor,
  type ActorGrant,
  and,
  areaScopePaths,
  canEditArea,
  canRevealAnyPersonalData,
  hasRole,
  isStaff,
  or,
  overseesAllImports,
  pathWithin,
  permissionsOf,
} from "./access.policy.js";

const grant = (
  role: Role,
  areaPath: string | null,
  scopeKind: ActorGrant["scopeKind"] = "area",
): ActorGrant => ({
  id: "1",
  role,
  scopeKind,
  scopeId: "1",
  scopeName: null,
  scopeCode: null,
  scopeLevel: null,
  areaPath,
});
const user = (...grants: ActorGrant[]): Actor => ({
  kind: "user",
  userId: "1",
  tokenId: null,
  label: "u",
  grants,
  tokenScopes: [],
});

describe("access policy", () => {
  it("pathWithin compares whole path segments", () => {
    expect(pathWithin("/320505/320505001/", "/320505/")).toBe(true);
    expect(pathWithin("/320505/", "/320505/320505001/")).toBe(false);
    expect(pathWithin("/3205050/", "/320505/")).toBe(false);
  });

  it("composes rules", () => {
    const a = user(grant("grid_worker", "/1/2/3/4/"));
    expect(or(hasRole("admin"), hasRole("grid_worker"))(a)).toBe(true);
    expect(and(hasRole("admin"), hasRole("grid_worker"))(a)).toBe(false);
    expect(isStaff(user(grant("resident", null, "self")))).toBe(false);
  });

  it("coordinators edit areas inside their own area only", () => {
    const street = user(grant("coordinator", "/320505/320505001/"));
    expect(canEditArea(street, "/320505/320505001/320505001002/")).toBe(true);
    expect(canEditArea(street, "/320505/320505002/")).toBe(false);
    expect(canEditArea(street, "/320505/")).toBe(false);
    expect(canEditArea(user(grant("grid_worker", "/320505/")), "/320505/320505001/")).toBe(false);
  });

  it("areaScopePaths keeps only the outermost paths", () => {
    const a = user(
      grant("coordinator", "/1/2/"),
      grant("grid_worker", "/1/2/3/4/"),
      grant("grid_worker", "/1/5/6/7/"),
    );
    expect(areaScopePaths(a).sort()).toEqual(["/1/2/", "/1/5/6/7/"]);
    expect(areaScopePaths(a, ["grid_worker"]).sort()).toEqual(["/1/2/3/4/", "/1/5/6/7/"]);
  });

  it("who may ever reveal a personal number, and who oversees every import", () => {
    expect(canRevealAnyPersonalData(user(grant("grid_worker", "/1/2/3/4/")))).toBe(true);
    expect(canRevealAnyPersonalData(user(grant("resident", null, "self")))).toBe(true);
    expect(canRevealAnyPersonalData(user(grant("enterprise_officer", "/1/", "organisation")))).toBe(
      false,
    );
    expect(canRevealAnyPersonalData(user(grant("association_rep", "/1/", "organisation")))).toBe(
      false,
    );
    const at = (role: Role, level: string): ActorGrant => ({
      ...grant(role, "/1/"),
      scopeLevel: level,
    });
    expect(overseesAllImports(user(at("coordinator", "district")))).toBe(true);
    expect(overseesAllImports(user(at("admin", "district")))).toBe(true);
    expect(overseesAllImports(user(at("coordinator", "street")))).toBe(false);
    expect(overseesAllImports(user(at("grid_worker", "district")))).toBe(false);
  });

  it("permissions: residents get none of the staff ones; tokens only by scope", () => {
    expect(permissionsOf(user(grant("resident", null, "self")))).toEqual([]);
    expect(permissionsOf(user(grant("admin", "/1/")))).toContain("admin.tokens");
    const token: Actor = {
      kind: "token",
      userId: null,
      tokenId: "9",
      label: "t",
      grants: [],
      tokenScopes: ["areas:read"],
    };
    expect(permissionsOf(token)).toEqual(["areas.read", "departments.read"]);
  });
});
