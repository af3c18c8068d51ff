import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let officer: Session;
let coord: Session;
let resident: Session;

beforeAll(async () => {
  t = await createTestApp();
  [officer, coord, resident] = await Promise.all([
    login(t.app, "officer"),
    login(t.app, "coordinator"),
    login(t.app, "resident"),
  ]);
});
afterAll(() => t.close());

const URL = "/api/saved-filters";
const overdueTheft = {
  inbox: "overdue",
  status: "accepted",
  category: "theft_fraud.theft",
  q: "车棚",
  sort: "due",
};

const save = (s: Session, name: string, query: object = overdueTheft) =>
  s.request({ method: "POST", url: URL, payload: { scope: "cases", name, query } });
const list = async (s: Session) =>
  (await s.request({ method: "GET", url: `${URL}?scope=cases` })).json() as {
    items: { id: string; name: string; query: Record<string, unknown> }[];
    total: number;
  };

describe("saved filters", () => {
  it("are described in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(Object.keys(doc.paths["/api/saved-filters"])).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/saved-filters/{id}"])).toEqual(["patch", "delete"]);
    expect(doc.paths["/api/cases/{id}/mentionable"].get).toBeDefined();
  });

  it("are for signed-in staff only", async () => {
    expect((await t.app.inject({ method: "GET", url: `${URL}?scope=cases` })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: URL,
          payload: { scope: "cases", name: "x", query: {} },
        })
      ).statusCode,
    ).toBe(401);
    const r = await resident.request({ method: "GET", url: `${URL}?scope=cases` });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain("只有工作人员");
    expect((await save(resident, "我的")).statusCode).toBe(403);
  });

  it("saves the inbox query as the list endpoint reads it, lists, renames and deletes it", async () => {
    const created = await save(officer, "  车棚盗窃超期  ");
    expect(created.statusCode, created.body).toBe(201);
    const f = created.json();
    expect(f.name).toBe("车棚盗窃超期");
    // Parsed as GET /api/cases parses it: status becomes a list, defaults filled in.
    expect(f.query).toEqual({ ...overdueTheft, status: ["accepted"] });
    const minimal = (await save(officer, "全部", {})).json();
    expect(minimal.query).toEqual({ inbox: "all", sort: "newest" });

    const mine = await list(officer);
    expect(mine.total).toBe(2);
    expect(mine.items.map((i) => i.name)).toEqual(["车棚盗窃超期", "全部"]);

    // Applying it: the saved query is a valid inbox query.
    const params = new URLSearchParams(
      Object.entries(f.query).flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]],
      ),
    );
    expect((await officer.request({ method: "GET", url: `/api/cases?${params}` })).statusCode).toBe(
      200,
    );

    const renamed = await officer.request({
      method: "PATCH",
      url: `${URL}/${f.id}`,
      payload: { name: "盗窃·已超期" },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: "盗窃·已超期", query: f.query });
    const requeried = await officer.request({
      method: "PATCH",
      url: `${URL}/${f.id}`,
      payload: { query: { inbox: "mine" } },
    });
    expect(requeried.json()).toMatchObject({
      name: "盗窃·已超期",
      query: { inbox: "mine", sort: "newest" },
    });

    const del = await officer.request({ method: "DELETE", url: `${URL}/${f.id}` });
    expect(del.statusCode).toBe(204);
    expect((await list(officer)).items.map((i) => i.name)).toEqual(["全部"]);
    expect((await officer.request({ method: "DELETE", url: `${URL}/${f.id}` })).statusCode).toBe(
      404,
    );
  });

  it("refuses a query the inbox would refuse, and bad names, saying where", async () => {
    const bad: [object, RegExp][] = [
      [{ scope: "cases", name: "x", query: { inbox: "nope" } }, /query\.inbox/],
      [{ scope: "cases", name: "x", query: { status: "lost" } }, /query\.status/],
      [{ scope: "cases", name: "x", query: { sort: "random" } }, /query\.sort/],
      [{ scope: "cases", name: "x", query: { q: "x".repeat(101) } }, /query\.q/],
      [{ scope: "cases", name: "x", query: { limit: 20 } }, /limit/],
      [{ scope: "cases", name: "x", query: { colour: "red" } }, /colour/],
      [{ scope: "cases", name: "   ", query: {} }, /请填写筛选名称/],
      [{ scope: "cases", name: "名".repeat(41), query: {} }, /40/],
      [{ scope: "people", name: "x", query: {} }, /scope/],
      [{ scope: "cases", name: "x" }, /query/],
    ];
    for (const [payload, message] of bad) {
      const res = await coord.request({ method: "POST", url: URL, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(res.json().error), JSON.stringify(payload)).toMatch(message);
    }
    const f = (await save(coord, "督办")).json();
    const empty = await coord.request({ method: "PATCH", url: `${URL}/${f.id}`, payload: {} });
    expect(empty.statusCode).toBe(400);
    const badQuery = await coord.request({
      method: "PATCH",
      url: `${URL}/${f.id}`,
      payload: { query: { inbox: "everything" } },
    });
    expect(badQuery.statusCode).toBe(400);
    expect((await coord.request({ method: "GET", url: `${URL}?scope=other` })).statusCode).toBe(
      400,
    );
  });

  it("keeps names unique per user, regardless of case (409), but not across users", async () => {
    expect((await save(coord, "Overdue")).statusCode).toBe(201);
    const again = await save(coord, "overdue");
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain("已有名为「overdue」的筛选");
    expect(again.json().error.details).toEqual([
      { path: "body.name", message: expect.any(String) },
    ]);
    // Another user may use the same name.
    expect((await save(officer, "Overdue")).statusCode).toBe(201);
    // Renaming onto another of one's names is refused too; onto itself is fine.
    const other = (await save(coord, "本周")).json();
    const clash = await coord.request({
      method: "PATCH",
      url: `${URL}/${other.id}`,
      payload: { name: "OVERDUE" },
    });
    expect(clash.statusCode).toBe(409);
    const same = await coord.request({
      method: "PATCH",
      url: `${URL}/${other.id}`,
      payload: { name: "本周" },
    });
    expect(same.statusCode).toBe(200);
    // Two tabs saving the same name at once: one wins, the other hears 409.
    const race = await Promise.all([save(coord, "同时"), save(coord, "同时")]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it("shows and changes only the owner's filters: anyone else's look missing", async () => {
    const theirs = (await save(coord, "综治中心专用")).json();
    expect((await list(officer)).items.some((i) => i.id === theirs.id)).toBe(false);
    const patch = await officer.request({
      method: "PATCH",
      url: `${URL}/${theirs.id}`,
      payload: { name: "抢过来" },
    });
    expect(patch.statusCode).toBe(404);
    expect(
      (await officer.request({ method: "DELETE", url: `${URL}/${theirs.id}` })).statusCode,
    ).toBe(404);
    expect((await list(coord)).items.find((i) => i.id === theirs.id)?.name).toBe("综治中心专用");
  });

  it("keeps at most 30 per user (422), also when saves arrive at once", async () => {
    const admin = await login(t.app, "admin");
    for (let i = 1; i <= 28; i++) expect((await save(admin, `筛选 ${i}`)).statusCode).toBe(201);
    const burst = await Promise.all([save(admin, "甲"), save(admin, "乙"), save(admin, "丙")]);
    expect(burst.map((r) => r.statusCode).sort()).toEqual([201, 201, 422]);
    const over = await save(admin, "第 31 个");
    expect(over.statusCode).toBe(422);
    expect(over.json().error.message).toContain("最多保存 30 个筛选");
    expect((await list(admin)).total).toBe(30);
    // Deleting one makes room again.
    const first = (await list(admin)).items[0];
    await admin.request({ method: "DELETE", url: `${URL}/${first?.id}` });
    expect((await save(admin, "第 31 个")).statusCode).toBe(201);
  });
});
