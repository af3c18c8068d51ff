import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { CaseIntakeWriter } from "./case-intake-writer.js";
import type { CaseIntakeRows } from "./cases.repository.js";

let t: TestApp;
let resident: Session;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  resident = await login(t.app, "resident");
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

describe("intake in groups", () => {
  it("writes concurrent reports whole, each with its own number, steps, parties and audit row", async () => {
    const n = 24;
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        resident.request({
          method: "POST",
          url: "/api/cases",
          payload: {
            categoryCode: "theft_fraud.theft",
            description: `并发报告 ${i}：车棚的电瓶被偷了`,
            ...here,
            address: `狮山路${i}号`,
          },
        }),
      ),
    );
    for (const a of answers) expect(a.statusCode).toBe(201);
    const cases = answers.map((a) => a.json());
    expect(new Set(cases.map((c) => c.id)).size).toBe(n);
    expect(new Set(cases.map((c) => c.code)).size).toBe(n);
    cases.forEach((c, i) => {
      // Each caller gets its own case back, not a neighbour's.
      expect(c.description).toBe(`并发报告 ${i}：车棚的电瓶被偷了`);
      expect(c.address).toBe(`狮山路${i}号`);
      expect(c.timeline.map((s: { action: string }) => s.action)).toEqual(["report", "dispatch"]);
    });
    const ids = cases.map((c) => c.id);
    const db = t.database.db;
    const actions = await db
      .selectFrom("case_actions")
      .select(["case_id", "action", "id"])
      .where("case_id", "in", ids)
      .orderBy("id")
      .execute();
    for (const c of cases) {
      const own = actions.filter((a) => a.case_id === c.id);
      expect(own.map((a) => a.action)).toEqual(["report", "dispatch"]);
      expect(own.map((a) => a.id)).toEqual(c.timeline.map((s: { id: string }) => s.id));
    }
    const parties = await db
      .selectFrom("case_parties")
      .select(["case_id", "id"])
      .where("case_id", "in", ids)
      .execute();
    for (const c of cases)
      expect(parties.filter((p) => p.case_id === c.id).map((p) => p.id)).toEqual(
        c.parties.map((p: { id: string }) => p.id),
      );
    const audit = await db
      .selectFrom("audit_log")
      .select(["subject_id", "details"])
      .where("action", "=", "case.reported")
      .where("subject_id", "in", ids)
      .execute();
    expect(audit).toHaveLength(n);
    for (const a of audit) {
      const c = cases.find((x) => x.id === a.subject_id);
      expect((a.details as { code: string }).code).toBe(c.code);
    }
  });

  it("fails only the bad case of a group: the others are written, the bad one leaves nothing", async () => {
    const db = t.database.db;
    const grid = await db
      .selectFrom("areas")
      .select(["id", "path"])
      .where("level", "=", "grid")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const now = new Date();
    const rows = (i: number, category: string): CaseIntakeRows => ({
      codePrefix: "SJ20990101",
      row: {
        category_code: category,
        severity: "normal",
        status: "reported",
        description: `分组写入 ${i}`,
        fields: {},
        lat: here.lat,
        lng: here.lng,
        address: null,
        grid_id: grid.id,
        area_path: grid.path,
        channel: "web",
        reporter_user_id: null,
        reporter_token_id: null,
        reporter_organisation_id: null,
        on_behalf_name: null,
        on_behalf_phone_enc: null,
        on_behalf_phone_masked: null,
        anonymous_secret_hash: null,
        lead_department_id: null,
        routing_rule_id: null,
        dispatched_at: null,
        accept_due_at: null,
        resolve_due_at: null,
        created_at: now,
        updated_at: now,
      },
      parties: [],
      actions: [
        {
          ord: 0,
          action: "report",
          from_status: null,
          to_status: "reported",
          actor_user_id: null,
          actor_label: "测试",
          department_id: null,
          note: null,
          visibility: "public",
          details: {},
        },
      ],
      notifications: [],
      audit: {
        at: now,
        actor_user_id: null,
        actor_token_id: null,
        actor_label: "测试",
        action: "case.reported",
        subject_type: "case",
        subject_id: null,
        details: {},
        request_id: null,
      },
    });
    // Reports that arrive together go together.
    const writer = new CaseIntakeWriter(db, { maxInFlight: 1, maxBatch: 64 });
    const first = writer.write(rows(0, "theft_fraud.theft"));
    const group = [
      writer.write(rows(1, "theft_fraud.theft")),
      writer.write(rows(2, "no.such_category")),
      writer.write(rows(3, "theft_fraud.theft")),
    ];
    const settled = await Promise.allSettled([first, ...group]);
    // All four in one statement; it failed, so each was written again alone.
    expect(writer.stats).toEqual({ groups: 1, largestGroup: 4, splitGroups: 1 });
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    const written = await db
      .selectFrom("cases")
      .select(["description", "id"])
      .where("description", "like", "分组写入 %")
      .orderBy("description")
      .execute();
    expect(written.map((w) => w.description)).toEqual(["分组写入 0", "分组写入 1", "分组写入 3"]);
    const orphans = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM case_actions a
      WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = a.case_id)`.execute(db);
    expect(orphans.rows[0]?.n).toBe(0);
    for (const w of written) {
      const steps = await db
        .selectFrom("case_actions")
        .select("action")
        .where("case_id", "=", w.id)
        .execute();
      expect(steps.map((s) => s.action)).toEqual(["report"]);
    }
  });
});
