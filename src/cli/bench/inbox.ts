/**
 * Inbox benchmark: the case lists staff open all day (mine, my department's,
 * my area's, due soon, overdue, supervised, the coordination queue, search,
 * filters, later pages), each as the roles that use it, on an already seeded
 * database: the large demo district has 5,000,000 cases
 * (`gongzhi seed --scale large` with DATABASE_URL set). Each query runs once
 * to warm up, then `runs` times; the metric is the 95th percentile over all
 * timed runs of all queries. Baseline, in the same run: reading one case by
 * its id (the case page's main query).
 */
import { sql } from "kysely";
import { loadConfig } from "../../server/config.js";
import { openDatabase } from "../../server/db/database.js";
import { findUserByName, loadActor } from "../../server/modules/auth/auth.service.js";
import { findCase } from "../../server/modules/cases/cases.repository.js";
import { type CasesDeps, listCases } from "../../server/modules/cases/cases.service.js";
import type { INBOXES } from "../../shared/schemas/cases.js";
import { type BenchDb, type BenchOutcome, percentile, seededDatabaseUrl } from "./harness.js";

type Inbox = (typeof INBOXES)[number];

interface QuerySpec {
  role: string;
  inbox: Inbox;
  label: string;
  filter?: {
    q?: string;
    category?: string;
    statuses?: ("dispatched" | "accepted" | "in_progress" | "resolved" | "closed")[];
    sort?: "newest" | "oldest" | "due";
    offset?: number;
  };
}

export const QUERIES: QuerySpec[] = [
  // The district coordinator: everything, the queue, what is late.
  { role: "coordinator", inbox: "all", label: "all, newest" },
  { role: "coordinator", inbox: "all", label: "all, page 10", filter: { offset: 180 } },
  { role: "coordinator", inbox: "queue", label: "coordination queue" },
  { role: "coordinator", inbox: "due_soon", label: "due soon", filter: { sort: "due" } },
  { role: "coordinator", inbox: "overdue", label: "overdue", filter: { sort: "due" } },
  { role: "coordinator", inbox: "supervised", label: "supervised" },
  { role: "coordinator", inbox: "all", label: "search 电动车", filter: { q: "电动车" } },
  {
    role: "coordinator",
    inbox: "all",
    label: "category + status",
    filter: {
      category: "dispute.labour_wage",
      statuses: ["dispatched", "accepted", "in_progress"],
    },
  },
  // A police station's officer.
  { role: "officer", inbox: "mine", label: "mine" },
  { role: "officer", inbox: "department", label: "my department's" },
  { role: "officer", inbox: "overdue", label: "overdue", filter: { sort: "due" } },
  { role: "officer", inbox: "department", label: "search 噪音", filter: { q: "噪音" } },
  // A grid worker: their grid.
  { role: "gridworker", inbox: "mine", label: "mine" },
  { role: "gridworker", inbox: "area", label: "my area's" },
  { role: "gridworker", inbox: "due_soon", label: "due soon", filter: { sort: "due" } },
  // A resident: what they reported.
  { role: "resident", inbox: "reported_by_me", label: "reported by me" },
];

export async function benchInbox(opts: {
  db: BenchDb;
  url?: string | undefined;
  runs?: number;
}): Promise<BenchOutcome> {
  const url = seededDatabaseUrl("inbox", opts.db, opts.url);
  const runs = opts.runs ?? 20;
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    const db = database.db;
    const config = loadConfig({ LOG_LEVEL: "silent" });
    const deps = { db, config } as unknown as CasesDeps;
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db);
    const casesInDatabase = count.rows[0]?.n ?? 0;
    if (casesInDatabase === 0) throw new Error("the database has no cases: seed it first");
    const actors = new Map<string, Awaited<ReturnType<typeof loadActor>>>();
    for (const role of new Set(QUERIES.map((q) => q.role))) {
      const u = await findUserByName(db, role);
      if (!u) throw new Error(`no demo user ${role}: seed the database with the demo accounts`);
      actors.set(role, await loadActor(db, u.id, role));
    }

    const perQuery: { query: string; total: number; p50_ms: number; p95_ms: number }[] = [];
    const all: number[] = [];
    for (const spec of QUERIES) {
      const actor = actors.get(spec.role);
      if (!actor) continue;
      const f = {
        inbox: spec.inbox,
        sort: spec.filter?.sort ?? ("newest" as const),
        limit: 20,
        offset: spec.filter?.offset ?? 0,
        q: spec.filter?.q,
        category: spec.filter?.category,
        statuses: spec.filter?.statuses,
      };
      let total = 0;
      total = (await listCases(deps, actor, f)).total; // warm-up
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await listCases(deps, actor, f);
        times.push(performance.now() - t0);
      }
      all.push(...times);
      perQuery.push({
        query: `${spec.role}: ${spec.label}`,
        total,
        p50_ms: Math.round(percentile(times, 50) * 10) / 10,
        p95_ms: Math.round(percentile(times, 95) * 10) / 10,
      });
    }

    // Baseline: one case by id, spread over the table.
    const ids = await sql<{ id: string }>`
      SELECT id::text FROM cases TABLESAMPLE SYSTEM (0.1) LIMIT ${runs * 4}`.execute(db);
    const one: number[] = [];
    for (const r of ids.rows) {
      const t0 = performance.now();
      await findCase(db, r.id);
      one.push(performance.now() - t0);
    }
    const value = percentile(all, 95);
    const baseline = percentile(one, 95);
    return {
      metrics: [
        {
          metric: "inbox_p95_ms",
          value,
          unit: "ms",
          baseline,
          ratio: value / baseline,
        },
      ],
      details: { casesInDatabase, runsPerQuery: runs, perQuery },
    };
  } finally {
    await database.close();
  }
}
