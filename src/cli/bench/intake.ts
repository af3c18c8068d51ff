/**
 * Intake benchmark: new cases per second through the full path of
 * `POST /api/cases` (session auth with CSRF, validation, grid assignment,
 * routing by the responsibility list, working-time deadlines, and the case,
 * its parties, action rows, audit row and notifications in one transaction)
 * at 50 connections. Baseline, in the same run and process: a bare Fastify
 * route that validates the same body and does one INSERT.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import Fastify from "fastify";
import { sql } from "kysely";
import { buildApp } from "../../server/app.js";
import { loadConfig } from "../../server/config.js";
import { intakeWriterFor } from "../../server/modules/cases/case-intake-writer.js";
import { CASE_TAXONOMY } from "../../shared/case-taxonomy.js";
import { createCaseBody } from "../../shared/schemas/cases.js";
import { BENCH_PASSWORD, withBenchDatabase } from "./bench-database.js";
import { localPostgresCpuSeconds } from "./cpu.js";
import type { BenchDb, BenchOutcome } from "./harness.js";

interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  codes?: unknown;
  /** CPU of the server process per answered request (the load worker's share taken out) */
  nodeCpuMsPerRequest?: number | null;
  /** CPU of the local PostgreSQL processes per answered request (null on PGlite or remote) */
  postgresCpuMsPerRequest?: number | null;
}

/**
 * Runs autocannon in a child process for `seconds` and returns its figures,
 * with the CPU the server process and the local PostgreSQL spent meanwhile.
 */
async function load(
  url: string,
  opts: { connections: number; seconds: number; headers: Record<string, string>; bodies: string[] },
): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL("./load-worker.mjs", import.meta.url)), [], {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  const pg0 = localPostgresCpuSeconds();
  const process0 = process.cpuUsage();
  const result = await new Promise<LoadResult & { error?: string }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as LoadResult & { error?: string }));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the load generator exited (${code})`)));
    child.send({ url, ...opts });
  });
  const processCpu = process.cpuUsage(process0);
  const pg1 = localPostgresCpuSeconds();
  child.kill();
  if (result.error) throw new Error(`load generator: ${result.error}`);
  const serverCpuMs = (processCpu.user + processCpu.system) / 1000;
  return {
    ...result,
    nodeCpuMsPerRequest: result.total ? serverCpuMs / result.total : null,
    postgresCpuMsPerRequest:
      pg0 !== null && pg1 !== null && result.total ? ((pg1 - pg0) * 1000) / result.total : null,
  };
}

export async function benchIntake(opts: {
  db: BenchDb;
  seconds?: number;
  connections?: number;
  url?: string;
}): Promise<BenchOutcome> {
  const seconds = opts.seconds ?? 10;
  const connections = opts.connections ?? 50;
  const poolSize = opts.db === "postgresql" ? 20 : 1;
  return withBenchDatabase(
    { db: opts.db, name: "intake", poolSize, url: opts.url },
    async (database, crypto) => {
      const config = loadConfig({ LOG_LEVEL: "silent", GONGZHI_DEMO_PASSWORD: BENCH_PASSWORD });
      const app = await buildApp({ config, database, fieldCrypto: crypto });
      await app.locator.rebuild();
      const address = await app.listen({ host: "127.0.0.1", port: 0 });
      const baseline = Fastify({ logger: false });
      try {
        // Places: points inside grids that have an active police station, so
        // every case is routed; the reporter is the demo resident.
        const grids = await database.db
          .selectFrom("areas")
          .select(["centroid_lng", "centroid_lat", "code"])
          .where("level", "=", "grid")
          .orderBy("code")
          .limit(40)
          .execute();
        const located = [];
        for (const g of grids) {
          if (g.centroid_lng === null || g.centroid_lat === null) continue;
          const hit = await app.locator.locate(g.centroid_lng, g.centroid_lat);
          if (hit) located.push({ lng: g.centroid_lng, lat: g.centroid_lat });
        }
        if (located.length === 0) throw new Error("no grid centroid lies inside its grid");
        // Categories routed straight to a department (no on-site verification
        // first) whose forms need nothing beyond the description.
        const categories = CASE_TAXONOMY.filter(
          (c) => c.parent !== null && !c.invalid && !c.verify && c.fields.every((f) => !f.required),
        )
          .slice(0, 6)
          .map((c) => c.code);
        const bodies = located.flatMap((p, i) =>
          categories.map((c, j) =>
            JSON.stringify({
              categoryCode: c,
              description: `基准测试事件 ${i}-${j}：楼道里有人反复${j % 2 ? "喧哗" : "停放电动车"}，请处理`,
              lat: p.lat,
              lng: p.lng,
              address: "基准路1号",
            }),
          ),
        );
        for (const b of bodies) createCaseBody.parse(JSON.parse(b));

        const login = await app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { username: "resident", password: BENCH_PASSWORD },
        });
        if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
        const cookie = login.cookies.find((c) => c.name === "gongzhi_session");
        const csrf = (login.json() as { csrfToken: string }).csrfToken;
        const headers = { cookie: `gongzhi_session=${cookie?.value}`, "x-csrf-token": csrf };

        // Every body must go through (a refused one would measure the error path).
        for (const b of bodies) {
          const r = await app.inject({
            method: "POST",
            url: "/api/cases",
            headers,
            payload: JSON.parse(b),
          });
          if (r.statusCode !== 201)
            throw new Error(`a benchmark case was refused: ${r.body} for ${b}`);
        }

        // Baseline: validate the same body, one INSERT.
        await sql`CREATE TABLE bench_intake (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        category_code text NOT NULL, description text NOT NULL, lat double precision NOT NULL,
        lng double precision NOT NULL, address text, created_at timestamptz NOT NULL DEFAULT now())`.execute(
          database.db,
        );
        baseline.post("/baseline", async (request, reply) => {
          const b = createCaseBody.parse(request.body);
          const r = await sql<{
            id: string;
          }>`INSERT INTO bench_intake (category_code, description, lat, lng, address)
          VALUES (${b.categoryCode}, ${b.description}, ${b.lat}, ${b.lng}, ${b.address ?? null}) RETURNING id`.execute(
            database.db,
          );
          return reply.status(201).send({ id: r.rows[0]?.id });
        });
        const baseAddress = await baseline.listen({ host: "127.0.0.1", port: 0 });

        // Warm both paths, then measure each.
        await load(`${baseAddress}/baseline`, { connections, seconds: 2, headers: {}, bodies });
        await load(`${address}/api/cases`, { connections, seconds: 2, headers, bodies });
        const base = await load(`${baseAddress}/baseline`, {
          connections,
          seconds,
          headers: {},
          bodies,
        });
        const full = await load(`${address}/api/cases`, { connections, seconds, headers, bodies });
        const cases = await database.db
          .selectFrom("cases")
          .select(sql<number>`count(*)::int`.as("n"))
          .executeTakeFirstOrThrow();
        if (full.non2xx > 0 || full.errors > 0)
          throw new Error(
            `intake answered ${full.non2xx} non-2xx and ${full.errors} errors: ${JSON.stringify(full.codes)}`,
          );
        return {
          metrics: [
            {
              metric: "full_path_rps",
              value: full.rps,
              unit: "req/s",
              baseline: base.rps,
              ratio: full.rps / base.rps,
              p99_ms: full.p99,
            },
          ],
          details: {
            connections,
            seconds,
            fullPathRequests: full.total,
            baselineRequests: base.total,
            baselineP99Ms: base.p99,
            loadGenerator: "autocannon in a child process",
            fullPathNodeCpuMsPerRequest: full.nodeCpuMsPerRequest,
            fullPathPostgresCpuMsPerRequest: full.postgresCpuMsPerRequest,
            baselineNodeCpuMsPerRequest: base.nodeCpuMsPerRequest,
            baselinePostgresCpuMsPerRequest: base.postgresCpuMsPerRequest,
            casesInDatabase: cases.n,
            // how the intake grouped concurrent reports into statements
            intakeGroups: intakeWriterFor(database.db).stats,
          },
        };
      } finally {
        await baseline.close();
        await app.close();
      }
    },
  );
}
