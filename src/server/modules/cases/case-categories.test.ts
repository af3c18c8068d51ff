import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let coord: Session;
let admin: Session;
let gw: Session;
let officer: Session;
let resident: Session;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  [coord, admin, gw, officer, resident] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "admin"),
    login(t.app, "gridworker"),
    login(t.app, "officer"),
    login(t.app, "resident"),
  ]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

const leaf = (over: object = {}) => ({
  code: "public_order.street_vendor_fight",
  name: "摊贩纠纷",
  parent: "public_order",
  severity: "normal",
  invalid: false,
  redirect: null,
  sensitive: false,
  verify: false,
  acceptHours: 4,
  resolveDays: 5,
  fields: [
    { code: "vendor_count", label: "摊贩数量", type: "integer", required: true, min: 1, max: 200 },
  ],
  description: "夜市、路边摊贩之间或与顾客之间的争执",
  serviceNotice: null,
  note: "夜市整治试点",
  ...over,
});

async function detail(code: string) {
  const res = await coord.request({ method: "GET", url: `/api/categories/${code}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const report = (s: Session, categoryCode: string, fields: object) =>
  s.request({
    method: "POST",
    url: "/api/cases",
    payload: { categoryCode, description: "夜市两家摊主因摊位争吵", ...here, fields },
  });

describe("taxonomy editing", () => {
  it("is for the district's coordinators and admins only", async () => {
    const body = leaf();
    expect(
      (await t.app.inject({ method: "POST", url: "/api/categories", payload: body })).statusCode,
    ).toBe(401);
    for (const s of [gw, officer, resident]) {
      const res = await s.request({ method: "POST", url: "/api/categories", payload: body });
      expect(res.statusCode, res.body).toBe(403);
    }
    const put = await officer.request({
      method: "PUT",
      url: "/api/categories/dispute.neighbour",
      payload: { ...leaf(), code: undefined, parent: undefined, version: 1 },
    });
    expect(put.statusCode).toBe(403);
  });

  it("adds a category that reports can use at once, with its history", async () => {
    const res = await coord.request({ method: "POST", url: "/api/categories", payload: leaf() });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      code: "public_order.street_vendor_fight",
      version: 1,
      retired: false,
    });
    expect(c.history).toHaveLength(1);
    expect(c.history[0]).toMatchObject({ change: "created", note: "夜市整治试点" });
    expect(c.history[0].changedBy).toBeTruthy();

    const list = (await t.app.inject({ method: "GET", url: "/api/categories" })).json();
    expect(list.items.map((i: { code: string }) => i.code)).toContain(c.code);

    // The new form field is enforced at intake (the reference was refreshed).
    const missing = await report(resident, c.code, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe("body.fields.vendor_count");
    const ok = await report(resident, c.code, { vendor_count: 3 });
    expect(ok.statusCode, ok.body).toBe(201);

    const again = await coord.request({ method: "POST", url: "/api/categories", payload: leaf() });
    expect(again.statusCode).toBe(409);
  });

  it("refuses entries that break the taxonomy's rules, naming the field", async () => {
    const cases: [object, string][] = [
      [{ code: "Public.Bad" }, "body.code"],
      [{ parent: "dispute" }, "body.parent"],
      [{ parent: "no_such_family", code: "no_such_family.x" }, "body.parent"],
      [{ invalid: true }, "body.redirect"],
      [{ fields: [{ code: "x", label: "备注", type: "text", required: false }] }, "body.fields"],
      [{ resolveDays: 0 }, "body.resolveDays"],
      [{ name: "" }, "body.name"],
    ];
    for (const [over, path] of cases) {
      const res = await coord.request({
        method: "POST",
        url: "/api/categories",
        payload: leaf({ code: "public_order.bad_one", ...over }),
      });
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const paths = (res.json().error.details ?? []).map((d: { path: string }) => d.path);
      expect(
        paths.some((p: string) => p.startsWith(path)),
        `${JSON.stringify(over)} → ${paths}`,
      ).toBe(true);
    }
    expect(
      (await coord.request({ method: "GET", url: "/api/categories/public_order.bad_one" }))
        .statusCode,
    ).toBe(404);
  });

  it("changes a category as a new version and refuses a stale one", async () => {
    const before = await detail("dispute.neighbour");
    const body = {
      name: before.name,
      severity: "high",
      invalid: false,
      redirect: null,
      sensitive: before.sensitive,
      verify: before.verify,
      acceptHours: 2,
      resolveDays: before.resolveDays,
      fields: before.fields,
      description: before.description,
      serviceNotice: "邻里纠纷优先调解",
      version: before.version,
      note: "提级处理",
    };
    const res = await admin.request({
      method: "PUT",
      url: "/api/categories/dispute.neighbour",
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      severity: "high",
      acceptHours: 2,
      version: before.version + 1,
    });
    expect(res.json().history[0]).toMatchObject({ change: "updated", note: "提级处理" });
    expect(res.json().history.at(-1).change).toBe("created");

    const stale = await coord.request({
      method: "PUT",
      url: "/api/categories/dispute.neighbour",
      payload: { ...body, severity: "low" },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.currentVersion).toBe(before.version + 1);
    expect((await detail("dispute.neighbour")).severity).toBe("high");
  });

  it("retires a category: no longer offered, refused at intake, and restored again", async () => {
    const c = await detail("traffic.nonmotor_parking");
    const family = await detail("traffic");
    const blocked = await coord.request({
      method: "POST",
      url: "/api/categories/traffic/retire",
      payload: { version: family.version },
    });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details.activeChildren).toContain("traffic.nonmotor_parking");

    const retired = await coord.request({
      method: "POST",
      url: "/api/categories/traffic.nonmotor_parking/retire",
      payload: { version: c.version, note: "并入交通秩序" },
    });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ retired: true, version: c.version + 1 });

    const offered = (await t.app.inject({ method: "GET", url: "/api/categories" })).json();
    expect(offered.items.some((i: { code: string }) => i.code === c.code)).toBe(false);
    const all = (
      await t.app.inject({ method: "GET", url: "/api/categories?includeRetired=true" })
    ).json();
    expect(all.items.find((i: { code: string }) => i.code === c.code).retired).toBe(true);

    const refused = await report(resident, c.code, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain("已停用");

    const twice = await coord.request({
      method: "POST",
      url: "/api/categories/traffic.nonmotor_parking/retire",
      payload: { version: c.version + 1 },
    });
    expect(twice.statusCode).toBe(409);

    const restored = await coord.request({
      method: "POST",
      url: "/api/categories/traffic.nonmotor_parking/restore",
      payload: { version: c.version + 1 },
    });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(
      restored
        .json()
        .history.slice(0, 2)
        .map((h: { change: string }) => h.change),
    ).toEqual(["restored", "retired"]);
  });

  it("answers 404 for an unknown code and 400 for a malformed one", async () => {
    expect(
      (await coord.request({ method: "GET", url: "/api/categories/no_such.thing" })).statusCode,
    ).toBe(404);
    expect(
      (await coord.request({ method: "GET", url: "/api/categories/Bad%20Code" })).statusCode,
    ).toBe(400);
  });
});
