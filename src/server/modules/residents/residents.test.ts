import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { addMonths, todayInChina } from "../../../shared/dates.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import type { Boundary } from "../geo/geometry.js";
import { boundaryInteriorPoint } from "../geo/geometry.js";

/** A valid ID number for a region and birth date, with a serial. */
function idNumber(region: string, birth: string, serial: string): string {
  const first17 = `${region}${birth.replaceAll("-", "")}${serial}`;
  return first17 + residentIdCheckChar(first17);
}

let t: TestApp;
let gw: Session;
let unitA = "";
let unitB = "";
let buildingId = "";
const ANHUI = idNumber("340102", "1995-03-08", "123"); // 合肥市, male (3 is odd)
const HENAN = idNumber("410105", "2001-11-20", "246"); // 郑州市, female

beforeAll(async () => {
  t = await createTestApp();
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
    payload: { road: "金山路", houseNumber: "5", buildingNo: "1", lng, lat },
  });
  const building = b.json().id;
  buildingId = building;
  const mk = async (unitNo: string) =>
    (
      await gw.request({
        method: "POST",
        url: "/api/units",
        payload: {
          buildingId: building,
          unitNo,
          floorAreaM2: 12,
          isRental: true,
          declaredCapacity: 2,
        },
      })
    ).json().id;
  unitA = await mk("101");
  unitB = await mk("102");
});
afterAll(() => t.close());

/** Residents in the whole database (the seeded template holds the demo district's). */
async function residentCount(): Promise<number> {
  const r = await t.database.db
    .selectFrom("residents")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return r.n;
}

describe("registering residents", () => {
  it("a grid worker registers a new citizen at a unit; details come from the ID number", async () => {
    const res = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: {
        name: "张伟",
        idNumber: ANHUI,
        phone: "138 0013 8000",
        arrivalDate: "2025-02-01",
        unitId: unitA,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      name: "张伟",
      idNumber: `340102********${ANHUI.slice(-4)}`,
      gender: "male",
      birthDate: "1995-03-08",
      origin: { province: "安徽省", city: "合肥市" },
      phone: "138****8000",
      status: "registered",
      registeredSince: todayInChina(),
      unit: { id: unitA },
    });
    expect(r.allowedActions).toContain("reveal");
  });

  it("stores no plaintext number anywhere in the row", async () => {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM residents`.execute(t.database.db);
    const text = JSON.stringify(rows.rows);
    expect(text).not.toContain(ANHUI);
    expect(text).not.toContain("13800138000");
  });

  it("the same ID number again finds the same person (and moves them if the unit differs)", async () => {
    const again = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "张伟", idNumber: ANHUI.toLowerCase(), unitId: unitA },
    });
    expect(again.statusCode).toBe(200);
    const count = await t.database.db
      .selectFrom("residents")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("id_number_index", "=", t.fieldCrypto.blindIndex("resident_id", ANHUI))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it("refuses an invalid ID number, saying what is wrong, and writes nothing", async () => {
    const before = await residentCount();
    const wrongCheck = ANHUI.slice(0, 17) + (ANHUI.endsWith("0") ? "1" : "0");
    const res = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "李四", idNumber: wrongCheck },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("校验位应为");
    const badPhone = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "李四", idNumber: HENAN, phone: "12345" },
    });
    expect(badPhone.statusCode).toBe(400);
    const unknownUnit = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "李四", idNumber: HENAN, unitId: "999999" },
    });
    expect(unknownUnit.statusCode).toBe(400);
    expect(await residentCount()).toBe(before);
  });
});

describe("moves, history and permits", () => {
  it("moves between units keep the registration unbroken; moving out ends it", async () => {
    const list = await gw.request({ method: "GET", url: `/api/residents?idNumber=${ANHUI}` });
    expect(list.json().total).toBe(1);
    const id = list.json().items[0].id;
    const since = addMonths(todayInChina(), -7);
    await t.database.db
      .updateTable("residents")
      .set({ registered_since: since })
      .where("id", "=", id)
      .execute();
    await t.database.db
      .updateTable("residence_registrations")
      .set({ moved_in: since })
      .where("resident_id", "=", id)
      .execute();

    const eligible = await gw.request({ method: "GET", url: "/api/residents?eligible=true" });
    expect(eligible.json().items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(eligible.json().items[0].permitEligible).toBe(true);

    const moved = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/move`,
      payload: { unitId: unitB },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ unit: { id: unitB }, registeredSince: since });
    expect(moved.json().registrations).toHaveLength(2);
    expect(moved.json().registrations[1].movedOut).toBe(todayInChina());
    const same = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/move`,
      payload: { unitId: unitB },
    });
    expect(same.statusCode).toBe(409);

    const out = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/move-out`,
      payload: {},
    });
    expect(out.json()).toMatchObject({
      status: "departed",
      unit: null,
      registeredSince: null,
      permitEligible: false,
    });
    const twice = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/move-out`,
      payload: {},
    });
    expect(twice.statusCode).toBe(409);
    const back = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/move`,
      payload: { unitId: unitA },
    });
    expect(back.json()).toMatchObject({ status: "registered", registeredSince: todayInChina() });
  });
});

describe("personal data", () => {
  it("reveals the full number with a reason, and audits who, whose, which field and why", async () => {
    const id = (await gw.request({ method: "GET", url: "/api/residents" })).json().items[0].id;
    const none = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/reveal`,
      payload: { field: "idNumber", reason: "" },
    });
    expect(none.statusCode).toBe(400);
    const res = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/reveal`,
      payload: { field: "idNumber", reason: "上门核查居住登记" },
    });
    expect(res.json()).toEqual({ field: "idNumber", value: ANHUI });
    const phone = await gw.request({
      method: "POST",
      url: `/api/residents/${id}/reveal`,
      payload: { field: "phone", reason: "联系本人核实" },
    });
    expect(phone.json().value).toBe("13800138000");
    const audit = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "personal_data.read")
      .orderBy("id")
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      subject_id: id,
      actor_label: "gridworker",
      details: { field: "idNumber", reason: "上门核查居住登记" },
    });
    expect(JSON.stringify(audit)).not.toContain(ANHUI);
  });

  it("out of scope, a resident is not found at all", async () => {
    const id = (await gw.request({ method: "GET", url: "/api/residents" })).json().items[0].id;
    const enterprise = await login(t.app, "enterprise");
    expect(
      (await enterprise.request({ method: "GET", url: `/api/residents/${id}` })).statusCode,
    ).toBe(404);
    expect(
      (
        await enterprise.request({
          method: "POST",
          url: `/api/residents/${id}/reveal`,
          payload: { field: "idNumber", reason: "想看看而已" },
        })
      ).statusCode,
      // An enterprise may never reveal a number: refused whatever the record.
    ).toBe(403);
    // The enterprise sees its own employees (the seeded workforce), and nobody else.
    const orgId = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json()
      .grants[0].scope.id;
    const employed = await t.database.db
      .selectFrom("residents")
      .select("id")
      .where("employer_id", "=", orgId)
      .execute();
    expect(employed.length).toBeGreaterThan(0);
    const seen = (
      await enterprise.request({ method: "GET", url: "/api/residents?limit=500" })
    ).json();
    expect(seen.total).toBe(employed.length);
    expect(seen.items.map((r: { id: string }) => r.id).sort()).toEqual(
      employed.map((r) => r.id).sort(),
    );
    expect(seen.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });
});

describe("who registers whom", () => {
  it("a resident registers themself, sees only themself, and cannot register twice", async () => {
    const resident = await login(t.app, "resident");
    // The seed links the demo account to its own resident row …
    const seeded = await resident.request({ method: "GET", url: "/api/residents" });
    expect(seeded.json().items.map((r: { name: string }) => r.name)).toEqual(["刘洋"]);
    // … this story starts from an account that has not registered yet.
    await sql`UPDATE residents SET user_id = NULL
      WHERE user_id = (SELECT id FROM users WHERE username = 'resident')`.execute(t.database.db);
    const res = await resident.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "刘洋", idNumber: HENAN, unitId: unitA },
    });
    expect(res.statusCode, res.body).toBe(201);
    const mine = await resident.request({ method: "GET", url: "/api/residents" });
    expect(mine.json().items.map((r: { name: string }) => r.name)).toEqual(["刘洋"]);
    const other = idNumber("510104", "1990-01-01", "111");
    const again = await resident.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "刘洋", idNumber: other },
    });
    expect(again.statusCode).toBe(409);
  });

  it("a resident finds the unit they live in by its address, and nothing more", async () => {
    const resident = await login(t.app, "resident");
    const hits = await resident.request({ method: "GET", url: "/api/addresses?q=金山路 5号" });
    expect(hits.statusCode, hits.body).toBe(200);
    const ids = hits.json().items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([unitA, unitB]));
    expect(Object.keys(hits.json().items[0]).sort()).toEqual(["address", "id"]);
    const short = await resident.request({ method: "GET", url: "/api/addresses?q=金" });
    expect(short.statusCode).toBe(400);
    expect(JSON.stringify(short.json().error)).toContain("至少 2 个字");
    const anonymous = await t.app.inject({ method: "GET", url: "/api/addresses?q=金山路" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("someone registered with no address yet stays in the registrant's grid, in sight and editable", async () => {
    const id = idNumber("520102", "1996-05-05", "357");
    const res = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "无址者", idNumber: id },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().unit).toBeNull();
    for (const who of [gw, await login(t.app, "coordinator")]) {
      const list = await who.request({ method: "GET", url: "/api/residents?q=无址者" });
      expect(list.json().items.map((r: { name: string }) => r.name)).toEqual(["无址者"]);
    }
    // Later the grid worker finds where they live: the same ID moves them in.
    const unit = (
      await gw.request({
        method: "POST",
        url: "/api/units",
        payload: { buildingId, unitNo: "103", floorAreaM2: 30, isRental: false },
      })
    ).json().id;
    const moved = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "无址者", idNumber: id, unitId: unit },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().unit.id).toBe(unit);
  });

  it("claiming a staff-registered record needs the recorded name and phone, not just the ID number", async () => {
    const id = idNumber("420106", "1993-09-09", "579");
    const byStaff = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "韩梅", idNumber: id, phone: "13700001111" },
    });
    expect(byStaff.statusCode, byStaff.body).toBe(201);
    const admin = await login(t.app, "admin");
    const created = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "hanmei",
        displayName: "韩梅",
        password: "Gongzhi@2026",
        grants: [{ role: "resident" }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const claimant = await login(t.app, "hanmei");
    const claim = (payload: Record<string, unknown>) =>
      claimant.request({ method: "POST", url: "/api/residents", payload });
    // Someone who knows only the number gets nothing.
    for (const attempt of [
      { name: "冒名", idNumber: id },
      { name: "韩梅", idNumber: id },
      { name: "韩梅", idNumber: id, phone: "13700002222" },
    ]) {
      const r = await claim(attempt);
      expect(r.statusCode, JSON.stringify(attempt)).toBe(409);
      expect(r.json().error.message).toContain("当面核实");
    }
    expect((await claimant.request({ method: "GET", url: "/api/residents" })).json().total).toBe(0);
    // The person, with their recorded name and phone, gets their record.
    const ok = await claim({ name: "韩梅", idNumber: id, phone: "13700001111" });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().id).toBe(byStaff.json().id);
  });

  it("an enterprise registers only its own employees", async () => {
    const enterprise = await login(t.app, "enterprise");
    const me = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json();
    const orgId = me.grants[0].scope.id;
    const worker = idNumber("510104", "1999-07-07", "135");
    // The demo enterprise has a seeded workforce: what it registers adds to it.
    const before = (await enterprise.request({ method: "GET", url: "/api/residents" })).json()
      .total as number;
    const ok = await enterprise.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "王芳", idNumber: worker, employerId: orgId },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().employer.id).toBe(orgId);
    const list = await enterprise.request({ method: "GET", url: "/api/residents?limit=500" });
    expect(list.json().total).toBe(before + 1);
    expect(list.json().items.map((r: { id: string }) => r.id)).toContain(ok.json().id);
    const notOurs = await enterprise.request({
      method: "POST",
      url: "/api/residents",
      payload: {
        name: "赵六",
        idNumber: idNumber("510104", "1998-07-07", "135"),
        employerId: String(Number(orgId) + 1),
      },
    });
    expect(notOurs.statusCode).toBe(403);
    // Someone already registered becomes an employee only under their recorded name.
    const wrongName = await enterprise.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "随便", idNumber: ANHUI, employerId: orgId },
    });
    expect(wrongName.statusCode).toBe(409);
    expect((await enterprise.request({ method: "GET", url: "/api/residents" })).json().total).toBe(
      before + 1,
    );
  });

  it("three people in a unit for two flags it as overcrowded", async () => {
    for (const [name, serial] of [
      ["甲", "011"],
      ["乙", "021"],
      ["丙", "031"],
    ] as const) {
      const res = await gw.request({
        method: "POST",
        url: "/api/residents",
        payload: { name, idNumber: idNumber("340102", "1990-01-01", serial), unitId: unitB },
      });
      expect(res.statusCode).toBe(201);
    }
    const flagged = await gw.request({ method: "GET", url: "/api/units?overcrowded=true" });
    expect(flagged.json().items.map((u: { id: string }) => u.id)).toEqual([unitB]);
    expect(flagged.json().items[0].overcrowding).toMatchObject({
      overcrowded: true,
      overCapacity: true,
      underAreaPerPerson: true,
      areaPerPersonM2: 4,
    });
  });
});

describe("export", () => {
  it("exports the filtered list as XLSX, masked, and records who exported it", async () => {
    const res = await gw.request({
      method: "GET",
      url: `/api/residents/export.xlsx?q=${encodeURIComponent("张伟")}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error("no sheet");
    expect(ws.getRow(1).getCell(1).value).toBe("姓名");
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(2).value).toBe(`340102********${ANHUI.slice(-4)}`);
    expect(JSON.stringify(ws.getSheetValues())).not.toContain(ANHUI);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "residents.exported")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ rows: 1 });
  });

  it("an export filtered by exact ID number audits the number masked", async () => {
    const res = await gw.request({
      method: "GET",
      url: `/api/residents/export.xlsx?idNumber=${ANHUI}`,
    });
    expect(res.statusCode).toBe(200);
    const rows = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "residents.exported")
      .orderBy("id", "desc")
      .execute();
    expect(rows[0]?.details).toMatchObject({
      rows: 1,
      filters: { idNumber: `340102********${ANHUI.slice(-4)}` },
    });
    expect(JSON.stringify(rows)).not.toContain(ANHUI);
  });
});

describe("corrections", () => {
  it("a grid worker corrects name, phone, arrival date and records a residence permit; audited", async () => {
    const id = idNumber("341202", "1991-04-04", "246");
    const created = await gw.request({
      method: "POST",
      url: "/api/residents",
      payload: { name: "赵晓", idNumber: id, phone: "13600001234" },
    });
    expect(created.statusCode, created.body).toBe(201);
    const rid = created.json().id;
    const patch = (payload: Record<string, unknown>, who = gw) =>
      who.request({ method: "PATCH", url: `/api/residents/${rid}`, payload });

    expect((await patch({ phone: "1360000" })).statusCode).toBe(400);
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ idNumber: id })).statusCode).toBe(400);
    const ok = await patch({
      name: "赵小",
      phone: "13900009876",
      arrivalDate: "2025-02-01",
      status: "permit_holder",
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      name: "赵小",
      phone: "139****9876",
      arrivalDate: "2025-02-01",
      status: "permit_holder",
    });
    const cleared = await patch({ phone: null, arrivalDate: null });
    expect(cleared.json()).toMatchObject({ phone: null, arrivalDate: null });
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "resident.updated")
      .where("subject_id", "=", rid)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => (a.details as { changed: string[] }).changed)).toEqual([
      ["name", "phone", "arrivalDate", "status"],
      ["phone", "arrivalDate"],
    ]);
    expect(JSON.stringify(audit)).not.toContain("13900009876");
    // A resident may not correct the record staff keep.
    const resident = await login(t.app, "resident");
    expect((await patch({ name: "别人" }, resident)).statusCode).toBe(403);
  });
});
