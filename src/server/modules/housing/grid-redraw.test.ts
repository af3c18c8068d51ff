import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type { BoundaryGeometry } from "../../../shared/schemas/areas.js";

let t: TestApp;
let coord: Session;
beforeAll(async () => {
  t = await createTestApp();
  coord = await login(t.app, "coordinator");
});
afterAll(() => t.close());

const square = (lng: number, lat: number, d: number): BoundaryGeometry => ({
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

async function redraw(code: string, boundary: BoundaryGeometry) {
  const res = await coord.request({
    method: "PUT",
    url: `/api/areas/${code}/boundary`,
    payload: { boundary },
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe("redrawing grids", () => {
  it("moves the buildings that changed grid, with their units and residents", async () => {
    const db = t.database.db;
    // A building with a registered resident, and a grid elsewhere.
    const home = await db
      .selectFrom("residents")
      .innerJoin("units", "units.id", "residents.unit_id")
      .innerJoin("buildings", "buildings.id", "units.building_id")
      .innerJoin("areas", "areas.id", "buildings.grid_id")
      .select([
        "residents.id as residentId",
        "units.id as unitId",
        "buildings.id as buildingId",
        "buildings.lng",
        "buildings.lat",
        "areas.code as gridCode",
      ])
      .executeTakeFirstOrThrow();
    const other = await db
      .selectFrom("areas")
      .select(["id", "code", "path"])
      .where("level", "=", "grid")
      .where("code", "!=", home.gridCode)
      .orderBy("code")
      .executeTakeFirstOrThrow();

    // The home grid shrinks to a corner far from the building: the building
    // now lies in no grid and stays where it was…
    await redraw(home.gridCode, square(home.lng + 0.5, home.lat + 0.5, 0.001));
    const kept = await db
      .selectFrom("buildings")
      .select("area_path")
      .where("id", "=", home.buildingId)
      .executeTakeFirstOrThrow();
    expect(kept.area_path).not.toBe(other.path);

    // …until another grid is drawn around it: then it moves, and its units,
    // residents follow, and the move is audited.
    await redraw(other.code, square(home.lng, home.lat, 0.0005));
    const b = await db
      .selectFrom("buildings")
      .select(["grid_id", "area_path"])
      .where("id", "=", home.buildingId)
      .executeTakeFirstOrThrow();
    expect(b).toEqual({ grid_id: other.id, area_path: other.path });
    const u = await db
      .selectFrom("units")
      .select("area_path")
      .where("id", "=", home.unitId)
      .executeTakeFirstOrThrow();
    expect(u.area_path).toBe(other.path);
    const r = await db
      .selectFrom("residents")
      .select("area_path")
      .where("id", "=", home.residentId)
      .executeTakeFirstOrThrow();
    expect(r.area_path).toBe(other.path);
    const audit = await db
      .selectFrom("audit_log")
      .select(["subject_id", "details"])
      .where("action", "=", "buildings.relocated")
      .executeTakeFirstOrThrow();
    expect(audit.subject_id).toBe(other.id);
    expect((audit.details as { moved: number }).moved).toBeGreaterThanOrEqual(1);

    // The locator agrees with the stored placement.
    const located = await coord.request({
      method: "GET",
      url: `/api/areas/locate?lng=${home.lng}&lat=${home.lat}`,
    });
    expect(located.json().grid.code).toBe(other.code);
  });
});
