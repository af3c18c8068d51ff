import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { findUserByName, loadActor } from "../auth/auth.service.js";
import { type CasesDeps, listCases } from "./cases.service.js";

let t: TestApp;
let coord: Session;

beforeAll(async () => {
  t = await createTestApp();
  coord = await login(t.app, "coordinator");
});
afterAll(() => t.close());

describe("case lists count up to a cap", () => {
  it("answers an exact total below the cap, and 1,000 with totalCapped above it", async () => {
    const few = await coord.request({
      method: "GET",
      url: "/api/cases?limit=5&category=fire_hazard.blocked_exit",
    });
    expect(few.statusCode).toBe(200);
    const body = few.json();
    expect(body.items).toHaveLength(5);
    expect(body.total).toBeGreaterThan(5);
    expect(body.total).toBeLessThan(1000);
    expect(body.totalCapped).toBe(false);
    // The seeded district has a few thousand cases: the whole list stops at 1,000.
    const all = (await coord.request({ method: "GET", url: "/api/cases?limit=5" })).json();
    expect(all).toMatchObject({ total: 1000, totalCapped: true });
    // A search stops at 200.
    const search = (
      await coord.request({
        method: "GET",
        url: `/api/cases?limit=5&q=${encodeURIComponent("电动车")}`,
      })
    ).json();
    expect(search.total).toBeGreaterThan(0);
    expect(search.total).toBeLessThanOrEqual(200);
  });

  it("stops counting at the cap and says so, with the page unchanged", async () => {
    const db = t.database.db;
    const u = await findUserByName(db, "coordinator");
    if (!u) throw new Error("no coordinator");
    const actor = await loadActor(db, u.id, "coordinator");
    const deps = { db, config: t.config } as unknown as CasesDeps;
    const f = {
      inbox: "all" as const,
      sort: "newest" as const,
      limit: 3,
      offset: 0,
      category: "theft_fraud",
    };
    const exact = await listCases(deps, actor, f);
    const capped = await listCases(deps, actor, { ...f, countCap: 10 });
    expect(exact.total).toBeGreaterThan(10);
    expect(capped).toMatchObject({ total: 10, totalCapped: true });
    expect(capped.items.map((c) => c.id)).toEqual(exact.items.map((c) => c.id));
    const atCap = await listCases(deps, actor, { ...f, countCap: exact.total });
    expect(atCap).toMatchObject({ total: exact.total, totalCapped: false });
  });
});

describe("filters", () => {
  it("filters by a category family (all its sub-categories) or by one category", async () => {
    const get = async (q: string) =>
      (await coord.request({ method: "GET", url: `/api/cases?${q}&limit=200` })).json() as {
        items: { categoryCode: string }[];
        total: number;
      };
    const family = await get("category=theft_fraud");
    expect(family.total).toBeGreaterThan(0);
    expect(new Set(family.items.map((c) => c.categoryCode)).size).toBeGreaterThan(1);
    for (const c of family.items) expect(c.categoryCode.startsWith("theft_fraud.")).toBe(true);
    const one = await get("category=theft_fraud.theft");
    expect(one.total).toBeGreaterThan(0);
    expect(one.total).toBeLessThan(family.total);
    for (const c of one.items) expect(c.categoryCode).toBe("theft_fraud.theft");
  });
});

describe("search", () => {
  it("finds two-character Chinese words in the description and the address, in order", async () => {
    const resident = await login(t.app, "resident");
    const here = await pointInDemoGrid(t.app);
    const res = await resident.request({
      method: "POST",
      url: "/api/cases",
      payload: {
        categoryCode: "theft_fraud.theft",
        description: "半夜楼上噪音扰民，还丢了一辆自行车",
        address: "枫桥街道锦峰路7号",
        ...here,
      },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const find = async (q: string) =>
      (
        await coord.request({
          method: "GET",
          url: `/api/cases?q=${encodeURIComponent(q)}&limit=50`,
        })
      )
        .json()
        .items.map((c: { id: string }) => c.id) as string[];
    expect(await find("噪音")).toContain(id);
    expect(await find("自行车")).toContain(id);
    expect(await find("锦峰路")).toContain(id); // the address
    expect(await find("噪")).toContain(id); // one character: scanned, still found
    expect(await find(res.json().code)).toEqual([id]); // the case number
    expect(await find("音噪")).not.toContain(id); // both pieces, wrong order
    expect(await find("噪音 自行车")).not.toContain(id); // not as one phrase
  });
});

describe("a department's late work", () => {
  it("lists the late cases it leads or holds an open task on, not those it handed on", async () => {
    const [resident, officer] = await Promise.all([
      login(t.app, "resident"),
      login(t.app, "officer"),
    ]);
    const here = await pointInDemoGrid(t.app);
    const depts = (await coord.request({ method: "GET", url: "/api/departments?limit=200" })).json()
      .items as { id: string; code: string }[];
    const police = depts.find((d) => d.code === "320505002-PCS");
    const other = depts.find((d) => d.code !== "320505002-PCS");
    if (!police || !other) throw new Error("departments missing");
    const report = async () => {
      const res = await resident.request({
        method: "POST",
        url: "/api/cases",
        payload: { categoryCode: "theft_fraud.theft", description: "车棚的电瓶又被偷了", ...here },
      });
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json() as { id: string; lead: { id: string } | null };
      expect(c.lead?.id).toBe(police.id);
      return c.id;
    };
    const act = async (s: Session, id: string, action: string, body: object = {}) => {
      const res = await s.request({
        method: "POST",
        url: `/api/cases/${id}/${action}`,
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const led = await report();
    const handedOn = await report();
    await act(coord, handedOn, "reassign", { departmentId: other.id, note: "转交" });
    const tasked = await report();
    await act(coord, tasked, "reassign", { departmentId: other.id, note: "转交" });
    await act(coord, tasked, "invite", {
      departmentId: police.id,
      task: "调取案发时段的监控",
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const soon = await report();
    const late = new Date(Date.now() - 3600_000);
    await t.database.db
      .updateTable("cases")
      .set({ accept_due_at: late })
      .where("id", "in", [led, handedOn, tasked])
      .execute();
    await t.database.db
      .updateTable("cases")
      .set({ accept_due_at: new Date(Date.now() + 3600_000) })
      .where("id", "=", soon)
      .execute();

    const ids = async (s: Session, inbox: string) =>
      (
        (
          await s.request({ method: "GET", url: `/api/cases?inbox=${inbox}&limit=200&sort=due` })
        ).json().items as { id: string }[]
      ).map((c) => c.id);
    const officerLate = await ids(officer, "overdue");
    expect(officerLate).toContain(led);
    expect(officerLate).toContain(tasked);
    expect(officerLate).not.toContain(handedOn);
    expect(officerLate).not.toContain(soon);
    const officerSoon = await ids(officer, "due_soon");
    expect(officerSoon).toContain(soon);
    expect(officerSoon).not.toContain(led);
    // The coordinator's list is the district's: all of them.
    const coordLate = await ids(coord, "overdue");
    for (const id of [led, handedOn, tasked]) expect(coordLate).toContain(id);
    // The station still reads the case it handed on.
    const read = await officer.request({ method: "GET", url: `/api/cases/${handedOn}` });
    expect(read.statusCode).toBe(200);
  });
});
