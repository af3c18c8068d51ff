/** organisationCountsByArea (for a grid's risk profile): enterprises and associations per grid. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { organisationCountsByArea } from "./organisations.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

describe("organisationCountsByArea", () => {
  it("counts each kind per area path under the root", async () => {
    const db = database.db;
    const rows = await db.selectFrom("organisations").select(["kind", "area_path"]).execute();
    const expected = new Map<string, { enterprises: number; associations: number }>();
    for (const r of rows) {
      const e = expected.get(r.area_path) ?? { enterprises: 0, associations: 0 };
      if (r.kind === "enterprise") e.enterprises++;
      else e.associations++;
      expected.set(r.area_path, e);
    }
    expect(await organisationCountsByArea({ db }, "/320505/")).toEqual(expected);
    const street = [...expected.keys()][0]?.split("/").slice(0, 3).join("/").concat("/") ?? "";
    const under = await organisationCountsByArea({ db }, street);
    expect([...under.keys()].every((p) => p.startsWith(street))).toBe(true);
    expect(under.size).toBeGreaterThan(0);
  });
});
