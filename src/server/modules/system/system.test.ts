import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type TestApp } from "../../../../test/test-app.js";
import { TEST_ENGINE } from "../../../../test/test-database-config.js";
import { runAuthCleanup } from "../../jobs/auth-cleanup.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("system endpoints", () => {
  it("health names the engine", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: "ok",
      database: TEST_ENGINE,
      version: t.config.version,
      // this server's live-update streams: none open in this test
      live: {
        connections: 0,
        droppedSlowClients: 0,
        sharedBusConnected: expect.any(Boolean),
      },
    });
  });

  it("meta is public and names the district", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/meta" });
    expect(res.json()).toMatchObject({
      district: { code: "320505", name: "虎丘区" },
      mapTileUrl: null,
      importMaxBytes: t.config.importMaxBytes,
    });
  });

  it("serves the district's outline publicly, for reporters without an account", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/district.geojson" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toContain("public");
    const f = res.json();
    expect(f.type).toBe("Feature");
    expect(f.properties.code).toMatch(/^\d{6}$/);
    expect(f.geometry.type).toMatch(/Polygon/);
  });

  it("serves the OpenAPI document and the docs UI", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      "/api/auth/login",
      "/api/areas",
      "/api/areas/{code}",
      "/api/admin/tokens",
      "/api/admin/users",
      "/api/health",
      "/api/residents/{id}",
      "/api/units/{id}",
      "/api/units/map",
      "/api/organisations/{id}",
      "/api/imports/{id}",
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    // The base-data lists share one shape: {items, total}.
    for (const p of ["/api/residents", "/api/units", "/api/organisations", "/api/imports"]) {
      const schema = doc.paths[p]?.get?.responses?.["200"]?.content?.["application/json"]?.schema;
      expect(schema?.properties, p).toMatchObject({
        items: { type: "array" },
        total: { type: expect.stringMatching(/integer|number/) },
      });
    }
    const ui = await t.app.inject({ method: "GET", url: "/api/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers["content-type"]).toContain("text/html");
  });

  it("an unknown route answers a JSON 404 with the request id, echoing a given one", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/nothing-here",
      headers: { "x-request-id": "test-req-12345" },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers["x-request-id"]).toBe("test-req-12345");
    expect(res.json().error).toMatchObject({ id: "not_found", requestId: "test-req-12345" });
  });

  it("refuses a body that is not JSON", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: "username=admin",
      headers: { "content-type": "text/plain" },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.id).toBe("validation");
  });

  it("the audit trail is readable by coordinators, filtered, newest first", async () => {
    await login(t.app, "officer");
    const coord = await login(t.app, "coordinator");
    const res = await coord.request({ method: "GET", url: "/api/audit?action=auth.login&limit=5" });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((i: { action: string }) => i.action === "auth.login")).toBe(true);
    expect(Number(items[0].id)).toBeGreaterThan(Number(items[1].id));
    const officer = await login(t.app, "officer");
    expect((await officer.request({ method: "GET", url: "/api/audit" })).statusCode).toBe(403);
  });

  it("auth cleanup forgets expired sessions and old failures, and can run twice", async () => {
    const s = await login(t.app, "gridworker");
    await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "ghost", password: "nope-123456" },
    });
    const later = new Date(Date.now() + (t.config.sessionAbsoluteHours + 1) * 3600_000);
    const first = await runAuthCleanup(t.database.db, t.config, later);
    expect(first.sessions).toBeGreaterThanOrEqual(1);
    expect(first.failures).toBeGreaterThanOrEqual(1);
    expect(await runAuthCleanup(t.database.db, t.config, later)).toEqual({
      sessions: 0,
      failures: 0,
    });
    expect((await s.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
  });
});

describe("failures", () => {
  it("a 5xx never shows internals, and health says the database is down", async () => {
    const broken = await createTestApp();
    const s = await login(broken.app, "coordinator");
    await broken.database.close();
    try {
      const res = await s.request({ method: "GET", url: "/api/areas" });
      expect([500, 503]).toContain(res.statusCode);
      const body = res.json();
      expect(["internal", "unavailable"]).toContain(body.error.id);
      expect(body.error.message).not.toMatch(/pglite|postgres|closed|stack|at /i);
      expect(body.error.requestId).toBeTruthy();
      const health = await broken.app.inject({ method: "GET", url: "/api/health" });
      expect(health.statusCode).toBe(503);
      expect(health.json().status).toBe("unavailable");
    } finally {
      await broken.app.close();
    }
  });
});
