/**
 * Open311 benchmark: what civic apps poll, through the whole HTTP app
 * (jurisdiction check, query, privacy, XML or JSON) on an already seeded
 * PostgreSQL database (the large district: 5,000,000 cases). Each request
 * runs once to warm up, then `runs` times; the metric is the 95th percentile
 * over all of them. Baseline, in the same run: GET /api/health through the
 * same app (the cost of the HTTP path alone).
 */
import { sql } from "kysely";
import { buildApp } from "../../server/app.js";
import { loadConfig } from "../../server/config.js";
import { loadFieldCrypto } from "../../server/crypto/keys.js";
import { openDatabase } from "../../server/db/database.js";
import { migrateToLatest } from "../../server/db/migrate.js";
import { type BenchDb, type BenchOutcome, percentile, seededDatabaseUrl } from "./harness.js";

export async function benchOpen311(opts: {
  db: BenchDb;
  url?: string | undefined;
  runs?: number;
}): Promise<BenchOutcome> {
  const url = seededDatabaseUrl("open311", opts.db, opts.url);
  const runs = opts.runs ?? 20;
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  await migrateToLatest(database.db);
  const config = loadConfig({ LOG_LEVEL: "silent", DATABASE_URL: url });
  const app = await buildApp({
    config,
    database,
    fieldCrypto: loadFieldCrypto(process.env, config.dataDir, () => {}),
    logger: false,
  });
  await app.ready();
  try {
    const db = database.db;
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db);
    const casesInDatabase = count.rows[0]?.n ?? 0;
    if (casesInDatabase === 0) throw new Error("the database has no cases: seed it first");
    // The seed's history ends today: its newest case and one from a month ago.
    const latest = await sql<{ code: string; at: Date }>`
      SELECT code, created_at AS at FROM cases ORDER BY created_at DESC LIMIT 1`.execute(db);
    const newest = latest.rows[0];
    if (!newest) throw new Error("no cases");
    const w3c = (d: Date) =>
      encodeURIComponent(
        `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`,
      );
    const dayBefore = new Date(new Date(newest.at).getTime() - 86_400_000);
    const monthBefore = new Date(new Date(newest.at).getTime() - 30 * 86_400_000);
    const end = w3c(new Date(newest.at));
    const paths = [
      "/open311/v2/services.xml",
      "/open311/v2/services/dispute.labour_wage.xml",
      // A city back end's poll: the last 90 days (1,000 newest), as XML and JSON.
      `/open311/v2/requests.xml?end_date=${end}`,
      `/open311/v2/requests.json?end_date=${end}`,
      `/open311/v2/requests.xml?status=open&end_date=${end}`,
      `/open311/v2/requests.xml?service_code=fire_hazard&start_date=${w3c(monthBefore)}&end_date=${end}`,
      `/open311/v2/requests/${newest.code}.xml`,
      // FixMyStreet's poll for status changes since the last one.
      `/open311/v2/servicerequestupdates.xml?start_date=${w3c(dayBefore)}&end_date=${end}`,
    ];
    const perRequest: {
      path: string;
      items: number;
      bytes: number;
      p50_ms: number;
      p95_ms: number;
    }[] = [];
    const all: number[] = [];
    for (const path of paths) {
      const warm = await app.inject({ method: "GET", url: path });
      if (warm.statusCode !== 200)
        throw new Error(`${path}: ${warm.statusCode} ${warm.body.slice(0, 200)}`);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const res = await app.inject({ method: "GET", url: path });
        times.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
      }
      all.push(...times);
      perRequest.push({
        path: decodeURIComponent(path),
        items: (warm.body.match(/<(service|request|request_update)>/g) ?? []).length || 1,
        bytes: warm.body.length,
        p50_ms: Math.round(percentile(times, 50) * 10) / 10,
        p95_ms: Math.round(percentile(times, 95) * 10) / 10,
      });
    }
    const base: number[] = [];
    for (let i = 0; i < runs * 4; i++) {
      const t0 = performance.now();
      await app.inject({ method: "GET", url: "/api/health" });
      base.push(performance.now() - t0);
    }
    const value = percentile(all, 95);
    const baseline = percentile(base, 95);
    return {
      metrics: [{ metric: "open311_p95_ms", value, unit: "ms", baseline, ratio: value / baseline }],
      details: { casesInDatabase, runsPerRequest: runs, perRequest },
    };
  } finally {
    await app.close();
    await database.close();
  }
}
