/**
 * The grid risk index over HTTP, on the seeded demo district: the ranking,
 * a grid's profile, the warnings and their steps, the weights, the run and
 * the coordination map's two new measures. Every route: unauthenticated, out
 * of scope, bad input, happy path.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { todayInChina } from "../../../shared/dates.js";
import type { AreaMeasureResponse } from "../../../shared/schemas/coordination.js";
import {
  DEFAULT_GRID_RISK_SETTINGS,
  GRID_RISK_SIGNALS,
  type GridProfile,
  type GridRiskList,
  type GridRiskPreview,
  type GridRiskSettings,
  type GridWarning,
  weightedScore,
} from "../../../shared/schemas/grid-risk.js";
import type { LiveEvent } from "../events/event-bus.js";
import { gridRiskJob } from "./grid-risk.jobs.js";
import { computeToday, PREVENTIVE_CATEGORY } from "./grid-risk.service.js";

let t: TestApp;
let admin: Session;
let coord: Session;
let gw: Session;
let officer: Session;
let resident: Session;
let grid: { id: string; code: string; path: string; name: string };
let gridCount: number;
const today = () => todayInChina(new Date());

async function call<T>(
  s: Session | null,
  method: "GET" | "POST" | "PUT",
  url: string,
  status: number,
  payload?: object,
) {
  const o = { method, url, ...(payload ? { payload } : {}) };
  const res = s ? await s.request(o) : await t.app.inject(o);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return res.json() as T;
}
const get = <T>(s: Session | null, url: string, status = 200) => call<T>(s, "GET", url, status);
const post = <T>(s: Session | null, url: string, payload: object | undefined, status = 200) =>
  call<T>(s, "POST", url, status, payload ?? {});

beforeAll(async () => {
  t = await createTestApp();
  [admin, coord, gw, officer, resident] = (await Promise.all(
    ["admin", "coordinator", "gridworker", "officer", "resident"].map((u) => login(t.app, u)),
  )) as [Session, Session, Session, Session, Session];
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  grid = await t.database.db
    .selectFrom("areas")
    .select(["id", "code", "path", "name"])
    .where("code", "=", me.grants[0].scope.code)
    .executeTakeFirstOrThrow();
  const n = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM areas WHERE level = 'grid'`.execute(t.database.db);
  gridCount = n.rows[0]?.n ?? 0;
});
afterAll(() => t.close());

describe("the seeded index", () => {
  it("has a row per grid for today and three weeks before, and some warnings", async () => {
    const r = await sql<{ days: number; rows: number; first: string }>`
      SELECT count(DISTINCT day)::int AS days, count(*)::int AS rows,
        to_char(min(day), 'YYYY-MM-DD') AS first FROM grid_risk_scores`.execute(t.database.db);
    expect(r.rows[0]).toEqual({ days: 22, rows: 22 * gridCount, first: expect.any(String) });
    const w = await sql<{ n: number }>`SELECT count(*)::int AS n FROM grid_risk_warnings`.execute(
      t.database.db,
    );
    expect(w.rows[0]?.n).toBeGreaterThan(0);
    // The migration's default row is the shared defaults.
    const s = await get<GridRiskSettings>(coord, "/api/grid-risk/weights");
    expect(s.weights).toEqual(DEFAULT_GRID_RISK_SETTINGS.weights);
    expect([s.riseThreshold, s.mediumLevel, s.highLevel]).toEqual([
      DEFAULT_GRID_RISK_SETTINGS.riseThreshold,
      DEFAULT_GRID_RISK_SETTINGS.mediumLevel,
      DEFAULT_GRID_RISK_SETTINGS.highLevel,
    ]);
  });

  it("is computed once a day: the job finds today done", async () => {
    expect(await gridRiskJob({ db: t.database.db, config: t.config }, new Date())).toContain(
      "already computed",
    );
  });
});

describe("GET /api/grid-risk/grids", () => {
  it("refuses the unauthenticated, residents and department officers", async () => {
    await get(null, "/api/grid-risk/grids", 401);
    await get(resident, "/api/grid-risk/grids", 403);
    await get(officer, "/api/grid-risk/grids", 403);
  });

  it("ranks the district's grids by score with the change and the top signals", async () => {
    const list = await get<GridRiskList>(coord, "/api/grid-risk/grids?limit=200");
    expect(list.day).toBe(today());
    expect(list.total).toBe(gridCount);
    const scores = list.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const first = list.items[0];
    expect(first?.street?.name).toBeTruthy();
    expect(first?.community?.name).toBeTruthy();
    expect(first?.topSignals.length).toBeGreaterThan(0);
    const contributions = first?.topSignals.map((s) => s.contribution) ?? [];
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    // The change is against the stored score 7 days before.
    const week = await sql<{ score: number }>`
      SELECT score FROM grid_risk_scores WHERE grid_id = ${first?.gridId}::bigint
        AND day = ${today()}::date - 7`.execute(t.database.db);
    expect(first?.change).toBeCloseTo((first?.score ?? 0) - (week.rows[0]?.score ?? 0), 1);
  });

  it("sorts by change and name, filters by street, level and name, pages", async () => {
    const byChange = await get<GridRiskList>(coord, "/api/grid-risk/grids?sort=-change&limit=200");
    const changes = byChange.items.map((i) => i.change).filter((c): c is number => c !== null);
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    const byName = await get<GridRiskList>(coord, "/api/grid-risk/grids?sort=name&limit=5");
    expect(byName.items).toHaveLength(5);
    const street = byChange.items[0]?.street;
    const inStreet = await get<GridRiskList>(
      coord,
      `/api/grid-risk/grids?areaId=${street?.id}&limit=200`,
    );
    expect(inStreet.total).toBeGreaterThan(0);
    expect(inStreet.total).toBeLessThan(gridCount);
    expect(inStreet.items.every((i) => i.street?.id === street?.id)).toBe(true);
    const medium = await get<GridRiskList>(coord, "/api/grid-risk/grids?level=medium&limit=200");
    expect(medium.items.every((i) => i.level === "medium")).toBe(true);
    const named = await get<GridRiskList>(
      coord,
      `/api/grid-risk/grids?q=${encodeURIComponent(grid.name)}`,
    );
    expect(named.items.map((i) => i.code)).toContain(grid.code);
    const first11 = await get<GridRiskList>(coord, "/api/grid-risk/grids?limit=11");
    const page2 = await get<GridRiskList>(coord, "/api/grid-risk/grids?limit=10&offset=10");
    expect(page2.items[0]?.code).toBe(first11.items[10]?.code);
  });

  it("answers 400 to a bad query and 403/404 to an area outside the caller's", async () => {
    await get(coord, "/api/grid-risk/grids?sort=risk", 400);
    await get(coord, "/api/grid-risk/grids?limit=500", 400);
    await get(coord, "/api/grid-risk/grids?areaId=abc", 400);
    await get(coord, "/api/grid-risk/grids?areaId=999999999", 404);
    const district = await t.database.db
      .selectFrom("areas")
      .select("id")
      .where("level", "=", "district")
      .executeTakeFirstOrThrow();
    await get(gw, `/api/grid-risk/grids?areaId=${district.id}`, 403);
  });

  it("shows a grid worker their own grid only", async () => {
    const mine = await get<GridRiskList>(gw, "/api/grid-risk/grids");
    expect(mine.items.map((i) => i.code)).toEqual([grid.code]);
  });
});

describe("GET /api/grid-risk/grids/:code", () => {
  it("refuses the unauthenticated, bad codes, other grids and unknown ones", async () => {
    await get(null, `/api/grid-risk/grids/${grid.code}`, 401);
    await get(officer, `/api/grid-risk/grids/${grid.code}`, 403);
    await get(coord, "/api/grid-risk/grids/abc", 400);
    await get(coord, "/api/grid-risk/grids/999999999999", 404);
    const other = await t.database.db
      .selectFrom("areas")
      .select("code")
      .where("level", "=", "grid")
      .where("code", "<>", grid.code)
      .executeTakeFirstOrThrow();
    await get(gw, `/api/grid-risk/grids/${other.code}`, 404);
    // A street is no grid.
    const street = await t.database.db
      .selectFrom("areas")
      .select("code")
      .where("level", "=", "street")
      .executeTakeFirstOrThrow();
    await get(coord, `/api/grid-risk/grids/${street.code}`, 404);
  });

  it("explains the score: eight signals whose points add up to it, the history and the grid's figures", async () => {
    const p = await get<GridProfile>(gw, `/api/grid-risk/grids/${grid.code}`);
    expect(p.grid.code).toBe(grid.code);
    expect(p.day).toBe(today());
    expect(p.signals.map((s) => s.code)).toEqual([...GRID_RISK_SIGNALS]);
    const sum = p.signals.reduce((n, s) => n + s.contribution, 0);
    expect(Math.abs(sum - (p.score ?? 0))).toBeLessThanOrEqual(0.5);
    expect(p.signals.find((s) => s.code === "patrol")?.method).toBe("coverage");
    expect(p.history).toHaveLength(22);
    expect(p.history.at(-1)?.day).toBe(today());
    expect(p.profile.caseTrend).toHaveLength(12);
    const direct = await sql<{ residents: number; units: number; open: number }>`
      SELECT (SELECT count(*)::int FROM residents WHERE area_path = ${grid.path} AND status <> 'departed') AS residents,
        (SELECT count(*)::int FROM units WHERE area_path = ${grid.path}) AS units,
        (SELECT count(*)::int FROM cases WHERE area_path = ${grid.path}
          AND status NOT IN ('closed', 'withdrawn', 'merged')) AS open`.execute(t.database.db);
    expect(p.profile.residents).toBe(direct.rows[0]?.residents);
    expect(p.profile.units).toBe(direct.rows[0]?.units);
    expect(p.profile.openCases).toBe(direct.rows[0]?.open);
    const caseRate = p.signals.find((s) => s.code === "caseRate");
    expect(caseRate?.detail.residents).toBe(p.profile.residents);
  });
});

/** The open warning of the grid worker's grid that the scenario below raises. */
let raised: GridWarning;

describe("a jump raises a warning", () => {
  it("when a grid's disputes rise: its grid worker and coordinators are told, once", async () => {
    const db = t.database.db;
    // A clean slate for this grid: no warning to hold a new one back.
    await sql`DELETE FROM grid_risk_warnings WHERE grid_id = ${grid.id}::bigint`.execute(db);
    // Only disputes count: five in the grid's last 30 days score 100.
    const s = await get<GridRiskSettings>(admin, "/api/grid-risk/weights");
    const only = Object.fromEntries(GRID_RISK_SIGNALS.map((k) => [k, k === "disputes" ? 1 : 0]));
    await call(admin, "PUT", "/api/grid-risk/weights", 200, {
      weights: only,
      riseThreshold: 15,
      mediumLevel: 30,
      highLevel: 50,
      version: s.version,
      note: "测试：只看矛盾纠纷",
    });
    const here = await pointInDemoGrid(t.app);
    for (let i = 0; i < 5; i++) {
      const res = await resident.request({
        method: "POST",
        url: "/api/cases",
        payload: {
          categoryCode: "dispute.neighbour",
          description: `楼上邻居深夜噪音纠纷第${i + 1}次`,
          ...here,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const before = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM notifications WHERE kind = 'grid_risk.warning'`.execute(db);
    const run = await post<{ day: string; computed: number; warnings: number }>(
      admin,
      "/api/grid-risk/run",
      undefined,
    );
    expect(run).toMatchObject({ day: today(), computed: gridCount });
    expect(run.warnings).toBeGreaterThanOrEqual(1);

    const list = await get<{ items: GridWarning[] }>(gw, "/api/grid-risk/warnings");
    const w = list.items.find((x) => x.day === today());
    expect(w).toBeDefined();
    raised = w as GridWarning;
    expect(raised).toMatchObject({ status: "open", score: 100, level: "high" });
    expect(raised.reasons.length).toBeGreaterThan(0);
    expect(raised.topSignals[0]?.code).toBe("disputes");
    if (raised.previousScore !== null)
      expect(raised.rise).toBeCloseTo(100 - raised.previousScore, 1);
    expect(raised.allowedActions).toEqual(["acknowledge"]);

    const told = () =>
      sql<{ username: string; title: string }>`
        SELECT u.username, n.title FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.kind = 'grid_risk.warning' AND n.link = ${`/coordination/risk/grids/${grid.code}`}`.execute(
        db,
      );
    const first = await told();
    expect(first.rows.map((r) => r.username).sort()).toEqual(["coordinator", "gridworker"]);
    expect(first.rows[0]?.title).toContain(grid.name);
    const afterFirst = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM notifications WHERE kind = 'grid_risk.warning'`.execute(db);
    expect(afterFirst.rows[0]?.n).toBeGreaterThan(before.rows[0]?.n ?? 0);

    // Run again: the same day's warning is not raised twice, nobody is told twice.
    await post(admin, "/api/grid-risk/run", undefined);
    const all = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM grid_risk_warnings WHERE grid_id = ${grid.id}::bigint`.execute(
      db,
    );
    expect(all.rows[0]?.n).toBe(1);
    expect((await told()).rows).toHaveLength(2);
    const afterSecond = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM notifications WHERE kind = 'grid_risk.warning'`.execute(db);
    expect(afterSecond.rows[0]?.n).toBe(afterFirst.rows[0]?.n);
  });

  it("two computations at once still write one row per grid and day, and no second warning", async () => {
    const db = t.database.db;
    const deps = { db, config: t.config };
    await Promise.all([
      computeToday(deps, new Date(), { force: true }),
      computeToday(deps, new Date(), { force: true }),
    ]);
    const r = await sql<{ rows: number; warnings: number }>`
      SELECT (SELECT count(*)::int FROM grid_risk_scores WHERE day = ${today()}::date) AS rows,
        (SELECT count(*)::int FROM grid_risk_warnings WHERE day = ${today()}::date
          AND grid_id = ${grid.id}::bigint) AS warnings`.execute(db);
    expect(r.rows[0]).toEqual({ rows: gridCount, warnings: 1 });
  });
});

describe("warning steps", () => {
  const url = (id: string, step: string) => `/api/grid-risk/warnings/${id}/${step}`;

  it("GET /api/grid-risk/warnings: scoped, filtered, validated", async () => {
    await get(null, "/api/grid-risk/warnings", 401);
    await get(resident, "/api/grid-risk/warnings", 403);
    await get(coord, "/api/grid-risk/warnings?status=late", 400);
    const all = await get<{ items: GridWarning[]; total: number }>(
      coord,
      "/api/grid-risk/warnings?limit=200",
    );
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM grid_risk_warnings`.execute(
      t.database.db,
    );
    expect(all.total).toBe(n.rows[0]?.n);
    const open = await get<{ items: GridWarning[] }>(
      coord,
      "/api/grid-risk/warnings?status=open&limit=200",
    );
    expect(open.items.every((w) => w.status === "open")).toBe(true);
    expect(open.items.find((w) => w.id === raised.id)?.allowedActions).toEqual([
      "acknowledge",
      "dismiss",
      "createTask",
    ]);
    const mine = await get<{ items: GridWarning[] }>(gw, "/api/grid-risk/warnings");
    expect(mine.items.every((w) => w.grid.code === grid.code)).toBe(true);
  });

  it("acknowledge: the grid worker, with the version seen", async () => {
    await post(null, url(raised.id, "acknowledge"), { version: raised.version }, 401);
    await post(officer, url(raised.id, "acknowledge"), { version: raised.version }, 403);
    await post(gw, url(raised.id, "acknowledge"), {}, 400);
    await post(gw, url(raised.id, "acknowledge"), { version: raised.version + 5 }, 409);
    const ok = await post<GridWarning>(gw, url(raised.id, "acknowledge"), {
      version: raised.version,
    });
    expect(ok).toMatchObject({
      status: "acknowledged",
      acknowledgedBy: expect.stringContaining("李娟"),
    });
    expect(ok.version).toBe(raised.version + 1);
    // Already acknowledged; a grid worker may not dismiss.
    await post(gw, url(raised.id, "acknowledge"), { version: ok.version }, 409);
    await post(gw, url(raised.id, "dismiss"), { version: ok.version, reason: "已处理" }, 403);
    raised = ok;
  });

  it("a warning of another grid is not found for the grid worker", async () => {
    const other = await t.database.db
      .selectFrom("grid_risk_warnings")
      .select(["id", "version"])
      .where("grid_id", "<>", grid.id)
      .executeTakeFirstOrThrow();
    await post(gw, url(other.id, "acknowledge"), { version: other.version }, 404);
    await post(coord, url("999999999", "acknowledge"), { version: 1 }, 404);
  });

  it("create-task: a preventive case at the grid, linked; a retry gets the same case", async () => {
    await post(gw, url(raised.id, "create-task"), { version: raised.version }, 403);
    await post(
      coord,
      url(raised.id, "create-task"),
      { version: raised.version, note: "x".repeat(501) },
      400,
    );
    const done = await post<GridWarning>(coord, url(raised.id, "create-task"), {
      version: raised.version,
      note: "请重点排查出租屋",
    });
    expect(done.status).toBe("task_created");
    expect(done.case?.code).toMatch(/^SJ/);
    expect(done.closedBy).toContain("陈静");
    const c = await t.database.db
      .selectFrom("cases")
      .select(["category_code", "grid_id", "status", "description"])
      .where("id", "=", done.case?.id as string)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ category_code: PREVENTIVE_CATEGORY, grid_id: grid.id });
    expect(c.description).toContain("网格风险预警");
    expect(c.description).toContain("请重点排查出租屋");
    const again = await post<GridWarning>(coord, url(raised.id, "create-task"), {
      version: raised.version,
    });
    expect(again.case?.id).toBe(done.case?.id);
    await post(
      coord,
      url(raised.id, "dismiss"),
      { version: done.version, reason: "重复预警" },
      409,
    );
    const log = await t.database.db
      .selectFrom("grid_risk_warning_actions")
      .select(["action", "case_id"])
      .where("warning_id", "=", raised.id)
      .orderBy("id")
      .execute();
    expect(log.map((l) => l.action)).toEqual(["raise", "acknowledge", "create_task"]);
    expect(log[2]?.case_id).toBe(done.case?.id);
  });

  it("create-task twice at once opens one case", async () => {
    const w = await t.database.db
      .selectFrom("grid_risk_warnings")
      .select(["id", "version"])
      .where("status", "=", "open")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const [a, b] = await Promise.all([
      admin.request({
        method: "POST",
        url: url(w.id, "create-task"),
        payload: { version: w.version },
      }),
      coord.request({
        method: "POST",
        url: url(w.id, "create-task"),
        payload: { version: w.version },
      }),
    ]);
    const ok = [a, b].filter((r) => r.statusCode === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of [a, b]) expect([200, 409]).toContain(r.statusCode);
    const cases = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases WHERE description LIKE ${`%根据 % 的预警创建%`}
        AND grid_id = (SELECT grid_id FROM grid_risk_warnings WHERE id = ${w.id}::bigint)`.execute(
      t.database.db,
    );
    expect(cases.rows[0]?.n).toBe(1);
  });

  it("dismiss: coordinators, with a reason", async () => {
    const w = await t.database.db
      .selectFrom("grid_risk_warnings")
      .select(["id", "version"])
      .where("status", "=", "open")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    await post(coord, url(w.id, "dismiss"), { version: w.version }, 400);
    await post(coord, url(w.id, "dismiss"), { version: w.version, reason: " x " }, 400);
    const seen: LiveEvent[] = [];
    const stop = t.app.events.subscribe((e) => seen.push(e));
    const ok = await post<GridWarning>(coord, url(w.id, "dismiss"), {
      version: w.version,
      reason: "已核实为临时施工导致，不予处理",
    });
    expect(ok).toMatchObject({
      status: "dismissed",
      dismissReason: "已核实为临时施工导致，不予处理",
    });
    expect(ok.allowedActions).toEqual([]);
    // Open risk pages are told to reload (the refused attempts told nobody).
    await expect
      .poll(() => seen.filter((e) => e.type === "dashboard" && e.topics.includes("grid-risk")))
      .toHaveLength(1);
    stop();
  });
});

describe("weights", () => {
  it("GET: readers see them, with who may change them", async () => {
    await get(null, "/api/grid-risk/weights", 401);
    await get(resident, "/api/grid-risk/weights", 403);
    const mine = await get<GridRiskSettings>(gw, "/api/grid-risk/weights");
    expect(mine).toMatchObject({ editable: false, canRun: false });
    expect(await get<GridRiskSettings>(coord, "/api/grid-risk/weights")).toMatchObject({
      editable: true,
      canRun: false,
    });
    expect(await get<GridRiskSettings>(admin, "/api/grid-risk/weights")).toMatchObject({
      editable: true,
      canRun: true,
    });
  });

  it("PUT: validated, guarded by version, logged, and the scores re-weighted", async () => {
    const s = await get<GridRiskSettings>(coord, "/api/grid-risk/weights");
    const body = {
      weights: { ...DEFAULT_GRID_RISK_SETTINGS.weights, newCitizens: 30 },
      riseThreshold: 12,
      mediumLevel: 30,
      highLevel: 55,
      version: s.version,
      note: "新市民聚居区加权",
    };
    await call(null, "PUT", "/api/grid-risk/weights", 401, body);
    await call(gw, "PUT", "/api/grid-risk/weights", 403, body);
    await call(officer, "PUT", "/api/grid-risk/weights", 403, body);
    await call(coord, "PUT", "/api/grid-risk/weights", 400, {
      ...body,
      weights: { ...body.weights, patrol: -2 },
    });
    await call(coord, "PUT", "/api/grid-risk/weights", 400, {
      ...body,
      weights: Object.fromEntries(GRID_RISK_SIGNALS.map((k) => [k, 0])),
    });
    await call(coord, "PUT", "/api/grid-risk/weights", 400, { ...body, mediumLevel: 60 });
    await call(coord, "PUT", "/api/grid-risk/weights", 409, { ...body, version: s.version - 1 });
    const saved = await call<GridRiskSettings>(coord, "PUT", "/api/grid-risk/weights", 200, body);
    expect(saved).toMatchObject({ version: s.version + 1, riseThreshold: 12, highLevel: 55 });
    expect(saved.history[0]).toMatchObject({
      version: s.version + 1,
      note: "新市民聚居区加权",
      changedBy: expect.stringContaining("陈静"),
    });
    expect(saved.history.length).toBe(s.history.length + 1);
    // Today's and earlier scores follow the new weights.
    const rows = await sql<{ score: number; signals: { code: string; normalised: number }[] }>`
      SELECT score, signals FROM grid_risk_scores WHERE day >= ${today()}::date - 10
      ORDER BY grid_id, day LIMIT 40`.execute(t.database.db);
    for (const r of rows.rows) {
      const n = Object.fromEntries(r.signals.map((x) => [x.code, x.normalised]));
      expect(r.score).toBeCloseTo(weightedScore(n, body.weights), 5);
    }
  });

  it("preview: the ranking under other weights, nothing saved", async () => {
    const s = await get<GridRiskSettings>(coord, "/api/grid-risk/weights");
    const only = Object.fromEntries(GRID_RISK_SIGNALS.map((k) => [k, k === "newCitizens" ? 1 : 0]));
    const input = { weights: only, riseThreshold: 15, mediumLevel: 30, highLevel: 50 };
    await post(null, "/api/grid-risk/weights/preview", input, 401);
    await post(resident, "/api/grid-risk/weights/preview", input, 403);
    await post(coord, "/api/grid-risk/weights/preview", { ...input, riseThreshold: 0 }, 400);
    const p = await post<GridRiskPreview>(coord, "/api/grid-risk/weights/preview", input);
    expect(p.items).toHaveLength(gridCount);
    expect(p.items.map((i) => i.previewRank)).toEqual(p.items.map((_, i) => i + 1));
    const shares = await sql<{ code: string; share: number }>`
      SELECT a.code, (e->>'normalised')::float8 AS share FROM grid_risk_scores s
      JOIN areas a ON a.id = s.grid_id, jsonb_array_elements(s.signals) e
      WHERE s.day = ${today()}::date AND e->>'code' = 'newCitizens'`.execute(t.database.db);
    const best = Math.max(...shares.rows.map((r) => r.share));
    expect(p.items[0]?.previewScore).toBe(best);
    expect((await get<GridRiskSettings>(coord, "/api/grid-risk/weights")).version).toBe(s.version);
    const mine = await post<GridRiskPreview>(gw, "/api/grid-risk/weights/preview", input);
    expect(mine.items.map((i) => i.code)).toEqual([grid.code]);
  });
});

describe("OpenAPI", () => {
  it("describes every grid-risk route", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    for (const path of [
      "/api/grid-risk/grids",
      "/api/grid-risk/grids/{code}",
      "/api/grid-risk/warnings",
      "/api/grid-risk/warnings/{id}/create-task",
      "/api/grid-risk/weights",
      "/api/grid-risk/weights/preview",
      "/api/grid-risk/run",
    ])
      expect(doc.paths[path], path).toBeDefined();
    expect(doc.paths["/api/grid-risk/weights"].put.requestBody).toBeDefined();
  });
});

describe("POST /api/grid-risk/run", () => {
  it("is for admins", async () => {
    await post(null, "/api/grid-risk/run", undefined, 401);
    await post(coord, "/api/grid-risk/run", undefined, 403);
    await post(gw, "/api/grid-risk/run", undefined, 403);
  });
});

describe("the coordination map's new measures", () => {
  it("risk: a grid's latest score; a street's the mean of its grids'", async () => {
    const grids = await get<AreaMeasureResponse>(
      coord,
      "/api/coordination/areas?measure=risk&level=grid",
    );
    expect(grids.items).toHaveLength(gridCount);
    const latest = await sql<{ code: string; score: number; street: string }>`
      SELECT a.code, s.score, split_part(s.area_path, '/', 3) AS street FROM grid_risk_scores s
      JOIN areas a ON a.id = s.grid_id WHERE s.day = ${today()}::date`.execute(t.database.db);
    const mine = latest.rows.find((r) => r.code === grid.code);
    expect(grids.items.find((i) => i.code === grid.code)?.value).toBeCloseTo(mine?.score ?? -1, 1);
    const streets = await get<AreaMeasureResponse>(
      coord,
      "/api/coordination/areas?measure=risk&level=street",
    );
    const first = streets.items[0];
    const of = latest.rows.filter((r) => r.street === first?.code);
    const mean = of.reduce((n, r) => n + r.score, 0) / of.length;
    expect(first?.value).toBeCloseTo(mean, 0);
  });

  it("newCitizens: the new citizens living there now", async () => {
    const streets = await get<AreaMeasureResponse>(
      coord,
      "/api/coordination/areas?measure=newCitizens&level=street",
    );
    const total = streets.items.reduce((n, i) => n + (i.value ?? 0), 0);
    const direct = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM residents WHERE status <> 'departed' AND area_path IS NOT NULL
        AND (arrival_date IS NOT NULL OR left(region_code, 4) <> '3205')`.execute(t.database.db);
    expect(total).toBe(direct.rows[0]?.n);
    expect(total).toBeGreaterThan(0);
    await get(coord, "/api/coordination/areas?measure=danger", 400);
  });
});
