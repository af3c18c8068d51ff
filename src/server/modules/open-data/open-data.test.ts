import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { coarsenPoint } from "../../../shared/public-case.js";
import {
  type OpenDataFeed,
  type OpenDataStats,
  openDataFeedSchema,
  openDataStatsSchema,
} from "../../../shared/schemas/open-data.js";
import { errorsPlugin } from "../../plugins/errors.js";
import type { StatsRow } from "./open-data.repository.js";
import { etagMatches, openDataRoutes } from "./open-data.routes.js";
import { buildStats, chinaIso, OpenData, periodOf, rateOf } from "./open-data.service.js";

let t: TestApp;
let resident: Session;
let officer: Session;
let coord: Session;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  [resident, officer, coord] = await Promise.all([
    login(t.app, "resident"),
    login(t.app, "officer"),
    login(t.app, "coordinator"),
  ]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

const PHONE = "13912345678";
const NAME = "王大锤";
const ADDRESS = "狮山路128号7幢302室";
const DESCRIPTION = `楼下车棚电瓶被偷，联系人${NAME}，电话${PHONE}`;

interface Created {
  id: string;
  code: string;
  lead: { name: string } | null;
}

async function report(categoryCode: string, fields: object = {}): Promise<Created> {
  const res = await resident.request({
    method: "POST",
    url: "/api/cases",
    payload: { categoryCode, description: DESCRIPTION, address: ADDRESS, ...here, fields },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function act(s: Session, id: string, action: string, body: object = {}) {
  const res = await s.request({ method: "POST", url: `/api/cases/${id}/${action}`, payload: body });
  expect(res.statusCode, res.body).toBe(200);
}

async function resolve(c: Created) {
  await act(officer, c.id, "accept");
  await act(officer, c.id, "resolve", { note: "已处理" });
}

/** Figures computed now, without any cache. */
const fresh = async (months: number): Promise<OpenDataStats> =>
  JSON.parse((await new OpenData({ db: t.database.db }).statistics(months)).body);

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers });

const feed = async (query: string): Promise<OpenDataFeed> => {
  const res = await get(`/api/open-data/cases.geojson?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return openDataFeedSchema.parse(res.json());
};

/** The start of the China-time month `back` months before this one, plus `days` and `hours`. */
function inMonth(back: number, days = 0, hours = 10): Date {
  const start = periodOf(back + 1, new Date()).bounds[0] as Date;
  return new Date(start.getTime() + days * 86_400_000 + hours * 3_600_000);
}

const month = (back: number) => periodOf(back + 1, new Date()).labels[0] as string;

describe("open data is public", () => {
  it("answers both endpoints without a session (and ignores a bad token), cacheable, with an ETag", async () => {
    for (const url of ["/api/open-data/stats", "/api/open-data/cases.geojson"]) {
      for (const headers of [{}, { authorization: "Bearer not-a-token" }] as Record<
        string,
        string
      >[]) {
        const res = await get(url, headers);
        expect(res.statusCode, `${url} ${res.body}`).toBe(200);
        expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
        expect(res.headers["access-control-allow-origin"]).toBe("*");
      }
    }
    const stats = await get("/api/open-data/stats");
    expect(stats.headers["content-type"]).toMatch(/^application\/json/);
    expect(stats.headers["cache-control"]).toBe("public, max-age=300");
    const parsed = openDataStatsSchema.parse(stats.json());
    expect(parsed.byMonth).toHaveLength(12);
    expect(parsed.byArea).toHaveLength(9);
    expect(parsed.totals.received).toBeGreaterThan(100);
    expect(parsed.notes.map((n) => n.code)).toEqual(
      expect.arrayContaining(["sensitive_not_by_area", "merged_excluded", "no_personal_data"]),
    );
    const geo = await get("/api/open-data/cases.geojson");
    expect(geo.headers["content-type"]).toMatch(/^application\/geo\+json/);
    expect(geo.headers["cache-control"]).toBe("public, max-age=60");
    expect(openDataFeedSchema.parse(geo.json()).features.length).toBeGreaterThan(0);
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await get("/api/openapi.json")).json();
    expect(doc.paths["/api/open-data/stats"].get).toBeDefined();
    expect(doc.paths["/api/open-data/cases.geojson"].get).toBeDefined();
  });

  it("answers 304 to a matching If-None-Match, with the tag and no body", async () => {
    const first = await get("/api/open-data/stats?months=6");
    const etag = String(first.headers.etag);
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const again = await get("/api/open-data/stats?months=6", { "if-none-match": inm });
      expect(again.statusCode, inm).toBe(304);
      expect(again.body).toBe("");
      expect(again.headers.etag).toBe(etag);
      expect(again.headers["cache-control"]).toBe("public, max-age=300");
    }
    const other = await get("/api/open-data/stats?months=6", { "if-none-match": '"stale"' });
    expect(other.statusCode).toBe(200);
    const geo = await get("/api/open-data/cases.geojson?days=7");
    const geo304 = await get("/api/open-data/cases.geojson?days=7", {
      "if-none-match": String(geo.headers.etag),
    });
    expect(geo304.statusCode).toBe(304);
  });

  it("refuses bad parameters with the validation error, saying which", async () => {
    const bad: [string, RegExp][] = [
      ["/api/open-data/stats?months=0", /querystring\.months/],
      ["/api/open-data/stats?months=25", /querystring\.months/],
      ["/api/open-data/stats?months=abc", /querystring\.months/],
      ["/api/open-data/stats?months=1.5", /querystring\.months/],
      ["/api/open-data/cases.geojson?days=0", /querystring\.days/],
      ["/api/open-data/cases.geojson?days=366", /querystring\.days/],
      ["/api/open-data/cases.geojson?limit=0", /querystring\.limit/],
      ["/api/open-data/cases.geojson?limit=5001", /querystring\.limit/],
      ["/api/open-data/cases.geojson?status=pending", /querystring\.status/],
      ["/api/open-data/cases.geojson?category=DROP%20TABLE", /querystring\.category/],
      ["/api/open-data/cases.geojson?category=no_such.category", /querystring\.category/],
    ];
    for (const [url, where] of bad) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      const body = res.json();
      expect(body.error.id, url).toBe("validation");
      expect(body.error.requestId, url).toBeTruthy();
      expect(JSON.stringify(body.error.details), url).toMatch(where);
    }
  });
});

describe("the statistics and the feed", () => {
  let before2: OpenDataStats;
  let before24: OpenDataStats;
  let street: string;
  const made: Record<string, Created> = {};

  beforeAll(async () => {
    [before2, before24] = [await fresh(2), await fresh(24)];
    const db = t.database.db;
    // Twenty months ago, when the seeded history had not begun: one resolved on time, one late.
    made.onTime = await report("theft_fraud.theft");
    made.late = await report("theft_fraud.theft");
    for (const c of [made.onTime, made.late]) await resolve(c);
    const old = inMonth(20, 3);
    await sql`UPDATE cases SET created_at = ${old}, dispatched_at = ${old},
        accepted_at = ${new Date(old.getTime() + 3_600_000)},
        accept_due_at = ${new Date(old.getTime() + 4 * 3_600_000)},
        resolved_at = ${new Date(old.getTime() + 2 * 86_400_000)},
        resolve_due_at = ${new Date(old.getTime() + 5 * 86_400_000)}
      WHERE id = ${made.onTime.id}`.execute(db);
    await sql`UPDATE cases SET created_at = ${old}, dispatched_at = ${old},
        accepted_at = ${new Date(old.getTime() + 6 * 3_600_000)},
        accept_due_at = ${new Date(old.getTime() + 4 * 3_600_000)},
        resolved_at = ${new Date(old.getTime() + 9 * 86_400_000)},
        resolve_due_at = ${new Date(old.getTime() + 5 * 86_400_000)}
      WHERE id = ${made.late.id}`.execute(db);

    // This month: one open, one sensitive, one merged into the first, one resolved.
    made.open = await report("theft_fraud.theft");
    made.sensitive = await report("drugs_gambling.drug_tip");
    made.merged = await report("theft_fraud.theft");
    await act(coord, made.merged.id, "merge", { targetId: made.open.id });
    made.resolved = await report("theft_fraud.theft");
    await resolve(made.resolved);
    // Last month: one still open.
    made.lastMonth = await report("theft_fraud.theft");
    await sql`UPDATE cases SET created_at = ${inMonth(1, 14)} WHERE id = ${made.lastMonth.id}`.execute(
      db,
    );
    const row = await db
      .selectFrom("cases")
      .select("area_path")
      .where("id", "=", made.open.id)
      .executeTakeFirstOrThrow();
    street = row.area_path.split("/")[2] as string;
  });

  it("counts cases by category, month and street, merged duplicates nowhere", async () => {
    const after = await fresh(2);
    expect(after.period.months).toBe(2);
    expect(after.period.from).toBe(chinaIso(inMonth(1, 0, 0)));
    expect(after.byMonth.map((m) => m.month)).toEqual([month(1), month(0)]);

    const d = (f: (s: OpenDataStats) => number) => f(after) - f(before2);
    // open, sensitive, resolved and last month's; not the merged one.
    expect(d((s) => s.totals.received)).toBe(4);
    expect(d((s) => s.totals.resolved)).toBe(1);
    expect(d((s) => s.totals.open)).toBe(3);

    const cat = (s: OpenDataStats, code: string) =>
      s.byCategory.find((c) => c.code === code) ?? { received: 0, resolved: 0 };
    expect(d((s) => cat(s, "theft_fraud.theft").received)).toBe(3);
    expect(d((s) => cat(s, "theft_fraud.theft").resolved)).toBe(1);
    expect(d((s) => cat(s, "drugs_gambling.drug_tip").received)).toBe(1);
    expect(after.byCategory.find((c) => c.code === "drugs_gambling.drug_tip")).toMatchObject({
      family: "drugs_gambling",
      familyName: expect.any(String),
    });

    const mon = (s: OpenDataStats, i: number) => s.byMonth[i] as OpenDataStats["byMonth"][number];
    expect(d((s) => mon(s, 1).received)).toBe(3);
    expect(d((s) => mon(s, 1).resolved)).toBe(1);
    expect(d((s) => mon(s, 0).received)).toBe(1);

    // By street: the sensitive report is left out.
    const area = (s: OpenDataStats) => s.byArea.find((a) => a.code === street);
    expect(area(after)?.name).toMatch(/街道$/);
    expect(d((s) => area(s)?.received ?? 0)).toBe(3);
    expect(d((s) => area(s)?.resolved ?? 0)).toBe(1);
    const sumAreas = (s: OpenDataStats) => s.byArea.reduce((n, a) => n + a.received, 0);
    const sumMonths = (s: OpenDataStats) => s.byMonth.reduce((n, m) => n + m.received, 0);
    expect(sumMonths(after)).toBe(after.totals.received);
    expect(sumAreas(after)).toBeLessThan(after.totals.received);
    expect(after.byCategory.reduce((n, c) => n + c.received, 0)).toBe(after.totals.received);
  });

  it("rates resolution and acceptance by the deadlines: one on time and one late is a half", async () => {
    const after = await fresh(24);
    expect(after.byMonth).toHaveLength(24);
    const old = after.byMonth.find((m) => m.month === month(20));
    expect(old).toEqual({ month: month(20), received: 2, resolved: 2, onTimeRate: 0.5 });
    // Months with nothing resolved have no rate rather than 0 or 1.
    expect(after.byMonth.find((m) => m.month === month(22))?.onTimeRate).toBeNull();
    expect(after.totals.received - before24.totals.received).toBe(6);
    expect(after.totals.resolved - before24.totals.resolved).toBe(3);
    for (const r of [after.totals.onTimeRate, after.totals.acceptOnTimeRate])
      expect(r).toBeGreaterThan(0);
  });

  it("publishes nothing personal: no description, address, name or phone", async () => {
    const bodies = [
      JSON.stringify(await fresh(2)),
      (await get("/api/open-data/stats?months=3")).body,
      (await get("/api/open-data/cases.geojson?days=365&limit=5000")).body,
      (await get("/api/open-data/cases.geojson?category=theft_fraud&days=2")).body,
    ];
    const me = (await resident.request({ method: "GET", url: "/api/auth/me" })).json();
    for (const body of bodies) {
      for (const secret of [PHONE, NAME, ADDRESS, "狮山路128号", "车棚电瓶", me.displayName])
        expect(body).not.toContain(secret);
    }
    const f = (await feed("days=2&category=theft_fraud.theft")).features[0];
    expect(Object.keys(f?.properties ?? {}).sort()).toEqual(
      ["agency", "category", "categoryName", "id", "requestedAt", "status", "updatedAt"].sort(),
    );
  });

  it("maps public cases at the centre of their cell, with the lead department and open or closed", async () => {
    const { features } = await feed("days=2");
    const byCode = new Map(features.map((f) => [f.properties.id, f]));
    const open = byCode.get(made.open?.code ?? "");
    const cell = coarsenPoint(here.lat, here.lng);
    expect(open?.geometry).toEqual({ type: "Point", coordinates: [cell.lng, cell.lat] });
    expect(open?.geometry.coordinates).not.toEqual([here.lng, here.lat]);
    expect(open?.properties).toMatchObject({
      category: "theft_fraud.theft",
      categoryName: expect.any(String),
      status: "open",
      agency: made.open?.lead?.name,
    });
    expect(open?.properties.agency).toContain("派出所");
    expect(open?.properties.requestedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(byCode.get(made.resolved?.code ?? "")?.properties.status).toBe("closed");
    // Never the sensitive report nor the merged duplicate.
    expect(byCode.has(made.sensitive?.code ?? "")).toBe(false);
    expect(byCode.has(made.merged?.code ?? "")).toBe(false);
    // Newest first.
    const times = features.map((f) => Date.parse(f.properties.requestedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by category or family, status, days and limit; sensitive categories are never fed", async () => {
    const codes = async (q: string) => (await feed(q)).features.map((f) => f.properties.id);
    expect(await codes("days=2&category=theft_fraud")).toContain(made.open?.code);
    expect(await codes("days=2&category=theft_fraud.theft")).toContain(made.open?.code);
    expect(await codes("days=2&category=traffic")).not.toContain(made.open?.code);
    expect(await codes("days=2&category=drugs_gambling")).toEqual([]);
    expect(await codes("days=2&category=drugs_gambling.drug_tip")).toEqual([]);
    const open = (await feed("days=2&status=open")).features;
    expect(open.map((f) => f.properties.id)).toContain(made.open?.code);
    expect(open.every((f) => f.properties.status === "open")).toBe(true);
    const closed = (await feed("days=2&status=closed")).features;
    expect(closed.map((f) => f.properties.id)).toContain(made.resolved?.code);
    expect(closed.every((f) => f.properties.status === "closed")).toBe(true);
    expect((await feed("days=2&limit=1")).features).toHaveLength(1);
    const year = await codes("days=365&limit=5000");
    expect(year).not.toContain(made.onTime?.code); // twenty months old
    const all = (await feed("days=365&limit=5000")).features;
    expect(all.every((f) => !f.properties.category.startsWith("drugs_gambling."))).toBe(true);
    expect(all.every((f) => !f.properties.category.startsWith("vulnerable."))).toBe(true);
    const sensitiveSeeded = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases c JOIN case_categories k ON k.code = c.category_code
      WHERE k.sensitive AND c.created_at > now() - interval '365 days'`.execute(t.database.db);
    expect(sensitiveSeeded.rows[0]?.n).toBeGreaterThan(0);
  });
});

describe("caching", () => {
  let clock = Date.now();
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(errorsPlugin);
    await openDataRoutes(app, {
      db: t.database.db,
      statsTtlMs: 60_000,
      feedTtlMs: 10_000,
      now: () => clock,
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const stats = async () => {
    const res = await app.inject({ method: "GET", url: "/api/open-data/stats?months=1" });
    expect(res.statusCode).toBe(200);
    return { etag: String(res.headers.etag), body: res.json() as OpenDataStats };
  };

  it("serves the cached figures until the TTL passes, then the old ones while refreshing", async () => {
    const first = await stats();
    await report("theft_fraud.theft");
    clock += 30_000;
    const cached = await stats();
    expect(cached).toEqual(first); // the new case is not counted yet
    clock += 31_000; // past the TTL: the old answer at once, a refresh behind it
    expect(await stats()).toEqual(first);
    let next = await stats();
    for (let i = 0; i < 100 && next.etag === first.etag; i++) {
      await new Promise((r) => setTimeout(r, 50));
      next = await stats();
    }
    expect(next.etag).not.toBe(first.etag);
    expect(next.body.totals.received).toBe(first.body.totals.received + 1);
    expect(Date.parse(next.body.generatedAt)).toBe(clock);
  });

  it("shares one computation among concurrent requests, whatever the period", async () => {
    clock += 61_000; // stale: the next request refreshes behind the old answer
    await stats();
    let latest = await stats();
    for (let i = 0; i < 100 && Date.parse(latest.body.generatedAt) !== clock; i++) {
      await new Promise((r) => setTimeout(r, 50));
      latest = await stats();
    }
    const answers = await Promise.all(
      [3, 7, 7, 24].map((m) =>
        app.inject({ method: "GET", url: `/api/open-data/stats?months=${m}` }),
      ),
    );
    // One pass over the cases served them all: the same moment, cut to each period.
    for (const a of answers) expect(Date.parse(a.json().generatedAt)).toBe(clock);
    expect(answers.map((a) => a.json().byMonth.length)).toEqual([3, 7, 7, 24]);
    expect(answers[1]?.headers.etag).toBe(answers[2]?.headers.etag);
    // The last months agree however long the period.
    expect(answers[0]?.json().byMonth).toEqual(answers[3]?.json().byMonth.slice(-3));
  });

  it("caches a feed query for its own TTL", async () => {
    const q = "/api/open-data/cases.geojson?days=1&category=theft_fraud.theft";
    const first = await app.inject({ method: "GET", url: q });
    const c = await report("theft_fraud.theft");
    const again = await app.inject({ method: "GET", url: q });
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.body).not.toContain(c.code);
    clock += 11_000;
    await app.inject({ method: "GET", url: q }); // stale, starts the refresh
    let later = await app.inject({ method: "GET", url: q });
    for (let i = 0; i < 100 && !later.body.includes(c.code); i++) {
      await new Promise((r) => setTimeout(r, 50));
      later = await app.inject({ method: "GET", url: q });
    }
    expect(later.body).toContain(c.code);
  });
});

describe("pure parts", () => {
  it("cuts the period into China-time months", () => {
    // 1 March 2026, 07:00 in China is still 28 February in UTC.
    const p = periodOf(3, new Date("2026-02-28T23:00:00Z"));
    expect(p.labels).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(p.bounds.map((b) => b.toISOString())).toEqual([
      "2025-12-31T16:00:00.000Z",
      "2026-01-31T16:00:00.000Z",
      "2026-02-28T16:00:00.000Z",
      "2026-03-31T16:00:00.000Z",
    ]);
    expect(periodOf(24, new Date("2026-05-10T00:00:00Z")).labels[0]).toBe("2024-06");
    expect(chinaIso(new Date("2025-12-31T16:00:00Z"))).toBe("2026-01-01T00:00:00+08:00");
  });

  it("builds the figures from grouped rows, leaving sensitive categories out of the streets", () => {
    const row = (o: Partial<StatsRow>): StatsRow => ({
      category: "theft_fraud.theft",
      street: "s1",
      received_bucket: 1,
      resolved_bucket: 0,
      cases: 1,
      open: 0,
      resolve_timed: 0,
      resolve_on_time: 0,
      accept_timed: 0,
      accept_on_time: 0,
      ...o,
    });
    const category = (code: string, parent: string | null, sensitive = false) =>
      [code, { code, name: code.toUpperCase(), parent_code: parent, sensitive, sort: 0 }] as const;
    const ref = {
      categories: new Map([
        category("theft_fraud", null),
        category("theft_fraud.theft", "theft_fraud"),
        category("vulnerable", null, true),
        category("vulnerable.hardship", "vulnerable", true),
      ]),
      streets: [
        { code: "s1", name: "一街道" },
        { code: "s2", name: "二街道" },
      ],
    };
    const period = periodOf(2, new Date("2026-02-10T00:00:00Z"));
    const s = buildStats(
      [
        // received in January, resolved in February: 3 with deadlines, 2 on time
        row({
          cases: 3,
          resolved_bucket: 2,
          resolve_timed: 3,
          resolve_on_time: 2,
          accept_timed: 3,
          accept_on_time: 3,
        }),
        // received in February, still open, one accepted late
        row({ received_bucket: 2, cases: 2, open: 2, accept_timed: 1 }),
        // received before the period, resolved in January, late
        row({ received_bucket: 0, resolved_bucket: 1, resolve_timed: 1 }),
        // sensitive, in street s2
        row({ category: "vulnerable.hardship", street: "s2", received_bucket: 2, open: 1 }),
        // outside any street
        row({ street: "", received_bucket: 2, open: 1 }),
      ],
      ref,
      period,
      new Date("2026-02-10T00:00:00Z"),
    );
    expect(s.totals).toEqual({
      received: 7,
      resolved: 4,
      open: 4,
      onTimeRate: 0.5,
      acceptOnTimeRate: 0.75,
    });
    expect(s.byMonth).toEqual([
      { month: "2026-01", received: 3, resolved: 1, onTimeRate: 0 },
      { month: "2026-02", received: 4, resolved: 3, onTimeRate: rateOf(2, 3) },
    ]);
    expect(s.byArea).toEqual([
      { code: "s1", name: "一街道", received: 5, resolved: 4, onTimeRate: 0.5 },
      { code: "s2", name: "二街道", received: 0, resolved: 0, onTimeRate: null },
    ]);
    expect(s.byCategory).toEqual([
      {
        code: "theft_fraud.theft",
        name: "THEFT_FRAUD.THEFT",
        family: "theft_fraud",
        familyName: "THEFT_FRAUD",
        received: 6,
        resolved: 4,
        onTimeRate: 0.5,
      },
      {
        code: "vulnerable.hardship",
        name: "VULNERABLE.HARDSHIP",
        family: "vulnerable",
        familyName: "VULNERABLE",
        received: 1,
        resolved: 0,
        onTimeRate: null,
      },
    ]);
    expect(rateOf(2, 3)).toBe(0.6667);
    expect(openDataStatsSchema.parse(s)).toEqual(s);
  });

  it("matches If-None-Match lists, weak tags and *", () => {
    expect(etagMatches(undefined, '"a"')).toBe(false);
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('"b", "a"', '"a"')).toBe(true);
    expect(etagMatches("*", '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
  });
});
