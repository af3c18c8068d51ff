/**
 * The case map (GET /api/cases/map): server-side clusters zoomed out, the
 * cases themselves zoomed in, scoped and filtered exactly like the inbox
 * list, over the seeded test database's demo history of cases.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type { CaseMap } from "../../../shared/schemas/cases.js";
import { findUserByName, loadActor } from "../auth/auth.service.js";
import { CASE_MAP_POINT_MIN_ZOOM, type CasesDeps, listCases } from "./cases.service.js";

let t: TestApp;
let coord: Session;
let gw: Session;
let enterprise: Session;
/** The district's box, west,south,east,north. */
let district = "";
let here: { lat: number; lng: number };
let reported: { id: string; code: string; acceptDueAt: string };

const map = async (s: Session, query: string) => {
  const res = await s.request({ method: "GET", url: `/api/cases/map?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CaseMap;
};
/**
 * The list's exact total for the same filters (the API stops counting at
 * 1,000; the seeded district has more): the list's own query, uncapped.
 */
const listTotal = async (who: string, query: string) => {
  const db = t.database.db;
  const u = await findUserByName(db, who);
  if (!u) throw new Error(`no ${who}`);
  const p = new URLSearchParams(query);
  const status = p.get("status");
  const res = await listCases(
    { db, config: t.config } as unknown as CasesDeps,
    await loadActor(db, u.id, who),
    {
      inbox: (p.get("inbox") ?? "all") as "all",
      sort: "newest",
      limit: 1,
      offset: 0,
      category: p.get("category") ?? undefined,
      statuses: status ? [status as "closed"] : undefined,
      countCap: 1_000_000,
    },
  );
  expect(res.totalCapped).toBe(false);
  return res.total;
};
const box = (d: number) =>
  encodeURIComponent([here.lng - d, here.lat - d, here.lng + d, here.lat + d].join(","));

beforeAll(async () => {
  t = await createTestApp();
  [coord, gw, enterprise] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "gridworker"),
    login(t.app, "enterprise"),
  ]);
  here = await pointInDemoGrid(t.app);
  district = encodeURIComponent(
    (
      (await coord.request({ method: "GET", url: "/api/areas/320505" })).json().bbox as number[]
    ).join(","),
  );
  const res = await coord.request({
    method: "POST",
    url: "/api/cases",
    payload: {
      categoryCode: "theft_fraud.theft",
      description: "巡查发现小区车棚电瓶被盗，已提醒物业",
      ...here,
      address: "狮山路88号",
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  reported = { id: res.json().id, code: res.json().code, acceptDueAt: res.json().acceptDueAt };
});
afterAll(() => t.close());

describe("GET /api/cases/map", () => {
  it("needs a session", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: `/api/cases/map?bbox=${district}&zoom=11`,
    });
    expect(res.statusCode).toBe(401);
  });

  it("rejects a missing or malformed box, a zoom out of range and an unknown inbox", async () => {
    for (const q of [
      "zoom=11",
      `bbox=${encodeURIComponent("1,2,3")}&zoom=11`,
      `bbox=${encodeURIComponent("121,31,120,32")}&zoom=11`,
      `bbox=${encodeURIComponent("120,31,121,95")}&zoom=11`,
      `bbox=${district}`,
      `bbox=${district}&zoom=30`,
      `bbox=${district}&zoom=11&inbox=nope`,
    ]) {
      const res = await coord.request({ method: "GET", url: `/api/cases/map?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.id).toBe("validation");
    }
  });

  it("clusters the coordinator's district: counts match the list, open and overdue within them", async () => {
    const m = await map(coord, `bbox=${district}&zoom=11`);
    const total = await listTotal("coordinator", "inbox=all");
    expect(total).toBeGreaterThan(2000);
    expect(m.mode).toBe("clusters");
    expect(m.cases).toEqual([]);
    expect(m.total).toBe(total);
    expect(m.clusters.reduce((n, c) => n + c.count, 0)).toBe(m.total);
    expect(m.clusters.reduce((n, c) => n + c.overdue, 0)).toBe(m.overdue);
    expect(m.clusters.length).toBeLessThan(m.total / 5);
    expect(m.overdue).toBe(await listTotal("coordinator", "inbox=overdue"));
    expect(m.overdue).toBeGreaterThan(0);
    expect(m.open).toBeGreaterThan(m.overdue);
    expect(m.open).toBeLessThan(m.total);
    // Each drawn where its cases are, overdue ones among the open ones.
    const odd = m.clusters.filter(
      (c) =>
        !(c.bbox[0] - 1e-9 <= c.lng && c.lng <= c.bbox[2] + 1e-9) ||
        !(c.bbox[1] - 1e-9 <= c.lat && c.lat <= c.bbox[3] + 1e-9) ||
        c.overdue > c.open ||
        c.open > c.count,
    );
    expect(odd).toEqual([]);
    // A finer zoom splits the same cases into more cells.
    const finer = await map(coord, `bbox=${district}&zoom=13`);
    expect(finer.total).toBe(m.total);
    expect(finer.clusters.length).toBeGreaterThan(m.clusters.length);
  });

  it("shows the case just reported as a point when zoomed into a small box around it", async () => {
    const near = await map(coord, `bbox=${box(0.0005)}&zoom=${CASE_MAP_POINT_MIN_ZOOM + 3}`);
    expect(near.mode).toBe("cases");
    expect(near.clusters).toEqual([]);
    expect(near.cases).toHaveLength(near.total);
    const mine = near.cases.find((c) => c.id === reported.id);
    // Accept within working hours: reported at a weekend, the deadline is
    // Monday's and may fall inside the due-soon window (24 h by default).
    const soon = new Date(reported.acceptDueAt).getTime() - Date.now() < 24 * 3600_000;
    expect(mine).toMatchObject({
      code: reported.code,
      categoryName: "盗窃",
      status: "dispatched",
      dueState: soon ? "due_soon" : "on_time",
      supervised: false,
    });
    expect(mine?.lng).toBeCloseTo(here.lng, 9);
    expect(mine?.lat).toBeCloseTo(here.lat, 9);
    expect(new Date(mine?.dueAt ?? 0).getTime()).toBeGreaterThan(Date.now());
    // The same box zoomed out stays clustered, however few are in it.
    const far = await map(coord, `bbox=${box(0.0005)}&zoom=${CASE_MAP_POINT_MIN_ZOOM - 1}`);
    expect(far.mode).toBe("clusters");
    expect(far.total).toBe(near.total);
    // A box beside it: the case is not there.
    const away = encodeURIComponent(
      [here.lng + 0.001, here.lat + 0.001, here.lng + 0.002, here.lat + 0.002].join(","),
    );
    const other = await map(coord, `bbox=${away}&zoom=17`);
    expect(other.cases.some((c) => c.id === reported.id)).toBe(false);
  });

  it("shows an enterprise officer only the cases their enterprise is a party to", async () => {
    // The seed asks the demo enterprise into a few cases (a dormitory check, say).
    const r = await sql<{ n: number }>`
      SELECT count(DISTINCT p.case_id)::int AS n FROM case_parties p
      JOIN role_grants g ON g.organisation_id = p.organisation_id
      JOIN users u ON u.id = g.user_id AND u.username = 'enterprise'`.execute(t.database.db);
    const theirs = r.rows[0]?.n ?? 0;
    expect(theirs).toBeGreaterThan(0);
    expect(await listTotal("enterprise", "inbox=all")).toBe(theirs);
    const m = await map(enterprise, `bbox=${district}&zoom=11`);
    expect(m.total).toBe(theirs);
    expect(m.total).toBeLessThan(await listTotal("coordinator", "inbox=all"));
  });

  it("shows a grid worker only what their list shows", async () => {
    const m = await map(gw, `bbox=${district}&zoom=11`);
    const own = await listTotal("gridworker", "inbox=all");
    expect(m.total).toBe(own);
    expect(m.total).toBeLessThan(await listTotal("coordinator", "inbox=all"));
  });

  it("narrows by category family, inbox, status and search like the list", async () => {
    const all = await map(coord, `bbox=${district}&zoom=11`);
    const fire = await map(coord, `bbox=${district}&zoom=11&category=fire_hazard`);
    expect(fire.total).toBe(await listTotal("coordinator", "category=fire_hazard"));
    expect(fire.total).toBeGreaterThan(0);
    expect(fire.total).toBeLessThan(all.total);

    const overdue = await map(coord, `bbox=${district}&zoom=11&inbox=overdue`);
    expect(overdue.total).toBe(all.overdue);
    expect(overdue.overdue).toBe(overdue.total);
    for (const c of overdue.clusters) expect(c.overdue).toBe(c.count);
    // Zoomed in on them, every point is overdue.
    const points = await map(
      coord,
      `bbox=${district}&zoom=${CASE_MAP_POINT_MIN_ZOOM}&inbox=overdue`,
    );
    expect(points.mode).toBe("cases");
    expect(points.cases.length).toBe(overdue.total);
    for (const c of points.cases) expect(c.dueState).toBe("overdue");

    const closed = await map(coord, `bbox=${district}&zoom=11&status=closed`);
    expect(closed.total).toBe(await listTotal("coordinator", "status=closed"));
    expect(closed.open).toBe(0);

    const byCode = await map(coord, `bbox=${district}&zoom=11&q=${reported.code}`);
    expect(byCode.total).toBe(1);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.paths["/api/cases/map"]?.get).toBeDefined();
  });
});
