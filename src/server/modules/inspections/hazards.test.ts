import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jpegWithGps } from "../../../../test/images.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { TEST_DEMO_PASSWORD } from "../../../../test/test-database-config.js";
import type { Hazard, HazardDetail } from "../../../shared/schemas/inspections.js";

let t: TestApp;
let enterprise: Session;
let coordinator: Session;
let officer: Session;
let gridworker: Session;
let resident: Session;
/** officers of district departments (fire brigade, emergency management): their area covers every enterprise */
let fireOfficer: Session;
let emergencyOfficer: Session;
let ownId = "";
let otherId = "";

beforeAll(async () => {
  t = await createTestApp();
  [enterprise, coordinator, officer, gridworker, resident] = await Promise.all([
    login(t.app, "enterprise"),
    login(t.app, "coordinator"),
    login(t.app, "officer"),
    login(t.app, "gridworker"),
    login(t.app, "resident"),
  ]);
  ownId = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope
    .id;
  // An enterprise outside the demo officer's and grid worker's areas.
  const officerPath = (
    await t.database.db
      .selectFrom("role_grants as g")
      .innerJoin("users as u", "u.id", "g.user_id")
      .innerJoin("departments as d", "d.id", "g.department_id")
      .innerJoin("areas as a", "a.id", "d.area_id")
      .select(["a.path"])
      .where("u.username", "=", "officer")
      .executeTakeFirstOrThrow()
  ).path;
  otherId = (
    await t.database.db
      .selectFrom("organisations")
      .select(["id"])
      .where("kind", "=", "enterprise")
      .where("area_path", "not like", `${officerPath}%`)
      .where("id", "<>", ownId)
      .orderBy("id")
      .executeTakeFirstOrThrow()
  ).id;
  const admin = await login(t.app, "admin");
  for (const [username, kind] of [
    ["fireofficer", "fire"],
    ["emofficer", "emergency_management"],
  ] as const) {
    const dept = await t.database.db
      .selectFrom("departments")
      .select(["id"])
      .where("kind", "=", kind)
      .where("parent_id", "is", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const res = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username,
        displayName: `${username}（区级部门）`,
        password: TEST_DEMO_PASSWORD,
        grants: [{ role: "department_officer", departmentId: dept.id }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  [fireOfficer, emergencyOfficer] = await Promise.all([
    login(t.app, "fireofficer"),
    login(t.app, "emofficer"),
  ]);
});
afterAll(() => t.close());

function multipart(content: Buffer) {
  const boundary = "----gongzhi-evidence";
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="整改后.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function photo() {
  const res = await enterprise.request({
    method: "POST",
    url: "/api/enterprise-files",
    ...multipart(jpegWithGps()),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function create(s: Session, payload: Record<string, unknown>) {
  const res = await s.request({ method: "POST", url: "/api/hazards", payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as HazardDetail;
}

async function act(
  s: Session,
  h: { id: string },
  action: string,
  payload: Record<string, unknown>,
) {
  return s.request({ method: "POST", url: `/api/hazards/${h.id}/${action}`, payload });
}

describe("hazard list and detail", () => {
  it("asks for a login and refuses residents", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/hazards" })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url: "/api/hazards/map" })).statusCode).toBe(401);
    expect((await resident.request({ method: "GET", url: "/api/hazards" })).statusCode).toBe(403);
  });

  it("shows an enterprise officer only their own hazards; another's answers 404", async () => {
    const own = await enterprise.request({ method: "GET", url: "/api/hazards?limit=500" });
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBeGreaterThan(0);
    expect(new Set(own.json().items.map((h: Hazard) => h.organisation.id))).toEqual(
      new Set([ownId]),
    );
    const foreign = await coordinator.request({
      method: "GET",
      url: `/api/hazards?organisationId=${otherId}&limit=1`,
    });
    const [h] = foreign.json().items as Hazard[];
    if (!h) throw new Error("the other enterprise has no hazard");
    expect(
      (await enterprise.request({ method: "GET", url: `/api/hazards/${h.id}` })).statusCode,
    ).toBe(404);
    expect((await officer.request({ method: "GET", url: `/api/hazards/${h.id}` })).statusCode).toBe(
      404,
    );
    const detail = await coordinator.request({ method: "GET", url: `/api/hazards/${h.id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().timeline[0].kind).toBe("created");
  });

  it("filters by status, level and overdue, sorts and pages", async () => {
    const open = await coordinator.request({
      method: "GET",
      url: "/api/hazards?status=open,rectifying&level=major&sort=deadline&limit=5",
    });
    expect(open.statusCode).toBe(200);
    const items = open.json().items as Hazard[];
    expect(
      items.every((h) => ["open", "rectifying"].includes(h.status) && h.level === "major"),
    ).toBe(true);
    const deadlines = items.map((h) => h.deadline);
    expect(deadlines).toEqual([...deadlines].sort());
    const overdue = await coordinator.request({
      method: "GET",
      url: "/api/hazards?overdue=true&limit=50",
    });
    expect(overdue.json().total).toBeGreaterThan(0);
    expect(overdue.json().items.every((h: Hazard) => h.overdue && h.status !== "closed")).toBe(
      true,
    );
    const page2 = await coordinator.request({
      method: "GET",
      url: "/api/hazards?sort=-createdAt&limit=3&offset=3",
    });
    const page1 = await coordinator.request({
      method: "GET",
      url: "/api/hazards?sort=-createdAt&limit=3",
    });
    expect(page2.json().total).toBe(page1.json().total);
    expect(page1.json().items.map((h: Hazard) => h.id)).not.toContain(page2.json().items[0].id);
    for (const bad of ["status=lost", "level=huge", "limit=0", "overdue=maybe", "sort=title"])
      expect(
        (await coordinator.request({ method: "GET", url: `/api/hazards?${bad}` })).statusCode,
      ).toBe(400);
  });

  it("puts major hazards not yet closed on the map, each in the caller's scope", async () => {
    const map = await coordinator.request({ method: "GET", url: "/api/hazards/map" });
    expect(map.statusCode).toBe(200);
    const fc = map.json();
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features) {
      expect(f.properties.level).toBe("major");
      expect(f.properties.status).not.toBe("closed");
      expect(f.geometry.coordinates[0]).toBeGreaterThan(119);
    }
    const own = await enterprise.request({ method: "GET", url: "/api/hazards/map" });
    expect(
      own
        .json()
        .features.every(
          (f: { properties: { enterpriseId: string } }) => f.properties.enterpriseId === ownId,
        ),
    ).toBe(true);
  });
});

describe("recording hazards", () => {
  it("lets staff of the area record one and the enterprise report its own; others get 404", async () => {
    const staff = await create(coordinator, {
      organisationId: ownId,
      level: "general",
      title: "配电房门未上锁",
      description: "巡查发现",
    });
    expect(staff).toMatchObject({ source: "staff", status: "open", allowedActions: [] });
    expect(staff.lat).not.toBeNull();
    const report = await create(enterprise, {
      organisationId: ownId,
      level: "general",
      title: "仓库屋顶漏水导致电线受潮",
    });
    expect(report).toMatchObject({ source: "report", allowedActions: ["plan"] });
    const foreign = await enterprise.request({
      method: "POST",
      url: "/api/hazards",
      payload: { organisationId: otherId, level: "general", title: "别人家的隐患" },
    });
    expect(foreign.statusCode).toBe(404);
    const officerOutside = await officer.request({
      method: "POST",
      url: "/api/hazards",
      payload: { organisationId: otherId, level: "general", title: "辖区外" },
    });
    expect(officerOutside.statusCode).toBe(404);
  });

  it("refuses bad input: no title, a past deadline, unknown level", async () => {
    for (const payload of [
      { organisationId: ownId, level: "general" },
      { organisationId: ownId, level: "general", title: "过期", deadline: "2020-01-01" },
      { organisationId: ownId, level: "terrible", title: "等级不对" },
      { organisationId: "abc", level: "general", title: "编号不对" },
    ]) {
      const res = await coordinator.request({ method: "POST", url: "/api/hazards", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

describe("rectification", () => {
  it("walks plan → complete → return → complete → accept, guarded and on the timeline", async () => {
    const h = await create(coordinator, {
      organisationId: ownId,
      level: "general",
      title: "消防通道堆放杂物",
    });
    expect(h.deadline > h.createdAt.slice(0, 10)).toBe(true);

    const early = await act(enterprise, h, "complete", {
      version: 1,
      note: "已清理",
      evidence: [await photo()],
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details.allowed).toEqual(["plan"]);

    expect((await act(enterprise, h, "plan", { version: 1, plan: "短" })).statusCode).toBe(400);
    const planned = await act(enterprise, h, "plan", {
      version: 1,
      plan: "本周内清理并划定禁放区",
    });
    expect(planned.statusCode, planned.body).toBe(200);
    expect(planned.json()).toMatchObject({ status: "rectifying", version: 2 });
    const stale = await act(enterprise, h, "plan", { version: 1, plan: "重复提交的方案" });
    expect(stale.statusCode).toBe(409);

    expect(
      (await act(enterprise, h, "complete", { version: 2, note: "已清理", evidence: [] }))
        .statusCode,
    ).toBe(400);
    const done = await act(enterprise, h, "complete", {
      version: 2,
      note: "已清理完毕",
      evidence: [await photo()],
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: "submitted", version: 3 });
    expect(done.json().evidence).toHaveLength(1);

    // The enterprise cannot verify its own work; staff outside the area cannot see it.
    expect(
      (await act(enterprise, h, "verify", { version: 3, decision: "accept" })).statusCode,
    ).toBe(403);
    expect(
      (await act(coordinator, h, "verify", { version: 3, decision: "return" })).statusCode,
    ).toBe(400);
    const back = await act(coordinator, h, "verify", {
      version: 3,
      decision: "return",
      reason: "照片看不清整改结果",
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: "rectifying", allowedActions: [] });

    const again = await act(enterprise, h, "complete", {
      version: 4,
      note: "已补拍照片",
      evidence: [await photo()],
    });
    expect(again.statusCode).toBe(200);
    // Staff outside the enterprise's area do not see it at all.
    expect((await act(officer, h, "verify", { version: 5, decision: "accept" })).statusCode).toBe(
      404,
    );
    const accepted = await act(fireOfficer, h, "verify", { version: 5, decision: "accept" });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const closed = accepted.json() as HazardDetail;
    expect(closed).toMatchObject({ status: "closed", allowedActions: [] });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.timeline.map((s) => s.kind)).toEqual([
      "created",
      "plan",
      "complete",
      "return",
      "complete",
      "accept",
    ]);
    expect(closed.timeline[3]?.note).toBe("照片看不清整改结果");

    const twice = await act(coordinator, h, "verify", { version: 6, decision: "accept" });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details).toMatchObject({ status: "closed", allowed: [] });

    // The enterprise heard of the new hazard, the send-back (with the reason) and the acceptance;
    // the bell opens the hazard.
    const bell = (
      await enterprise.request({ method: "GET", url: "/api/notifications?limit=50" })
    ).json();
    const mine = (
      bell.items as { kind: string; body: string | null; link: string | null }[]
    ).filter((n) => n.link === `/hazards/${h.id}`);
    expect(mine.map((n) => n.kind).sort()).toEqual([
      "hazard.accept",
      "hazard.created",
      "hazard.return",
    ]);
    expect(mine.find((n) => n.kind === "hazard.return")?.body).toBe("照片看不清整改结果");
  });

  it("refuses evidence of another enterprise and a missing hazard", async () => {
    const h = await create(enterprise, {
      organisationId: ownId,
      level: "general",
      title: "楼梯扶手松动",
    });
    await act(enterprise, h, "plan", { version: 1, plan: "联系物业加固扶手" });
    const coordinatorsPhoto = await coordinator.request({
      method: "POST",
      url: "/api/enterprise-files",
      payload: (() => {
        const boundary = "----x";
        return Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="organisationId"\r\n\r\n${otherId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n`,
          ),
          jpegWithGps(),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
      })(),
      headers: { "content-type": "multipart/form-data; boundary=----x" },
    });
    expect(coordinatorsPhoto.statusCode, coordinatorsPhoto.body).toBe(201);
    const res = await act(enterprise, h, "complete", {
      version: 2,
      note: "已加固",
      evidence: [coordinatorsPhoto.json().id],
    });
    expect(res.statusCode).toBe(400);
    expect(
      (await act(enterprise, { id: "99999999" }, "plan", { version: 1, plan: "不存在的隐患" }))
        .statusCode,
    ).toBe(404);
  });

  it("puts a major hazard under supervision; then only that department or a coordinator verifies it", async () => {
    const h = await create(coordinator, {
      organisationId: ownId,
      level: "major",
      title: "危化品仓库防爆灯损坏",
    });
    expect(h.allowedActions).toEqual([]);
    const asOfficer = await fireOfficer.request({ method: "GET", url: `/api/hazards/${h.id}` });
    expect(asOfficer.json().allowedActions).toEqual(["supervise"]);
    expect((await act(enterprise, h, "supervise", { version: 1, note: "督办" })).statusCode).toBe(
      403,
    );
    expect((await act(fireOfficer, h, "supervise", { version: 1, note: "" })).statusCode).toBe(400);
    const sup = await act(fireOfficer, h, "supervise", {
      version: 1,
      note: "重大隐患，挂牌督办，限期 60 日",
    });
    expect(sup.statusCode, sup.body).toBe(200);
    expect(sup.json().supervisingDepartment).not.toBeNull();
    expect(sup.json().status).toBe("open");
    expect(
      (await act(fireOfficer, h, "supervise", { version: 2, note: "再次督办" })).statusCode,
    ).toBe(409);
    const supervised = await coordinator.request({
      method: "GET",
      url: "/api/hazards?supervised=true&level=major&limit=500",
    });
    expect(supervised.json().items.map((x: Hazard) => x.id)).toContain(h.id);

    await act(enterprise, h, "plan", { version: 2, plan: "更换防爆灯具并请第三方检测" });
    await act(enterprise, h, "complete", { version: 3, note: "已更换", evidence: [await photo()] });
    // A grid worker of the area may verify general hazards, not major ones.
    const gw = await act(gridworker, h, "verify", { version: 4, decision: "accept" });
    expect([403, 404]).toContain(gw.statusCode);
    // Another department's officer of the area: not theirs to verify.
    expect(
      (await act(emergencyOfficer, h, "verify", { version: 4, decision: "accept" })).statusCode,
    ).toBe(403);
    const ok = await act(fireOfficer, h, "verify", { version: 4, decision: "accept" });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe("closed");
    const map = await coordinator.request({ method: "GET", url: "/api/hazards/map" });
    expect(
      map.json().features.map((f: { properties: { id: string } }) => f.properties.id),
    ).not.toContain(h.id);
  });

  it("refuses to accept a major hazard no department supervises (409 naming who must), lists it as 待挂牌, accepts it once supervised", async () => {
    const h = await create(coordinator, {
      organisationId: ownId,
      level: "major",
      title: "宿舍超员居住",
    });
    expect(h.awaitingSupervision).toBe(true);
    const map = await coordinator.request({ method: "GET", url: "/api/hazards/map" });
    const feature = map
      .json()
      .features.find((f: { properties: { id: string } }) => f.properties.id === h.id);
    expect(feature.properties).toMatchObject({
      enterpriseId: ownId,
      level: "major",
      status: "open",
      supervised: false,
    });
    // 待挂牌: the coordinator's and the department's lists find it.
    const awaitingIds = async (s: Session) => {
      const res = await s.request({
        method: "GET",
        url: "/api/hazards?supervision=awaiting&limit=500",
      });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as Hazard[];
      for (const x of items) {
        expect(x.level).toBe("major");
        expect(x.supervisingDepartment).toBeNull();
        expect(x.status).not.toBe("closed");
        expect(x.awaitingSupervision).toBe(true);
      }
      return items.map((x) => x.id);
    };
    expect(await awaitingIds(coordinator)).toContain(h.id);
    expect(await awaitingIds(fireOfficer)).toContain(h.id);
    expect(
      (await coordinator.request({ method: "GET", url: "/api/hazards?supervision=pending" }))
        .statusCode,
    ).toBe(400);

    await act(enterprise, h, "plan", { version: 1, plan: "清退超员人员，另租宿舍" });
    await act(enterprise, h, "complete", { version: 2, note: "已清退", evidence: [await photo()] });
    // A department officer of the area does not verify a major hazard it does not supervise.
    expect(
      (await act(fireOfficer, h, "verify", { version: 3, decision: "accept" })).statusCode,
    ).toBe(403);
    // Not even a coordinator closes it before a department supervises it.
    const early = await act(coordinator, h, "verify", { version: 3, decision: "accept" });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error.message).toContain("须先由职能部门挂牌督办");
    expect(early.json().error.details).toMatchObject({ requires: "supervise" });
    // Nothing changed or was lost.
    const kept = (await coordinator.request({ method: "GET", url: `/api/hazards/${h.id}` })).json();
    expect(kept).toMatchObject({ status: "submitted", version: 3, awaitingSupervision: true });
    expect(kept.evidence).toHaveLength(1);
    expect(kept.timeline.map((s: { kind: string }) => s.kind)).toEqual([
      "created",
      "plan",
      "complete",
    ]);
    // Sending it back stays open to the coordinator.
    const back = await act(coordinator, h, "verify", {
      version: 3,
      decision: "return",
      reason: "仍有两间宿舍超员",
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().status).toBe("rectifying");
    await act(enterprise, h, "complete", {
      version: 4,
      note: "已全部清退",
      evidence: [await photo()],
    });

    const sup = await act(fireOfficer, h, "supervise", { version: 5, note: "挂牌督办" });
    expect(sup.statusCode, sup.body).toBe(200);
    expect(sup.json().awaitingSupervision).toBe(false);
    expect(await awaitingIds(coordinator)).not.toContain(h.id);
    const supervised = await coordinator.request({
      method: "GET",
      url: "/api/hazards?supervision=supervised&limit=500",
    });
    expect(supervised.json().items.map((x: Hazard) => x.id)).toContain(h.id);
    const ok = await act(coordinator, h, "verify", { version: 6, decision: "accept" });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: "closed", awaitingSupervision: false });
  });

  it("needs no supervision to accept a general hazard: area staff verify it as before", async () => {
    const h = await create(coordinator, {
      organisationId: ownId,
      level: "general",
      title: "配电箱门未关闭",
    });
    expect(h.awaitingSupervision).toBe(false);
    await act(enterprise, h, "plan", { version: 1, plan: "安排电工每日检查并上锁" });
    await act(enterprise, h, "complete", { version: 2, note: "已上锁", evidence: [await photo()] });
    const ok = await act(fireOfficer, h, "verify", { version: 3, decision: "accept" });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe("closed");
  });
});

describe("spot-checks", () => {
  it("is for government only", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/spot-checks" })).statusCode).toBe(401);
    expect((await enterprise.request({ method: "GET", url: "/api/spot-checks" })).statusCode).toBe(
      403,
    );
    expect((await gridworker.request({ method: "GET", url: "/api/spot-checks" })).statusCode).toBe(
      403,
    );
    const seeded = await coordinator.request({ method: "GET", url: "/api/spot-checks" });
    expect(seeded.statusCode).toBe(200);
    expect(seeded.json().total).toBeGreaterThan(0);
  });

  it("refuses bad draws: no size, too many, an area outside the officer's", async () => {
    for (const payload of [
      {},
      { sampleSize: 0 },
      { sampleSize: 1000 },
      { sampleSize: 3, areaCode: "x" },
    ])
      expect(
        (await officer.request({ method: "POST", url: "/api/spot-checks", payload })).statusCode,
      ).toBe(400);
    const other = await t.database.db
      .selectFrom("organisations as o")
      .innerJoin("areas as a", "a.id", "o.area_id")
      .select(["a.code"])
      .where("o.id", "=", otherId)
      .executeTakeFirstOrThrow();
    const outside = await officer.request({
      method: "POST",
      url: "/api/spot-checks",
      payload: { sampleSize: 2, areaCode: other.code },
    });
    expect(outside.statusCode).toBe(403);
    const nobody = await officer.request({
      method: "POST",
      url: "/api/spot-checks",
      payload: { sampleSize: 2, industry: "不存在的行业" },
    });
    expect(nobody.statusCode).toBe(400);
  });

  it("draws distinct enterprises of the officer's area with their weights, then records findings once", async () => {
    const res = await officer.request({
      method: "POST",
      url: "/api/spot-checks",
      payload: { sampleSize: 4, note: "测试抽查" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    expect(s.items).toHaveLength(Math.min(4, s.population));
    expect(
      new Set(s.items.map((x: { organisation: { id: string } }) => x.organisation.id)).size,
    ).toBe(s.items.length);
    expect(s.weights.base).toBe(1);
    for (const x of s.items) {
      expect(x.weight).toBeGreaterThanOrEqual(1);
      expect(x.factors).toHaveProperty("openHazards");
      expect(x.finding).toBe("pending");
      expect(x.allowedActions).toEqual(["record"]);
    }
    expect(s.department).not.toBeNull();
    const item = s.items[0];
    const url = `/api/spot-checks/${s.id}/items/${item.id}/finding`;
    expect(
      (await officer.request({ method: "POST", url, payload: { finding: "hazards_found" } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await enterprise.request({ method: "POST", url, payload: { finding: "ok" } })).statusCode,
    ).toBe(403);
    const found = await officer.request({
      method: "POST",
      url,
      payload: {
        finding: "hazards_found",
        note: "现场检查",
        hazards: [
          { level: "general", title: "灭火器压力不足" },
          { level: "major", title: "疏散通道被货物堵死" },
        ],
      },
    });
    expect(found.statusCode, found.body).toBe(200);
    const recorded = found.json().items.find((x: { id: string }) => x.id === item.id);
    expect(recorded).toMatchObject({ finding: "hazards_found", hazards: 2, allowedActions: [] });
    const made = await officer.request({
      method: "GET",
      url: `/api/hazards?spotCheckId=${s.id}&limit=10`,
    });
    expect(made.json().items.map((h: Hazard) => h.source)).toEqual(["spot_check", "spot_check"]);
    const again = await officer.request({ method: "POST", url, payload: { finding: "ok" } });
    expect(again.statusCode).toBe(409);

    const list = await officer.request({ method: "GET", url: "/api/spot-checks" });
    expect(list.json().items[0]).toMatchObject({ id: s.id, checked: 1, hazardsFound: 2 });
    expect(
      (await coordinator.request({ method: "GET", url: `/api/spot-checks/${s.id}` })).statusCode,
    ).toBe(200);
  });
});
