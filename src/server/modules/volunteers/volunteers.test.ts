import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { type DemoGrid, demoGrid, newResident, newVolunteer } from "./volunteers.fixtures.js";

let t: TestApp;
let admin: Session;
let gw: Session;
let coord: Session;
let officer: Session;
let assoc: Session;
let grid: DemoGrid;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin");
  gw = await login(t.app, "gridworker");
  coord = await login(t.app, "coordinator");
  officer = await login(t.app, "officer");
  assoc = await login(t.app, "association");
  grid = await demoGrid(gw);
});
afterAll(() => t.close());

describe("signing up", () => {
  it("needs a session (401) and the resident role (403)", async () => {
    const anon = await t.app.inject({ method: "GET", url: "/api/volunteers/me" });
    expect(anon.statusCode).toBe(401);
    const post = await t.app.inject({
      method: "POST",
      url: "/api/volunteers",
      payload: { skills: ["patrol"], preferredAreaCodes: [grid.communityCode] },
    });
    expect(post.statusCode).toBe(401);
    const staff = await gw.request({
      method: "POST",
      url: "/api/volunteers",
      payload: { skills: ["patrol"], preferredAreaCodes: [grid.communityCode] },
    });
    expect(staff.statusCode).toBe(403);
  });

  it("shows a resident without a profile the suggestions to start from", async () => {
    const r = await newResident(t.app, admin);
    const me = await r.request({ method: "GET", url: "/api/volunteers/me" });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ volunteer: null, leads: [] });
    // The demo resident is a volunteer already (seeded), with their origin's dialects.
    const demo = await login(t.app, "resident");
    const mine = (await demo.request({ method: "GET", url: "/api/volunteers/me" })).json();
    expect(mine.volunteer.teams.length).toBeGreaterThan(0);
    expect(mine.suggestions.originProvince).toBe(mine.volunteer.originProvince);
  });

  it("refuses bad input with the field's reason (400)", async () => {
    const r = await newResident(t.app, admin);
    const cases: [Record<string, unknown>, string][] = [
      [{ skills: [], preferredAreaCodes: [grid.communityCode] }, "技能"],
      [{ skills: ["juggling"], preferredAreaCodes: [grid.communityCode] }, "技能"],
      [{ skills: ["patrol"], preferredAreaCodes: [] }, "社区"],
      [{ skills: ["patrol"], preferredAreaCodes: [grid.gridCode] }, "不是社区"],
      [
        { skills: ["patrol"], dialects: ["火星话"], preferredAreaCodes: [grid.communityCode] },
        "方言",
      ],
      [
        {
          skills: ["patrol"],
          availability: [{ weekday: 8, slot: "morning" }],
          preferredAreaCodes: [grid.communityCode],
        },
        "星期",
      ],
    ];
    for (const [payload, words] of cases) {
      const res = await r.request({ method: "POST", url: "/api/volunteers", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toContain(words);
    }
  });

  it("signs up once (a second time is 409) and edits the profile with the version it saw", async () => {
    const r = await newResident(t.app, admin);
    const payload = {
      skills: ["patrol", "mediation"],
      languages: ["普通话"],
      dialects: ["中原官话"],
      originProvince: "河南省",
      availability: [
        { weekday: 6, slot: "morning" },
        { weekday: 7, slot: "evening" },
      ],
      preferredAreaCodes: [grid.communityCode],
      bio: "周末有空",
    };
    const res = await r.request({ method: "POST", url: "/api/volunteers", payload });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      skills: ["patrol", "mediation"],
      dialects: ["中原官话"],
      originProvince: "河南省",
      preferredAreas: [{ code: grid.communityCode }],
      verifiedMinutes: 0,
      allowedActions: ["edit"],
      version: 1,
    });
    const again = await r.request({ method: "POST", url: "/api/volunteers", payload });
    expect(again.statusCode).toBe(409);

    const edit = await r.request({
      method: "PATCH",
      url: "/api/volunteers/me",
      payload: { version: 1, skills: ["first_aid"], bio: null },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ skills: ["first_aid"], bio: null, version: 2 });
    const stale = await r.request({
      method: "PATCH",
      url: "/api/volunteers/me",
      payload: { version: 1, skills: ["patrol"] },
    });
    expect(stale.statusCode).toBe(409);
    const nothing = await r.request({
      method: "PATCH",
      url: "/api/volunteers/me",
      payload: { version: 2 },
    });
    expect(nothing.statusCode).toBe(400);
  });
});

describe("the volunteer list", () => {
  it("shows staff the volunteers of their community, filtered, and no one else's", async () => {
    const v = await newVolunteer(t.app, admin, grid.communityCode, {
      skills: ["legal_aid"],
      dialects: ["粤语"],
    });
    const list = await gw.request({
      method: "GET",
      url: "/api/volunteers?skill=legal_aid&dialect=%E7%B2%A4%E8%AF%AD&limit=200",
    });
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((x: { id: string }) => x.id);
    expect(ids).toContain(v.volunteerId);
    for (const x of list.json().items) {
      expect(x.skills).toContain("legal_aid");
      expect(x.dialects).toContain("粤语");
    }
    expect(list.json().total).toBe(list.json().items.length);

    // The grid worker sees only their community's volunteers.
    const all = await gw.request({ method: "GET", url: "/api/volunteers?limit=200" });
    for (const x of all.json().items)
      expect(
        x.preferredAreas.some((a: { code: string }) => a.code === grid.communityCode) ||
          x.teams.length > 0,
      ).toBe(true);

    // An officer (no volunteer scope) sees none, and a volunteer's page is 404 to them.
    const none = await officer.request({ method: "GET", url: "/api/volunteers" });
    expect(none.json()).toEqual({ items: [], total: 0 });
    const hidden = await officer.request({
      method: "GET",
      url: `/api/volunteers/${v.volunteerId}`,
    });
    expect(hidden.statusCode).toBe(404);
    const bad = await gw.request({ method: "GET", url: "/api/volunteers?skill=juggling" });
    expect(bad.statusCode).toBe(400);
    expect((await t.app.inject({ method: "GET", url: "/api/volunteers" })).statusCode).toBe(401);
  });

  it("sorts by verified hours, most first", async () => {
    const res = await coord.request({ method: "GET", url: "/api/volunteers?sort=-hours&limit=10" });
    const minutes = res.json().items.map((x: { verifiedMinutes: number }) => x.verifiedMinutes);
    expect(minutes[0]).toBeGreaterThan(0);
    expect([...minutes].sort((a, b) => b - a)).toEqual(minutes);
  });
});

describe("teams and training", () => {
  it("lets a grid worker create a community team, add members and appoint a leader", async () => {
    const v1 = await newVolunteer(t.app, admin, grid.communityCode);
    const v2 = await newVolunteer(t.app, admin, grid.communityCode);
    const create = await gw.request({
      method: "POST",
      url: "/api/teams",
      payload: { name: "测试巡逻队", kind: "community", areaCode: grid.communityCode },
    });
    expect(create.statusCode, create.body).toBe(201);
    const team = create.json();
    expect(team).toMatchObject({
      kind: "community",
      members: 0,
      allowedActions: ["manage_members", "plan_shift"],
    });
    const dup = await gw.request({
      method: "POST",
      url: "/api/teams",
      payload: { name: "测试巡逻队", kind: "community", areaCode: grid.communityCode },
    });
    expect(dup.statusCode).toBe(409);
    const elsewhere = await gw.request({
      method: "POST",
      url: "/api/teams",
      payload: { name: "别处的队", kind: "community", areaCode: "320505001001" },
    });
    expect([400, 403]).toContain(elsewhere.statusCode);
    const bad = await gw.request({
      method: "POST",
      url: "/api/teams",
      payload: { name: "网格不是社区", kind: "community", areaCode: grid.gridCode },
    });
    expect(bad.statusCode).toBe(400);

    const add1 = await gw.request({
      method: "POST",
      url: `/api/teams/${team.id}/members`,
      payload: { volunteerId: v1.volunteerId, role: "leader" },
    });
    expect(add1.statusCode, add1.body).toBe(201);
    const add2 = await gw.request({
      method: "POST",
      url: `/api/teams/${team.id}/members`,
      payload: { volunteerId: v2.volunteerId },
    });
    expect(add2.json()).toMatchObject({ members: 2, leaders: [expect.any(String)] });
    const twice = await gw.request({
      method: "POST",
      url: `/api/teams/${team.id}/members`,
      payload: { volunteerId: v2.volunteerId },
    });
    expect(twice.statusCode).toBe(409);

    // The association may not touch a community team; the officer cannot see it.
    const foreign = await assoc.request({
      method: "POST",
      url: `/api/teams/${team.id}/members`,
      payload: { volunteerId: v2.volunteerId },
    });
    expect(foreign.statusCode).toBe(404);
    expect(
      (await officer.request({ method: "GET", url: `/api/teams/${team.id}` })).statusCode,
    ).toBe(404);

    // The leader records training for a member, not for themself.
    const course = {
      title: "应急救护员证",
      issuer: "区红十字会",
      issuedOn: "2026-03-01",
      validUntil: "2029-03-01",
    };
    const own = await v1.request({
      method: "POST",
      url: `/api/volunteers/${v1.volunteerId}/training`,
      payload: course,
    });
    expect(own.statusCode).toBe(403);
    const rec = await v1.request({
      method: "POST",
      url: `/api/volunteers/${v2.volunteerId}/training`,
      payload: course,
    });
    expect(rec.statusCode, rec.body).toBe(201);
    expect(rec.json().training[0]).toMatchObject({ title: "应急救护员证", expired: false });
    const backwards = await gw.request({
      method: "POST",
      url: `/api/volunteers/${v2.volunteerId}/training`,
      payload: { ...course, validUntil: "2020-01-01" },
    });
    expect(backwards.statusCode).toBe(400);
    // The member (not a leader) may not record training for others.
    const member = await v2.request({
      method: "POST",
      url: `/api/volunteers/${v1.volunteerId}/training`,
      payload: course,
    });
    expect(member.statusCode).toBe(404);

    // Stand the leader down, then remove the member; the list keeps only current members.
    const down = await gw.request({
      method: "PATCH",
      url: `/api/teams/${team.id}/members/${v1.volunteerId}`,
      payload: { role: "member" },
    });
    expect(down.json().leaders).toEqual([]);
    const removed = await gw.request({
      method: "DELETE",
      url: `/api/teams/${team.id}/members/${v2.volunteerId}`,
    });
    expect(removed.json().memberList.map((m: { volunteerId: string }) => m.volunteerId)).toEqual([
      v1.volunteerId,
    ]);
    const gone = await gw.request({
      method: "DELETE",
      url: `/api/teams/${team.id}/members/${v2.volunteerId}`,
    });
    expect(gone.statusCode).toBe(404);
  });

  it("lets an association create its own team and lists teams as {items, total}", async () => {
    const res = await assoc.request({
      method: "POST",
      url: "/api/teams",
      payload: { name: "老乡互助调解队", kind: "association", areaCode: grid.communityCode },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().organisation).not.toBeNull();
    const list = await assoc.request({ method: "GET", url: "/api/teams?manageable=true" });
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(res.json().id);
    for (const x of list.json().items) expect(x.kind).not.toBe("community");
    const staffOnly = await (await newResident(t.app, admin)).request({
      method: "POST",
      url: "/api/teams",
      payload: { name: "居民自建", kind: "community", areaCode: grid.communityCode },
    });
    expect(staffOnly.statusCode).toBe(403);
  });
});

describe("hometown mediation (以新调新)", () => {
  /** A neighbours' dispute reported by a new resident inside the demo grid. */
  async function reportDispute(description: string) {
    const reporter = await newResident(t.app, admin);
    const report = await reporter.request({
      method: "POST",
      url: "/api/cases",
      payload: {
        categoryCode: "dispute.neighbour",
        description,
        lat: grid.inside.lat,
        lng: grid.inside.lng,
      },
    });
    expect(report.statusCode, report.body).toBe(201);
    return { reporter, caseId: report.json().id as string };
  }

  it("finds matching volunteers for a dispute, invites one, who accepts and joins the case as mediator", async () => {
    const { reporter, caseId } = await reportDispute("楼上漏水多次协商无果，双方都是河南老乡");
    const v = await newVolunteer(t.app, admin, grid.communityCode, {
      skills: ["mediation"],
      originProvince: "河南省",
      dialects: ["中原官话"],
    });

    const found = await coord.request({
      method: "GET",
      url: `/api/volunteers/mediators?caseId=${caseId}&province=${encodeURIComponent("河南省")}&limit=50`,
    });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.length).toBeGreaterThan(0);
    for (const c of found.json().items)
      expect(c.originProvince === "河南省" || c.dialects.includes("中原官话")).toBe(true);

    // Not the officer's case: 404; not a dispute: 400.
    const notTheirs = await officer.request({
      method: "GET",
      url: `/api/volunteers/mediators?caseId=${caseId}&province=${encodeURIComponent("河南省")}`,
    });
    expect([403, 404]).toContain(notTheirs.statusCode);
    const garbage = await reporter.request({
      method: "POST",
      url: "/api/cases",
      payload: {
        categoryCode: "environment.garbage",
        description: "楼下垃圾堆了一个星期没人清运",
        lat: grid.inside.lat,
        lng: grid.inside.lng,
      },
    });
    expect(garbage.statusCode, garbage.body).toBe(201);
    const notDispute = await coord.request({
      method: "GET",
      url: `/api/volunteers/mediators?caseId=${garbage.json().id}&province=${encodeURIComponent("河南省")}`,
    });
    expect(notDispute.statusCode).toBe(400);

    const invite = await coord.request({
      method: "POST",
      url: "/api/volunteers/mediators/invite",
      payload: { caseId, volunteerId: v.volunteerId, task: "用家乡话和双方沟通，促成和解" },
    });
    expect(invite.statusCode, invite.body).toBe(201);
    const invitationId = invite.json().invitationId as string;
    // While the invitation waits: asked again → 409; no longer offered as a candidate.
    const twice = await coord.request({
      method: "POST",
      url: "/api/volunteers/mediators/invite",
      payload: { caseId, volunteerId: v.volunteerId, task: "再邀请一次" },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toContain("等待其答复");
    const again = await coord.request({
      method: "GET",
      url: `/api/volunteers/mediators?caseId=${caseId}&province=${encodeURIComponent("河南省")}&limit=50`,
    });
    expect(again.json().items.map((c: { volunteerId: string }) => c.volunteerId)).not.toContain(
      v.volunteerId,
    );
    // Not a party yet: the case stays closed to them, the invitation shows what to decide on.
    expect((await v.request({ method: "GET", url: `/api/cases/${caseId}` })).statusCode).toBe(404);
    const before = (await coord.request({ method: "GET", url: `/api/cases/${caseId}` })).json();
    expect(before.parties.some((p: { role: string }) => p.role === "mediator")).toBe(false);
    expect(before.timeline.map((s: { action: string }) => s.action)).toContain("invite");
    const invited = await v.request({ method: "GET", url: "/api/volunteers/me/mediations" });
    expect(invited.json().items[0]).toMatchObject({
      invitationId,
      invitation: "pending",
      caseId,
      taskStatus: null,
      task: "用家乡话和双方沟通，促成和解",
      invitedBy: expect.stringContaining("陈静"),
    });
    expect(invited.json().items[0].excerpt).toContain("漏水");
    // Someone else cannot answer it (404).
    const other = await newVolunteer(t.app, admin, grid.communityCode);
    const stranger = await other.request({
      method: "POST",
      url: `/api/volunteers/me/mediations/${invitationId}/accept`,
    });
    expect(stranger.statusCode).toBe(404);
    const accepted = await v.request({
      method: "POST",
      url: `/api/volunteers/me/mediations/${invitationId}/accept`,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ invitation: "accepted", taskStatus: "open" });
    // Answered once: accepting or declining again → 409.
    const acceptTwice = await v.request({
      method: "POST",
      url: `/api/volunteers/me/mediations/${invitationId}/accept`,
    });
    expect(acceptTwice.statusCode).toBe(409);
    const declineAfter = await v.request({
      method: "POST",
      url: `/api/volunteers/me/mediations/${invitationId}/decline`,
      payload: { reason: "改主意了" },
    });
    expect(declineAfter.statusCode).toBe(409);
    // The inviter hears of it.
    const bell = await coord.request({ method: "GET", url: "/api/notifications?limit=20" });
    expect(JSON.stringify(bell.json())).toContain("已接受调解邀请");
    // Already mediating: another invitation → 409.
    const mediating = await coord.request({
      method: "POST",
      url: "/api/volunteers/mediators/invite",
      payload: { caseId, volunteerId: v.volunteerId, task: "再邀请一次" },
    });
    expect(mediating.statusCode).toBe(409);
    const noTask = await coord.request({
      method: "POST",
      url: "/api/volunteers/mediators/invite",
      payload: { caseId, volunteerId: v.volunteerId },
    });
    expect(noTask.statusCode).toBe(400);

    // The case page names the volunteer as mediator; the volunteer sees the case, comments, completes.
    const page = await coord.request({ method: "GET", url: `/api/cases/${caseId}` });
    expect(page.json().parties).toContainEqual(
      expect.objectContaining({ role: "mediator", kind: "volunteer", status: "open" }),
    );
    expect(page.json().timeline.map((s: { action: string }) => s.action)).toContain(
      "mediator_accept",
    );
    const seen = await v.request({ method: "GET", url: `/api/cases/${caseId}` });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toEqual(
      expect.arrayContaining(["comment", "complete_task"]),
    );
    const inList = await v.request({ method: "GET", url: "/api/cases?inbox=all" });
    expect(inList.json().items.map((c: { id: string }) => c.id)).toContain(caseId);
    const mine = await v.request({ method: "GET", url: "/api/volunteers/me/mediations" });
    expect(mine.json().items[0]).toMatchObject({
      caseId,
      invitation: "accepted",
      taskStatus: "open",
    });
    const comment = await v.request({
      method: "POST",
      url: `/api/cases/${caseId}/comment`,
      payload: { note: "已约双方周六在社区调解室见面" },
    });
    expect(comment.statusCode, comment.body).toBe(200);
    const done = await v.request({
      method: "POST",
      url: `/api/cases/${caseId}/complete_task`,
      payload: { note: "双方达成一致，已签调解协议" },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().parties).toContainEqual(
      expect.objectContaining({ role: "mediator", status: "done" }),
    );
    // The reporter cannot mediate their own dispute.
    const reporterVolunteer = await reporter.request({
      method: "POST",
      url: "/api/volunteers",
      payload: { skills: ["mediation"], preferredAreaCodes: [grid.communityCode] },
    });
    const self = await coord.request({
      method: "POST",
      url: "/api/volunteers/mediators/invite",
      payload: { caseId, volunteerId: reporterVolunteer.json().id, task: "自己调解自己" },
    });
    expect(self.statusCode).toBe(400);
  });

  it("a volunteer declines with a reason: stays out of the case, the inviter is told, and may be asked again", async () => {
    const { reporter, caseId } = await reportDispute("邻居装修噪音扰民，双方多次争吵");
    const v = await newVolunteer(t.app, admin, grid.communityCode, {
      skills: ["mediation"],
      originProvince: "四川省",
      dialects: ["西南官话"],
    });
    const invite = await coord.request({
      method: "POST",
      url: "/api/volunteers/mediators/invite",
      payload: { caseId, volunteerId: v.volunteerId, task: "协助双方商定装修时间" },
    });
    expect(invite.statusCode, invite.body).toBe(201);
    const invitationId = invite.json().invitationId as string;
    // A reason is required.
    const bare = await v.request({
      method: "POST",
      url: `/api/volunteers/me/mediations/${invitationId}/decline`,
      payload: { reason: " " },
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.message).toContain("原因");
    const declined = await v.request({
      method: "POST",
      url: `/api/volunteers/me/mediations/${invitationId}/decline`,
      payload: { reason: "这周在外地出差" },
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ invitation: "declined", reason: "这周在外地出差" });
    expect((await v.request({ method: "GET", url: `/api/cases/${caseId}` })).statusCode).toBe(404);
    const page = (await coord.request({ method: "GET", url: `/api/cases/${caseId}` })).json();
    expect(page.parties.some((p: { role: string }) => p.role === "mediator")).toBe(false);
    const step = page.timeline.find((s: { action: string }) => s.action === "mediator_decline");
    expect(step?.note).toContain("这周在外地出差");
    // The reason is for staff: the reporter's view of the timeline does not carry it.
    const theirs = (await reporter.request({ method: "GET", url: `/api/cases/${caseId}` })).json();
    expect(JSON.stringify(theirs.timeline)).not.toContain("这周在外地出差");
    const bell = await coord.request({ method: "GET", url: "/api/notifications?limit=20" });
    expect(JSON.stringify(bell.json())).toContain("婉拒了调解邀请");
    // Asked again later: a new invitation.
    const again = await coord.request({
      method: "POST",
      url: "/api/volunteers/mediators/invite",
      payload: { caseId, volunteerId: v.volunteerId, task: "下周回来后再协助调解" },
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().invitationId).not.toBe(invitationId);
  });
});
