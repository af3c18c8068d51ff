/**
 * The enterprise manager (企业负责人): everything the enterprise's officer may
 * do, plus its staff accounts (list, create officers, deactivate and
 * reactivate, never the last active manager) and signing payroll
 * declarations. Scoped to the manager's own enterprise; every step audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { hashPassword } from "../auth/password.js";

let t: TestApp;
let admin: Session;
let coordinator: Session;
let officer: Session;
let manager: Session;
let association: Session;
let ownId = "";
let otherId = "";
let managerId = "";
const PASSWORD = "Staff-pass-2026";

const staffUrl = (id = ownId) => `/api/enterprises/${id}/staff`;

/** An account with the given grants, made directly (not through the API under test). */
async function account(
  username: string,
  grants: { role: string; organisation_id?: string; area_id?: string }[],
) {
  const db = t.database.db;
  const u = await db
    .insertInto("users")
    .values({
      username,
      password_hash: await hashPassword(PASSWORD),
      display_name: username,
      phone_enc: null,
      phone_masked: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const g of grants)
    await db
      .insertInto("role_grants")
      .values({
        user_id: u.id,
        role: g.role,
        scope_kind: g.organisation_id ? "organisation" : "area",
        ...(g.organisation_id ? { organisation_id: g.organisation_id } : {}),
        ...(g.area_id ? { area_id: g.area_id } : {}),
      })
      .execute();
  return u.id;
}

async function auditRows(action: string, subjectId: string) {
  return t.database.db
    .selectFrom("audit_log")
    .select(["action", "actor_user_id", "details"])
    .where("action", "=", action)
    .where("subject_id", "=", subjectId)
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, coordinator, officer, manager, association] = (await Promise.all(
    ["admin", "coordinator", "enterprise", "enterprise-manager", "association"].map((u) =>
      login(t.app, u),
    ),
  )) as [Session, Session, Session, Session, Session];
  const me = (await manager.request({ method: "GET", url: "/api/auth/me" })).json();
  managerId = me.user.id;
  ownId = me.grants[0].scope.id;
  const list = (
    await coordinator.request({ method: "GET", url: "/api/enterprises?limit=50" })
  ).json();
  otherId = list.items.find((e: { id: string }) => e.id !== ownId).id;
});
afterAll(() => t.close());

describe("the demo manager", () => {
  it("manages the same enterprise as the demo officer, as 企业负责人", async () => {
    const me = (await manager.request({ method: "GET", url: "/api/auth/me" })).json();
    expect(me.grants).toHaveLength(1);
    expect(me.grants[0]).toMatchObject({ role: "enterprise_manager", scopeKind: "organisation" });
    const officerMe = (await officer.request({ method: "GET", url: "/api/auth/me" })).json();
    expect(officerMe.grants[0].scope.id).toBe(ownId);
    expect(me.user.displayName).toMatch(/^王经理/);
  });

  it("has the officer's rights on its own enterprise, and sees no other", async () => {
    const list = (await manager.request({ method: "GET", url: "/api/enterprises" })).json();
    expect(list.items.map((e: { id: string }) => e.id)).toEqual([ownId]);
    const own = await manager.request({ method: "GET", url: `/api/enterprises/${ownId}` });
    expect(own.statusCode).toBe(200);
    expect(own.json().allowedActions).toEqual(
      expect.arrayContaining(["manageSites", "manageEmployees", "assignDormitory", "manageStaff"]),
    );
    // The officer has the same workspace, without the staff accounts.
    const asOfficer = (
      await officer.request({ method: "GET", url: `/api/enterprises/${ownId}` })
    ).json();
    expect(asOfficer.allowedActions).not.toContain("manageStaff");
    for (const path of ["", "/employees", "/dormitories", "/payroll", "/risk", "/staff"]) {
      const res = await manager.request({
        method: "GET",
        url: `/api/enterprises/${otherId}${path}`,
      });
      expect(res.statusCode, path).toBe(404);
    }
    for (const path of ["/employees", "/dormitories", "/payroll", "/risk", "/tasks"]) {
      const res = await manager.request({ method: "GET", url: `/api/enterprises/${ownId}${path}` });
      expect(res.statusCode, path).toBe(200);
    }
    // Inspections and hazards: the enterprise's own, as for its officer.
    const mine = await manager.request({ method: "GET", url: "/api/hazards?limit=5" });
    const theirs = await officer.request({ method: "GET", url: "/api/hazards?limit=5" });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().total).toBe(theirs.json().total);
  });
});

describe("staff routes", () => {
  it("need a caller", async () => {
    const body = { username: "nobody-here", displayName: "某某", password: PASSWORD };
    for (const [method, url, payload] of [
      ["GET", staffUrl("1"), undefined],
      ["POST", staffUrl("1"), body],
      ["POST", `${staffUrl("1")}/1/deactivate`, undefined],
      ["POST", `${staffUrl("1")}/1/reactivate`, undefined],
    ] as const) {
      const res = await t.app.inject({ method, url, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it("are the manager's (and an admin's of the area): the officer and government staff are refused, others see nothing", async () => {
    expect((await officer.request({ method: "GET", url: staffUrl() })).statusCode).toBe(403);
    expect((await coordinator.request({ method: "GET", url: staffUrl() })).statusCode).toBe(403);
    expect((await association.request({ method: "GET", url: staffUrl() })).statusCode).toBe(404);
    expect((await admin.request({ method: "GET", url: staffUrl() })).statusCode).toBe(200);
    const create = await officer.request({
      method: "POST",
      url: staffUrl(),
      payload: { username: "sneaky-officer", displayName: "某某", password: PASSWORD },
    });
    expect(create.statusCode).toBe(403);
  });

  it("lists the enterprise's officers and managers, managers first; the only manager cannot be deactivated", async () => {
    const res = await manager.request({ method: "GET", url: staffUrl() });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.activeManagers).toBe(1);
    expect(body.items[0]).toMatchObject({
      username: "enterprise-manager",
      role: "enterprise_manager",
      status: "active",
      self: true,
      allowedActions: [],
    });
    expect(body.items).toContainEqual(
      expect.objectContaining({
        username: "enterprise",
        role: "enterprise_officer",
        self: false,
        allowedActions: ["deactivate"],
      }),
    );
  });
});

describe("creating an officer account", () => {
  it("refuses bad input with the fields named, and a username in use", async () => {
    const bad = await manager.request({
      method: "POST",
      url: staffUrl(),
      payload: { username: "A b", displayName: "", password: "short", phone: "12345" },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(["body.username", "body.displayName", "body.password", "body.phone"]),
    );
    const taken = await manager.request({
      method: "POST",
      url: staffUrl(),
      payload: { username: "enterprise", displayName: "重名", password: PASSWORD },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details[0].path).toBe("body.username");
    const elsewhere = await manager.request({
      method: "POST",
      url: staffUrl(otherId),
      payload: { username: "elsewhere-officer", displayName: "别家", password: PASSWORD },
    });
    expect(elsewhere.statusCode).toBe(404);
    const none = await t.database.db
      .selectFrom("users")
      .select("id")
      .where("username", "in", ["elsewhere-officer", "a b"])
      .execute();
    expect(none).toHaveLength(0);
  });

  it("opens an account that signs in as the enterprise's officer, audited", async () => {
    const res = await manager.request({
      method: "POST",
      url: staffUrl(),
      payload: {
        username: "Li.Ming",
        displayName: " 李明 ",
        password: PASSWORD,
        phone: "13912345678",
        email: "liming@example.com",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      username: "li.ming",
      displayName: "李明",
      role: "enterprise_officer",
      status: "active",
      phone: "139****5678",
      allowedActions: ["deactivate"],
    });
    expect(created.email).not.toContain("liming@");
    const li = await login(t.app, "li.ming", PASSWORD);
    const me = (await li.request({ method: "GET", url: "/api/auth/me" })).json();
    expect(me.grants).toEqual([
      expect.objectContaining({
        role: "enterprise_officer",
        scope: expect.objectContaining({ id: ownId }),
      }),
    ]);
    expect((await li.request({ method: "GET", url: `/api/enterprises/${ownId}` })).statusCode).toBe(
      200,
    );
    const audit = await auditRows("enterprise.staff_created", created.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_user_id).toBe(managerId);
    expect(audit[0]?.details).toMatchObject({ organisationId: ownId, username: "li.ming" });
  });
});

describe("deactivating and reactivating", () => {
  it("ends the officer's sessions and sign-in, and brings them back, audited", async () => {
    const id = await account("ent-officer-a", [
      { role: "enterprise_officer", organisation_id: ownId },
    ]);
    const session = await login(t.app, "ent-officer-a", PASSWORD);
    const off = await manager.request({ method: "POST", url: `${staffUrl()}/${id}/deactivate` });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ status: "disabled", allowedActions: ["reactivate"] });
    expect((await session.request({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
    await expect(login(t.app, "ent-officer-a", PASSWORD)).rejects.toThrow();
    const twice = await manager.request({ method: "POST", url: `${staffUrl()}/${id}/deactivate` });
    expect(twice.statusCode).toBe(409);
    const on = await manager.request({ method: "POST", url: `${staffUrl()}/${id}/reactivate` });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().status).toBe("active");
    await login(t.app, "ent-officer-a", PASSWORD);
    const [d] = await auditRows("enterprise.staff_deactivated", id);
    expect(d?.details).toMatchObject({ organisationId: ownId, from: "active", to: "disabled" });
    expect(d?.actor_user_id).toBe(managerId);
    expect(await auditRows("enterprise.staff_reactivated", id)).toHaveLength(1);
  });

  it("never touches another enterprise's staff, nor an account with other grants", async () => {
    const theirs = await account("other-ent-officer", [
      { role: "enterprise_officer", organisation_id: otherId },
    ]);
    for (const url of [
      `${staffUrl()}/${theirs}/deactivate`,
      `${staffUrl(otherId)}/${theirs}/deactivate`,
      `${staffUrl()}/999999999/deactivate`,
    ]) {
      const res = await manager.request({ method: "POST", url });
      expect(res.statusCode, url).toBe(404);
    }
    const grid = await t.database.db
      .selectFrom("areas")
      .select("id")
      .where("level", "=", "grid")
      .orderBy("code")
      .executeTakeFirstOrThrow();
    const both = await account("officer-and-gridworker", [
      { role: "enterprise_officer", organisation_id: ownId },
      { role: "grid_worker", area_id: grid.id },
    ]);
    const res = await manager.request({ method: "POST", url: `${staffUrl()}/${both}/deactivate` });
    expect(res.statusCode).toBe(409);
    const statuses = await t.database.db
      .selectFrom("users")
      .select("status")
      .where("id", "in", [theirs, both])
      .execute();
    expect(statuses.every((s) => s.status === "active")).toBe(true);
    expect(await auditRows("enterprise.staff_deactivated", theirs)).toHaveLength(0);
  });

  it("keeps the last active manager: alone they cannot leave; with a second, one of a race wins", async () => {
    const self = await manager.request({
      method: "POST",
      url: `${staffUrl()}/${managerId}/deactivate`,
    });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.message).toMatch(/last active manager/);
    // A second manager, given by an admin through the admin API.
    const u = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "second-manager",
        displayName: "周经理",
        password: PASSWORD,
        grants: [{ role: "enterprise_manager", organisationId: ownId }],
      },
    });
    expect(u.statusCode, u.body).toBe(201);
    const secondId = u.json().id;
    const second = await login(t.app, "second-manager", PASSWORD);
    const list = (await second.request({ method: "GET", url: staffUrl() })).json();
    expect(list.activeManagers).toBe(2);
    expect(list.items.find((s: { id: string }) => s.id === managerId).allowedActions).toEqual([
      "deactivate",
    ]);
    // Each deactivates the other at once: exactly one succeeds.
    const [a, b] = await Promise.all([
      manager.request({ method: "POST", url: `${staffUrl()}/${secondId}/deactivate` }),
      second.request({ method: "POST", url: `${staffUrl()}/${managerId}/deactivate` }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    // The loser either finds itself the last manager (409) or already signed out (401).
    expect(codes[0]).toBe(200);
    expect([401, 409]).toContain(codes[1]);
    const active = await t.database.db
      .selectFrom("users")
      .select("id")
      .where("id", "in", [managerId, secondId])
      .where("status", "=", "active")
      .execute();
    expect(active).toHaveLength(1);
    // Put the demo manager back for the tests below (an admin may).
    if (active[0]?.id !== managerId) {
      const back = await admin.request({
        method: "POST",
        url: `${staffUrl()}/${managerId}/reactivate`,
      });
      expect(back.statusCode, back.body).toBe(200);
    }
    manager = await login(t.app, "enterprise-manager");
  });
});

describe("granting the manager role", () => {
  it("refuses it on an association, clearly", async () => {
    const assoc = await t.database.db
      .selectFrom("organisations")
      .select("id")
      .where("kind", "=", "association")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const res = await admin.request({
      method: "POST",
      url: "/api/admin/users",
      payload: {
        username: "assoc-manager",
        displayName: "某协会",
        password: PASSWORD,
        grants: [{ role: "enterprise_manager", organisationId: assoc.id }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/granted on an enterprise, not an association/);
    expect(res.json().error.details[0].path).toBe("body.grants.0");
  });
});

describe("signing the payroll declaration", () => {
  it("records the manager's signature once; the officer cannot sign; a correction clears it", async () => {
    const list = await manager.request({ method: "GET", url: `/api/enterprises/${ownId}/payroll` });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().allowedActions).toEqual(["declare", "correct", "sign"]);
    const asOfficer = await officer.request({
      method: "GET",
      url: `/api/enterprises/${ownId}/payroll`,
    });
    expect(asOfficer.json().allowedActions).toEqual(["declare", "correct"]);
    const d = list.json().items[0];
    expect(d.signedAt).toBeNull();
    const url = `/api/enterprises/${ownId}/payroll/${d.period}/sign`;
    expect(
      (await officer.request({ method: "POST", url, payload: { version: d.version } })).statusCode,
    ).toBe(403);
    expect(
      (await manager.request({ method: "POST", url, payload: { version: d.version + 1 } }))
        .statusCode,
    ).toBe(409);
    const signed = await manager.request({ method: "POST", url, payload: { version: d.version } });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().signedBy).toMatch(/^王经理/);
    expect(signed.json().signedAt).not.toBeNull();
    const again = await manager.request({ method: "POST", url, payload: { version: d.version } });
    expect(again.statusCode).toBe(409);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["details", "actor_user_id"])
      .where("action", "=", "payroll.signed")
      .where("subject_id", "=", ownId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ period: d.period, version: d.version });
    // The officer corrects the month: the signature is gone, to be given again.
    const corrected = await officer.request({
      method: "PUT",
      url: `/api/enterprises/${ownId}/payroll/${d.period}`,
      payload: {
        paidOnTime: d.paidOnTime,
        paidOn: d.paidOn,
        headcountPaid: d.headcountPaid,
        amountDue: d.amountDue,
        amountPaid: d.amountPaid,
        note: "补充说明",
        version: d.version,
        reason: "补充备注",
      },
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().declaration).toMatchObject({ signedBy: null, signedAt: null });
    const resigned = await manager.request({
      method: "POST",
      url,
      payload: { version: d.version + 1 },
    });
    expect(resigned.statusCode, resigned.body).toBe(200);
  });
});
