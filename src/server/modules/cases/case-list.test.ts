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
  it("answers an exact total below the cap", async () => {
    const res = await coord.request({ method: "GET", url: "/api/cases?limit=5" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(5);
    expect(body.total).toBeGreaterThan(5);
    expect(body.totalCapped).toBe(false);
  });

  it("stops counting at the cap and says so, with the page unchanged", async () => {
    const db = t.database.db;
    const u = await findUserByName(db, "coordinator");
    if (!u) throw new Error("no coordinator");
    const actor = await loadActor(db, u.id, "coordinator");
    const deps = { db, config: t.config } as unknown as CasesDeps;
    const f = { inbox: "all" as const, sort: "newest" as const, limit: 3, offset: 0 };
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
