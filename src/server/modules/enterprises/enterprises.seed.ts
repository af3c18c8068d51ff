/**
 * The enterprise workspace's demo data: every enterprise's sites — its
 * registered address as its head site (a factory, warehouse, shop, office
 * or construction site, by trade) and each building of its staff quarters
 * as a dormitory site — and the employment history of the district's
 * workforce: an employment for everyone the residents seed gave an employer,
 * hired over the last years (recent hires likelier), some of them coming
 * from a job they left in the last twelve months, and some people between
 * jobs after leaving one. Bulk inserts only; dates end on the seed's
 * reference day, like the residents'.
 */
import { bulkInsert } from "../../db/bulk-insert.js";
import type { SiteKindValue } from "../../db/schema-workforce.js";
import { weightedPicker } from "../../seed/random.js";
import { SEED_REFERENCE_DAY, type SeedContext } from "../../seed/seed-context.js";
import {
  type Boundary,
  boundaryBbox,
  boundaryInteriorPoint,
  pointInBoundary,
} from "../geo/geometry.js";
import * as repo from "./enterprises.repository.js";

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The head site of an enterprise of each trade: its kind and what people call it. */
const HEAD_SITE: Record<string, { kind: SiteKindValue; name: string }> = {
  电子信息: { kind: "factory", name: "生产厂区" },
  精密制造: { kind: "factory", name: "生产厂区" },
  医疗器械: { kind: "factory", name: "生产厂区" },
  物流仓储: { kind: "warehouse", name: "仓储中心" },
  餐饮: { kind: "shop", name: "门店" },
  零售: { kind: "shop", name: "门店" },
  建筑施工: { kind: "construction_site", name: "项目工地" },
  物业服务: { kind: "office", name: "办公场所" },
  平台经济: { kind: "office", name: "站点" },
};
const DEFAULT_HEAD = { kind: "office" as const, name: "办公场所" };

const POSITIONS: Record<string, readonly string[]> = {
  电子信息: ["操作工", "操作工", "操作工", "质检员", "技术员", "班组长", "设备维修工", "仓管员"],
  精密制造: ["操作工", "操作工", "数控机床操作工", "质检员", "技术员", "班组长", "设备维修工"],
  医疗器械: ["操作工", "操作工", "质检员", "洁净车间操作工", "技术员", "班组长"],
  物流仓储: ["分拣员", "分拣员", "叉车司机", "仓管员", "装卸工", "调度员"],
  餐饮: ["厨师", "帮厨", "服务员", "服务员", "收银员", "店长"],
  零售: ["营业员", "营业员", "收银员", "理货员", "店长"],
  建筑施工: ["钢筋工", "木工", "电焊工", "瓦工", "架子工", "施工员", "安全员"],
  物业服务: ["保安", "保安", "保洁员", "维修工", "客服", "项目经理"],
  平台经济: ["骑手", "骑手", "骑手", "配送员", "站点主管"],
};
const DEFAULT_POSITIONS = ["职员"];

/** Share of people hired in the last year who came from a job they left shortly before. */
const CAME_FROM_ANOTHER_JOB = 0.45;
/** Share of working-age residents without an employer who left a job in the last year. */
const BETWEEN_JOBS = 0.06;

export async function seedEnterpriseWorkforce(ctx: SeedContext): Promise<void> {
  const random = ctx.random;
  const ref = dayOf(SEED_REFERENCE_DAY);

  // ---- sites
  const enterprises = await repo.enterprisesForSeed(ctx.trx);
  const sites: {
    organisation_id: string;
    name: string;
    kind: string;
    address: string;
    lat: number;
    lng: number;
    grid_id: string;
    area_path: string;
    building_id: string | null;
  }[] = [];
  for (const e of enterprises) {
    const head = HEAD_SITE[e.industry ?? ""] ?? DEFAULT_HEAD;
    const boundary = e.boundary as Boundary;
    const [minX, minY, maxX, maxY] = boundaryBbox(boundary);
    let point = boundaryInteriorPoint(boundary);
    for (let i = 0; i < 40; i++) {
      const x = random.float(minX, maxX);
      const y = random.float(minY, maxY);
      if (pointInBoundary(boundary, x, y)) {
        point = [x, y];
        break;
      }
    }
    sites.push({
      organisation_id: e.id,
      name: head.name,
      kind: head.kind,
      address: e.address ?? e.name,
      lng: point[0] as number,
      lat: point[1] as number,
      grid_id: e.area_id,
      area_path: e.area_path,
      building_id: null,
    });
  }
  const dormBuildings = await repo.dormitoryBuildingsForSeed(ctx.trx);
  for (const b of dormBuildings) {
    sites.push({
      organisation_id: b.landlord_organisation_id as string,
      name: `${b.estate ?? "员工宿舍"}${b.building_no ? `${b.building_no}幢` : ""}`.slice(0, 60),
      kind: "dormitory",
      address: b.address,
      lng: b.lng,
      lat: b.lat,
      grid_id: b.grid_id,
      area_path: b.area_path,
      building_id: b.id,
    });
  }
  for (let i = 0; i < sites.length; i += 10_000) {
    await bulkInsert(
      ctx.trx,
      "enterprise_sites",
      {
        organisation_id: "bigint",
        name: "text",
        kind: "text",
        address: "text",
        lat: "numeric",
        lng: "numeric",
        grid_id: "bigint",
        area_path: "text",
        building_id: "bigint",
      },
      sites.slice(i, i + 10_000),
    );
  }

  // ---- employments
  const industryOf = new Map(enterprises.map((e) => [e.id, e.industry ?? ""]));
  const residents = await repo.residentsForSeed(ctx.trx);
  const headcount = new Map<string, number>();
  for (const r of residents)
    if (r.employer_id) headcount.set(r.employer_id, (headcount.get(r.employer_id) ?? 0) + 1);
  const pickEmployer = weightedPicker(
    [...headcount.entries()].map(([id, n]) => ({ id, n })),
    (x) => x.n,
  );
  const source = (orgId: string): "import" | "api" | "staff" => {
    const n = headcount.get(orgId) ?? 0;
    // Large firms push from their HR systems; small ones type people in.
    return n >= 60 ? "api" : n <= 5 ? "staff" : "import";
  };
  const positionAt = (orgId: string) =>
    random.pick(POSITIONS[industryOf.get(orgId) ?? ""] ?? DEFAULT_POSITIONS);
  const rows: {
    organisation_id: string;
    resident_id: string;
    hired_on: string;
    left_on: string | null;
    position: string;
    source: string;
  }[] = [];
  let leavers = 0;
  for (const r of residents) {
    // Nobody is hired before they are 16, arrived, or eight years ago.
    const earliest = Math.max(
      dayOf(r.birth_date) + 16 * 365,
      r.arrival_date ? dayOf(r.arrival_date) : ref - 8 * 365,
      ref - 8 * 365,
    );
    if (r.employer_id) {
      // Recent hires are likelier than old ones: people change jobs.
      const hired =
        earliest >= ref ? ref : ref - Math.floor((ref - earliest) * random.next() ** 1.8);
      rows.push({
        organisation_id: r.employer_id,
        resident_id: r.id,
        hired_on: isoOf(hired),
        left_on: null,
        position: positionAt(r.employer_id),
        source: source(r.employer_id),
      });
      if (hired > ref - 365 && random.chance(CAME_FROM_ANOTHER_JOB)) {
        const before = pickEmployer(random)?.id;
        const left = hired - random.int(1, 30);
        const start = Math.max(earliest, left - random.int(60, 1500));
        if (before && before !== r.employer_id && start < left) {
          rows.push({
            organisation_id: before,
            resident_id: r.id,
            hired_on: isoOf(start),
            left_on: isoOf(left),
            position: positionAt(before),
            source: source(before),
          });
          leavers++;
        }
      }
    } else if (r.status !== "departed" && earliest < ref - 90 && random.chance(BETWEEN_JOBS)) {
      const before = pickEmployer(random)?.id;
      const left = ref - random.int(1, 360);
      const start = Math.max(earliest, left - random.int(60, 1500));
      if (before && start < left) {
        rows.push({
          organisation_id: before,
          resident_id: r.id,
          hired_on: isoOf(start),
          left_on: isoOf(left),
          position: positionAt(before),
          source: source(before),
        });
        leavers++;
      }
    }
  }
  for (let i = 0; i < rows.length; i += 10_000) {
    await bulkInsert(
      ctx.trx,
      "employments",
      {
        organisation_id: "bigint",
        resident_id: "bigint",
        hired_on: "date",
        left_on: "date",
        position: "text",
        source: "text",
      },
      rows.slice(i, i + 10_000),
    );
  }
  ctx.log(
    `enterprise workforce: ${sites.length} sites (${dormBuildings.length} dormitories), ${rows.length} employments (${leavers} ended in the last year or before the current job)`,
  );
}
