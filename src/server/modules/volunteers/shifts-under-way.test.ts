/** GET /api/shifts/under-way: the coordination map's 巡逻中 layer. */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let coord: Session;
let gw: Session;
let resident: Session;
let gridPath = "";
let gridCode = "";
let otherGrid = { id: "", path: "", code: "" };
let volunteers: string[] = [];

const get = (s: Session, url: string) => s.request({ method: "GET", url });

/** A shift `fromH` hours from now to `toH`, in an area, as the coordinator planned it. */
async function shift(
  area: { id: string; path: string },
  title: string,
  fromH: number,
  toH: number,
  status = "open",
) {
  const db = t.database.db;
  const creator = await db
    .selectFrom("users")
    .select("id")
    .where("username", "=", "coordinator")
    .executeTakeFirstOrThrow();
  const h = (n: number) => new Date(Date.now() + n * 3_600_000);
  const r = await db
    .insertInto("shifts")
    .values({
      kind: "patrol",
      title,
      area_id: area.id,
      area_path: area.path,
      starts_at: h(fromH),
      ends_at: h(toH),
      capacity: 5,
      status,
      created_by: creator.id,
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(r.id);
}

async function signUp(shiftId: string, volunteerId: string, at?: { lat: number; lng: number }) {
  await t.database.db
    .insertInto("shift_signups")
    .values({
      shift_id: shiftId,
      volunteer_id: volunteerId,
      status: at ? "checked_in" : "signed_up",
      checked_in_at: at ? new Date() : null,
      check_in_lat: at?.lat ?? null,
      check_in_lng: at?.lng ?? null,
    } as never)
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  [coord, gw, resident] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "gridworker"),
    login(t.app, "resident"),
  ]);
  const me = (await get(gw, "/api/auth/me")).json();
  gridCode = me.grants[0].scope.code;
  const db = t.database.db;
  const grid = await db
    .selectFrom("areas")
    .select(["id", "path"])
    .where("code", "=", gridCode)
    .executeTakeFirstOrThrow();
  gridPath = grid.path;
  const other = await db
    .selectFrom("areas")
    .select(["id", "path", "code"])
    .where("level", "=", "grid")
    .where("path", "not like", `${grid.path.split("/").slice(0, 4).join("/")}/%`)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  otherGrid = { id: String(other.id), path: other.path, code: other.code };
  volunteers = (
    await db.selectFrom("volunteers").select("id").orderBy("id").limit(4).execute()
  ).map((v) => String(v.id));
  // Only this test's shifts are under way.
  await sql`UPDATE shifts SET status = 'cancelled'
    WHERE status = 'open' AND starts_at <= now() AND ends_at > now()`.execute(db);

  const here = { id: String(grid.id), path: grid.path };
  const busy = await shift(here, "夜间治安巡逻", -1, 2);
  await signUp(busy, volunteers[0] as string, { lat: 31.3, lng: 120.5 });
  await signUp(busy, volunteers[1] as string, { lat: 31.4, lng: 120.6 });
  await signUp(busy, volunteers[2] as string);
  await shift(here, "已结束的巡逻", -3, -1);
  await shift(here, "稍后开始的巡逻", 1, 3);
  await shift(here, "已取消的巡逻", -1, 1, "cancelled");
  const elsewhere = await shift(otherGrid, "别处的巡逻", -0.5, 1);
  await signUp(elsewhere, volunteers[3] as string);
});
afterAll(() => t.close());

describe("GET /api/shifts/under-way", () => {
  it("lists the shifts being worked now, the busiest first, with who is on duty and where", async () => {
    const res = await get(coord, "/api/shifts/under-way");
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items.map((s: { title: string }) => s.title)).toEqual([
      "夜间治安巡逻",
      "别处的巡逻",
    ]);
    expect(body).toMatchObject({ total: 2, onDuty: 2 });
    const busy = body.items[0];
    expect(busy).toMatchObject({ kind: "patrol", signedUp: 3, onDuty: 2, capacity: 5 });
    expect(busy.area.code).toBe(gridCode);
    // Drawn where those on duty checked in (their mean position).
    expect(busy.lat).toBeCloseTo(31.35, 6);
    expect(busy.lng).toBeCloseTo(120.55, 6);
    // Nobody on duty: drawn at the area's centre.
    const centre = await t.database.db
      .selectFrom("areas")
      .select(["centroid_lat", "centroid_lng"])
      .where("code", "=", otherGrid.code)
      .executeTakeFirstOrThrow();
    expect(body.items[1].lat).toBeCloseTo(Number(centre.centroid_lat), 6);
    expect(body.items[1].onDuty).toBe(0);
  });

  it("keeps to the caller's area and to the area asked for", async () => {
    const mine = (await get(gw, "/api/shifts/under-way")).json();
    expect(mine.items.map((s: { title: string }) => s.title)).toEqual(["夜间治安巡逻"]);
    const there = await get(coord, `/api/shifts/under-way?areaCode=${otherGrid.code}`);
    expect(there.json().items.map((s: { title: string }) => s.title)).toEqual(["别处的巡逻"]);
    // Outside the grid worker's grid: as if it did not exist.
    expect((await get(gw, `/api/shifts/under-way?areaCode=${otherGrid.code}`)).statusCode).toBe(
      404,
    );
    expect(gridPath.startsWith("/")).toBe(true);
  });

  it("refuses anonymous callers, residents and bad input", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/shifts/under-way" })).statusCode).toBe(
      401,
    );
    expect((await get(resident, "/api/shifts/under-way")).statusCode).toBe(403);
    const bad = await get(coord, "/api/shifts/under-way?areaCode=abc&limit=0");
    expect(bad.statusCode).toBe(400);
    expect((await get(coord, "/api/shifts/under-way?areaCode=999999999999")).statusCode).toBe(404);
  });
});
