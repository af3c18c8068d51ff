import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { openStream, type SseStream, settle, until } from "../../../../test/sse-client.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { TEST_DATABASE_URL, TEST_ENGINE } from "../../../../test/test-database-config.js";
import { buildApp } from "../../app.js";
import { type Database, openDatabase } from "../../db/database.js";
import { LocalEventBus } from "./event-bus.js";
import {
  EVENTS_CHANNEL,
  eventPayloads,
  MAX_PAYLOAD_BYTES,
  type PgEventBus,
} from "./pg-event-bus.js";

describe("eventPayloads", () => {
  it("splits a long list of users over notifications of at most 7,900 bytes", () => {
    const userIds = Array.from({ length: 3000 }, (_, i) => String(100000000 + i));
    let seq = 0;
    const payloads = eventPayloads("origin", () => ++seq, { type: "notifications", userIds });
    expect(payloads.length).toBeGreaterThan(4);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const parsed = payloads.map((p) => JSON.parse(p));
    expect(parsed.flatMap((p) => p.e.userIds)).toEqual(userIds);
    // Every payload differs (PostgreSQL folds identical ones in a transaction).
    expect(new Set(parsed.map((p) => p.n)).size).toBe(payloads.length);
  });

  it("keeps a small event whole and gives up one that cannot be split", () => {
    let seq = 0;
    const small = eventPayloads("o", () => ++seq, { type: "case", caseId: "42", version: 3 });
    expect(small.map((p) => JSON.parse(p))).toEqual([
      { o: "o", n: 1, e: { type: "case", caseId: "42", version: 3 } },
    ]);
    const huge = { type: "dashboard" as const, topics: ["x".repeat(MAX_PAYLOAD_BYTES)] };
    expect(eventPayloads("o", () => ++seq, huge)).toEqual([]);
  });
});

describe.runIf(TEST_ENGINE === "postgresql")(
  "on PostgreSQL: two servers of one database share live events through LISTEN/NOTIFY",
  () => {
    let t: TestApp;
    let second: Database;
    let b: FastifyInstance;
    let baseA = "";
    let baseB = "";
    let coordinator: Session;
    let officer: Session;
    let resident: Session;
    const streams: SseStream[] = [];
    const busOf = (app: FastifyInstance) => app.events as PgEventBus;

    beforeAll(async () => {
      t = await createTestApp();
      const url = t.database.clientConfig?.connectionString;
      if (!url) throw new Error("the test database has no connection string");
      second = await openDatabase({ databaseUrl: url, poolSize: 3 });
      b = await buildApp({
        config: t.config,
        database: second,
        fieldCrypto: t.fieldCrypto,
        logger: false,
      });
      baseA = await t.app.listen({ host: "127.0.0.1", port: 0 });
      baseB = await b.listen({ host: "127.0.0.1", port: 0 });
      // Sessions live in the database: one login serves both servers.
      [coordinator, officer, resident] = await Promise.all([
        login(t.app, "coordinator"),
        login(t.app, "officer"),
        login(t.app, "resident"),
      ]);
      await until(() => busOf(t.app).connected && busOf(b).connected);
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await b.close();
      await second.close();
      await t.close();
    });

    function listen(base: string, s: Session, query = "") {
      const stream = openStream(base, s.cookie, query);
      streams.push(stream);
      return stream;
    }

    it("delivers an event published on one server to the streams of both, exactly once each", async () => {
      const onA = listen(baseA, coordinator, "?topics=dashboard");
      const onB = listen(baseB, coordinator, "?topics=dashboard");
      await until(() => onA.names().includes("ready") && onB.names().includes("ready"));
      t.app.events.publish({ type: "dashboard", topics: ["cases"] });
      await until(() => onA.count("dashboard") === 1 && onB.count("dashboard") === 1);
      b.events.publish({ type: "dashboard", topics: ["hazards"] });
      await until(() => onA.count("dashboard") === 2 && onB.count("dashboard") === 2);
      await settle(500);
      expect(onA.count("dashboard")).toBe(2);
      expect(onB.count("dashboard")).toBe(2);
      expect(busOf(t.app).stats.echoes).toBeGreaterThan(0);
      onA.close();
      onB.close();
    });

    it("tells an officer connected to one server of a case reported through the other, once", async () => {
      const officerOnB = listen(baseB, officer);
      await until(() => officerOnB.names().includes("ready"));
      const here = await pointInDemoGrid(t.app);
      const res = await resident.request({
        method: "POST",
        url: "/api/cases",
        payload: { categoryCode: "theft_fraud.theft", description: "车棚里的电瓶被偷了", ...here },
      });
      expect(res.statusCode, res.body).toBe(201);
      await until(() => officerOnB.count("notifications") === 1);
      await settle(500);
      expect(officerOnB.count("notifications")).toBe(1);
      officerOnB.close();
    });

    it("splits a long list of users and still tells each of them once", async () => {
      const officerOnB = listen(baseB, officer);
      await until(() => officerOnB.names().includes("ready"));
      const me = (await officer.request({ method: "GET", url: "/api/auth/me" })).json();
      const others = Array.from({ length: 2500 }, (_, i) => String(900000000 + i));
      const sent = busOf(t.app).stats.sent;
      t.app.events.publish({ type: "notifications", userIds: [...others, me.user.id] });
      await until(() => officerOnB.count("notifications") === 1);
      expect(busOf(t.app).stats.sent - sent).toBeGreaterThan(2);
      await settle(500);
      expect(officerOnB.count("notifications")).toBe(1);
      officerOnB.close();
    });

    it("never delivers a notification sent in a transaction that rolled back", async () => {
      const onB = listen(baseB, coordinator, "?topics=dashboard");
      await until(() => onB.names().includes("ready"));
      const payload = (topic: string) =>
        JSON.stringify({ o: "another-server", n: 1, e: { type: "dashboard", topics: [topic] } });
      await expect(
        t.database.db.transaction().execute(async (trx) => {
          await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload("rolled-back")})`.execute(trx);
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      await t.database.db
        .transaction()
        .execute((trx) =>
          sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload("committed")})`.execute(trx),
        );
      await until(() => onB.count("dashboard") === 1);
      await settle(300);
      const received = onB.messages.filter((m) => m.event === "dashboard");
      expect(received.map((m) => JSON.parse(m.data).topics)).toEqual([["committed"]]);
      onB.close();
    });

    it("reconnects its LISTEN connection after the backend is terminated, publishing locally meanwhile", async () => {
      const onB = listen(baseB, coordinator, "?topics=dashboard");
      await until(() => onB.names().includes("ready"));
      const bus = busOf(b);
      const pid = bus.listenerPid;
      expect(pid).toBeTypeOf("number");
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        const killed = await admin.query("SELECT pg_terminate_backend($1) AS ok", [pid]);
        expect(killed.rows[0].ok).toBe(true);
      } finally {
        await admin.end();
      }
      await until(() => !bus.connected, 2000);
      // Down: this server's own pages still hear of its changes.
      b.events.publish({ type: "dashboard", topics: ["while-down"] });
      await until(() => onB.count("dashboard") === 1);
      // Back by itself, on a new backend; events from the other server arrive again.
      await until(() => bus.connected, 5000);
      expect(bus.listenerPid).not.toBe(pid);
      expect(bus.stats.reconnects).toBeGreaterThanOrEqual(1);
      t.app.events.publish({ type: "dashboard", topics: ["after"] });
      await until(() => onB.count("dashboard") === 2);
      const health = await b.inject({ method: "GET", url: "/api/health" });
      expect(health.json().live.sharedBusConnected).toBe(true);
      onB.close();
    });
  },
);

describe.runIf(TEST_ENGINE === "pglite")(
  "on PGlite (one server per database, so no second server to share with): the in-process bus",
  () => {
    let t: TestApp;
    let base = "";
    let coordinator: Session;

    beforeAll(async () => {
      t = await createTestApp();
      base = await t.app.listen({ host: "127.0.0.1", port: 0 });
      coordinator = await login(t.app, "coordinator");
    });
    afterAll(() => t.close());

    it("delivers an event published on this server to each of its streams exactly once", async () => {
      expect(t.app.events).toBeInstanceOf(LocalEventBus);
      const one = openStream(base, coordinator.cookie, "?topics=dashboard");
      const two = openStream(base, coordinator.cookie, "?topics=dashboard");
      await until(() => one.names().includes("ready") && two.names().includes("ready"));
      t.app.events.publish({ type: "dashboard", topics: ["cases"] });
      await until(() => one.count("dashboard") === 1 && two.count("dashboard") === 1);
      await settle();
      expect([one.count("dashboard"), two.count("dashboard")]).toEqual([1, 1]);
      one.close();
      two.close();
    });
  },
);
