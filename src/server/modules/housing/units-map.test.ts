/**
 * A unit's detail (building, grid, occupants, history of moves, allowed
 * actions) and the units map (server-side clusters and single units), both
 * scoped exactly like the unit list.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import type { UnitDetail, UnitMap } from "../../../shared/schemas/housing.js";
import type { Boundary } from "../geo/geometry.js";
import { boundaryInteriorPoint } from "../geo/geometry.js";
import { MAP_UNIT_MIN_ZOOM } from "./housing.service.js";

function idNumber(region: string, birth: string, serial: string): string {
  const first17 = `${region}${birth.replaceAll("-", "")}${serial}`;
  return first17 + residentIdCheckChar(first17);
}

let t: TestApp;
let gw: Session;
let coord: Session;
let district = "";
let gwGridCode = "";
let gwGridName = "";
let point: [number, number] = [0, 0];
let unitId = "";
let buildingId = "";
let movedOutId = "";

beforeAll(async () => {
  t = await createTestApp();
  gw = await login(t.app, "gridworker");
  coord = await login(t.app, "coordinator");
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  gwGridCode = me.grants[0].scope.code;
  const g = await t.database.db
    .selectFrom("areas")
    .select(["boundary", "name"])
    .where("code", "=", gwGridCode)
    .executeTakeFirstOrThrow();
  gwGridName = g.name;
  point = boundaryInteriorPoint(g.boundary as Boundary);
  const d = (await coord.request({ method: "GET", url: "/api/areas/320505" })).json();
  district = (d.bbox as number[]).join(",");

  const b = await gw.request({
    method: "POST",
    url: "/api/buildings",
    payload: {
      road: "玉山路",
      houseNumber: "66",
      estate: "玉山公寓",
      lng: point[0],
      lat: point[1],
    },
  });
  expect(b.statusCode, b.body).toBe(201);
  buildingId = b.json().id;
  const u = await gw.request({
    method: "POST",
    url: "/api/units",
    payload: { buildingId, unitNo: "201", floorAreaM2: 30, isRental: true, declaredCapacity: 1 },
  });
  expect(u.statusCode, u.body).toBe(201);
  unitId = u.json().id;

  // Three people move in; the first leaves again.
  const ids: string[] = [];
  for (const [name, id] of [
    ["王芳", idNumber("340102", "1990-01-02", "124")],
    ["李强", idNumber("410105", "1992-05-06", "133")],
    ["赵敏", idNumber("510104", "1998-09-10", "142")],
  ] as const) {
    const r = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name, idNumber: id, unitId, movedIn: "2026-01-05" },
    });
    expect(r.statusCode, r.body).toBe(201);
    ids.push(r.json().id);
  }
  movedOutId = ids[0] as string;
  const out = await gw.request({
    method: "POST",
    url: `/api/residents/${movedOutId}/move-out`,
    payload: { date: "2026-03-01" },
  });
  expect(out.statusCode, out.body).toBe(200);
});
afterAll(() => t.close());

describe("GET /api/units/:id", () => {
  it("answers the building, grid, current residents, history and allowed actions", async () => {
    const res = await gw.request({ method: "GET", url: `/api/units/${unitId}` });
    expect(res.statusCode, res.body).toBe(200);
    const u = res.json() as UnitDetail;
    expect(u).toMatchObject({
      id: unitId,
      address: "玉山路66号玉山公寓201室",
      occupants: 2,
      declaredCapacity: 1,
      overcrowding: { overcrowded: true, overCapacity: true, underAreaPerPerson: false },
      building: { id: buildingId, address: "玉山路66号玉山公寓", estate: "玉山公寓" },
      grid: { code: gwGridCode, name: gwGridName },
      allowedActions: ["edit"],
      historyTotal: 3,
    });
    expect(u.residents.map((r) => r.name).sort()).toEqual(["李强", "赵敏"]);
    expect(u.residents[0]?.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(u.residents[0]?.movedIn).toBe("2026-01-05");
    // The move out is the latest event, so it comes first.
    expect(u.history[0]).toMatchObject({
      resident: { id: movedOutId, name: "王芳" },
      movedIn: "2026-01-05",
      movedOut: "2026-03-01",
    });
    expect(u.history.filter((h) => h.movedOut === null)).toHaveLength(2);
  });

  it("answers 404 out of scope and for an unknown unit, 401 without a session", async () => {
    const enterprise = await login(t.app, "enterprise");
    expect(
      (await enterprise.request({ method: "GET", url: `/api/units/${unitId}` })).statusCode,
    ).toBe(404);
    expect((await gw.request({ method: "GET", url: "/api/units/999999999" })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: `/api/units/${unitId}` })).statusCode).toBe(
      401,
    );
  });

  it("names only residents the caller may see as residents", async () => {
    // An enterprise that lets a unit sees the unit, but not the people of other employers in it.
    const enterprise = await login(t.app, "enterprise");
    const me = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json();
    const ownOrg = me.grants[0].scope.id as string;
    expect(ownOrg).toBeTruthy();
    await t.database.db
      .updateTable("units")
      .set({ landlord_organisation_id: ownOrg, landlord_resident_id: null })
      .where("id", "=", unitId)
      .execute();
    const res = await enterprise.request({ method: "GET", url: `/api/units/${unitId}` });
    expect(res.statusCode, res.body).toBe(200);
    const u = res.json() as UnitDetail;
    expect(u.occupants).toBe(2);
    expect(u.residents).toEqual([]);
    expect(u.history).toEqual([]);
    expect(u.historyTotal).toBe(0);
    expect(u.allowedActions).toEqual([]);
    await t.database.db
      .updateTable("units")
      .set({ landlord_organisation_id: null })
      .where("id", "=", unitId)
      .execute();
  });
});

describe("GET /api/units/map", () => {
  const map = (s: Session, query: string) =>
    s.request({ method: "GET", url: `/api/units/map?${query}` });

  it("rejects a missing or malformed box and a zoom out of range, and needs a session", async () => {
    for (const q of [
      "zoom=11",
      `bbox=${encodeURIComponent("1,2,3")}&zoom=11`,
      `bbox=${encodeURIComponent("121,31,120,32")}&zoom=11`,
      `bbox=${encodeURIComponent("120,31,121,32")}&zoom=30`,
      `bbox=${encodeURIComponent("120,31,121,32")}&zoom=x`,
    ]) {
      const res = await map(coord, q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.id).toBe("validation");
    }
    const anon = await t.app.inject({
      method: "GET",
      url: `/api/units/map?bbox=${encodeURIComponent(district)}&zoom=11`,
    });
    expect(anon.statusCode).toBe(401);
  });

  it("clusters the coordinator's whole district; counts match the list", async () => {
    const res = await map(coord, `bbox=${encodeURIComponent(district)}&zoom=11`);
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json() as UnitMap;
    const list = (await coord.request({ method: "GET", url: "/api/units?limit=1" })).json();
    const crowded = (
      await coord.request({ method: "GET", url: "/api/units?limit=1&overcrowded=true" })
    ).json();
    expect(m.mode).toBe("clusters");
    expect(m.units).toEqual([]);
    expect(m.total).toBe(list.total);
    expect(m.total).toBeGreaterThan(100);
    expect(m.overcrowded).toBe(crowded.total);
    expect(m.overcrowded).toBeGreaterThan(0);
    expect(m.clusters.reduce((n, c) => n + c.count, 0)).toBe(m.total);
    // Far fewer markers than units, each inside its own extent.
    expect(m.clusters.length).toBeLessThan(m.total / 3);
    for (const c of m.clusters) {
      const [w, s, e, n] = c.bbox;
      expect(c.lng).toBeGreaterThanOrEqual(w - 1e-9);
      expect(c.lng).toBeLessThanOrEqual(e + 1e-9);
      expect(c.lat).toBeGreaterThanOrEqual(s - 1e-9);
      expect(c.lat).toBeLessThanOrEqual(n + 1e-9);
      expect(c.overcrowded).toBeLessThanOrEqual(c.count);
    }
    // A finer zoom splits the same units into more cells.
    const finer = (await map(coord, `bbox=${encodeURIComponent(district)}&zoom=13`)).json();
    expect(finer.total).toBe(m.total);
    expect(finer.clusters.length).toBeGreaterThan(m.clusters.length);
  });

  it("applies the list's filters", async () => {
    const only = (
      await map(coord, `bbox=${encodeURIComponent(district)}&zoom=11&overcrowded=true`)
    ).json() as UnitMap;
    const list = (
      await coord.request({ method: "GET", url: "/api/units?limit=1&overcrowded=true" })
    ).json();
    expect(only.total).toBe(list.total);
    expect(only.overcrowded).toBe(only.total);
    const rented = (
      await map(coord, `bbox=${encodeURIComponent(district)}&zoom=11&rental=false`)
    ).json() as UnitMap;
    const rentedList = (
      await coord.request({ method: "GET", url: "/api/units?limit=1&rental=false" })
    ).json();
    expect(rented.total).toBe(rentedList.total);
    const q = (
      await map(
        coord,
        `bbox=${encodeURIComponent(district)}&zoom=11&q=${encodeURIComponent("玉山路66号")}`,
      )
    ).json() as UnitMap;
    expect(q.total).toBe(1);
  });

  it("shows a grid worker only their own grid's units", async () => {
    const res = await map(gw, `bbox=${encodeURIComponent(district)}&zoom=11`);
    expect(res.statusCode).toBe(200);
    const m = res.json() as UnitMap;
    expect(m.total).toBe(1);
    expect(m.overcrowded).toBe(1);
    expect(m.clusters).toHaveLength(1);
    expect(m.clusters[0]).toMatchObject({ count: 1, overcrowded: 1 });
    // The enterprise officer sees only the units it lets (dormitories), the resident only their own.
    const enterprise = await login(t.app, "enterprise");
    const own = (await enterprise.request({ method: "GET", url: "/api/units?limit=1" })).json()
      .total;
    const em = (await map(enterprise, `bbox=${encodeURIComponent(district)}&zoom=11`)).json();
    expect(em.total).toBe(own);
  });

  it("answers single units zoomed in, and clusters zoomed out even when few", async () => {
    const d = 0.002;
    const box = [point[0] - d, point[1] - d, point[0] + d, point[1] + d].join(",");
    const near = (
      await map(gw, `bbox=${encodeURIComponent(box)}&zoom=${MAP_UNIT_MIN_ZOOM + 2}`)
    ).json() as UnitMap;
    expect(near.mode).toBe("units");
    expect(near.units).toHaveLength(1);
    expect(near.units[0]).toMatchObject({
      id: unitId,
      address: "玉山路66号玉山公寓201室",
      buildingId,
      occupants: 2,
      overcrowding: { overcrowded: true, overCapacity: true },
    });
    expect(near.units[0]?.lng).toBeCloseTo(point[0], 9);
    const far = (
      await map(gw, `bbox=${encodeURIComponent(box)}&zoom=${MAP_UNIT_MIN_ZOOM - 1}`)
    ).json() as UnitMap;
    expect(far.mode).toBe("clusters");
    // Outside the box: nothing.
    const away = [point[0] + 0.01, point[1] + 0.01, point[0] + 0.02, point[1] + 0.02].join(",");
    const none = (await map(gw, `bbox=${encodeURIComponent(away)}&zoom=17`)).json() as UnitMap;
    expect(none.total).toBe(0);
    expect(none.units).toEqual([]);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.paths["/api/units/map"]?.get).toBeDefined();
  });
});
