/** Who issues and manages broadcasts, as a generated matrix of role × place; no database. */
import { describe, expect, it } from "vitest";
import { ROLE_SCOPE, ROLES, type Role } from "../../../shared/roles.js";
import type { Actor, ActorGrant } from "../access/access.policy.js";
import { reportScopes } from "../reports/reports.policy.js";
import {
  allowedActions,
  broadcastInScope,
  broadcastScopeOf,
  isIssuer,
  issuerOf,
} from "./broadcasts.policy.js";

const DISTRICT = "/320505/";
const STREET = "/320505/320505002/";
const OTHER_STREET = "/320505/320505003/";

function actor(role: Role, areaPath: string | null, scopeId = "7"): Actor {
  const grant: ActorGrant = {
    id: "1",
    role,
    scopeKind: ROLE_SCOPE[role],
    scopeId: ROLE_SCOPE[role] === "self" ? null : scopeId,
    scopeName: role === "department_officer" ? "狮山派出所" : "狮山街道",
    scopeCode: null,
    scopeLevel: null,
    areaPath: ROLE_SCOPE[role] === "self" ? null : areaPath,
  };
  return {
    kind: "user",
    userId: "42",
    tokenId: null,
    label: role,
    grants: [grant],
    tokenScopes: [],
  };
}

const ISSUES: Record<Role, boolean> = {
  admin: true,
  coordinator: true,
  department_officer: true,
  grid_worker: false,
  enterprise_officer: false,
  enterprise_manager: false,
  association_rep: false,
  resident: false,
};

describe("the broadcast permission matrix (role × place)", () => {
  for (const role of ROLES)
    for (const [place, path] of [
      ["own street", STREET],
      ["other street", OTHER_STREET],
    ] as const)
      it(`${role}, a broadcast from the ${place}: issue ${ISSUES[role]}`, () => {
        const a = actor(role, STREET);
        expect(isIssuer(a)).toBe(ISSUES[role]);
        const b = { area_path: path, department_id: null, created_by: "99" };
        // Centres manage what is issued inside their area; nobody else's.
        const manages = (role === "admin" || role === "coordinator") && path === STREET;
        expect(broadcastInScope(broadcastScopeOf(a), b)).toBe(manages);
        // Reports follow the coordination centre's scope.
        expect(reportScopes(a).length > 0).toBe(role === "admin" || role === "coordinator");
      });

  it("lets a department manage its own broadcasts wherever they reach, and a writer their own", () => {
    const officer = actor("department_officer", STREET, "7");
    const scope = broadcastScopeOf(officer);
    expect(
      broadcastInScope(scope, { area_path: DISTRICT, department_id: "7", created_by: "1" }),
    ).toBe(true);
    expect(
      broadcastInScope(scope, { area_path: STREET, department_id: "8", created_by: "1" }),
    ).toBe(false);
    expect(
      broadcastInScope(scope, { area_path: OTHER_STREET, department_id: null, created_by: "42" }),
    ).toBe(true);
  });
});

describe("the issuing grant", () => {
  it("is the widest coordination centre, else the department", () => {
    const both: Actor = {
      ...actor("coordinator", STREET),
      grants: [
        actor("department_officer", STREET).grants[0] as ActorGrant,
        actor("coordinator", STREET).grants[0] as ActorGrant,
        { ...(actor("admin", DISTRICT).grants[0] as ActorGrant), scopeName: "虎丘区" },
      ],
    };
    expect(issuerOf(both)).toEqual({
      areaPath: DISTRICT,
      departmentId: null,
      name: "虎丘区综治中心",
    });
    expect(issuerOf(actor("department_officer", STREET, "7"))).toEqual({
      areaPath: STREET,
      departmentId: "7",
      name: "狮山派出所",
    });
    expect(issuerOf(actor("resident", null))).toBeNull();
  });

  it("allows edit, delete and send on a draft only", () => {
    expect(allowedActions("draft")).toEqual(["edit", "delete", "send"]);
    expect(allowedActions("sending")).toEqual([]);
    expect(allowedActions("sent")).toEqual([]);
  });
});
