import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_MAX_FAILURES: "3", LOGIN_IP_MAX_FAILURES: "1000" } });
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url, payload: payload as object, headers });

describe("login", () => {
  it("returns the user, grants, permissions and a CSRF token, and sets a safe cookie", async () => {
    const res = await post("/api/auth/login", {
      username: "coordinator",
      password: "Gongzhi@2026",
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.username).toBe("coordinator");
    expect(body.grants).toEqual([
      expect.objectContaining({
        role: "coordinator",
        scopeKind: "area",
        scope: expect.objectContaining({ code: "320505" }),
      }),
    ]);
    expect(body.permissions).toContain("areas.edit");
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const cookie = res.cookies.find((c) => c.name === "gongzhi_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    expect(cookie?.path).toBe("/");
  });

  it("accepts the username in any case", async () => {
    const res = await post("/api/auth/login", { username: "Officer", password: "Gongzhi@2026" });
    expect(res.statusCode).toBe(200);
  });

  it("answers a wrong password and an unknown user with the same error", async () => {
    const wrong = await post("/api/auth/login", { username: "officer", password: "nope-nope-1" });
    const unknown = await post("/api/auth/login", { username: "nobody", password: "nope-nope-1" });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.id).toBe("unauthenticated");
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.json().error.requestId).toBeTruthy();
  });

  it("locks an account after repeated failures, with a clear message, even for the right password", async () => {
    for (let i = 0; i < 2; i++) {
      expect(
        (await post("/api/auth/login", { username: "association", password: "wrong-pass-1" }))
          .statusCode,
      ).toBe(401);
    }
    const third = await post("/api/auth/login", {
      username: "association",
      password: "wrong-pass-1",
    });
    expect(third.statusCode).toBe(403);
    expect(third.json().error.message).toContain("锁定");
    expect(third.json().error.details.reason).toBe("locked");
    const right = await post("/api/auth/login", {
      username: "association",
      password: "Gongzhi@2026",
    });
    expect(right.statusCode).toBe(403);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "user.locked")
      .execute();
    expect(audit.length).toBe(1);
  });

  it("unlocks by itself once the lock has run out", async () => {
    await t.database.db
      .updateTable("users")
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where("username", "=", "association")
      .execute();
    const res = await post("/api/auth/login", {
      username: "association",
      password: "Gongzhi@2026",
    });
    expect(res.statusCode).toBe(200);
    const u = await t.database.db
      .selectFrom("users")
      .selectAll()
      .where("username", "=", "association")
      .executeTakeFirstOrThrow();
    expect(u.status).toBe("active");
    expect(u.failed_logins).toBe(0);
  });

  it("refuses a disabled account only once the password is right", async () => {
    await t.database.db
      .updateTable("users")
      .set({ status: "disabled" })
      .where("username", "=", "enterprise")
      .execute();
    expect(
      (await post("/api/auth/login", { username: "enterprise", password: "bad-password-1" }))
        .statusCode,
    ).toBe(401);
    const res = await post("/api/auth/login", { username: "enterprise", password: "Gongzhi@2026" });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.reason).toBe("disabled");
    await t.database.db
      .updateTable("users")
      .set({ status: "active" })
      .where("username", "=", "enterprise")
      .execute();
  });

  it("rejects bad input with a validation error and changes nothing", async () => {
    const missing = await post("/api/auth/login", { username: "admin" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.id).toBe("validation");
    expect(missing.json().error.details[0].path).toContain("password");
    const extra = await post("/api/auth/login", { username: "admin", password: "x", admin: true });
    expect(extra.statusCode).toBe(400);
    const malformed = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toContain("JSON");
    const huge = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: JSON.stringify({ username: "admin", password: "x".repeat(2 * 1024 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.id).toBe("payload_too_large");
    const sessions = await t.database.db.selectFrom("sessions").select("id").execute();
    const before = sessions.length;
    expect((await post("/api/auth/login", { username: "", password: "" })).statusCode).toBe(400);
    expect((await t.database.db.selectFrom("sessions").select("id").execute()).length).toBe(before);
  });
});

describe("sessions", () => {
  it("me needs a session", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/auth/me" });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.id).toBe("unauthenticated");
  });

  it("me returns the same shape as login", async () => {
    const s = await login(t.app, "gridworker");
    const res = await s.request({ method: "GET", url: "/api/auth/me" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { username: "gridworker" },
      grants: [{ role: "grid_worker", scope: { level: "grid" } }],
      csrfToken: s.csrf,
    });
  });

  it("state-changing requests need the CSRF token", async () => {
    const s = await login(t.app, "officer");
    const without = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: s.cookie },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.message).toContain("CSRF");
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: s.cookie, "x-csrf-token": "x".repeat(43) },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await s.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(200);
    const out = await s.request({ method: "POST", url: "/api/auth/logout" });
    expect(out.statusCode).toBe(204);
    expect((await s.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
  });

  it("expires an idle session and an old one", async () => {
    const idle = await login(t.app, "officer");
    await t.database.db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(Date.now() - (t.config.sessionIdleMinutes + 1) * 60000) })
      .execute();
    expect((await idle.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
    const old = await login(t.app, "officer");
    await t.database.db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    expect((await old.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
  });

  it("a password change ends the other sessions and keeps this one", async () => {
    const a = await login(t.app, "resident");
    const b = await login(t.app, "resident");
    const weak = await a.request({
      method: "POST",
      url: "/api/auth/password",
      payload: { currentPassword: "Gongzhi@2026", newPassword: "short" },
    });
    expect(weak.statusCode).toBe(400);
    const wrongCurrent = await a.request({
      method: "POST",
      url: "/api/auth/password",
      payload: { currentPassword: "not-it-123", newPassword: "NewSecret2026" },
    });
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json().error.message).toContain("当前密码");
    const ok = await a.request({
      method: "POST",
      url: "/api/auth/password",
      payload: { currentPassword: "Gongzhi@2026", newPassword: "NewSecret2026" },
    });
    expect(ok.statusCode).toBe(204);
    expect((await a.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(200);
    expect((await b.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
    expect(
      (await post("/api/auth/login", { username: "resident", password: "Gongzhi@2026" }))
        .statusCode,
    ).toBe(401);
    expect(
      (await post("/api/auth/login", { username: "resident", password: "NewSecret2026" }))
        .statusCode,
    ).toBe(200);
  });
});

describe("API tokens", () => {
  it("only an admin manages tokens", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/admin/tokens" })).statusCode).toBe(401);
    const coord = await login(t.app, "coordinator");
    const res = await coord.request({
      method: "POST",
      url: "/api/admin/tokens",
      payload: { name: "x", scopes: ["areas:read"] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.id).toBe("forbidden");
  });

  it("rejects bad token requests", async () => {
    const admin = await login(t.app, "admin");
    const none = await admin.request({
      method: "POST",
      url: "/api/admin/tokens",
      payload: { name: "hotline", scopes: [] },
    });
    expect(none.statusCode).toBe(400);
    const unknown = await admin.request({
      method: "POST",
      url: "/api/admin/tokens",
      payload: { name: "hotline", scopes: ["root"] },
    });
    expect(unknown.statusCode).toBe(400);
  });

  it("creates a token shown once, stores only its hash, and revokes it", async () => {
    const admin = await login(t.app, "admin");
    const created = await admin.request({
      method: "POST",
      url: "/api/admin/tokens",
      payload: { name: "12345 热线", scopes: ["areas:read", "open311:write"] },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^gzt_/);
    const stored = await t.database.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);

    const list = await admin.request({ method: "GET", url: "/api/admin/tokens" });
    expect(list.json().total).toBeGreaterThanOrEqual(1);
    expect(list.body).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const areas = await t.app.inject({
      method: "GET",
      url: "/api/areas?level=street",
      headers: bearer,
    });
    expect(areas.statusCode).toBe(200);
    // A bearer request needs no CSRF token but only gets what its scopes allow.
    const tokens = await t.app.inject({ method: "GET", url: "/api/admin/tokens", headers: bearer });
    expect(tokens.statusCode).toBe(403);

    expect(
      (await admin.request({ method: "DELETE", url: `/api/admin/tokens/${id}` })).statusCode,
    ).toBe(204);
    const after = await t.app.inject({ method: "GET", url: "/api/areas", headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(
      (await admin.request({ method: "DELETE", url: "/api/admin/tokens/999999" })).statusCode,
    ).toBe(404);
    const actions = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("subject_type", "=", "api_token")
      .where("subject_id", "=", id)
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(["token.created", "token.revoked"]);
  });

  it("a made-up bearer token is refused", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/areas",
      headers: { authorization: "Bearer gzt_forged" },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe("per-address login limit", () => {
  it("answers 429 once an address has failed too often", async () => {
    const strict = await createTestApp({ env: { LOGIN_IP_MAX_FAILURES: "2" } });
    try {
      const attempt = () =>
        strict.app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { username: "ghost", password: "x-123456" },
        });
      expect((await attempt()).statusCode).toBe(401);
      expect((await attempt()).statusCode).toBe(401);
      const limited = await attempt();
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.id).toBe("rate_limited");
      expect(limited.headers["retry-after"]).toBeDefined();
    } finally {
      await strict.close();
    }
  });
});
