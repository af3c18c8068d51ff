import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let resident: Session;
let officer: Session;
let coord: Session;
let gw: Session;
/** A point inside the grid worker's grid (狮山街道, where the officer's police station is). */
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  [resident, officer, coord, gw] = await Promise.all([
    login(t.app, "resident"),
    login(t.app, "officer"),
    login(t.app, "coordinator"),
    login(t.app, "gridworker"),
  ]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

const theft = () => ({
  categoryCode: "theft_fraud.theft",
  description: "楼下车棚的电瓶被人偷了，昨晚发生的",
  ...here,
  address: "狮山路88号",
});

async function report(s: Session | null, body: object, headers: Record<string, string> = {}) {
  const opts = { method: "POST" as const, url: "/api/cases", payload: body, headers };
  return s ? s.request(opts) : t.app.inject(opts);
}

async function act(s: Session, id: string, action: string, body: object = {}) {
  return s.request({ method: "POST", url: `/api/cases/${id}/${action}`, payload: body });
}

describe("GET /api/categories", () => {
  it("lists the taxonomy publicly, with fields and the invalid ones' redirects", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/categories" });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      code: string;
      invalid: boolean;
      redirect: string | null;
      fields: { code: string; required: boolean }[];
    }[];
    expect(items.length).toBeGreaterThan(30);
    const wage = items.find((c) => c.code === "dispute.labour_wage");
    expect(wage?.fields.some((f) => f.required)).toBe(true);
    const invalid = items.filter((c) => c.invalid);
    expect(invalid.length).toBeGreaterThan(0);
    for (const c of invalid) expect(c.redirect).toBeTruthy();
  });
});

describe("intake", () => {
  it("routes a resident's report to the local police station, with deadlines, an action row, audit and notification", async () => {
    const res = await report(resident, theft());
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.status).toBe("dispatched");
    expect(c.lead.name).toContain("派出所");
    expect(c.code).toMatch(/^SJ\d{14}$/);
    expect(c.acceptDueAt).toBeTruthy();
    expect(new Date(c.resolveDueAt).getTime()).toBeGreaterThan(new Date(c.acceptDueAt).getTime());
    expect(c.timeline.map((e: { action: string }) => e.action)).toEqual(["report", "dispatch"]);
    expect(c.allowedActions).toContain("withdraw");
    const db = t.database.db;
    const audit = await db
      .selectFrom("audit_log")
      .select("action")
      .where("subject_type", "=", "case")
      .where("subject_id", "=", c.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["case.reported"]);
    const notes = await db
      .selectFrom("notifications")
      .select("user_id")
      .where("case_id", "=", c.id)
      .execute();
    expect(notes.length).toBeGreaterThan(0);
  });

  it("refuses bad input with a clear message and writes nothing", async () => {
    const db = t.database.db;
    const before = (
      await db
        .selectFrom("cases")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    const cases: [object, RegExp][] = [
      [{ ...theft(), categoryCode: "nope" }, /未知的事件类别/],
      [{ ...theft(), categoryCode: "theft_fraud" }, /子类别/],
      [{ ...theft(), description: "短" }, /5 个字/],
      [{ ...theft(), lat: 95 }, /纬度/],
      [{ ...theft(), lat: 40, lng: 116.4 }, /不在本区/],
      [{ ...theft(), categoryCode: "dispute.labour_wage", fields: {} }, /必填/],
      [{ ...theft(), fields: { no_such_field: "x" } }, /no_such_field/],
      [{ ...theft(), extra: 1 }, /./],
    ];
    for (const [body, message] of cases) {
      const res = await report(resident, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json().error), JSON.stringify(body)).toMatch(message);
    }
    const invalid = (await t.app.inject({ method: "GET", url: "/api/categories" }))
      .json()
      .items.find((c: { invalid: boolean }) => c.invalid);
    const res = await report(resident, { ...theft(), categoryCode: invalid.code });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe(invalid.redirect);
    const after = (
      await db
        .selectFrom("cases")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    expect(Number(after)).toBe(Number(before));
  });

  it("answers a retried submit with the first result (Idempotency-Key), and refuses the key for another body", async () => {
    const key = `retry-${Date.now()}`;
    const first = await report(resident, theft(), { "idempotency-key": key });
    const again = await report(resident, theft(), { "idempotency-key": key });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().id).toBe(first.json().id);
    // …as the caller sees it: the reporter may still withdraw it.
    expect(again.json().allowedActions).toEqual(first.json().allowedActions);
    const other = await report(
      resident,
      { ...theft(), description: "另一件事情，完全不同的描述" },
      { "idempotency-key": key },
    );
    expect(other.statusCode).toBe(422);
    // The same key from someone else is their own key.
    const officerReport = await report(gw, theft(), { "idempotency-key": key });
    expect(officerReport.json().id).not.toBe(first.json().id);
  });

  it("takes an anonymous report: a tracking code and secret, no trace of who, and follow-up by the secret", async () => {
    const res = await report(null, { ...theft(), description: "小区门口有人兜售假药，天天都在" });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.channel).toBe("anonymous");
    expect(c.tracking.code).toBe(c.code);
    expect(c.tracking.secret.length).toBeGreaterThanOrEqual(24);
    const row = await t.database.db
      .selectFrom("cases")
      .selectAll()
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(row.reporter_user_id).toBeNull();
    expect(JSON.stringify(row)).not.toContain(c.tracking.secret);
    const action = await t.database.db
      .selectFrom("case_actions")
      .selectAll()
      .where("case_id", "=", c.id)
      .execute();
    expect(action.every((a) => a.actor_user_id === null)).toBe(true);

    const tracked = await t.app.inject({
      method: "GET",
      url: `/api/cases/track?code=${c.code}&secret=${c.tracking.secret}`,
    });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json().tracking).toBeUndefined();
    expect(tracked.json().allowedActions).toContain("withdraw");
    const wrong = await t.app.inject({
      method: "GET",
      url: `/api/cases/track?code=${c.code}&secret=guess`,
    });
    expect(wrong.statusCode).toBe(404);
    const byStaff = (await coord.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(byStaff.reporter.label).toBe("匿名群众");
    // The holder of the secret may comment (the reporter side of the timeline).
    const comment = await t.app.inject({
      method: "POST",
      url: `/api/cases/${c.id}/comment`,
      headers: { "x-tracking-secret": c.tracking.secret },
      payload: { note: "今天又来了" },
    });
    expect(comment.statusCode, comment.body).toBe(200);
    expect(comment.json().timeline.at(-1).visibility).toBe("public");
  });

  it("limits anonymous guessing of tracking secrets", async () => {
    let limited = false;
    for (let i = 0; i < 15 && !limited; i++) {
      const r = await t.app.inject({
        method: "GET",
        url: `/api/cases/track?code=SJ1&secret=guess${i}`,
        remoteAddress: "10.9.9.9",
      });
      limited = r.statusCode === 429;
    }
    expect(limited).toBe(true);
  });

  it("needs the caller's name for a hotline report by staff", async () => {
    const res = await report(coord, { ...theft(), channel: "hotline" });
    expect(res.statusCode).toBe(400);
    const ok = await report(coord, {
      ...theft(),
      channel: "hotline",
      onBehalf: { name: "周先生", phone: "13912345678" },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().reporter.label).toBe("热线来电：周先生 139****5678");
    const row = await t.database.db
      .selectFrom("cases")
      .selectAll()
      .where("id", "=", ok.json().id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain("13912345678");
  });
});

describe("life cycle", () => {
  it("goes from report to closure with the reporter's rating, each step on the timeline", async () => {
    const c = (await report(resident, theft())).json();
    const accepted = await act(officer, c.id, "accept", { version: c.version });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe("accepted");
    expect((await act(officer, c.id, "start")).json().status).toBe("in_progress");
    const noNote = await act(officer, c.id, "resolve");
    expect(noNote.statusCode).toBe(400);
    const resolved = await act(officer, c.id, "resolve", { note: "已调取监控，追回电瓶并归还" });
    expect(resolved.json().status).toBe("resolved");
    const mine = (await resident.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(mine.allowedActions).toContain("feedback");
    // The reporter sees the public steps only.
    expect(mine.timeline.every((e: { visibility: string }) => e.visibility === "public")).toBe(
      true,
    );
    const closed = await act(resident, c.id, "feedback", { rating: 5, note: "很满意" });
    expect(closed.json().status).toBe("closed");
    expect(closed.json().feedback).toEqual({ rating: 5, comment: "很满意" });
    const actions = closed.json().timeline.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["report", "dispatch", "accept", "start", "resolve", "feedback"]);
  });

  it("answers a wrong-state action with 409 and the allowed ones; someone with no part gets 403; a stale version 409", async () => {
    const c = (await report(resident, theft())).json();
    const early = await act(officer, c.id, "resolve", { note: "x" });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details.allowed).toEqual(["accept", "return", "comment", "invite"]);
    expect((await act(resident, c.id, "accept")).statusCode).toBe(403);
    await act(officer, c.id, "accept", { version: c.version });
    const stale = await act(officer, c.id, "start", { version: c.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.currentVersion).toBe(c.version + 1);
  });

  it("lets two concurrent accepts through only once", async () => {
    const c = (await report(resident, theft())).json();
    const [a, b] = await Promise.all([
      act(officer, c.id, "accept", { version: c.version }),
      act(officer, c.id, "accept", { version: c.version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const rows = await t.database.db
      .selectFrom("case_actions")
      .select("action")
      .where("case_id", "=", c.id)
      .where("action", "=", "accept")
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("returns a misrouted case to the coordinator, who re-dispatches it; dissatisfaction sends it back", async () => {
    const c = (await report(resident, theft())).json();
    expect((await act(officer, c.id, "return")).statusCode).toBe(400);
    const returned = await act(officer, c.id, "return", { note: "不属于本所辖区" });
    expect(returned.json().status).toBe("returned");
    // The station no longer leads it: it may read what it worked on, nothing more.
    expect(returned.json().lead).toBeNull();
    expect(returned.json().allowedActions).toEqual([]);
    const notMine = (await officer.request({ method: "GET", url: "/api/cases?inbox=mine" })).json();
    expect(notMine.items.some((x: { id: string }) => x.id === c.id)).toBe(false);
    const queue = (await coord.request({ method: "GET", url: "/api/cases?inbox=queue" })).json();
    expect(queue.items.some((x: { id: string }) => x.id === c.id)).toBe(true);
    const depts = (await coord.request({ method: "GET", url: "/api/departments?limit=200" })).json()
      .items as {
      id: string;
      code: string;
    }[];
    const police = depts.find((d) => d.code === "320505002-PCS");
    const again = await act(coord, c.id, "dispatch", {
      departmentId: police?.id,
      note: "经核实属本所",
    });
    expect(again.json().status).toBe("dispatched");
    await act(officer, c.id, "accept");
    await act(officer, c.id, "resolve", { note: "已处理" });
    const unhappy = await act(resident, c.id, "feedback", { rating: 1, note: "电瓶没找回来" });
    expect(unhappy.json().status).toBe("in_progress");
  });

  it("sends verify-first categories to the grid worker before anyone is dispatched", async () => {
    const c = (
      await report(resident, {
        categoryCode: "fire_hazard.ebike_charging",
        description: "3 幢楼道里有人拉飞线给电动车充电",
        ...here,
      })
    ).json();
    expect(c.status).toBe("reported");
    expect(c.lead).toBeNull();
    const inbox = (await gw.request({ method: "GET", url: "/api/cases?inbox=mine" })).json();
    expect(inbox.items.some((x: { id: string }) => x.id === c.id)).toBe(true);
    const verified = await act(gw, c.id, "verify", { note: "现场核实属实" });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().status).toBe("dispatched");
    expect(verified.json().lead).not.toBeNull();
  });

  it("lets a coordinator supervise, once", async () => {
    const c = (await report(resident, theft())).json();
    const s = await act(coord, c.id, "supervise", { note: "请加快办理" });
    expect(s.json().supervised).toBe(true);
    expect((await act(coord, c.id, "supervise", { note: "再次" })).statusCode).toBe(409);
    const list = (
      await coord.request({ method: "GET", url: "/api/cases?inbox=supervised" })
    ).json();
    expect(list.items.some((x: { id: string }) => x.id === c.id)).toBe(true);
  });
});

describe("GET /api/cases", () => {
  it("needs a login, and shows each person only their cases", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/cases" })).statusCode).toBe(401);
    // An enterprise officer: the cases their enterprise is a party to, no others.
    const enterprise = await login(t.app, "enterprise");
    const parties = await sql<{ n: number }>`
      SELECT count(DISTINCT p.case_id)::int AS n FROM case_parties p
      JOIN role_grants g ON g.organisation_id = p.organisation_id
      JOIN users u ON u.id = g.user_id AND u.username = 'enterprise'`.execute(t.database.db);
    expect((await enterprise.request({ method: "GET", url: "/api/cases" })).json().total).toBe(
      parties.rows[0]?.n,
    );
    const mine = (
      await resident.request({ method: "GET", url: "/api/cases?inbox=reported_by_me" })
    ).json();
    expect(mine.total).toBeGreaterThan(0);
    const all = (await resident.request({ method: "GET", url: "/api/cases" })).json();
    expect(all.total).toBe(mine.total);
  });

  it("searches Chinese text, filters and pages", async () => {
    const res = (
      await coord.request({ method: "GET", url: `/api/cases?q=${encodeURIComponent("飞线")}` })
    ).json();
    expect(res.total).toBeGreaterThan(0);
    for (const c of res.items) expect(c.description).toContain("飞线");
    const page = (
      await coord.request({ method: "GET", url: "/api/cases?limit=2&offset=0&sort=oldest" })
    ).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    expect(page.items[0].createdAt <= page.items[1].createdAt).toBe(true);
    const fam = (
      await coord.request({ method: "GET", url: "/api/cases?category=fire_hazard" })
    ).json();
    for (const c of fam.items) expect(c.categoryCode.startsWith("fire_hazard.")).toBe(true);
    expect((await coord.request({ method: "GET", url: "/api/cases?inbox=bogus" })).statusCode).toBe(
      400,
    );
  });
});

describe("duplicates", () => {
  it("proposes a nearby report of the same family to staff; the coordinator merges it and its reporter hears the outcome", async () => {
    const first = (await report(resident, theft())).json();
    const again = (
      await report(resident, { ...theft(), description: "车棚电瓶又被偷，和昨天那次是同一个地方" })
    ).json();
    expect(again.possibleDuplicates).toEqual([]); // the reporter is not shown others' cases
    const seen = (await coord.request({ method: "GET", url: `/api/cases/${again.id}` })).json();
    const proposal = seen.possibleDuplicates.find((d: { id: string }) => d.id === first.id);
    expect(proposal).toMatchObject({ code: first.code, distanceM: 0 });
    expect(seen.allowedActions).toContain("merge");
    expect((await act(resident, again.id, "merge", { targetId: first.id })).statusCode).toBe(403);
    expect((await act(coord, again.id, "merge", { targetId: again.id })).statusCode).toBe(400);
    const merged = await act(coord, again.id, "merge", {
      targetId: first.id,
      note: "同一地点同一事项",
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({
      status: "merged",
      mergedInto: { id: first.id, code: first.code },
    });
    const target = (await coord.request({ method: "GET", url: `/api/cases/${first.id}` })).json();
    expect(target.timeline.at(-1)).toMatchObject({ action: "merge" });
    expect(target.timeline.at(-1).note).toContain(again.code);
    await act(officer, first.id, "accept");
    await act(officer, first.id, "resolve", { note: "已抓获盗窃嫌疑人" });
    const n = (
      await resident.request({ method: "GET", url: "/api/notifications?limit=50" })
    ).json();
    expect(
      n.items.some(
        (x: { kind: string; caseId: string }) => x.kind === "case.merged" && x.caseId === again.id,
      ),
    ).toBe(true);
    expect(
      n.items.some((x: { title: string }) => x.title.includes(`随 ${first.code} 一并办结`)),
    ).toBe(true);
    // A merged case cannot be merged again, nor be merged into.
    expect((await act(coord, again.id, "merge", { targetId: first.id })).statusCode).toBe(409);
  });
});

describe("GET /api/cases/export.xlsx", () => {
  it("exports the list with its filters, in Chinese, and only what the caller may see", async () => {
    const list = (
      await coord.request({ method: "GET", url: "/api/cases?inbox=supervised" })
    ).json();
    expect(list.total).toBeGreaterThan(0);
    const res = await coord.request({
      method: "GET",
      url: "/api/cases/export.xlsx?inbox=supervised",
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).getCell(1).value).toBe("编号");
    expect(ws?.rowCount).toBe(list.total + 1);
    const codes = new Set(list.items.map((c: { code: string }) => c.code));
    expect(codes.has(String(ws?.getRow(2).getCell(1).value))).toBe(true);
    expect((await t.app.inject({ method: "GET", url: "/api/cases/export.xlsx" })).statusCode).toBe(
      401,
    );
    const enterprise = await login(t.app, "enterprise");
    const none = await enterprise.request({
      method: "GET",
      url: "/api/cases/export.xlsx?inbox=supervised",
    });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(none.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]?.rowCount).toBe(1);
  });
});

describe("notifications", () => {
  it("tells the lead department's officers of a new case, and the reporter of its resolution", async () => {
    const c = (await report(resident, theft())).json();
    const list = (
      await officer.request({ method: "GET", url: "/api/notifications?unread=true" })
    ).json();
    const mine = list.items.find((n: { caseId: string }) => n.caseId === c.id);
    expect(mine.title).toContain(c.code);
    expect(list.unread).toBeGreaterThan(0);
    const read = await officer.request({
      method: "POST",
      url: "/api/notifications/read",
      payload: { ids: [mine.id] },
    });
    expect(read.json().updated).toBe(1);
    // Someone else's notification is not theirs to mark.
    expect(
      (
        await resident.request({
          method: "POST",
          url: "/api/notifications/read",
          payload: { ids: [mine.id] },
        })
      ).json().updated,
    ).toBe(0);
    await act(officer, c.id, "accept");
    await act(officer, c.id, "resolve", { note: "已办结" });
    const r = (await resident.request({ method: "GET", url: "/api/notifications" })).json();
    expect(
      r.items.some(
        (n: { caseId: string; kind: string }) => n.caseId === c.id && n.kind === "case.resolved",
      ),
    ).toBe(true);
    const all = await officer.request({
      method: "POST",
      url: "/api/notifications/read",
      payload: { all: true },
    });
    expect(all.statusCode).toBe(200);
    expect(
      (await officer.request({ method: "GET", url: "/api/notifications" })).json().unread,
    ).toBe(0);
    expect((await t.app.inject({ method: "GET", url: "/api/notifications" })).statusCode).toBe(401);
  });
});

describe("co-handling and the deadline clock", () => {
  it("invites an enterprise with a task it can see and complete; the lead resolves with the open-task count on record", async () => {
    const enterprise = await login(t.app, "enterprise");
    const orgId = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json()
      .grants[0].scope.id;
    const c = (await report(resident, theft())).json();
    await act(officer, c.id, "accept");
    expect((await act(officer, c.id, "invite", { organisationId: orgId })).statusCode).toBe(400);
    const invited = await act(officer, c.id, "invite", {
      organisationId: orgId,
      task: "提供园区监控录像",
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    expect(invited.statusCode, invited.body).toBe(200);
    expect(invited.json().openTasks).toBe(1);
    const party = invited
      .json()
      .parties.find((p: { role: string; task: string | null }) => p.role === "assist" && p.task);
    expect(party).toMatchObject({ kind: "organisation", task: "提供园区监控录像", status: "open" });

    const seen = await enterprise.request({ method: "GET", url: `/api/cases/${c.id}` });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toContain("complete_task");
    expect(seen.json().allowedActions).not.toContain("resolve");
    const list = (await enterprise.request({ method: "GET", url: "/api/cases" })).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(c.id);
    const done = await act(enterprise, c.id, "complete_task", { note: "已拷贝 3 日录像交派出所" });
    expect(done.json().openTasks).toBe(0);
    expect(done.json().allowedActions).not.toContain("complete_task");
    const resolved = await act(officer, c.id, "resolve", { note: "结合录像已破案" });
    expect(resolved.json().status).toBe("resolved");
  });

  it("asks for an extension once; the coordinator grants it and the deadline moves", async () => {
    const c = (await report(resident, theft())).json();
    const accepted = (await act(officer, c.id, "accept")).json();
    expect(
      (await act(officer, c.id, "request_extension", { note: "需调取外区监控" })).statusCode,
    ).toBe(400);
    const asked = await act(officer, c.id, "request_extension", {
      days: 3,
      note: "需调取外区监控",
    });
    expect(asked.json().extensionRequestedDays).toBe(3);
    expect(
      (await act(officer, c.id, "request_extension", { days: 2, note: "再要" })).statusCode,
    ).toBe(409);
    const granted = await act(coord, c.id, "grant_extension", { note: "同意" });
    expect(granted.json().extensionRequestedDays).toBeNull();
    expect(new Date(granted.json().resolveDueAt).getTime()).toBeGreaterThan(
      new Date(accepted.resolveDueAt).getTime() + 2 * 86_400_000,
    );
    expect((await act(coord, c.id, "deny_extension")).statusCode).toBe(409);
  });

  it("pauses the clock while waiting for the reporter, and gives the time back", async () => {
    const c = (await report(resident, theft())).json();
    const accepted = (await act(officer, c.id, "accept")).json();
    const waiting = await act(officer, c.id, "wait_reporter", { note: "请补充被盗时间和电瓶型号" });
    expect(waiting.json().pausedAt).toBeTruthy();
    expect(waiting.json().dueState).toBeNull();
    const asResident = (
      await resident.request({ method: "GET", url: `/api/cases/${c.id}` })
    ).json();
    expect(asResident.allowedActions).toContain("resume");
    const resumed = await act(resident, c.id, "resume", { note: "昨晚 10 点左右，天能 48V" });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json().pausedAt).toBeNull();
    expect(new Date(resumed.json().resolveDueAt).getTime()).toBeGreaterThanOrEqual(
      new Date(accepted.resolveDueAt).getTime(),
    );
  });
});
