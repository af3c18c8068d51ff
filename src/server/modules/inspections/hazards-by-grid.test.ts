/** openEnterpriseHazardsByGrid (for the grid risk index): hazards open at a time, per grid of their enterprise. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { openEnterpriseHazardsByGrid } from "./hazards.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

describe("openEnterpriseHazardsByGrid", () => {
  it("counts hazards open at the time in every grid where their enterprise has a site", async () => {
    const db = database.db;
    const [hazards, sites, orgs] = await Promise.all([
      db
        .selectFrom("hazards")
        .select(["organisation_id", "level", "created_at", "closed_at"])
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
    const placesOf = new Map<string, Set<string>>();
    for (const s of sites)
      placesOf.set(
        s.organisation_id,
        (placesOf.get(s.organisation_id) ?? new Set()).add(s.area_path),
      );
    for (const o of orgs) placesOf.set(o.id, (placesOf.get(o.id) ?? new Set()).add(o.area_path));
    const expected = (at: Date) => {
      const m = new Map<string, { open: number; major: number }>();
      for (const h of hazards) {
        if (new Date(h.created_at) > at || (h.closed_at && new Date(h.closed_at) <= at)) continue;
        for (const p of placesOf.get(h.organisation_id) ?? []) {
          const e = m.get(p) ?? { open: 0, major: 0 };
          e.open++;
          if (h.level === "major") e.major++;
          m.set(p, e);
        }
      }
      return m;
    };
    const now = new Date();
    const got = await openEnterpriseHazardsByGrid({ db }, "/320505/", now);
    expect(got).toEqual(expected(now));
    expect(got.size).toBeGreaterThan(0);
    // As of an earlier time: hazards found since then do not count yet.
    const earlier = new Date(now.getTime() - 60 * 86_400_000);
    expect(await openEnterpriseHazardsByGrid({ db }, "/320505/", earlier)).toEqual(
      expected(earlier),
    );
  });
});
