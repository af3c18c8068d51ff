/**
 * Seeds the demo district's areas from the real reference data (虎丘区,
 * 320505): its streets and communities as listed in GB/T 2260, with street,
 * community and grid boundaries drawn inside the real district boundary.
 */

import type { Scale, SeedContext } from "../../seed/seed-context.js";
import * as repo from "./areas.repository.js";
import { HUQIU_320505 as reference } from "./district-reference.js";
import { boundaryBbox, boundaryCentroid } from "./geometry.js";
import { drawDistrict } from "./grid-drawing.js";

const GRID_COUNT: Record<Scale, number> = { small: 120, medium: 400, large: 800 };

export interface SeededAreas {
  district: { id: string; code: string; path: string };
  byCode: Map<
    string,
    {
      id: string;
      code: string;
      path: string;
      level: string;
      name: string;
      parentCode: string | null;
    }
  >;
}

export async function seedAreas(ctx: SeedContext): Promise<SeededAreas> {
  const drawn = drawDistrict({
    district: reference.district,
    boundary: reference.boundary,
    streets: reference.streets,
    communities: reference.communities,
    gridCount: GRID_COUNT[ctx.scale],
    seed: Math.floor(ctx.random.next() * 2 ** 31),
  });
  const drawnByCode = new Map(drawn.map((a) => [a.code, a]));
  const byCode: SeededAreas["byCode"] = new Map();
  // Insert level by level so each row knows its parent's id and path.
  for (const level of ["district", "street", "community", "grid"] as const) {
    const rows = drawn
      .filter((a) => a.level === level)
      .map((a) => {
        const parent = a.parentCode ? byCode.get(a.parentCode) : undefined;
        return {
          code: a.code,
          name: a.name,
          level: a.level,
          parent_id: parent?.id ?? null,
          path: `${parent?.path ?? "/"}${a.code}/`,
          boundary: a.boundary,
          bbox: boundaryBbox(a.boundary),
          centroid: boundaryCentroid(a.boundary),
        };
      });
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await repo.insertMany(ctx.trx, rows.slice(i, i + 500));
      for (const r of inserted) {
        const a = drawnByCode.get(r.code);
        byCode.set(r.code, {
          id: r.id,
          code: r.code,
          path: r.path,
          level,
          name: a?.name ?? "",
          parentCode: a?.parentCode ?? null,
        });
      }
    }
  }
  const district = byCode.get(reference.district.code);
  if (!district) throw new Error("district not seeded");
  ctx.log(
    `areas: 1 district, ${reference.streets.length} streets, ${reference.communities.length} communities, ${
      drawn.filter((a) => a.level === "grid").length
    } grids`,
  );
  return { district, byCode };
}
