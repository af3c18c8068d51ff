import { describe, expect, it } from "vitest";
import { createFormField, grantBody, grantFormField, scopeFieldOf } from "./user-form-model.js";

describe("grantBody", () => {
  it("sends only the scope the role needs", () => {
    expect(grantBody({ role: "grid_worker", areaCode: "320505002001", departmentId: "7" })).toEqual(
      { role: "grid_worker", areaCode: "320505002001" },
    );
    expect(grantBody({ role: "department_officer", departmentId: "12" })).toEqual({
      role: "department_officer",
      departmentId: "12",
    });
    expect(grantBody({ role: "enterprise_officer", organisationId: " 5 " })).toEqual({
      role: "enterprise_officer",
      organisationId: "5",
    });
    expect(grantBody({ role: "resident", areaCode: "320505" })).toEqual({ role: "resident" });
  });

  it("maps every role to its scope field", () => {
    expect(scopeFieldOf("admin")).toBe("areaCode");
    expect(scopeFieldOf("association_rep")).toBe("organisationId");
    expect(scopeFieldOf("resident")).toBeNull();
    expect(scopeFieldOf(undefined)).toBeNull();
  });
});

describe("server issues onto form fields", () => {
  const grants = [
    { role: "grid_worker" as const, areaCode: "320505002001" },
    { role: "resident" as const },
    { role: "department_officer" as const, departmentId: "3" },
  ];

  it("puts account fields on their inputs", () => {
    expect(createFormField("body.username", grants)).toEqual(["username"]);
    expect(createFormField("body.password", grants)).toEqual(["password"]);
    expect(createFormField("displayName", grants)).toEqual(["displayName"]);
    expect(createFormField("body.email", grants)).toEqual(["email"]);
  });

  it("puts a grant's issue on its scope picker, or its role when it has none", () => {
    expect(createFormField("body.grants.0", grants)).toEqual(["grants", 0, "areaCode"]);
    expect(createFormField("body.grants.1", grants)).toEqual(["grants", 1, "role"]);
    expect(createFormField("body.grants.2.departmentId", grants)).toEqual([
      "grants",
      2,
      "departmentId",
    ]);
    expect(createFormField("body.grants.0.role", grants)).toEqual(["grants", 0, "role"]);
  });

  it("leaves what belongs to no field to the form as a whole", () => {
    expect(createFormField("body.grants", grants)).toBeNull();
    expect(createFormField("body.grants.9", grants)).toBeNull();
    expect(createFormField("body", grants)).toBeNull();
    expect(createFormField("query.q", grants)).toBeNull();
  });

  it("maps the add-grant form's issues", () => {
    expect(grantFormField("body", { role: "coordinator" })).toEqual(["areaCode"]);
    expect(grantFormField("body.organisationId", { role: "association_rep" })).toEqual([
      "organisationId",
    ]);
    expect(grantFormField("body", { role: "resident" })).toEqual(["role"]);
    expect(grantFormField("params.id", { role: "resident" })).toBeNull();
  });
});
