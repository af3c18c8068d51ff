/** patrolHoursByArea (for the grid risk index): patrol and visit hours per shift area in a window. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { patrolHoursByArea } from "./shifts.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

describe("patrolHoursByArea", () => {
  it("sums checked-in patrol and visit minutes, not rejected ones, with the volunteers who served", async () => {
    const db = database.db;
    const until = new Date();
    const since = new Date(until.getTime() - 30 * 86_400_000);
    const rows = await db
      .selectFrom("shift_signups as s")
      .innerJoin("shifts as sh", "sh.id", "s.shift_id")
      .select([
        "sh.kind",
        "sh.area_path",
        "s.minutes",
        "s.hours_status",
        "s.checked_in_at",
        "s.volunteer_id",
      ])
      .execute();
    const minutes = new Map<string, number>();
    const people = new Map<string, Set<string>>();
    for (const r of rows) {
      if (r.kind !== "patrol" && r.kind !== "visit") continue;
      if (r.minutes === null || r.hours_status === "rejected" || r.checked_in_at === null) continue;
      const at = new Date(r.checked_in_at).getTime();
      if (at < since.getTime() || at >= until.getTime()) continue;
      minutes.set(r.area_path, (minutes.get(r.area_path) ?? 0) + r.minutes);
      people.set(r.area_path, (people.get(r.area_path) ?? new Set()).add(r.volunteer_id));
    }
    const got = await patrolHoursByArea({ db }, "/320505/", since, until);
    expect(got.size).toBeGreaterThan(0);
    expect(new Set(got.keys())).toEqual(new Set(minutes.keys()));
    for (const [path, m] of minutes) {
      expect(got.get(path)?.hours).toBe(Math.round((m / 60) * 10) / 10);
      expect(got.get(path)?.volunteers).toBe(people.get(path)?.size);
    }
    // An attendance rejected by its verifier no longer counts.
    const counted = await db
      .selectFrom("shift_signups as s")
      .innerJoin("shifts as sh", "sh.id", "s.shift_id")
      .select(["s.id", "s.minutes", "sh.area_path"])
      .where("sh.kind", "=", "patrol")
      .where("s.minutes", ">", 30)
      .where("s.checked_in_at", ">=", since)
      .where("s.hours_status", "is distinct from", "rejected")
      .executeTakeFirstOrThrow();
    await db
      .updateTable("shift_signups")
      .set({ hours_status: "rejected", reject_reason: "测试" })
      .where("id", "=", counted.id)
      .execute();
    const after = await patrolHoursByArea({ db }, "/320505/", since, until);
    const left = (minutes.get(counted.area_path) ?? 0) - (counted.minutes ?? 0);
    expect(after.get(counted.area_path)?.hours ?? 0).toBe(Math.round((left / 60) * 10) / 10);
  });
});
