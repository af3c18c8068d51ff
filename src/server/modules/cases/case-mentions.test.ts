import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { TEST_DEMO_PASSWORD } from "../../../../test/test-database-config.js";
import { hashPassword } from "../auth/password.js";

let t: TestApp;
let base = "";
let resident: Session;
let officer: Session;
let coord: Session;
let association: Session;
let here: { lat: number; lng: number };
/** Users made for these tests, by name. */
const ids: Record<string, string> = {};
let demo: Record<string, string> = {};

/** A user with one grant, straight into the database (the demo has one account per role). */
async function addUser(
  username: string,
  displayName: string,
  grant: { role: string; department_id?: string; area_id?: string },
  status: "active" | "disabled" = "active",
) {
  const db = t.database.db;
  const u = await db
    .insertInto("users")
    .values({
      username,
      display_name: displayName,
      password_hash: await hashPassword(TEST_DEMO_PASSWORD),
      phone_enc: null,
      phone_masked: null,
      status,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("role_grants")
    .values({
      user_id: u.id,
      role: grant.role,
      scope_kind: grant.department_id ? "department" : "area",
      department_id: grant.department_id ?? null,
      area_id: grant.area_id ?? null,
      organisation_id: null,
    })
    .execute();
  ids[username] = u.id;
}

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  [resident, officer, coord, association] = await Promise.all([
    login(t.app, "resident"),
    login(t.app, "officer"),
    login(t.app, "coordinator"),
    login(t.app, "association"),
  ]);
  here = await pointInDemoGrid(t.app);
  const db = t.database.db;
  demo = Object.fromEntries(
    (await db.selectFrom("users").select(["username", "id"]).execute()).map((u) => [
      u.username,
      u.id,
    ]),
  );
  const station = await db
    .selectFrom("role_grants")
    .select("department_id")
    .where("user_id", "=", demo.officer as string)
    .executeTakeFirstOrThrow();
  const otherDepartment = await db
    .selectFrom("departments")
    .select("id")
    .where("id", "!=", station.department_id as string)
    .where("kind", "=", "fire")
    .executeTakeFirstOrThrow();
  const otherStreet = await db
    .selectFrom("areas")
    .select("id")
    .where("level", "=", "street")
    .where("code", "!=", "320505002")
    .orderBy("code")
    .executeTakeFirstOrThrow();
  const ownStreet = await db
    .selectFrom("areas")
    .select("id")
    .where("code", "=", "320505002")
    .executeTakeFirstOrThrow();
  const dept = station.department_id as string;
  await addUser("colleague", "张伟（同派出所）", {
    role: "department_officer",
    department_id: dept,
  });
  await addUser(
    "gone",
    "离职人员",
    { role: "department_officer", department_id: dept },
    "disabled",
  );
  await addUser("firefighter", "周强（消防救援站）", {
    role: "department_officer",
    department_id: otherDepartment.id,
  });
  await addUser("streetcoord", "吴敏（狮山街道综治中心）", {
    role: "coordinator",
    area_id: ownStreet.id,
  });
  await addUser("elsewhere", "郑洁（别的街道）", { role: "coordinator", area_id: otherStreet.id });
});
afterAll(async () => {
  for (const s of streams) s.close();
  await t.close();
});

async function theftCase(): Promise<{ id: string; version: number }> {
  const res = await resident.request({
    method: "POST",
    url: "/api/cases",
    payload: { categoryCode: "theft_fraud.theft", description: "车棚里的电瓶又被人偷了", ...here },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const mentionable = (s: Session, id: string) =>
  s.request({ method: "GET", url: `/api/cases/${id}/mentionable` });
const comment = (s: Session, id: string, body: object) =>
  s.request({ method: "POST", url: `/api/cases/${id}/comment`, payload: body });
const mentionNotes = (caseId: string) =>
  t.database.db
    .selectFrom("notifications")
    .select(["user_id", "title", "body"])
    .where("case_id", "=", caseId)
    .where("kind", "=", "case.mentioned")
    .orderBy("id")
    .execute();

const streams: { close(): void }[] = [];

/** Opens the live stream as a session; collects the event names it receives. */
function listen(s: Session) {
  const events: string[] = [];
  const req = http.get(`${base}/api/events`, { headers: { cookie: s.cookie } }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      for (const m of chunk.matchAll(/^event: (\w+)$/gm)) events.push(m[1] as string);
    });
  });
  req.on("error", () => {});
  const stream = { events, close: () => req.destroy() };
  streams.push(stream);
  return stream;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
};

describe("GET /api/cases/:id/mentionable", () => {
  it("lists the parties' people and the area's coordinators for staff who work the case", async () => {
    const c = await theftCase();
    expect(
      (await t.app.inject({ method: "GET", url: `/api/cases/${c.id}/mentionable` })).statusCode,
    ).toBe(401);
    // Not theirs to see: like a missing case.
    expect((await mentionable(association, c.id)).statusCode).toBe(404);
    expect((await mentionable(officer, "999999999")).statusCode).toBe(404);
    // The reporter reads the case but does not mention people.
    expect((await mentionable(resident, c.id)).statusCode).toBe(403);

    const res = await mentionable(officer, c.id);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as {
      id: string;
      displayName: string;
      organisation: string | null;
      staff: boolean;
    }[];
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(ids.colleague as string)).toMatchObject({
      displayName: "张伟（同派出所）",
      organisation: expect.stringContaining("派出所"),
      staff: true,
    });
    expect(byId.get(demo.coordinator as string)?.organisation).toMatch(/^综治中心（/);
    expect(byId.get(ids.streetcoord as string)?.staff).toBe(true);
    // The reporter, for public comments only.
    expect(byId.get(demo.resident as string)).toMatchObject({ organisation: null, staff: false });
    // Not: themself, a disabled colleague, another department, a coordinator elsewhere.
    for (const who of [demo.officer, ids.gone, ids.firefighter, ids.elsewhere])
      expect(byId.has(who as string)).toBe(false);

    // An assisting association's people join once it is invited.
    const invited = await officer.request({
      method: "POST",
      url: `/api/cases/${c.id}/invite`,
      payload: {
        organisationId: (
          await t.database.db
            .selectFrom("role_grants")
            .select("organisation_id")
            .where("user_id", "=", demo.association as string)
            .executeTakeFirstOrThrow()
        ).organisation_id,
        task: "请协会联系老乡了解情况",
      },
    });
    expect(invited.statusCode, invited.body).toBe(200);
    const after = (await mentionable(coord, c.id)).json().items as { id: string }[];
    expect(after.some((i) => i.id === demo.association)).toBe(true);
    expect(after.some((i) => i.id === demo.officer)).toBe(true);
    expect(after.some((i) => i.id === demo.coordinator)).toBe(false);
    // …and the association, now working the case, may mention too.
    expect((await mentionable(association, c.id)).statusCode).toBe(200);
  });
});

describe("mentions in comments", () => {
  it("notify each person mentioned with the comment, live, and show on the timeline", async () => {
    const c = await theftCase();
    const colleague = await login(t.app, "colleague");
    const stream = listen(colleague);
    await until(() => stream.events.includes("ready"));
    const res = await comment(officer, c.id, {
      note: "@张伟（同派出所） @陈静（区综治中心） 请协助调取车棚监控",
      visibility: "internal",
      mentions: [ids.colleague, demo.coordinator, ids.colleague],
      version: c.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    const entry = (
      res.json().timeline as { action: string; mentions?: { id: string; name: string }[] }[]
    ).find((e) => e.action === "comment");
    expect(entry?.mentions).toEqual([
      { id: ids.colleague, name: "张伟（同派出所）" },
      { id: demo.coordinator, name: "陈静（区综治中心）" },
    ]);
    const notes = await mentionNotes(c.id);
    expect(notes.map((n) => n.user_id).sort()).toEqual([ids.colleague, demo.coordinator].sort());
    expect(notes[0]?.title).toMatch(/^王海（.+）在事件 SJ\d+ 的留言中提到了您$/);
    expect(notes[0]?.body).toContain("请协助调取车棚监控");
    await until(() => stream.events.includes("notifications"));
    stream.close();
    // The colleague's bell has it, and the colleague sees the mention on the case.
    const bell = (
      await colleague.request({ method: "GET", url: "/api/notifications?unread=true" })
    ).json();
    expect(bell.items[0]).toMatchObject({ kind: "case.mentioned", caseId: c.id });
    const seen = (await colleague.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(
      seen.timeline.find((e: { action: string }) => e.action === "comment")?.mentions,
    ).toHaveLength(2);
    // The reporter does not see the internal comment, nor its mentions.
    const theirs = (await resident.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(theirs.timeline.some((e: { action: string }) => e.action === "comment")).toBe(false);
  });

  it("refuse, naming them, people who may not be mentioned, and write nothing", async () => {
    const c = await theftCase();
    const db = t.database.db;
    const actionsBefore = await db
      .selectFrom("case_actions")
      .select("id")
      .where("case_id", "=", c.id)
      .execute();
    const refusals: [object, number, RegExp][] = [
      // By number only: a refusal does not tell who an id is.
      [{ mentions: [ids.firefighter] }, 422, new RegExp(`不能提及 #${ids.firefighter}：`)],
      [
        { mentions: [ids.colleague, ids.elsewhere] },
        422,
        new RegExp(`不能提及 #${ids.elsewhere}：`),
      ],
      [{ mentions: [ids.gone] }, 422, new RegExp(`不能提及 #${ids.gone}：`)],
      [{ mentions: ["987654321"] }, 422, /不能提及 #987654321/],
      [{ mentions: [demo.officer] }, 422, /不能提及自己/],
      // An internal comment: staff only; the reporter reads only public ones.
      [{ mentions: [demo.resident] }, 422, /内部留言只能提及办理人员：刘洋（新市民）/],
      [{ mentions: ["abc"] }, 400, /mentions/],
      [{ mentions: Array.from({ length: 21 }, (_, i) => String(i + 1)) }, 400, /20/],
    ];
    for (const [extra, status, message] of refusals) {
      const res = await comment(officer, c.id, { note: "请看一下", ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      expect(JSON.stringify(res.json().error), JSON.stringify(extra)).toMatch(message);
    }
    // Only comments mention.
    const accept = await officer.request({
      method: "POST",
      url: `/api/cases/${c.id}/accept`,
      payload: { mentions: [ids.colleague] },
    });
    expect(accept.statusCode).toBe(400);
    expect(accept.json().error.message).toContain("只有留言可以提及他人");
    // A reporter may comment, but not mention.
    const byReporter = await comment(resident, c.id, {
      note: "补充：车棚没有摄像头",
      mentions: [demo.officer],
    });
    expect(byReporter.statusCode).toBe(403);
    // A stale version: refused before anything is written, mentions included.
    const stale = await comment(officer, c.id, {
      note: "@张伟（同派出所） 看一下",
      mentions: [ids.colleague],
      version: c.version + 3,
    });
    expect(stale.statusCode).toBe(409);
    expect(await mentionNotes(c.id)).toEqual([]);
    const actionsAfter = await db
      .selectFrom("case_actions")
      .select("id")
      .where("case_id", "=", c.id)
      .execute();
    expect(actionsAfter).toHaveLength(actionsBefore.length);
  });

  it("a public comment may mention the reporter, who is told and sees it", async () => {
    const c = await theftCase();
    const res = await comment(officer, c.id, {
      note: "@刘洋（新市民） 请补充一张车棚的照片",
      visibility: "public",
      mentions: [demo.resident],
    });
    expect(res.statusCode, res.body).toBe(200);
    const notes = await mentionNotes(c.id);
    expect(notes.map((n) => n.user_id)).toEqual([demo.resident]);
    const theirs = (await resident.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(
      theirs.timeline.find((e: { action: string }) => e.action === "comment")?.mentions,
    ).toEqual([{ id: demo.resident, name: "刘洋（新市民）" }]);
    // A comment without mentions carries none.
    const plain = await comment(coord, c.id, { note: "已关注", visibility: "internal" });
    const last = plain.json().timeline.at(-1);
    expect(last.action).toBe("comment");
    expect(last.mentions).toBeUndefined();
  });
});
