import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { verifyAuditChain } from "../audit/audit.service.js";

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin");
});
afterAll(() => t.close());

const NEW_PASSWORD = "Worker-pass-2026";

describe("account administration", () => {
  it("is for admins only", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/admin/users" })).statusCode).toBe(401);
    const coord = await login(t.app, "coordinator");
    expect((await coord.request({ method: "GET", url: "/api/admin/users" })).statusCode).toBe(403);
  });

  it("lists, searches, filters and sorts accounts", async () => {
    const all = await admin.request({
      method: "GET",
      url: "/api/admin/users?limit=3&sort=username",
    });
    expect(all.statusCode).toBe(200);
    // The seven demo staff accounts (the enterprise's officer and its manager
    // among them), and the residents' (the demo resident, and the volunteers
    // and proposers other seeds give accounts).
    const residents = await admin.request({
      method: "GET",
      url: "/api/admin/users?role=resident&limit=1",
    });
    expect(residents.json().total).toBeGreaterThanOrEqual(1);
    expect(all.json().total).toBe(7 + residents.json().total);
    expect(all.json().items[0].phone).toBeNull();
    expect(all.json().items.map((u: { username: string }) => u.username)).toEqual([
      "admin",
      "association",
      "coordinator",
    ]);
    const byRole = await admin.request({ method: "GET", url: "/api/admin/users?role=grid_worker" });
    expect(byRole.json().items).toHaveLength(1);
    expect(byRole.json().items[0].grants[0]).toMatchObject({
      role: "grid_worker",
      scope: { level: "grid" },
    });
    const search = await admin.request({
      method: "GET",
      url: `/api/admin/users?q=${encodeURIComponent("刘洋（新市民）")}`,
    });
    expect(search.json().items.map((u: { username: string }) => u.username)).toEqual(["resident"]);
  });

  it("creates an account with a scoped grant, which can then log in with it", async () => {
    const res = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "Zhang.Wei",
        displayName: "张伟",
        password: NEW_PASSWORD,
        grants: [{ role: "coordinator", areaCode: "320505002" }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      username: "zhang.wei",
      status: "active",
      grants: [{ role: "coordinator", scope: { code: "320505002" } }],
    });
    const s = await login(t.app, "zhang.wei", NEW_PASSWORD);
    const me = await s.request({ method: "GET", url: "/api/auth/me" });
    expect(me.json().permissions).toContain("areas.edit");
  });

  it("keeps an account's optional phone encrypted and shows it masked", async () => {
    const res = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "hotline.op",
        displayName: "热线接线员",
        password: NEW_PASSWORD,
        phone: "139 1234 5678",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().phone).toBe("139****5678");
    const row = await t.database.db
      .selectFrom("users")
      .selectAll()
      .where("username", "=", "hotline.op")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain("13912345678");
    expect(t.fieldCrypto.decrypt(row.phone_enc as string, "users.phone")).toBe("13912345678");
    const bad = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: { username: "bad.phone", displayName: "x", password: NEW_PASSWORD, phone: "12345" },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("sets, changes and clears an account's e-mail address, one account per address", async () => {
    const res = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "mail.user",
        displayName: "邮件用户",
        password: NEW_PASSWORD,
        email: " Mail.User@Example.com ",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().email).toBe("Mail.User@Example.com");
    const id = res.json().id as string;

    // The same address in another case belongs to the same mailbox.
    const taken = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "mail.user2",
        displayName: "x",
        password: NEW_PASSWORD,
        email: "mail.user@example.COM",
      },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toBe(
      "该邮箱地址已被其他账户使用 / this e-mail address is used by another account",
    );
    expect(taken.json().error.details).toEqual([
      { path: "body.email", message: "已被使用 / taken" },
    ]);

    const changed = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${id}`,
      payload: { email: "mail.user@example.org" },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().email).toBe("mail.user@example.org");
    // Its own address again, in another case, is no conflict.
    const same = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${id}`,
      payload: { email: "MAIL.USER@example.org" },
    });
    expect(same.statusCode, same.body).toBe(200);
    const officer = await t.database.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "officer")
      .executeTakeFirstOrThrow();
    const clash = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${officer.id}`,
      payload: { email: "mail.user@EXAMPLE.org" },
    });
    expect(clash.statusCode).toBe(409);

    const cleared = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${id}`,
      payload: { email: null },
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().email).toBeNull();
    const listed = await admin.request({ method: "GET", url: "/api/admin/users?q=mail.user" });
    expect(listed.json().items[0]).toMatchObject({ username: "mail.user", email: null });

    // The audit trail is append-only: it holds addresses masked.
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("subject_type", "=", "user")
      .where("subject_id", "=", id)
      .execute();
    const trail = JSON.stringify(audit);
    expect(trail).toContain("M***@Example.com");
    expect(trail).toContain("m***@example.org");
    expect(trail).not.toMatch(/mail\.user@/i);
  });

  it("refuses an implausible e-mail address with a clear message", async () => {
    for (const email of ["zhang.wei", "zhang@example", "zhang wei@example.com", ""]) {
      const res = await admin.request({
        method: "POST",
        url: "/api/admin/users",
        payload: { username: "bad.mail", displayName: "x", password: NEW_PASSWORD, email },
      });
      expect(res.statusCode, email).toBe(400);
      expect(res.json().error.id).toBe("validation");
      expect(res.json().error.message).toMatch(
        email
          ? /body\.email: 邮箱地址格式不正确.*not a valid e-mail address/
          : /body\.email: 请输入邮箱地址/,
      );
    }
    const officer = await t.database.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "officer")
      .executeTakeFirstOrThrow();
    const patch = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${officer.id}`,
      payload: { email: "officer@@example.com" },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.details).toEqual([
      {
        path: "body.email",
        message:
          "邮箱地址格式不正确，应如 name@example.com / not a valid e-mail address, expected something like name@example.com",
      },
    ]);
    // The database refuses one too, should anything write around the API.
    await expect(
      t.database.db
        .updateTable("users")
        .set({ email: "not an address" })
        .where("id", "=", officer.id)
        .execute(),
    ).rejects.toThrow(/users_email_plausible/);
    await t.database.db
      .updateTable("users")
      .set({ email: "dup@example.com" })
      .where("id", "=", officer.id)
      .execute();
    await expect(
      t.database.db
        .updateTable("users")
        .set({ email: "DUP@example.com" })
        .where("username", "=", "gridworker")
        .execute(),
    ).rejects.toThrow(/users_email_unique/);
    await t.database.db
      .updateTable("users")
      .set({ email: null })
      .where("id", "=", officer.id)
      .execute();
    expect(
      (
        await t.database.db
          .selectFrom("users")
          .select("id")
          .where("username", "=", "bad.mail")
          .execute()
      ).length,
    ).toBe(0);
  });

  it("refuses a taken username, a weak password and a grant of the wrong shape", async () => {
    const taken = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: { username: "officer", displayName: "x", password: NEW_PASSWORD },
    });
    expect(taken.statusCode).toBe(409);
    const weak = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: { username: "weak", displayName: "x", password: "123" },
    });
    expect(weak.statusCode).toBe(400);
    const wrongScope = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "w1",
        displayName: "x",
        password: NEW_PASSWORD,
        grants: [{ role: "department_officer", areaCode: "320505" }],
      },
    });
    expect(wrongScope.statusCode).toBe(400);
    expect(wrongScope.json().error.message).toContain("department");
    const unknownArea = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "w2",
        displayName: "x",
        password: NEW_PASSWORD,
        grants: [{ role: "grid_worker", areaCode: "999999999" }],
      },
    });
    expect(unknownArea.statusCode).toBe(400);
    const residentWithScope = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "w3",
        displayName: "x",
        password: NEW_PASSWORD,
        grants: [{ role: "resident", areaCode: "320505" }],
      },
    });
    expect(residentWithScope.statusCode).toBe(400);
    const none = await t.database.db
      .selectFrom("users")
      .select("id")
      .where("username", "in", ["weak", "w1", "w2", "w3"])
      .execute();
    expect(none).toHaveLength(0);
  });

  it("an admin of one street cannot grant beyond it", async () => {
    const created = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "street.admin",
        displayName: "街道管理员",
        password: NEW_PASSWORD,
        grants: [{ role: "admin", areaCode: "320505002" }],
      },
    });
    expect(created.statusCode).toBe(201);
    const sa = await login(t.app, "street.admin", NEW_PASSWORD);
    const inside = await sa.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "gw.inside",
        displayName: "网格员甲",
        password: NEW_PASSWORD,
        grants: [{ role: "coordinator", areaCode: "320505002" }],
      },
    });
    expect(inside.statusCode).toBe(201);
    const outside = await sa.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "gw.outside",
        displayName: "网格员乙",
        password: NEW_PASSWORD,
        grants: [{ role: "coordinator", areaCode: "320505001" }],
      },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toContain("scope");
  });

  it("disables an account (ending its sessions), re-activates and unlocks it", async () => {
    const officer = await login(t.app, "officer");
    const list = await admin.request({ method: "GET", url: "/api/admin/users?q=officer" });
    const id = list.json().items[0].id;
    const off = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${id}`,
      payload: { status: "disabled" },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().status).toBe("disabled");
    expect((await officer.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
    await t.database.db
      .updateTable("users")
      .set({ status: "locked", locked_until: new Date(Date.now() + 3600_000) })
      .where("id", "=", id)
      .execute();
    const on = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${id}`,
      payload: { status: "active" },
    });
    expect(on.json()).toMatchObject({ status: "active", lockedUntil: null });
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { username: "officer", password: "Gongzhi@2026" },
        })
      ).statusCode,
    ).toBe(200);
    const empty = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${id}`,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
  });

  it("will not let an admin disable themself or remove the last admin grant", async () => {
    const me = (await admin.request({ method: "GET", url: "/api/auth/me" })).json();
    const self = await admin.request({
      method: "PATCH",
      url: `/api/admin/users/${me.user.id}`,
      payload: { status: "disabled" },
    });
    expect(self.statusCode).toBe(409);
    // street.admin holds an admin grant too; take it away first, then the last one is protected.
    const sa = (
      await admin.request({ method: "GET", url: "/api/admin/users?q=street.admin" })
    ).json().items[0];
    expect(
      (
        await admin.request({
          method: "DELETE",
          url: `/api/admin/users/${sa.id}/grants/${sa.grants[0].id}`,
        })
      ).statusCode,
    ).toBe(204);
    const last = await admin.request({
      method: "DELETE",
      url: `/api/admin/users/${me.user.id}/grants/${me.grants[0].id}`,
    });
    expect(last.statusCode).toBe(409);
    expect(
      (
        await admin.request({
          method: "DELETE",
          url: `/api/admin/users/${me.user.id}/grants/999999`,
        })
      ).statusCode,
    ).toBe(404);
  });

  it("adds a grant and resets a password (ending the account's sessions)", async () => {
    const u = (await admin.request({ method: "GET", url: "/api/admin/users?q=gridworker" })).json()
      .items[0];
    const added = await admin.request({
      method: "POST",
      url: `/api/admin/users/${u.id}/grants`,
      payload: { role: "association_rep", organisationId: "1" },
    });
    // organisation 1 is an enterprise in the seed: the association role refuses it.
    expect(added.statusCode).toBe(400);
    const assoc = await t.database.db
      .selectFrom("organisations")
      .select("id")
      .where("kind", "=", "association")
      .executeTakeFirstOrThrow();
    const ok = await admin.request({
      method: "POST",
      url: `/api/admin/users/${u.id}/grants`,
      payload: { role: "association_rep", organisationId: assoc.id },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().grants.map((g: { role: string }) => g.role)).toEqual([
      "grid_worker",
      "association_rep",
    ]);

    const gw = await login(t.app, "gridworker");
    const reset = await admin.request({
      method: "POST",
      url: `/api/admin/users/${u.id}/password`,
      payload: { newPassword: NEW_PASSWORD },
    });
    expect(reset.statusCode).toBe(204);
    expect((await gw.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
    await login(t.app, "gridworker", NEW_PASSWORD);
    expect(
      (
        await admin.request({
          method: "POST",
          url: "/api/admin/users/999999/password",
          payload: { newPassword: NEW_PASSWORD },
        })
      ).statusCode,
    ).toBe(404);
  });

  it("every change is on the audit chain, and the chain holds", async () => {
    const actions = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("subject_type", "=", "user")
      .execute();
    const set = new Set(actions.map((a) => a.action));
    for (const a of [
      "user.created",
      "user.disabled",
      "user.activated",
      "user.grant_added",
      "user.grant_removed",
      "user.password_reset",
    ]) {
      expect(set.has(a), a).toBe(true);
    }
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});
