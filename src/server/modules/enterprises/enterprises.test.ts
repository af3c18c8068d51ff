import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestApp,
  DEMO_USERNAMES,
  login,
  type Session,
  type TestApp,
} from "../../../../test/test-app.js";
import { todayInChina } from "../../../shared/dates.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import { usccCheckChar } from "../../../shared/formats/uscc.js";
import { type Boundary, boundaryInteriorPoint } from "../geo/geometry.js";

/** A valid ID number, distinct per `n` (born 1990-01-01 in 合肥市瑶海区). */
const idNo = (n: number) => {
  const first17 = `34010219900101${String(n).padStart(3, "0")}`;
  return first17 + residentIdCheckChar(first17);
};
const wrongCheck = (id: string) => id.slice(0, 17) + (id.endsWith("0") ? "1" : "0");

let t: TestApp;
let coordinator: Session;
let enterprise: Session;
let ownId = "";
let otherId = "";
let gridPoint: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  coordinator = await login(t.app, "coordinator");
  enterprise = await login(t.app, "enterprise");
  ownId = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope
    .id;
  const all = (
    await coordinator.request({ method: "GET", url: "/api/enterprises?limit=500" })
  ).json();
  otherId = all.items.find((e: { id: string }) => e.id !== ownId).id;
  const own = await t.database.db
    .selectFrom("organisations as o")
    .innerJoin("areas as g", "g.id", "o.area_id")
    .select("g.boundary")
    .where("o.id", "=", ownId)
    .executeTakeFirstOrThrow();
  const [lng, lat] = boundaryInteriorPoint(own.boundary as Boundary);
  gridPoint = { lat, lng };
});
afterAll(() => t.close());

function multipart(filename: string, content: Buffer | string) {
  const boundary = "----gongzhi-enterprise-test";
  const type = filename.endsWith(".xlsx")
    ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    : "text/csv";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([
      Buffer.from(head),
      Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

describe("every route needs a caller", () => {
  const site = { name: "厂区", kind: "factory", address: "测试路1号", lat: 31.3, lng: 120.5 };
  const person = { name: "张三", idNumber: idNo(1), hiredOn: "2025-01-01" };
  const routes: [string, string, unknown][] = [
    ["GET", "/api/enterprises", undefined],
    ["GET", "/api/enterprises/1", undefined],
    ["GET", "/api/enterprises/1/sites", undefined],
    ["POST", "/api/enterprises/1/sites", site],
    ["PATCH", "/api/enterprises/1/sites/1", { version: 1, name: "新名" }],
    ["DELETE", "/api/enterprises/1/sites/1", undefined],
    ["GET", "/api/enterprises/1/employees", undefined],
    ["POST", "/api/enterprises/1/employees", person],
    ["PUT", "/api/enterprises/1/employees", { employees: [person] }],
    ["POST", "/api/enterprises/1/employees/import", undefined],
    ["POST", "/api/enterprises/1/employees/1/leave", { leftOn: "2025-02-01" }],
    ["GET", "/api/enterprises/1/workforce", undefined],
    ["GET", "/api/enterprises/1/dormitories", undefined],
    ["POST", "/api/enterprises/1/dormitories/1/occupants", { residentId: "1" }],
    ["GET", "/api/enterprises/1/tasks", undefined],
    ["GET", "/api/enterprises/templates/employees.csv", undefined],
  ];
  it.each(routes)("%s %s answers 401 without a session", async (method, url, payload) => {
    const res = await t.app.inject({
      method: method as "GET",
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    expect(res.statusCode).toBe(401);
  });
});

describe("GET /api/enterprises", () => {
  it("lists the district's enterprises for the coordinator, with counts and grid names", async () => {
    const res = await coordinator.request({ method: "GET", url: "/api/enterprises?limit=500" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const n = await t.database.db
      .selectFrom("organisations")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("kind", "=", "enterprise")
      .executeTakeFirstOrThrow();
    expect(body.total).toBe(n.n);
    for (const e of body.items) {
      expect(e.grid.name).toBeTruthy();
      expect(e.street?.name).toBeTruthy();
      expect(e.warningLevel).toMatch(/none|watch|warning|alarm/);
    }
    // Headcount agrees with the base-data register, which the seed keeps in step.
    const orgs = (
      await coordinator.request({
        method: "GET",
        url: "/api/organisations?kind=enterprise&limit=500",
      })
    ).json();
    const byId = new Map(
      orgs.items.map((o: { id: string; employees: number }) => [o.id, o.employees]),
    );
    const sample = body.items.filter((e: { employees: number }) => e.employees > 0).slice(0, 10);
    expect(sample.length).toBeGreaterThan(0);
    for (const e of sample) expect(e.employees).toBe(byId.get(e.id));
  });

  it("shows an enterprise officer only their own; associations and residents nothing", async () => {
    const own = (await enterprise.request({ method: "GET", url: "/api/enterprises" })).json();
    expect(own.total).toBe(1);
    expect(own.items[0].id).toBe(ownId);
    for (const who of ["association", "resident"]) {
      const s = await login(t.app, who);
      const r = await s.request({ method: "GET", url: "/api/enterprises" });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ items: [], total: 0 });
    }
  });

  it("filters by search, credit code, industry, size and area, and sorts", async () => {
    const all = (
      await coordinator.request({ method: "GET", url: "/api/enterprises?limit=500" })
    ).json().items;
    const first = all[0];
    const byUscc = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises?uscc=${first.uscc.toLowerCase()}`,
      })
    ).json();
    expect(byUscc.items.map((e: { id: string }) => e.id)).toEqual([first.id]);
    const byName = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises?q=${encodeURIComponent(first.name.slice(0, 4))}`,
      })
    ).json();
    expect(byName.items.some((e: { id: string }) => e.id === first.id)).toBe(true);

    const industry = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises?industry=${encodeURIComponent("电子信息")}&size=large&limit=500`,
      })
    ).json();
    expect(industry.total).toBe(
      all.filter(
        (e: { industry: string; size: string }) => e.industry === "电子信息" && e.size === "large",
      ).length,
    );
    const street = first.street.code;
    const inStreet = (
      await coordinator.request({ method: "GET", url: `/api/enterprises?area=${street}&limit=500` })
    ).json();
    expect(inStreet.total).toBe(
      all.filter((e: { street: { code: string } }) => e.street.code === street).length,
    );
    const unknownArea = (
      await coordinator.request({ method: "GET", url: "/api/enterprises?area=999999999" })
    ).json();
    expect(unknownArea.total).toBe(0);

    const sorted = (
      await coordinator.request({ method: "GET", url: "/api/enterprises?sort=-employees&limit=20" })
    ).json().items;
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i - 1].employees).toBeGreaterThanOrEqual(sorted[i].employees);
    const page2 = (
      await coordinator.request({
        method: "GET",
        url: "/api/enterprises?sort=-employees&limit=10&offset=10",
      })
    ).json().items;
    expect(page2.map((e: { id: string }) => e.id)).toEqual(
      sorted.slice(10).map((e: { id: string }) => e.id),
    );
  });

  it("refuses bad filters: a credit code with a wrong check character, an unknown rating", async () => {
    const good = `91320505MA1XWY12A${usccCheckChar("91320505MA1XWY12A")}`;
    const bad = good.slice(0, 17) + (good.endsWith("0") ? "1" : "0");
    const r = await coordinator.request({ method: "GET", url: `/api/enterprises?uscc=${bad}` });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain("校验");
    for (const q of ["rating=E", "warningLevel=red", "sort=size", "limit=0", "area=12"]) {
      expect(
        (await coordinator.request({ method: "GET", url: `/api/enterprises?${q}` })).statusCode,
      ).toBe(400);
    }
  });

  it("reads rating and warning (part C) and open hazards (part B), filters and sorts by them", async () => {
    const db = t.database.db;
    await sql`INSERT INTO enterprise_scores (organisation_id, rating, warning_level, warning_score)
      VALUES (${otherId}, 'D', 'alarm', 90), (${ownId}, 'A', 'none', 5)
      ON CONFLICT (organisation_id) DO UPDATE SET rating = excluded.rating,
        warning_level = excluded.warning_level, warning_score = excluded.warning_score`.execute(db);
    const alarm = (
      await coordinator.request({
        method: "GET",
        url: "/api/enterprises?warningLevel=alarm&limit=500",
      })
    ).json();
    expect(alarm.items.map((e: { id: string }) => e.id)).toContain(otherId);
    for (const e of alarm.items) expect(e.warningLevel).toBe("alarm");
    const d = (
      await coordinator.request({ method: "GET", url: "/api/enterprises?rating=D&limit=500" })
    ).json();
    expect(d.items.every((e: { rating: string }) => e.rating === "D")).toBe(true);
    expect(d.items.map((e: { id: string }) => e.id)).toContain(otherId);
    const worst = (
      await coordinator.request({ method: "GET", url: "/api/enterprises?sort=-warning&limit=1" })
    ).json();
    expect(worst.items[0].warningLevel).toBe("alarm");

    const before = (
      await coordinator.request({ method: "GET", url: `/api/enterprises/${otherId}` })
    ).json();
    const other = await db
      .selectFrom("organisations")
      .select("area_path")
      .where("id", "=", otherId)
      .executeTakeFirstOrThrow();
    await sql`INSERT INTO hazards (organisation_id, area_path, source, level, title, deadline, status, closed_at)
      VALUES (${otherId}, ${other.area_path}, 'staff', 'major', '消防通道堵塞', ${todayInChina()}, 'open', NULL),
             (${otherId}, ${other.area_path}, 'staff', 'general', '灭火器过期', ${todayInChina()}, 'rectifying', NULL),
             (${otherId}, ${other.area_path}, 'staff', 'general', '已整改', ${todayInChina()}, 'closed', now())`.execute(
      db,
    );
    const after = (
      await coordinator.request({ method: "GET", url: `/api/enterprises/${otherId}` })
    ).json();
    expect(after.openHazards - before.openHazards).toBe(2);
    expect(after.majorHazards - before.majorHazards).toBe(1);
    expect(after.rating).toBe("D");
    const most = (
      await coordinator.request({ method: "GET", url: "/api/enterprises?sort=-hazards&limit=1" })
    ).json();
    expect(most.items[0].openHazards).toBeGreaterThanOrEqual(2);
  });
});

describe("GET /api/enterprises/:id", () => {
  it("answers the officer's own profile with sites, headcount and their allowed actions", async () => {
    const res = await enterprise.request({ method: "GET", url: `/api/enterprises/${ownId}` });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.id).toBe(ownId);
    expect(p.areas[0].level).toBe("district");
    expect(p.sites.length).toBeGreaterThan(0);
    expect(p.allowedActions).toEqual(["manageSites", "manageEmployees", "assignDormitory"]);
    const list = (await enterprise.request({ method: "GET", url: "/api/enterprises" })).json();
    expect(p.headcount).toBe(list.items[0].employees);
  });

  it("answers 404 for another enterprise, an association and a missing one", async () => {
    expect(
      (await enterprise.request({ method: "GET", url: `/api/enterprises/${otherId}` })).statusCode,
    ).toBe(404);
    const assoc = await t.database.db
      .selectFrom("organisations")
      .select("id")
      .where("kind", "=", "association")
      .executeTakeFirstOrThrow();
    expect(
      (await coordinator.request({ method: "GET", url: `/api/enterprises/${assoc.id}` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await coordinator.request({ method: "GET", url: "/api/enterprises/999999999" })).statusCode,
    ).toBe(404);
    expect(
      (await coordinator.request({ method: "GET", url: "/api/enterprises/abc" })).statusCode,
    ).toBe(400);
  });
});

describe("sites", () => {
  it("adds a site placed in its grid, refuses a duplicate, a stale edit and an unknown place", async () => {
    const url = `/api/enterprises/${ownId}/sites`;
    const created = await enterprise.request({
      method: "POST",
      url,
      payload: { name: "二号仓库", kind: "warehouse", address: "测试路1号", ...gridPoint },
    });
    expect(created.statusCode, created.body).toBe(201);
    const site = created.json();
    expect(site).toMatchObject({ name: "二号仓库", kind: "warehouse", active: true, version: 1 });
    expect(site.grid.name).toBeTruthy();

    const dup = await enterprise.request({
      method: "POST",
      url,
      payload: { name: "二号仓库", kind: "warehouse", address: "测试路1号", ...gridPoint },
    });
    expect(dup.statusCode).toBe(409);

    const nowhere = await enterprise.request({
      method: "POST",
      url,
      payload: { name: "三号仓库", kind: "warehouse", address: "不存在路999号" },
    });
    expect(nowhere.statusCode).toBe(400);
    const outside = await enterprise.request({
      method: "POST",
      url,
      payload: { name: "三号仓库", kind: "warehouse", address: "外地", lat: 39.9, lng: 116.4 },
    });
    expect(outside.statusCode).toBe(400);
    const half = await enterprise.request({
      method: "POST",
      url,
      payload: { name: "三号仓库", kind: "warehouse", address: "测试路1号", lat: gridPoint.lat },
    });
    expect(half.statusCode).toBe(400);
    const badKind = await enterprise.request({
      method: "POST",
      url,
      payload: { name: "三号仓库", kind: "castle", address: "测试路1号", ...gridPoint },
    });
    expect(badKind.statusCode).toBe(400);

    const renamed = await enterprise.request({
      method: "PATCH",
      url: `${url}/${site.id}`,
      payload: { version: 1, name: "二号成品仓库" },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: "二号成品仓库", version: 2 });
    const stale = await enterprise.request({
      method: "PATCH",
      url: `${url}/${site.id}`,
      payload: { version: 1, kind: "office" },
    });
    expect(stale.statusCode).toBe(409);

    const removed = await enterprise.request({ method: "DELETE", url: `${url}/${site.id}` });
    expect(removed.statusCode).toBe(204);
    const active = (await enterprise.request({ method: "GET", url })).json();
    expect(active.items.some((s: { id: string }) => s.id === site.id)).toBe(false);
    const all = (await enterprise.request({ method: "GET", url: `${url}?all=true` })).json();
    expect(all.items.find((s: { id: string }) => s.id === site.id)?.active).toBe(false);
    // The name is free again once the site is gone.
    const again = await enterprise.request({
      method: "POST",
      url,
      payload: { name: "二号成品仓库", kind: "warehouse", address: "测试路1号", ...gridPoint },
    });
    expect(again.statusCode).toBe(201);
  });

  it("lets the coordinator keep sites of enterprises in the area; others get 404 or 403", async () => {
    const r = await coordinator.request({
      method: "POST",
      url: `/api/enterprises/${otherId}/sites`,
      payload: { name: "东区工地", kind: "construction_site", address: "测试路2号", ...gridPoint },
    });
    expect(r.statusCode).toBe(201);
    const out = await enterprise.request({
      method: "POST",
      url: `/api/enterprises/${otherId}/sites`,
      payload: { name: "越权", kind: "office", address: "测试路3号", ...gridPoint },
    });
    expect(out.statusCode).toBe(404);
    const assoc = await login(t.app, "association");
    expect(
      (await assoc.request({ method: "GET", url: `/api/enterprises/${ownId}/sites` })).statusCode,
    ).toBe(404);
  });
});

describe("workforce", () => {
  const hire = (s: Session, org: string, payload: Record<string, unknown>) =>
    s.request({ method: "POST", url: `/api/enterprises/${org}/employees`, payload });

  it("hires a new person, registers them as a resident and makes the enterprise their employer", async () => {
    const res = await hire(enterprise, ownId, {
      name: "周新",
      idNumber: idNo(101),
      phone: "13900000101",
      hiredOn: "2026-01-05",
      position: "操作工",
    });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({
      name: "周新",
      hiredOn: "2026-01-05",
      position: "操作工",
      source: "staff",
      current: true,
      phone: "139****0101",
    });
    expect(e.idNumber).not.toContain(idNo(101).slice(6, 14));
    const r = await t.database.db
      .selectFrom("residents")
      .select(["employer_id", "origin_province"])
      .where("id", "=", e.residentId)
      .executeTakeFirstOrThrow();
    expect(r.employer_id).toBe(ownId);
    expect(r.origin_province).toBe("安徽省");
    const list = (
      await enterprise.request({
        method: "GET",
        url: `/api/enterprises/${ownId}/employees?q=${encodeURIComponent("周新")}`,
      })
    ).json();
    expect(list.items.map((x: { residentId: string }) => x.residentId)).toEqual([e.residentId]);

    // A second submission of the same hire is a conflict, not a second employment.
    const twice = await hire(enterprise, ownId, {
      name: "周新",
      idNumber: idNo(101),
      hiredOn: "2026-01-05",
    });
    expect(twice.statusCode).toBe(409);
  });

  it("refuses an invalid ID number, a future hire date and a name that differs from the register", async () => {
    const bad = await hire(enterprise, ownId, {
      name: "吴错",
      idNumber: wrongCheck(idNo(102)),
      hiredOn: "2026-01-05",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain("校验");
    const future = await hire(enterprise, ownId, {
      name: "吴未来",
      idNumber: idNo(103),
      hiredOn: "2099-01-01",
    });
    expect(future.statusCode).toBe(400);
    const other = await hire(enterprise, ownId, {
      name: "李冒名",
      idNumber: idNo(101),
      hiredOn: "2026-02-01",
    });
    expect(other.statusCode).toBe(409);
    const gone = await t.database.db
      .selectFrom("residents")
      .select("id")
      .where("name", "in", ["吴错", "吴未来", "李冒名"])
      .execute();
    expect(gone).toEqual([]);
  });

  it("records a leave: not before the hire date, then the person is a former employee", async () => {
    const e = (
      await hire(enterprise, ownId, { name: "郑离", idNumber: idNo(104), hiredOn: "2025-03-01" })
    ).json();
    const url = `/api/enterprises/${ownId}/employees/${e.residentId}/leave`;
    const early = await enterprise.request({
      method: "POST",
      url,
      payload: { leftOn: "2025-02-01" },
    });
    expect(early.statusCode).toBe(400);
    const badDate = await enterprise.request({
      method: "POST",
      url,
      payload: { leftOn: "yesterday" },
    });
    expect(badDate.statusCode).toBe(400);
    const ok = await enterprise.request({ method: "POST", url, payload: { leftOn: "2026-02-28" } });
    expect(ok.statusCode).toBe(204);
    const again = await enterprise.request({
      method: "POST",
      url,
      payload: { leftOn: "2026-02-28" },
    });
    expect(again.statusCode).toBe(404);
    const left = (
      await enterprise.request({
        method: "GET",
        url: `/api/enterprises/${ownId}/employees?status=left`,
      })
    ).json();
    expect(
      left.items.find((x: { residentId: string }) => x.residentId === e.residentId),
    ).toMatchObject({
      leftOn: "2026-02-28",
      current: false,
    });
    const current = (
      await enterprise.request({
        method: "GET",
        url: `/api/enterprises/${ownId}/employees?limit=500`,
      })
    ).json();
    expect(current.items.some((x: { residentId: string }) => x.residentId === e.residentId)).toBe(
      false,
    );
    const r = await t.database.db
      .selectFrom("residents")
      .select("employer_id")
      .where("id", "=", e.residentId)
      .executeTakeFirstOrThrow();
    expect(r.employer_id).toBe(null);
  });

  it("keeps hiring out of reach of other enterprises and read-only roles", async () => {
    expect(
      (
        await hire(enterprise, otherId, {
          name: "越权",
          idNumber: idNo(105),
          hiredOn: "2026-01-01",
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await enterprise.request({ method: "GET", url: `/api/enterprises/${otherId}/employees` }))
        .statusCode,
    ).toBe(404);
  });

  it("counts the workforce by origin and by month", async () => {
    const w = (
      await enterprise.request({ method: "GET", url: `/api/enterprises/${ownId}/workforce` })
    ).json();
    const list = (
      await enterprise.request({
        method: "GET",
        url: `/api/enterprises/${ownId}/employees?limit=1`,
      })
    ).json();
    expect(w.headcount).toBe(list.total);
    expect(w.byOrigin.reduce((n: number, o: { count: number }) => n + o.count, 0)).toBe(
      w.headcount,
    );
    expect(w.months).toHaveLength(12);
    expect(w.months[11].month).toBe(todayInChina().slice(0, 7));
    const jan = w.months.find((m: { month: string }) => m.month === "2026-01");
    if (jan) expect(jan.hires).toBeGreaterThanOrEqual(1);
    const feb = w.months.find((m: { month: string }) => m.month === "2026-02");
    if (feb) expect(feb.leavers).toBeGreaterThanOrEqual(1);
  });
});

describe("employee import", () => {
  const url = () => `/api/enterprises/${ownId}/employees/import`;
  const header = "姓名,身份证号,手机号,入职日期,离职日期,岗位";

  it("imports the good rows and reports each bad one by row number and reason; a second import changes nothing", async () => {
    const csv = [
      header,
      `钱一,${idNo(201)},13900000201,2025-05-06,,操作工`,
      `孙二,${wrongCheck(idNo(202))},,2025-05-06,,操作工`,
      `李三,${idNo(203)},,2025/13/01,,质检员`,
      `周四,${idNo(204)},,2025-05-06,2025-04-01,`,
      `吴五,${idNo(205)},,2024年7月1日,2025年12月31日,叉车司机`,
      `钱一,${idNo(201)},13900000201,2025-05-06,,操作工`,
    ].join("\n");
    const res = await enterprise.request({
      method: "POST",
      url: url(),
      ...multipart("员工.csv", csv),
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({
      received: 6,
      residentsCreated: 2,
      hired: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(r.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5, 7]);
    expect(r.errors[0].reason).toContain("身份证号");
    expect(r.errors[1].reason).toContain("入职日期");
    expect(r.errors[2].reason).toContain("离职日期早于入职日期");
    expect(r.errors[3].reason).toContain("重复");

    const again = (
      await enterprise.request({ method: "POST", url: url(), ...multipart("员工.csv", csv) })
    ).json();
    expect(again).toMatchObject({ residentsCreated: 0, hired: 0, updated: 0, unchanged: 2 });

    const left = (
      await enterprise.request({
        method: "GET",
        url: `/api/enterprises/${ownId}/employees?status=left&q=${encodeURIComponent("吴五")}`,
      })
    ).json();
    expect(left.items[0]).toMatchObject({
      hiredOn: "2024-07-01",
      leftOn: "2025-12-31",
      source: "import",
    });
  });

  it("reads the XLSX template filled in", async () => {
    const tpl = await enterprise.request({
      method: "GET",
      url: "/api/enterprises/templates/employees.xlsx",
    });
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error("no sheet");
    expect(ws.getRow(1).values).toEqual([
      undefined,
      "姓名",
      "身份证号",
      "手机号",
      "入职日期",
      "离职日期",
      "岗位",
    ]);
    ws.spliceRows(2, 1);
    ws.addRow(["王六", idNo(206), "", "2026-03-02", "", "班组长"]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await enterprise.request({
      method: "POST",
      url: url(),
      ...multipart("名册.xlsx", file),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ received: 1, hired: 1, errors: [] });

    const csvTpl = await enterprise.request({
      method: "GET",
      url: "/api/enterprises/templates/employees.csv",
    });
    expect(csvTpl.body.replace(/^\uFEFF/, "").split(/\r?\n/)[0]).toBe(header);
  });

  it("refuses a file with the wrong headers, an empty file and one that is not a spreadsheet", async () => {
    const wrong = await enterprise.request({
      method: "POST",
      url: url(),
      ...multipart("x.csv", "名字,证件\n张三,1\n"),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain("身份证号");
    const empty = await enterprise.request({
      method: "POST",
      url: url(),
      ...multipart("x.csv", ""),
    });
    expect(empty.statusCode).toBe(400);
    const binary = await enterprise.request({
      method: "POST",
      url: url(),
      ...multipart("x.csv", Buffer.from([0, 1, 2, 3, 0, 0])),
    });
    expect(binary.statusCode).toBe(400);
    const json = await enterprise.request({ method: "POST", url: url(), payload: {} });
    expect(json.statusCode).toBe(400);
  });
});

describe("HR-system push (PUT /api/enterprises/:id/employees)", () => {
  let bearer: { authorization: string };
  beforeAll(async () => {
    const admin = await login(t.app, "admin");
    const created = await admin.request({
      method: "POST",
      url: "/api/admin/tokens",
      payload: { name: "某厂 HR 系统", scopes: ["employees:write"] },
    });
    bearer = { authorization: `Bearer ${created.json().token}` };
  });
  const push = (org: string, employees: unknown[], headers: Record<string, string>) =>
    t.app.inject({
      method: "PUT",
      url: `/api/enterprises/${org}/employees`,
      headers,
      payload: { employees },
    });

  it("upserts idempotently: the same push twice changes nothing, a leave date updates", async () => {
    const records = [
      { idNumber: idNo(301), name: "冯一", hiredOn: "2025-09-01", position: "操作工" },
      { idNumber: idNo(302), name: "陈二", phone: "13900000302", hiredOn: "2025-10-08" },
      { idNumber: wrongCheck(idNo(303)), name: "褚三", hiredOn: "2025-10-08" },
    ];
    const first = await push(otherId, records, bearer);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      received: 3,
      residentsCreated: 2,
      hired: 2,
      unchanged: 0,
    });
    expect(first.json().errors).toEqual([{ row: 2, reason: expect.stringContaining("身份证号") }]);

    const second = (await push(otherId, records, bearer)).json();
    expect(second).toMatchObject({ residentsCreated: 0, hired: 0, updated: 0, unchanged: 2 });
    const count = await t.database.db
      .selectFrom("employments")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("organisation_id", "=", otherId)
      .where("source", "=", "api")
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(2);

    const leaving = (await push(otherId, [{ ...records[0], leftOn: "2026-03-31" }], bearer)).json();
    expect(leaving).toMatchObject({ hired: 0, updated: 1 });
    const who = await t.database.db
      .selectFrom("residents")
      .select(["name", "employer_id"])
      .where("name", "in", ["冯一", "陈二"])
      .orderBy("name")
      .execute();
    expect(who).toEqual([
      { name: "冯一", employer_id: null },
      { name: "陈二", employer_id: otherId },
    ]);
  });

  it("a person hired by another enterprise moves their employer; the earlier job stays on record", async () => {
    const res = await enterprise.request({
      method: "POST",
      url: `/api/enterprises/${ownId}/employees`,
      payload: { name: "陈二", idNumber: idNo(302), hiredOn: "2026-04-01" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = await t.database.db
      .selectFrom("residents")
      .select("employer_id")
      .where("name", "=", "陈二")
      .executeTakeFirstOrThrow();
    expect(r.employer_id).toBe(ownId);
    // Two jobs at once: the other enterprise still counts them.
    const other = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises/${otherId}/employees?q=${encodeURIComponent("陈二")}`,
      })
    ).json();
    expect(other.total).toBe(1);
  });

  it("refuses tokens without the scope, unknown enterprises and bad bodies", async () => {
    const admin = await login(t.app, "admin");
    const weak = (
      await admin.request({
        method: "POST",
        url: "/api/admin/tokens",
        payload: { name: "只读", scopes: ["areas:read"] },
      })
    ).json().token;
    const records = [{ idNumber: idNo(304), name: "卫四", hiredOn: "2025-09-01" }];
    expect((await push(otherId, records, { authorization: `Bearer ${weak}` })).statusCode).toBe(
      404,
    );
    expect((await push("999999999", records, bearer)).statusCode).toBe(404);
    expect((await push(otherId, [], bearer)).statusCode).toBe(400);
    expect((await push(otherId, [{ name: "无号" }], bearer)).statusCode).toBe(400);
    // The token reads nothing else.
    expect(
      (await t.app.inject({ method: "GET", url: `/api/enterprises/${otherId}`, headers: bearer }))
        .statusCode,
    ).toBe(404);
    // An enterprise officer may push their own records, not another's.
    const own = await enterprise.request({
      method: "PUT",
      url: `/api/enterprises/${otherId}/employees`,
      payload: { employees: records },
    });
    expect(own.statusCode).toBe(404);
  });
});

describe("dormitories", () => {
  let dormOrg = "";
  beforeAll(async () => {
    const r = await t.database.db
      .selectFrom("units")
      .select(["landlord_organisation_id", sql<number>`count(*)::int`.as("n")])
      .where("landlord_organisation_id", "is not", null)
      .where(sql<boolean>`address LIKE '%员工%'`)
      .groupBy("landlord_organisation_id")
      .orderBy(sql`count(*)`, "desc")
      .executeTakeFirstOrThrow();
    dormOrg = r.landlord_organisation_id as string;
  });

  it("lists the rooms with capacity, occupants and the overcrowding rule, and totals", async () => {
    const res = await coordinator.request({
      method: "GET",
      url: `/api/enterprises/${dormOrg}/dormitories?limit=500`,
    });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.total).toBe(d.totals.rooms);
    expect(d.items.length).toBe(d.total);
    expect(d.items.reduce((n: number, r: { occupants: number }) => n + r.occupants, 0)).toBe(
      d.totals.occupants,
    );
    // The rooms' flags (assessOvercrowding) and the SQL totals and filter agree.
    const flagged = d.items.filter(
      (r: { overcrowding: { overcrowded: boolean } }) => r.overcrowding.overcrowded,
    );
    expect(flagged.length).toBe(d.totals.overcrowdedRooms);
    const only = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises/${dormOrg}/dormitories?overcrowded=true&limit=500`,
      })
    ).json();
    expect(only.total).toBe(flagged.length);
    const not = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises/${dormOrg}/dormitories?overcrowded=false&limit=1`,
      })
    ).json();
    expect(not.total).toBe(d.total - flagged.length);
    for (const r of d.items) expect(r.people.length + r.hiddenOccupants).toBe(r.occupants);
    expect(
      (
        await coordinator.request({
          method: "GET",
          url: `/api/enterprises/${dormOrg}/dormitories?overcrowded=yes`,
        })
      ).statusCode,
    ).toBe(400);
  });

  it("houses a current employee in a room; refuses non-employees, other units and a second time", async () => {
    const e = (
      await coordinator.request({
        method: "POST",
        url: `/api/enterprises/${dormOrg}/employees`,
        payload: { name: "蒋宿", idNumber: idNo(401), hiredOn: "2026-01-10" },
      })
    ).json();
    const rooms = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises/${dormOrg}/dormitories?limit=1`,
      })
    ).json();
    const room = rooms.items[0];
    const url = `/api/enterprises/${dormOrg}/dormitories/${room.unitId}/occupants`;
    const res = await coordinator.request({
      method: "POST",
      url,
      payload: { residentId: e.residentId },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().occupants).toBe(room.occupants + 1);
    expect(
      res
        .json()
        .people.some(
          (p: { residentId: string; employee: boolean }) =>
            p.residentId === e.residentId && p.employee,
        ),
    ).toBe(true);
    const twice = await coordinator.request({
      method: "POST",
      url,
      payload: { residentId: e.residentId },
    });
    expect(twice.statusCode).toBe(409);

    const stranger = await t.database.db
      .selectFrom("residents")
      .select("id")
      .where("employer_id", "is", null)
      .executeTakeFirstOrThrow();
    const refused = await coordinator.request({
      method: "POST",
      url,
      payload: { residentId: stranger.id },
    });
    expect(refused.statusCode).toBe(400);
    const notDorm = await t.database.db
      .selectFrom("units")
      .select("id")
      .where("landlord_organisation_id", "is", null)
      .executeTakeFirstOrThrow();
    const elsewhere = await coordinator.request({
      method: "POST",
      url: `/api/enterprises/${dormOrg}/dormitories/${notDorm.id}/occupants`,
      payload: { residentId: e.residentId },
    });
    expect(elsewhere.statusCode).toBe(404);
    const future = await coordinator.request({
      method: "POST",
      url,
      payload: { residentId: e.residentId, date: "2099-01-01" },
    });
    expect(future.statusCode).toBe(400);
    // The employee list shows where they live.
    const listed = (
      await coordinator.request({
        method: "GET",
        url: `/api/enterprises/${dormOrg}/employees?q=${encodeURIComponent("蒋宿")}`,
      })
    ).json();
    expect(listed.items[0].dormitory?.unitId).toBe(room.unitId);
  });
});

describe("case tasks", () => {
  it("shows the enterprise the open tasks it was given on cases", async () => {
    const c = await t.database.db
      .selectFrom("cases")
      .select("id")
      .where("status", "in", ["dispatched", "accepted", "in_progress"])
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto("case_parties")
      .values({
        case_id: c.id,
        role: "assist",
        organisation_id: ownId,
        task: "提供宿舍登记簿",
        due_at: new Date(Date.now() - 3600_000),
      })
      .execute();
    const res = await enterprise.request({ method: "GET", url: `/api/enterprises/${ownId}/tasks` });
    expect(res.statusCode).toBe(200);
    const task = res.json().items.find((x: { caseId: string }) => x.caseId === c.id);
    expect(task).toMatchObject({ task: "提供宿舍登记簿", overdue: true });
    expect(
      (await coordinator.request({ method: "GET", url: `/api/enterprises/${ownId}/tasks` }))
        .statusCode,
    ).toBe(200);
    expect(
      (await enterprise.request({ method: "GET", url: `/api/enterprises/${otherId}/tasks` }))
        .statusCode,
    ).toBe(404);
  });
});

describe("permission matrix (demo roles × enterprise in or out of their area × action)", () => {
  type Expect = { see: boolean; manage: boolean };
  const AREA_ROLES = ["admin", "coordinator", "grid_worker", "department_officer"];

  it("answers every role as its grants say", async () => {
    const grants = await t.database.db
      .selectFrom("role_grants as g")
      .innerJoin("users as u", "u.id", "g.user_id")
      .leftJoin("areas as a", "a.id", "g.area_id")
      .leftJoin("departments as d", "d.id", "g.department_id")
      .leftJoin("areas as da", "da.id", "d.area_id")
      .select([
        "u.username",
        "g.role",
        "g.organisation_id",
        sql<string | null>`coalesce(a.path, da.path)`.as("path"),
      ])
      .where("u.username", "in", [...DEMO_USERNAMES])
      .execute();
    const targets = await t.database.db
      .selectFrom("organisations")
      .select(["id", "area_path"])
      .where("id", "in", [ownId, otherId])
      .execute();
    const expected = (user: string, org: { id: string; area_path: string }): Expect => {
      const mine = grants.filter((g) => g.username === user);
      const inArea = mine.some(
        (g) => AREA_ROLES.includes(g.role) && g.path !== null && org.area_path.startsWith(g.path),
      );
      // The enterprise's own people: its safety officer and its manager.
      const officer = mine.some(
        (g) =>
          (g.role === "enterprise_officer" || g.role === "enterprise_manager") &&
          g.organisation_id === org.id,
      );
      return { see: inArea || officer, manage: inArea || officer };
    };
    for (const user of DEMO_USERNAMES) {
      const s = await login(t.app, user);
      for (const org of targets) {
        const want = expected(user, org);
        const detail = await s.request({ method: "GET", url: `/api/enterprises/${org.id}` });
        expect(detail.statusCode, `${user} reads ${org.id}`).toBe(want.see ? 200 : 404);
        const workforce = await s.request({
          method: "GET",
          url: `/api/enterprises/${org.id}/workforce`,
        });
        expect(workforce.statusCode, `${user} workforce ${org.id}`).toBe(want.see ? 200 : 404);
        // A hire dated in the future: 400 once allowed, 403 when seen but not allowed, 404 unseen.
        const write = await s.request({
          method: "POST",
          url: `/api/enterprises/${org.id}/employees`,
          payload: { name: "矩阵", idNumber: idNo(999), hiredOn: "2099-01-01" },
        });
        expect(write.statusCode, `${user} hires at ${org.id}`).toBe(
          !want.see ? 404 : want.manage ? 400 : 403,
        );
        if (want.see && detail.statusCode === 200) {
          expect(detail.json().allowedActions.includes("manageEmployees")).toBe(want.manage);
        }
      }
      const list = (await s.request({ method: "GET", url: "/api/enterprises?limit=500" })).json();
      for (const org of targets) {
        expect(
          list.items.some((e: { id: string }) => e.id === org.id),
          `${user} lists ${org.id}`,
        ).toBe(expected(user, org).see);
      }
    }
  });
});
