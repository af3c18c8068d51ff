/** The rollups' figures for other modules (the grid risk index): agree with the case table. */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import { todayInChina } from "../../../shared/dates.js";
import type { Database } from "../../db/database.js";
import { openCasesByArea, receivedByArea, receivedPerMonth } from "./rollups.service.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe("case figures from the rollups", () => {
  it("receivedByArea: cases reported per grid over China-local days", async () => {
    const db = database.db;
    const to = todayInChina();
    const from = addDays(to, -29);
    const direct = await sql<{ area_path: string; n: number }>`
      SELECT area_path, count(*)::int AS n FROM cases
      WHERE (created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${from}::date AND ${to}::date
      GROUP BY area_path`.execute(db);
    const paths = direct.rows.map((r) => r.area_path);
    expect(paths.length).toBeGreaterThan(0);
    const got = await receivedByArea(db, paths, from, to);
    expect(got).toEqual(new Map(direct.rows.map((r) => [r.area_path, r.n])));
    // A street sums its grids.
    const street = `${(paths[0] as string).split("/").slice(0, 3).join("/")}/`;
    const streetSum = direct.rows
      .filter((r) => r.area_path.startsWith(street))
      .reduce((n, r) => n + r.n, 0);
    expect((await receivedByArea(db, [street], from, to)).get(street)).toBe(streetSum);
  });

  it("receivedPerMonth and openCasesByArea", async () => {
    const db = database.db;
    const busiest = await sql<{ area_path: string }>`
      SELECT area_path FROM cases GROUP BY area_path ORDER BY count(*) DESC LIMIT 1`.execute(db);
    const path = busiest.rows[0]?.area_path as string;
    const months = await receivedPerMonth(db, path, "2000-01-01", todayInChina());
    const direct = await sql<{ month: string; n: number }>`
      SELECT to_char((created_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM') AS month, count(*)::int AS n
      FROM cases WHERE area_path = ${path} GROUP BY 1 ORDER BY 1`.execute(db);
    expect(months).toEqual(direct.rows.map((r) => ({ month: r.month, received: r.n })));
    const open = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases WHERE area_path = ${path}
        AND status NOT IN ('closed', 'withdrawn', 'merged')`.execute(db);
    expect((await openCasesByArea(db, [path])).get(path) ?? 0).toBe(open.rows[0]?.n);
  });
});
