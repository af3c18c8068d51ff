/** casesReportedByGrid (for the grid risk index's disputes): cases of a family per grid in a window. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { casesReportedByGrid } from "./cases.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

describe("casesReportedByGrid", () => {
  it("counts a family's cases reported in [since, until) per grid, merged ones left out", async () => {
    const db = database.db;
    const until = new Date();
    const since = new Date(until.getTime() - 30 * 86_400_000);
    const rows = await db
      .selectFrom("cases")
      .select(["area_path", "category_code", "status", "created_at"])
      .execute();
    const expect_ = (family: string | null) => {
      const m = new Map<string, number>();
      for (const r of rows) {
        const at = new Date(r.created_at).getTime();
        if (at < since.getTime() || at >= until.getTime() || r.status === "merged") continue;
        if (family !== null && !r.category_code.startsWith(`${family}.`)) continue;
        m.set(r.area_path, (m.get(r.area_path) ?? 0) + 1);
      }
      return m;
    };
    const disputes = await casesReportedByGrid({ db }, "/320505/", "dispute", since, until);
    expect(disputes).toEqual(expect_("dispute"));
    expect(disputes.size).toBeGreaterThan(0);
    const all = await casesReportedByGrid({ db }, "/320505/", null, since, until);
    expect(all).toEqual(expect_(null));
    const sum = (m: Map<string, number>) => [...m.values()].reduce((n, v) => n + v, 0);
    expect(sum(all)).toBeGreaterThan(sum(disputes));
    // An empty window counts nothing.
    expect((await casesReportedByGrid({ db }, "/320505/", null, until, until)).size).toBe(0);
  });
});
