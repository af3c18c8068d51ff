/**
 * kill -9 during a burst of case reports: 300 concurrent POST /api/cases,
 * each with its own Idempotency-Key, and the server killed (SIGKILL, no
 * shutdown of any kind) once a fifth of them were answered. After a restart
 * every report that got a 2xx is in the database whole — the case, its
 * report and dispatch actions, its lead party, its audit row, its
 * notifications — no case anywhere lacks its report action, and a client
 * that retries what got no answer, with the same key, ends with exactly one
 * case per report.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkAuditChain, verifyAuditChain } from "../../src/server/modules/audit/audit.service.js";
import {
  createPgTestDatabase,
  type HttpSession,
  httpLogin,
  type PgTestDatabase,
  pointInDemoGrid,
  postgresStatus,
  reportSkipped,
  type ServerProcess,
  startServer,
  theftReport,
} from "./support.js";

const pgStatus = await postgresStatus();
reportSkipped("crash.test.ts", pgStatus);

const BURST = 300;
const KILL_AFTER = 60;

describe.skipIf(!pgStatus.ok)("kill -9 during a burst of case reports (PostgreSQL)", () => {
  let database: PgTestDatabase;
  let first: ServerProcess;
  let second: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createPgTestDatabase();
    first = await startServer({ DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await database?.close();
  });

  it("keeps every acknowledged report whole, and a retry with the same key makes exactly one case of each", async () => {
    const db = database.database.db;
    const run = randomBytes(3).toString("hex");
    const resident: HttpSession = await httpLogin(first.base, "resident");
    const place = await pointInDemoGrid(first.base);
    const key = (i: number) => `burst-${run}-${i}`;
    const report = (i: number) => theftReport(place, `崩溃演练 ${run} 第${i}份：楼道电瓶车被偷`);

    // The burst, and kill -9 as soon as KILL_AFTER reports were acknowledged.
    const acked = new Map<number, string>();
    const otherStatuses: number[] = [];
    let killed = false;
    const burst = Array.from({ length: BURST }, (_, i) =>
      resident
        .call(first.base, "POST", "/api/cases", report(i), { "idempotency-key": key(i) })
        .then(
          (res) => {
            if (res.status === 201) acked.set(i, res.body.id);
            else otherStatuses.push(res.status);
            if (!killed && acked.size >= KILL_AFTER) {
              killed = true;
              process.kill(first.pid, "SIGKILL");
            }
          },
          () => {},
        ),
    );
    await Promise.all(burst);
    const exit = await first.exited;
    expect(exit.signal).toBe("SIGKILL");
    const unanswered = Array.from({ length: BURST }, (_, i) => i).filter((i) => !acked.has(i));
    // The kill did land mid-burst.
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(unanswered.length).toBeGreaterThan(0);
    expect(otherStatuses).toEqual([]);

    second = await startServer({ DATABASE_URL: database.url });
    const restarted = second;

    // Every acknowledged report is there, whole.
    const ids = [...acked.values()];
    const { rows } = await sql<{
      id: string;
      description: string;
      status: string;
      reports: number;
      dispatches: number;
      leads: number;
      audits: number;
      notifications: number;
    }>`
      SELECT c.id, c.description, c.status,
        (SELECT count(*)::int FROM case_actions a WHERE a.case_id = c.id AND a.action = 'report') AS reports,
        (SELECT count(*)::int FROM case_actions a WHERE a.case_id = c.id AND a.action = 'dispatch') AS dispatches,
        (SELECT count(*)::int FROM case_parties p WHERE p.case_id = c.id AND p.role = 'lead') AS leads,
        (SELECT count(*)::int FROM audit_log l
          WHERE l.subject_type = 'case' AND l.subject_id = c.id::text AND l.action = 'case.reported') AS audits,
        (SELECT count(*)::int FROM notifications n WHERE n.case_id = c.id) AS notifications
      FROM cases c WHERE c.id = ANY(${ids}::bigint[])`.execute(db);
    expect(rows).toHaveLength(ids.length);
    const expectedNotifications = rows[0]?.notifications ?? 0;
    expect(expectedNotifications).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.description).toContain(`崩溃演练 ${run}`);
      expect(r, `case ${r.id}`).toMatchObject({
        status: "dispatched",
        reports: 1,
        dispatches: 1,
        leads: 1,
        audits: 1,
        notifications: expectedNotifications,
      });
    }

    // Nothing half-written anywhere: every case has its report action, every
    // case of the burst its key, dispatch, lead, audit row and notifications.
    const invariants = async () =>
      (
        await sql<{
          without_report: number;
          burst_cases: number;
          burst_keys: number;
          burst_incomplete: number;
        }>`
          SELECT
            (SELECT count(*)::int FROM cases c WHERE NOT EXISTS
              (SELECT 1 FROM case_actions a WHERE a.case_id = c.id AND a.action = 'report')) AS without_report,
            (SELECT count(*)::int FROM cases WHERE description LIKE ${`崩溃演练 ${run} %`}) AS burst_cases,
            (SELECT count(*)::int FROM idempotency_keys WHERE key LIKE ${`burst-${run}-%`}) AS burst_keys,
            (SELECT count(*)::int FROM cases c WHERE c.description LIKE ${`崩溃演练 ${run} %`} AND (
              NOT EXISTS (SELECT 1 FROM case_actions a WHERE a.case_id = c.id AND a.action = 'dispatch')
              OR NOT EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.role = 'lead')
              OR NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.subject_type = 'case'
                AND l.subject_id = c.id::text AND l.action = 'case.reported')
              OR (SELECT count(*) FROM notifications n WHERE n.case_id = c.id) <> ${expectedNotifications}
            )) AS burst_incomplete`.execute(db)
      ).rows[0];
    const afterCrash = await invariants();
    expect(afterCrash?.without_report).toBe(0);
    expect(afterCrash?.burst_incomplete).toBe(0);
    // Each case of the burst was committed with its key, in one transaction.
    expect(afterCrash?.burst_keys).toBe(afterCrash?.burst_cases);
    // Committed but never answered: the kill came between the commit and the reply.
    const committedUnanswered = (afterCrash?.burst_cases ?? 0) - acked.size;
    expect(committedUnanswered).toBeGreaterThanOrEqual(0);

    // The client retries what got no answer, with the same keys, on the restarted server.
    let replayed = 0;
    const retried = new Map<number, string>();
    for (let i = 0; i < unanswered.length; i += 50) {
      await Promise.all(
        unanswered.slice(i, i + 50).map(async (n) => {
          const res = await resident.call(restarted.base, "POST", "/api/cases", report(n), {
            "idempotency-key": key(n),
          });
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          if (res.headers.get("idempotent-replayed") === "true") replayed++;
          retried.set(n, res.body.id);
        }),
      );
    }
    // Those committed before the kill come back as they were, not twice.
    expect(replayed).toBe(committedUnanswered);
    // A retry of an acknowledged one answers with the same case.
    const [n0, id0] = [...acked.entries()][0] as [number, string];
    const again = await resident.call(restarted.base, "POST", "/api/cases", report(n0), {
      "idempotency-key": key(n0),
    });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(id0);

    const final = await invariants();
    expect(final).toEqual({
      without_report: 0,
      burst_cases: BURST,
      burst_keys: BURST,
      burst_incomplete: 0,
    });
    expect(new Set([...acked.values(), ...retried.values()]).size).toBe(BURST);

    // The audit trail links up across the crash.
    await linkAuditChain(db);
    const chain = await verifyAuditChain(db);
    expect(chain.ok, JSON.stringify(chain)).toBe(true);

    console.info(
      `[resilience] kill -9: ${BURST} concurrent reports, ${acked.size} acknowledged before the kill, ` +
        `${committedUnanswered} committed but unanswered (replayed on retry), ` +
        `${unanswered.length - committedUnanswered} not committed (created on retry); all ${BURST} whole`,
    );
  }, 60_000);
});
