import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type { Boundary } from "../geo/geometry.js";
import { boundaryInteriorPoint } from "../geo/geometry.js";
import { buildingAddress, normalizeAddress, unitAddress } from "./housing.service.js";

let t: TestApp;
let gw: Session;
let coord: Session;
let inside: [number, number];
let otherStreet: [number, number];

async function pointIn(codePrefix: string): Promise<[number, number]> {
  const g = await t.database.db
    .selectFrom("areas")
    .select("boundary")
    .where("level", "=", "grid")
    .where("code", "like", `${codePrefix}%`)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  return boundaryInteriorPoint(g.boundary as Boundary);
}

beforeAll(async () => {
  t = await createTestApp();
  gw = await login(t.app, "gridworker");
  coord = await login(t.app, "coordinator");
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  inside = await pointIn(me.grants[0].scope.code);
  otherStreet = await pointIn("320505400");
});
afterAll(() => t.close());

describe("address formats", () => {
  it("builds standard addresses", () => {
    expect(buildingAddress({ road: "狮山路", houseNumber: "88", buildingNo: "3" })).toBe(
      "狮山路88号3幢",
    );
    expect(unitAddress("狮山路88号3幢", "402")).toBe("狮山路88号3幢402室");
    expect(normalizeAddress("狮山路 ８８号 3 幢")).toBe("狮山路88号3幢");
  });
});

describe("buildings and units", () => {
  let buildingId = "";
  it("a grid worker adds a building in their grid; it is assigned to the grid", async () => {
    const res = await gw.request({
      method: "POST",
      url: "/api/buildings",
      payload: {
        road: "狮山路",
        houseNumber: "88",
        buildingNo: "3",
        estate: "",
        lng: inside[0],
        lat: inside[1],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().address).toBe("狮山路88号3幢");
    buildingId = res.json().id;
    const dup = await gw.request({
      method: "POST",
      url: "/api/buildings",
      payload: {
        road: "狮山路",
        houseNumber: "88",
        buildingNo: "3",
        lng: inside[0],
        lat: inside[1],
      },
    });
    expect(dup.statusCode).toBe(409);
  });

  it("refuses a building outside the grid worker's grid or outside the district", async () => {
    const other = await gw.request({
      method: "POST",
      url: "/api/buildings",
      payload: { road: "浒关路", houseNumber: "1", lng: otherStreet[0], lat: otherStreet[1] },
    });
    expect(other.statusCode).toBe(403);
    const far = await gw.request({
      method: "POST",
      url: "/api/buildings",
      payload: { road: "长安街", houseNumber: "1", lng: 116.4, lat: 39.9 },
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.message).toContain("网格");
    const resident = await login(t.app, "resident");
    expect(
      (
        await resident.request({
          method: "POST",
          url: "/api/buildings",
          payload: { road: "a", houseNumber: "1", lng: inside[0], lat: inside[1] },
        })
      ).statusCode,
    ).toBe(403);
  });

  it("adds units and flags overcrowding once occupants are known", async () => {
    const res = await gw.request({
      method: "POST",
      url: "/api/units",
      payload: {
        buildingId,
        unitNo: "402",
        floor: 4,
        floorAreaM2: 20,
        isRental: true,
        declaredCapacity: 2,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      address: "狮山路88号3幢402室",
      occupants: 0,
      overcrowding: { overcrowded: false },
    });
    const bad = await gw.request({
      method: "POST",
      url: "/api/units",
      payload: { buildingId, unitNo: "403", floorAreaM2: -3 },
    });
    expect(bad.statusCode).toBe(400);
    const missing = await gw.request({
      method: "POST",
      url: "/api/units",
      payload: { buildingId: "999999", unitNo: "1" },
    });
    expect(missing.statusCode).toBe(400);
    const patch = await gw.request({
      method: "PATCH",
      url: `/api/units/${res.json().id}`,
      payload: { declaredCapacity: 3 },
    });
    expect(patch.json().declaredCapacity).toBe(3);
  });

  it("lists units by scope: coordinator and police station see them, an enterprise officer only its own dormitories", async () => {
    const list = await coord.request({
      method: "GET",
      url: `/api/units?q=${encodeURIComponent("狮山路 88")}`,
    });
    expect(list.json().total).toBe(1);
    const officer = await login(t.app, "officer");
    // The demo officer's police station covers 狮山街道, where the demo grid worker's grid is
    // (and the seeded housing of the rest of the street).
    const seen = await officer.request({
      method: "GET",
      url: `/api/units?q=${encodeURIComponent("狮山路 88")}`,
    });
    expect(seen.json().total).toBe(1);
    const enterprise = await login(t.app, "enterprise");
    // The demo enterprise lets its seeded dormitory rooms to its staff: those, and nothing else.
    const orgId = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json()
      .grants[0].scope.id;
    const dorms = await t.database.db
      .selectFrom("units")
      .select("id")
      .where("landlord_organisation_id", "=", orgId)
      .execute();
    expect(dorms.length).toBeGreaterThan(0);
    const own = await enterprise.request({ method: "GET", url: "/api/units?limit=500" });
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBe(dorms.length);
    expect(
      own
        .json()
        .items.map((u: { id: string }) => u.id)
        .sort(),
    ).toEqual(dorms.map((u) => u.id).sort());
    const id = list.json().items[0].id;
    expect((await enterprise.request({ method: "GET", url: `/api/units/${id}` })).statusCode).toBe(
      404,
    );
  });
});

describe("unit export", () => {
  it("exports the filtered units as XLSX", async () => {
    const res = await coord.request({
      method: "GET",
      url: `/api/units/export.xlsx?q=${encodeURIComponent("狮山路88号")}`,
    });
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]?.getRow(2).getCell(1).value).toBe("狮山路88号3幢402室");
    expect(wb.worksheets[0]?.rowCount).toBe(2);
  });
});
