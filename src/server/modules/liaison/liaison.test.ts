import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let coord: Session;
let officer: Session;
let ent: Session;
let assoc: Session;
let resident: Session;
let gw: Session;
let enterpriseId = "";
let associationId = "";

const me = async (s: Session) => (await s.request({ method: "GET", url: "/api/auth/me" })).json();

beforeAll(async () => {
  t = await createTestApp();
  [coord, officer, ent, assoc, resident, gw] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "officer"),
    login(t.app, "enterprise"),
    login(t.app, "association"),
    login(t.app, "resident"),
    login(t.app, "gridworker"),
  ]);
  enterpriseId = (await me(ent)).grants[0].scope.id;
  associationId = (await me(assoc)).grants[0].scope.id;
});
afterAll(() => t.close());

const post = (s: Session, url: string, payload?: object) =>
  s.request({ method: "POST", url, ...(payload ? { payload } : {}) });
const get = (s: Session, url: string) => s.request({ method: "GET", url });

const draft = (over: object = {}) => ({
  title: "关于开展消防安全自查的通知",
  body: "请各企业于本周内完成消防设施自查。",
  importance: "important",
  audience: { mode: "filter", industries: ["电子信息"] },
  ...over,
});

async function createAndSend(over: object = {}) {
  const c = await post(coord, "/api/notices", draft(over));
  expect(c.statusCode, c.body).toBe(201);
  const s = await post(coord, `/api/notices/${c.json().id}/send`, { version: c.json().version });
  expect(s.statusCode, s.body).toBe(200);
  return s.json();
}

/** Enterprises matching a condition, counted in the database (the oracle for previews). */
async function countEnterprises(where: ReturnType<typeof sql>) {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM organisations o
    LEFT JOIN enterprise_scores es ON es.organisation_id = o.id
    WHERE o.kind = 'enterprise' AND ${where}`.execute(t.database.db);
  return r.rows[0]?.n ?? 0;
}

describe("access to notices", () => {
  it("answers 401 without a session and 403 to those who neither issue nor receive notices", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/notices" })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: "/api/notices/preview",
          payload: { audience: { mode: "all" } },
        })
      ).statusCode,
    ).toBe(401);
    expect((await get(resident, "/api/notices")).statusCode).toBe(403);
    expect((await get(assoc, "/api/notices")).statusCode).toBe(403);
    expect((await post(gw, "/api/notices", draft())).statusCode).toBe(403);
    expect((await post(ent, "/api/notices", draft())).statusCode).toBe(403);
  });

  it("refuses bad input with field messages", async () => {
    const empty = await post(coord, "/api/notices", draft({ title: "" }));
    expect(empty.statusCode).toBe(400);
    const noCriterion = await post(coord, "/api/notices", draft({ audience: { mode: "filter" } }));
    expect(noCriterion.statusCode).toBe(400);
    expect(noCriterion.body).toContain("至少选择一个条件");
    const unknownArea = await post(coord, "/api/notices/preview", {
      audience: { mode: "filter", areaCodes: ["320505999999"] },
    });
    expect(unknownArea.statusCode).toBe(400);
    expect(unknownArea.json().error.details[0].path).toBe("body.audience.areaCodes");
    const dueWithoutAck = await post(coord, "/api/notices", draft({ ackDueOn: "2099-01-01" }));
    expect(dueWithoutAck.statusCode).toBe(400);
    const pastDue = await post(
      coord,
      "/api/notices",
      draft({ ackRequired: true, ackDueOn: "2020-01-01" }),
    );
    expect(pastDue.statusCode).toBe(400);
    expect((await get(coord, "/api/notices/abc")).statusCode).toBe(400);
    expect((await get(coord, "/api/notices?limit=0")).statusCode).toBe(400);
  });
});

describe("audience preview", () => {
  it("counts the enterprises of an industry, and samples only them", async () => {
    const res = await post(coord, "/api/notices/preview", {
      audience: { mode: "filter", industries: ["电子信息"] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.count).toBe(await countEnterprises(sql`o.industry = '电子信息'`));
    expect(p.count).toBeGreaterThan(0);
    expect(p.sample.length).toBe(Math.min(20, p.count));
    for (const s of p.sample) expect(s.industry).toBe("电子信息");
  });

  it("counts the enterprises of an area by its code (a path prefix)", async () => {
    const street = (
      await sql<{ code: string; path: string }>`SELECT code, path FROM areas
        WHERE level = 'street' AND code LIKE '320505002%' LIMIT 1`.execute(t.database.db)
    ).rows[0] as { code: string; path: string };
    const res = await post(coord, "/api/notices/preview", {
      audience: { mode: "filter", areaCodes: [street.code], industries: ["电子信息", "餐饮"] },
    });
    expect(res.json().count).toBe(
      await countEnterprises(
        sql`o.area_path LIKE ${`${street.path}%`} AND o.industry IN ('电子信息', '餐饮')`,
      ),
    );
  });

  it("counts by safety credit rating and warning level (enterprise_scores, unrated as such)", async () => {
    const db = t.database.db;
    const ids = (
      await sql<{ id: string }>`SELECT id::text AS id FROM organisations WHERE kind = 'enterprise'
        ORDER BY id LIMIT 6 OFFSET 10`.execute(db)
    ).rows.map((r) => r.id);
    for (const [i, id] of ids.entries())
      await sql`INSERT INTO enterprise_scores (organisation_id, rating, warning_level)
        VALUES (${id}::bigint, ${i < 3 ? "D" : "C"}, ${i === 0 ? "alarm" : "none"})
        ON CONFLICT (organisation_id) DO UPDATE SET rating = EXCLUDED.rating,
          warning_level = EXCLUDED.warning_level`.execute(db);
    const d = await post(coord, "/api/notices/preview", {
      audience: { mode: "filter", ratings: ["D"] },
    });
    expect(d.json().count).toBe(await countEnterprises(sql`es.rating = 'D'`));
    expect(d.json().count).toBeGreaterThanOrEqual(3);
    for (const s of d.json().sample) expect(s.rating).toBe("D");
    const alarm = await post(coord, "/api/notices/preview", {
      audience: { mode: "filter", warningLevels: ["alarm"], ratings: ["D"] },
    });
    expect(alarm.json().count).toBe(
      await countEnterprises(sql`es.rating = 'D' AND es.warning_level = 'alarm'`),
    );
    const unrated = await post(coord, "/api/notices/preview", {
      audience: { mode: "filter", ratings: ["unrated"] },
    });
    expect(unrated.json().count).toBe(await countEnterprises(sql`es.rating IS NULL`));
  });

  it("keeps a department officer's audience inside the department's area", async () => {
    const res = await post(officer, "/api/notices/preview", { audience: { mode: "all" } });
    expect(res.statusCode, res.body).toBe(200);
    const police = (await me(officer)).grants[0];
    const path = (
      await sql<{ path: string }>`SELECT a.path FROM departments d JOIN areas a ON a.id = d.area_id
        WHERE d.id = ${police.scope.id}::bigint`.execute(t.database.db)
    ).rows[0]?.path as string;
    expect(res.json().count).toBe(await countEnterprises(sql`o.area_path LIKE ${`${path}%`}`));
    expect(res.json().count).toBeLessThan(await countEnterprises(sql`true`));
  });

  it("tells how many hand-picked enterprises lie outside the sender's area", async () => {
    const res = await post(officer, "/api/notices/preview", {
      audience: { mode: "list", enterpriseIds: [enterpriseId, "999999999"] },
    });
    expect(res.json().outOfScope).toBeGreaterThanOrEqual(1);
    const refused = await post(
      officer,
      "/api/notices",
      draft({
        audience: { mode: "list", enterpriseIds: ["999999999"] },
      }),
    );
    expect(refused.statusCode).toBe(400);
  });
});

describe("drafts, sending and withdrawing", () => {
  it("edits and deletes a draft; once sent it can be neither (409), sending twice is 409", async () => {
    const c = await post(coord, "/api/notices", draft({ title: "草稿通知：待修改" }));
    const n = c.json();
    expect(n.status).toBe("draft");
    expect(n.allowedActions).toEqual(["edit", "delete", "send"]);
    const stale = await coord.request({
      method: "PATCH",
      url: `/api/notices/${n.id}`,
      payload: { version: n.version + 5, title: "改了" },
    });
    expect(stale.statusCode).toBe(409);
    const edited = await coord.request({
      method: "PATCH",
      url: `/api/notices/${n.id}`,
      payload: { version: n.version, title: "草稿通知：已修改", ackRequired: true },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: "草稿通知：已修改", ackRequired: true });
    const sent = await post(coord, `/api/notices/${n.id}/send`, { version: edited.json().version });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().status).toBe("sent");
    expect(sent.json().counts.recipients).toBe(
      await countEnterprises(sql`o.industry = '电子信息'`),
    );
    const again = await post(coord, `/api/notices/${n.id}/send`, { version: sent.json().version });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.allowed).toContain("withdraw");
    const edit = await coord.request({
      method: "PATCH",
      url: `/api/notices/${n.id}`,
      payload: { version: sent.json().version, title: "发出后再改" },
    });
    expect(edit.statusCode).toBe(409);
    const del = await coord.request({ method: "DELETE", url: `/api/notices/${n.id}` });
    expect(del.statusCode).toBe(409);

    const other = (await post(coord, "/api/notices", draft({ title: "要删除的草稿" }))).json();
    const gone = await coord.request({ method: "DELETE", url: `/api/notices/${other.id}` });
    expect(gone.statusCode).toBe(204);
    expect((await get(coord, `/api/notices/${other.id}`)).statusCode).toBe(404);
  });

  it("sends once when two people send the same draft at the same moment", async () => {
    const d = (await post(coord, "/api/notices", draft({ title: "同时发送的通知" }))).json();
    const other = await login(t.app, "admin");
    const results = await Promise.all([
      post(coord, `/api/notices/${d.id}/send`, { version: d.version }),
      post(other, `/api/notices/${d.id}/send`, { version: d.version }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notice_recipients
      WHERE notice_id = ${d.id}::bigint`.execute(t.database.db);
    expect(rows.rows[0]?.n).toBe(await countEnterprises(sql`o.industry = '电子信息'`));
  });

  it("fixes the recipients when sent: one per enterprise, later changes do not move them", async () => {
    const n = await createAndSend({ title: "固定接收方的通知" });
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notice_recipients
      WHERE notice_id = ${n.id}::bigint`.execute(t.database.db);
    expect(rows.rows[0]?.n).toBe(n.counts.recipients);
    await sql`UPDATE organisations SET industry = '电子信息'
      WHERE id = (SELECT id FROM organisations WHERE kind = 'enterprise' AND industry = '餐饮' LIMIT 1)`.execute(
      t.database.db,
    );
    const after = (await get(coord, `/api/notices/${n.id}`)).json();
    expect(after.counts.recipients).toBe(n.counts.recipients);
    expect(after.audience).toMatchObject({ mode: "filter", industries: ["电子信息"] });
  });

  it("withdraws a sent notice with a reason, recorded; a withdrawn one cannot be confirmed", async () => {
    const n = await createAndSend({ title: "将被撤回的通知", ackRequired: true });
    const noReason = await post(coord, `/api/notices/${n.id}/withdraw`, { version: n.version });
    expect(noReason.statusCode).toBe(400);
    const w = await post(coord, `/api/notices/${n.id}/withdraw`, {
      version: n.version,
      reason: "内容有误，重新发布",
    });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ status: "withdrawn", withdrawReason: "内容有误，重新发布" });
    expect(w.json().log.map((l: { action: string }) => l.action)).toEqual([
      "create",
      "send",
      "withdraw",
    ]);
    const ack = await post(ent, `/api/notices/${n.id}/acknowledge`);
    expect(ack.statusCode).toBe(409);
  });
});

describe("read receipts", () => {
  let noticeId = "";
  beforeAll(async () => {
    noticeId = (await createAndSend({ title: "请确认收到的通知", ackRequired: true })).id;
  });

  it("shows the notice in the enterprise's inbox, unread first; opening marks it read for the enterprise", async () => {
    const inbox = (await get(ent, "/api/notices?state=unread&limit=200")).json();
    const item = inbox.items.find((x: { id: string }) => x.id === noticeId);
    expect(item.receipt).toMatchObject({ readAt: null, organisationId: enterpriseId });
    expect(item.counts).toBeNull();
    const detail = (await get(ent, `/api/notices/${noticeId}`)).json();
    expect(detail.allowedActions).toEqual(["read", "acknowledge"]);
    expect(detail.audience).toBeNull();
    const read = await post(ent, `/api/notices/${noticeId}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().receipt.readAt).toBeTruthy();
    expect(read.json().receipt.readBy).toContain("赵磊");
    const first = read.json().receipt.readAt;
    const again = await post(ent, `/api/notices/${noticeId}/read`);
    expect(again.json().receipt.readAt).toBe(first);
    const unread = (await get(ent, "/api/notices?state=unread&limit=200")).json();
    expect(unread.items.some((x: { id: string }) => x.id === noticeId)).toBe(false);
  });

  it("lets government see who read it, filter the recipients, export them, and count the confirmations", async () => {
    const ack = await post(ent, `/api/notices/${noticeId}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().receipt.acknowledgedAt).toBeTruthy();
    expect(ack.json().allowedActions).toEqual([]);
    const n = (await get(coord, `/api/notices/${noticeId}`)).json();
    expect(n.counts).toMatchObject({ read: 1, acknowledged: 1, overdue: 0 });
    const read = (await get(coord, `/api/notices/${noticeId}/recipients?state=read`)).json();
    expect(read.total).toBe(1);
    expect(read.items[0]).toMatchObject({ organisationId: enterpriseId });
    expect(read.items[0].readBy).toContain("赵磊");
    const unread = (
      await get(coord, `/api/notices/${noticeId}/recipients?state=unread&limit=500`)
    ).json();
    expect(unread.total).toBe(n.counts.recipients - 1);
    expect(
      unread.items.some((x: { organisationId: string }) => x.organisationId === enterpriseId),
    ).toBe(false);
    const xlsx = await get(coord, `/api/notices/${noticeId}/recipients/export.xlsx?state=read`);
    expect(xlsx.statusCode).toBe(200);
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.rowCount).toBe(2);
    expect(ws?.getRow(2).getCell(5).value).toBe("已读");
    expect(ws?.getRow(2).getCell(8).value).toBe("已确认");
    expect((await get(ent, `/api/notices/${noticeId}/recipients`)).statusCode).toBe(403);
  });

  it("answers 409 to a confirmation the notice does not ask for, and 403 to staff who did not receive it", async () => {
    const plain = await createAndSend({ title: "无需确认的通知" });
    expect((await post(ent, `/api/notices/${plain.id}/acknowledge`)).statusCode).toBe(409);
    expect((await post(coord, `/api/notices/${plain.id}/read`)).statusCode).toBe(403);
  });

  it("reminds the unread once a day, notifying their officers", async () => {
    const n = await createAndSend({ title: "需要催阅的通知" });
    const first = await post(coord, `/api/notices/${n.id}/remind`, { note: "请尽快阅读" });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().enterprises).toBe(n.counts.recipients);
    expect(first.json().users).toBeGreaterThanOrEqual(1);
    const bell = (await get(ent, "/api/notifications?limit=5")).json();
    expect(
      bell.items.some(
        (x: { kind: string; title: string }) =>
          x.kind === "notice.reminder" && x.title.includes("需要催阅的通知"),
      ),
    ).toBe(true);
    const second = await post(coord, `/api/notices/${n.id}/remind`, {});
    expect(second.statusCode).toBe(409);
    expect(second.json().error.details.nextReminderAt).toBeTruthy();
    const detail = (await get(coord, `/api/notices/${n.id}`)).json();
    expect(detail.allowedActions).not.toContain("remind");
    expect(detail.nextReminderAt).toBeTruthy();
    expect(detail.log.map((l: { action: string }) => l.action)).toContain("remind");
  });

  it("counts receipts overdue once the confirmation day has passed", async () => {
    const n = await createAndSend({
      title: "逾期未确认的通知",
      ackRequired: true,
      ackDueOn: "2099-12-31",
    });
    await sql`UPDATE notices SET ack_due_on = '2020-01-01' WHERE id = ${n.id}::bigint`.execute(
      t.database.db,
    );
    const after = (await get(coord, `/api/notices/${n.id}`)).json();
    expect(after.counts.overdue).toBe(after.counts.recipients);
    const overdue = (
      await get(coord, `/api/notices/${n.id}/recipients?state=overdue&limit=1`)
    ).json();
    expect(overdue.total).toBe(after.counts.recipients);
    expect(overdue.items[0].overdue).toBe(true);
  });
});

describe("scope of notices", () => {
  it("hides a notice from an enterprise it was not sent to, and from government outside its scope (404)", async () => {
    const catering = await createAndSend({
      title: "只发给餐饮企业的通知",
      audience: { mode: "filter", industries: ["餐饮"] },
    });
    expect((await get(ent, `/api/notices/${catering.id}`)).statusCode).toBe(404);
    expect((await post(ent, `/api/notices/${catering.id}/read`)).statusCode).toBe(404);
    // The police station's officer did not issue it and is not the coordination centre.
    expect((await get(officer, `/api/notices/${catering.id}`)).statusCode).toBe(404);
    expect(
      (
        await post(officer, `/api/notices/${catering.id}/withdraw`, {
          version: 2,
          reason: "试试看",
        })
      ).statusCode,
    ).toBe(404);
    expect((await get(officer, `/api/notices/${catering.id}/recipients`)).statusCode).toBe(404);
    const list = (await get(officer, "/api/notices?limit=200")).json();
    expect(list.items.some((x: { id: string }) => x.id === catering.id)).toBe(false);
    // A draft is never in an inbox.
    const d = (await post(coord, "/api/notices", draft({ title: "未发出的草稿" }))).json();
    expect((await get(ent, `/api/notices/${d.id}`)).statusCode).toBe(404);
  });

  it("lets government read the notices sent to one enterprise, with its receipt", async () => {
    const list = await get(coord, `/api/notices?enterpriseId=${enterpriseId}&limit=200`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBeGreaterThan(0);
    for (const n of list.json().items) expect(n.receipt.organisationId).toBe(enterpriseId);
    const other = (
      await sql<{ id: string }>`SELECT id::text AS id FROM organisations WHERE kind = 'enterprise'
        AND id <> ${enterpriseId}::bigint LIMIT 1`.execute(t.database.db)
    ).rows[0]?.id;
    expect((await get(ent, `/api/notices?enterpriseId=${other}`)).statusCode).toBe(404);
  });

  it("lists government's notices with their read counts", async () => {
    const list = (await get(coord, "/api/notices?status=sent&limit=5")).json();
    expect(list.total).toBeGreaterThan(0);
    for (const n of list.items) {
      expect(n.status).toBe("sent");
      expect(n.counts.recipients).toBeGreaterThan(0);
      expect(n.counts.read).toBeLessThanOrEqual(n.counts.recipients);
    }
  });
});

describe("mediation requests", () => {
  let caseId = "";
  let otherAssociationId = "";
  beforeAll(async () => {
    const here = await pointInDemoGrid(t.app);
    const c = await post(ent, "/api/cases", {
      categoryCode: "theft_fraud.theft",
      description: "宿舍区有员工丢失财物，员工之间互相猜疑起了冲突",
      ...here,
    });
    expect(c.statusCode, c.body).toBe(201);
    caseId = c.json().id;
    otherAssociationId = (
      await sql<{ id: string }>`SELECT id::text AS id FROM organisations WHERE kind = 'association'
        AND id <> ${associationId}::bigint ORDER BY id LIMIT 1`.execute(t.database.db)
    ).rows[0]?.id as string;
  });

  const request = (over: object = {}) => ({
    associationId,
    subject: "宿舍工友因财物丢失互相猜疑",
    description: "宿舍有员工丢失财物，同宿舍工友互相猜疑，已发生两次争吵。",
    peopleInvolved: 6,
    workerProvinces: ["安徽省"],
    ...over,
  });

  it("answers 401 without a session, 403 to residents, 400 to bad input", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/mediation-requests" })).statusCode).toBe(
      401,
    );
    expect((await get(resident, "/api/mediation-requests")).statusCode).toBe(403);
    expect((await post(assoc, "/api/mediation-requests", request())).statusCode).toBe(403);
    expect(
      (await post(ent, "/api/mediation-requests", request({ peopleInvolved: 0 }))).statusCode,
    ).toBe(400);
    expect(
      (await post(ent, "/api/mediation-requests", request({ subject: "吵" }))).statusCode,
    ).toBe(400);
    const noSuch = await post(
      ent,
      "/api/mediation-requests",
      request({ associationId: enterpriseId }),
    );
    expect(noSuch.statusCode).toBe(400);
    expect(noSuch.json().error.details[0].path).toBe("body.associationId");
    expect((await post(ent, "/api/mediation-requests/1/dance", { version: 1 })).statusCode).toBe(
      400,
    );
  });

  it("suggests hometown associations of the workers' province first", async () => {
    const res = await get(
      ent,
      `/api/mediation-requests/associations?provinces=${encodeURIComponent("安徽省")}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const first = res.json().items[0];
    expect(first).toMatchObject({ associationKind: "hometown", match: "province" });
    expect(first.provinces).toContain("安徽省");
    // Without provinces given: where the enterprise's current workers come from.
    const byWorkforce = (await get(ent, "/api/mediation-requests/associations")).json();
    expect(byWorkforce.total).toBeGreaterThan(0);
    const origins = await sql<{ province: string }>`SELECT origin_province AS province
      FROM residents WHERE employer_id = ${enterpriseId}::bigint AND status <> 'departed'
      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 10`.execute(t.database.db);
    expect(byWorkforce.provinces.map((p: { province: string }) => p.province)).toEqual(
      origins.rows.map((r) => r.province),
    );
    expect((await get(coord, "/api/mediation-requests/associations")).statusCode).toBe(403);
  });

  it("refuses a case that is not the enterprise's", async () => {
    const here = await pointInDemoGrid(t.app);
    const foreign = await post(resident, "/api/cases", {
      categoryCode: "theft_fraud.theft",
      description: "别人家的电动车被偷了，不是企业的事",
      ...here,
    });
    const res = await post(
      ent,
      "/api/mediation-requests",
      request({ caseId: foreign.json().id, subject: "别人的事件" }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe("body.caseId");
  });

  it("goes pending → accepted (the association joins the linked case) → sessions → closed, every step on the timeline", async () => {
    const created = await post(ent, "/api/mediation-requests", request({ caseId }));
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json();
    expect(m).toMatchObject({
      status: "pending",
      case: { id: caseId },
      allowedActions: ["withdraw"],
    });
    const dup = await post(ent, "/api/mediation-requests", request({ caseId }));
    expect(dup.statusCode).toBe(409);

    // Government in scope reads it, but takes no step.
    const seen = await get(coord, `/api/mediation-requests/${m.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toEqual([]);
    expect(
      (await post(coord, `/api/mediation-requests/${m.id}/accept`, { version: m.version }))
        .statusCode,
    ).toBe(403);
    // The enterprise cannot accept its own request.
    expect(
      (await post(ent, `/api/mediation-requests/${m.id}/accept`, { version: m.version }))
        .statusCode,
    ).toBe(403);

    const queue = (await get(assoc, "/api/mediation-requests?status=pending&limit=200")).json();
    expect(queue.items.some((x: { id: string }) => x.id === m.id)).toBe(true);
    expect(
      (await post(assoc, `/api/mediation-requests/${m.id}/accept`, { version: m.version + 1 }))
        .statusCode,
    ).toBe(409);
    const accepted = await post(assoc, `/api/mediation-requests/${m.id}/accept`, {
      version: m.version,
      note: "周三上午到厂里",
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const a = accepted.json();
    expect(a.status).toBe("accepted");
    expect(a.allowedActions).toEqual(["record_session", "close"]);
    const again = await post(assoc, `/api/mediation-requests/${m.id}/accept`, {
      version: a.version,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.allowed).toEqual(["record_session", "close"]);

    // The association is now an assisting party of the case, with a task, on its timeline.
    const c = (await get(coord, `/api/cases/${caseId}`)).json();
    const party = c.parties.find((p: { kind: string; name: string }) => p.kind === "organisation");
    expect(party).toMatchObject({ role: "assist", status: "open" });
    expect(party.task).toContain("协助调解");
    expect(c.timeline.some((x: { action: string }) => x.action === "invite")).toBe(true);
    expect((await get(assoc, `/api/cases/${caseId}`)).statusCode).toBe(200);

    const noNote = await post(assoc, `/api/mediation-requests/${m.id}/record_session`, {
      version: a.version,
    });
    expect(noNote.statusCode).toBe(400);
    const session = await post(assoc, `/api/mediation-requests/${m.id}/record_session`, {
      version: a.version,
      note: "双方面对面沟通，情绪平稳",
      place: "企业会议室",
      attendees: 8,
    });
    expect(session.statusCode, session.body).toBe(200);
    expect(session.json().sessions).toBe(1);
    const noOutcome = await post(assoc, `/api/mediation-requests/${m.id}/close`, {
      version: session.json().version,
    });
    expect(noOutcome.statusCode).toBe(400);
    const closed = await post(assoc, `/api/mediation-requests/${m.id}/close`, {
      version: session.json().version,
      outcome: "partial",
      note: "大部分达成一致",
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      status: "closed",
      outcome: "partial",
      allowedActions: [],
    });
    expect(closed.json().timeline.map((x: { action: string }) => x.action)).toEqual([
      "create",
      "accept",
      "record_session",
      "close",
    ]);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("subject_type", "=", "mediation_request")
      .where("subject_id", "=", m.id)
      .execute();
    expect(audit.map((x) => x.action)).toEqual([
      "mediation.requested",
      "mediation.accept",
      "mediation.record_session",
      "mediation.close",
    ]);
  });

  it("takes one step when the association answers twice at once", async () => {
    const m = (
      await post(ent, "/api/mediation-requests", request({ subject: "同时受理与婉拒" }))
    ).json();
    const results = await Promise.all([
      post(assoc, `/api/mediation-requests/${m.id}/accept`, { version: m.version }),
      post(assoc, `/api/mediation-requests/${m.id}/decline`, {
        version: m.version,
        reason: "人手不足",
      }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const steps = await sql<{ n: number }>`SELECT count(*)::int AS n FROM mediation_actions
      WHERE request_id = ${m.id}::bigint`.execute(t.database.db);
    expect(steps.rows[0]?.n).toBe(2);
  });

  it("keeps an association rep away from another association's request (404)", async () => {
    const m = (
      await post(
        ent,
        "/api/mediation-requests",
        request({ associationId: otherAssociationId, subject: "另一协会的申请" }),
      )
    ).json();
    expect((await get(assoc, `/api/mediation-requests/${m.id}`)).statusCode).toBe(404);
    expect(
      (await post(assoc, `/api/mediation-requests/${m.id}/accept`, { version: m.version }))
        .statusCode,
    ).toBe(404);
    const list = (await get(assoc, "/api/mediation-requests?limit=200")).json();
    expect(list.items.some((x: { id: string }) => x.id === m.id)).toBe(false);
    // The enterprise withdraws it; declining it afterwards is a 409 for its association only.
    const w = await post(ent, `/api/mediation-requests/${m.id}/withdraw`, { version: m.version });
    expect(w.json().status).toBe("withdrawn");
  });

  it("declines with a reason only", async () => {
    const m = (
      await post(ent, "/api/mediation-requests", request({ subject: "需要婉拒的申请" }))
    ).json();
    const bare = await post(assoc, `/api/mediation-requests/${m.id}/decline`, {
      version: m.version,
    });
    expect(bare.statusCode).toBe(400);
    const d = await post(assoc, `/api/mediation-requests/${m.id}/decline`, {
      version: m.version,
      reason: "已进入仲裁程序",
    });
    expect(d.json()).toMatchObject({ status: "declined", declineReason: "已进入仲裁程序" });
    const notes = (await get(ent, "/api/notifications?limit=5")).json();
    expect(notes.items.some((x: { kind: string }) => x.kind === "mediation.decline")).toBe(true);
  });
});

describe("OpenAPI", () => {
  it("documents the liaison endpoints", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    for (const p of [
      "/api/notices",
      "/api/notices/preview",
      "/api/notices/{id}/recipients/export.xlsx",
      "/api/mediation-requests/{id}/{action}",
      "/api/mediation-requests/associations",
    ])
      expect(paths[p], p).toBeDefined();
  });
});

describe("the seeded liaison", () => {
  it("gives the demo enterprise unread notices, one to confirm, and the demo association a pending request", async () => {
    const db = t.database.db;
    const seeded = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notices
      WHERE created_at < now() - interval '1 hour'`.execute(db);
    expect(seeded.rows[0]?.n).toBeGreaterThanOrEqual(20);
    const unread = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notice_recipients r
      JOIN notices n ON n.id = r.notice_id
      WHERE r.organisation_id = ${enterpriseId}::bigint AND r.read_at IS NULL AND n.status = 'sent'
        AND n.sent_at < now() - interval '1 hour'`.execute(db);
    expect(unread.rows[0]?.n).toBeGreaterThanOrEqual(2);
    const pending = await sql<{ n: number }>`SELECT count(*)::int AS n FROM mediation_requests
      WHERE association_id = ${associationId}::bigint AND status = 'pending'
        AND created_at < now() - interval '1 minute'`.execute(db);
    expect(pending.rows[0]?.n).toBeGreaterThanOrEqual(1);
    const states = await sql<{
      status: string;
    }>`SELECT DISTINCT status FROM mediation_requests`.execute(db);
    expect(states.rows.map((r) => r.status).sort()).toEqual([
      "accepted",
      "closed",
      "declined",
      "pending",
      "withdrawn",
    ]);
  });
});
