import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { addWorkingDays, DEFAULT_CALENDAR } from "../../../shared/working-time.js";
import { type Boundary, boundaryInteriorPoint } from "../geo/geometry.js";
import { chinaDay } from "./proposals.policy.js";
import { runOverdueAnswers } from "./proposals.service.js";

let t: TestApp;
let coord: Session;
let officer: Session;
let resident: Session;
let resident2: Session;
let gw: Session;
let ent: Session;
/** 张敏's community (狮山街道, where the demo officer's police station answers) */
let home = { code: "", path: "" };
let place = { lat: 0, lng: 0 };
let neighbours: Session[] = [];
let neighbourIds: string[] = [];

const get = (s: Session, url: string) => s.request({ method: "GET", url });
const post = (s: Session, url: string, payload?: object) =>
  s.request({ method: "POST", url, ...(payload ? { payload } : {}) });
const db = () => t.database.db;

let seq = 0;
const proposal = (over: object = {}) => ({
  title: `增加夜间巡逻频次 ${++seq}`,
  body: "晚上下班回来路上人少，希望增加夜间巡逻，大家心里踏实。",
  topic: "public_order",
  ...place,
  ...over,
});

/** A new account for a resident living in the community with `code` (the demo password). */
async function localResident(code: string, username: string) {
  const user = (
    await sql<{ id: string }>`INSERT INTO users (username, password_hash, display_name)
      SELECT ${username}, password_hash, ${`${username}（测试）`} FROM users WHERE username = 'resident'
      RETURNING id::text`.execute(db())
  ).rows[0]?.id as string;
  await sql`INSERT INTO role_grants (user_id, role, scope_kind) VALUES (${user}::bigint, 'resident', 'self')`.execute(
    db(),
  );
  const linked = await sql`UPDATE residents SET user_id = ${user}::bigint WHERE id = (
      SELECT id FROM residents WHERE user_id IS NULL AND status <> 'departed'
        AND split_part(area_path, '/', 4) = ${code} ORDER BY id LIMIT 1)`.execute(db());
  expect(Number(linked.numAffectedRows)).toBe(1);
  return { session: await login(t.app, username), id: user };
}

async function setThreshold(n: number, days = 15) {
  const s = (await get(coord, "/api/proposals/settings")).json();
  const r = await coord.request({
    method: "PUT",
    url: "/api/proposals/settings",
    payload: { version: s.version ?? undefined, supportThreshold: n, answerWorkingDays: days },
  });
  expect(r.statusCode, r.body).toBe(200);
}

async function create(s: Session = resident2, over: object = {}) {
  const r = await post(s, "/api/proposals", proposal(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

/** A proposal sent to the demo officer's police station (threshold 1, one neighbour supports). */
async function submitted() {
  await setThreshold(1);
  const p = await create();
  const s = await post(neighbours[0] as Session, `/api/proposals/${p.id}/support`);
  expect(s.statusCode, s.body).toBe(200);
  expect(s.json().status).toBe("submitted");
  return s.json();
}

beforeAll(async () => {
  t = await createTestApp();
  [coord, officer, resident, resident2, gw, ent] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "officer"),
    login(t.app, "resident"),
    login(t.app, "resident2"),
    login(t.app, "gridworker"),
    login(t.app, "enterprise"),
  ]);
  const ctx = (await get(resident2, "/api/proposals/context")).json();
  expect(ctx.community?.code, "resident2 lives in a community").toBeTruthy();
  const area = (await get(coord, `/api/areas/${ctx.community.code}`)).json();
  home = { code: area.code, path: area.path };
  const [lng, lat] = boundaryInteriorPoint(area.boundary as Boundary);
  place = { lat, lng };
  const a = await localResident(home.code, "linju1");
  const b = await localResident(home.code, "linju2");
  neighbours = [a.session, b.session];
  neighbourIds = [a.id, b.id];
});
afterAll(() => t.close());

describe("access and input", () => {
  it("answers 401 without a session", async () => {
    for (const [method, url] of [
      ["GET", "/api/proposals"],
      ["GET", "/api/proposals/1"],
      ["GET", "/api/proposals/context"],
      ["POST", "/api/proposals"],
      ["POST", "/api/proposals/1/support"],
      ["POST", "/api/proposals/1/withdraw"],
      ["POST", "/api/proposals/from-cases"],
    ] as const)
      expect((await t.app.inject({ method, url, payload: {} })).statusCode, url).toBe(401);
  });

  it("refuses a proposal with no place, outside the district, or with bad fields (400)", async () => {
    const { lat: _lat, lng: _lng, ...noPlace } = proposal();
    const r = await post(resident2, "/api/proposals", noPlace);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain("请在地图上标出提案的位置");
    const outside = await post(resident2, "/api/proposals", proposal({ lat: 39.9, lng: 116.4 }));
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain("不在本区范围内");
    expect(outside.json().error.details[0].path).toBe("body.lat");
    expect((await post(resident2, "/api/proposals", proposal({ title: "短" }))).statusCode).toBe(
      400,
    );
    expect(
      (await post(resident2, "/api/proposals", proposal({ topic: "weather" }))).statusCode,
    ).toBe(400);
    expect((await get(resident2, "/api/proposals?lat=31.3")).statusCode).toBe(400);
    expect((await get(resident2, "/api/proposals/abc")).statusCode).toBe(400);
  });

  it("lets residents, enterprises and associations propose, not officers or grid workers (403)", async () => {
    expect((await post(officer, "/api/proposals", proposal())).statusCode).toBe(403);
    expect((await post(gw, "/api/proposals", proposal())).statusCode).toBe(403);
    const byEnterprise = await create(ent);
    expect(byEnterprise.proposerKind).toBe("enterprise");
  });

  it("answers 404 for a proposal that does not exist", async () => {
    expect((await get(resident, "/api/proposals/999999999")).statusCode).toBe(404);
    expect((await post(resident, "/api/proposals/999999999/support")).statusCode).toBe(404);
  });
});

describe("proposing and supporting", () => {
  it("places a new proposal in its grid and community with the district's threshold", async () => {
    await setThreshold(7, 12);
    const p = await create();
    expect(p.status).toBe("open");
    expect(p.community.code).toBe(home.code);
    expect(p.grid.code.startsWith(home.code)).toBe(true);
    expect(p.supportThreshold).toBe(7);
    expect(p.answerWorkingDays).toBe(12);
    expect(p.me.proposer).toBe(true);
    expect(p.allowedActions).toEqual(["withdraw"]);
    expect(p.timeline.map((s: { action: string }) => s.action)).toEqual(["create"]);
    // A double-clicked form: the same open title again is a conflict.
    const again = await post(resident2, "/api/proposals", proposal({ title: p.title }));
    expect(again.statusCode).toBe(409);
  });

  it("counts a neighbour's support, shows an outsider's apart with the reason, refuses it twice (409)", async () => {
    await setThreshold(5);
    const p = await create();
    const seen = (await get(resident, `/api/proposals/${p.id}`)).json();
    expect(seen.me.local).toBe(false);
    expect(seen.me.notCountedReason).toBe("other_community");
    expect(seen.allowedActions).toContain("support");
    const outsider = await post(resident, `/api/proposals/${p.id}/support`);
    expect(outsider.statusCode, outsider.body).toBe(200);
    expect(outsider.json().supportCount).toBe(1);
    expect(outsider.json().localSupportCount).toBe(0);
    expect(outsider.json().supporters.other).toBe(1);
    const local = await post(neighbours[0] as Session, `/api/proposals/${p.id}/support`, {
      comment: "支持！",
    });
    expect(local.json().localSupportCount).toBe(1);
    expect(local.json().me).toMatchObject({ supported: true, local: true, basis: "resident" });
    const twice = await post(neighbours[0] as Session, `/api/proposals/${p.id}/support`);
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain("已附议");
    const own = await post(resident2, `/api/proposals/${p.id}/support`);
    expect(own.statusCode).toBe(403);
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM proposal_supports
      WHERE proposal_id = ${p.id}::bigint`.execute(db());
    expect(rows.rows[0]?.n).toBe(2);
  });

  it("records one support when the same person supports twice at once", async () => {
    await setThreshold(5);
    const p = await create();
    const both = await Promise.all([
      post(neighbours[1] as Session, `/api/proposals/${p.id}/support`),
      post(neighbours[1] as Session, `/api/proposals/${p.id}/support`),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const after = (await get(resident2, `/api/proposals/${p.id}`)).json();
    expect(after.localSupportCount).toBe(1);
    expect(after.supportCount).toBe(1);
  });

  it("counts a volunteer serving the community, though they live elsewhere", async () => {
    await setThreshold(5);
    const p = await create();
    const elsewhere = (
      await sql<{ code: string }>`SELECT split_part(area_path, '/', 4) AS code FROM residents
        WHERE user_id IS NULL AND status <> 'departed' AND split_part(area_path, '/', 4) <> ${home.code}
        ORDER BY id LIMIT 1`.execute(db())
    ).rows[0]?.code as string;
    const v = await localResident(elsewhere, "zhiyuan1");
    const before = (await get(v.session, `/api/proposals/${p.id}`)).json();
    expect(before.me).toMatchObject({ local: false, notCountedReason: "other_community" });
    await sql`INSERT INTO volunteers (user_id, area_path) VALUES (${v.id}::bigint, ${home.path})`.execute(
      db(),
    );
    const r = await post(v.session, `/api/proposals/${p.id}/support`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().me).toMatchObject({ local: true, basis: "volunteer" });
    expect(r.json().supporters.byBasis.volunteer).toBe(1);
    expect(r.json().localSupportCount).toBe(1);
  });

  it("takes support back before submission, not after (409)", async () => {
    await setThreshold(2);
    const p = await create();
    await post(neighbours[0] as Session, `/api/proposals/${p.id}/support`);
    const back = await neighbours[0]?.request({
      method: "DELETE",
      url: `/api/proposals/${p.id}/support`,
    });
    expect(back?.statusCode, back?.body).toBe(200);
    expect(back?.json().localSupportCount).toBe(0);
    expect(back?.json().allowedActions).toContain("support");
    const notMine = await resident.request({
      method: "DELETE",
      url: `/api/proposals/${p.id}/support`,
    });
    expect(notMine.statusCode).toBe(409);
    await post(neighbours[0] as Session, `/api/proposals/${p.id}/support`);
    const done = await post(neighbours[1] as Session, `/api/proposals/${p.id}/support`);
    expect(done.json().status).toBe("submitted");
    const late = await neighbours[1]?.request({
      method: "DELETE",
      url: `/api/proposals/${p.id}/support`,
    });
    expect(late?.statusCode).toBe(409);
  });

  it("sends the proposal to the responsible department with a deadline when the threshold is reached", async () => {
    await setThreshold(2, 15);
    const p = await create();
    await post(resident, `/api/proposals/${p.id}/support`); // from elsewhere: does not count
    const first = await post(neighbours[0] as Session, `/api/proposals/${p.id}/support`);
    expect(first.json().status).toBe("open");
    const before = new Date();
    const second = await post(neighbours[1] as Session, `/api/proposals/${p.id}/support`);
    const s = second.json();
    expect(s.status).toBe("submitted");
    expect(s.localSupportCount).toBe(2);
    expect(s.supportCount).toBe(3);
    const police = (await get(officer, "/api/auth/me")).json().grants[0].scope;
    expect(s.department).toEqual({ id: police.id, name: police.name });
    const due = new Date(s.answerDueAt).getTime();
    const expected = addWorkingDays(before, 15, DEFAULT_CALENDAR).getTime();
    expect(Math.abs(due - expected)).toBeLessThan(60_000);
    expect(s.dueState).toBe("on_time");
    const step = s.timeline.at(-1);
    expect(step).toMatchObject({
      action: "submit",
      fromStatus: "open",
      toStatus: "submitted",
      actor: "系统",
    });
    expect(step.note).toContain(police.name);
    // The officers and the proposer are told.
    const bell = (await get(officer, "/api/notifications")).json();
    expect(bell.items.some((n: { title: string }) => n.title.includes(p.title))).toBe(true);
    const mine = (await get(resident2, "/api/notifications")).json();
    expect(mine.items.some((n: { kind: string }) => n.kind === "proposal.submitted")).toBe(true);
    // No more support once sent.
    const more = await post(ent, `/api/proposals/${p.id}/support`);
    expect(more.statusCode).toBe(409);
    // The department finds it.
    const list = (await get(officer, "/api/proposals?view=department&status=submitted")).json();
    expect(list.items.some((x: { id: string }) => x.id === p.id)).toBe(true);
  });

  it("lets the proposer withdraw while open, nobody else (403), and not twice (409)", async () => {
    await setThreshold(5);
    const p = await create();
    expect(
      (await post(resident, `/api/proposals/${p.id}/withdraw`, { version: p.version })).statusCode,
    ).toBe(403);
    const stale = await post(resident2, `/api/proposals/${p.id}/withdraw`, {
      version: p.version + 3,
    });
    expect(stale.statusCode).toBe(409);
    const w = await post(resident2, `/api/proposals/${p.id}/withdraw`, {
      version: p.version,
      note: "物业已经解决",
    });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ status: "withdrawn", withdrawReason: "物业已经解决" });
    const again = await post(resident2, `/api/proposals/${p.id}/withdraw`, {
      version: w.json().version,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.allowed).toEqual([]);
    expect((await post(resident, `/api/proposals/${p.id}/support`)).statusCode).toBe(409);
  });
});

describe("the department's answer and milestones", () => {
  it("refuses an answer without a result or reasons (400), from anyone but the department (403)", async () => {
    const p = await submitted();
    const noReason = await post(officer, `/api/proposals/${p.id}/answer`, {
      version: p.version,
      answer: "accepted",
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe("body.reason");
    const noAnswer = await post(officer, `/api/proposals/${p.id}/answer`, {
      version: p.version,
      reason: "理由写得很清楚了",
    });
    expect(noAnswer.statusCode).toBe(400);
    for (const s of [coord, resident2, resident])
      expect(
        (
          await post(s, `/api/proposals/${p.id}/answer`, {
            version: p.version,
            answer: "accepted",
            reason: "理由写得很清楚了",
          })
        ).statusCode,
      ).toBe(403);
    // An officer of another department.
    const fire = (
      await sql<{
        id: string;
      }>`SELECT id::text FROM departments WHERE kind = 'fire' LIMIT 1`.execute(db())
    ).rows[0]?.id as string;
    const u = (
      await sql<{ id: string }>`INSERT INTO users (username, password_hash, display_name)
        SELECT 'fireofficer', password_hash, '消防员' FROM users WHERE username = 'officer' RETURNING id::text`.execute(
        db(),
      )
    ).rows[0]?.id as string;
    await sql`INSERT INTO role_grants (user_id, role, scope_kind, department_id)
      VALUES (${u}::bigint, 'department_officer', 'department', ${fire}::bigint)`.execute(db());
    const other = await login(t.app, "fireofficer");
    const r = await post(other, `/api/proposals/${p.id}/answer`, {
      version: p.version,
      answer: "accepted",
      reason: "理由写得很清楚了",
    });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain("负责答复的部门");
  });

  it("answers with reasons, then carries milestones to completion", async () => {
    const p = await submitted();
    const seen = (await get(officer, `/api/proposals/${p.id}`)).json();
    expect(seen.allowedActions).toEqual(["answer"]);
    const a = await post(officer, `/api/proposals/${p.id}/answer`, {
      version: p.version,
      answer: "accepted",
      reason: "经现场查看，建议可行，列入本月巡逻计划。",
    });
    expect(a.statusCode, a.body).toBe(200);
    const ans = a.json();
    expect(ans).toMatchObject({ status: "answered", answer: "accepted", answerLate: false });
    expect(ans.answerReason).toContain("列入本月巡逻计划");
    expect(ans.allowedActions).toEqual(["add-milestone"]);
    const twice = await post(officer, `/api/proposals/${p.id}/answer`, {
      version: ans.version,
      answer: "rejected",
      reason: "改主意了，不予采纳",
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details.allowed).toEqual(["add-milestone"]);
    const told = (await get(neighbours[0] as Session, "/api/notifications")).json();
    expect(told.items.some((n: { kind: string }) => n.kind === "proposal.answered")).toBe(true);

    const today = chinaDay(new Date());
    const past = await post(officer, `/api/proposals/${p.id}/add-milestone`, {
      version: ans.version,
      title: "制定巡逻方案",
      dueOn: "2020-01-01",
    });
    expect(past.statusCode).toBe(400);
    const m1 = await post(officer, `/api/proposals/${p.id}/add-milestone`, {
      version: ans.version,
      title: "制定巡逻方案",
      dueOn: today,
    });
    expect(m1.statusCode, m1.body).toBe(200);
    expect(m1.json().status).toBe("in_progress");
    const m2 = await post(officer, `/api/proposals/${p.id}/add-milestone`, {
      version: m1.json().version,
      title: "开始夜间巡逻",
      dueOn: "2099-12-31",
    });
    const [first, second] = m2.json().milestones;
    expect(m2.json().milestones).toHaveLength(2);
    expect(
      (
        await post(resident2, `/api/proposals/${p.id}/complete-milestone`, {
          version: m2.json().version,
          milestoneId: first.id,
          note: "完成",
        })
      ).statusCode,
    ).toBe(403);
    const noNote = await post(officer, `/api/proposals/${p.id}/complete-milestone`, {
      version: m2.json().version,
      milestoneId: first.id,
    });
    expect(noNote.statusCode).toBe(400);
    const unknown = await post(officer, `/api/proposals/${p.id}/complete-milestone`, {
      version: m2.json().version,
      milestoneId: "999999999",
      note: "完成",
    });
    expect(unknown.statusCode).toBe(404);
    const c1 = await post(officer, `/api/proposals/${p.id}/complete-milestone`, {
      version: m2.json().version,
      milestoneId: first.id,
      note: "方案已印发",
    });
    expect(c1.json().status).toBe("in_progress");
    expect(c1.json().milestones[0]).toMatchObject({ status: "done", note: "方案已印发" });
    const again = await post(officer, `/api/proposals/${p.id}/complete-milestone`, {
      version: c1.json().version,
      milestoneId: first.id,
      note: "再次完成",
    });
    expect(again.statusCode).toBe(404);
    const c2 = await post(officer, `/api/proposals/${p.id}/complete-milestone`, {
      version: c1.json().version,
      milestoneId: second.id,
      note: "巡逻队已上岗",
    });
    const done = c2.json();
    expect(done.status).toBe("done");
    expect(done.doneAt).not.toBeNull();
    expect(done.allowedActions).toEqual([]);
    expect(done.timeline.map((s: { action: string }) => s.action)).toEqual([
      "create",
      "submit",
      "answer",
      "add_milestone",
      "add_milestone",
      "complete_milestone",
      "complete_milestone",
    ]);
  });

  it("takes no milestones on a rejected proposal (409)", async () => {
    const p = await submitted();
    const a = await post(officer, `/api/proposals/${p.id}/answer`, {
      version: p.version,
      answer: "rejected",
      reason: "该处已纳入整体改造规划，近期不单独实施。",
    });
    expect(a.json().allowedActions).toEqual([]);
    const m = await post(officer, `/api/proposals/${p.id}/add-milestone`, {
      version: a.json().version,
      title: "不应出现",
      dueOn: "2099-01-01",
    });
    expect(m.statusCode).toBe(409);
  });

  it("lets a coordinator send a proposal early and give it to another department", async () => {
    await setThreshold(50);
    const p = await create();
    expect(
      (await post(resident2, `/api/proposals/${p.id}/submit`, { version: p.version })).statusCode,
    ).toBe(403);
    const s = await post(coord, `/api/proposals/${p.id}/submit`, {
      version: p.version,
      note: "情况紧急",
    });
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json().status).toBe("submitted");
    expect(s.json().timeline.at(-1).note).toContain("综治中心提前送交");
    const fire = (
      await sql<{
        id: string;
        name: string;
      }>`SELECT id::text, name FROM departments WHERE kind = 'fire' LIMIT 1`.execute(db())
    ).rows[0] as { id: string; name: string };
    const r = await post(coord, `/api/proposals/${p.id}/reassign`, {
      version: s.json().version,
      departmentId: fire.id,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().department).toEqual(fire);
    expect(r.json().answerDueAt).toBe(s.json().answerDueAt);
    const gone = await post(officer, `/api/proposals/${p.id}/answer`, {
      version: r.json().version,
      answer: "accepted",
      reason: "理由写得很清楚了",
    });
    expect(gone.statusCode).toBe(403);
  });
});

describe("overdue answers", () => {
  it("flags a proposal once, telling the department and the coordinators, however often the job runs", async () => {
    const p = await submitted();
    await sql`UPDATE proposals SET answer_due_at = now() - interval '2 days' WHERE id = ${p.id}::bigint`.execute(
      db(),
    );
    const now = new Date();
    const first = await runOverdueAnswers({ db: db() }, now);
    expect(first.flagged).toBeGreaterThanOrEqual(1);
    const [second, third] = await Promise.all([
      runOverdueAnswers({ db: db() }, now),
      runOverdueAnswers({ db: db() }, new Date(now.getTime() + 3600_000)),
    ]);
    expect(second.flagged + third.flagged).toBe(0);
    const steps = await sql<{ n: number }>`SELECT count(*)::int AS n FROM proposal_actions
      WHERE proposal_id = ${p.id}::bigint AND action = 'overdue'`.execute(db());
    expect(steps.rows[0]?.n).toBe(1);
    const notes = await sql<{
      username: string;
    }>`SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE n.kind = 'proposal.overdue' AND n.body LIKE ${`%#${p.id}）`}`.execute(db());
    const who = notes.rows.map((r) => r.username);
    expect(who).toContain("officer");
    expect(who).toContain("coordinator");
    expect(new Set(who).size).toBe(who.length);
    const list = (await get(coord, "/api/proposals?overdue=true&view=area")).json();
    expect(
      list.items.some(
        (x: { id: string; dueState: string }) => x.id === p.id && x.dueState === "overdue",
      ),
    ).toBe(true);
    // Answered late: allowed, and said so.
    const fresh = (await get(officer, `/api/proposals/${p.id}`)).json();
    const a = await post(officer, `/api/proposals/${p.id}/answer`, {
      version: fresh.version,
      answer: "partly_accepted",
      reason: "先在重点路段试点，其余视效果再定。",
    });
    expect(a.json().answerLate).toBe(true);
  });
});

describe("proposals from cases", () => {
  async function casesIn(code: string, n: number) {
    return (
      await sql<{ id: string; code: string }>`SELECT id::text, code FROM cases
        WHERE split_part(area_path, '/', 4) = ${code} ORDER BY id LIMIT ${n}`.execute(db())
    ).rows;
  }
  async function twoCommunitiesWithCases() {
    return (
      await sql<{ code: string }>`SELECT split_part(area_path, '/', 4) AS code FROM cases
        GROUP BY 1 HAVING count(*) >= 3 ORDER BY count(*) DESC LIMIT 2`.execute(db())
    ).rows.map((r) => r.code);
  }

  it("prefills a proposal from cases and links them to it", async () => {
    const [code] = await twoCommunitiesWithCases();
    const cases = await casesIn(code as string, 3);
    const d = await get(
      coord,
      `/api/proposals/from-cases/draft?caseIds=${cases.map((c) => c.id).join(",")}`,
    );
    expect(d.statusCode, d.body).toBe(200);
    const draft = d.json();
    expect(draft.cases.map((c: { code: string }) => c.code).sort()).toEqual(
      cases.map((c) => c.code).sort(),
    );
    expect(draft.community.code).toBe(code);
    for (const c of cases) expect(draft.body).toContain(c.code);
    const r = await post(coord, "/api/proposals/from-cases", {
      caseIds: cases.map((c) => c.id),
      title: draft.title,
      body: draft.body,
      topic: draft.topic,
    });
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json();
    expect(p).toMatchObject({ proposerKind: "staff", fromCases: true, status: "open" });
    expect(p.community.code).toBe(code);
    expect(p.basisCases.map((c: { code: string }) => c.code).sort()).toEqual(
      cases.map((c) => c.code).sort(),
    );
    expect(p.basisCases.every((c: { id: string | null }) => c.id !== null)).toBe(true);
    // A resident reads the codes, not the cases.
    const seen = (await get(resident, `/api/proposals/${p.id}`)).json();
    expect(seen.basisCases.every((c: { id: string | null }) => c.id === null)).toBe(true);
    const links = await sql<{ n: number }>`SELECT count(*)::int AS n FROM proposal_cases
      WHERE proposal_id = ${p.id}::bigint`.execute(db());
    expect(links.rows[0]?.n).toBe(3);
  });

  it("refuses cases of several communities (400), others than coordinators (403), unknown or out-of-scope cases (404)", async () => {
    const [a, b] = await twoCommunitiesWithCases();
    const mixed = [...(await casesIn(a as string, 1)), ...(await casesIn(b as string, 1))];
    const body = {
      title: "反复发生的问题治理",
      body: "同一地点反复发生，建议长效治理。",
      topic: "public_order",
    };
    const r = await post(coord, "/api/proposals/from-cases", {
      ...body,
      caseIds: mixed.map((c) => c.id),
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain("不在同一社区");
    const one = await casesIn(a as string, 1);
    for (const s of [resident, officer, gw])
      expect(
        (await post(s, "/api/proposals/from-cases", { ...body, caseIds: one.map((c) => c.id) }))
          .statusCode,
      ).toBe(403);
    expect(
      (await post(coord, "/api/proposals/from-cases", { ...body, caseIds: ["999999999"] }))
        .statusCode,
    ).toBe(404);
    expect(
      (await post(coord, "/api/proposals/from-cases", { ...body, caseIds: [] })).statusCode,
    ).toBe(400);
    // A coordinator of another street sees neither the cases nor their draft.
    const case0 = (await casesIn(a as string, 1))[0] as { id: string };
    const casePath = (
      await sql<{
        path: string;
      }>`SELECT area_path AS path FROM cases WHERE id = ${case0.id}::bigint`.execute(db())
    ).rows[0]?.path as string;
    const otherStreet = (
      await sql<{ id: string }>`SELECT id::text FROM areas WHERE level = 'street'
        AND ${casePath} NOT LIKE path || '%' ORDER BY code LIMIT 1`.execute(db())
    ).rows[0]?.id as string;
    const u = (
      await sql<{ id: string }>`INSERT INTO users (username, password_hash, display_name)
        SELECT 'streetcoord', password_hash, '街道协调员' FROM users WHERE username = 'coordinator' RETURNING id::text`.execute(
        db(),
      )
    ).rows[0]?.id as string;
    await sql`INSERT INTO role_grants (user_id, role, scope_kind, area_id)
      VALUES (${u}::bigint, 'coordinator', 'area', ${otherStreet}::bigint)`.execute(db());
    const street = await login(t.app, "streetcoord");
    expect(
      (await get(street, `/api/proposals/from-cases/draft?caseIds=${case0.id}`)).statusCode,
    ).toBe(404);
    expect(
      (await post(street, "/api/proposals/from-cases", { ...body, caseIds: [case0.id] }))
        .statusCode,
    ).toBe(404);
  });
});

describe("lists", () => {
  it("filters by view, status, place, supporter and sorts; every list is {items, total}", async () => {
    await setThreshold(5);
    const p = await create();
    await post(neighbours[0] as Session, `/api/proposals/${p.id}/support`);
    const community = (await get(resident2, "/api/proposals?view=community&limit=200")).json();
    expect(community.total).toBeGreaterThan(0);
    expect(
      community.items.every((x: { community: { code: string } }) => x.community.code === home.code),
    ).toBe(true);
    expect(community.items.some((x: { id: string }) => x.id === p.id)).toBe(true);
    const mine = (await get(resident2, "/api/proposals?view=mine&limit=200")).json();
    expect(mine.items.some((x: { id: string }) => x.id === p.id)).toBe(true);
    const supported = (
      await get(neighbours[0] as Session, "/api/proposals?supported=true&limit=200")
    ).json();
    expect(supported.items.length).toBeGreaterThan(0);
    expect(supported.items.every((x: { supportedByMe: boolean }) => x.supportedByMe)).toBe(true);
    const near = (
      await get(
        resident,
        `/api/proposals?lat=${place.lat}&lng=${place.lng}&radius=300&sort=distance`,
      )
    ).json();
    expect(near.items.some((x: { id: string }) => x.id === p.id)).toBe(true);
    const distances = near.items.map((x: { distanceM: number }) => x.distanceM);
    expect(distances.every((d: number) => d <= 300)).toBe(true);
    expect([...distances].sort((x, y) => x - y)).toEqual(distances);
    const far = (
      await get(resident, `/api/proposals?lat=${place.lat + 0.2}&lng=${place.lng}&radius=300`)
    ).json();
    expect(far.items.some((x: { id: string }) => x.id === p.id)).toBe(false);
    const open = (await get(resident, "/api/proposals?status=open&sort=support&limit=50")).json();
    expect(open.items.every((x: { status: string }) => x.status === "open")).toBe(true);
    const counts = open.items.map((x: { localSupportCount: number }) => x.localSupportCount);
    expect([...counts].sort((x, y) => y - x)).toEqual(counts);
    const byArea = (await get(resident, `/api/proposals?areaCode=${home.code}&limit=1`)).json();
    expect(byArea.items).toHaveLength(1);
    expect(byArea.total).toBe(community.total);
    const none = (await get(officer, "/api/proposals?view=community")).json();
    expect(none).toEqual({ items: [], total: 0 });
    const xlsx = await get(coord, "/api/proposals/export.xlsx?status=open");
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
  });

  it("holds the demo resident's own open proposal and one in their community they may support", async () => {
    const mine = (await get(resident, "/api/proposals?view=mine&status=open")).json();
    expect(mine.total).toBeGreaterThanOrEqual(1);
    const community = (
      await get(resident, "/api/proposals?view=community&status=open&limit=100")
    ).json();
    const others = [];
    for (const x of community.items as { id: string }[]) {
      const d = (await get(resident, `/api/proposals/${x.id}`)).json();
      if (d.allowedActions.includes("support") && d.me.local) others.push(d);
    }
    expect(others.length).toBeGreaterThanOrEqual(1);
  });
});

describe("settings", () => {
  it("lets district coordinators change the threshold (version checked), not residents", async () => {
    const s = (await get(resident, "/api/proposals/settings")).json();
    expect(s.mayEdit).toBe(false);
    expect(
      (
        await resident.request({
          method: "PUT",
          url: "/api/proposals/settings",
          payload: { supportThreshold: 1, answerWorkingDays: 5 },
        })
      ).statusCode,
    ).toBe(403);
    const c = (await get(coord, "/api/proposals/settings")).json();
    expect(c.mayEdit).toBe(true);
    const bad = await coord.request({
      method: "PUT",
      url: "/api/proposals/settings",
      payload: { supportThreshold: 0, answerWorkingDays: 5 },
    });
    expect(bad.statusCode).toBe(400);
    const stale = await coord.request({
      method: "PUT",
      url: "/api/proposals/settings",
      payload: { version: (c.version ?? 0) + 9, supportThreshold: 3, answerWorkingDays: 5 },
    });
    expect(stale.statusCode).toBe(409);
    const ok = await coord.request({
      method: "PUT",
      url: "/api/proposals/settings",
      payload: { version: c.version, supportThreshold: 3, answerWorkingDays: 5 },
    });
    expect(ok.json()).toMatchObject({
      supportThreshold: 3,
      answerWorkingDays: 5,
      version: (c.version ?? 0) + 1,
    });
    expect(neighbourIds).toHaveLength(2);
  });
});
