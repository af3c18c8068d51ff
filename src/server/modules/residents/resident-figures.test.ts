/** residentFiguresByArea (for the grid risk index and the coordination map): residents and new citizens per grid. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { residentFiguresByArea } from "./residents.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

describe("residentFiguresByArea", () => {
  it("counts current residents, and new citizens: an arrival date or a home outside the prefecture", async () => {
    const db = database.db;
    const rows = await db
      .selectFrom("residents")
      .select(["area_path", "status", "arrival_date", "region_code"])
      .execute();
    const expected = new Map<string, { residents: number; newCitizens: number }>();
    for (const r of rows) {
      if (r.status === "departed" || r.area_path === null) continue;
      const e = expected.get(r.area_path) ?? { residents: 0, newCitizens: 0 };
      e.residents++;
      if (r.arrival_date !== null || !r.region_code.startsWith("3205")) e.newCitizens++;
      expected.set(r.area_path, e);
    }
    const figures = await residentFiguresByArea({ db }, "/320505/");
    expect(figures).toEqual(expected);
    const all = [...figures.values()];
    const people = all.reduce((n, f) => n + f.residents, 0);
    const newcomers = all.reduce((n, f) => n + f.newCitizens, 0);
    // The demo district is mostly new citizens, with local families too.
    expect(newcomers).toBeGreaterThan(people / 2);
    expect(newcomers).toBeLessThan(people);
  });
});
