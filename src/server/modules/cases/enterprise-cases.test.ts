/**
 * Cases an enterprise raises (issue 6, item 5): the enterprise is on record
 * as the reporting organisation; its own officers and managers see the case
 * in their list and act on it as its reporter (comment, rate the outcome);
 * another enterprise sees nothing of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let officer: Session;
let enterprise: Session;
let manager: Session;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  [officer, enterprise, manager] = await Promise.all([
    login(t.app, "officer"),
    login(t.app, "enterprise"),
    login(t.app, "enterprise-manager"),
  ]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

const get = (s: Session, url: string) => s.request({ method: "GET", url });
const act = (s: Session, id: string, action: string, body: object = {}) =>
  s.request({ method: "POST", url: `/api/cases/${id}/${action}`, payload: body });

/** An officer account of another enterprise, made for the test. */
async function otherEnterpriseOfficer(): Promise<Session> {
  const admin = await login(t.app, "admin");
  const own = (await get(enterprise, "/api/auth/me")).json().grants[0].scope.id as string;
  const other = await t.database.db
    .selectFrom("organisations")
    .select("id")
    .where("kind", "=", "enterprise")
    .where("id", "!=", own)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const username = `other-ent-${Date.now() % 100000}`;
  const made = await admin.request({
    method: "POST",
    url: "/api/admin/users",
    payload: {
      username,
      displayName: "别家企业安全员",
      password: "Qiye2026abcd",
      grants: [{ role: "enterprise_officer", organisationId: String(other.id) }],
    },
  });
  expect(made.statusCode, made.body).toBe(201);
  return login(t.app, username, "Qiye2026abcd");
}

describe("a case an enterprise raises", () => {
  it("is the enterprise's to follow and rate; another enterprise sees nothing", async () => {
    const orgId = (await get(enterprise, "/api/auth/me")).json().grants[0].scope.id as string;
    const res = await enterprise.request({
      method: "POST",
      url: "/api/cases",
      payload: {
        categoryCode: "theft_fraud.theft",
        description: "厂区宿舍楼下电动车电瓶连续被盗，监控拍到可疑人员",
        ...here,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.channel).toBe("enterprise");

    // Its own people see it: the reporter among their reports, the manager in
    // the enterprise's list.
    for (const [s, inbox] of [
      [enterprise, "reported_by_me"],
      [manager, "all"],
    ] as const) {
      expect((await get(s, `/api/cases/${c.id}`)).statusCode).toBe(200);
      const list = (await get(s, `/api/cases?inbox=${inbox}`)).json();
      expect(list.items.map((x: { id: string }) => x.id)).toContain(c.id);
    }
    const db = t.database.db;
    const row = await db
      .selectFrom("cases")
      .select(["reporter_organisation_id"])
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(String(row.reporter_organisation_id)).toBe(orgId);

    // Another enterprise: as if it did not exist, and nothing to act on.
    const other = await otherEnterpriseOfficer();
    expect((await get(other, `/api/cases/${c.id}`)).statusCode).toBe(404);
    expect(
      (await get(other, "/api/cases")).json().items.map((x: { id: string }) => x.id),
    ).not.toContain(c.id);
    expect(
      (await act(other, c.id, "comment", { note: "看看", visibility: "public" })).statusCode,
    ).toBe(404);

    // The enterprise adds what it knows; the police station handles it.
    const note = await act(enterprise, c.id, "comment", {
      note: "已调取宿舍楼 3 日监控备查",
      visibility: "public",
    });
    expect(note.statusCode, note.body).toBe(200);
    let now = (await get(officer, `/api/cases/${c.id}`)).json();
    for (const step of ["accept", "start", "resolve"] as const) {
      if (!now.allowedActions.includes(step)) continue;
      const r = await act(officer, c.id, step, {
        version: now.version,
        ...(step === "resolve" ? { note: "已抓获嫌疑人，追回电瓶 2 块" } : {}),
      });
      expect(r.statusCode, `${step}: ${r.body}`).toBe(200);
      now = r.json();
    }
    expect(now.status).toBe("resolved");

    // The reporter's say: the enterprise rates the outcome and the case closes.
    const seen = (await get(enterprise, `/api/cases/${c.id}`)).json();
    expect(seen.allowedActions).toContain("feedback");
    const rated = await act(enterprise, c.id, "feedback", {
      version: seen.version,
      rating: 5,
      note: "处理及时",
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().status).toBe("closed");
    expect((rated.json().timeline as { action: string }[]).map((a) => a.action)).toEqual(
      expect.arrayContaining(["report", "comment", "resolve", "feedback"]),
    );
  });
});
