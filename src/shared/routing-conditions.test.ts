import { describe, expect, it } from "vitest";
import { CASE_TAXONOMY } from "./case-taxonomy.js";
import { conditionFields, conditionProblem, opsFor } from "./routing-conditions.js";

const categories = CASE_TAXONOMY;

describe("routing rule conditions", () => {
  it("offer a leaf's fields, and a family's leaves' fields once each", () => {
    const wage = conditionFields(categories, "dispute.labour_wage").map((f) => f.code);
    expect(wage).toContain("involved_people");
    const family = conditionFields(categories, "dispute").map((f) => f.code);
    expect(family).toContain("involved_people");
    expect(family).toContain("amount_disputed");
    expect(new Set(family).size).toBe(family.length);
    expect(conditionFields(categories, "nope")).toEqual([]);
  });

  it("compare numbers with ≥ and ≤, everything else with = only", () => {
    const fields = conditionFields(categories, "dispute.labour_wage");
    const people = fields.find((f) => f.code === "involved_people");
    const employer = fields.find((f) => f.code === "employer_name");
    if (!people || !employer) throw new Error("taxonomy changed");
    expect(opsFor(people)).toEqual(["eq", "gte", "lte"]);
    expect(opsFor(employer)).toEqual(["eq"]);
  });

  it("refuse conditions that could never hold, naming the field", () => {
    const wage = conditionFields(categories, "dispute.labour_wage");
    const noise = conditionFields(categories, "environment.noise");
    const select = noise.find((f) => f.type === "select");
    const bool = conditionFields(categories, "fire_hazard").find((f) => f.type === "boolean");
    expect(conditionProblem(wage, { code: "involved_people", op: "gte", value: 30 })).toBeNull();
    expect(conditionProblem(wage, { code: "involved_people", op: "gte", value: "30" })).toMatch(
      /须为数字/,
    );
    expect(conditionProblem(wage, { code: "involved_people", op: "gte", value: 2.5 })).toMatch(
      /整数/,
    );
    expect(conditionProblem(wage, { code: "employer_name", op: "gte", value: "x" })).toMatch(
      /只能用“等于”/,
    );
    expect(conditionProblem(wage, { code: "employer_name", op: "eq", value: " " })).toMatch(/文字/);
    expect(conditionProblem(wage, { code: "no_such", op: "eq", value: 1 })).toMatch(/没有字段/);
    if (!select?.options?.[0] || !bool) throw new Error("taxonomy changed");
    expect(
      conditionProblem(noise, { code: select.code, op: "eq", value: select.options[0].value }),
    ).toBeNull();
    expect(conditionProblem(noise, { code: select.code, op: "eq", value: "nope" })).toMatch(
      /选项之一/,
    );
    expect(
      conditionProblem(conditionFields(categories, "fire_hazard"), {
        code: bool.code,
        op: "eq",
        value: true,
      }),
    ).toBeNull();
    expect(
      conditionProblem(conditionFields(categories, "fire_hazard"), {
        code: bool.code,
        op: "eq",
        value: "yes",
      }),
    ).toMatch(/“是”或“否”/);
  });
});
