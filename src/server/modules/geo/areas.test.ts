import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type { BoundaryGeometry } from "../../../shared/schemas/areas.js";
import { boundaryInteriorPoint } from "./geometry.js";

let t: TestApp;
let coord: Session;
beforeAll(async () => {
  t = await createTestApp();
  coord = await login(t.app, "coordinator");
});
afterAll(() => t.close());

const get = (s: Session, url: string) => s.request({ method: "GET", url });

async function someGrid() {
  const res = await get(coord, "/api/areas?level=grid&limit=1&sort=code");
  return res.json().items[0] as { code: string; path: string; id: string };
}

describe("GET /api/areas", () => {
  it("needs a login", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/areas" })).statusCode).toBe(401);
  });

  it("is for staff: a resident is refused", async () => {
    const resident = await login(t.app, "resident");
    expect((await get(resident, "/api/areas")).statusCode).toBe(403);
  });

  it("lists the real streets of 虎丘区 with paging, filters and sorting", async () => {
    const res = await get(coord, "/api/areas?level=street&parentCode=320505&sort=code");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(9);
    expect(body.items[0]).toMatchObject({
      code: "320505001",
      name: "横塘街道",
      level: "street",
      path: "/320505/320505001/",
    });
    const page = await get(coord, "/api/areas?level=community&limit=10&offset=10&sort=-code");
    expect(page.json().total).toBe(94);
    expect(page.json().items).toHaveLength(10);
    const codes = page.json().items.map((a: { code: string }) => a.code);
    expect([...codes].sort().reverse()).toEqual(codes);
    const search = await get(coord, `/api/areas?q=${encodeURIComponent("狮山")}`);
    expect(search.json().items.some((a: { name: string }) => a.name === "狮山街道")).toBe(true);
  });

  it("rejects bad queries", async () => {
    const res = await get(coord, "/api/areas?level=planet&limit=0");
    expect(res.statusCode).toBe(400);
    expect(res.json().error.id).toBe("validation");
    expect(res.json().error.details.length).toBeGreaterThanOrEqual(1);
  });
});

describe("GET /api/areas/:code", () => {
  it("returns a grid with its boundary, ancestors and allowed actions", async () => {
    const g = await someGrid();
    const res = await get(coord, `/api/areas/${g.code}`);
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a.level).toBe("grid");
    expect(a.boundary.type).toMatch(/Polygon/);
    expect(a.ancestors.map((x: { level: string }) => x.level)).toEqual([
      "district",
      "street",
      "community",
    ]);
    expect(a.allowedActions).toEqual(["edit_boundary"]);
    const officer = await login(t.app, "officer");
    expect((await get(officer, `/api/areas/${g.code}`)).json().allowedActions).toEqual([]);
  });

  it("answers 404 for an unknown code and 400 for a malformed one", async () => {
    expect((await get(coord, "/api/areas/999999999")).statusCode).toBe(404);
    expect((await get(coord, "/api/areas/abc")).statusCode).toBe(400);
  });

  it("serves children as GeoJSON", async () => {
    const res = await get(coord, "/api/areas/320505/geojson?children=1");
    expect(res.statusCode).toBe(200);
    const fc = res.json();
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features).toHaveLength(9);
    expect(fc.features[0].properties).toMatchObject({ level: "street" });
  });

  it("serves every area of a level under an area as GeoJSON (level=…)", async () => {
    const g = await someGrid();
    const street = (await get(coord, `/api/areas/${g.code}`)).json().ancestors[1];
    const res = await get(coord, `/api/areas/${street.code}/geojson?level=grid`);
    expect(res.statusCode).toBe(200);
    const props = res.json().features.map((f: { properties: { code: string } }) => f.properties);
    expect(props.length).toBeGreaterThan(1);
    expect(props.every((p: { level: string }) => p.level === "grid")).toBe(true);
    expect(props.map((p: { code: string }) => p.code)).toContain(g.code);
    const all = (await get(coord, "/api/areas/320505/geojson?level=grid")).json().features;
    expect(all.length).toBeGreaterThan(props.length);
    expect((await get(coord, "/api/areas/320505/geojson?level=city")).statusCode).toBe(400);
  });
});

describe("GET /api/areas/locate", () => {
  it("puts a point inside a grid into that grid", async () => {
    const g = await someGrid();
    const detail = (await get(coord, `/api/areas/${g.code}`)).json();
    const [lng, lat] = boundaryInteriorPoint(detail.boundary);
    const res = await get(coord, `/api/areas/locate?lng=${lng}&lat=${lat}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().grid.code).toBe(g.code);
    expect(res.json().ancestors).toHaveLength(3);
  });

  it("finds nothing outside the district, and refuses bad coordinates", async () => {
    const res = await get(coord, "/api/areas/locate?lng=116.4&lat=39.9");
    expect(res.json()).toEqual({ grid: null, ancestors: [] });
    expect((await get(coord, "/api/areas/locate?lng=500&lat=1")).statusCode).toBe(400);
  });
});

describe("PUT /api/areas/:code/boundary", () => {
  const square = (lng: number, lat: number, d = 0.004): BoundaryGeometry => ({
    type: "Polygon",
    coordinates: [
      [
        [lng - d, lat - d],
        [lng + d, lat - d],
        [lng + d, lat + d],
        [lng - d, lat + d],
        [lng - d, lat - d],
      ],
    ],
  });

  it("redraws a grid, bumps the version, audits it and re-indexes", async () => {
    const g = await someGrid();
    const before = (await get(coord, `/api/areas/${g.code}`)).json();
    const [lng, lat] = before.centroid;
    const res = await coord.request({
      method: "PUT",
      url: `/api/areas/${g.code}/boundary`,
      payload: { boundary: square(lng, lat), version: before.version },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toBe(before.version + 1);
    expect(res.json().bbox[0]).toBeCloseTo(lng - 0.004, 6);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "area.boundary_updated")
      .executeTakeFirstOrThrow();
    expect(audit.subject_id).toBe(g.id);
    const located = await get(coord, `/api/areas/locate?lng=${lng}&lat=${lat}`);
    expect(located.json().grid.code).toBe(g.code);

    const stale = await coord.request({
      method: "PUT",
      url: `/api/areas/${g.code}/boundary`,
      payload: { boundary: square(lng, lat, 0.003), version: before.version },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.id).toBe("conflict");
  });

  it("rejects invalid GeoJSON and changes nothing", async () => {
    const g = await someGrid();
    const before = (await get(coord, `/api/areas/${g.code}`)).json();
    const bad = [
      { type: "Point", coordinates: [120, 31] },
      {
        type: "Polygon",
        coordinates: [
          [
            [120, 31],
            [121, 31],
            [121, 32],
            [120, 31.5],
          ],
        ],
      },
      {
        type: "Polygon",
        coordinates: [
          [
            [120, 31],
            [121, 31],
            [120, 31],
          ],
        ],
      },
      {
        type: "Polygon",
        coordinates: [
          [
            [200, 31],
            [121, 31],
            [121, 32],
            [200, 31],
          ],
        ],
      },
      "not geometry",
    ];
    for (const boundary of bad) {
      const res = await coord.request({
        method: "PUT",
        url: `/api/areas/${g.code}/boundary`,
        payload: { boundary },
      });
      expect(res.statusCode, JSON.stringify(boundary)).toBe(400);
      expect(res.json().error.id).toBe("validation");
    }
    const after = (await get(coord, `/api/areas/${g.code}`)).json();
    expect(after.version).toBe(before.version);
    expect(after.boundary).toEqual(before.boundary);
  });

  it("needs the CSRF token", async () => {
    const g = await someGrid();
    const res = await t.app.inject({
      method: "PUT",
      url: `/api/areas/${g.code}/boundary`,
      payload: { boundary: square(120.4, 31.3) },
      headers: { cookie: coord.cookie },
    });
    expect(res.statusCode).toBe(403);
  });
});
