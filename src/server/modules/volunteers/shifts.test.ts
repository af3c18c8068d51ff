import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import {
  type DemoGrid,
  demoGrid,
  fromNow,
  newVolunteer,
  planShift,
} from "./volunteers.fixtures.js";

let t: TestApp;
let admin: Session;
let gw: Session;
let officer: Session;
let assoc: Session;
let grid: DemoGrid;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin");
  gw = await login(t.app, "gridworker");
  officer = await login(t.app, "officer");
  assoc = await login(t.app, "association");
  grid = await demoGrid(gw);
});
afterAll(() => t.close());

const volunteer = () => newVolunteer(t.app, admin, grid.communityCode);

describe("planning a shift", () => {
  it("needs a session (401) and a planner (403)", async () => {
    const body = {
      kind: "patrol",
      title: "夜巡",
      areaCode: grid.gridCode,
      startsAt: fromNow(60),
      endsAt: fromNow(180),
      capacity: 3,
    };
    expect(
      (await t.app.inject({ method: "POST", url: "/api/shifts", payload: body })).statusCode,
    ).toBe(401);
    expect((await t.app.inject({ method: "GET", url: "/api/shifts" })).statusCode).toBe(401);
    const v = await volunteer();
    expect(
      (await v.request({ method: "POST", url: "/api/shifts", payload: body })).statusCode,
    ).toBe(403);
    // An association plans only for its own teams.
    expect(
      (await assoc.request({ method: "POST", url: "/api/shifts", payload: body })).statusCode,
    ).toBe(403);
  });

  it("refuses a shift in the past, ending before it starts, over 12 h, or outside the area", async () => {
    const base = { kind: "patrol", title: "夜巡", areaCode: grid.gridCode, capacity: 3 };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, startsAt: fromNow(-60), endsAt: fromNow(60) }, 400, "过去"],
      [{ ...base, startsAt: fromNow(120), endsAt: fromNow(60) }, 400, "晚于开始"],
      [{ ...base, startsAt: fromNow(60), endsAt: fromNow(60 + 12 * 60 + 1) }, 400, "12 小时"],
      [{ ...base, startsAt: fromNow(60), endsAt: fromNow(120), capacity: 0 }, 400, "人数"],
      [{ ...base, kind: "visit", startsAt: fromNow(60), endsAt: fromNow(120) }, 400, "回访"],
      [
        { ...base, areaCode: "320505", startsAt: fromNow(60), endsAt: fromNow(120) },
        400,
        "网格或社区",
      ],
      [
        {
          ...base,
          areaCode: `${grid.gridCode.slice(0, 12)}999`,
          startsAt: fromNow(60),
          endsAt: fromNow(120),
        },
        400,
        "网格或社区",
      ],
    ];
    for (const [payload, status, words] of cases) {
      const res = await gw.request({ method: "POST", url: "/api/shifts", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.message).toContain(words);
    }
    // Exactly 12 hours is fine.
    const ok = await gw.request({
      method: "POST",
      url: "/api/shifts",
      payload: { ...base, startsAt: fromNow(60 * 24 * 20), endsAt: fromNow(60 * 24 * 20 + 720) },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    // Another community's grid is not the grid worker's.
    const other = await gw.request({
      method: "GET",
      url: "/api/areas?level=grid&limit=1000",
    });
    const foreign = (other.json().items as { code: string }[]).find(
      (a) => !a.code.startsWith(grid.communityCode),
    );
    if (!foreign) throw new Error("no grid outside the demo community");
    const elsewhere = await gw.request({
      method: "POST",
      url: "/api/shifts",
      payload: { ...base, areaCode: foreign.code, startsAt: fromNow(60), endsAt: fromNow(120) },
    });
    expect(elsewhere.statusCode).toBe(403);
  });
});

describe("publicity and follow-up visits", () => {
  it("plans a publicity session for a whole community and a visit tied to its case; volunteers sign up", async () => {
    const publicity = await planShift(gw, {
      kind: "publicity",
      title: "反诈宣传进社区",
      areaCode: grid.communityCode,
      startsAt: fromNow(3 * 24 * 60),
      endsAt: fromNow(3 * 24 * 60 + 120),
      capacity: 8,
    });
    // A case of the grid worker's area to visit its reporter about.
    const cases = (
      await gw.request({ method: "GET", url: "/api/cases?inbox=area&limit=1" })
    ).json();
    const c = cases.items[0] as { id: string; code: string };
    const visit = await planShift(gw, {
      kind: "visit",
      title: "事件回访",
      areaCode: grid.gridCode,
      caseId: c.id,
      startsAt: fromNow(2 * 24 * 60),
      endsAt: fromNow(2 * 24 * 60 + 60),
      capacity: 2,
    });
    const v = await volunteer();
    for (const id of [publicity.id, visit.id]) {
      const r = await v.request({ method: "POST", url: `/api/shifts/${id}/sign-up` });
      expect(r.statusCode, r.body).toBe(201);
    }
    const p = (await gw.request({ method: "GET", url: `/api/shifts/${publicity.id}` })).json();
    expect(p).toMatchObject({ kind: "publicity", signedUp: 1, capacity: 8, case: null });
    expect(p.area.code).toBe(grid.communityCode);
    const d = (await gw.request({ method: "GET", url: `/api/shifts/${visit.id}` })).json();
    expect(d).toMatchObject({ kind: "visit", signedUp: 1, case: { id: c.id, code: c.code } });
    // The volunteer finds both among their shifts.
    const mine = (
      await v.request({ method: "GET", url: "/api/shifts?view=mine&when=upcoming" })
    ).json();
    expect(mine.items.map((x: { kind: string }) => x.kind).sort()).toEqual(["publicity", "visit"]);
    // A visit about a case the planner cannot see is refused, naming the field.
    const bad = await gw.request({
      method: "POST",
      url: "/api/shifts",
      payload: {
        kind: "visit",
        title: "事件回访",
        areaCode: grid.gridCode,
        caseId: "999999999",
        startsAt: fromNow(60),
        endsAt: fromNow(120),
        capacity: 2,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("事件不存在");
  });
});

describe("signing up", () => {
  it("fills the last place once when two volunteers race for it (the other gets 409)", async () => {
    const shift = await planShift(gw, {
      areaCode: grid.gridCode,
      startsAt: fromNow(24 * 60),
      endsAt: fromNow(24 * 60 + 120),
      capacity: 1,
    });
    const [a, b] = await Promise.all([volunteer(), volunteer()]);
    const answers = await Promise.all(
      [a, b].map((v) => v.request({ method: "POST", url: `/api/shifts/${shift.id}/sign-up` })),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = answers.find((r) => r.statusCode === 409);
    expect(loser?.json().error.message).toContain("名额已满");
    const detail = await gw.request({ method: "GET", url: `/api/shifts/${shift.id}` });
    expect(detail.json()).toMatchObject({ signedUp: 1, capacity: 1 });
    expect(detail.json().signups).toHaveLength(1);
  });

  it("refuses overlapping shifts and a second sign-up; cancels before the start", async () => {
    const v = await volunteer();
    const day = 2 * 24 * 60;
    const a = await planShift(gw, {
      areaCode: grid.gridCode,
      startsAt: fromNow(day),
      endsAt: fromNow(day + 120),
    });
    const b = await planShift(gw, {
      areaCode: grid.communityCode,
      startsAt: fromNow(day + 60),
      endsAt: fromNow(day + 180),
    });
    const c = await planShift(gw, {
      areaCode: grid.gridCode,
      startsAt: fromNow(day + 120),
      endsAt: fromNow(day + 240),
    });
    expect(
      (await v.request({ method: "POST", url: `/api/shifts/${a.id}/sign-up` })).statusCode,
    ).toBe(201);
    const twice = await v.request({ method: "POST", url: `/api/shifts/${a.id}/sign-up` });
    expect(twice.statusCode).toBe(409);
    const clash = await v.request({ method: "POST", url: `/api/shifts/${b.id}/sign-up` });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toContain("重叠");
    // Back to back is fine.
    const next = await v.request({ method: "POST", url: `/api/shifts/${c.id}/sign-up` });
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json().allowedActions).toEqual(
      expect.arrayContaining(["cancel_sign_up", "check_in"]),
    );

    const mine = await v.request({ method: "GET", url: "/api/shifts?view=mine&when=upcoming" });
    expect(mine.json().items.map((s: { id: string }) => s.id)).toEqual([a.id, c.id]);

    const cancel = await v.request({ method: "POST", url: `/api/shifts/${a.id}/sign-up/cancel` });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().mySignup).toBeNull();
    // With A cancelled, B no longer overlaps anything but C (which it does).
    expect(
      (await v.request({ method: "POST", url: `/api/shifts/${b.id}/sign-up` })).statusCode,
    ).toBe(409);
    expect(
      (await v.request({ method: "POST", url: `/api/shifts/${a.id}/sign-up` })).statusCode,
    ).toBe(201);
    const notMine = await v.request({ method: "POST", url: `/api/shifts/${b.id}/sign-up/cancel` });
    expect(notMine.statusCode).toBe(404);
  });

  it("keeps a team's shift to its members (others get 404) and out of others' open list", async () => {
    const member = await volunteer();
    const outsider = await volunteer();
    const team = (
      await gw.request({
        method: "POST",
        url: "/api/teams",
        payload: { name: "只限队员的队", kind: "community", areaCode: grid.communityCode },
      })
    ).json();
    await gw.request({
      method: "POST",
      url: `/api/teams/${team.id}/members`,
      payload: { volunteerId: member.volunteerId },
    });
    const shift = await planShift(gw, {
      areaCode: grid.gridCode,
      teamId: team.id,
      startsAt: fromNow(3 * 24 * 60),
      endsAt: fromNow(3 * 24 * 60 + 90),
    });
    expect(
      (await outsider.request({ method: "GET", url: `/api/shifts/${shift.id}` })).statusCode,
    ).toBe(404);
    expect(
      (await outsider.request({ method: "POST", url: `/api/shifts/${shift.id}/sign-up` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await officer.request({ method: "GET", url: `/api/shifts/${shift.id}` })).statusCode,
    ).toBe(404);
    const open = await outsider.request({ method: "GET", url: "/api/shifts?view=open&limit=200" });
    expect(open.json().items.map((s: { id: string }) => s.id)).not.toContain(shift.id);
    const memberOpen = await member.request({
      method: "GET",
      url: `/api/shifts?view=open&limit=200&lat=${grid.inside.lat}&lng=${grid.inside.lng}`,
    });
    const listed = memberOpen.json().items.find((s: { id: string }) => s.id === shift.id);
    expect(listed).toMatchObject({ team: { id: team.id }, allowedActions: ["sign_up"] });
    expect(listed.distanceM).toEqual(expect.any(Number));
    expect(
      (await member.request({ method: "POST", url: `/api/shifts/${shift.id}/sign-up` })).statusCode,
    ).toBe(201);
  });
});

describe("check-in, observations, check-out and hours", () => {
  let leader: Awaited<ReturnType<typeof volunteer>>;
  let member: Awaited<ReturnType<typeof volunteer>>;
  let shiftId = "";

  beforeAll(async () => {
    leader = await volunteer();
    member = await volunteer();
    const team = (
      await gw.request({
        method: "POST",
        url: "/api/teams",
        payload: { name: "签到测试队", kind: "community", areaCode: grid.communityCode },
      })
    ).json();
    await gw.request({
      method: "POST",
      url: `/api/teams/${team.id}/members`,
      payload: { volunteerId: leader.volunteerId, role: "leader" },
    });
    await gw.request({
      method: "POST",
      url: `/api/teams/${team.id}/members`,
      payload: { volunteerId: member.volunteerId },
    });
    // Starts in 10 minutes: check-in is open (from 30 minutes before).
    shiftId = (
      await planShift(gw, {
        areaCode: grid.gridCode,
        teamId: team.id,
        startsAt: fromNow(10),
        endsAt: fromNow(130),
      })
    ).id;
    for (const v of [leader, member])
      expect(
        (await v.request({ method: "POST", url: `/api/shifts/${shiftId}/sign-up` })).statusCode,
      ).toBe(201);
  });

  it("refuses a check-in outside the fence saying how far, then lets it in; twice is 409", async () => {
    const bad = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/check-in`,
      payload: { lat: 200, lng: grid.inside.lng },
    });
    expect(bad.statusCode).toBe(400);
    const far = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/check-in`,
      payload: { ...grid.outside, accuracy: 15 },
    });
    expect(far.statusCode).toBe(422);
    expect(far.json().error.details).toMatchObject({ reason: "outside_fence", toleranceM: 100 });
    const metres = far.json().error.details.distanceM as number;
    expect(metres).toBeGreaterThan(500);
    expect(far.json().error.message).toContain(`${metres} 米`);

    const ok = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/check-in`,
      payload: { ...grid.inside, accuracy: 12 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().mySignup).toMatchObject({ status: "checked_in" });
    expect(ok.json().allowedActions).toEqual(expect.arrayContaining(["check_out", "observe"]));
    const twice = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/check-in`,
      payload: grid.inside,
    });
    expect(twice.statusCode).toBe(409);
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: `/api/shifts/${shiftId}/check-in`,
          payload: grid.inside,
        })
      ).statusCode,
    ).toBe(401);
  });

  it("says how long until check-in opens, and refuses one without a sign-up", async () => {
    const later = await planShift(gw, {
      areaCode: grid.gridCode,
      startsAt: fromNow(180),
      endsAt: fromNow(240),
    });
    const v = await volunteer();
    const none = await v.request({
      method: "POST",
      url: `/api/shifts/${later.id}/check-in`,
      payload: grid.inside,
    });
    expect(none.statusCode).toBe(409);
    await v.request({ method: "POST", url: `/api/shifts/${later.id}/sign-up` });
    const early = await v.request({
      method: "POST",
      url: `/api/shifts/${later.id}/check-in`,
      payload: grid.inside,
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.details.reason).toBe("too_early");
    expect(early.json().error.details.opensInMinutes).toBeGreaterThanOrEqual(149);
    expect(early.json().error.message).toContain("后开放");
  });

  it("turns an observation into a case with channel volunteer and the volunteer as reporter", async () => {
    const notIn = await leader.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/observations`,
      payload: { categoryCode: "environment.garbage", description: "路口垃圾堆积", ...grid.inside },
    });
    expect(notIn.statusCode).toBe(409);
    const short = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/observations`,
      payload: { categoryCode: "environment.garbage", description: "垃圾", ...grid.inside },
    });
    expect(short.statusCode).toBe(400);
    const res = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/observations`,
      payload: {
        categoryCode: "environment.garbage",
        description: "巡逻时发现路口垃圾堆积，散发异味",
        ...grid.inside,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json().caseId as string;
    const c = await member.request({ method: "GET", url: `/api/cases/${caseId}` });
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ channel: "volunteer", reporter: { kind: "volunteer" } });
    expect(c.json().reporter.label).toContain("测试志愿者");
    const reported = await member.request({
      method: "GET",
      url: "/api/cases?inbox=reported_by_me",
    });
    expect(reported.json().items.map((x: { id: string }) => x.id)).toContain(caseId);
    const seen = await gw.request({ method: "GET", url: `/api/shifts/${shiftId}` });
    expect(seen.json().observations).toContainEqual(
      expect.objectContaining({ caseId, caseCode: c.json().code }),
    );
  });

  it("gives a retried observation (same Idempotency-Key) its first case and one link", async () => {
    const send = () =>
      member.request({
        method: "POST",
        url: `/api/shifts/${shiftId}/observations`,
        headers: { "idempotency-key": "obs-retry-1" },
        payload: {
          categoryCode: "environment.garbage",
          description: "巡逻时发现楼道堆放纸箱，影响通行",
          ...grid.inside,
        },
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    // The link lost between the two writes, as after a crash: the retry writes it again.
    await t.database.db
      .deleteFrom("shift_observations")
      .where("case_id", "=", first.json().caseId)
      .execute();
    const again = await send();
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().caseId).toBe(first.json().caseId);
    const third = await send();
    expect(third.json()).toMatchObject({ id: again.json().id, caseId: first.json().caseId });
    const links = await t.database.db
      .selectFrom("shift_observations")
      .select("id")
      .where("case_id", "=", first.json().caseId)
      .execute();
    expect(links).toHaveLength(1);
  });

  it("checks out inside the fence; hours wait for a verifier who is not the volunteer", async () => {
    await leader.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/check-in`,
      payload: grid.inside,
    });
    const outFar = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/check-out`,
      payload: grid.outside,
    });
    expect(outFar.statusCode).toBe(422);
    for (const v of [leader, member]) {
      const out = await v.request({
        method: "POST",
        url: `/api/shifts/${shiftId}/check-out`,
        payload: grid.inside,
      });
      expect(out.statusCode, out.body).toBe(200);
      // Out before the start: nothing inside the window yet.
      expect(out.json().mySignup).toMatchObject({
        status: "checked_out",
        minutes: 0,
        hoursStatus: "pending",
      });
    }
    const again = await member.request({
      method: "POST",
      url: `/api/shifts/${shiftId}/check-out`,
      payload: grid.inside,
    });
    expect(again.statusCode).toBe(409);

    // The team leader's queue has the member's hours, never their own.
    const queue = await leader.request({ method: "GET", url: "/api/shifts/hours" });
    const entries = queue
      .json()
      .items.filter((e: { shift: { id: string } }) => e.shift.id === shiftId);
    expect(entries.map((e: { volunteer: { id: string } }) => e.volunteer.id)).toEqual([
      member.volunteerId,
    ]);
    const detail = (await gw.request({ method: "GET", url: `/api/shifts/${shiftId}` })).json();
    const signupOf = (v: { volunteerId: string }) =>
      detail.signups.find((g: { volunteer: { id: string } }) => g.volunteer.id === v.volunteerId)
        .id as string;
    const own = await leader.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [signupOf(leader)] },
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toContain("自己");
    // All or nothing: with one's own in the batch, nothing is verified.
    const mixed = await leader.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [signupOf(member), signupOf(leader)] },
    });
    expect(mixed.statusCode).toBe(403);
    const verified = await leader.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [signupOf(member)] },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toEqual({ verified: [signupOf(member)] });
    const already = await gw.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [signupOf(member)] },
    });
    expect(already.statusCode).toBe(409);
    // Someone with no part in it: 404.
    const stranger = await officer.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [signupOf(leader)] },
    });
    expect(stranger.statusCode).toBe(404);
    const empty = await gw.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [] },
    });
    expect(empty.statusCode).toBe(400);

    // The grid worker corrects the leader's minutes: logged with who, old, new and why.
    const id = signupOf(leader);
    const noReason = await gw.request({
      method: "POST",
      url: `/api/shifts/hours/${id}/correct`,
      payload: { minutes: 30 },
    });
    expect(noReason.statusCode).toBe(400);
    const tooMany = await gw.request({
      method: "POST",
      url: `/api/shifts/hours/${id}/correct`,
      payload: { minutes: 121, reason: "超过班次时长" },
    });
    expect(tooMany.statusCode).toBe(400);
    const selfCorrect = await leader.request({
      method: "POST",
      url: `/api/shifts/hours/${id}/correct`,
      payload: { minutes: 120, reason: "我自己改" },
    });
    expect(selfCorrect.statusCode).toBe(403);
    const fixed = await gw.request({
      method: "POST",
      url: `/api/shifts/hours/${id}/correct`,
      payload: { minutes: 30, reason: "提前到岗协助布置，按 30 分钟计" },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ minutes: 30, hoursStatus: "pending" });
    const history = await leader.request({ method: "GET", url: `/api/shifts/hours/${id}/history` });
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((h: { action: string }) => h.action)).toEqual([
      "sign_up",
      "check_in",
      "check_out",
      "correct",
    ]);
    expect(history.json().items[3]).toMatchObject({
      oldMinutes: 0,
      newMinutes: 30,
      reason: "提前到岗协助布置，按 30 分钟计",
      actor: expect.stringContaining("李娟"),
    });
    expect(
      (await officer.request({ method: "GET", url: `/api/shifts/hours/${id}/history` })).statusCode,
    ).toBe(404);

    // Rejected with the reason; a rejected entry is no longer pending.
    const rejected = await gw.request({
      method: "POST",
      url: `/api/shifts/hours/${id}/reject`,
      payload: { reason: "签到后未参加巡逻" },
    });
    expect(rejected.json()).toMatchObject({
      hoursStatus: "rejected",
      rejectReason: "签到后未参加巡逻",
    });
    const late = await gw.request({
      method: "POST",
      url: `/api/shifts/hours/${id}/verify`,
      payload: {},
    });
    expect(late.statusCode).toBe(404);
    const reverify = await gw.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [id] },
    });
    expect(reverify.statusCode).toBe(409);
    const rejectedList = await gw.request({
      method: "GET",
      url: "/api/shifts/hours?status=rejected",
    });
    expect(rejectedList.json().items.map((e: { id: string }) => e.id)).toContain(id);
  });
});

describe("the seeded demo", () => {
  it("has the demo resident on an upcoming patrol in the grid worker's grid, and hours for the grid worker", async () => {
    const resident = await login(t.app, "resident");
    const mine = await resident.request({
      method: "GET",
      url: "/api/shifts?view=mine&when=upcoming",
    });
    expect(mine.json().items[0]).toMatchObject({ kind: "patrol", area: { code: grid.gridCode } });
    const queue = await gw.request({ method: "GET", url: "/api/shifts/hours" });
    expect(queue.json().total).toBeGreaterThan(0);
    expect(queue.json().items.every((e: { canVerify: boolean }) => e.canVerify)).toBe(true);
  });
});
