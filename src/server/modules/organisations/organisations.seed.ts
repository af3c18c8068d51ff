/**
 * A first handful of organisations so that the demo enterprise and
 * association accounts have something to belong to. The base-data issue
 * grows this into ≈2,000 enterprises with their workforces.
 */
import type { SeedContext } from "../../seed/seed-context.js";
import type { SeededAreas } from "../geo/geo.seed.js";
import * as repo from "./organisations.repository.js";

const ENTERPRISES = [
  "苏州高新区精密电子有限公司",
  "苏州狮山光电科技有限公司",
  "苏州浒通物流有限公司",
  "苏州枫桥餐饮管理有限公司",
  "苏州科技城建设工程有限公司",
];
const ASSOCIATIONS = [
  "虎丘区新市民协会",
  "虎丘区安徽商会",
  "虎丘区河南老乡联谊会",
  "虎丘区物流行业协会",
];

export interface SeededOrganisations {
  enterprises: { id: string; name: string; gridCode: string }[];
  associations: { id: string; name: string; gridCode: string }[];
}

export async function seedOrganisations(
  ctx: SeedContext,
  areas: SeededAreas,
): Promise<SeededOrganisations> {
  const grids = [...areas.byCode.values()].filter((a) => a.level === "grid");
  const out: SeededOrganisations = { enterprises: [], associations: [] };
  for (const [kind, names, list] of [
    ["enterprise", ENTERPRISES, out.enterprises],
    ["association", ASSOCIATIONS, out.associations],
  ] as const) {
    for (const name of names) {
      const grid = ctx.random.pick(grids);
      const row = await repo.insert(ctx.trx, {
        kind,
        name,
        area_id: grid.id,
        area_path: grid.path,
      });
      list.push({ id: row.id, name, gridCode: grid.code });
    }
  }
  ctx.log(
    `organisations: ${out.enterprises.length} enterprises, ${out.associations.length} associations`,
  );
  return out;
}
