/**
 * District reports over the seeded demo district: every route unauthenticated,
 * out of scope, with bad input and on the happy path; the figures are the
 * coordination centre's; the stored workbook's sheets; the schedule job made
 * once per area and period even by two runs at once.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import {
  addDays,
  lastCompletePeriod,
  periodOf,
  periodRange,
} from "../../../shared/report-periods.js";
import type { KpiResponse, ScorecardResponse } from "../../../shared/schemas/coordination.js";
import type {
  ReportContent,
  ReportDetail,
  ReportSchedule,
  ReportSummary,
} from "../../../shared/schemas/reports.js";
import { chinaDay } from "../coordination/coordination.service.js";
import { runReportSchedules } from "./reports.service.js";

let t: TestApp;
let coord: Session;
let admin: Session;
let officer: Session;
let resident: Session;
let streetCoord: Session;
let district: { id: string; name: string };
let street: { id: string; name: string; path: string };
let otherStreet: { id: string; name: string };
let grid: { id: string };

const today = () => chinaDay(new Date());

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const areas = await db
    .selectFrom("areas")
    .select(["id", "name", "path", "level", "code"])
    .where("level", "in", ["district", "street", "grid"])
    .orderBy("code")
    .execute();
  const d = areas.find((a) => a.level === "district");
  const streets = areas.filter((a) => a.level === "street");
  const g = areas.find((a) => a.level === "grid" && a.path.startsWith(streets[0]?.path ?? "-"));
  if (!d || streets.length < 2 || !g) throw new Error("demo areas missing");
  district = d;
  street = streets[0] as (typeof streets)[number];
  otherStreet = streets[1] as (typeof streets)[number];
  grid = g;
  // A coordinator of one street only, with the demo password.
  const model = await db
    .selectFrom("users")
    .select("password_hash")
    .where("username", "=", "coordinator")
    .executeTakeFirstOrThrow();
  const u = await db
    .insertInto("users")
    .values({
      username: "street-coord",
      password_hash: model.password_hash,
      display_name: "街道协调员",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("role_grants")
    .values({ user_id: u.id, role: "coordinator", scope_kind: "area", area_id: street.id })
    .execute();
  [coord, admin, officer, resident, streetCoord] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "admin"),
    login(t.app, "officer"),
    login(t.app, "resident"),
    login(t.app, "street-coord"),
  ]);
});
afterAll(() => t.close());

type Method = "GET" | "POST" | "PATCH" | "DELETE";

async function call<T>(s: Session | null, method: Method, url: string, payload?: object) {
  const res = s
    ? await s.request({ method, url, ...(payload ? { payload } : {}) })
    : await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T, raw: res };
}

describe("access", () => {
  it("asks for a login on every route", async () => {
    const schedule = { areaId: "1", kind: "weekly", recipientIds: ["1"] };
    const routes: [Method, string, object?][] = [
      ["GET", "/api/reports/preview"],
      ["GET", "/api/reports"],
      ["POST", "/api/reports", { kind: "weekly" }],
      ["GET", "/api/reports/1"],
      ["GET", "/api/reports/1.xlsx"],
      ["GET", "/api/reports/schedules"],
      ["POST", "/api/reports/schedules", schedule],
      ["PATCH", "/api/reports/schedules/1", { version: 1, active: false }],
      ["DELETE", "/api/reports/schedules/1"],
      ["GET", "/api/reports/recipients?areaId=1"],
    ];
    for (const [method, url, body] of routes) {
      const r = await call(null, method, url, body);
      expect(r.status, `${method} ${url}`).toBe(401);
    }
  });

  it("is for the coordination centre: officers and residents are refused", async () => {
    for (const s of [officer, resident]) {
      expect((await call(s, "GET", "/api/reports/preview")).status).toBe(403);
      expect((await call(s, "GET", "/api/reports")).status).toBe(403);
      expect((await call(s, "POST", "/api/reports", { kind: "weekly" })).status).toBe(403);
      expect((await call(s, "GET", "/api/reports/schedules")).status).toBe(403);
    }
  });

  it("keeps a street's coordinator inside their street", async () => {
    const wide = await call(streetCoord, "GET", `/api/reports/preview?areaId=${district.id}`);
    expect(wide.status).toBe(403);
    const other = await call(streetCoord, "POST", "/api/reports", {
      kind: "monthly",
      areaId: otherStreet.id,
    });
    expect(other.status).toBe(403);
    // Their default is their own street.
    const own = await call<ReportContent>(streetCoord, "GET", "/api/reports/preview");
    expect(own.status).toBe(200);
    expect(own.body.area).toMatchObject({ id: street.id, name: street.name, level: "street" });
    expect(own.body.areas.level).toBe("community");
  });
});

describe("bad input", () => {
  it("names the field that is wrong", async () => {
    const cases: [string, string][] = [
      ["/api/reports/preview?kind=daily", "kind"],
      ["/api/reports/preview?kind=monthly&period=2026-13", "period"],
      ["/api/reports/preview?kind=weekly&period=2026-11", "period"],
      ["/api/reports/preview?kind=weekly&period=2025-W53", "period"],
      ["/api/reports/preview?areaId=abc", "areaId"],
    ];
    for (const [url, field] of cases) {
      const r = await call<{ error: { id: string; details: { path: string }[] } }>(
        coord,
        "GET",
        url,
      );
      expect(r.status, url).toBe(400);
      expect(JSON.stringify(r.body.error.details), url).toContain(field);
    }
    const future = periodOf("monthly", addDays(today(), 40));
    const r = await call<{ error: { message: string } }>(
      coord,
      "GET",
      `/api/reports/preview?kind=monthly&period=${future}`,
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("尚未开始");
    const g = await call<{ error: { message: string } }>(
      coord,
      "GET",
      `/api/reports/preview?areaId=${grid.id}`,
    );
    expect(g.status).toBe(400);
    expect(g.body.error.message).toContain("网格不单独生成报告");
    expect((await call(coord, "GET", "/api/reports/preview?areaId=999999999")).status).toBe(404);
    expect(
      (await call(coord, "POST", "/api/reports", { kind: "weekly", extra: true })).status,
    ).toBe(400);
  });
});

describe("content", () => {
  it("takes its figures from the coordination centre, against the period before", async () => {
    const period = lastCompletePeriod("weekly", today());
    const range = periodRange("weekly", period) as { from: string; to: string };
    const r = await call<ReportContent>(coord, "GET", "/api/reports/preview?kind=weekly");
    expect(r.status).toBe(200);
    const c = r.body;
    expect(c).toMatchObject({
      kind: "weekly",
      period,
      from: range.from,
      to: range.to,
      complete: true,
    });
    expect(c.area).toMatchObject({ id: district.id, level: "district" });
    const kpis = await call<KpiResponse>(
      coord,
      "GET",
      `/api/coordination/kpis?from=${range.from}&to=${range.to}`,
    );
    const before = periodRange("weekly", c.previous.period) as { from: string; to: string };
    const prev = await call<KpiResponse>(
      coord,
      "GET",
      `/api/coordination/kpis?from=${before.from}&to=${before.to}`,
    );
    const line = (k: string) => c.kpis.find((x) => x.key === k);
    expect(line("received")).toMatchObject({
      value: kpis.body.figures.received,
      previous: prev.body.figures.received,
      change: kpis.body.figures.received - prev.body.figures.received,
    });
    expect(line("resolveOnTimeRate")?.value).toBe(kpis.body.figures.resolveOnTimeRate);
    expect(kpis.body.figures.received).toBeGreaterThan(0);
    // Sub-areas: the district's streets, adding up to the district.
    expect(c.areas.level).toBe("street");
    expect(c.areas.items.length).toBeGreaterThan(1);
    expect(c.areas.items.reduce((s, a) => s + a.received, 0)).toBe(kpis.body.figures.received);
    // Scorecards: the best first, the same ranking as 部门考核.
    const cards = await call<ScorecardResponse>(
      coord,
      "GET",
      `/api/coordination/scorecards?from=${range.from}&to=${range.to}`,
    );
    expect(c.scorecards.top[0]?.departmentId).toBe(cards.body.items[0]?.departmentId);
    expect(c.scorecards.from).toBe(cards.body.from);
    // A week's breakdowns are whole months, and the notes say so.
    expect(c.departments.from.endsWith("-01")).toBe(true);
    expect(c.families.basis).toBe("daily");
    expect(c.notes.join()).toContain("按自然月汇总");
    expect(c.highlights[0]).toMatch(/^本周共受理事件 \d+ 件/);
    expect(c.highlights.length).toBeGreaterThan(2);
  });

  it("marks a period still running as incomplete, counted to today", async () => {
    const month = periodOf("monthly", today());
    const r = await call<ReportContent>(
      coord,
      "GET",
      `/api/reports/preview?kind=monthly&period=${month}`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ complete: false, to: today() });
    expect(r.body.notes[0]).toContain("本期尚未结束");
  });
});

describe("stored reports", () => {
  let stored: ReportDetail;

  it("are made once per area, kind and period; the second asks answers 409 with the first", async () => {
    const made = await call<ReportDetail>(coord, "POST", "/api/reports", {
      kind: "weekly",
      areaId: street.id,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    stored = made.body;
    expect(stored).toMatchObject({
      kind: "weekly",
      complete: true,
      source: "manual",
      area: { id: street.id, name: street.name },
      generatedBy: "陈静（区综治中心）",
    });
    expect(stored.headline).toBe(stored.content.highlights[0]);
    const again = await call<{ error: { id: string; details: { reportId: string } } }>(
      coord,
      "POST",
      "/api/reports",
      { kind: "weekly", areaId: street.id },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.details.reportId).toBe(stored.id);
    const rows = await t.database.db
      .selectFrom("reports")
      .select("id")
      .where("area_id", "=", street.id)
      .where("kind", "=", "weekly")
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("are listed and read inside the caller's areas only", async () => {
    const list = await call<{ items: ReportSummary[]; total: number }>(
      coord,
      "GET",
      `/api/reports?areaId=${street.id}`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((x) => x.id)).toContain(stored.id);
    const one = await call<ReportDetail>(admin, "GET", `/api/reports/${stored.id}`);
    expect(one.status).toBe(200);
    expect(one.body.content).toEqual(stored.content);
    // The street's own coordinator sees it; the district's report is not theirs.
    expect((await call(streetCoord, "GET", `/api/reports/${stored.id}`)).status).toBe(200);
    const districtReport = await call<ReportDetail>(coord, "POST", "/api/reports", {
      kind: "monthly",
    });
    expect(districtReport.status).toBe(201);
    expect((await call(streetCoord, "GET", `/api/reports/${districtReport.body.id}`)).status).toBe(
      404,
    );
    expect(
      (await call(streetCoord, "GET", `/api/reports/${districtReport.body.id}.xlsx`)).status,
    ).toBe(404);
    const theirs = await call<{ items: ReportSummary[] }>(streetCoord, "GET", "/api/reports");
    expect(theirs.body.items.map((x) => x.id)).not.toContain(districtReport.body.id);
    expect(theirs.body.items.map((x) => x.id)).toContain(stored.id);
    expect((await call(coord, "GET", "/api/reports/999999999")).status).toBe(404);
  });

  it("download as a workbook of six sheets saying what the page says", async () => {
    const res = await coord.request({ method: "GET", url: `/api/reports/${stored.id}.xlsx` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    expect(decodeURIComponent(String(res.headers["content-disposition"]))).toContain(
      `${street.name}周报-${stored.period}.xlsx`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "概况",
      "分社区",
      "分部门",
      "分类别",
      "考核",
      "协同",
    ]);
    const overview = wb.getWorksheet("概况");
    const texts: string[] = [];
    overview?.eachRow((row) => texts.push(String(row.getCell(1).value ?? "")));
    expect(texts).toContain(`1. ${stored.content.highlights[0]}`);
    const received = stored.content.kpis.find((k) => k.key === "received");
    const line = overview
      ?.getRows(1, overview.rowCount)
      ?.find((r) => r.getCell(1).value === "受理量");
    expect(line?.getCell(2).value).toBe(received?.value);
    const areas = wb.getWorksheet("分社区");
    expect(areas?.rowCount).toBe(stored.content.areas.items.length + 1);
  });

  it("of a period still running are made again in place", async () => {
    const week = periodOf("weekly", today());
    const first = await call<ReportDetail>(coord, "POST", "/api/reports", {
      kind: "weekly",
      period: week,
      areaId: street.id,
    });
    expect(first.status).toBe(201);
    expect(first.body.complete).toBe(false);
    const second = await call<ReportDetail>(coord, "POST", "/api/reports", {
      kind: "weekly",
      period: week,
      areaId: street.id,
    });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.version).toBe(first.body.version + 1);
  });
});

describe("schedules", () => {
  let created: ReportSchedule;

  it("offer the area's coordinators and admins as recipients, by name only", async () => {
    const r = await call<{ items: { id: string; name: string; role: string }[] }>(
      coord,
      "GET",
      `/api/reports/recipients?areaId=${street.id}`,
    );
    expect(r.status).toBe(200);
    const names = r.body.items.map((x) => x.name);
    expect(names).toEqual(
      expect.arrayContaining(["街道协调员", "陈静（区综治中心）", "系统管理员"]),
    );
    expect(JSON.stringify(r.body)).not.toMatch(/1\d{10}/);
    expect(
      (await call(streetCoord, "GET", `/api/reports/recipients?areaId=${otherStreet.id}`)).status,
    ).toBe(403);
  });

  it("are made, refused twice, checked for recipients, paused and removed", async () => {
    const ids = await t.database.db
      .selectFrom("users")
      .select(["id", "username"])
      .where("username", "in", ["street-coord", "coordinator", "resident"])
      .execute();
    const id = (u: string) => ids.find((x) => x.username === u)?.id as string;
    const bad = await call<{ error: { message: string } }>(
      streetCoord,
      "POST",
      "/api/reports/schedules",
      {
        areaId: street.id,
        kind: "monthly",
        recipientIds: [id("resident")],
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("无法查看报告");
    expect(
      (
        await call(streetCoord, "POST", "/api/reports/schedules", {
          areaId: street.id,
          kind: "monthly",
          recipientIds: [],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(streetCoord, "POST", "/api/reports/schedules", {
          areaId: otherStreet.id,
          kind: "monthly",
          recipientIds: [id("coordinator")],
        })
      ).status,
    ).toBe(403);
    const made = await call<ReportSchedule>(streetCoord, "POST", "/api/reports/schedules", {
      areaId: street.id,
      kind: "monthly",
      recipientIds: [id("street-coord"), id("coordinator")],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    created = made.body;
    expect(created).toMatchObject({
      kind: "monthly",
      active: true,
      area: { id: street.id },
      nextPeriod: lastCompletePeriod("monthly", today()),
    });
    expect(created.recipients.map((r) => r.name).sort()).toEqual(
      ["街道协调员", "陈静（区综治中心）"].sort(),
    );
    const twice = await call(streetCoord, "POST", "/api/reports/schedules", {
      areaId: street.id,
      kind: "monthly",
      recipientIds: [id("street-coord")],
    });
    expect(twice.status).toBe(409);

    // The street's coordinator sees their street's schedules; the district's sees all.
    const theirs = await call<{ items: ReportSchedule[] }>(
      streetCoord,
      "GET",
      "/api/reports/schedules",
    );
    expect(theirs.body.items.every((s) => s.area.id === street.id)).toBe(true);
    const all = await call<{ items: ReportSchedule[] }>(coord, "GET", "/api/reports/schedules");
    expect(all.body.items.some((s) => s.area.id === district.id && s.kind === "weekly")).toBe(true);
    const districtSchedule = all.body.items.find(
      (s) => s.area.id === district.id,
    ) as ReportSchedule;
    expect(
      (
        await call(streetCoord, "PATCH", `/api/reports/schedules/${districtSchedule.id}`, {
          version: districtSchedule.version,
          active: false,
        })
      ).status,
    ).toBe(404);

    const paused = await call<ReportSchedule>(
      streetCoord,
      "PATCH",
      `/api/reports/schedules/${created.id}`,
      {
        version: created.version,
        active: false,
      },
    );
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ active: false, version: created.version + 1 });
    const stale = await call(streetCoord, "PATCH", `/api/reports/schedules/${created.id}`, {
      version: created.version,
      active: true,
    });
    expect(stale.status).toBe(409);
    expect(
      (await call(streetCoord, "PATCH", `/api/reports/schedules/${created.id}`, { version: 2 }))
        .status,
    ).toBe(400);
    expect((await call(streetCoord, "DELETE", `/api/reports/schedules/${created.id}`)).status).toBe(
      204,
    );
    expect((await call(streetCoord, "DELETE", `/api/reports/schedules/${created.id}`)).status).toBe(
      404,
    );
  });
});

describe("the reports job", () => {
  it("makes last week's and last month's reports of each scheduled area once, even run twice at once, and tells the recipients", async () => {
    const db = t.database.db;
    const schedules = await db
      .selectFrom("report_schedules")
      .select(["id", "area_id", "kind"])
      .where("active", "=", true)
      .execute();
    expect(schedules.length).toBeGreaterThanOrEqual(3);
    const now = new Date();
    const existing = await db
      .selectFrom("reports")
      .select(["area_id", "kind", "period", "complete"])
      .execute();
    const toMake = schedules.filter(
      (s) =>
        !existing.some(
          (r) =>
            r.area_id === s.area_id &&
            r.kind === s.kind &&
            r.period === lastCompletePeriod(s.kind, today()) &&
            r.complete,
        ),
    );
    expect(toMake.length).toBeGreaterThan(0);
    const before = await db
      .selectFrom("notifications")
      .select("id")
      .where("kind", "=", "report.ready")
      .execute();
    const [a, b] = await Promise.all([
      runReportSchedules({ db }, now),
      runReportSchedules({ db }, now),
    ]);
    expect(a.generated + b.generated).toBe(toMake.length);
    const again = await runReportSchedules({ db }, now);
    expect(again.generated).toBe(0);
    for (const s of schedules) {
      const rows = await db
        .selectFrom("reports")
        .select(["id", "source"])
        .where("area_id", "=", s.area_id)
        .where("kind", "=", s.kind)
        .where("period", "=", lastCompletePeriod(s.kind, today()))
        .execute();
      expect(rows, `${s.kind} ${s.area_id}`).toHaveLength(1);
    }
    const notes = await db
      .selectFrom("notifications as n")
      .innerJoin("users as u", "u.id", "n.user_id")
      .select(["u.username", "n.title", "n.link"])
      .where("n.kind", "=", "report.ready")
      .orderBy("n.id")
      .execute();
    const fresh = notes.slice(before.length);
    // The district's two schedules tell the coordinator and the admin; the street's the coordinator.
    const recipients = await db
      .selectFrom("report_schedule_recipients")
      .select(["schedule_id"])
      .where(
        "schedule_id",
        "in",
        toMake.map((s) => s.id),
      )
      .execute();
    expect(fresh).toHaveLength(recipients.length);
    expect(fresh.every((n) => /^\/coordination\/reports\/\d+$/.test(n.link ?? ""))).toBe(true);
    expect(fresh.some((n) => n.username === "coordinator" && n.title.includes("周报已生成"))).toBe(
      true,
    );
    const scheduled = await call<{ items: ReportSummary[] }>(
      coord,
      "GET",
      "/api/reports?source=schedule",
    );
    expect(scheduled.body.items.length).toBe(toMake.length);
    expect(scheduled.body.items.every((r) => r.generatedBy === "定时生成" && r.complete)).toBe(
      true,
    );
  });
});
