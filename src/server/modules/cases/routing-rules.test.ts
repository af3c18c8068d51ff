import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let coord: Session;
let gw: Session;
let resident: Session;
let here: { lat: number; lng: number };
const STREET = "320505002";

beforeAll(async () => {
  t = await createTestApp();
  [coord, gw, resident] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "gridworker"),
    login(t.app, "resident"),
  ]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

const theftRule = (over: object = {}) => ({
  categoryCode: "theft_fraud.theft",
  areaCode: STREET,
  lead: { kind: "urban_management" },
  assist: [{ kind: "police_station" }],
  note: "试点：盗窃由综合执法中队牵头",
  ...over,
});

describe("the responsibility list", () => {
  it("is for staff to read", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/routing-rules" })).statusCode).toBe(401);
    expect((await resident.request({ method: "GET", url: "/api/routing-rules" })).statusCode).toBe(
      403,
    );
    const list = (await gw.request({ method: "GET", url: "/api/routing-rules?limit=200" })).json();
    expect(list.total).toBeGreaterThan(20);
    const theft = list.items.find(
      (r: { categoryCode: string }) => r.categoryCode === "theft_fraud",
    );
    expect(theft.lead.label).toBe("派出所（属地）");
    const disputes = (
      await gw.request({ method: "GET", url: "/api/routing-rules?category=dispute" })
    ).json();
    for (const r of disputes.items) expect(r.categoryCode.startsWith("dispute")).toBe(true);
  });

  it("previews where a case goes, now and with a draft rule", async () => {
    const now = await coord.request({
      method: "POST",
      url: "/api/routing-rules/preview",
      payload: { categoryCode: "theft_fraud.theft", ...here },
    });
    expect(now.statusCode, now.body).toBe(200);
    expect(now.json().lead.name).toContain("派出所");
    expect(now.json().current).toBeNull();
    const draft = (
      await coord.request({
        method: "POST",
        url: "/api/routing-rules/preview",
        payload: { categoryCode: "theft_fraud.theft", ...here, draft: theftRule() },
      })
    ).json();
    expect(draft.rule.draft).toBe(true);
    expect(draft.lead.name).toContain("综合执法");
    expect(draft.assist.map((a: { name: string }) => a.name).join()).toContain("派出所");
    expect(draft.current.lead.name).toContain("派出所");
  });

  it("takes a more specific rule, keeps its history, and routes new cases by it; deactivating falls back", async () => {
    expect(
      (await gw.request({ method: "POST", url: "/api/routing-rules", payload: theftRule() }))
        .statusCode,
    ).toBe(403);
    const created = await coord.request({
      method: "POST",
      url: "/api/routing-rules",
      payload: theftRule(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json();
    expect(rule.area).toEqual({ code: STREET, name: expect.any(String) });
    expect(rule.history.map((h: { change: string }) => h.change)).toEqual(["created"]);

    const report = async () =>
      (
        await resident.request({
          method: "POST",
          url: "/api/cases",
          payload: {
            categoryCode: "theft_fraud.theft",
            description: "自行车在楼下被偷了两次",
            ...here,
          },
        })
      ).json();
    expect((await report()).lead.name).toContain("综合执法");

    const stale = await coord.request({
      method: "PATCH",
      url: `/api/routing-rules/${rule.id}`,
      payload: { version: rule.version + 5, active: false },
    });
    expect(stale.statusCode).toBe(409);
    const off = await coord.request({
      method: "PATCH",
      url: `/api/routing-rules/${rule.id}`,
      payload: { version: rule.version, active: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().history.map((h: { change: string }) => h.change)).toEqual([
      "deactivated",
      "created",
    ]);
    expect((await report()).lead.name).toContain("派出所");
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("subject_type", "=", "routing_rule")
      .where("subject_id", "=", rule.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "routing_rule.created",
      "routing_rule.deactivated",
    ]);
  });

  it("refuses rules that cannot work, saying why", async () => {
    const bad: [object, RegExp][] = [
      [theftRule({ categoryCode: "nope" }), /未知的事件类别/],
      [theftRule({ areaCode: "320599999" }), /不存在/],
      [theftRule({ lead: { organisationId: "1" } }), /牵头方须为政府部门/],
      [theftRule({ lead: { departmentId: "999999" } }), /不存在/],
      [theftRule({ lead: { kind: "nonsense" } }), /./],
      [theftRule({ conditions: { fields: [{ code: "no_field", op: "eq", value: 1 }] } }), /字段/],
    ];
    for (const [payload, message] of bad) {
      const res = await coord.request({ method: "POST", url: "/api/routing-rules", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(res.json().error)).toMatch(message);
    }
  });

  it("takes field conditions and assisting organisations, shows them, and the preview picks them", async () => {
    const db = t.database.db;
    const association = await db
      .selectFrom("organisations")
      .select(["id", "name"])
      .where("kind", "=", "association")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const bigWage = {
      categoryCode: "dispute.labour_wage",
      areaCode: STREET,
      conditions: { fields: [{ code: "involved_people", op: "gte", value: 30 }] },
      lead: { kind: "labour_inspection" },
      assist: [{ kind: "street_office" }, { organisationId: association.id }],
      note: "群体性欠薪：劳动监察牵头，协会协助安抚",
    };
    const created = await coord.request({
      method: "POST",
      url: "/api/routing-rules",
      payload: bigWage,
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json();
    expect(rule.conditions).toEqual(bigWage.conditions);
    expect(rule.assist.map((a: { label: string }) => a.label)).toEqual([
      "街道办事处（属地）",
      association.name,
    ]);
    const listed = (
      await gw.request({ method: "GET", url: "/api/routing-rules?category=dispute&limit=100" })
    ).json();
    expect(listed.items.find((r: { id: string }) => r.id === rule.id)?.assist[1]).toEqual({
      ref: { organisationId: association.id },
      label: association.name,
    });

    const preview = async (fields: object) =>
      (
        await coord.request({
          method: "POST",
          url: "/api/routing-rules/preview",
          payload: { categoryCode: "dispute.labour_wage", ...here, fields },
        })
      ).json();
    const many = await preview({ employer_name: "某建筑公司", involved_people: 45 });
    expect(many.rule).toEqual({ id: rule.id, draft: false });
    expect(many.lead.name).toContain("劳动");
    expect(many.assist.map((a: { name: string }) => a.name)).toContain(association.name);
    const few = await preview({ employer_name: "某建筑公司", involved_people: 3 });
    expect(few.rule?.id).not.toBe(rule.id);
    expect(few.assist.map((a: { name: string }) => a.name)).not.toContain(association.name);

    // Conditions that could never hold are refused, naming the field.
    const bad: [object, RegExp][] = [
      [{ fields: [{ code: "employer_name", op: "gte", value: "A" }] }, /只能用“等于”/],
      [{ fields: [{ code: "involved_people", op: "gte", value: "30" }] }, /须为数字/],
      [{ fields: [{ code: "involved_people", op: "lte", value: 2.5 }] }, /整数/],
    ];
    for (const [conditions, message] of bad) {
      const res = await coord.request({
        method: "POST",
        url: "/api/routing-rules",
        payload: { ...bigWage, conditions },
      });
      expect(res.statusCode, JSON.stringify(conditions)).toBe(400);
      expect(JSON.stringify(res.json().error)).toMatch(message);
    }
    // A family's rule tests its leaves' fields.
    const family = await coord.request({
      method: "POST",
      url: "/api/routing-rules/preview",
      payload: {
        categoryCode: "dispute.labour_wage",
        ...here,
        draft: {
          ...bigWage,
          categoryCode: "dispute",
          conditions: { fields: [{ code: "nope", op: "eq", value: 1 }] },
        },
      },
    });
    expect(family.statusCode).toBe(400);
    expect(family.json().error.message).toContain("没有字段 nope");
    // Deactivating does not judge stored conditions again.
    const off = await coord.request({
      method: "PATCH",
      url: `/api/routing-rules/${rule.id}`,
      payload: { version: rule.version, active: false },
    });
    expect(off.statusCode, off.body).toBe(200);
  });
});
