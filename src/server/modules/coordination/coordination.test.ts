import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type {
  AreaMeasureResponse,
  BreakdownResponse,
  CollaborationResponse,
  KpiResponse,
  ScorecardResponse,
} from "../../../shared/schemas/coordination.js";
import { chinaDay, scoreOf } from "./coordination.service.js";
import { foldCaseRollups, rebuildCaseRollups } from "./rollups.service.js";

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

async function report(): Promise<{ id: string; area: string }> {
  const res = await resident.request({
    method: "POST",
    url: "/api/cases",
    payload: { categoryCode: "theft_fraud.theft", description: "楼下车棚电瓶被偷了两块", ...here },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const row = await t.database.db
    .selectFrom("cases")
    .select("area_path")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return { id, area: row.area_path };
}

async function act(s: Session, id: string, action: string, body: object = {}) {
  const res = await s.request({ method: "POST", url: `/api/cases/${id}/${action}`, payload: body });
  expect(res.statusCode, res.body).toBe(200);
}

async function get<T>(s: Session, url: string, status = 200): Promise<T> {
  const res = await s.request({ method: "GET", url });
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

/** Every rollup row, in one comparable form. */
async function snapshot() {
  const r = await sql<Record<string, unknown>>`
    SELECT * FROM case_rollups ORDER BY grain, area_path, dim, key, period`.execute(t.database.db);
  const o = await sql<Record<string, unknown>>`
    SELECT * FROM case_open_counts WHERE open <> 0 ORDER BY area_path, family`.execute(
    t.database.db,
  );
  const pairs = await sql<Record<string, unknown>>`
    SELECT * FROM case_collaborations ORDER BY area_path, period, subject_a, subject_b`.execute(
    t.database.db,
  );
  const round = (row: Record<string, unknown>) => ({
    ...row,
    resolve_hours: Math.round(Number(row.resolve_hours ?? 0) * 1000) / 1000,
    accept_hours: Math.round(Number(row.accept_hours ?? 0) * 1000) / 1000,
  });
  return { rollups: r.rows.map(round), open: o.rows, pairs: pairs.rows };
}

const today = () => chinaDay(new Date());
const ancestors = (path: string) => {
  const codes = path.split("/").filter(Boolean);
  return codes.map((_, i) => `/${codes.slice(0, i + 1).join("/")}/`);
};

describe("rollups", () => {
  it("agree with the case table after the seed (received, closed, open per area)", async () => {
    const db = t.database.db;
    const counted = await sql<{ received: number; closed: number }>`
      SELECT sum(received)::int AS received, sum(closed)::int AS closed FROM case_rollups
      WHERE grain = 'day' AND area_path = '/320505/' AND dim = 'all'`.execute(db);
    const direct = await sql<{ received: number; closed: number }>`
      SELECT (SELECT count(*)::int FROM case_actions WHERE action = 'report') AS received,
        (SELECT count(*)::int FROM case_actions
         WHERE to_status = 'closed' AND from_status IS DISTINCT FROM 'closed') AS closed`.execute(
      db,
    );
    expect(counted.rows[0]?.received).toBeGreaterThan(100);
    expect(counted.rows[0]).toEqual(direct.rows[0]);
    const open = await sql<{ area_path: string; n: number; m: number }>`
      SELECT c.area_path, count(*)::int AS n,
        (SELECT sum(open)::int FROM case_open_counts o WHERE o.area_path = c.area_path) AS m
      FROM cases c WHERE c.status NOT IN ('closed', 'withdrawn', 'merged')
      GROUP BY c.area_path`.execute(db);
    expect(open.rows.length).toBeGreaterThan(0);
    for (const row of open.rows) expect(row.m, row.area_path).toBe(row.n);
  });

  it("count a case's steps once each, at every area level, a few seconds behind", async () => {
    await foldCaseRollups(t.database.db);
    const before = await get<KpiResponse>(coord, "/api/coordination/kpis");
    const c = await report();
    await act(officer, c.id, "accept");
    await act(officer, c.id, "resolve", { note: "已追回" });
    await act(resident, c.id, "feedback", { rating: 5, note: "很满意" });

    const waiting = await get<KpiResponse>(coord, "/api/coordination/kpis");
    expect(waiting.pending).toBeGreaterThanOrEqual(4);
    expect(waiting.figures.received).toBe(before.figures.received);

    expect(await foldCaseRollups(t.database.db)).toBeGreaterThanOrEqual(4);
    const after = await get<KpiResponse>(coord, "/api/coordination/kpis");
    expect(after.pending).toBe(0);
    expect(after.figures.received).toBe(before.figures.received + 1);
    expect(after.figures.accepted).toBe(before.figures.accepted + 1);
    expect(after.figures.resolved).toBe(before.figures.resolved + 1);
    expect(after.figures.closed).toBe(before.figures.closed + 1);
    expect(after.figures.rated).toBe(before.figures.rated + 1);
    expect(after.open).toBe(before.open);
    expect(after.series.at(-1)?.period).toBe(today());

    // The same step is in the rollups of the street, the community and the grid.
    for (const path of ancestors(c.area).slice(1)) {
      const r = await sql<{ received: number }>`
        SELECT received FROM case_rollups WHERE grain = 'day' AND area_path = ${path}
          AND dim = 'all' AND period = ${today()}::date`.execute(t.database.db);
      expect(r.rows[0]?.received, path).toBeGreaterThanOrEqual(1);
    }
    // Folding again counts nothing twice.
    expect(await foldCaseRollups(t.database.db)).toBe(0);
    expect((await get<KpiResponse>(coord, "/api/coordination/kpis")).figures).toEqual(
      after.figures,
    );
  });

  it("never count an action whose transaction rolled back", async () => {
    const c = await report();
    await foldCaseRollups(t.database.db);
    const before = await snapshot();
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto("case_actions")
          .values({ case_id: c.id, action: "supervise", actor_label: "测试" })
          .execute();
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");
    expect(await foldCaseRollups(t.database.db)).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it("kept incrementally, even by two folds at once, equal a rebuild from the action log", async () => {
    const made = await Promise.all([report(), report(), report()]);
    await act(officer, made[0].id, "accept");
    await act(coord, made[1].id, "supervise", { note: "群众反映强烈，限期办结" });
    await act(officer, made[2].id, "return", { note: "不属于本单位职责" });
    const [a, b] = await Promise.all([
      foldCaseRollups(t.database.db, 2),
      foldCaseRollups(t.database.db, 2),
    ]);
    expect(a + b).toBeGreaterThanOrEqual(6);
    const incremental = await snapshot();
    await rebuildCaseRollups(t.database.db);
    expect(await snapshot()).toEqual(incremental);
    // The rebuild reads the whole seeded action log: slow on PGlite under load.
  }, 180_000);
});

describe("collaboration", () => {
  it("counts shared cases, pairs of subjects, hand-off latency and bounces", async () => {
    const db = t.database.db;
    const depts = await db
      .selectFrom("departments")
      .select(["id", "code", "name"])
      .orderBy("id")
      .execute();
    const police = depts.find((d) => d.code === "320505002-PCS");
    const other = depts.find((d) => d.id !== police?.id);
    if (!police || !other) throw new Error("demo departments missing");
    await foldCaseRollups(db);
    const before = await get<KpiResponse>(coord, "/api/coordination/kpis");

    // Shared: the police lead, another department assists and answers.
    const shared = await report();
    await act(officer, shared.id, "accept");
    await act(officer, shared.id, "invite", {
      departmentId: other.id,
      task: "调取案发时段的监控",
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    // An officer of the assisting department (the demo has none there): the
    // demo officer's password, granted on that department.
    const template = await db
      .selectFrom("users")
      .select("password_hash")
      .where("username", "=", "officer")
      .executeTakeFirstOrThrow();
    const helperUser = await db
      .insertInto("users")
      .values({
        username: "assist-officer",
        password_hash: template.password_hash,
        display_name: "协办单位干部",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("role_grants")
      .values({
        user_id: helperUser.id,
        role: "department_officer",
        scope_kind: "department",
        department_id: other.id,
      })
      .execute();
    const h = await login(t.app, "assist-officer");
    await act(h, shared.id, "complete_task", { note: "监控已调取并移交" });
    await act(officer, shared.id, "resolve", { note: "已追回" });
    await act(resident, shared.id, "feedback", { rating: 4 });

    // Bounced: returned, dispatched again, returned again.
    const bounced = await report();
    await act(officer, bounced.id, "return", { note: "不属于本所辖区" });
    await act(coord, bounced.id, "dispatch", { departmentId: police.id, note: "经核实属本所" });
    await act(officer, bounced.id, "return", { note: "仍不属于本所" });

    await foldCaseRollups(db);
    const after = await get<KpiResponse>(coord, "/api/coordination/kpis");
    expect(after.figures.bounced).toBe(before.figures.bounced + 1);
    expect(after.figures.returned).toBe(before.figures.returned + 2);
    expect(after.figures.multiSubjectRate).toBeGreaterThan(0);
    expect(after.figures.avgAcceptHours).not.toBeNull();

    const [a, b] = [`d:${police.id}`, `d:${other.id}`].sort();
    const pair = await sql<{ cases: number }>`
      SELECT cases FROM case_collaborations WHERE area_path = '/320505/'
        AND period = date_trunc('month', (now() AT TIME ZONE 'Asia/Shanghai'))::date
        AND subject_a = ${a} AND subject_b = ${b}`.execute(db);
    expect(pair.rows[0]?.cases).toBeGreaterThanOrEqual(1);
    const net = await get<CollaborationResponse>(coord, "/api/coordination/collaboration");
    expect(net.links.length).toBeGreaterThan(0);
    expect(net.links.length).toBeLessThanOrEqual(60);
    const sizes = net.links.map((l) => l.cases);
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
    const node = net.nodes.find((n) => n.id === `d:${police.id}`);
    expect(node).toMatchObject({ label: police.name, kind: "government" });
    expect(net.nodes.every((n) => n.label !== n.id)).toBe(true);
    // Every kind of subject that worked with another is in the picture, not
    // only the busiest departments.
    const kindOf = new Map(net.nodes.map((n) => [n.id, n.kind]));
    const linkedKinds = new Set(
      net.links.flatMap((l) => [kindOf.get(l.source), kindOf.get(l.target)]),
    );
    expect(linkedKinds).toEqual(new Set(net.nodes.map((n) => n.kind)));
    expect(linkedKinds.size).toBeGreaterThan(1);

    const from = `${today().slice(0, 7)}-01`;
    const card = await get<ScorecardResponse>(coord, `/api/coordination/scorecards?from=${from}`);
    const row = card.items.find((i) => i.departmentId === String(other.id));
    expect(row?.tasksAssigned).toBeGreaterThanOrEqual(1);
    expect(row?.tasksDone).toBeGreaterThanOrEqual(1);
  });
});

describe("repeat incidents at the same place", () => {
  /** A place near the demo grid's point whose ~100 m cell has no case yet. */
  async function emptyCell(skip: Set<string>) {
    for (let i = 0; i < 60; i++) {
      const p = {
        lat: here.lat + (i % 8) * 0.0011 - 0.004,
        lng: here.lng + Math.floor(i / 8) * 0.0012 - 0.004,
      };
      const r = await sql<{ cell: string; n: number }>`
        SELECT gz_place_cell(${p.lat}::float8, ${p.lng}::float8)::text AS cell,
          (SELECT count(*)::int FROM cases
           WHERE gz_place_cell(lat, lng) = gz_place_cell(${p.lat}::float8, ${p.lng}::float8)) AS n`.execute(
        t.database.db,
      );
      const row = r.rows[0];
      if (row && row.n === 0 && !skip.has(row.cell)) {
        skip.add(row.cell);
        return p;
      }
    }
    throw new Error("no empty place cell near the demo point");
  }
  async function reportAt(p: { lat: number; lng: number }, categoryCode: string, daysAgo = 0) {
    const fields = categoryCode === "environment.noise" ? { noise_source: "business" } : {};
    const res = await resident.request({
      method: "POST",
      url: "/api/cases",
      payload: { categoryCode, description: "同一个地方又发生了，请处理", fields, ...p },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    if (daysAgo > 0)
      await sql`UPDATE cases SET created_at = now() - make_interval(days => ${daysAgo})
        WHERE id = ${id}`.execute(t.database.db);
    return id;
  }

  it("count a report whose family came back to the place 3–90 days later, not a duplicate of days before", async () => {
    const db = t.database.db;
    await foldCaseRollups(db);
    const before = await get<KpiResponse>(coord, "/api/coordination/kpis");
    const used = new Set<string>();
    const [back, soon, old] = [await emptyCell(used), await emptyCell(used), await emptyCell(used)];

    // Theft came back 10 days later: a repeat. Noise at the same place is another matter.
    await reportAt(back, "theft_fraud.theft", 10);
    await reportAt(back, "theft_fraud.theft");
    await reportAt(back, "environment.noise");
    // The same incident reported again a day later: a duplicate, not a repeat.
    await reportAt(soon, "theft_fraud.theft", 1);
    await reportAt(soon, "theft_fraud.theft");
    // The last one was over 90 days ago: not a repeat.
    await reportAt(old, "theft_fraud.theft", 100);
    await reportAt(old, "theft_fraud.theft");

    await foldCaseRollups(db);
    const after = await get<KpiResponse>(coord, "/api/coordination/kpis");
    expect(after.figures.received - before.figures.received).toBe(7);
    expect(after.figures.repeated - before.figures.repeated).toBe(1);
    expect(after.figures.repeatRate).toBeCloseTo(
      after.figures.repeated / after.figures.received,
      3,
    );
    // By family: the repeat is a theft.
    const fam = await get<BreakdownResponse>(coord, "/api/coordination/breakdown?by=family");
    expect(fam.items.find((i) => i.key === "theft_fraud")?.repeated).toBeGreaterThanOrEqual(1);
  });
});

describe("GET /api/coordination/*", () => {
  it("is for coordinators and admins only", async () => {
    for (const s of [resident, officer]) {
      await get(s, "/api/coordination/kpis", 403);
      await get(s, "/api/coordination/scorecards", 403);
    }
    const anon = await t.app.inject({ method: "GET", url: "/api/coordination/kpis" });
    expect(anon.statusCode).toBe(401);
  });

  it("refuses bad periods, dimensions and areas with the field named", async () => {
    const bad = async (q: string, status: number, text: RegExp) => {
      const res = await coord.request({ method: "GET", url: `/api/coordination/${q}` });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.body).toMatch(text);
    };
    await bad("kpis?from=2026-05-01&to=2026-04-01", 400, /开始日期不能晚于结束日期/);
    await bad("kpis?from=2020-01-01&to=2026-01-01", 400, /731/);
    await bad("kpis?from=2026-02-30", 400, /日期/);
    await bad("breakdown?by=colour", 400, /by/);
    await bad("kpis?areaId=999999999", 404, /区域/);
    await bad("areas?measure=happiness", 400, /measure/);
  });

  it("breaks the district down by street, summing to the district's months", async () => {
    const from = `${today().slice(0, 7)}-01`;
    const k = await get<BreakdownResponse>(
      coord,
      `/api/coordination/breakdown?by=area&from=${from}`,
    );
    expect(k.items.length).toBeGreaterThan(3);
    const months = await sql<{ received: number }>`
      SELECT sum(received)::int AS received FROM case_rollups
      WHERE grain = 'month' AND area_path = '/320505/' AND dim = 'all'
        AND period = ${from}::date`.execute(t.database.db);
    // Cases placed only at the district (no street) are the difference, if any.
    const sum = k.items.reduce((s, i) => s + i.received, 0);
    expect(sum).toBeLessThanOrEqual(months.rows[0]?.received ?? 0);
    expect(sum).toBeGreaterThan(0);
    const street = k.items.find((i) => i.received > 0);
    const drill = await get<BreakdownResponse>(
      coord,
      `/api/coordination/breakdown?by=department&from=${from}&areaId=${street?.areaId}`,
    );
    expect(drill.items.reduce((s, i) => s + i.received, 0)).toBe(street?.received);
    const fams = await get<BreakdownResponse>(
      coord,
      `/api/coordination/breakdown?by=family&from=${from}`,
    );
    expect(fams.items.some((i) => i.key === "theft_fraud" && i.label !== "theft_fraud")).toBe(true);
  });

  it("ranks departments by a weighted score, and exports the scorecard as XLSX", async () => {
    const from = `${today().slice(0, 7)}-01`;
    const card = await get<ScorecardResponse>(coord, `/api/coordination/scorecards?from=${from}`);
    expect(card.items.length).toBeGreaterThan(3);
    expect(card.items.map((i) => i.rank)).toEqual(card.items.map((_, i) => i + 1));
    const worked = card.items.filter((i) => i.dispatched + i.tasksAssigned > 0);
    for (let i = 1; i < worked.length; i++)
      expect(worked[i - 1]?.score).toBeGreaterThanOrEqual(worked[i]?.score ?? 0);
    const police = card.items.find((i) => i.resolved > 0);
    expect(police).toBeDefined();
    const xlsx = await coord.request({
      method: "GET",
      url: `/api/coordination/scorecards.xlsx?from=${from}`,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });

  it("gives the map a value for every grid of the district", async () => {
    const open = await get<AreaMeasureResponse>(coord, "/api/coordination/areas?measure=open");
    const grids = await t.database.db
      .selectFrom("areas")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("level", "=", "grid")
      .executeTakeFirstOrThrow();
    expect(open.items.length).toBe(Number(grids.n));
    const direct = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases
      WHERE status NOT IN ('closed', 'withdrawn', 'merged') AND area_path LIKE '/%/%/%/%/'`.execute(
      t.database.db,
    );
    await foldCaseRollups(t.database.db);
    const again = await get<AreaMeasureResponse>(coord, "/api/coordination/areas?measure=open");
    expect(again.items.reduce((s, i) => s + (i.value ?? 0), 0)).toBe(direct.rows[0]?.n);
    const streets = await get<AreaMeasureResponse>(
      coord,
      "/api/coordination/areas?measure=received&level=street",
    );
    expect(streets.items.some((i) => (i.value ?? 0) > 0)).toBe(true);
    const overdue = await get<AreaMeasureResponse>(
      coord,
      "/api/coordination/areas?measure=overdue&level=community",
    );
    expect(overdue.items.every((i) => i.value !== null && i.value >= 0)).toBe(true);
  });
});

describe("scoreOf", () => {
  it("weights the rates it has and leaves out those it has not", () => {
    expect(scoreOf({})).toBe(0);
    expect(scoreOf({ resolveOnTimeRate: 1 })).toBe(100);
    expect(scoreOf({ resolveOnTimeRate: 1, satisfiedRate: 0 })).toBe(58.3);
    expect(scoreOf({ resolveOnTimeRate: 2, acceptOnTimeRate: -1 })).toBe(70);
  });
});
