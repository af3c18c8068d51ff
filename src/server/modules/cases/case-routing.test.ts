import { describe, expect, it } from "vitest";
import { chooseRule, type RoutableCase, type RoutingRule } from "./case-routing.js";

const rule = (id: string, over: Partial<RoutingRule>): RoutingRule => ({
  id,
  categoryCode: "dispute",
  areaPath: null,
  conditions: {},
  lead: { kind: "street_office" },
  assist: [],
  ...over,
});
const k: RoutableCase = {
  categoryCode: "dispute.labour_wage",
  family: "dispute",
  areaPath: "/320505/320505001/320505001001/G01/",
  severity: "normal",
  fields: { involved_people: 40 },
};

describe("choosing a routing rule", () => {
  it("prefers the leaf category over its family, wherever their areas are", () => {
    const family = rule("1", { areaPath: "/320505/320505001/" });
    const leaf = rule("2", { categoryCode: "dispute.labour_wage" });
    expect(chooseRule([family, leaf], k)?.id).toBe("2");
  });

  it("prefers the smaller area among equal categories, and ignores other areas", () => {
    const district = rule("1", {});
    const street = rule("2", { areaPath: "/320505/320505001/" });
    const elsewhere = rule("3", { areaPath: "/320505/320505002/" });
    expect(chooseRule([district, street, elsewhere], k)?.id).toBe("2");
    expect(chooseRule([elsewhere], k)).toBeNull();
  });

  it("applies conditions, and more of them win", () => {
    const big = rule("1", {
      conditions: { fields: [{ code: "involved_people", op: "gte", value: 30 }] },
    });
    const plain = rule("2", {});
    expect(chooseRule([plain, big], k)?.id).toBe("1");
    expect(chooseRule([plain, big], { ...k, fields: { involved_people: 3 } })?.id).toBe("2");
    const urgentOnly = rule("3", { conditions: { severity: ["urgent"] } });
    expect(chooseRule([urgentOnly], k)).toBeNull();
    expect(chooseRule([urgentOnly], { ...k, severity: "urgent" })?.id).toBe("3");
  });

  it("breaks ties by the oldest rule, whatever the order", () => {
    const a = rule("10", {});
    const b = rule("9", {});
    expect(chooseRule([a, b], k)?.id).toBe("9");
    expect(chooseRule([b, a], k)?.id).toBe("9");
  });

  it("does not match another family", () => {
    expect(chooseRule([rule("1", { categoryCode: "fire" })], k)).toBeNull();
  });
});
