import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { addWorkingHours } from "../../../shared/working-time.js";
import { escalationLevelFor, runAutoClose, runEscalation } from "./case-deadlines.js";

let t: TestApp;
let resident: Session;
let officer: Session;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  [resident, officer] = await Promise.all([login(t.app, "resident"), login(t.app, "officer")]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

async function newCase() {
  const res = await resident.request({
    method: "POST",
    url: "/api/cases",
    payload: {
      categoryCode: "theft_fraud.theft",
      description: "单元门口的快递被人拿走了",
      ...here,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; acceptDueAt: string; version: number };
}

const deps = () => ({ db: t.database.db, config: t.config });

describe("escalation levels", () => {
  it("climbs the ladder at the configured working hours past the deadline", () => {
    const th = [0, 8, 24];
    expect([-1, 0, 7.9, 8, 23.9, 24, 100].map((h) => escalationLevelFor(h, th))).toEqual([
      0, 1, 1, 2, 2, 3, 3,
    ]);
  });
});

describe("the escalation job", () => {
  it("warns once before the deadline, then escalates each level exactly once, even run twice at once", async () => {
    const c = await newCase();
    const due = new Date(c.acceptDueAt);
    const early = new Date(due.getTime() - 30 * 24 * 3600_000);
    const db = t.database.db;
    // The seeded history has open cases of its own: look at this one.
    const marks = (kind: "due_soon" | "overdue") =>
      db
        .selectFrom("case_escalations")
        .select("level")
        .where("case_id", "=", c.id)
        .where("kind", "=", kind)
        .execute();
    await runEscalation(deps(), early);
    expect(await marks("due_soon")).toHaveLength(0);

    const soon = new Date(due.getTime() - 3600_000);
    expect((await runEscalation(deps(), soon)).warned).toBeGreaterThanOrEqual(1);
    await runEscalation(deps(), soon);
    expect(await marks("due_soon")).toHaveLength(1);
    const warned = (
      await officer.request({ method: "GET", url: "/api/notifications?limit=100" })
    ).json();
    expect(
      warned.items.filter(
        (n: { caseId: string; kind: string }) => n.caseId === c.id && n.kind === "case.due_soon",
      ),
    ).toHaveLength(1);

    // Thirty working hours late: past all three thresholds (0, 8, 24).
    const late = new Date(addWorkingHours(due, 30, t.config.workCalendar).getTime() + 60_000);
    await Promise.all([runEscalation(deps(), late), runEscalation(deps(), late)]);
    const rows = await db
      .selectFrom("case_escalations")
      .selectAll()
      .where("case_id", "=", c.id)
      .where("kind", "=", "overdue")
      .execute();
    expect(rows.map((r) => r.level).sort()).toEqual([1, 2, 3]);
    const actions = await db
      .selectFrom("case_actions")
      .select("note")
      .where("case_id", "=", c.id)
      .where("action", "=", "escalate")
      .execute();
    expect(actions).toHaveLength(3);
    expect(actions[2]?.note).toContain("区级");
    const row = await db
      .selectFrom("cases")
      .select(["escalation_level", "version"])
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(row.escalation_level).toBe(3);
    expect(row.version).toBe(c.version); // the people working on it keep their version
    await runEscalation(deps(), late);
    expect(await marks("overdue")).toHaveLength(3);

    // The district coordinator hears of it at the district level.
    const coord = await login(t.app, "coordinator");
    const n = (await coord.request({ method: "GET", url: "/api/notifications?limit=100" })).json();
    expect(
      n.items.some(
        (x: { caseId: string; kind: string }) => x.caseId === c.id && x.kind === "case.overdue",
      ),
    ).toBe(true);
    // Staff see the escalations on the timeline.
    const detail = (await coord.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(detail.timeline.filter((e: { action: string }) => e.action === "escalate")).toHaveLength(
      3,
    );
  });
});

describe("the auto-close job", () => {
  it("closes a resolved case nobody rated in time, once", async () => {
    const c = await newCase();
    await officer.request({ method: "POST", url: `/api/cases/${c.id}/accept`, payload: {} });
    await officer.request({
      method: "POST",
      url: `/api/cases/${c.id}/resolve`,
      payload: { note: "已找回" },
    });
    const inTime = new Date(Date.now() + 2 * 86_400_000);
    await runAutoClose(deps(), inTime);
    const status = async () =>
      (
        await t.database.db
          .selectFrom("cases")
          .select("status")
          .where("id", "=", c.id)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await status()).toBe("resolved");
    const later = new Date(Date.now() + (t.config.caseFeedbackDays + 1) * 86_400_000);
    expect((await runAutoClose(deps(), later)).closed).toBeGreaterThanOrEqual(1);
    await runAutoClose(deps(), later);
    const closes = await t.database.db
      .selectFrom("case_actions")
      .select("id")
      .where("case_id", "=", c.id)
      .where("action", "=", "close")
      .execute();
    expect(closes).toHaveLength(1);
    const d = (await resident.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(d.status).toBe("closed");
    expect(d.timeline.at(-1)).toMatchObject({ action: "close", actor: "系统" });
  });
});
