/**
 * SSE benchmark: live-event delivery latency to N concurrent streams of one
 * server (`GET /api/events?topics=dashboard`, N coordinators signed in).
 * Timed dashboard events (their `at` = publication time) are published every
 * `--interval-ms`; the clients (raw sockets in a child process) note
 * arrival − `at` for every event on every stream. On PostgreSQL the events
 * are published by another server's bus (its own LISTEN connection and
 * process id), so they take the whole path: pg_notify → the app's LISTEN
 * connection → fan-out; on PGlite, the in-process bus. Baseline: the same
 * with one client, in the same run.
 */
import { fork } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import type { Kysely } from "kysely";
import { buildApp } from "../../server/app.js";
import { loadConfig } from "../../server/config.js";
import { type Database, openDatabase } from "../../server/db/database.js";
import type { DB } from "../../server/db/schema.js";
import { digest, randomSecret } from "../../server/modules/auth/tokens.js";
import type { BusLog, EventBus } from "../../server/modules/events/event-bus.js";
import type { LiveStats } from "../../server/modules/events/live-connections.js";
import { PgEventBus } from "../../server/modules/events/pg-event-bus.js";
import { BENCH_PASSWORD, withBenchDatabase } from "./bench-database.js";
import { type BenchDb, type BenchOutcome, percentile } from "./harness.js";

const CHUNK = 2000;

/** N coordinators of the district with one open session each; their raw session tokens. */
async function createSessions(db: Kysely<DB>, n: number): Promise<string[]> {
  const district = await db
    .selectFrom("areas")
    .select("id")
    .where("level", "=", "district")
    .executeTakeFirstOrThrow();
  const tokens: string[] = [];
  const expires = new Date(Date.now() + 24 * 3600_000);
  for (let from = 0; from < n; from += CHUNK) {
    const size = Math.min(CHUNK, n - from);
    const users = await db
      .insertInto("users")
      .values(
        Array.from({ length: size }, (_, i) => ({
          username: `bench-sse-${from + i}`,
          // No one logs in with it: the session is made here.
          password_hash: "!bench",
          display_name: `基准看板 ${from + i}`,
        })),
      )
      .returning("id")
      .execute();
    await db
      .insertInto("role_grants")
      .values(
        users.map((u) => ({
          user_id: u.id,
          role: "coordinator",
          scope_kind: "area" as const,
          area_id: district.id,
        })),
      )
      .execute();
    const batch = users.map(() => randomSecret());
    await db
      .insertInto("sessions")
      .values(
        users.map((u, i) => ({
          id: digest(batch[i] as string),
          user_id: u.id,
          csrf_token: randomSecret(),
          ip: "127.0.0.1",
          user_agent: "bench-sse",
          expires_at: expires,
        })),
      )
      .execute();
    tokens.push(...batch);
  }
  return tokens;
}

interface Round {
  requested: number;
  connected: number;
  failed: number;
  connectSeconds: number;
  latencies: number[];
  expected: number;
  ended: number;
  dropped: number;
  serverRssMb: number;
  serverConnections: number;
  clientProcesses: number;
  /** the server process's CPU while the events were published (incl. the publisher) */
  serverCpuMsPerEvent: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process of SSE clients (sse-clients.mjs) and a way to await its answers. */
function clientProcess() {
  const child = fork(fileURLToPath(new URL("./sse-clients.mjs", import.meta.url)), [], {
    execArgv: ["--max-old-space-size=2048"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off("message", onMessage);
        resolve(m as T);
      };
      child.on("message", onMessage);
      child.once("exit", (code) => reject(new Error(`the SSE clients exited (${code})`)));
    });
  return { child, next };
}

/** Streams per client process: reading is part of the measured latency. */
const STREAMS_PER_PROCESS = 2500;

async function round(opts: {
  port: number;
  tokens: string[];
  events: number;
  intervalMs: number;
  label: string;
  publisher: EventBus;
  stats: () => Promise<LiveStats>;
}): Promise<Round> {
  const processes = Array.from(
    { length: Math.ceil(opts.tokens.length / STREAMS_PER_PROCESS) },
    clientProcess,
  );
  try {
    const before = await opts.stats();
    const connected = await Promise.all(
      processes.map((p, i) => {
        const answer = p.next<{ connected: number; failed: number; seconds: number }>("connected");
        p.child.send({
          tokens: opts.tokens.slice(i * STREAMS_PER_PROCESS, (i + 1) * STREAMS_PER_PROCESS),
          port: opts.port,
          path: "/api/events?topics=dashboard",
          concurrency: 100,
        });
        return answer;
      }),
    );
    await sleep(200);
    const open = await opts.stats();
    const serverRssMb = process.memoryUsage().rss / 2 ** 20;
    const cpu0 = process.cpuUsage();
    for (let k = 0; k < opts.events; k++) {
      opts.publisher.publish({ type: "dashboard", topics: [`${opts.label}-${k}`] });
      await sleep(opts.intervalMs);
    }
    const cpu = process.cpuUsage(cpu0);
    await sleep(2000);
    const results = await Promise.all(
      processes.map((p) => {
        const answer = p.next<{ latencies: number[]; ended: number }>("result");
        p.child.send({ type: "finish" });
        return answer;
      }),
    );
    const after = await opts.stats();
    // Let the server see the clients go before the next round counts.
    for (let i = 0; i < 100 && (await opts.stats()).connections > before.connections; i++)
      await sleep(100);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const connectedCount = sum(connected.map((c) => c.connected));
    return {
      requested: opts.tokens.length,
      connected: connectedCount,
      failed: sum(connected.map((c) => c.failed)),
      connectSeconds: Math.max(...connected.map((c) => c.seconds)),
      latencies: results.flatMap((r) => r.latencies),
      expected: connectedCount * opts.events,
      ended: sum(results.map((r) => r.ended)),
      dropped: after.droppedSlowClients - before.droppedSlowClients,
      serverRssMb,
      serverConnections: open.connections - before.connections,
      clientProcesses: processes.length,
      serverCpuMsPerEvent: (cpu.user + cpu.system) / 1000 / opts.events,
    };
  } finally {
    for (const p of processes) p.child.kill();
  }
}

const quietLog = {
  info: () => {},
  warn: (obj: unknown, msg?: string) => console.warn(msg, obj),
} as unknown as BusLog;

/** Another server's bus on the same PostgreSQL database (its own pool and LISTEN connection). */
async function otherServer(database: Database) {
  const url = database.clientConfig?.connectionString;
  if (!url || !database.clientConfig) throw new Error("no PostgreSQL connection settings");
  const other = await openDatabase({ databaseUrl: url, poolSize: 2 });
  const bus = new PgEventBus({ db: other.db, clientConfig: database.clientConfig, log: quietLog });
  await bus.start();
  return {
    bus,
    close: async () => {
      await bus.close();
      await other.close();
    },
  };
}

export async function benchSse(opts: {
  db: BenchDb;
  clients?: number;
  events?: number;
  intervalMs?: number;
}): Promise<BenchOutcome> {
  const clients = opts.clients ?? 10_000;
  const events = opts.events ?? 20;
  const intervalMs = opts.intervalMs ?? 1000;
  const poolSize = opts.db === "postgresql" ? 10 : 1;
  return withBenchDatabase({ db: opts.db, name: "sse", poolSize }, async (database, crypto) => {
    const t0 = Date.now();
    const tokens = await createSessions(database.db, clients + 1);
    const sessionsSeconds = (Date.now() - t0) / 1000;
    const config = loadConfig({ LOG_LEVEL: "silent", GONGZHI_DEMO_PASSWORD: BENCH_PASSWORD });
    const app = await buildApp({ config, database, fieldCrypto: crypto, logger: false });
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    const port = Number(new URL(address).port);
    const other = opts.db === "postgresql" ? await otherServer(database) : null;
    const publisher = other?.bus ?? app.events;
    const stats = async () =>
      (await app.inject({ method: "GET", url: "/api/health" })).json().live as LiveStats;
    try {
      const common = { port, events, intervalMs, publisher, stats };
      const base = await round({ ...common, tokens: tokens.slice(0, 1), label: "one" });
      const full = await round({ ...common, tokens: tokens.slice(1), label: "all" });
      const metric = (name: string, p: number) => {
        const value = percentile(full.latencies, p);
        const baseline = percentile(base.latencies, p);
        return { metric: name, value, unit: "ms", baseline, ratio: value / baseline };
      };
      const p99 = metric("delivery_p99_ms", 99);
      return {
        metrics: [
          { ...p99, p99_ms: p99.value },
          metric("delivery_p95_ms", 95),
          metric("delivery_p50_ms", 50),
        ],
        details: {
          path:
            opts.db === "postgresql"
              ? "published by another server's bus: pg_notify → LISTEN connection → fan-out"
              : "in-process bus → fan-out",
          clientsRequested: full.requested,
          clientsConnected: full.connected,
          clientsRefused: full.failed,
          serverConnections: full.serverConnections,
          connectSeconds: Number(full.connectSeconds.toFixed(1)),
          events,
          intervalMs,
          deliveries: full.latencies.length,
          expectedDeliveries: full.expected,
          maxMs: full.latencies.reduce((a, b) => Math.max(a, b), 0),
          droppedSlowClients: full.dropped,
          streamsEndedByServer: full.ended,
          serverRssMbWithClients: Math.round(full.serverRssMb),
          serverCpuMsPerEvent: Number(full.serverCpuMsPerEvent.toFixed(1)),
          baselineServerCpuMsPerEvent: Number(base.serverCpuMsPerEvent.toFixed(1)),
          baselineDeliveries: base.latencies.length,
          sessionsCreatedSeconds: sessionsSeconds,
          // the machine's load (1, 5, 15 min) at the end: the figure depends on it
          loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
          loadGenerator: `raw sockets in ${full.clientProcesses} child process(es), ${STREAMS_PER_PROCESS} streams each at most`,
        },
      };
    } finally {
      await other?.close();
      await app.close();
    }
  });
}
