import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { todayInChina } from "../../../shared/dates.js";
import { periodOf, shiftPeriod } from "../../../shared/schemas/enterprise-risk.js";
import { findJob } from "../../jobs/registry.js";

let t: TestApp;
let ent: Session;
let coord: Session;
let enterpriseId = "";
let otherId = "";
const current = periodOf();
const today = todayInChina();

const declaration = (o: Record<string, unknown> = {}) => ({
  period: current,
  paidOnTime: true,
  paidOn: today,
  headcountPaid: 40,
  amountDue: 300_000,
  amountPaid: 300_000,
  ...o,
});

/** A department officer of the labour inspection department covering the place. */
async function labourOfficerFor(areaPath: string) {
  const db = t.database.db;
  const dept = await db
    .selectFrom("departments as d")
    .innerJoin("department_areas as da", "da.department_id", "d.id")
    .innerJoin("areas as a", "a.id", "da.area_id")
    .select(["d.id"])
    .where("d.kind", "=", "labour_inspection")
    .where(sql<boolean>`${areaPath} LIKE a.path || '%'`)
    .orderBy(sql`length(a.path)`, "desc")
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({
      username: `labour${dept.id}_${Math.random().toString(36).slice(2, 7)}`,
      password_hash: "x",
      display_name: "劳动监察员",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("role_grants")
    .values({
      user_id: user.id,
      role: "department_officer",
      scope_kind: "department",
      department_id: dept.id,
    })
    .execute();
  return user.id;
}

const notificationsOf = async (userId: string) =>
  t.database.db
    .selectFrom("notifications")
    .select(["kind", "title", "case_id"])
    .where("user_id", "=", userId)
    .execute();

const preventiveCases = (organisationId: string) =>
  t.database.db
    .selectFrom("wage_warning_history")
    .select(["case_id", "level", "previous_level", "case_wanted"])
    .where("organisation_id", "=", organisationId)
    .where("case_id", "is not", null)
    .execute();

async function runJob(name: string, now = new Date()) {
  const job = findJob(name);
  if (!job) throw new Error(`no job ${name}`);
  return job.run({ db: t.database.db, config: t.config, fieldCrypto: t.fieldCrypto }, now);
}

beforeAll(async () => {
  t = await createTestApp();
  ent = await login(t.app, "enterprise");
  coord = await login(t.app, "coordinator");
  enterpriseId = (await ent.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope
    .id;
  const other = await t.database.db
    .selectFrom("organisations")
    .select("id")
    .where("kind", "=", "enterprise")
    .where("id", "<>", enterpriseId)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  otherId = other.id;
});
afterAll(() => t.close());

describe("access", () => {
  it("answers 401 without a session on every route", async () => {
    const { period: _p, ...facts } = declaration();
    for (const [method, url, payload] of [
      ["GET", `/api/enterprises/${enterpriseId}/payroll`, undefined],
      ["POST", `/api/enterprises/${enterpriseId}/payroll`, declaration()],
      [
        "PUT",
        `/api/enterprises/${enterpriseId}/payroll/${current}`,
        { ...facts, version: 1, reason: "更正" },
      ],
      ["GET", `/api/enterprises/${enterpriseId}/risk`, undefined],
      ["GET", "/api/wage-warnings", undefined],
    ] as const) {
      const res = await t.app.inject({ method, url, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it("hides another enterprise from an enterprise officer (404), and associations from everyone", async () => {
    for (const url of [`/api/enterprises/${otherId}/payroll`, `/api/enterprises/${otherId}/risk`]) {
      expect((await ent.request({ method: "GET", url })).statusCode).toBe(404);
    }
    const post = await ent.request({
      method: "POST",
      url: `/api/enterprises/${otherId}/payroll`,
      payload: declaration(),
    });
    expect(post.statusCode).toBe(404);
    const association = await t.database.db
      .selectFrom("organisations")
      .select("id")
      .where("kind", "=", "association")
      .executeTakeFirstOrThrow();
    const res = await coord.request({
      method: "GET",
      url: `/api/enterprises/${association.id}/risk`,
    });
    expect(res.statusCode).toBe(404);
  });

  it("hides enterprises outside a grid worker's grid", async () => {
    const gw = await login(t.app, "gridworker");
    const path = (await gw.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope
      .path as string | undefined;
    const outside = await t.database.db
      .selectFrom("organisations")
      .select("id")
      .where("kind", "=", "enterprise")
      .where("area_path", "not like", `${path ?? "/none/"}%`)
      .executeTakeFirstOrThrow();
    const res = await gw.request({ method: "GET", url: `/api/enterprises/${outside.id}/payroll` });
    expect(res.statusCode).toBe(404);
  });

  it("lets staff read but not declare (403), and keeps the warning list from enterprises (403)", async () => {
    const list = await coord.request({
      method: "GET",
      url: `/api/enterprises/${enterpriseId}/payroll`,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().allowedActions).toEqual([]);
    expect(list.json().items.length).toBeGreaterThan(6);
    const post = await coord.request({
      method: "POST",
      url: `/api/enterprises/${enterpriseId}/payroll`,
      payload: declaration(),
    });
    expect(post.statusCode).toBe(403);
    expect((await ent.request({ method: "GET", url: "/api/wage-warnings" })).statusCode).toBe(403);
  });
});

describe("payroll declarations", () => {
  let due = 0;
  let paid = 0;
  it("shows this month as due for the demo enterprise, with a year of declarations", async () => {
    const res = await ent.request({
      method: "GET",
      url: `/api/enterprises/${enterpriseId}/payroll`,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ currentPeriod: current, currentDeclared: false });
    expect(body.allowedActions).toContain("declare");
    expect(body.items[0].period).toBe(shiftPeriod(current, -1));
    expect(body.total).toBe(12);
  });

  it("refuses bad input with the field named (400)", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [declaration({ amountPaid: 300_001 }), "amountPaid"],
      [declaration({ period: shiftPeriod(current, 1) }), "period"],
      [declaration({ period: shiftPeriod(current, -13) }), "period"],
      [declaration({ period: "2026-13" }), "period"],
      [declaration({ amountDue: -1 }), "amountDue"],
      [declaration({ amountDue: 1.005 }), "amountDue"],
      [declaration({ headcountPaid: 2_000_000 }), "headcountPaid"],
      [declaration({ headcountPaid: 1.5 }), "headcountPaid"],
      [declaration({ amountPaid: 200_000 }), "paidOnTime"],
      [declaration({ paidOn: null }), "paidOn"],
      [declaration({ paidOn: "2099-01-01", paidOnTime: false }), "paidOn"],
      [declaration({ paidOn: `${shiftPeriod(current, -1)}-05` }), "paidOn"],
      [{ ...declaration(), extra: 1 }, ""],
    ];
    for (const [payload, field] of cases) {
      const res = await ent.request({
        method: "POST",
        url: `/api/enterprises/${enterpriseId}/payroll`,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(res.json().error), JSON.stringify(payload)).toContain(field);
    }
    const after = await ent.request({
      method: "GET",
      url: `/api/enterprises/${enterpriseId}/payroll`,
    });
    expect(after.json().currentDeclared).toBe(false);
  });

  it("declares this month with arrears: the warning rises, labour inspection is told, one preventive case opens", async () => {
    const org = await t.database.db
      .selectFrom("organisations")
      .select(["area_path"])
      .where("id", "=", enterpriseId)
      .executeTakeFirstOrThrow();
    const labour = await labourOfficerFor(org.area_path);
    const before = await ent.request({
      method: "GET",
      url: `/api/enterprises/${enterpriseId}/risk`,
    });
    expect(before.json().warning.level).toBe("none");
    const usual = (
      await ent.request({ method: "GET", url: `/api/enterprises/${enterpriseId}/payroll` })
    ).json().items[0].amountDue as number;
    // A month as large as the last two together, paid only in part: over a third of 3 months owed.
    due = Math.round(usual * 2);
    paid = Math.round(usual * 0.5);

    const res = await ent.request({
      method: "POST",
      url: `/api/enterprises/${enterpriseId}/payroll`,
      payload: declaration({ paidOnTime: false, amountDue: due, amountPaid: paid }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().declaration).toMatchObject({
      period: current,
      arrears: due - paid,
      version: 1,
      late: false,
    });
    expect(["warning", "alarm"]).toContain(res.json().warning.level);

    const risk = (
      await ent.request({ method: "GET", url: `/api/enterprises/${enterpriseId}/risk` })
    ).json();
    const arrears = risk.warning.signals.find((s: { code: string }) => s.code === "arrears");
    expect(arrears.points).toBe(40);
    expect(arrears.detail.owed).toBe(due - paid);
    expect(risk.warning.openCase.code).toMatch(/^SJ/);
    expect(risk.warningHistory[0]).toMatchObject({ level: res.json().warning.level });
    expect(risk.warningHistory[0].case.id).toBe(risk.warning.openCase.id);
    expect(risk.payroll.currentDeclared).toBe(true);

    const cases = await preventiveCases(enterpriseId);
    expect(cases).toHaveLength(1);
    const caseId = cases[0]?.case_id as string;
    const c = await t.database.db
      .selectFrom("cases")
      .select(["category_code", "description", "status"])
      .where("id", "=", caseId)
      .executeTakeFirstOrThrow();
    expect(c.category_code).toBe("dispute.labour_wage");
    expect(c.description).toContain("欠发工资");
    const party = await t.database.db
      .selectFrom("case_parties")
      .select(["role", "task"])
      .where("case_id", "=", caseId)
      .where("organisation_id", "=", enterpriseId)
      .executeTakeFirst();
    expect(party?.role).toBe("assist");
    const told = await notificationsOf(labour);
    expect(told.filter((n) => n.kind === "wage_warning.raised")).toHaveLength(1);
    // The enterprise sees the case it is a party of.
    const seen = await ent.request({ method: "GET", url: `/api/cases/${caseId}` });
    expect(seen.statusCode).toBe(200);

    // The job, twice: no second case, no second notice.
    await runJob("wage-warnings");
    await runJob("wage-warnings");
    expect(await preventiveCases(enterpriseId)).toHaveLength(1);
    expect(
      (await notificationsOf(labour)).filter((n) => n.kind === "wage_warning.raised"),
    ).toHaveLength(1);
  });

  it("refuses a second declaration of the month (409) and nothing changes", async () => {
    const res = await ent.request({
      method: "POST",
      url: `/api/enterprises/${enterpriseId}/payroll`,
      payload: declaration(),
    });
    expect(res.statusCode).toBe(409);
    const list = await ent.request({
      method: "GET",
      url: `/api/enterprises/${enterpriseId}/payroll`,
    });
    expect(list.json().items[0]).toMatchObject({ period: current, amountPaid: paid });
  });

  it("corrects with the version seen; a stale version is refused (409); the correction is logged", async () => {
    const url = `/api/enterprises/${enterpriseId}/payroll/${current}`;
    const backPay = {
      paidOnTime: false,
      paidOn: today,
      headcountPaid: 40,
      amountDue: due,
      amountPaid: due,
      reason: "已补发全部欠薪",
    };
    const stale = await ent.request({ method: "PUT", url, payload: { ...backPay, version: 2 } });
    expect(stale.statusCode).toBe(409);
    const noReason = await ent.request({
      method: "PUT",
      url,
      payload: { ...backPay, reason: "", version: 1 },
    });
    expect(noReason.statusCode).toBe(400);
    const missing = await ent.request({
      method: "PUT",
      url: `/api/enterprises/${enterpriseId}/payroll/${shiftPeriod(current, -13)}`,
      payload: { ...backPay, version: 1 },
    });
    expect(missing.statusCode).toBe(400);
    const ok = await ent.request({ method: "PUT", url, payload: { ...backPay, version: 1 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().declaration).toMatchObject({ amountPaid: due, arrears: 0, version: 2 });
    expect(ok.json().declaration.correctedAt).not.toBeNull();
    expect(ok.json().warning.level).not.toBe("alarm");
    const again = await ent.request({ method: "PUT", url, payload: { ...backPay, version: 1 } });
    expect(again.statusCode).toBe(409);
    const log = await t.database.db
      .selectFrom("payroll_corrections")
      .select(["before", "after", "reason"])
      .where("organisation_id", "=", enterpriseId)
      .execute();
    expect(log).toHaveLength(1);
    expect(log[0]?.before).toMatchObject({ amount_paid: paid });
    expect(log[0]?.after).toMatchObject({ amount_paid: due });
    expect(log[0]?.reason).toBe("已补发全部欠薪");
    // Falling back writes history but opens nothing.
    expect(await preventiveCases(enterpriseId)).toHaveLength(1);
    // A month never declared cannot be corrected.
    await t.database.db
      .deleteFrom("payroll_declarations")
      .where("organisation_id", "=", enterpriseId)
      .where("period", "=", shiftPeriod(current, -12))
      .execute();
    const none = await ent.request({
      method: "PUT",
      url: `/api/enterprises/${enterpriseId}/payroll/${shiftPeriod(current, -12)}`,
      payload: { ...backPay, version: 1 },
    });
    expect(none.statusCode).toBe(404);
  });
});

describe("the wage-warnings job", () => {
  it("opens exactly one preventive case for a rise it computes, however often it runs", async () => {
    const db = t.database.db;
    const org = await db
      .selectFrom("organisations as o")
      .innerJoin("enterprise_scores as s", "s.organisation_id", "o.id")
      .select(["o.id", "o.area_path"])
      .where("o.kind", "=", "enterprise")
      .where("s.warning_level", "=", "none")
      .where("o.id", "<>", enterpriseId)
      .orderBy("o.id")
      .executeTakeFirstOrThrow();
    const labour = await labourOfficerFor(org.area_path);
    const last = await db
      .selectFrom("payroll_declarations")
      .select("amount_due")
      .where("organisation_id", "=", org.id)
      .where("period", "=", shiftPeriod(current, -1))
      .executeTakeFirstOrThrow();
    // This month's declaration: a normal month's wages, nothing paid.
    await db
      .deleteFrom("payroll_declarations")
      .where("organisation_id", "=", org.id)
      .where("period", "=", current)
      .execute();
    await db
      .insertInto("payroll_declarations")
      .values({
        organisation_id: org.id,
        period: current,
        paid_on_time: false,
        paid_on: null,
        headcount_paid: 12,
        amount_due: last.amount_due,
        amount_paid: 0,
        note: null,
        declared_by: null,
      })
      .execute();
    const first = await runJob("wage-warnings");
    expect(first).toMatch(/preventive cases opened/);
    const second = await runJob("wage-warnings");
    expect(second).toMatch(
      /^\d+ warnings computed, 0 level changes, 0 rises; 0 preventive cases opened/,
    );
    const rows = await preventiveCases(org.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.previous_level).toBe("none");
    const told = (await notificationsOf(labour)).filter((n) => n.kind === "wage_warning.raised");
    expect(told).toHaveLength(1);
    // The warning list shows it to the coordinator, with its signals and case.
    const list = await coord.request({
      method: "GET",
      url: "/api/wage-warnings?level=warning&level=alarm&sort=-score&limit=200",
    });
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((i: { enterpriseId: string }) => i.enterpriseId === org.id);
    expect(item.openCase.id).toBe(rows[0]?.case_id);
    expect(item.signals[0].code).toBe("arrears");
    expect(list.json().total).toBe(list.json().items.length);
  });
});

describe("wage-warning list and the rating", () => {
  it("filters by level, sorts, pages and refuses bad queries", async () => {
    const all = await coord.request({ method: "GET", url: "/api/wage-warnings?limit=200" });
    expect(all.statusCode).toBe(200);
    const items = all.json().items as { level: string; score: number }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.level !== "none")).toBe(true);
    const scores = items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const watch = await coord.request({ method: "GET", url: "/api/wage-warnings?level=watch" });
    expect((watch.json().items as { level: string }[]).every((i) => i.level === "watch")).toBe(
      true,
    );
    const page = await coord.request({ method: "GET", url: "/api/wage-warnings?limit=1&offset=0" });
    expect(page.json().items).toHaveLength(1);
    expect(page.json().total).toBe(all.json().total);
    for (const q of ["level=red", "sort=size", "limit=0"]) {
      expect(
        (await coord.request({ method: "GET", url: `/api/wage-warnings?${q}` })).statusCode,
      ).toBe(400);
    }
  });

  it("explains the rating with factors and what would raise it", async () => {
    const risk = (
      await coord.request({ method: "GET", url: `/api/enterprises/${otherId}/risk` })
    ).json();
    expect(["A", "B", "C", "D"]).toContain(risk.rating.rating);
    expect(risk.rating.factors.map((f: { code: string }) => f.code)).toEqual([
      "inspections",
      "hazards",
      "incidents",
      "cooperation",
    ]);
    const sum = risk.rating.factors.reduce((s: number, f: { points: number }) => s + f.points, 0);
    expect(sum).toBe(risk.rating.score);
    expect(risk.ratingHistory.length).toBeGreaterThanOrEqual(6);
    if (risk.rating.rating !== "A") {
      expect(risk.rating.next.pointsNeeded).toBeGreaterThanOrEqual(0);
    }
  });

  it("rates each enterprise once a day, however often the job runs", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = todayInChina(tomorrow);
    const enterprises = await t.database.db
      .selectFrom("organisations")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("kind", "=", "enterprise")
      .executeTakeFirstOrThrow();
    expect(await runJob("enterprise-ratings", tomorrow)).toBe(`${enterprises.n} enterprises rated`);
    expect(await runJob("enterprise-ratings", tomorrow)).toBe("0 enterprises rated");
    const rows = await t.database.db
      .selectFrom("enterprise_rating_history")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("computed_on", "=", day)
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(enterprises.n);
  });
});
