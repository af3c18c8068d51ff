/**
 * Dashboard benchmark (issue 8): the coordination centre's tiles — KPIs of
 * the last 30 days and of the year, breakdowns by department, family and
 * street, department scorecards, and the map's open / overdue / received
 * per grid — as the district coordinator opens them, on a case table of
 * `--cases N` rows (default 5,000,000 on PostgreSQL, 1,000,000 on PGlite).
 *
 * The cases (with their action log: report, dispatch, accept, resolve,
 * feedback) are generated in SQL over a year on top of the small demo
 * district, with the rollup queue trigger off; then the rollups are rebuilt
 * once (the time is reported). Each tile runs once to warm up, then
 * `--runs` times; the metric is the 95th percentile over all timed tiles.
 * Baseline, in the same run: the same tiles computed from the case table
 * without rollups (what a dashboard without them would run).
 * With `--url`, an already filled PostgreSQL database is measured as it is.
 */
import { type Kysely, sql } from "kysely";
import { type Database, openDatabase } from "../../server/db/database.js";
import type { DB } from "../../server/db/schema.js";
import { findUserByName, loadActor } from "../../server/modules/auth/auth.service.js";
import * as coordination from "../../server/modules/coordination/coordination.service.js";
import { withRollupsRebuiltAfter } from "../../server/modules/coordination/rollups.service.js";
import { withBenchDatabase } from "./bench-database.js";
import { type BenchDb, type BenchOutcome, percentile } from "./harness.js";

const BATCH = 250_000;
/** What reports say, cycled: the text indexes cost what they cost with real words. */
const DESCRIPTIONS = [
  "楼下车棚电瓶被偷了两块，监控坏了",
  "出租屋里住了十几个人，晚上很吵，消防通道堆满杂物",
  "工地拖欠三个月工资，老板电话打不通",
  "小区门口有人发传单推销理财，像是诈骗",
  "电动车在楼道里充电，电线乱拉",
  "夜市摊位占道经营，晚上十二点还有烧烤油烟",
  "邻居装修噪音太大，周末早上七点就开始",
  "宿舍楼消防栓没有水，灭火器过期",
  "路口红绿灯坏了，早高峰很危险",
  "一位老人在公交站坐了一下午，好像迷路了",
  "网吧里有未成年人通宵上网",
  "房东扣押押金不退，还换了门锁",
];

export async function benchDashboard(opts: {
  db: BenchDb;
  cases?: number;
  runs?: number;
  url?: string | undefined;
  keep?: boolean;
}): Promise<BenchOutcome> {
  const runs = opts.runs ?? 20;
  if (opts.url) {
    const database = await openDatabase({ databaseUrl: opts.url, poolSize: 4 });
    try {
      return await measure(database, runs, null);
    } finally {
      await database.close();
    }
  }
  const cases = opts.cases ?? (opts.db === "postgresql" ? 5_000_000 : 1_000_000);
  return withBenchDatabase(
    { db: opts.db, name: "dashboard", poolSize: 4, keep: opts.keep === true },
    async (database) => {
      const started = Date.now();
      let loadSeconds = 0;
      await withRollupsRebuiltAfter(database.db, async () => {
        await generateCases(database.db, cases, (done) =>
          console.log(`  ${done.toLocaleString("en-US")} cases generated`),
        );
        loadSeconds = (Date.now() - started) / 1000;
        console.log(`  rebuilding the rollups of ${cases.toLocaleString("en-US")} cases …`);
      });
      const rebuildSeconds = (Date.now() - started) / 1000 - loadSeconds;
      // As after the large seed, and as autovacuum leaves a table that grew by
      // inserts: statistics, and the visibility map set, so that the live
      // counts (overdue now) read the partial index of working cases alone.
      // Without it, every overdue case is a random read of the heap (5,000,000
      // freshly loaded cases: 1.6 s per overdue count).
      const vacuumStarted = Date.now();
      await sql`VACUUM (ANALYZE) cases`.execute(database.db);
      await sql`VACUUM (ANALYZE) case_actions`.execute(database.db);
      await sql`ANALYZE`.execute(database.db);
      const vacuumSeconds = (Date.now() - vacuumStarted) / 1000;
      return measure(database, runs, { loadSeconds, rebuildSeconds, vacuumSeconds });
    },
  );
}

/** `n` cases over the last year in the district's grids, with their action logs. */
async function generateCases(
  db: Kysely<DB>,
  n: number,
  progress: (done: number) => void,
): Promise<void> {
  const grids = await sql<{ id: string; path: string; lat: number; lng: number }>`
    SELECT id::text, path, centroid_lat AS lat, centroid_lng AS lng FROM areas
    WHERE level = 'grid' AND centroid_lat IS NOT NULL ORDER BY code`.execute(db);
  const categories = await sql<{ code: string }>`
    SELECT code FROM case_categories
    WHERE parent_code IS NOT NULL AND NOT invalid ORDER BY code`.execute(db);
  const departments = await sql<{
    id: string;
  }>`SELECT id::text FROM departments ORDER BY id`.execute(db);
  const g = grids.rows;
  const first = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db);
  let offset = first.rows[0]?.n ?? 0;
  // As the large seed does: the secondary indexes are built once after the
  // rows went in (keys and constraints stay), not kept up row by row.
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename IN ('cases', 'case_actions')
      AND indexname NOT IN (SELECT conname FROM pg_constraint)`.execute(db);
  for (const i of indexes.rows) await sql`DROP INDEX ${sql.id(i.indexname)}`.execute(db);
  await db.connection().execute(async (c) => {
    await sql`SELECT setseed(0.42)`.execute(c);
    for (let done = 0; done < n; done += BATCH) {
      const size = Math.min(BATCH, n - done);
      await sql`
        WITH s AS (
          SELECT i, now() - random() * interval '365 days' AS created,
            1 + floor(random() * ${g.length})::int AS gi,
            1 + floor(random() * ${categories.rows.length})::int AS ci,
            1 + floor(random() * ${departments.rows.length})::int AS di,
            random() * interval '8 hours' AS a, random() * interval '7 days' AS b,
            random() * interval '3 days' AS c, random() AS r,
            1 + floor(random() * 5)::int AS rating
          FROM generate_series(1, ${size}) i),
        t AS (
          SELECT s.*, created + a AS acc, created + a + b AS res, created + a + b + c AS clo
          FROM s),
        u AS (
          SELECT t.*, CASE
            WHEN r >= 0.985 THEN 'withdrawn'
            -- A few are stuck (worked, never resolved): the long overdue.
            WHEN r >= 0.983 THEN CASE WHEN acc <= now() THEN 'in_progress' ELSE 'dispatched' END
            -- Resolved but not rated: the auto-close job closes them after a week.
            WHEN clo <= now() AND (r < 0.95 OR clo < now() - interval '7 days') THEN 'closed'
            WHEN res <= now() THEN 'resolved'
            WHEN acc <= now() THEN 'in_progress'
            ELSE 'dispatched' END AS status
          FROM t),
        ins AS (
          INSERT INTO cases (code, category_code, severity, status, description, lat, lng,
            area_path, grid_id, channel, lead_department_id, dispatched_at, accept_due_at,
            resolve_due_at, accepted_at, resolved_at, closed_at, feedback_rating, created_at,
            updated_at)
          SELECT 'BX' || lpad((${offset} + i)::text, 10, '0'),
            (${categories.rows.map((x) => x.code)}::text[])[ci], 'normal', status,
            (${DESCRIPTIONS}::text[])[1 + i % ${DESCRIPTIONS.length}],
            (${g.map((x) => x.lat)}::float8[])[gi], (${g.map((x) => x.lng)}::float8[])[gi],
            (${g.map((x) => x.path)}::text[])[gi], (${g.map((x) => x.id)}::bigint[])[gi], 'web',
            (${departments.rows.map((x) => x.id)}::bigint[])[di],
            created, created + interval '4 hours', created + interval '5 days',
            CASE WHEN status IN ('in_progress', 'resolved', 'closed') THEN acc END,
            CASE WHEN status IN ('resolved', 'closed') THEN res END,
            CASE WHEN status = 'closed' THEN clo END,
            CASE WHEN status = 'closed' THEN rating END,
            created, created
          FROM u
          RETURNING id, status, lead_department_id, created_at, accepted_at, resolved_at,
            closed_at, feedback_rating)
        INSERT INTO case_actions (case_id, action, from_status, to_status, actor_label,
          department_id, details, created_at)
        SELECT ins.id, v.action, v.from_status, v.to_status, '基准测试',
          ins.lead_department_id, v.details, v.at
        FROM ins CROSS JOIN LATERAL (VALUES
          ('report', NULL, 'reported', ins.created_at, '{}'::jsonb, true),
          ('dispatch', 'reported', 'dispatched', ins.created_at, '{}'::jsonb,
            ins.status <> 'withdrawn'),
          ('withdraw', 'reported', 'withdrawn', ins.created_at + interval '1 hour', '{}'::jsonb,
            ins.status = 'withdrawn'),
          ('accept', 'dispatched', 'accepted', ins.accepted_at, '{}'::jsonb,
            ins.accepted_at IS NOT NULL),
          ('resolve', 'accepted', 'resolved', ins.resolved_at, '{}'::jsonb,
            ins.resolved_at IS NOT NULL),
          ('feedback', 'resolved', 'closed', ins.closed_at,
            jsonb_build_object('rating', ins.feedback_rating), ins.closed_at IS NOT NULL)
        ) AS v(action, from_status, to_status, at, details, keep)
        WHERE v.keep`.execute(c);
      offset += size;
      progress(done + size);
    }
  });
  for (const i of indexes.rows) await sql.raw(i.indexdef).execute(db);
}

interface Tile {
  label: string;
  rollup: () => Promise<unknown>;
  baseline: () => Promise<unknown>;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

async function measure(
  database: Database,
  runs: number,
  built: { loadSeconds: number; rebuildSeconds: number; vacuumSeconds: number } | null,
): Promise<BenchOutcome> {
  const db = database.db;
  const deps = { db };
  const u = await findUserByName(db, "coordinator");
  if (!u) throw new Error("the database has no demo coordinator account");
  const actor = await loadActor(db, u.id, "coordinator");
  const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db);
  const cases = count.rows[0]?.n ?? 0;
  const now = Date.now();
  const to = isoDay(now);
  const from30 = isoDay(now - 29 * DAY_MS);
  const from365 = isoDay(now - 364 * DAY_MS);
  const from90 = isoDay(now - 89 * DAY_MS);
  const district = await sql<{ path: string }>`
    SELECT path FROM areas WHERE level = 'district' ORDER BY code LIMIT 1`.execute(db);
  const d = district.rows[0]?.path ?? "/";
  const base = new Baseline(db, d);

  const tiles: Tile[] = [
    {
      label: "KPIs, last 30 days (with trend, open, overdue)",
      rollup: () => coordination.kpis(deps, actor, { from: from30, to }),
      baseline: () => base.kpis(from30, to, "day"),
    },
    {
      label: "KPIs, last year (monthly series)",
      rollup: () => coordination.kpis(deps, actor, { from: from365, to }),
      baseline: () => base.kpis(from365, to, "month"),
    },
    {
      label: "by department, last 90 days",
      rollup: () => coordination.breakdown(deps, actor, { from: from90, to, by: "department" }),
      baseline: () => base.by("lead_department_id::text", from90, to),
    },
    {
      label: "by family, last year",
      rollup: () => coordination.breakdown(deps, actor, { from: from365, to, by: "family" }),
      baseline: () => base.by("split_part(category_code, '.', 1)", from365, to),
    },
    {
      label: "by street, last 90 days",
      rollup: () => coordination.breakdown(deps, actor, { from: from90, to, by: "area" }),
      baseline: () => base.by("split_part(area_path, '/', 3)", from90, to),
    },
    {
      label: "department scorecards, last 90 days",
      rollup: () => coordination.scorecards(deps, actor, { from: from90, to }),
      baseline: () => base.scorecards(from90, to),
    },
    {
      label: "map: open per grid",
      rollup: () => coordination.areaMeasures(deps, actor, { measure: "open", level: "grid" }),
      baseline: () => base.perGrid("open"),
    },
    {
      label: "map: overdue per grid",
      rollup: () => coordination.areaMeasures(deps, actor, { measure: "overdue", level: "grid" }),
      baseline: () => base.perGrid("overdue"),
    },
    {
      label: "map: received per grid, last 30 days",
      rollup: () =>
        coordination.areaMeasures(deps, actor, {
          measure: "received",
          level: "grid",
          from: from30,
          to,
        }),
      baseline: () => base.perGrid("received", from30, to),
    },
  ];

  const timed = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const rollupTimes: number[] = [];
  const baselineTimes: number[] = [];
  const perTile: Record<string, { rollup_p95_ms: number; baseline_p95_ms: number }> = {};
  // The baseline scans millions of rows per tile: fewer runs keep the bench within minutes.
  const baselineRuns = Math.max(3, Math.ceil(runs / 4));
  for (const tile of tiles) {
    await tile.rollup();
    const r: number[] = [];
    for (let i = 0; i < runs; i++) r.push(await timed(tile.rollup));
    await tile.baseline();
    const b: number[] = [];
    for (let i = 0; i < baselineRuns; i++) b.push(await timed(tile.baseline));
    rollupTimes.push(...r);
    baselineTimes.push(...b);
    perTile[tile.label] = {
      rollup_p95_ms: Math.round(percentile(r, 95) * 10) / 10,
      baseline_p95_ms: Math.round(percentile(b, 95)),
    };
    console.log(
      `  ${tile.label}: p95 ${perTile[tile.label]?.rollup_p95_ms} ms (without rollups ${perTile[tile.label]?.baseline_p95_ms} ms)`,
    );
  }
  const value = percentile(rollupTimes, 95);
  const baseline = percentile(baselineTimes, 95);
  return {
    metrics: [
      {
        metric: "tiles_p95_ms",
        value: Math.round(value * 10) / 10,
        unit: "ms",
        baseline: Math.round(baseline),
        ratio: Math.round((baseline / value) * 10) / 10,
        p99_ms: Math.round(percentile(rollupTimes, 99) * 10) / 10,
      },
    ],
    top: { cases },
    details: {
      cases,
      runs,
      baselineRuns,
      ...(built
        ? {
            generateSeconds: Math.round(built.loadSeconds),
            rollupRebuildSeconds: Math.round(built.rebuildSeconds),
            vacuumSeconds: Math.round(built.vacuumSeconds),
          }
        : {}),
      tiles: perTile,
    },
  };
}

/** The same tiles straight from the case table: no rollups. */
class Baseline {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly district: string,
  ) {}

  private range(from: string, to: string) {
    return {
      a: sql`(${from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`,
      b: sql`((${to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`,
    };
  }

  private figures(from: string, to: string) {
    const { a, b } = this.range(from, to);
    return sql`
      count(*) FILTER (WHERE created_at >= ${a} AND created_at < ${b}) AS received,
      count(*) FILTER (WHERE accepted_at >= ${a} AND accepted_at < ${b}) AS accepted,
      count(*) FILTER (WHERE accepted_at >= ${a} AND accepted_at < ${b}
        AND accepted_at <= accept_due_at) AS accepted_on_time,
      count(*) FILTER (WHERE resolved_at >= ${a} AND resolved_at < ${b}) AS resolved,
      count(*) FILTER (WHERE resolved_at >= ${a} AND resolved_at < ${b}
        AND resolved_at <= resolve_due_at) AS resolved_on_time,
      avg(extract(epoch FROM resolved_at - created_at) / 3600)
        FILTER (WHERE resolved_at >= ${a} AND resolved_at < ${b}) AS hours,
      count(*) FILTER (WHERE closed_at >= ${a} AND closed_at < ${b}) AS closed,
      avg(feedback_rating) FILTER (WHERE closed_at >= ${a} AND closed_at < ${b}) AS satisfaction`;
  }

  async kpis(from: string, to: string, grain: "day" | "month") {
    const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
    const prevFrom = isoDay(Date.parse(`${from}T00:00:00+08:00`) - days * DAY_MS);
    const { a, b } = this.range(from, to);
    await Promise.all([
      sql`SELECT ${this.figures(from, to)} FROM cases WHERE area_path LIKE ${`${this.district}%`}`.execute(
        this.db,
      ),
      sql`SELECT ${this.figures(prevFrom, isoDay(Date.parse(`${from}T00:00:00+08:00`) - DAY_MS))}
        FROM cases WHERE area_path LIKE ${`${this.district}%`}`.execute(this.db),
      sql`SELECT date_trunc(${grain}, created_at AT TIME ZONE 'Asia/Shanghai') AS p, count(*)
        FROM cases WHERE created_at >= ${a} AND created_at < ${b} GROUP BY 1 ORDER BY 1`.execute(
        this.db,
      ),
      sql`SELECT count(*) FILTER (WHERE status NOT IN ('closed', 'withdrawn', 'merged')) AS open,
        count(*) FILTER (WHERE status IN ('dispatched', 'accepted', 'in_progress')
          AND resolve_due_at < now()) AS overdue
        FROM cases WHERE area_path LIKE ${`${this.district}%`}`.execute(this.db),
    ]);
  }

  async by(key: string, from: string, to: string) {
    await sql`SELECT ${sql.raw(key)} AS k, ${this.figures(from, to)} FROM cases
      WHERE area_path LIKE ${`${this.district}%`} GROUP BY 1`.execute(this.db);
  }

  async scorecards(from: string, to: string) {
    await sql`SELECT lead_department_id, ${this.figures(from, to)},
        count(*) FILTER (WHERE status IN ('dispatched', 'accepted', 'in_progress')) AS open,
        count(*) FILTER (WHERE status IN ('dispatched', 'accepted', 'in_progress')
          AND resolve_due_at < now()) AS overdue
      FROM cases WHERE area_path LIKE ${`${this.district}%`} GROUP BY 1`.execute(this.db);
  }

  async perGrid(measure: "open" | "overdue" | "received", from?: string, to?: string) {
    const where =
      measure === "open"
        ? sql`status NOT IN ('closed', 'withdrawn', 'merged')`
        : measure === "overdue"
          ? sql`status IN ('dispatched', 'accepted', 'in_progress') AND resolve_due_at < now()`
          : sql`created_at >= ${this.range(from as string, to as string).a}
              AND created_at < ${this.range(from as string, to as string).b}`;
    await sql`SELECT area_path, count(*) FROM cases WHERE ${where} GROUP BY 1`.execute(this.db);
  }
}
