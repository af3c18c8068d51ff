import net from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { openStream, type SseStream, settle, until } from "../../../../test/sse-client.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let base = "";
let resident: Session;
let officer: Session;
let coordinator: Session;
let admin: Session;
let here: { lat: number; lng: number };
const streams: SseStream[] = [];

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  [resident, officer, coordinator, admin] = await Promise.all([
    login(t.app, "resident"),
    login(t.app, "officer"),
    login(t.app, "coordinator"),
    login(t.app, "admin"),
  ]);
  here = await pointInDemoGrid(t.app);
});
afterAll(async () => {
  for (const s of streams) s.close();
  await t.close();
});

function listen(s: Session, query = "") {
  const stream = openStream(base, s.cookie, query);
  streams.push(stream);
  return stream;
}

async function report(description: string) {
  const res = await resident.request({
    method: "POST",
    url: "/api/cases",
    payload: { categoryCode: "theft_fraud.theft", description, ...here },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function liveStats() {
  const res = await t.app.inject({ method: "GET", url: "/api/health" });
  return res.json().live as {
    connections: number;
    droppedSlowClients: number;
    sharedBusConnected: boolean;
  };
}

describe("GET /api/events", () => {
  it("tells an officer of a new case for their station, and a case page of changes to its case", async () => {
    const officerStream = listen(officer);
    await until(() => officerStream.names().includes("ready"));
    const c = await report("电动车电瓶被偷了两块");
    await until(() => officerStream.names().includes("notifications"));
    const page = listen(resident, `?caseId=${c.id}`);
    await until(() => page.names().includes("ready"));
    await officer.request({ method: "POST", url: `/api/cases/${c.id}/accept`, payload: {} });
    await until(() => page.names().includes("case"));
    expect(JSON.parse(page.messages.find((m) => m.event === "case")?.data ?? "")).toMatchObject({
      id: c.id,
    });
    const stats = await liveStats();
    expect(stats.connections).toBeGreaterThanOrEqual(2);
    expect(stats.sharedBusConnected).toBe(true);
    officerStream.close();
    page.close();
  });

  it("needs a login, and a case the caller may see", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/events" })).statusCode).toBe(401);
    const enterprise = await login(t.app, "enterprise");
    const c = await report("楼道里的自行车被偷了");
    const denied = await enterprise.request({ method: "GET", url: `/api/events?caseId=${c.id}` });
    expect(denied.statusCode).toBe(404);
  });

  it("sends the dashboard topic only to streams of coordination staff that asked for it", async () => {
    const refused = await officer.request({ method: "GET", url: "/api/events?topics=dashboard" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/coordination permission/);
    const unknown = await coordinator.request({ method: "GET", url: "/api/events?topics=weather" });
    expect(unknown.statusCode).toBe(400);

    const centre = listen(coordinator, "?topics=dashboard");
    const adminCentre = listen(admin, "?topics=dashboard");
    const coordinatorInbox = listen(coordinator);
    const officerInbox = listen(officer);
    const all = [centre, adminCentre, coordinatorInbox, officerInbox];
    await until(() => all.every((s) => s.names().includes("ready")));

    const before = Date.now();
    t.app.events.publish({ type: "dashboard", topics: ["cases", "hazards"] });
    await until(() => centre.count("dashboard") === 1 && adminCentre.count("dashboard") === 1);
    await settle();
    const data = JSON.parse(centre.messages.find((m) => m.event === "dashboard")?.data ?? "{}");
    expect(data.topics).toEqual(["cases", "hazards"]);
    expect(data.at).toBeGreaterThanOrEqual(before);
    expect(centre.count("dashboard")).toBe(1);
    expect(coordinatorInbox.count("dashboard")).toBe(0);
    expect(officerInbox.count("dashboard")).toBe(0);
    for (const s of all) s.close();
  });

  it("speaks plain HTTP/1.0 (no chunks) to a client that asks in it", async () => {
    const client = net.connect({ host: "127.0.0.1", port: Number(new URL(base).port) });
    let received = "";
    client.setEncoding("utf8");
    client.on("data", (d: string) => {
      received += d;
    });
    client.on("error", () => {});
    client.write(
      `GET /api/events?topics=dashboard HTTP/1.0\r\ncookie: ${coordinator.cookie}\r\n\r\n`,
    );
    await until(() => received.includes("event: ready"));
    t.app.events.publish({ type: "dashboard", topics: ["cases"] });
    await until(() => received.includes("event: dashboard"));
    const body = received.slice(received.indexOf("\r\n\r\n") + 4);
    expect(body).toMatch(
      /^retry: 5000\nevent: ready\ndata: \{\}\n\nevent: dashboard\ndata: \{"topics":\["cases"\],"at":\d+\}\n\n$/,
    );
    client.destroy();
  });

  it("never delivers what a transaction that rolled back would have announced", async () => {
    const c = await report("小区门口电动车被偷");
    const page = listen(resident, `?caseId=${c.id}`);
    await until(() => page.names().includes("ready"));
    // The accept is refused by the database at its last write (the audit row):
    // the case's changes, its notifications and its live event all go.
    await sql`CREATE FUNCTION test_refuse_accept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'case.accept' THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$`.execute(t.database.db);
    await sql`CREATE TRIGGER test_refuse_accept BEFORE INSERT ON audit_log
      FOR EACH ROW EXECUTE FUNCTION test_refuse_accept()`.execute(t.database.db);
    try {
      const failed = await officer.request({
        method: "POST",
        url: `/api/cases/${c.id}/accept`,
        payload: {},
      });
      expect(failed.statusCode).toBe(500);
    } finally {
      await sql`DROP TRIGGER test_refuse_accept ON audit_log`.execute(t.database.db);
      await sql`DROP FUNCTION test_refuse_accept()`.execute(t.database.db);
    }
    await settle();
    expect(page.count("case")).toBe(0);
    const unchanged = await resident.request({ method: "GET", url: `/api/cases/${c.id}` });
    expect(unchanged.json().status).not.toBe("accepted");

    // The same action committed is announced.
    const ok = await officer.request({
      method: "POST",
      url: `/api/cases/${c.id}/accept`,
      payload: {},
    });
    expect(ok.statusCode, ok.body).toBe(200);
    await until(() => page.count("case") === 1);
    page.close();
  });

  it("drops a client that does not read instead of buffering for it", async () => {
    await settle(); // streams closed by earlier tests are gone
    const before = await liveStats();
    // A client that sends its request and then never reads.
    const slow = net.connect({ host: "127.0.0.1", port: Number(new URL(base).port) });
    slow.on("error", () => {});
    await new Promise<void>((r) => slow.once("connect", () => r()));
    slow.write(
      `GET /api/events?topics=dashboard HTTP/1.1\r\nhost: localhost\r\ncookie: ${coordinator.cookie}\r\n\r\n`,
    );
    slow.pause();
    const reader = listen(coordinator, "?topics=dashboard");
    await until(() => reader.names().includes("ready"));
    let open = await liveStats();
    for (let i = 0; i < 50 && open.connections < before.connections + 2; i++) {
      await settle(20);
      open = await liveStats();
    }
    expect(open.connections).toBe(before.connections + 2);
    // Until the kernel's buffers are full the server cannot tell; then the
    // stream's own buffer passes 64 kB and it is dropped.
    const topic = "x".repeat(8 * 1024);
    let sent = 0;
    let now = before;
    while (sent < 4000 && now.droppedSlowClients === before.droppedSlowClients) {
      t.app.events.publish({ type: "dashboard", topics: [topic] });
      sent++;
      // One at a time, so that the client that reads keeps up.
      await new Promise((r) => setTimeout(r, 1));
      if (sent % 20 === 0) now = await liveStats();
    }
    now = await liveStats();
    expect(now.droppedSlowClients).toBe(before.droppedSlowClients + 1);
    expect(now.connections).toBe(before.connections + 1);
    // The dropped client finds its stream closed once it reads again.
    let slowClosed = false;
    slow.on("close", () => {
      slowClosed = true;
    });
    slow.on("data", () => {});
    slow.resume();
    await until(() => slowClosed, 5000);
    // The client that reads keeps its stream and gets everything.
    await until(() => reader.count("dashboard") === sent, 5000);
    expect(reader.ended()).toBe(false);
    reader.close();
    slow.destroy();
  });
});
