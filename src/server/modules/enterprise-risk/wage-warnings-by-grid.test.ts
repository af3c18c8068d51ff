/** wageWarningsByGrid (for the grid risk index): enterprises at warning or alarm at a time, per grid. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { wageWarningsByGrid } from "./enterprise-risk.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

const DAY = 86_400_000;

describe("wageWarningsByGrid", () => {
  it("counts each enterprise's level at the time (its latest history row by then) in each of its grids", async () => {
    const db = database.db;
    const now = new Date();
    const org = await db
      .selectFrom("organisations")
      .select(["id"])
      .where("kind", "=", "enterprise")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    // This enterprise went to alarm ten days ago and back to none yesterday.
    await db
      .insertInto("wage_warning_history")
      .values([
        {
          organisation_id: org.id,
          score: 80,
          level: "alarm",
          previous_level: "none",
          signals: "[]",
          computed_at: new Date(now.getTime() - 10 * DAY),
        },
        {
          organisation_id: org.id,
          score: 0,
          level: "none",
          previous_level: "alarm",
          signals: "[]",
          computed_at: new Date(now.getTime() - DAY),
        },
      ])
      .execute();
    const [history, sites, orgs] = await Promise.all([
      db
        .selectFrom("wage_warning_history")
        .select(["id", "organisation_id", "level", "computed_at"])
        .orderBy("computed_at")
        .orderBy("id")
        .execute(),
      db
        .selectFrom("enterprise_sites")
        .select(["organisation_id", "area_path"])
        .where("active", "=", true)
        .execute(),
      db
        .selectFrom("organisations")
        .select(["id", "area_path"])
        .where("kind", "=", "enterprise")
        .execute(),
    ]);
    const places = new Map<string, Set<string>>();
    const add = (id: string, p: string) => places.set(id, (places.get(id) ?? new Set()).add(p));
    for (const s of sites) add(s.organisation_id, s.area_path);
    for (const o of orgs) add(o.id, o.area_path);
    const expected = (at: Date) => {
      const level = new Map<string, string>();
      for (const h of history)
        if (new Date(h.computed_at) <= at) level.set(h.organisation_id, h.level);
      const m = new Map<string, { warning: number; alarm: number }>();
      for (const [id, l] of level) {
        if (l !== "warning" && l !== "alarm") continue;
        for (const p of places.get(id) ?? []) {
          const e = m.get(p) ?? { warning: 0, alarm: 0 };
          e[l]++;
          m.set(p, e);
        }
      }
      return m;
    };
    const fiveDaysAgo = new Date(now.getTime() - 5 * DAY);
    const then = await wageWarningsByGrid({ db }, "/320505/", fiveDaysAgo);
    expect(then).toEqual(expected(fiveDaysAgo));
    const today = await wageWarningsByGrid({ db }, "/320505/", now);
    expect(today).toEqual(expected(now));
    // The enterprise counts at alarm five days ago, not today.
    const mine = [...(places.get(org.id) ?? [])];
    expect(mine.length).toBeGreaterThan(0);
    for (const p of mine) expect(then.get(p)?.alarm ?? 0).toBeGreaterThan(today.get(p)?.alarm ?? 0);
  });
});
