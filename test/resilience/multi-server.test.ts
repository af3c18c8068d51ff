/**
 * Two app servers (`gongzhi serve`, real processes) against one PostgreSQL:
 * a session made on one works on the other (and ends on both), live events
 * caused through one reach streams on the other, reports go in through both,
 * and the escalation and notification-delivery jobs run on both at once
 * still escalate each case once and send each notification once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFieldCrypto, parseKeyring } from "../../src/server/crypto/field-crypto.js";
import { openStream, type SseStream, settle, until } from "../sse-client.js";
import { TEST_KEYS } from "../test-database-config.js";
import {
  createPgTestDatabase,
  type HttpSession,
  httpLogin,
  type PgTestDatabase,
  pointInDemoGrid,
  postgresStatus,
  productEnv,
  reportSkipped,
  runCli,
  type ServerProcess,
  startServer,
  theftReport,
} from "./support.js";

const pgStatus = await postgresStatus();
reportSkipped("multi-server.test.ts", pgStatus);

const SENT_LINE = "notification sent (log sender)";

describe.skipIf(!pgStatus.ok)("two servers against one PostgreSQL", () => {
  let database: PgTestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const streams: SseStream[] = [];
  const cliOutput: string[] = [];
  const startedAt = new Date();
  const cliDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-resilience-cli-"));
  let serversUpAt = 0;

  beforeAll(async () => {
    database = await createPgTestDatabase();
    // Staff get a phone number and an e-mail address, so that their
    // notifications go out by SMS and e-mail (through the log sender) and
    // every send shows in some process's output.
    const crypto = createFieldCrypto(parseKeyring(TEST_KEYS));
    const staff = await database.database.db
      .selectFrom("users")
      .select(["id", "username"])
      .where("id", "in", (q) =>
        q.selectFrom("role_grants").select("user_id").where("role", "<>", "resident"),
      )
      .execute();
    for (const u of staff) {
      const phone = `139${u.id.padStart(8, "0").slice(-8)}`;
      await database.database.db
        .updateTable("users")
        .set({
          email: `${u.username}@example.org`,
          phone_enc: crypto.encrypt(phone, "users.phone"),
          phone_masked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
        })
        .where("id", "=", u.id)
        .execute();
    }
    // LOG_LEVEL=info: the servers' own delivery runs log each send too.
    [a, b] = await Promise.all([
      startServer({ DATABASE_URL: database.url, LOG_LEVEL: "info" }),
      startServer({ DATABASE_URL: database.url, LOG_LEVEL: "info" }),
    ]);
    serversUpAt = Date.now();
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.close();
    fs.rmSync(cliDataDir, { recursive: true, force: true });
  });

  const listen = (base: string, s: HttpSession, query = "") => {
    const stream = openStream(base, s.cookie, query);
    streams.push(stream);
    return stream;
  };

  it("shares sessions: logged in on A, working on B; logged out on B, gone on A too", async () => {
    expect(a.base).not.toBe(b.base);
    const coordinator = await httpLogin(a.base, "coordinator");
    const onA = await coordinator.call(a.base, "GET", "/api/auth/me");
    const onB = await coordinator.call(b.base, "GET", "/api/auth/me");
    expect(onB.status).toBe(200);
    expect(onB.body.user.id).toBe(onA.body.user.id);
    // The CSRF token from A is good for a change on B.
    const read = await coordinator.call(b.base, "POST", "/api/notifications/read", { all: true });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    const forged = await coordinator.call(
      b.base,
      "POST",
      "/api/notifications/read",
      { all: true },
      { "x-csrf-token": "not-the-token" },
    );
    expect(forged.status).toBe(403);

    const out = await coordinator.call(b.base, "POST", "/api/auth/logout");
    expect(out.status).toBe(204);
    expect((await coordinator.call(b.base, "GET", "/api/auth/me")).status).toBe(401);
    // A may hold the resolved session for SESSION_CACHE_MS (2 s by default), no longer.
    const loggedOut = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - loggedOut < 4000) {
      status = (await coordinator.call(a.base, "GET", "/api/auth/me")).status;
      if (status !== 401) await settle(100);
    }
    expect(status).toBe(401);
    expect(Date.now() - loggedOut).toBeLessThan(3000);
  });

  it("delivers live events across servers, each once", async () => {
    const [resident, officer, coordinator] = await Promise.all([
      httpLogin(a.base, "resident"),
      httpLogin(b.base, "officer"),
      httpLogin(a.base, "coordinator"),
    ]);
    const place = await pointInDemoGrid(a.base);
    // The officer's bell, open on B, hears of a case reported through A.
    const bell = listen(b.base, officer);
    await until(() => bell.names().includes("ready"), 5000);
    const created = await resident.call(
      a.base,
      "POST",
      "/api/cases",
      theftReport(place, "两台服务器演练：小区门口的电动车被偷了"),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await until(() => bell.count("notifications") === 1, 5000);

    // The case page, open on A, hears of the officer accepting it on B.
    const page = listen(a.base, coordinator, `?caseId=${created.body.id}`);
    await until(() => page.names().includes("ready"), 5000);
    const accepted = await officer.call(b.base, "POST", `/api/cases/${created.body.id}/accept`, {
      version: created.body.version,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await until(() => page.count("case") === 1, 5000);
    expect(JSON.parse(page.messages.find((m) => m.event === "case")?.data ?? "{}")).toMatchObject({
      id: created.body.id,
      version: accepted.body.version,
    });
    await settle(500);
    expect(bell.count("notifications")).toBe(1);
    expect(page.count("case")).toBe(1);
  });

  it("escalates each overdue case once and sends each notification once, with the jobs run on both at once", async () => {
    const db = database.database.db;
    const marker = "两台服务器演练：第";
    // Reports through both servers: three hundred cases with deadlines…
    const resident = await httpLogin(a.base, "resident");
    const place = await pointInDemoGrid(b.base);
    for (let i = 0; i < 300; i += 50) {
      const statuses = await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          resident
            .call(
              (i + k) % 2 ? a.base : b.base,
              "POST",
              "/api/cases",
              theftReport(place, `${marker}${i + k}份报告，车棚电瓶被偷`),
            )
            .then((r) => r.status),
        ),
      );
      expect(statuses.every((s) => s === 201)).toBe(true);
    }
    // The servers run every job 10 s after they start, then on its interval
    // (escalation: 5 minutes). Let that first run end, so that the two runs
    // below are the ones that meet the overdue cases.
    await settle(Math.max(0, serversUpAt + 11_000 - Date.now()));
    let quiet = 0;
    for (let waited = 0; quiet < 4 && waited < 20_000; waited += 250) {
      const { rows: locks } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE c.relname = 'cases' AND l.mode = 'RowShareLock' AND l.pid <> pg_backend_pid()`.execute(
        db,
      );
      quiet = locks[0]?.n === 0 ? quiet + 1 : 0;
      await settle(250);
    }
    // …that were due a month ago: every one of them climbs all three levels.
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    await db
      .updateTable("cases")
      .set({ accept_due_at: monthAgo, resolve_due_at: monthAgo })
      .where("description", "like", `${marker}%`)
      .execute();

    // The escalation job on two processes at the same moment.
    const env = productEnv({ DATABASE_URL: database.url, DATA_DIR: cliDataDir });
    const runs = await Promise.all([
      runCli(["jobs", "run", "escalation"], env),
      runCli(["jobs", "run", "escalation"], env),
    ]);
    const escalated = runs.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      const m = /escalation: (\d+) due-soon warnings, (\d+) escalations/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      return Number(m?.[2]);
    });

    const check = async () =>
      (
        await sql<{
          ours: number;
          our_escalations: number;
          escalation_rows: number;
          escalate_actions: number;
          escalated_audits: number;
          duplicate_actions: number;
          duplicate_audits: number;
          duplicate_notifications: number;
          incomplete_ladders: number;
          below_top: number;
        }>`
      WITH ours AS (SELECT id, escalation_level FROM cases WHERE description LIKE ${`${marker}%`})
      SELECT
        (SELECT count(*)::int FROM ours) AS ours,
        (SELECT count(*)::int FROM case_escalations
          WHERE kind = 'overdue' AND case_id IN (SELECT id FROM ours)) AS our_escalations,
        (SELECT count(*)::int FROM case_escalations WHERE kind = 'overdue') AS escalation_rows,
        (SELECT count(*)::int FROM case_actions WHERE action = 'escalate') AS escalate_actions,
        (SELECT count(*)::int FROM audit_log WHERE action = 'case.escalated') AS escalated_audits,
        (SELECT count(*)::int FROM (SELECT 1 FROM case_actions WHERE action = 'escalate'
          GROUP BY case_id, details->>'level', details->>'dueAt' HAVING count(*) > 1) d) AS duplicate_actions,
        (SELECT count(*)::int FROM (SELECT 1 FROM audit_log WHERE action = 'case.escalated'
          GROUP BY subject_id, details->>'level' HAVING count(*) > 1) d) AS duplicate_audits,
        (SELECT count(*)::int FROM (SELECT 1 FROM notifications
          WHERE kind IN ('case.overdue', 'case.due_soon')
          GROUP BY user_id, case_id, kind, title, body HAVING count(*) > 1) d) AS duplicate_notifications,
        (SELECT count(*)::int FROM (SELECT 1 FROM case_escalations WHERE kind = 'overdue'
          AND case_id IN (SELECT id FROM ours) GROUP BY case_id, due_at HAVING count(*) <> 3) d)
          AS incomplete_ladders,
        (SELECT count(*)::int FROM ours WHERE escalation_level < 3) AS below_top`.execute(db)
      ).rows[0];
    const r = await check();
    expect(r).toMatchObject({
      ours: 300,
      // Each of the 300 cases climbed community, street, district: once each.
      our_escalations: 900,
      incomplete_ladders: 0,
      below_top: 0,
      duplicate_actions: 0,
      duplicate_audits: 0,
      duplicate_notifications: 0,
    });
    // One action and one audit row per escalation recorded, whichever process did it.
    expect(r?.escalate_actions).toBe(r?.escalation_rows);
    expect(r?.escalated_audits).toBe(r?.escalation_rows);
    // The two runs did them between them (and perhaps some older cases of the demo district).
    const byRuns = (escalated[0] ?? 0) + (escalated[1] ?? 0);
    expect(byRuns).toBeGreaterThanOrEqual(900);
    expect(byRuns).toBeLessThanOrEqual(r?.escalation_rows ?? 0);
    // Run again: nothing left to do.
    const third = await runCli(["jobs", "run", "escalation"], env);
    expect(third.stdout).toMatch(/, 0 escalations/);
    cliOutput.push(...runs.map((x) => x.stdout), third.stdout);

    // Delivery on two processes at once (and on the servers, every 30 s).
    const deliveries = await Promise.all([
      runCli(["jobs", "run", "notification-delivery"], env),
      runCli(["jobs", "run", "notification-delivery"], env),
    ]);
    for (const d of deliveries) expect(d.code, d.stderr).toBe(0);
    cliOutput.push(...deliveries.map((x) => x.stdout));
    // Stop the servers before counting: gracefully, so a delivery in progress
    // finishes; open live streams (a signed-in page always has one) end at
    // once rather than hold the shutdown.
    const officer = await httpLogin(a.base, "officer");
    const open = [listen(a.base, officer), listen(b.base, officer)];
    await until(() => open.every((s) => s.names().includes("ready")), 5000);
    const stopping = Date.now();
    await Promise.all([a.stop(), b.stop()]);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(await b.exited).toEqual({ code: 0, signal: null });
    expect(open.every((s) => s.ended())).toBe(true);

    const sentLines = [...cliOutput, a.output(), b.output()]
      .map((o) => o.split(SENT_LINE).length - 1)
      .reduce((x, y) => x + y, 0);
    const { rows: sent } = await sql<{ sends: number; pending: number; notified: number }>`
      SELECT
        (SELECT count(*)::int FROM notifications n, unnest(n.delivery) AS d
          WHERE n.delivered_at >= ${startedAt} AND d LIKE '%:log') AS sends,
        (SELECT count(*)::int FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.delivered_at IS NULL AND n.created_at < ${startedAt}) AS pending,
        (SELECT count(*)::int FROM notifications WHERE kind = 'case.overdue') AS notified`.execute(
      db,
    );
    // Each recorded send was sent once: no process sent what another did.
    expect(sent[0]?.sends).toBeGreaterThan(1000);
    expect(sentLines).toBe(sent[0]?.sends);
    expect(sent[0]?.pending).toBe(0);
    console.info(
      `[resilience] two servers: escalation split ${escalated.join(" + ")} between two concurrent runs ` +
        `(${r?.escalation_rows} escalations in all, none twice); ${sent[0]?.sends} SMS/e-mail sends of ` +
        `${sent[0]?.notified} overdue notices and others, each once`,
    );
  }, 90_000);
});
