/** The residence-permit period and the overcrowding threshold are configuration. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { addMonths, todayInChina } from "../../../shared/dates.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import type { Boundary } from "../geo/geometry.js";
import { boundaryInteriorPoint } from "../geo/geometry.js";

const idNumber = (first17: string) => first17 + residentIdCheckChar(first17);

let t: TestApp;
let gw: Session;
let unit = "";
beforeAll(async () => {
  t = await createTestApp({
    env: { PERMIT_ELIGIBLE_MONTHS: "3", OVERCROWDING_MIN_M2_PER_PERSON: "20" },
  });
  gw = await login(t.app, "gridworker");
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  const g = await t.database.db
    .selectFrom("areas")
    .select("boundary")
    .where("code", "=", me.grants[0].scope.code)
    .executeTakeFirstOrThrow();
  const [lng, lat] = boundaryInteriorPoint(g.boundary as Boundary);
  const b = await gw.request({
    method: "POST",
    url: "/api/buildings",
    payload: { road: "配置路", houseNumber: "3", buildingNo: "1", lng, lat },
  });
  const u = await gw.request({
    method: "POST",
    url: "/api/units",
    payload: { buildingId: b.json().id, unitNo: "201", floorAreaM2: 30, isRental: true },
  });
  unit = u.json().id;
});
afterAll(() => t.close());

describe("configured thresholds", () => {
  it("PERMIT_ELIGIBLE_MONTHS=3: eligible three months after moving in", async () => {
    const movedIn = addMonths(todayInChina(), -4);
    const res = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "配甲", idNumber: idNumber("34010219900101111"), unitId: unit, movedIn },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      permitEligible: true,
      permitEligibleSince: addMonths(movedIn, 3),
    });
    const eligible = await gw.request({
      method: "GET",
      url: "/api/residents?eligible=true&q=配甲",
    });
    expect(eligible.json().total).toBe(1);
  });

  it("OVERCROWDING_MIN_M2_PER_PERSON=20: two people in 30 m² are overcrowded", async () => {
    const res = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "配乙", idNumber: idNumber("34010219900101121"), unitId: unit },
    });
    expect(res.statusCode, res.body).toBe(201);
    const flagged = await gw.request({
      method: "GET",
      url: "/api/units?overcrowded=true&q=配置路",
    });
    expect(flagged.json().items).toMatchObject([
      {
        id: unit,
        overcrowding: { overcrowded: true, underAreaPerPerson: true, areaPerPersonM2: 15 },
      },
    ]);
  });
});
