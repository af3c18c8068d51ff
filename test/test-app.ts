/** The real app over a fresh test database, plus helpers to log in and call it. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { buildApp } from "../src/server/app.js";
import { type Config, loadConfig } from "../src/server/config.js";
import type { FieldCrypto } from "../src/server/crypto/field-crypto.js";
import { createFieldCrypto, parseKeyring } from "../src/server/crypto/field-crypto.js";
import type { Database } from "../src/server/db/database.js";
import { createTestDatabase } from "./test-database.js";
import { TEST_DEMO_PASSWORD, TEST_KEYS } from "./test-database-config.js";

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
  fieldCrypto: FieldCrypto;
  close(): Promise<void>;
}

export async function createTestApp(
  opts: { template?: "empty" | "seeded"; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(opts.template ?? "seeded");
  // Attachments and other files of this app, away from the project's ./data.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-test-data-"));
  const config = loadConfig({
    LOG_LEVEL: "silent",
    DATA_DIR: dataDir,
    GONGZHI_DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    ...opts.env,
  });
  const fieldCrypto = createFieldCrypto(parseKeyring(TEST_KEYS));
  const app = await buildApp({
    config,
    database,
    fieldCrypto,
    logger: process.env.TEST_LOG === "1",
  });
  await app.ready();
  return {
    app,
    database,
    config,
    fieldCrypto,
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  /** inject with the session cookie and CSRF header already set */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function login(
  app: FastifyInstance,
  username: string,
  password = TEST_DEMO_PASSWORD,
): Promise<Session> {
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username, password },
  });
  if (res.statusCode !== 200)
    throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const set = res.cookies.find((c) => c.name === "gongzhi_session");
  if (!set) throw new Error("no session cookie");
  const cookie = `gongzhi_session=${set.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    request: (o) =>
      app.inject({
        ...o,
        headers: { cookie, "x-csrf-token": csrf, ...(o.headers ?? {}) },
      } as InjectOptions),
  };
}

export const DEMO_USERNAMES = [
  "admin",
  "coordinator",
  "officer",
  "gridworker",
  "enterprise",
  "enterprise-manager",
  "association",
  "resident",
] as const;
