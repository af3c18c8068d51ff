import { describe, expect, it } from "vitest";
import {
  CASE_TAXONOMY,
  CATEGORY_FIELD_SCHEMA,
  CATEGORY_SCHEMA,
  type CaseCategoryDef,
  categoryFamily,
  DEFAULT_ROUTE_SCHEMA,
  DEFAULT_ROUTES,
  defaultRouteFor,
  findCategory,
  leafCategories,
  validateCaseFields,
} from "./case-taxonomy.js";

const families = CASE_TAXONOMY.filter((c) => c.parent === null);
const leaves = leafCategories();

function mustFind(code: string): CaseCategoryDef {
  const c = findCategory(code);
  if (!c) throw new Error(`missing category ${code}`);
  return c;
}

describe("case taxonomy: structure", () => {
  it("has a realistic size", () => {
    expect(families.length).toBeGreaterThanOrEqual(10);
    expect(families.length).toBeLessThanOrEqual(14);
    expect(CASE_TAXONOMY.length).toBeGreaterThanOrEqual(45);
    expect(CASE_TAXONOMY.length).toBeLessThanOrEqual(60);
    for (const f of families) {
      const n = leaves.filter((l) => l.parent === f.code).length;
      expect(n, f.code).toBeGreaterThanOrEqual(2);
      expect(n, f.code).toBeLessThanOrEqual(6);
    }
  });

  it("every code is unique", () => {
    const codes = CASE_TAXONOMY.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("every entry passes CATEGORY_SCHEMA", () => {
    for (const c of CASE_TAXONOMY) {
      const r = CATEGORY_SCHEMA.safeParse(c);
      expect(r.success ? [] : r.error.issues.map((i) => i.message), c.code).toEqual([]);
    }
  });

  it("every parent exists and is a family; leaves are one level deep", () => {
    for (const l of leaves) {
      const parent = findCategory(l.parent ?? "");
      expect(parent, l.code).toBeDefined();
      expect(parent?.parent, l.code).toBeNull();
      expect(l.code.split(".")).toHaveLength(2);
      expect(categoryFamily(l.code)).toBe(l.parent);
    }
    for (const f of families) expect(f.code).not.toContain(".");
  });

  it("a family is invalid exactly when all its leaves are", () => {
    for (const f of families) {
      const own = leaves.filter((l) => l.parent === f.code);
      for (const l of own) expect(l.invalid, l.code).toBe(f.invalid);
    }
  });

  it("invalid categories redirect and have no fields", () => {
    const invalid = CASE_TAXONOMY.filter((c) => c.invalid);
    expect(invalid.length).toBeGreaterThanOrEqual(3);
    for (const c of invalid) {
      expect(c.redirect, c.code).toMatch(/\S/);
      expect(c.fields, c.code).toEqual([]);
    }
    for (const c of CASE_TAXONOMY.filter((x) => !x.invalid)) expect(c.redirect, c.code).toBeNull();
    expect(mustFind("referral.emergency").redirect).toMatch(/110.*119.*120/);
    expect(mustFind("referral.policy_consultation").redirect).toContain("12345");
    expect(mustFind("referral.court_judgment").redirect).toContain("人民法院");
  });

  it("includes the categories the district needs", () => {
    for (const code of [
      "dispute.neighbour",
      "dispute.rental",
      "dispute.labour_wage",
      "dispute.family",
      "dispute.consumer",
      "public_order.fighting",
      "theft_fraud.theft",
      "theft_fraud.telecom_fraud",
      "theft_fraud.ebike_theft",
      "fire_hazard.ebike_charging",
      "fire_hazard.blocked_exit",
      "fire_hazard.illegal_fire_power",
      "rental_housing.overcrowding",
      "rental_housing.unregistered",
      "rental_housing.illegal_partition",
      "dormitory.overcrowding",
      "dormitory.fire_safety",
      "traffic.order",
      "traffic.nonmotor_parking",
      "drugs_gambling.drug_tip",
      "drugs_gambling.gambling_tip",
      "vulnerable.domestic_violence",
      "vulnerable.missing",
      "environment.noise",
      "environment.garbage",
      "market_food.food_safety",
      "workplace_safety.hazard",
    ]) {
      const c = mustFind(code);
      expect(c.invalid, code).toBe(false);
    }
  });

  it("sensitive categories include drugs, gambling, domestic violence and vulnerable people", () => {
    const sensitive = new Set(CASE_TAXONOMY.filter((c) => c.sensitive).map((c) => c.code));
    for (const code of [
      "drugs_gambling.drug_tip",
      "drugs_gambling.gambling_tip",
      "vulnerable.domestic_violence",
      "vulnerable.missing",
      "vulnerable.hardship",
    ]) {
      expect(sensitive.has(code), code).toBe(true);
    }
    expect(sensitive.has("traffic.nonmotor_parking")).toBe(false);
    // A sensitive family makes every leaf in it sensitive.
    for (const l of leaves) {
      if (findCategory(l.parent ?? "")?.sensitive) expect(l.sensitive, l.code).toBe(true);
    }
  });

  it("deadlines follow severity: urgent leaves are accepted within an hour", () => {
    for (const l of leaves.filter((x) => !x.invalid)) {
      if (l.severity === "urgent") {
        expect(l.acceptHours, l.code).toBeLessThanOrEqual(1);
        expect(l.resolveDays, l.code).toBeLessThanOrEqual(2);
      }
      expect(l.acceptHours, l.code).toBeLessThanOrEqual(8);
    }
    expect(mustFind("dispute.labour_wage").resolveDays).toBe(15);
  });
});

describe("case taxonomy: default routes", () => {
  it("every rule passes DEFAULT_ROUTE_SCHEMA and names an existing, valid category once", () => {
    const seen = new Set<string>();
    for (const r of DEFAULT_ROUTES) {
      expect(DEFAULT_ROUTE_SCHEMA.safeParse(r).success, r.category).toBe(true);
      const c = findCategory(r.category);
      expect(c, r.category).toBeDefined();
      expect(c?.invalid, r.category).toBe(false);
      expect(seen.has(r.category), r.category).toBe(false);
      seen.add(r.category);
      expect(r.assist, r.category).not.toContain(r.lead);
      expect(new Set(r.assist).size, r.category).toBe(r.assist.length);
    }
  });

  it("every valid leaf has a route, directly or through its family", () => {
    const valid = leaves.filter((l) => !l.invalid);
    expect(valid.length).toBeGreaterThan(40);
    for (const l of valid) expect(defaultRouteFor(l.code), l.code).toBeDefined();
  });

  it("a leaf rule overrides its family's; unknown codes have no route", () => {
    expect(defaultRouteFor("dispute.labour_wage")).toEqual({
      category: "dispute.labour_wage",
      lead: "labour_inspection",
      assist: ["street_office", "justice_office"],
    });
    expect(defaultRouteFor("dispute.neighbour")?.category).toBe("dispute");
    expect(defaultRouteFor("dispute.neighbour")?.lead).toBe("street_office");
    expect(defaultRouteFor("dispute.nonexistent")).toBeUndefined();
    expect(defaultRouteFor("referral.emergency")).toBeUndefined();
    expect(defaultRouteFor("drugs_gambling.drug_tip")?.lead).toBe("police_station");
    expect(defaultRouteFor("fire_hazard.ebike_charging")?.lead).toBe("fire");
  });
});

describe("case taxonomy: look-ups", () => {
  it("finds categories and families", () => {
    expect(categoryFamily("dispute.labour_wage")).toBe("dispute");
    expect(categoryFamily("dispute")).toBe("dispute");
    expect(mustFind("dispute").parent).toBeNull();
    expect(findCategory("nope")).toBeUndefined();
    expect(leaves.every((l) => l.parent !== null)).toBe(true);
    expect(leaves.length + families.length).toBe(CASE_TAXONOMY.length);
  });
});

describe("CATEGORY_SCHEMA and CATEGORY_FIELD_SCHEMA refuse bad definitions", () => {
  const good = mustFind("dispute.neighbour");

  it.each([
    ["an invalid entry without a redirect", { ...good, invalid: true, fields: [] }],
    ["a valid entry with a redirect", { ...good, redirect: "请拨打 12345" }],
    ["a parent that is not the code's family", { ...good, parent: "traffic" }],
    ["a leaf two levels deep", { ...good, code: "dispute.neighbour.noise" }],
    ["a family with fields", { ...good, code: "dispute", parent: null }],
    ["zero deadlines on a valid entry", { ...good, acceptHours: 0 }],
    ["an unknown severity", { ...good, severity: "critical" }],
    ["duplicate field codes", { ...good, fields: [...good.fields, ...good.fields] }],
  ])("refuses %s", (_name, entry) => {
    expect(CATEGORY_SCHEMA.safeParse(entry).success).toBe(false);
  });

  it.each([
    ["a select without options", { code: "x", label: "X", type: "select", required: false }],
    [
      "options on a text field",
      {
        code: "x",
        label: "X",
        type: "text",
        required: false,
        maxLength: 10,
        options: [{ value: "a", label: "A" }],
      },
    ],
    ["a text field without maxLength", { code: "x", label: "X", type: "text", required: false }],
    [
      "min greater than max",
      { code: "x", label: "X", type: "integer", required: false, min: 5, max: 1 },
    ],
    ["min on a date", { code: "x", label: "X", type: "date", required: false, min: 1 }],
    ["a non-snake_case code", { code: "Amount", label: "X", type: "number", required: false }],
  ])("refuses a field with %s", (_name, field) => {
    expect(CATEGORY_FIELD_SCHEMA.safeParse(field).success).toBe(false);
  });
});

describe("validateCaseFields", () => {
  const wage = mustFind("dispute.labour_wage");
  const fraud = mustFind("theft_fraud.telecom_fraud");
  const charging = mustFind("fire_hazard.ebike_charging");

  function errorsOf(category: CaseCategoryDef, input: Record<string, unknown> | undefined) {
    const r = validateCaseFields(category, input);
    if (r.ok) throw new Error("expected errors");
    return r.errors;
  }

  it("accepts a complete labour-dispute report and normalises values", () => {
    const r = validateCaseFields(wage, {
      employer_name: "  苏州某电子有限公司 ",
      involved_people: "23",
      wage_amount: 158000.5,
      months_owed: 3,
    });
    expect(r).toEqual({
      ok: true,
      value: {
        employer_name: "苏州某电子有限公司",
        involved_people: 23,
        wage_amount: 158000.5,
        months_owed: 3,
      },
    });
  });

  it("accepts selects, dates and booleans, and leaves out blank optional fields", () => {
    expect(
      validateCaseFields(fraud, {
        contact_channel: "social_app",
        occurred_on: "2024-02-29",
        amount_lost: "",
      }),
    ).toEqual({ ok: true, value: { contact_channel: "social_app", occurred_on: "2024-02-29" } });
    expect(validateCaseFields(charging, { ongoing: "false" })).toEqual({
      ok: true,
      value: { ongoing: false },
    });
    expect(validateCaseFields(charging, undefined)).toEqual({ ok: true, value: {} });
  });

  it("reports missing required fields in both languages", () => {
    const errors = errorsOf(wage, undefined);
    expect(errors).toEqual([
      { field: "employer_name", message: "用人单位名称为必填项 / employer_name is required" },
      { field: "involved_people", message: "涉及人数为必填项 / involved_people is required" },
    ]);
    expect(errorsOf(wage, { employer_name: "   ", involved_people: null })).toHaveLength(2);
  });

  it("refuses unknown field codes", () => {
    expect(errorsOf(charging, { ongoing: true, phone: "13800000000" })).toEqual([
      { field: "phone", message: "不支持的字段 phone / unknown field phone" },
    ]);
  });

  it("refuses wrong types", () => {
    const base = { employer_name: "某厂", involved_people: 2 };
    expect(errorsOf(wage, { ...base, involved_people: 2.5 })[0]?.message).toBe(
      "涉及人数须为整数 / involved_people must be an integer",
    );
    expect(errorsOf(wage, { ...base, involved_people: "二十" })[0]?.field).toBe("involved_people");
    expect(errorsOf(wage, { ...base, wage_amount: "1万" })[0]?.message).toBe(
      "拖欠金额（元）须为数字 / wage_amount must be a number",
    );
    expect(errorsOf(wage, { ...base, wage_amount: Number.NaN })[0]?.field).toBe("wage_amount");
    expect(errorsOf(wage, { ...base, employer_name: 42 })[0]?.message).toBe(
      "用人单位名称须为文本 / employer_name must be text",
    );
    expect(errorsOf(charging, { ongoing: "yes" })[0]?.message).toBe(
      "是否正在发生须为“是”或“否” / ongoing must be true or false",
    );
    expect(errorsOf(fraud, { occurred_on: "2023-02-29" })[0]?.field).toBe("occurred_on");
    expect(errorsOf(fraud, { occurred_on: "2024/01/05" })[0]?.message).toBe(
      "发生日期须为有效日期（YYYY-MM-DD）/ occurred_on must be a date (YYYY-MM-DD)",
    );
  });

  it("refuses values out of range", () => {
    const base = { employer_name: "某厂" };
    expect(errorsOf(wage, { ...base, involved_people: 0 })).toEqual([
      {
        field: "involved_people",
        message: "涉及人数不能小于 1 / involved_people must be at least 1",
      },
    ]);
    expect(errorsOf(wage, { ...base, involved_people: 10001 })).toEqual([
      {
        field: "involved_people",
        message: "涉及人数不能大于 10000 / involved_people must be at most 10000",
      },
    ]);
    expect(validateCaseFields(wage, { ...base, involved_people: 10000 }).ok).toBe(true);
    expect(validateCaseFields(wage, { ...base, involved_people: 1 }).ok).toBe(true);
  });

  it("refuses text that is too long", () => {
    const errors = errorsOf(wage, { employer_name: "厂".repeat(101), involved_people: 1 });
    expect(errors).toEqual([
      {
        field: "employer_name",
        message: "用人单位名称不能超过 100 个字 / employer_name must be at most 100 characters",
      },
    ]);
    expect(
      validateCaseFields(wage, { employer_name: "厂".repeat(100), involved_people: 1 }).ok,
    ).toBe(true);
  });

  it("refuses options the select does not offer", () => {
    expect(errorsOf(fraud, { contact_channel: "email" })).toEqual([
      {
        field: "contact_channel",
        message:
          "对方联系方式的选项无效 / contact_channel must be one of: phone, sms, social_app, shopping_platform, other",
      },
    ]);
  });

  it("collects every error at once", () => {
    const errors = errorsOf(wage, { involved_people: -1, months_owed: 500, extra: 1 });
    expect(errors.map((e) => e.field).sort()).toEqual([
      "employer_name",
      "extra",
      "involved_people",
      "months_owed",
    ]);
  });
});
