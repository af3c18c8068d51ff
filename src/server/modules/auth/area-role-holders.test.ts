/** areaRoleHolders (for grid risk warnings): who holds a role on an area covering a place. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { areaRoleHolders } from "./users.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

describe("areaRoleHolders", () => {
  it("finds the grid's own grid workers and the coordinators above it, active accounts only", async () => {
    const db = database.db;
    const gw = await db
      .selectFrom("users as u")
      .innerJoin("role_grants as g", "g.user_id", "u.id")
      .innerJoin("areas as a", "a.id", "g.area_id")
      .select(["u.id", "a.path"])
      .where("u.username", "=", "gridworker")
      .executeTakeFirstOrThrow();
    const names = async (path: string) => {
      const held = await areaRoleHolders(db, ["grid_worker", "coordinator"], path);
      const users = await db
        .selectFrom("users")
        .select(["id", "username"])
        .where("id", "in", held.length ? held.map((h) => h.userId) : ["0"])
        .execute();
      return users.map((u) => u.username).sort();
    };
    expect(await names(gw.path)).toEqual(["coordinator", "gridworker"]);
    // Another grid: its coordinators, not this grid worker.
    const other = await db
      .selectFrom("areas")
      .select("path")
      .where("level", "=", "grid")
      .where("path", "<>", gw.path)
      .executeTakeFirstOrThrow();
    expect(await names(other.path)).toEqual(["coordinator"]);
    expect(await areaRoleHolders(db, [], gw.path)).toEqual([]);
    await db.updateTable("users").set({ status: "disabled" }).where("id", "=", gw.id).execute();
    expect(await names(gw.path)).toEqual(["coordinator"]);
  });
});
