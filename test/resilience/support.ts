/**
 * What the resilience tests share: a PostgreSQL database of their own
 * (migrated, with the small demo district), the real product as child
 * processes (`node bin/gongzhi.js serve`), the CLI, and a plain HTTP client
 * with a session cookie.
 *
 * These tests need PostgreSQL even when the suite runs on PGlite: they use
 * the server on 127.0.0.1:5432 (TEST_DATABASE_URL) when it answers, and are
 * skipped with a printed reason only when it does not.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createFieldCrypto, parseKeyring } from "../../src/server/crypto/field-crypto.js";
import { type Database, openDatabase } from "../../src/server/db/database.js";
import { migrateToLatest } from "../../src/server/db/migrate.js";
import { boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import { runSeed } from "../../src/server/seed/seed.js";
import { createTestDatabase } from "../test-database.js";
import {
  databaseUrl,
  TEST_DATABASE_URL,
  TEST_DEMO_PASSWORD,
  TEST_ENGINE,
  TEST_KEYS,
  TEST_SEED,
} from "../test-database-config.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "bin", "gongzhi.js");

/** Whether PostgreSQL answers at TEST_DATABASE_URL; the reason when it does not. */
export async function postgresStatus(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  c.on("error", () => {});
  try {
    await c.connect();
    await c.query("SELECT 1");
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `${TEST_DATABASE_URL}: ${(err as Error).message}` };
  } finally {
    await c.end().catch(() => {});
  }
}

/** Prints why a PostgreSQL-only test file does not run (only when PostgreSQL is unreachable). */
export function reportSkipped(file: string, status: { ok: boolean; reason?: string }) {
  if (!status.ok)
    console.warn(
      `[resilience] ${file} skipped: PostgreSQL is unreachable (${status.reason}). Start it or set TEST_DATABASE_URL.`,
    );
}

export interface PgTestDatabase {
  /** the URL the servers get as DATABASE_URL */
  url: string;
  /** a pool of the test's own, to check what was written */
  database: Database;
  close(): Promise<void>;
}

/**
 * A fresh PostgreSQL database with the small demo district: a clone of the
 * run's template when the suite runs on PostgreSQL, otherwise created,
 * migrated and seeded here (about 10 s). Dropped by close().
 */
export async function createPgTestDatabase(): Promise<PgTestDatabase> {
  if (TEST_ENGINE === "postgresql") {
    const database = await createTestDatabase("seeded");
    const url = database.clientConfig?.connectionString;
    if (!url) throw new Error("the test database has no connection string");
    return { url, database, close: () => database.close() };
  }
  const name = `gongzhi_resilience_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    // Databases left by a test process that died (its pid is in the name).
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'gongzhi\\_resilience\\_%'",
    );
    for (const { datname } of rows) {
      const pid = Number(datname.split("_")[2]);
      if (pid && !processAlive(pid))
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
  const drop = async () => {
    await database.close();
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
  try {
    await migrateToLatest(database.db);
    await runSeed(database.db, {
      scale: "small",
      seed: TEST_SEED,
      force: false,
      demoPassword: TEST_DEMO_PASSWORD,
      fieldCrypto: createFieldCrypto(parseKeyring(TEST_KEYS)),
    });
  } catch (err) {
    await drop();
    throw err;
  }
  return { url, database, close: drop };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The environment of a product process: the test keys (so every process reads personal data alike). */
export function productEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...TEST_KEYS,
    GONGZHI_DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  delete env.PORT;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gongzhi ARGS…` to its end. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServerProcess {
  /** http://127.0.0.1:PORT */
  base: string;
  pid: number;
  child: ChildProcess;
  /** everything the process wrote so far (stdout and stderr) */
  output(): string;
  /** resolves with the exit code (null) and signal when the process has ended */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9: no shutdown of any kind */
  kill9(): Promise<void>;
  /** SIGTERM: the graceful shutdown, then waits for the exit */
  stop(): Promise<void>;
}

/**
 * Starts `gongzhi serve --port 0` (a free port) in a child process with its
 * own temporary DATA_DIR and waits until /api/health answers ok.
 */
export async function startServer(
  env: Record<string, string | undefined>,
  timeoutMs = 45_000,
): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-resilience-"));
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--host", "127.0.0.1"], {
    cwd: ROOT,
    env: productEnv({ DATA_DIR: dataDir, ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Bounded: a long test must not hold every log line of a busy server.
  let out = "";
  const keep = (s: string) => {
    out += s;
    if (out.length > 4_000_000) out = out.slice(-2_000_000);
  };
  child.stdout?.setEncoding("utf8").on("data", keep);
  child.stderr?.setEncoding("utf8").on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  const deadline = Date.now() + timeoutMs;
  let base = "";
  let healthy = false;
  while (!healthy && Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`gongzhi serve exited early (${child.exitCode}):\n${out.slice(-3000)}`);
    base ||= /Gongzhi listening at (http:\/\/[\d.]+:\d+)/.exec(out)?.[1] ?? "";
    if (base) healthy = (await fetch(`${base}/api/health`).catch(() => null))?.status === 200;
    if (!healthy) await sleep(100);
  }
  if (!healthy) {
    child.kill("SIGKILL");
    throw new Error(`gongzhi serve did not become healthy:\n${out.slice(-3000)}`);
  }
  const pid = child.pid as number;
  return {
    base,
    pid,
    child,
    output: () => out,
    exited,
    async kill9() {
      process.kill(pid, "SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HttpResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read loosely
  body: any;
}

export interface HttpSession {
  cookie: string;
  csrf: string;
  /** a request to `base` with this session's cookie and CSRF token */
  call(
    base: string,
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResponse>;
}

/** One HTTP request; JSON bodies parsed. Rejects when no answer came (the server died). */
export async function request(
  base: string,
  method: string,
  url: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResponse> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
      ...opts.headers,
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
}

/** Logs in through `base`; the session works on every server of the database. */
export async function httpLogin(base: string, username: string): Promise<HttpSession> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: TEST_DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const set = res.headers.getSetCookie().find((c) => c.startsWith("gongzhi_session="));
  if (!set) throw new Error("no session cookie");
  const cookie = set.split(";")[0] as string;
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    call: (b, method, url, body, headers) =>
      request(b, method, url, {
        body,
        headers: { cookie, "x-csrf-token": csrf, ...headers },
      }),
  };
}

/** A point inside the demo grid worker's grid (where the demo officer's police station is). */
export async function pointInDemoGrid(base: string): Promise<{ lat: number; lng: number }> {
  const gw = await httpLogin(base, "gridworker");
  const me = (await gw.call(base, "GET", "/api/auth/me")).body;
  const area = (await gw.call(base, "GET", `/api/areas/${me.grants[0].scope.code}`)).body;
  const [lng, lat] = boundaryInteriorPoint(area.boundary);
  return { lng, lat };
}

/** A case every test can report: a theft, routed to the demo officer's police station. */
export function theftReport(place: { lat: number; lng: number }, description: string) {
  return { categoryCode: "theft_fraud.theft", description, ...place };
}
