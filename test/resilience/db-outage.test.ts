/**
 * PostgreSQL going away under load: a server talks to the database through a
 * proxy the test takes down (connections cut, new ones refused), then brings
 * back as "starting up" (57P03), then up. Meanwhile a few clients keep
 * reading and reporting cases. While the database is away the app must
 * answer 503 with Retry-After — never 500, never a dropped connection — and
 * once it is back the app must serve again by itself, without a restart.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../test-database-config.js";
import { type PgProxy, type ProxyState, startPgProxy } from "./pg-proxy.js";
import {
  createPgTestDatabase,
  type HttpSession,
  httpLogin,
  type PgTestDatabase,
  pointInDemoGrid,
  postgresStatus,
  reportSkipped,
  request,
  type ServerProcess,
  sleep,
  startServer,
  theftReport,
} from "./support.js";

const pgStatus = await postgresStatus();
reportSkipped("db-outage.test.ts", pgStatus);

interface Sample {
  at: number;
  /** when the answer came */
  end: number;
  phase: ProxyState | "recovering";
  kind: "read" | "report" | "health";
  status: number | "no answer";
  errorId?: string;
  retryAfter?: string | null;
  caseId?: string;
}

describe.skipIf(!pgStatus.ok)("PostgreSQL down and back under load (through a proxy)", () => {
  let database: PgTestDatabase;
  let proxy: PgProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createPgTestDatabase();
    const target = new URL(TEST_DATABASE_URL);
    proxy = await startPgProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    server = await startServer({ DATABASE_URL: viaProxy.toString(), DATABASE_POOL_SIZE: "6" });
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.close();
  });

  it("answers 503 with Retry-After while the database is away and serves again by itself once it is back", async () => {
    const base = server.base;
    const [resident, officer] = await Promise.all([
      httpLogin(base, "resident"),
      httpLogin(base, "officer"),
    ]);
    const place = await pointInDemoGrid(base);

    let phase: Sample["phase"] = "up";
    const samples: Sample[] = [];
    let running = true;
    let seq = 0;
    const record = async (kind: Sample["kind"], run: () => ReturnType<typeof request>) => {
      const at = Date.now();
      const during = phase;
      try {
        const res = await run();
        samples.push({
          at,
          end: Date.now(),
          phase: during,
          kind,
          status: res.status,
          errorId: res.body?.error?.id,
          retryAfter: res.headers.get("retry-after"),
          caseId: kind === "report" && res.status === 201 ? res.body.id : undefined,
        });
      } catch {
        samples.push({ at, end: Date.now(), phase: during, kind, status: "no answer" });
      }
    };
    const loop = async (session: HttpSession, kind: "read" | "report") => {
      while (running) {
        await record(kind, () =>
          kind === "read"
            ? session.call(base, "GET", "/api/cases?limit=5")
            : session.call(base, "POST", "/api/cases", theftReport(place, `断电演练 ${++seq}`)),
        );
        await sleep(25);
      }
    };
    const loops = [
      loop(officer, "read"),
      loop(officer, "read"),
      loop(resident, "report"),
      loop(resident, "report"),
    ];

    await sleep(1500);
    const downAt = Date.now();
    await proxy.down();
    // Requests that began before the cut count as "up" (and may answer 503).
    phase = "down";
    await sleep(1500);
    await record("health", () => request(base, "GET", "/api/health"));
    await sleep(1500);
    await proxy.starting();
    phase = "starting";
    await sleep(1500);
    await record("health", () => request(base, "GET", "/api/health"));
    phase = "recovering";
    const back = Date.now();
    await proxy.up();
    // Recovery: the first read that succeeds after the database is back.
    let recoveredAt = 0;
    while (!recoveredAt && Date.now() - back < 15_000) {
      await sleep(20);
      const ok = samples.find((s) => s.at >= back && s.kind === "read" && s.status === 200);
      if (ok) recoveredAt = Date.now();
    }
    const recoveryMs = recoveredAt - back;
    phase = "up";
    const steady = Date.now();
    await sleep(2000);
    running = false;
    await Promise.all(loops);

    const count = (f: (s: Sample) => boolean) => samples.filter(f).length;
    const byStatus = (ph: Sample["phase"]) =>
      Object.fromEntries(
        [...new Set(samples.filter((s) => s.phase === ph).map((s) => String(s.status)))].map(
          (k) => [k, count((s) => s.phase === ph && String(s.status) === k)],
        ),
      );
    console.info(
      `[resilience] outage: ${samples.length} requests; before ${JSON.stringify(byStatus("up"))}, ` +
        `down ${JSON.stringify(byStatus("down"))}, starting ${JSON.stringify(byStatus("starting"))}, ` +
        `recovering ${JSON.stringify(byStatus("recovering"))}; recovered ${recoveryMs} ms after the database was back`,
    );

    // The server never crashed, never dropped a connection and never said 500.
    expect(server.child.exitCode, server.output().slice(-4000)).toBeNull();
    expect(count((s) => s.status === "no answer")).toBe(0);
    expect(count((s) => s.status === 500)).toBe(0);
    expect(
      samples.every((s) => [200, 201, 503].includes(s.status as number)),
      JSON.stringify(samples.filter((s) => ![200, 201, 503].includes(s.status as number))),
    ).toBe(true);

    // Before: all well (a request still in flight at the cut may answer 503).
    expect(count((s) => s.end < downAt && s.status !== 200 && s.status !== 201)).toBe(0);
    expect(
      count((s) => s.phase === "up" && s.kind === "report" && s.status === 201),
    ).toBeGreaterThan(0);
    // Down and starting up: 503 with the stable id and Retry-After, for reads, reports and health.
    for (const ph of ["down", "starting"] as const) {
      // (A request sent just before the database came back may be served after it.)
      const during = samples.filter((s) => s.phase === ph && s.kind !== "health" && s.end < back);
      expect(during.length).toBeGreaterThan(5);
      expect(
        during.filter((s) => s.status !== 503),
        "every request while the database is away answers 503",
      ).toEqual([]);
      for (const s of during.filter((x) => x.status === 503)) {
        expect(s.errorId).toBe("unavailable");
        expect(s.retryAfter).toBe("5");
      }
      const health = samples.find((s) => s.phase === ph && s.kind === "health");
      expect(health?.status).toBe(503);
      expect(health?.retryAfter).toBe("5");
    }
    // Back: served again by itself, within a few seconds, and everything after succeeds.
    expect(recoveredAt).toBeGreaterThan(0);
    expect(recoveryMs).toBeLessThan(5000);
    const after = samples.filter((s) => s.at >= steady);
    expect(after.length).toBeGreaterThan(10);
    expect(after.every((s) => s.status === 200 || s.status === 201)).toBe(true);

    // Every acknowledged report is in the database.
    const acknowledged = samples.flatMap((s) => (s.caseId ? [s.caseId] : []));
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases WHERE id = ANY(${acknowledged}::bigint[])`.execute(
      database.database.db,
    );
    expect(rows[0]?.n).toBe(acknowledged.length);

    // The health check says so too, and the live events' LISTEN connection is back
    // (it retries with a growing pause, up to 15 s).
    const deadline = Date.now() + 20_000;
    let health = await request(base, "GET", "/api/health");
    while (!health.body.live?.sharedBusConnected && Date.now() < deadline) {
      await sleep(250);
      health = await request(base, "GET", "/api/health");
    }
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    expect(health.body.live.sharedBusConnected).toBe(true);
    console.info(
      `[resilience] outage: live events' LISTEN connection back within ${((Date.now() - back) / 1000).toFixed(1)} s`,
    );
    expect(server.output()).not.toMatch(/unhandled error/);
  }, 60_000);
});
