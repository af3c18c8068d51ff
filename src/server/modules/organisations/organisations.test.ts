import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { usccCheckChar } from "../../../shared/formats/uscc.js";

const uscc = (body: string) => body + usccCheckChar(body);

let t: TestApp;
let gw: Session;
let gridCode = "";
beforeAll(async () => {
  t = await createTestApp();
  gw = await login(t.app, "gridworker");
  gridCode = (await gw.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope.code;
});
afterAll(() => t.close());

describe("organisations", () => {
  const code = uscc("91320505MA1XWY12A");
  it("registers an enterprise with a valid USCC in the grid worker's grid", async () => {
    const res = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: {
        kind: "enterprise",
        name: "苏州测试精密制造有限公司",
        uscc: code.toLowerCase(),
        gridCode,
        industry: "精密制造",
        size: "medium",
        safetyOfficer: "钱七",
        safetyOfficerPhone: "13912345678",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      uscc: code,
      safetyOfficerPhone: "139****5678",
      employees: 0,
    });
    const dup = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: { kind: "enterprise", name: "重复", uscc: code, gridCode },
    });
    expect(dup.statusCode).toBe(409);
  });

  it("refuses a USCC whose check character is wrong, saying which it should be", async () => {
    const bad = code.slice(0, 17) + (code.endsWith("0") ? "1" : "0");
    const res = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: { kind: "enterprise", name: "错码公司", uscc: bad, gridCode },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("校验位应为");
    const none = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: { kind: "enterprise", name: "无码公司", gridCode },
    });
    expect(none.statusCode).toBe(400);
  });

  it("lists by scope: the enterprise officer sees only their own", async () => {
    const list = await gw.request({
      method: "GET",
      url: `/api/organisations?q=${encodeURIComponent("测试精密")}`,
    });
    expect(list.json().total).toBe(1);
    const enterprise = await login(t.app, "enterprise");
    const own = await enterprise.request({ method: "GET", url: "/api/organisations" });
    expect(own.json().total).toBe(1);
    expect(own.json().items[0].id).toBe(
      (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope.id,
    );
    const other = list.json().items[0].id;
    expect(
      (await enterprise.request({ method: "GET", url: `/api/organisations/${other}` })).statusCode,
    ).toBe(404);
  });
});

describe("organisation export", () => {
  it("exports what the list shows as XLSX", async () => {
    const res = await gw.request({
      method: "GET",
      url: `/api/organisations/export.xlsx?q=${encodeURIComponent("测试精密")}`,
    });
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.rowCount).toBe(2);
    expect(ws?.getRow(2).getCell(1).value).toBe("苏州测试精密制造有限公司");
    expect(ws?.getRow(2).getCell(8).value).toBe("139****5678");
    expect(ws?.getRow(1).getCell(10).value).toBe("所属网格");
    expect(ws?.getRow(2).getCell(10).value).toBeTruthy();
  });
});

describe("organisation list filters, sorting and industries", () => {
  let coordinator: Session;
  beforeAll(async () => {
    coordinator = await login(t.app, "coordinator");
  });

  it("filters by association kind and by size, and names each row's grid", async () => {
    const hometown = (
      await coordinator.request({
        method: "GET",
        url: "/api/organisations?kind=association&associationKind=hometown&limit=500",
      })
    ).json();
    expect(hometown.total).toBeGreaterThan(0);
    for (const o of hometown.items) {
      expect(o).toMatchObject({ kind: "association", associationKind: "hometown" });
      expect(o.grid.name).toBeTruthy();
      expect(o.gridPath.endsWith(`/${o.grid.code}/`)).toBe(true);
    }
    const large = (
      await coordinator.request({ method: "GET", url: "/api/organisations?size=large&limit=500" })
    ).json();
    expect(large.total).toBeGreaterThan(0);
    expect(large.items.every((o: { size: string }) => o.size === "large")).toBe(true);
    const bad = await coordinator.request({
      method: "GET",
      url: "/api/organisations?associationKind=guild",
    });
    expect(bad.statusCode).toBe(400);
  });

  it("sorts by headcount and by name, both ways", async () => {
    const get = async (sort: string) =>
      (
        await coordinator.request({
          method: "GET",
          url: `/api/organisations?kind=enterprise&sort=${sort}&limit=30`,
        })
      ).json().items as { name: string; employees: number }[];
    const most = await get("-employees");
    const heads = most.map((o) => o.employees);
    expect(heads).toEqual([...heads].sort((a, b) => b - a));
    expect(heads[0]).toBeGreaterThan(0);
    const least = await get("employees");
    expect(least[0]?.employees).toBeLessThanOrEqual(heads[heads.length - 1] ?? 0);
    // Names sort in the database's collation: descending is ascending reversed.
    const byName = async (sort: string) =>
      (
        await coordinator.request({
          method: "GET",
          url: `/api/organisations?kind=association&sort=${sort}&limit=500`,
        })
      )
        .json()
        .items.map((o: { id: string }) => o.id);
    const asc = await byName("name");
    expect(asc.length).toBeGreaterThan(2);
    expect(await byName("-name")).toEqual([...asc].reverse());
  });

  it("lists the industries in scope, most common first, and filters by one", async () => {
    const res = await coordinator.request({ method: "GET", url: "/api/organisations/industries" });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { industry: string; count: number }[];
    expect(items.length).toBeGreaterThan(2);
    expect(items.map((i) => i.count)).toEqual(items.map((i) => i.count).sort((a, b) => b - a));
    const top = items[0] as { industry: string; count: number };
    const list = (
      await coordinator.request({
        method: "GET",
        url: `/api/organisations?industry=${encodeURIComponent(top.industry)}&limit=1`,
      })
    ).json();
    expect(list.total).toBe(top.count);
    const enterprise = await login(t.app, "enterprise");
    const own = (
      await enterprise.request({ method: "GET", url: "/api/organisations/industries" })
    ).json();
    expect(own.items).toEqual([{ industry: "电子信息", count: 1 }]);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/organisations/industries" })).statusCode,
    ).toBe(401);
  });
});

describe("organisation detail, employees and rental units", () => {
  it("names the areas down to the grid, counts landlord units, and lists its employees", async () => {
    const coordinator = await login(t.app, "coordinator");
    const top = (
      await coordinator.request({
        method: "GET",
        url: "/api/organisations?kind=enterprise&sort=-employees&limit=1",
      })
    ).json().items[0];
    const res = await coordinator.request({ method: "GET", url: `/api/organisations/${top.id}` });
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.areas.map((a: { level: string }) => a.level)).toEqual([
      "district",
      "street",
      "community",
      "grid",
    ]);
    expect(o.areas[3]).toMatchObject({ code: o.grid.code, name: o.grid.name });
    expect(o.allowedActions).toEqual(["edit"]);

    // Employees: the residents list filtered by employer (and only those).
    const staff = (
      await coordinator.request({
        method: "GET",
        url: `/api/residents?employerId=${top.id}&limit=500`,
      })
    ).json();
    expect(staff.total).toBeGreaterThanOrEqual(top.employees);
    expect(staff.total).toBeGreaterThan(0);
    expect(staff.items.every((r: { employer: { id: string } }) => r.employer.id === top.id)).toBe(
      true,
    );

    // Rental units: the units list filtered by landlord organisation agrees with the count.
    const units = (
      await coordinator.request({
        method: "GET",
        url: `/api/units?landlordOrganisationId=${top.id}&limit=500`,
      })
    ).json();
    expect(units.total).toBe(o.landlordUnits);
    for (const u of units.items)
      expect(u.landlord).toMatchObject({ kind: "organisation", id: top.id });
    const all = (await coordinator.request({ method: "GET", url: "/api/units?limit=1" })).json();
    if (o.landlordUnits > 0) expect(all.total).toBeGreaterThan(o.landlordUnits);
  });

  it("a grid worker sees no edit action on an organisation they may read but not change", async () => {
    const enterprise = await login(t.app, "enterprise");
    const id = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json().grants[0]
      .scope.id;
    const own = (
      await enterprise.request({ method: "GET", url: `/api/organisations/${id}` })
    ).json();
    expect(own.allowedActions).toEqual([]);
    const patch = await enterprise.request({
      method: "PATCH",
      url: `/api/organisations/${id}`,
      payload: { address: "改个地址" },
    });
    expect(patch.statusCode).toBe(403);
  });
});

describe("changing an organisation", () => {
  let orgId = "";
  let otherCode = "";
  beforeAll(async () => {
    const res = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: {
        kind: "enterprise",
        name: "苏州改动测试有限公司",
        uscc: uscc("91320505MA1ABC34D"),
        gridCode,
        safetyOfficerPhone: "13900001111",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    orgId = res.json().id;
    otherCode = uscc("91320505MA1ABC35D");
    const other = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: { kind: "enterprise", name: "苏州占码有限公司", uscc: otherCode, gridCode },
    });
    expect(other.statusCode, other.body).toBe(201);
  });

  const patch = (s: Session, body: unknown, id = orgId) =>
    s.request({ method: "PATCH", url: `/api/organisations/${id}`, payload: body as object });

  it("needs a session", async () => {
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/organisations/${orgId}`,
      payload: { address: "x" },
    });
    expect(res.statusCode).toBe(401);
  });

  it("refuses bad input with the field named", async () => {
    const wrong = otherCode.slice(0, 17) + (otherCode.endsWith("0") ? "1" : "0");
    const badCheck = await patch(gw, { uscc: wrong });
    expect(badCheck.statusCode).toBe(400);
    expect(badCheck.json().error.message).toContain("校验位应为");
    expect((await patch(gw, {})).statusCode).toBe(400);
    expect((await patch(gw, { kind: "association" })).statusCode).toBe(400);
    const cleared = await patch(gw, { uscc: null });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.json().error.details[0].path).toBe("body.uscc");
    const assoc = await patch(gw, { associationKind: "trade" });
    expect(assoc.statusCode).toBe(400);
    expect(assoc.json().error.details[0].path).toBe("body.associationKind");
    expect((await patch(gw, { gridCode: "320505999999999" })).statusCode).toBe(400);
  });

  it("refuses a code another organisation holds", async () => {
    const res = await patch(gw, { uscc: otherCode });
    expect(res.statusCode).toBe(409);
  });

  it("changes the facts, clears emptied ones, and writes one audit row with before and after", async () => {
    const res = await patch(gw, {
      name: "苏州改动测试科技有限公司",
      address: "竹园路 1 号",
      industry: "电子信息",
      size: "small",
      safetyOfficer: "孙八",
      safetyOfficerPhone: "13900002222",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: "苏州改动测试科技有限公司",
      address: "竹园路 1 号",
      size: "small",
      safetyOfficerPhone: "139****2222",
    });
    const cleared = await patch(gw, { address: null, industry: "" });
    expect(cleared.json()).toMatchObject({ address: null, industry: null });

    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("subject_type", "=", "organisation")
      .where("subject_id", "=", orgId)
      .where("action", "=", "organisation.updated")
      .orderBy("id")
      .execute();
    expect(audit).toHaveLength(2);
    const first = audit[0]?.details as {
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    };
    expect(first.after).toMatchObject({
      name: "苏州改动测试科技有限公司",
      size: "small",
      safety_officer_phone_masked: "139****2222",
    });
    expect(first.before).toMatchObject({ name: "苏州改动测试有限公司", size: null });
    expect(JSON.stringify(audit)).not.toContain("13900002222");
    expect(JSON.stringify(audit)).not.toContain("safety_officer_phone_enc");

    // Sending what is already stored changes nothing and logs nothing.
    const same = await patch(gw, {
      name: "苏州改动测试科技有限公司",
      safetyOfficerPhone: "13900002222",
    });
    expect(same.statusCode).toBe(200);
    const after = await t.database.db
      .selectFrom("audit_log")
      .select("id")
      .where("subject_id", "=", orgId)
      .where("action", "=", "organisation.updated")
      .execute();
    expect(after).toHaveLength(2);
  });

  it("answers 404 for an organisation outside the grid worker's area, like a missing one", async () => {
    const coordinator = await login(t.app, "coordinator");
    const outside = (
      await coordinator.request({ method: "GET", url: "/api/organisations?limit=500" })
    )
      .json()
      .items.find((o: { gridPath: string }) => !o.gridPath.includes(`/${gridCode}/`));
    expect(outside).toBeDefined();
    expect((await patch(gw, { address: "越界" }, outside.id)).statusCode).toBe(404);
    expect((await patch(gw, { address: "不存在" }, "999999999")).statusCode).toBe(404);
    // The coordinator may change it (district-wide) and move it into another grid.
    const res = await patch(coordinator, { address: "新地址 8 号", gridCode }, outside.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().grid.code).toBe(gridCode);
  });
});
