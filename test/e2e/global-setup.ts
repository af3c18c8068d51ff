/**
 * Starts the real product for the browser tests: builds the web app, then
 * `node bin/gongzhi.js start` on a fresh data directory and a free port with
 * the small demo district, waits for /api/health, and stops it with SIGTERM
 * afterwards. Tests read the address with `inject("baseURL")`.
 *
 * E2E_SKIP_BUILD=1 reuses an existing dist/web (faster when iterating).
 * GONGZHI_WEB_DIR=… builds and serves the web app from another directory, so
 * that several runs can share one checkout.
 * E2E_BASE_URL=http://… skips all of this and tests a server already running.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RESULTS = path.join(ROOT, "test-results");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`gongzhi start exited with ${child.exitCode}:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) {
        const body = (await res.json()) as { status?: string };
        if (body.status === "ok") return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gongzhi did not become healthy within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export default async function setup(project: TestProject) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide("baseURL", external.replace(/\/$/, ""));
    return;
  }

  // Always test the current sources: `start` only builds when dist/web is missing.
  // A child process, because vitest sets NODE_ENV=test and that would make a development build.
  if (process.env.E2E_SKIP_BUILD !== "1") {
    const vite = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
    const outDir = process.env.GONGZHI_WEB_DIR ? ["--outDir", process.env.GONGZHI_WEB_DIR] : [];
    execFileSync(process.execPath, [vite, "build", "--logLevel", "warn", ...outDir], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: "inherit",
    });
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-e2e-"));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const logFile = path.join(RESULTS, `e2e-server-${port}.log`);
  const log = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "gongzhi.js"), "start"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      GONGZHI_SEED_SCALE: "small",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    },
    stdio: ["ignore", log, log],
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    fs.closeSync(log);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseURL, child, logFile, 180_000);
  } catch (err) {
    await stop();
    throw err;
  }
  project.provide("baseURL", baseURL);
  return stop;
}
