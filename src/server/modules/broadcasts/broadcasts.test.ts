/**
 * Targeted broadcasts over the seeded demo district: every route
 * unauthenticated, out of scope, with bad input and on the happy path; the
 * counts by channel; draft → sending → sent; the delivery job in batches,
 * twice at once, through refusing and failing gateways; read receipts; no
 * phone number ever shown; and ten thousand recipients fixed by the job, not
 * by the request.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type {
  AudienceCounts,
  BroadcastDetail,
  BroadcastSummary,
  BroadcastView,
  MyBroadcasts,
  ReceivedBroadcast,
} from "../../../shared/schemas/broadcasts.js";
import { findJob } from "../../jobs/registry.js";
import {
  type MessageSender,
  type OutgoingMessage,
  PermanentSendError,
  type Senders,
} from "../notifications/senders.js";
import { runBroadcastDelivery } from "./broadcasts.service.js";

let t: TestApp;
let coord: Session;
let officer: Session;
let resident: Session;
let enterprise: Session;
/** The demo officer's street (their police station's), where the demo resident lives too, or not. */
let street: { code: string; name: string; path: string };
let otherStreet: { code: string; path: string };

class RecordingSender implements MessageSender {
  readonly name = "test";
  readonly sent: OutgoingMessage[] = [];
  constructor(private readonly fail?: (m: OutgoingMessage) => Error | undefined) {}
  async send(m: OutgoingMessage) {
    const err = this.fail?.(m);
    if (err) throw err;
    this.sent.push(m);
  }
}
const sendersOf = (sender: MessageSender): Senders => ({
  sms: sender,
  email: sender,
  close: () => {},
});
const deliver = (sender: MessageSender, batches?: { materialise?: number; deliver?: number }) =>
  runBroadcastDelivery(
    { db: t.database.db, fieldCrypto: t.fieldCrypto, senders: sendersOf(sender) },
    new Date(),
    batches,
  );

type Method = "GET" | "POST" | "PATCH" | "DELETE";
async function call<T>(s: Session | null, method: Method, url: string, payload?: object) {
  const res = s
    ? await s.request({ method, url, ...(payload ? { payload } : {}) })
    : await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T, text: res.body };
}

/** The audience of a street's residents, counted straight from the tables. */
async function residentsOf(path: string) {
  const r = await sql<{ n: number; account: number; phone: number; both: number }>`
    SELECT count(*)::int AS n,
      count(*) FILTER (WHERE u.status = 'active')::int AS account,
      count(*) FILTER (WHERE r.phone_enc IS NOT NULL OR u.phone_enc IS NOT NULL)::int AS phone,
      count(*) FILTER (WHERE u.status = 'active'
        AND (r.phone_enc IS NOT NULL OR u.phone_enc IS NOT NULL))::int AS both
    FROM residents r LEFT JOIN users u ON u.id = r.user_id
    WHERE r.status <> 'departed' AND r.area_path LIKE ${`${path}%`}`.execute(t.database.db);
  return r.rows[0] as { n: number; account: number; phone: number; both: number };
}

const draft = (over: Record<string, unknown> = {}) => ({
  title: "警惕冒充公检法诈骗",
  body: "凡是自称公检法要求转账到“安全账户”的，都是诈骗。请拨打 96110 咨询。",
  category: "anti_fraud",
  audience: { kind: "residents", areaCode: street.code },
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const s = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .innerJoin("departments as d", "d.id", "g.department_id")
    .innerJoin("areas as a", "a.id", "d.area_id")
    .select(["a.code", "a.name", "a.path"])
    .where("u.username", "=", "officer")
    .executeTakeFirstOrThrow();
  street = s;
  otherStreet = await db
    .selectFrom("areas")
    .select(["code", "path"])
    .where("level", "=", "street")
    .where("code", "<>", s.code)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  [coord, officer, resident, enterprise] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "officer"),
    login(t.app, "resident"),
    login(t.app, "enterprise"),
  ]);
  // Everything the seed left for the job is delivered first, so each test sees its own.
  await deliver(new RecordingSender());
});
afterAll(() => t.close());

describe("access", () => {
  it("asks for a login on every route", async () => {
    const routes: [Method, string, object?][] = [
      ["GET", "/api/broadcasts"],
      ["POST", "/api/broadcasts", draft()],
      [
        "POST",
        "/api/broadcasts/preview",
        { audience: { kind: "residents", areaCode: street.code } },
      ],
      ["GET", "/api/broadcasts/mine"],
      ["GET", "/api/broadcasts/1"],
      ["PATCH", "/api/broadcasts/1", { version: 1, title: "新的标题" }],
      ["DELETE", "/api/broadcasts/1"],
      ["POST", "/api/broadcasts/1/send", { version: 1 }],
      ["POST", "/api/broadcasts/1/read"],
    ];
    for (const [method, url, body] of routes)
      expect((await call(null, method, url, body)).status, `${method} ${url}`).toBe(401);
  });

  it("lets only government write, count and list broadcasts", async () => {
    for (const s of [resident, enterprise]) {
      expect((await call(s, "GET", "/api/broadcasts")).status).toBe(403);
      expect((await call(s, "POST", "/api/broadcasts", draft())).status).toBe(403);
      expect(
        (
          await call(s, "POST", "/api/broadcasts/preview", {
            audience: { kind: "residents", areaCode: street.code },
          })
        ).status,
      ).toBe(403);
    }
  });

  it("keeps a department officer's audience inside the department's street", async () => {
    const r = await call<{ error: { details: { path: string }[] } }>(
      officer,
      "POST",
      "/api/broadcasts",
      draft({ audience: { kind: "residents", areaCode: otherStreet.code } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]?.path).toBe("body.audience.areaCode");
    const far = await t.database.db
      .selectFrom("organisations")
      .select("id")
      .where("kind", "=", "enterprise")
      .where("area_path", "not like", `${street.path}%`)
      .executeTakeFirstOrThrow();
    const e = await call<{ error: { message: string } }>(
      officer,
      "POST",
      "/api/broadcasts/preview",
      {
        audience: { kind: "employees", enterpriseIds: [far.id] },
      },
    );
    expect(e.status).toBe(400);
    expect(e.body.error.message).toContain("不在您的管辖范围内");
  });
});

describe("bad input", () => {
  it("names what is missing or wrong in the form", async () => {
    const cases: [object, string][] = [
      [draft({ title: "警" }), "title"],
      [draft({ body: "" }), "body"],
      [draft({ category: "spam" }), "category"],
      [draft({ audience: { kind: "residents" } }), "areaCode"],
      [draft({ audience: { kind: "employees", enterpriseIds: [] } }), "enterpriseIds"],
      [draft({ audience: { kind: "volunteers", areaCode: street.code, teamId: "1" } }), "areaCode"],
      [draft({ audience: { kind: "volunteers" } }), "areaCode"],
      [draft({ audience: { kind: "residents", areaCode: street.code, teamId: "3" } }), "teamId"],
      [draft({ audience: { kind: "everyone" } }), "kind"],
      [draft({ phone: "13912345678" }), "phone"],
    ];
    for (const [body, field] of cases) {
      const r = await call<{ error: { id: string } }>(coord, "POST", "/api/broadcasts", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.text, field).toContain(field);
    }
    expect(
      (
        await call(
          coord,
          "POST",
          "/api/broadcasts",
          draft({ audience: { kind: "residents", areaCode: "999999999" } }),
        )
      ).status,
    ).toBe(400);
    expect((await call(coord, "GET", "/api/broadcasts/abc")).status).toBe(400);
    expect((await call(coord, "GET", "/api/broadcasts?status=lost")).status).toBe(400);
  });
});

describe("the reach before sending", () => {
  it("counts the residents of an area by channel, never listing them", async () => {
    const expected = await residentsOf(street.path);
    const r = await call<AudienceCounts>(officer, "POST", "/api/broadcasts/preview", {
      audience: { kind: "residents", areaCode: street.code },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      targeted: expected.account + expected.phone - expected.both,
      inApp: expected.account,
      sms: expected.phone,
      both: expected.both,
      unreachable: expected.n - (expected.account + expected.phone - expected.both),
    });
    expect(r.body.sms).toBeGreaterThan(0);
    expect(r.body.inApp).toBeGreaterThan(0);
    // Without SMS only account holders are reached.
    const appOnly = await call<AudienceCounts>(officer, "POST", "/api/broadcasts/preview", {
      audience: { kind: "residents", areaCode: street.code },
      sms: false,
    });
    expect(appOnly.body).toMatchObject({ targeted: expected.account, sms: 0, both: 0 });
  });

  it("counts the current employees of enterprises, and the volunteers of a team", async () => {
    const db = t.database.db;
    const firm = await db
      .selectFrom("employments as e")
      .innerJoin("organisations as o", "o.id", "e.organisation_id")
      .select(["o.id", sql<number>`count(DISTINCT e.resident_id)::int`.as("n")])
      .where("e.left_on", "is", null)
      .where("o.area_path", "like", `${street.path}%`)
      .groupBy("o.id")
      .orderBy("n", "desc")
      .executeTakeFirstOrThrow();
    const e = await call<AudienceCounts>(officer, "POST", "/api/broadcasts/preview", {
      audience: { kind: "employees", enterpriseIds: [firm.id] },
    });
    expect(e.status).toBe(200);
    expect(e.body.targeted + e.body.unreachable).toBe(firm.n);
    const team = await db
      .selectFrom("team_members as m")
      .innerJoin("volunteers as v", "v.id", "m.volunteer_id")
      .select(["m.team_id", sql<number>`count(*)::int`.as("n")])
      .where("m.left_at", "is", null)
      .where("v.status", "=", "active")
      .groupBy("m.team_id")
      .orderBy("n", "desc")
      .executeTakeFirstOrThrow();
    const v = await call<AudienceCounts>(coord, "POST", "/api/broadcasts/preview", {
      audience: { kind: "volunteers", teamId: team.team_id },
    });
    expect(v.status).toBe(200);
    // Every volunteer has an account: all are reached in the app.
    expect(v.body).toMatchObject({ targeted: team.n, inApp: team.n, unreachable: 0 });
  });
});

describe("a broadcast's life", () => {
  let b: BroadcastDetail;

  it("is a draft first, edited with the version seen, never showing a number", async () => {
    const made = await call<BroadcastDetail>(officer, "POST", "/api/broadcasts", draft());
    expect(made.status, made.text).toBe(201);
    b = made.body;
    expect(b).toMatchObject({
      status: "draft",
      category: "anti_fraud",
      sms: true,
      audienceKind: "residents",
      audienceLabel: `${street.name} 居民`,
      allowedActions: ["edit", "delete", "send"],
      counts: { targeted: 0, delivered: 0, read: 0 },
    });
    expect(b.issuer).toContain("派出所");
    const edited = await call<BroadcastDetail>(officer, "PATCH", `/api/broadcasts/${b.id}`, {
      version: b.version,
      title: "警惕冒充公检法电话诈骗",
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(b.version + 1);
    const stale = await call(officer, "PATCH", `/api/broadcasts/${b.id}`, {
      version: b.version,
      title: "又一个标题",
    });
    expect(stale.status).toBe(409);
    b = edited.body;
    // The coordination centre of the district sees it; another street's staff do not.
    expect((await call<BroadcastView>(coord, "GET", `/api/broadcasts/${b.id}`)).body.view).toBe(
      "issuer",
    );
    expect((await call(resident, "GET", `/api/broadcasts/${b.id}`)).status).toBe(404);
    const list = await call<{ items: BroadcastSummary[] }>(
      officer,
      "GET",
      "/api/broadcasts?status=draft",
    );
    expect(list.body.items.map((x) => x.id)).toContain(b.id);
  });

  it("is sent once: fixed, not yet delivered, and no longer editable", async () => {
    const expected = await residentsOf(street.path);
    const sent = await call<BroadcastDetail>(officer, "POST", `/api/broadcasts/${b.id}/send`, {
      version: b.version,
    });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ status: "sending", allowedActions: [] });
    expect(sent.body.log.map((l) => l.action)).toEqual(["create", "edit", "send"]);
    expect(sent.body.log[2]?.details).toMatchObject({
      inApp: expected.account,
      sms: expected.phone,
    });
    // The request fixed nobody: the job does.
    const rows = await t.database.db
      .selectFrom("broadcast_deliveries")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("broadcast_id", "=", b.id)
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(0);
    for (const [method, url, body] of [
      ["POST", `/api/broadcasts/${b.id}/send`, { version: sent.body.version }],
      ["PATCH", `/api/broadcasts/${b.id}`, { version: sent.body.version, title: "改一下标题" }],
      ["DELETE", `/api/broadcasts/${b.id}`, undefined],
    ] as [Method, string, object | undefined][]) {
      const r = await call<{ error: { details: { status: string } } }>(officer, method, url, body);
      expect(r.status, `${method} ${url}`).toBe(409);
      expect(r.body.error.details.status).toBe("sending");
    }
    b = sent.body;
  });

  it("is delivered by the job in batches, once per person though two runs race", async () => {
    const expected = await residentsOf(street.path);
    const sender = new RecordingSender();
    const [x, y] = await Promise.all([
      deliver(sender, { materialise: 97, deliver: 41 }),
      deliver(sender, { materialise: 97, deliver: 41 }),
    ]);
    const targeted = expected.account + expected.phone - expected.both;
    expect(x.fixed + y.fixed).toBe(targeted);
    expect(x.completed + y.completed).toBe(1);
    expect(sender.sent).toHaveLength(expected.phone);
    expect(new Set(sender.sent.map((m) => m.to)).size).toBeGreaterThan(expected.phone * 0.9);
    expect(sender.sent[0]?.title).toBe("【反诈提醒】警惕冒充公检法电话诈骗");
    const got = await call<BroadcastView>(officer, "GET", `/api/broadcasts/${b.id}`);
    const d = got.body.broadcast as BroadcastDetail;
    expect(d.status).toBe("sent");
    expect(d.counts).toEqual({
      targeted,
      delivered: targeted,
      inApp: expected.account,
      smsSent: expected.phone,
      failed: 0,
      read: 0,
      unreachable: expected.n - targeted,
    });
    expect(d.log.at(-1)?.action).toBe("complete");
    expect(got.text).not.toMatch(/1[3-9]\d{9}/);
    // In the bell of every account holder, already delivered: the notification job does not text them again.
    const notes = await t.database.db
      .selectFrom("notifications")
      .select(["user_id", "delivered_at", "delivery"])
      .where("link", "=", `/broadcasts/${b.id}`)
      .execute();
    expect(notes).toHaveLength(expected.account);
    expect(notes.every((n) => n.delivered_at !== null && n.delivery?.[0] === "app")).toBe(true);
    expect((await deliver(sender)).inApp).toBe(0);
  });

  it("is read by its recipients, each read counted once", async () => {
    const me = await t.database.db
      .selectFrom("residents as r")
      .innerJoin("users as u", "u.id", "r.user_id")
      .select(["r.area_path"])
      .where("u.username", "=", "resident")
      .executeTakeFirstOrThrow();
    // A recipient with an account in the street: the demo resident when they live there.
    const mine = me.area_path?.startsWith(street.path);
    let reader = resident;
    if (!mine) {
      const someone = await t.database.db
        .selectFrom("broadcast_deliveries as d")
        .innerJoin("users as u", "u.id", "d.user_id")
        .select("u.username")
        .where("d.broadcast_id", "=", b.id)
        .where("d.in_app_at", "is not", null)
        .orderBy("d.id")
        .executeTakeFirstOrThrow();
      reader = await login(t.app, someone.username);
    }
    const inbox = await call<MyBroadcasts>(reader, "GET", "/api/broadcasts/mine");
    expect(inbox.status).toBe(200);
    expect(inbox.body.items[0]).toMatchObject({ id: b.id, readAt: null, category: "anti_fraud" });
    const unread = inbox.body.unread;
    const view = await call<BroadcastView>(reader, "GET", `/api/broadcasts/${b.id}`);
    expect(view.body.view).toBe("recipient");
    expect(Object.keys(view.body.broadcast)).not.toContain("counts");
    const read = await call<ReceivedBroadcast>(reader, "POST", `/api/broadcasts/${b.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    // The bell's notice of it is read as well.
    const bell = await call<{ items: { link: string | null; readAt: string | null }[] }>(
      reader,
      "GET",
      "/api/notifications?limit=100",
    );
    const notice = bell.body.items.find((n) => n.link === `/broadcasts/${b.id}`);
    expect(notice?.readAt).not.toBeNull();
    const again = await call<ReceivedBroadcast>(reader, "POST", `/api/broadcasts/${b.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await call<MyBroadcasts>(reader, "GET", "/api/broadcasts/mine")).body.unread).toBe(
      unread - 1,
    );
    const d = (await call<BroadcastView>(officer, "GET", `/api/broadcasts/${b.id}`)).body
      .broadcast as BroadcastDetail;
    expect(d.counts.read).toBe(1);
    // Its issuer did not receive it; someone outside it does not see it.
    expect((await call(officer, "POST", `/api/broadcasts/${b.id}/read`)).status).toBe(403);
    expect((await call(enterprise, "POST", `/api/broadcasts/${b.id}/read`)).status).toBe(404);
    expect((await call(enterprise, "GET", `/api/broadcasts/${b.id}`)).status).toBe(404);
  });

  it("can be deleted while a draft, and an audience that reaches nobody is not sent", async () => {
    // A grid whose residents have no accounts, without SMS: nobody to reach.
    const quiet = await sql<{ code: string }>`
      SELECT a.code FROM areas a
      WHERE a.level = 'grid' AND a.path LIKE ${`${street.path}%`}
        AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.area_path LIKE a.path || '%'
          AND r.user_id IS NOT NULL)
      ORDER BY a.code LIMIT 1`.execute(t.database.db);
    const code = quiet.rows[0]?.code as string;
    expect(code).toBeDefined();
    const nobody = await call<BroadcastDetail>(
      officer,
      "POST",
      "/api/broadcasts",
      draft({ sms: false, audience: { kind: "residents", areaCode: code } }),
    );
    expect(nobody.status).toBe(201);
    const refused = await call<{ error: { message: string } }>(
      officer,
      "POST",
      `/api/broadcasts/${nobody.body.id}/send`,
      { version: nobody.body.version },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("没有可以送达的接收人");
    expect(
      (await call<BroadcastView>(officer, "GET", `/api/broadcasts/${nobody.body.id}`)).body
        .broadcast,
    ).toMatchObject({ status: "draft" });
    const made = await call<BroadcastDetail>(
      coord,
      "POST",
      "/api/broadcasts",
      draft({ title: "删除测试" }),
    );
    expect((await call(officer, "DELETE", `/api/broadcasts/${made.body.id}`)).status).toBe(404);
    expect((await call(coord, "DELETE", `/api/broadcasts/${made.body.id}`)).status).toBe(204);
    expect((await call(coord, "GET", `/api/broadcasts/${made.body.id}`)).status).toBe(404);
  });
});

describe("delivery through gateways", () => {
  it("records refused numbers as failed for good and resumes after a gateway outage", async () => {
    const db = t.database.db;
    const team = await db
      .selectFrom("team_members as m")
      .innerJoin("volunteers as v", "v.id", "m.volunteer_id")
      .innerJoin("teams as tm", "tm.id", "m.team_id")
      .select(["m.team_id", sql<number>`count(*)::int`.as("n")])
      .where("m.left_at", "is", null)
      .where("v.status", "=", "active")
      .groupBy("m.team_id")
      .orderBy("n", "desc")
      .executeTakeFirstOrThrow();
    const made = await call<BroadcastDetail>(
      coord,
      "POST",
      "/api/broadcasts",
      draft({
        category: "safety",
        title: "巡逻注意防滑",
        audience: { kind: "volunteers", teamId: team.team_id },
      }),
    );
    expect(made.status, made.text).toBe(201);
    const preview = await call<AudienceCounts>(coord, "POST", "/api/broadcasts/preview", {
      audience: { kind: "volunteers", teamId: team.team_id },
    });
    await call(coord, "POST", `/api/broadcasts/${made.body.id}/send`, {
      version: made.body.version,
    });
    // The gateway is down for a while: what was sent stays sent, the rest waits.
    let calls = 0;
    const down = new RecordingSender(() =>
      ++calls > 1 ? new Error("gateway timeout") : undefined,
    );
    if (preview.body.sms > 1)
      await expect(deliver(down, { deliver: 50 })).rejects.toThrow("gateway timeout");
    // Back, refusing numbers that end in 7.
    const picky = new RecordingSender((m) =>
      m.to.endsWith("7") ? new PermanentSendError("number unknown") : undefined,
    );
    await deliver(picky);
    const d = (await call<BroadcastView>(coord, "GET", `/api/broadcasts/${made.body.id}`)).body
      .broadcast as BroadcastDetail;
    expect(d.status).toBe("sent");
    const refused = await db
      .selectFrom("broadcast_deliveries")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("broadcast_id", "=", made.body.id)
      .where("sms_status", "=", "failed")
      .executeTakeFirstOrThrow();
    expect(d.counts.failed).toBe(refused.n);
    expect(d.counts.smsSent + d.counts.failed).toBe(preview.body.sms);
    expect(d.counts.smsSent).toBe(down.sent.length + picky.sent.length);
    expect(picky.sent.every((m) => !m.to.endsWith("7"))).toBe(true);
    expect(d.counts.inApp).toBe(preview.body.inApp);
  });

  it("is what the broadcast-delivery job runs, with the configured (log) sender that masks numbers", async () => {
    const made = await call<BroadcastDetail>(
      coord,
      "POST",
      "/api/broadcasts",
      draft({ title: "任务测试" }),
    );
    await call(coord, "POST", `/api/broadcasts/${made.body.id}/send`, {
      version: made.body.version,
    });
    const logged: string[] = [];
    const summary = await findJob("broadcast-delivery")?.run(
      {
        db: t.database.db,
        config: t.config,
        fieldCrypto: t.fieldCrypto,
        log: (e, msg) => logged.push(`${msg} ${JSON.stringify(e)}`),
      },
      new Date(),
    );
    expect(summary).toMatch(
      /^\d+ recipients fixed, \d+ in the app, \d+ by SMS, 0 failed, 1 broadcasts completed$/,
    );
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join("\n")).not.toMatch(/1[3-9]\d{9}/);
    expect(logged.join("\n")).toMatch(/1\d\d\*\*\*\*\d{4}/);
  });
});

describe("ten thousand recipients", () => {
  it("are fixed and delivered by the job in batches, never by the sending request", async () => {
    const db = t.database.db;
    const grid = await db
      .selectFrom("areas")
      .select(["code", "path"])
      .where("level", "=", "grid")
      .where("path", "like", `${otherStreet.path}%`)
      .orderBy("code")
      .executeTakeFirstOrThrow();
    const phone = t.fieldCrypto.encrypt("13800001234", "residents.phone");
    await sql`
      INSERT INTO residents (name, id_number_enc, id_number_index, id_number_masked, gender,
        birth_date, region_code, origin_province, phone_enc, area_path)
      SELECT '测试居民' || i, 'x', 'bulk-' || i, '110***********' || i, 'male', '1990-01-01',
        '340102', '安徽', ${phone}, ${grid.path}
      FROM generate_series(1, 10000) AS i`.execute(db);
    const expected = await residentsOf(grid.path);
    expect(expected.phone).toBeGreaterThanOrEqual(10_000);
    const made = await call<BroadcastDetail>(
      coord,
      "POST",
      "/api/broadcasts",
      draft({ title: "万人广播", audience: { kind: "residents", areaCode: grid.code } }),
    );
    const started = Date.now();
    const sent = await call<BroadcastDetail>(
      coord,
      "POST",
      `/api/broadcasts/${made.body.id}/send`,
      {
        version: made.body.version,
      },
    );
    const took = Date.now() - started;
    expect(sent.status).toBe(200);
    const rows = await db
      .selectFrom("broadcast_deliveries")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("broadcast_id", "=", made.body.id)
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(0);
    const sender = new RecordingSender();
    // A run stops starting batches after its time budget: the next one goes on.
    let fixed = 0;
    for (let run = 0; run < 10; run++) {
      const r = await deliver(sender);
      fixed += r.fixed;
      if (r.completed > 0) break;
    }
    expect(fixed).toBe(expected.account + expected.phone - expected.both);
    expect(sender.sent.length).toBe(expected.phone);
    const d = (await call<BroadcastView>(coord, "GET", `/api/broadcasts/${made.body.id}`)).body
      .broadcast as BroadcastDetail;
    expect(d).toMatchObject({ status: "sent", counts: { smsSent: expected.phone, failed: 0 } });
    // Informational: the send itself only counted.
    expect(took).toBeLessThan(15_000);
  }, 180_000);
});
