/** unitFiguresByGrid (for the grid risk index): the overcrowding rule of overcrowding.ts, counted per grid. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { unitFiguresByGrid } from "./housing.service.js";
import { assessOvercrowding } from "./overcrowding.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

describe("unitFiguresByGrid", () => {
  it("counts units, rental units and overcrowded units per grid, as the unit rule says", async () => {
    const db = database.db;
    const config = { overcrowdingMinM2PerPerson: 5 };
    const figures = await unitFiguresByGrid({ db, config }, "/320505/");
    const units = await db
      .selectFrom("units as u")
      .select(["u.id", "u.area_path", "u.is_rental", "u.declared_capacity", "u.floor_area_m2"])
      .execute();
    const occupants = await db
      .selectFrom("residents")
      .select(["unit_id"])
      .where("status", "<>", "departed")
      .where("unit_id", "is not", null)
      .execute();
    const count = new Map<string, number>();
    for (const r of occupants)
      count.set(r.unit_id as string, (count.get(r.unit_id as string) ?? 0) + 1);
    const expected = new Map<string, { units: number; rental: number; overcrowded: number }>();
    for (const u of units) {
      const e = expected.get(u.area_path) ?? { units: 0, rental: 0, overcrowded: 0 };
      e.units++;
      if (u.is_rental) e.rental++;
      const a = assessOvercrowding(
        {
          occupants: count.get(u.id) ?? 0,
          declaredCapacity: u.declared_capacity,
          floorAreaM2: u.floor_area_m2 === null ? null : Number(u.floor_area_m2),
        },
        config.overcrowdingMinM2PerPerson,
      );
      if (a.overcrowded) e.overcrowded++;
      expected.set(u.area_path, e);
    }
    expect(figures).toEqual(expected);
    expect([...figures.values()].some((f) => f.overcrowded > 0)).toBe(true);
    // Under one grid: that grid only.
    const [path] = [...expected.keys()];
    const one = await unitFiguresByGrid({ db, config }, path as string);
    expect([...one.keys()]).toEqual([path]);
  });
});
