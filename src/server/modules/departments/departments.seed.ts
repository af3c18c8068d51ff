/**
 * Seeds the departments a real district has: district bureaus covering the
 * whole district, and for each street its police station, street office (or
 * town government), justice office, market-regulation branch and
 * law-enforcement squad.
 */
import type { DEPARTMENT_KINDS } from "../../../shared/schemas/areas.js";
import type { SeedContext } from "../../seed/seed-context.js";
import type { SeededAreas } from "../geo/geo.seed.js";
import * as repo from "./departments.repository.js";

type Kind = (typeof DEPARTMENT_KINDS)[number];

const DISTRICT_BUREAUS: { key: string; name: string; kind: Kind }[] = [
  { key: "ZZ", name: "虎丘区综治中心（区委政法委）", kind: "comprehensive_governance" },
  { key: "GA", name: "苏州市公安局虎丘（高新区）分局", kind: "public_security_bureau" },
  { key: "ZJ", name: "虎丘区住房和建设局", kind: "housing" },
  { key: "XF", name: "虎丘区消防救援大队", kind: "fire" },
  { key: "LD", name: "虎丘区人社局劳动保障监察大队", kind: "labour_inspection" },
  { key: "SJ", name: "虎丘区市场监督管理局", kind: "market_regulation" },
  { key: "ZF", name: "虎丘区综合行政执法局", kind: "urban_management" },
  { key: "WJ", name: "虎丘区卫生健康委员会", kind: "health" },
  { key: "SF", name: "虎丘区司法局", kind: "justice_office" },
  { key: "YJ", name: "虎丘区应急管理局", kind: "emergency_management" },
  { key: "MZ", name: "虎丘区民政局", kind: "civil_affairs" },
];

/** Street units and the district bureau each reports to. */
const STREET_UNITS: { key: string; suffix: string; kind: Kind; parent: string | null }[] = [
  { key: "PCS", suffix: "派出所", kind: "police_station", parent: "GA" },
  { key: "BSC", suffix: "", kind: "street_office", parent: null },
  { key: "SFS", suffix: "司法所", kind: "justice_office", parent: "SF" },
  { key: "SCJ", suffix: "市场监管分局", kind: "market_regulation", parent: "SJ" },
  { key: "ZFZ", suffix: "综合执法中队", kind: "urban_management", parent: "ZF" },
];

/** Short names as used on signboards (狮山街道 → 狮山). */
export function streetShortName(name: string): string {
  const inParens = /（(.+?)(街道|镇)?）/.exec(name);
  if (inParens?.[1]) return inParens[1];
  return name
    .replace(/^苏州高新区/, "")
    .replace(/^苏州高新技术/, "")
    .replace(/(街道|镇|经开区)$/, "")
    .replace(/经开区$/, "");
}

function streetOfficeName(name: string): string {
  if (name.endsWith("街道")) return `${name}办事处`;
  if (name.endsWith("镇")) return `${name}人民政府`;
  return `${name}管理办公室`;
}

export interface SeededDepartments {
  byKey: Map<string, { id: string; code: string; name: string }>;
}

export async function seedDepartments(
  ctx: SeedContext,
  areas: SeededAreas,
): Promise<SeededDepartments> {
  const byKey: SeededDepartments["byKey"] = new Map();
  const district = areas.district;
  for (const b of DISTRICT_BUREAUS) {
    const code = `${district.code}-${b.key}`;
    const row = await repo.insert(ctx.trx, {
      code,
      name: b.name,
      kind: b.kind,
      parent_id: null,
      area_id: district.id,
      phone: null,
    });
    await repo.addCoverage(ctx.trx, [{ department_id: row.id, area_id: district.id }]);
    byKey.set(b.key, { id: row.id, code, name: b.name });
  }
  const streets = [...areas.byCode.values()].filter((a) => a.level === "street");
  for (const s of streets) {
    const short = streetShortName(s.name);
    for (const u of STREET_UNITS) {
      const code = `${s.code}-${u.key}`;
      const name = u.kind === "street_office" ? streetOfficeName(s.name) : `${short}${u.suffix}`;
      const parent = u.parent ? byKey.get(u.parent) : undefined;
      const row = await repo.insert(ctx.trx, {
        code,
        name,
        kind: u.kind,
        parent_id: parent?.id ?? null,
        area_id: s.id,
        phone: null,
      });
      await repo.addCoverage(ctx.trx, [{ department_id: row.id, area_id: s.id }]);
      byKey.set(code, { id: row.id, code, name });
    }
  }
  ctx.log(`departments: ${byKey.size}`);
  return { byKey };
}
