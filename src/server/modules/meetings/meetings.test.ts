import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type {
  ActionItem,
  AgendaCandidates,
  AgendaItem,
  MeetingDetail,
  MeetingSummary,
  RulingContext,
  RulingPreview,
} from "../../../shared/schemas/meetings.js";
import { chinaToday } from "./meetings.policy.js";
import { runMeetingAgenda, runOverdueActionItems } from "./meetings.service.js";

let t: TestApp;
let coord: Session;
let officer: Session;
let ent: Session;
let assoc: Session;
let resident: Session;
let gw: Session;
/** A coordinator of 浒墅关 (320505001) only: outside the demo street. */
let otherCoord: Session;
/** A coordinator of 狮山街道 (320505002) only: no district-wide rules. */
let streetCoord: Session;
let here: { lat: number; lng: number };
let police: { id: string; name: string };
let office: { id: string; name: string };
let district: { id: string; path: string };
let street: { id: string; code: string; path: string };
let enterpriseId = "";
let associationId = "";

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const day = (n: number) => chinaToday(new Date(Date.now() + n * DAY));

const get = (s: Session, url: string) => s.request({ method: "GET", url });
const post = (s: Session, url: string, payload?: object) =>
  s.request({ method: "POST", url, payload: payload ?? {} });
const send = (s: Session, method: "PUT" | "PATCH", url: string, payload: object) =>
  s.request({ method, url, payload });

async function ok<T>(
  p: Promise<{ statusCode: number; body: string; json(): unknown }>,
  status = 200,
) {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

async function userWithGrant(username: string, grant: Record<string, unknown>) {
  const db = t.database.db;
  const template = await db
    .selectFrom("users")
    .select("password_hash")
    .where("username", "=", "coordinator")
    .executeTakeFirstOrThrow();
  const u = await db
    .insertInto("users")
    .values({ username, password_hash: template.password_hash, display_name: username })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("role_grants")
    .values({ user_id: u.id, ...grant } as never)
    .execute();
  return login(t.app, username);
}

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
  here = await pointInDemoGrid(t.app);
  const db = t.database.db;
  const depts = await db
    .selectFrom("departments")
    .select(["id", "code", "name"])
    .where("code", "in", ["320505002-PCS", "320505002-BSC"])
    .execute();
  const byCode = (c: string) => {
    const d = depts.find((x) => x.code === c);
    if (!d) throw new Error(`no department ${c}`);
    return { id: d.id, name: d.name };
  };
  police = byCode("320505002-PCS");
  office = byCode("320505002-BSC");
  district = await db
    .selectFrom("areas")
    .select(["id", "path"])
    .where("level", "=", "district")
    .executeTakeFirstOrThrow();
  street = await db
    .selectFrom("areas")
    .select(["id", "code", "path"])
    .where("code", "=", "320505002")
    .executeTakeFirstOrThrow();
  const other = await db
    .selectFrom("areas")
    .select("id")
    .where("code", "=", "320505001")
    .executeTakeFirstOrThrow();
  otherCoord = await userWithGrant("coord-xsg", {
    role: "coordinator",
    scope_kind: "area",
    area_id: other.id,
  });
  streetCoord = await userWithGrant("coord-ss", {
    role: "coordinator",
    scope_kind: "area",
    area_id: street.id,
  });
  enterpriseId = (await ok<{ grants: { scope: { id: string } }[] }>(get(ent, "/api/auth/me")))
    .grants[0]?.scope.id as string;
  associationId = (await ok<{ grants: { scope: { id: string } }[] }>(get(assoc, "/api/auth/me")))
    .grants[0]?.scope.id as string;
});
afterAll(() => t.close());

/** A theft in the demo grid: the list routes it to the demo officer's police station. */
async function report(): Promise<{ id: string; version: number }> {
  const res = await post(resident, "/api/cases", {
    categoryCode: "theft_fraud.theft",
    description: "楼下车棚的电动车电瓶被偷",
    ...here,
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().lead?.id).toBe(police.id);
  return { id: res.json().id, version: res.json().version };
}

async function act(s: Session, id: string, action: string, body: object = {}) {
  return ok<{ version: number; status: string; lead: { id: string } | null }>(
    post(s, `/api/cases/${id}/${action}`, body),
  );
}

/** Returned three times by the police station, dispatched and reassigned back: 4 bounces (> 2). */
async function bouncedCase() {
  const c = await report();
  await act(officer, c.id, "return", { note: "不属于本所职责" });
  await act(coord, c.id, "dispatch", { departmentId: police.id, note: "经核实仍属派出所" });
  await act(officer, c.id, "return", { note: "应由街道处理" });
  await act(coord, c.id, "reassign", { departmentId: police.id, note: "请派出所先行处置" });
  const last = await act(officer, c.id, "return", { note: "仍不属于本所" });
  expect(last.status).toBe("returned");
  return c.id;
}

async function createMeeting(over: object = {}, s = coord) {
  return ok<MeetingDetail>(
    post(s, "/api/meetings", {
      areaId: street.id,
      title: "狮山街道联席会议（专题）",
      scheduledAt: inDays(3),
      place: "狮山街道综治中心会议室",
      participants: { departmentIds: [police.id, office.id], organisationIds: [enterpriseId] },
      ...over,
    }),
    201,
  );
}

const notificationsOf = async (username: string, kind: string) =>
  (
    await sql<{ title: string; link: string | null }>`SELECT n.title, n.link FROM notifications n
      JOIN users u ON u.id = n.user_id WHERE u.username = ${username} AND n.kind = ${kind}
      ORDER BY n.id`.execute(t.database.db)
  ).rows;

describe("access", () => {
  it("answers 401 without a session", async () => {
    for (const url of [
      "/api/meetings",
      "/api/meetings/settings",
      "/api/meetings/agenda-candidates",
      "/api/meetings/action-items",
      "/api/meetings/1",
    ])
      expect((await t.app.inject({ method: "GET", url })).statusCode, url).toBe(401);
    const valid = {
      title: "联席会议",
      scheduledAt: inDays(2),
      place: "会议室",
      participants: { departmentIds: ["1"] },
    };
    expect(
      (await t.app.inject({ method: "POST", url: "/api/meetings", payload: valid })).statusCode,
    ).toBe(401);
  });

  it("answers 403 to those who neither coordinate nor can be invited", async () => {
    expect((await get(resident, "/api/meetings")).statusCode).toBe(403);
    expect((await get(gw, "/api/meetings")).statusCode).toBe(403);
    expect((await get(gw, "/api/meetings/action-items")).statusCode).toBe(403);
    // The invited read; only the coordination centre calls meetings and builds agendas.
    expect((await get(officer, "/api/meetings")).statusCode).toBe(200);
    expect((await get(officer, "/api/meetings/agenda-candidates")).statusCode).toBe(403);
    expect(
      (
        await post(officer, "/api/meetings", {
          title: "部门自己召集的会",
          scheduledAt: inDays(2),
          place: "派出所",
          participants: { departmentIds: [police.id] },
        })
      ).statusCode,
    ).toBe(403);
  });

  it("answers 403 for an area outside the caller's and 404 for its meetings", async () => {
    expect((await get(otherCoord, `/api/meetings?areaId=${street.id}`)).statusCode).toBe(403);
    expect(
      (await get(otherCoord, `/api/meetings/agenda-candidates?areaId=${street.id}`)).statusCode,
    ).toBe(403);
    const m = await createMeeting();
    expect((await get(otherCoord, `/api/meetings/${m.id}`)).statusCode).toBe(404);
    expect(
      (await post(otherCoord, `/api/meetings/${m.id}/hold`, { version: m.version })).statusCode,
    ).toBe(404);
    // Not invited: the association does not see it either.
    expect((await get(assoc, `/api/meetings/${m.id}`)).statusCode).toBe(404);
    expect((await get(coord, "/api/meetings/999999999")).statusCode).toBe(404);
  });

  it("refuses bad input with the field that is wrong", async () => {
    const bad = async (over: object, path: string) => {
      const res = await post(coord, "/api/meetings", {
        areaId: street.id,
        title: "联席会议",
        scheduledAt: inDays(2),
        place: "会议室",
        participants: { departmentIds: [police.id] },
        ...over,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(res.json().error.details)).toContain(path);
    };
    await bad({ title: "" }, "title");
    await bad({ participants: { departmentIds: [] } }, "participants");
    await bad({ scheduledAt: "next monday" }, "scheduledAt");
    await bad({ scheduledAt: inDays(-1) }, "body.scheduledAt");
    await bad(
      { participants: { departmentIds: ["999999999"] } },
      "body.participants.departmentIds",
    );
    await bad({ extra: 1 }, "");
    expect((await get(coord, "/api/meetings/abc")).statusCode).toBe(400);
    expect((await get(coord, "/api/meetings?limit=0")).statusCode).toBe(400);
    expect((await get(coord, "/api/meetings/action-items?state=late")).statusCode).toBe(400);
  });
});

describe("the seeded district", () => {
  it("holds a closed meeting with minutes and decisions, and a scheduled one with an agenda", async () => {
    const list = await ok<{ items: MeetingSummary[]; total: number }>(
      get(coord, "/api/meetings?sort=scheduledAt"),
    );
    const closed = list.items.find((m) => m.status === "closed");
    const scheduled = list.items.find((m) => m.status === "scheduled" && m.agendaCount > 0);
    expect(closed).toBeDefined();
    expect(scheduled).toBeDefined();
    const past = await ok<MeetingDetail>(get(coord, `/api/meetings/${closed?.id}`));
    expect(past.minutes).toContain("督办事项");
    expect(past.actionItemList.map((i) => i.state).sort()).toEqual(
      ["done", "open", "open", "overdue"].sort(),
    );
    expect(past.participants.some((p) => p.attended === true)).toBe(true);
    expect(past.log.map((l) => l.action)).toContain("closed");
    const next = await ok<MeetingDetail>(get(coord, `/api/meetings/${scheduled?.id}`));
    expect(next.agenda.some((g) => g.kind !== "other")).toBe(true);
    for (const g of next.agenda) expect(g.status).toBe("open");
    expect(next.allowedActions).toContain("hold");
  });

  it("shows the invited their meetings and their own action items", async () => {
    const mine = await ok<{ items: MeetingSummary[] }>(get(officer, "/api/meetings"));
    expect(mine.items.length).toBeGreaterThanOrEqual(2);
    const detail = await ok<MeetingDetail>(get(officer, `/api/meetings/${mine.items[0]?.id}`));
    expect(detail.view).toBe("participant");
    expect(detail.allowedActions).toEqual([]);
    expect(detail.log).toEqual([]);
    for (const g of detail.agenda) expect(g.reason).toBeNull();
    const items = await ok<{ items: ActionItem[]; total: number }>(
      get(officer, "/api/meetings/action-items"),
    );
    expect(items.total).toBeGreaterThan(0);
    for (const i of items.items) expect(i.owner.id).toBe(police.id);
    expect(items.items.some((i) => i.state === "overdue")).toBe(true);
    const overdue = await ok<{ items: ActionItem[] }>(
      get(officer, "/api/meetings/action-items?state=overdue"),
    );
    for (const i of overdue.items) expect(i.state).toBe("overdue");
    // The enterprise sees its own: none of the police station's.
    const entItems = await ok<{ items: ActionItem[] }>(get(ent, "/api/meetings/action-items"));
    for (const i of entItems.items) expect(i.owner.id).toBe(enterpriseId);
    expect((await get(assoc, "/api/meetings")).statusCode).toBe(200);
  });
});

describe("meetings", () => {
  it("invites the participants' people and tells them of changes; stale edits answer 409", async () => {
    const before = (await notificationsOf("officer", "meeting.invited")).length;
    const m = await createMeeting({ title: "出租房屋专题联席会议" });
    expect(m.status).toBe("scheduled");
    expect(m.view).toBe("coordinator");
    expect(m.participants.map((p) => p.kind).sort()).toEqual([
      "department",
      "department",
      "enterprise",
    ]);
    const invited = await notificationsOf("officer", "meeting.invited");
    expect(invited.length).toBe(before + 1);
    expect(invited.at(-1)?.title).toContain("出租房屋专题联席会议");
    expect(invited.at(-1)?.link).toBe(`/meetings/${m.id}`);
    expect((await notificationsOf("enterprise", "meeting.invited")).at(-1)?.link).toBe(
      `/meetings/${m.id}`,
    );

    const moved = await ok<MeetingDetail>(
      send(coord, "PATCH", `/api/meetings/${m.id}`, {
        version: m.version,
        scheduledAt: inDays(4),
        participants: {
          departmentIds: [police.id, office.id],
          organisationIds: [enterpriseId, associationId],
        },
      }),
    );
    expect(moved.version).toBe(m.version + 1);
    expect(moved.participants).toHaveLength(4);
    expect((await notificationsOf("association", "meeting.invited")).at(-1)?.link).toBe(
      `/meetings/${m.id}`,
    );
    expect((await notificationsOf("officer", "meeting.changed")).length).toBeGreaterThan(0);
    const stale = await send(coord, "PATCH", `/api/meetings/${m.id}`, {
      version: m.version,
      title: "改个名字",
    });
    expect(stale.statusCode).toBe(409);
    expect((await get(assoc, `/api/meetings/${m.id}`)).statusCode).toBe(200);
  });

  it("runs scheduled → held → closed, minutes first; open items carry over to the pool", async () => {
    const m = await createMeeting({ title: "流程测试会议" });
    const topic = await ok<MeetingDetail>(
      post(coord, `/api/meetings/${m.id}/agenda`, { kind: "other", title: "辖区夜市治安秩序" }),
    );
    const item = topic.agenda.find((g) => g.title === "辖区夜市治安秩序") as AgendaItem;
    expect(item.allowedActions).toEqual(["drop"]);
    // Nothing to record before the meeting takes place.
    expect(
      (
        await send(coord, "PUT", `/api/meetings/${m.id}/minutes`, {
          version: topic.version,
          minutes: "x",
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await post(coord, `/api/meetings/agenda-items/${item.id}/conclude`, {
          version: item.version,
          outcome: "已议定",
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await post(officer, `/api/meetings/${m.id}/hold`, { version: topic.version })).statusCode,
    ).toBe(403);
    const held = await ok<MeetingDetail>(
      post(coord, `/api/meetings/${m.id}/hold`, { version: topic.version }),
    );
    expect(held.status).toBe("held");
    expect(held.allowedActions.sort()).toEqual(["agenda", "close", "decide", "minutes"]);
    const noMinutes = await post(coord, `/api/meetings/${m.id}/close`, { version: held.version });
    expect(noMinutes.statusCode).toBe(400);
    expect(noMinutes.body).toContain("会议纪要");
    const badAttendance = await send(coord, "PUT", `/api/meetings/${m.id}/minutes`, {
      version: held.version,
      minutes: "会议纪要",
      attendance: [{ participantId: "999999999", attended: true }],
    });
    expect(badAttendance.statusCode).toBe(400);
    const minuted = await ok<MeetingDetail>(
      send(coord, "PUT", `/api/meetings/${m.id}/minutes`, {
        version: held.version,
        minutes: "一、会议研究了夜市治安问题。",
        attendance: held.participants.map((p, i) => ({ participantId: p.id, attended: i > 0 })),
      }),
    );
    expect(minuted.participants.filter((p) => p.attended).length).toBe(
      held.participants.length - 1,
    );
    const closed = await ok<MeetingDetail>(
      post(coord, `/api/meetings/${m.id}/close`, { version: minuted.version }),
    );
    expect(closed.status).toBe("closed");
    expect(closed.allowedActions).toEqual([]);
    // The topic not dealt with is carried over to the street's next scheduled meeting.
    const carried = await t.database.db
      .selectFrom("meeting_agenda_items as g")
      .innerJoin("meetings as m", "m.id", "g.meeting_id")
      .select(["g.status", "m.id", "m.status as meeting_status"])
      .where("g.id", "=", item.id)
      .executeTakeFirstOrThrow();
    expect(carried).toMatchObject({ status: "open", meeting_status: "scheduled" });
    expect(carried.id).not.toBe(m.id);
    expect(closed.log.map((l) => l.action)).toEqual(
      expect.arrayContaining(["created", "agenda_added", "held", "minutes_saved", "closed"]),
    );
  });

  it("cancels with a reason, tells the participants, and carries open items over", async () => {
    const other = await t.database.db
      .selectFrom("areas")
      .select("id")
      .where("code", "=", "320505001")
      .executeTakeFirstOrThrow();
    const m = await createMeeting({ title: "将被取消的会议", areaId: other.id }, otherCoord);
    const withTopic = await ok<MeetingDetail>(
      post(otherCoord, `/api/meetings/${m.id}/agenda`, {
        kind: "other",
        title: "工业园区交通秩序",
      }),
    );
    const topic = withTopic.agenda.find((g) => g.title === "工业园区交通秩序") as AgendaItem;
    expect(
      (await post(otherCoord, `/api/meetings/${m.id}/cancel`, { version: m.version, reason: "" }))
        .statusCode,
    ).toBe(400);
    const c = await ok<MeetingDetail>(
      post(otherCoord, `/api/meetings/${m.id}/cancel`, {
        version: m.version,
        reason: "与区级会议合并召开",
      }),
    );
    expect(c.status).toBe("cancelled");
    expect(c.cancelReason).toBe("与区级会议合并召开");
    expect((await notificationsOf("officer", "meeting.cancelled")).at(-1)?.title).toContain(
      "将被取消的会议",
    );
    expect(
      (await post(otherCoord, `/api/meetings/${m.id}/hold`, { version: c.version })).statusCode,
    ).toBe(409);
    // Carried over to the next meeting covering 浒墅关: the district's.
    const carried = await t.database.db
      .selectFrom("meeting_agenda_items as g")
      .innerJoin("meetings as m", "m.id", "g.meeting_id")
      .select(["g.status", "m.area_path", "m.status as meeting_status"])
      .where("g.id", "=", topic.id)
      .executeTakeFirstOrThrow();
    expect(carried).toMatchObject({
      status: "open",
      area_path: district.path,
      meeting_status: "scheduled",
    });
  });
});

describe("the bounce detector", () => {
  let caseId = "";

  it("lists a case returned or reassigned more than the threshold, with why", async () => {
    caseId = await bouncedCase();
    const c = await ok<AgendaCandidates>(
      get(coord, `/api/meetings/agenda-candidates?areaId=${street.id}&kind=bounced_case`),
    );
    expect(c.bounceThreshold).toBe(2);
    const mine = c.items.find((x) => x.ref.caseId === caseId);
    expect(mine?.reason).toContain("退回或改派 4 次");
    expect(mine?.details.steps).toHaveLength(4);
    expect(c.totals.bounced_case).toBeGreaterThanOrEqual(1);
    // A case returned once is no candidate.
    const once = await report();
    await act(officer, once.id, "return", { note: "不属于本所" });
    const again = await ok<AgendaCandidates>(
      get(coord, `/api/meetings/agenda-candidates?areaId=${street.id}&kind=bounced_case`),
    );
    expect(again.items.some((x) => x.ref.caseId === once.id)).toBe(false);
  });

  it("follows the district's threshold, which only its coordinators change", async () => {
    const s = await ok<{ version: number | null; editable: boolean }>(
      get(coord, "/api/meetings/settings"),
    );
    expect(s.editable).toBe(true);
    expect(
      (await ok<{ editable: boolean }>(get(streetCoord, "/api/meetings/settings"))).editable,
    ).toBe(false);
    expect(
      (await send(streetCoord, "PUT", "/api/meetings/settings", { bounceThreshold: 5 })).statusCode,
    ).toBe(403);
    expect(
      (await send(coord, "PUT", "/api/meetings/settings", { bounceThreshold: 0 })).statusCode,
    ).toBe(400);
    const raised = await ok<{ version: number; bounceThreshold: number }>(
      send(coord, "PUT", "/api/meetings/settings", { bounceThreshold: 5 }),
    );
    expect(raised.bounceThreshold).toBe(5);
    const none = await ok<AgendaCandidates>(
      get(coord, `/api/meetings/agenda-candidates?areaId=${street.id}&kind=bounced_case`),
    );
    expect(none.items.some((x) => x.ref.caseId === caseId)).toBe(false);
    expect(
      (await send(coord, "PUT", "/api/meetings/settings", { version: 99, bounceThreshold: 2 }))
        .statusCode,
    ).toBe(409);
    await ok(
      send(coord, "PUT", "/api/meetings/settings", { version: raised.version, bounceThreshold: 2 }),
    );
  });

  it("puts it once onto the next scheduled meeting of its area, however often it runs", async () => {
    // The earliest scheduled meeting covering the case's place.
    const soonest = await createMeeting({ title: "最近一次联席会议", scheduledAt: inDays(1) });
    await Promise.all([
      runMeetingAgenda({ db: t.database.db }),
      runMeetingAgenda({ db: t.database.db }),
    ]);
    await runMeetingAgenda({ db: t.database.db });
    const rows = await t.database.db
      .selectFrom("meeting_agenda_items")
      .select(["meeting_id", "status", "source"])
      .where("subject_key", "=", `case:${caseId}`)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.meeting_id).toBe(soonest.id);
    expect(rows[0]?.source).toBe("detector");
    const m = await ok<MeetingDetail>(get(coord, `/api/meetings/${soonest.id}`));
    const item = m.agenda.find((g) => g.link?.id === caseId);
    expect(item?.kind).toBe("bounced_case");
    expect(item?.reason).toContain("超过 2 次");
    expect(m.log.some((l) => l.action === "agenda_added" && l.actor.startsWith("系统"))).toBe(true);
    // The candidate says where it is.
    const c = await ok<AgendaCandidates>(
      get(coord, `/api/meetings/agenda-candidates?areaId=${street.id}&kind=bounced_case`),
    );
    expect(c.items.find((x) => x.ref.caseId === caseId)?.onAgenda?.meetingId).toBe(soonest.id);
    // Adding it to another meeting is refused: it is on one already.
    const other = await createMeeting({ title: "另一次会议" });
    const dup = await post(coord, `/api/meetings/${other.id}/agenda`, {
      kind: "bounced_case",
      caseId,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain("最近一次联席会议");
  });

  it("rules on the case in one step: reassigned, assisted, and saved as a rule", async () => {
    const meetings = await ok<{ items: MeetingSummary[] }>(
      get(coord, `/api/meetings?areaId=${street.id}&q=${encodeURIComponent("最近一次联席会议")}`),
    );
    const m = await ok<MeetingDetail>(get(coord, `/api/meetings/${meetings.items[0]?.id}`));
    const item = m.agenda.find((g) => g.link?.id === caseId) as AgendaItem;
    // Only at the meeting.
    expect(item.allowedActions).not.toContain("rule");
    const held = await ok<MeetingDetail>(
      post(coord, `/api/meetings/${m.id}/hold`, { version: m.version }),
    );
    const ready = held.agenda.find((g) => g.id === item.id) as AgendaItem;
    expect(ready.allowedActions).toContain("rule");

    const context = await ok<RulingContext>(
      get(coord, `/api/meetings/agenda-items/${item.id}/ruling-context`),
    );
    expect(context.case.status).toBe("returned");
    expect(context.areas.map((a) => a.level)).toEqual(["district", "street", "community", "grid"]);
    const rule = { categoryCode: "theft_fraud.theft", areaCode: street.code, byKind: false };
    const preview = await ok<RulingPreview>(
      post(coord, `/api/meetings/agenda-items/${item.id}/ruling/preview`, {
        leadDepartmentId: office.id,
        assist: [{ departmentId: police.id }],
        rule,
      }),
    );
    expect(preview.case.caseAction).toBe("dispatch");
    expect(preview.current.lead?.id).toBe(police.id);
    expect(preview.withRule.lead?.id).toBe(office.id);
    expect(preview.withRule.wins).toBe(true);
    expect(preview.rule.area?.code).toBe(street.code);
    const badArea = await post(coord, `/api/meetings/agenda-items/${item.id}/ruling/preview`, {
      leadDepartmentId: office.id,
      rule: { ...rule, areaCode: "320505001" },
    });
    expect(badArea.statusCode).toBe(400);
    expect(badArea.body).toContain("body.rule.areaCode");

    const body = {
      version: ready.version,
      caseVersion: context.case.version,
      leadDepartmentId: office.id,
      assist: [{ departmentId: police.id }, { organisationId: associationId }],
      task: "配合街道核查车棚监控",
      note: "车棚管理属街道职责，由街道办事处牵头，派出所配合调查",
      saveRule: rule,
    };
    expect(
      (await post(officer, `/api/meetings/agenda-items/${item.id}/ruling`, body)).statusCode,
    ).toBe(403);
    const stale = await post(coord, `/api/meetings/agenda-items/${item.id}/ruling`, {
      ...body,
      caseVersion: context.case.version - 1,
    });
    expect(stale.statusCode).toBe(409);
    const res = await ok<{ item: AgendaItem; caseId: string; ruleId: string | null }>(
      post(coord, `/api/meetings/agenda-items/${item.id}/ruling`, body),
    );
    expect(res.item.status).toBe("concluded");
    expect(res.item.ruling?.lead.id).toBe(office.id);
    expect(res.item.ruling?.caseAction).toBe("dispatch");
    expect(res.item.ruling?.rule?.id).toBe(res.ruleId);

    // The case: dispatched to the street office, the police and the association assisting, on its timeline.
    const c = await ok<{
      status: string;
      lead: { id: string };
      parties: { role: string; name: string; task: string | null }[];
      timeline: { action: string; note: string | null }[];
    }>(get(coord, `/api/cases/${caseId}`));
    expect(c.status).toBe("dispatched");
    expect(c.lead.id).toBe(office.id);
    expect(c.parties.filter((p) => p.task === "配合街道核查车棚监控")).toHaveLength(2);
    const dispatch = c.timeline.filter((s) => s.action === "dispatch").at(-1);
    expect(dispatch?.note).toContain("联席会议");
    // The rule is on the responsibility list, with its first version.
    const saved = await ok<{ lead: { ref: { departmentId: string } }; area: { code: string } }>(
      get(coord, `/api/routing-rules/${res.ruleId}`),
    );
    expect(saved.lead.ref.departmentId).toBe(office.id);
    expect(saved.area.code).toBe(street.code);
    // A new theft at the same place now goes to the street office.
    const fresh = await post(resident, "/api/cases", {
      categoryCode: "theft_fraud.theft",
      description: "车棚里的电瓶又被偷了",
      ...here,
    });
    expect(fresh.json().lead?.id).toBe(office.id);
    // Ruled once: the detector does not bring the case back, a second ruling is refused.
    await runMeetingAgenda({ db: t.database.db });
    const open = await t.database.db
      .selectFrom("meeting_agenda_items")
      .select("id")
      .where("subject_key", "=", `case:${caseId}`)
      .where("status", "=", "open")
      .execute();
    expect(open).toHaveLength(0);
    expect(
      (
        await post(coord, `/api/meetings/agenda-items/${item.id}/ruling`, {
          ...body,
          version: res.item.version,
        })
      ).statusCode,
    ).toBe(409);
    const log = await ok<MeetingDetail>(get(coord, `/api/meetings/${m.id}`));
    expect(log.log.find((l) => l.action === "ruling")?.details.ruleId).toBe(res.ruleId);
    // The demo officer's thefts go back to the police station for the tests that follow.
    const current = await ok<{ version: number }>(get(coord, `/api/routing-rules/${res.ruleId}`));
    await ok(
      send(coord, "PATCH", `/api/routing-rules/${res.ruleId}`, {
        version: current.version,
        active: false,
      }),
    );
  });

  it("writes nothing when any part of the ruling is refused", async () => {
    const id = await bouncedCase();
    const m = await createMeeting(
      { title: "街道协调员的会议", scheduledAt: inDays(1) },
      streetCoord,
    );
    await runMeetingAgenda({ db: t.database.db });
    const detail = await ok<MeetingDetail>(get(streetCoord, `/api/meetings/${m.id}`));
    const item = detail.agenda.find((g) => g.link?.id === id) as AgendaItem;
    expect(item).toBeDefined();
    const held = await ok<MeetingDetail>(
      post(streetCoord, `/api/meetings/${m.id}/hold`, { version: detail.version }),
    );
    const before = await ok<{ version: number; status: string }>(get(coord, `/api/cases/${id}`));
    const rulesBefore = await t.database.db
      .selectFrom("routing_rules")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    // A district-wide rule needs a district grant: the whole ruling is refused.
    const res = await post(streetCoord, `/api/meetings/agenda-items/${item.id}/ruling`, {
      version: (held.agenda.find((g) => g.id === item.id) as AgendaItem).version,
      caseVersion: before.version,
      leadDepartmentId: office.id,
      note: "由街道办事处牵头",
      saveRule: { categoryCode: "theft_fraud", areaCode: null, byKind: true },
    });
    expect(res.statusCode, res.body).toBe(403);
    const after = await ok<{ version: number; status: string }>(get(coord, `/api/cases/${id}`));
    expect(after).toMatchObject({ version: before.version, status: before.status });
    const rulesAfter = await t.database.db
      .selectFrom("routing_rules")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(rulesAfter.n).toBe(rulesBefore.n);
    const still = await ok<MeetingDetail>(get(streetCoord, `/api/meetings/${m.id}`));
    expect(still.agenda.find((g) => g.id === item.id)?.status).toBe("open");
    // Without the rule it goes through: the returned case is dispatched to the ruled lead.
    const ruled = await ok<{ item: AgendaItem; ruleId: string | null }>(
      post(streetCoord, `/api/meetings/agenda-items/${item.id}/ruling`, {
        version: (still.agenda.find((g) => g.id === item.id) as AgendaItem).version,
        caseVersion: before.version,
        leadDepartmentId: police.id,
        note: "仍由派出所牵头",
      }),
    );
    expect(ruled.ruleId).toBeNull();
    expect(ruled.item.ruling?.caseAction).toBe("dispatch");
  });
});

describe("the agenda", () => {
  it("adds candidates from the data once, topics of one's own, and drops with a reason", async () => {
    const m = await createMeeting({
      areaId: district.id,
      title: "议程测试会议",
      scheduledAt: inDays(10),
    });
    const c = await ok<AgendaCandidates>(
      get(coord, `/api/meetings/agenda-candidates?areaId=${district.id}`),
    );
    expect(Object.keys(c.totals).sort()).toEqual(
      ["bounced_case", "proposal", "supervised_case", "warning"].sort(),
    );
    for (const x of c.items) expect(x.reason.length).toBeGreaterThan(0);
    expect(c.items.some((x) => x.kind === "warning")).toBe(true);
    expect(c.items.some((x) => x.kind === "proposal")).toBe(true);
    // The seeded meeting holds the top proposal already: the candidate says so.
    expect(c.items.some((x) => x.kind === "proposal" && x.onAgenda?.meetingId)).toBe(true);
    const pick = c.items.find((x) => x.onAgenda === null && x.kind === "proposal");
    expect(pick).toBeDefined();
    const added = await ok<MeetingDetail>(
      post(coord, `/api/meetings/${m.id}/agenda`, { kind: pick?.kind, ...pick?.ref }),
    );
    const item = added.agenda.find((g) => g.link?.id === pick?.ref.proposalId) as AgendaItem;
    expect(item.source).toBe("manual");
    expect(item.reason).toContain("人支持");
    const twice = await post(coord, `/api/meetings/${m.id}/agenda`, {
      kind: pick?.kind,
      ...pick?.ref,
    });
    expect(twice.statusCode).toBe(409);
    // A record outside a street meeting's area is refused.
    const s = await createMeeting({ title: "街道议程测试会议" });
    const outside = await t.database.db
      .selectFrom("cases")
      .select("id")
      .where("area_path", "not like", `${street.path}%`)
      .limit(1)
      .executeTakeFirstOrThrow();
    const far = await post(coord, `/api/meetings/${s.id}/agenda`, {
      kind: "supervised_case",
      caseId: outside.id,
    });
    expect(far.statusCode).toBe(400);
    expect(far.body).toContain("body.caseId");
    expect((await post(coord, `/api/meetings/${s.id}/agenda`, { kind: "other" })).statusCode).toBe(
      400,
    );
    const dropped = await ok<AgendaItem>(
      post(coord, `/api/meetings/agenda-items/${item.id}/drop`, {
        version: item.version,
        reason: "已在专题会上研究",
      }),
    );
    expect(dropped.status).toBe("dropped");
    expect(
      (
        await post(coord, `/api/meetings/agenda-items/${item.id}/drop`, {
          version: dropped.version,
          reason: "再次移出",
        })
      ).statusCode,
    ).toBe(409);
    // Dropped: the candidate is free again; the invited no longer see it.
    const later = await ok<AgendaCandidates>(
      get(coord, `/api/meetings/agenda-candidates?areaId=${district.id}&kind=proposal`),
    );
    expect(later.items.find((x) => x.ref.proposalId === pick?.ref.proposalId)?.onAgenda).toBeNull();
    const seen = await ok<MeetingDetail>(get(officer, `/api/meetings/${m.id}`));
    expect(seen.agenda.some((g) => g.id === item.id)).toBe(false);
    expect(
      (await get(otherCoord, `/api/meetings/agenda-items/${item.id}/ruling-context`)).statusCode,
    ).toBe(404);
  });
});

describe("action items", () => {
  let meetingId = "";
  let item: ActionItem;

  it("are decided at a held meeting and notify their owner", async () => {
    const m = await createMeeting({ title: "督办事项测试会议" });
    meetingId = m.id;
    const early = await post(coord, `/api/meetings/${m.id}/action-items`, {
      title: "开展车棚安全检查",
      ownerDepartmentId: police.id,
      dueOn: day(7),
    });
    expect(early.statusCode).toBe(409);
    await ok(post(coord, `/api/meetings/${m.id}/hold`, { version: m.version }));
    const bad = async (payload: object, path: string) => {
      const res = await post(coord, `/api/meetings/${m.id}/action-items`, payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(res.json().error.details)).toContain(path);
    };
    await bad({ title: "检查", dueOn: day(7) }, "ownerDepartmentId");
    await bad(
      {
        title: "检查车棚",
        ownerDepartmentId: police.id,
        ownerOrganisationId: enterpriseId,
        dueOn: day(7),
      },
      "ownerDepartmentId",
    );
    await bad({ title: "检查车棚", ownerDepartmentId: police.id, dueOn: day(-1) }, "body.dueOn");
    await bad(
      { title: "检查车棚", ownerDepartmentId: "999999999", dueOn: day(7) },
      "body.ownerDepartmentId",
    );
    item = await ok<ActionItem>(
      post(coord, `/api/meetings/${m.id}/action-items`, {
        title: "开展车棚安全检查并加装监控",
        ownerDepartmentId: police.id,
        dueOn: day(7),
      }),
      201,
    );
    expect(item.state).toBe("open");
    expect(item.owner).toMatchObject({ kind: "department", id: police.id });
    expect((await notificationsOf("officer", "meeting.action_item")).at(-1)?.title).toContain(
      "开展车棚安全检查",
    );
    const mine = await ok<{ items: ActionItem[] }>(
      get(officer, "/api/meetings/action-items?mine=true&sort=newest"),
    );
    expect(mine.items[0]?.id).toBe(item.id);
    expect(mine.items[0]?.allowedActions).toEqual(["complete"]);
    const perMeeting = await ok<{ items: ActionItem[]; total: number }>(
      get(coord, `/api/meetings/action-items?meetingId=${m.id}`),
    );
    expect(perMeeting.total).toBe(1);
  });

  it("are done by their owner with a note, sent back and cancelled by the coordinator", async () => {
    // The enterprise is invited but does not own it: 403; a stranger: 404.
    expect(
      (
        await post(ent, `/api/meetings/action-items/${item.id}/complete`, {
          version: item.version,
          note: "完成",
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await post(assoc, `/api/meetings/action-items/${item.id}/complete`, {
          version: item.version,
          note: "完成",
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await post(officer, `/api/meetings/action-items/${item.id}/complete`, {
          version: item.version,
          note: "",
        })
      ).statusCode,
    ).toBe(400);
    const done = await ok<ActionItem>(
      post(officer, `/api/meetings/action-items/${item.id}/complete`, {
        version: item.version,
        note: "已检查 12 处车棚，加装监控 6 个",
      }),
    );
    expect(done.state).toBe("done");
    expect(done.doneBy).toContain("王海");
    expect(
      (await notificationsOf("coordinator", "meeting.action_item_done")).at(-1)?.title,
    ).toContain("开展车棚安全检查");
    expect(
      (
        await post(officer, `/api/meetings/action-items/${item.id}/reopen`, {
          version: done.version,
          note: "不行",
        })
      ).statusCode,
    ).toBe(403);
    const reopened = await ok<ActionItem>(
      post(coord, `/api/meetings/action-items/${item.id}/reopen`, {
        version: done.version,
        note: "监控尚未接入平台，请继续落实",
      }),
    );
    expect(reopened.state).toBe("open");
    expect(reopened.doneNote).toBeNull();
    expect(
      (
        await post(coord, `/api/meetings/action-items/${item.id}/reopen`, {
          version: reopened.version,
          note: "再次",
        })
      ).statusCode,
    ).toBe(409);
    const moved = await ok<ActionItem>(
      send(coord, "PATCH", `/api/meetings/action-items/${item.id}`, {
        version: reopened.version,
        ownerDepartmentId: office.id,
        dueOn: day(14),
      }),
    );
    expect(moved.owner.id).toBe(office.id);
    expect(moved.dueOn).toBe(day(14));
    const cancelled = await ok<ActionItem>(
      post(coord, `/api/meetings/action-items/${item.id}/cancel`, {
        version: moved.version,
        reason: "已并入区级专项行动",
      }),
    );
    expect(cancelled.state).toBe("cancelled");
    const log = await ok<MeetingDetail>(get(coord, `/api/meetings/${meetingId}`));
    expect(log.log.map((l) => l.action)).toEqual(
      expect.arrayContaining([
        "action_item_added",
        "action_item_done",
        "action_item_reopened",
        "action_item_updated",
        "action_item_cancelled",
      ]),
    );
  });

  it("are flagged overdue once, their owner and the organiser told", async () => {
    const m = await ok<MeetingDetail>(get(coord, `/api/meetings/${meetingId}`));
    const late = await ok<ActionItem>(
      post(coord, `/api/meetings/${m.id}/action-items`, {
        title: "报送车棚监控接入方案",
        ownerDepartmentId: police.id,
        dueOn: day(0),
      }),
      201,
    );
    // Three days on, the item is overdue: the job tells once.
    const later = new Date(Date.now() + 3 * DAY);
    const first = await runOverdueActionItems({ db: t.database.db }, later);
    expect(first.flagged).toBeGreaterThanOrEqual(1);
    expect(first.notifiedUsers.length).toBeGreaterThan(0);
    const second = await runOverdueActionItems({ db: t.database.db }, later);
    expect(second.flagged).toBe(0);
    expect(
      (await notificationsOf("officer", "meeting.action_item_overdue")).some((n) =>
        n.title.includes("报送车棚监控接入方案"),
      ),
    ).toBe(true);
    const overdueNow = await ok<{ items: ActionItem[] }>(
      get(officer, "/api/meetings/action-items?state=overdue"),
    );
    // Not overdue today (it is due today), only three days on.
    expect(overdueNow.items.some((i) => i.id === late.id)).toBe(false);
  });

  it("export as XLSX with the list's filters", async () => {
    const res = await get(coord, "/api/meetings/action-items.xlsx?state=overdue");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    expect(res.rawPayload.subarray(0, 2).toString()).toBe("PK");
    expect((await get(resident, "/api/meetings/action-items.xlsx")).statusCode).toBe(403);
  });
});

describe("the pool", () => {
  it("keeps what no meeting holds until the next one of its area is called", async () => {
    const other = await t.database.db
      .selectFrom("areas")
      .select(["id", "path"])
      .where("code", "=", "320505001")
      .executeTakeFirstOrThrow();
    // No meeting of 浒墅关 or of the whole district left: cancel them.
    const scheduled = await ok<{ items: MeetingSummary[] }>(
      get(coord, "/api/meetings?status=scheduled&limit=200"),
    );
    for (const m of scheduled.items.filter((x) => ["320505", "320505001"].includes(x.area.code)))
      await ok(
        post(coord, `/api/meetings/${m.id}/cancel`, { version: m.version, reason: "测试：改期" }),
      );
    const pool = await ok<{ items: AgendaItem[] }>(
      get(otherCoord, `/api/meetings/agenda-pool?areaId=${other.id}`),
    );
    const topic = pool.items.find((g) => g.title === "工业园区交通秩序");
    expect(topic?.meetingId).toBeNull();
    expect(topic?.allowedActions).toEqual(["drop"]);
    expect(
      (await get(otherCoord, `/api/meetings/agenda-pool?areaId=${street.id}`)).statusCode,
    ).toBe(403);
    // The next meeting there takes it up at once.
    const next = await createMeeting(
      { title: "合并后的联席会议", areaId: other.id, scheduledAt: inDays(8) },
      otherCoord,
    );
    expect(next.agenda.map((g) => g.id)).toContain(topic?.id);
    expect(next.log.some((l) => l.action === "agenda_added" && l.actor.startsWith("系统"))).toBe(
      true,
    );
  });
});
