/**
 * Actual organisations of the demo district: enterprises of the High-tech
 * Zone's trades (electronics and precision manufacturing in the industrial
 * streets, logistics by the bonded zone, catering, retail, construction,
 * property services and gig platforms everywhere), each with a valid and
 * unique credit code, a size, a legal representative and a safety officer;
 * and the hometown, trade, new-citizen and social associations new citizens
 * meet in. The named ones come first: the demo `enterprise` account belongs
 * to enterprises[0] and `association` to associations[0].
 */
import { maskMobile } from "../../../shared/formats/mobile.js";
import { USCC_CHARSET, usccCheckChar } from "../../../shared/formats/uscc.js";
import { mobileNumber, personName } from "../../seed/demo-people.js";
import type { Random } from "../../seed/random.js";
import type { Scale, SeedContext } from "../../seed/seed-context.js";
import type { SeededAreas } from "../geo/geo.seed.js";
import { roadsOfStreet } from "../housing/housing.seed.js";
import { buildingAddress } from "../housing/housing.service.js";
import * as repo from "./organisations.repository.js";

const ENTERPRISE_COUNT: Record<Scale, number> = { small: 100, medium: 2_000, large: 5_000 };

type Size = "micro" | "small" | "medium" | "large";

/** Seeded residents a firm of each size employs, relative to each other. */
const WORKFORCE: Record<Size, number> = { micro: 4, small: 25, medium: 150, large: 900 };
/** The demo enterprise's weight among employers (see `workforce` below). */
const DEMO_WORKFORCE = WORKFORCE.micro;

interface Industry {
  /** Stored in organisations.industry, as staff would write it. */
  label: string;
  weight: number;
  /** Business-scope words for the name (…电子科技有限公司). */
  words: readonly string[];
  sizes: readonly (readonly [Size, number])[];
  /** Street code (last 3 digits) → how likely a firm of this trade sits there. */
  streets: Readonly<Record<string, number>>;
}

const FACTORY_STREETS = {
  "400": 4,
  "407": 4,
  "408": 5,
  "101": 3,
  "003": 2,
  "405": 2,
  "001": 1,
  "002": 1,
  "004": 0.5,
};
const TOWN_STREETS = {
  "002": 3,
  "003": 2,
  "001": 2,
  "405": 2,
  "407": 2,
  "400": 1.5,
  "101": 1,
  "004": 0.5,
  "408": 0.5,
};
const FACTORY_SIZES = [
  ["micro", 15],
  ["small", 40],
  ["medium", 30],
  ["large", 15],
] as const;
const SHOP_SIZES = [
  ["micro", 70],
  ["small", 25],
  ["medium", 5],
] as const;
const SERVICE_SIZES = [
  ["micro", 30],
  ["small", 42],
  ["medium", 22],
  ["large", 6],
] as const;

const INDUSTRIES: readonly Industry[] = [
  {
    label: "电子信息",
    weight: 16,
    words: ["电子科技", "精密电子", "光电科技", "电子材料", "半导体科技", "电路科技", "智能科技"],
    sizes: FACTORY_SIZES,
    streets: FACTORY_STREETS,
  },
  {
    label: "精密制造",
    weight: 18,
    words: ["精密机械", "精密模具", "五金制品", "自动化设备", "精密部件", "机电科技", "汽车零部件"],
    sizes: FACTORY_SIZES,
    streets: FACTORY_STREETS,
  },
  {
    label: "医疗器械",
    weight: 4,
    words: ["医疗器械", "生物科技", "医疗科技"],
    sizes: FACTORY_SIZES,
    streets: FACTORY_STREETS,
  },
  {
    label: "物流仓储",
    weight: 9,
    words: ["物流", "供应链管理", "仓储服务", "货运代理", "冷链物流"],
    sizes: SERVICE_SIZES,
    streets: { ...FACTORY_STREETS, "408": 6, "003": 3 },
  },
  {
    label: "餐饮",
    weight: 15,
    words: ["餐饮管理", "餐饮服务", "食品", "团餐服务", "饮食服务"],
    sizes: SHOP_SIZES,
    streets: TOWN_STREETS,
  },
  {
    label: "建筑施工",
    weight: 8,
    words: ["建设工程", "建筑劳务", "装饰工程", "机电安装工程", "市政工程"],
    sizes: SERVICE_SIZES,
    streets: TOWN_STREETS,
  },
  {
    label: "零售",
    weight: 15,
    words: ["商贸", "超市", "便利店", "百货", "电器销售"],
    sizes: SHOP_SIZES,
    streets: TOWN_STREETS,
  },
  {
    label: "物业服务",
    weight: 8,
    words: ["物业管理", "物业服务", "保洁服务", "保安服务", "公寓管理"],
    sizes: SERVICE_SIZES,
    streets: TOWN_STREETS,
  },
  {
    label: "平台经济",
    weight: 5,
    words: ["网络科技", "即时配送服务", "人力资源", "劳务派遣", "外卖配送服务"],
    sizes: SERVICE_SIZES,
    streets: TOWN_STREETS,
  },
];

/** Two-character trade names (字号) are drawn as one character from each list. */
const BRAND_FIRST = Array.from(
  "华恒瑞鑫誉嘉博德盛宏达泰信安永聚卓锐晟晶宇凯捷海天金鸿远创立友群福顺兴佳优精正明诚通和汇",
);
const BRAND_SECOND = Array.from(
  "达通泰盛源丰华宇瑞恒晟辉翔腾锦润康力诺信安鼎成联合维威峰弘昌利隆祥睿驰航发",
);

const NAMED_ENTERPRISES: readonly {
  name: string;
  industry: string;
  size: Size;
  street: string | null;
}[] = [
  { name: "苏州高新区精密电子有限公司", industry: "电子信息", size: "large", street: null },
  { name: "苏州狮山光电科技有限公司", industry: "电子信息", size: "medium", street: "002" },
  { name: "苏州浒通物流有限公司", industry: "物流仓储", size: "medium", street: "400" },
  { name: "苏州枫桥餐饮管理有限公司", industry: "餐饮", size: "small", street: "003" },
  { name: "苏州科技城建设工程有限公司", industry: "建筑施工", size: "medium", street: "407" },
];

type AssociationKind = "hometown" | "trade" | "new_citizen" | "social";

const ASSOCIATIONS: readonly {
  name: string;
  kind: AssociationKind;
  /** Registered with civil affairs: 51 social group, 52 private non-enterprise unit; null informal. */
  registration: "51" | "52" | null;
  street: string | null;
  provinces?: string[];
  dialects?: string[];
  sectors?: string[];
}[] = [
  { name: "虎丘区新市民协会", kind: "new_citizen", registration: "51", street: "002" },
  {
    name: "虎丘区安徽商会",
    kind: "hometown",
    registration: "51",
    street: null,
    provinces: ["安徽省"],
    dialects: ["江淮官话", "中原官话"],
    sectors: ["精密制造", "建筑施工", "餐饮"],
  },
  {
    name: "虎丘区河南老乡联谊会",
    kind: "hometown",
    registration: null,
    street: null,
    provinces: ["河南省"],
    dialects: ["中原官话"],
  },
  {
    name: "虎丘区物流行业协会",
    kind: "trade",
    registration: "51",
    street: "408",
    sectors: ["物流仓储"],
  },
  {
    name: "苏州高新区四川商会",
    kind: "hometown",
    registration: "51",
    street: null,
    provinces: ["四川省", "重庆市"],
    dialects: ["西南官话"],
    sectors: ["餐饮", "建筑施工"],
  },
  {
    name: "虎丘区贵州同乡会",
    kind: "hometown",
    registration: null,
    street: "101",
    provinces: ["贵州省"],
    dialects: ["西南官话"],
  },
  {
    name: "虎丘区苏北同乡联谊会",
    kind: "hometown",
    registration: "51",
    street: null,
    provinces: ["江苏省"],
    dialects: ["江淮官话", "中原官话"],
  },
  {
    name: "浒墅关阜阳老乡会",
    kind: "hometown",
    registration: null,
    street: "400",
    provinces: ["安徽省"],
    dialects: ["中原官话"],
  },
  {
    name: "虎丘区湖北商会",
    kind: "hometown",
    registration: "51",
    street: null,
    provinces: ["湖北省"],
    dialects: ["西南官话", "江淮官话"],
    sectors: ["电子信息", "零售"],
  },
  {
    name: "虎丘区电子信息行业协会",
    kind: "trade",
    registration: "51",
    street: "407",
    sectors: ["电子信息", "医疗器械"],
  },
  {
    name: "虎丘区餐饮行业协会",
    kind: "trade",
    registration: "51",
    street: "003",
    sectors: ["餐饮"],
  },
  {
    name: "虎丘区建筑业协会",
    kind: "trade",
    registration: "51",
    street: null,
    sectors: ["建筑施工"],
  },
  {
    name: "虎丘区物业管理协会",
    kind: "trade",
    registration: "51",
    street: null,
    sectors: ["物业服务"],
  },
  {
    name: "虎丘区新就业形态劳动者协会",
    kind: "new_citizen",
    registration: "51",
    street: "405",
    sectors: ["平台经济", "物流仓储"],
  },
  { name: "枫桥街道新市民互助会", kind: "new_citizen", registration: null, street: "003" },
  { name: "虎丘区平安志愿者协会", kind: "social", registration: "51", street: null },
  {
    name: "狮山街道外来务工人员子女关爱服务中心",
    kind: "social",
    registration: "52",
    street: "002",
  },
  { name: "虎丘区矛盾纠纷调解志愿者协会", kind: "social", registration: "51", street: null },
];

export interface SeededEnterprise {
  id: string;
  name: string;
  /** The trade name without place and legal form (恒达精密电子), for dormitory names. */
  shortName: string;
  gridCode: string;
  industry: string;
  size: Size;
  /** How many seeded residents it employs, relative to the others; 0 for none. */
  workforce: number;
  /** The demo `enterprise` account's company (the first): housing gives it its own dormitories. */
  demo?: boolean;
}

export interface SeededOrganisations {
  enterprises: SeededEnterprise[];
  associations: { id: string; name: string; gridCode: string }[];
}

interface Grid {
  id: string;
  code: string;
  path: string;
}

/** Old organisation codes (GB 11714): 8 characters and a MOD 11 check character. */
const CODE_CHARS = Array.from(USCC_CHARSET);

function organisationCode(random: Random): string {
  // Codes issued since 2015 start with MA; older ones are 8 digits.
  const body = random.chance(0.7)
    ? `MA${Array.from({ length: 6 }, () => random.pick(CODE_CHARS)).join("")}`
    : `${random.int(5, 7)}${String(random.int(0, 9_999_999)).padStart(7, "0")}`;
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body.charAt(i);
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A = 10 … Z = 35
    sum += v * (weights[i] as number);
  }
  const check = 11 - (sum % 11);
  return body + (check === 10 ? "X" : check === 11 ? "0" : String(check));
}

/** A credit code registered in this district, unique among `taken`. */
function creditCode(random: Random, authority: "91" | "51" | "52", taken: Set<string>): string {
  for (;;) {
    const first17 = `${authority}320505${organisationCode(random)}`;
    const code = first17 + usccCheckChar(first17);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

function streetOf(grid: Grid): string {
  return grid.code.slice(6, 9);
}

export async function seedOrganisations(
  ctx: SeedContext,
  areas: SeededAreas,
): Promise<SeededOrganisations> {
  const random = ctx.random;
  const grids = [...areas.byCode.values()]
    .filter((a) => a.level === "grid")
    .sort((a, b) => a.code.localeCompare(b.code));
  const gridsByStreet = new Map<string, Grid[]>();
  for (const g of grids) {
    const list = gridsByStreet.get(streetOf(g)) ?? [];
    list.push(g);
    gridsByStreet.set(streetOf(g), list);
  }
  const gridIn = (streets: Readonly<Record<string, number>>, street: string | null): Grid => {
    const choice =
      street ??
      random.weighted(
        Object.entries(streets).filter(([s]) => gridsByStreet.has(s)) as [string, number][],
      );
    return random.pick(gridsByStreet.get(choice) ?? grids);
  };
  const address = (grid: Grid): string => {
    const road = random.pick(roadsOfStreet(grid.code.slice(0, 9)));
    let n = random.int(10, 999);
    // Keep clear of the addresses the API tests create (狮山路88号…).
    if (String(n).startsWith("88")) n += 20;
    return buildingAddress({
      road,
      houseNumber: String(n),
      buildingNo: random.chance(0.35) ? String(random.int(1, 24)) : undefined,
    });
  };
  const usccs = new Set<string>();
  const names = new Set<string>();
  const person = () => personName(random, random.chance(0.7) ? "male" : "female", 1975);

  const enterprises: (repo.NewOrganisation & { gridCode: string; shortName: string })[] = [];
  const addEnterprise = (
    name: string,
    shortName: string,
    industry: string,
    size: Size,
    grid: Grid,
  ) => {
    names.add(name);
    const officer = size === "micro" && random.chance(0.5) ? null : person();
    const phone = officer ? mobileNumber(random) : null;
    enterprises.push({
      kind: "enterprise",
      name,
      shortName,
      gridCode: grid.code,
      uscc: creditCode(random, "91", usccs),
      area_id: grid.id,
      area_path: grid.path,
      address: address(grid),
      industry,
      size,
      legal_representative: person(),
      safety_officer: officer,
      safety_officer_phone_enc: phone
        ? ctx.fieldCrypto.encrypt(phone, "organisations.safety_officer_phone")
        : null,
      safety_officer_phone_masked: phone ? maskMobile(phone) : null,
      association_kind: null,
      provinces: [],
      dialects: [],
      sectors: [],
    });
  };

  for (const e of NAMED_ENTERPRISES) {
    const industry = INDUSTRIES.find((i) => i.label === e.industry) as Industry;
    addEnterprise(
      e.name,
      e.name.replace(/^苏州(高新区)?/, "").replace(/有限公司$/, ""),
      e.industry,
      e.size,
      gridIn(industry.streets, e.street),
    );
  }
  const industryPick = INDUSTRIES.map((i) => [i, i.weight] as const);
  while (enterprises.length < ENTERPRISE_COUNT[ctx.scale]) {
    const industry = random.weighted(industryPick);
    const size = random.weighted(industry.sizes);
    const grid = gridIn(industry.streets, null);
    const brand = random.pick(BRAND_FIRST) + random.pick(BRAND_SECOND);
    const word = random.pick(industry.words);
    const form = size === "large" && random.chance(0.4) ? "股份有限公司" : "有限公司";
    const style = random.next();
    const name =
      style < 0.6
        ? `苏州${brand}${word}${form}`
        : style < 0.8
          ? `苏州高新区${brand}${word}${form}`
          : style < 0.92
            ? `江苏${brand}${word}${form}`
            : `${brand}${word}（苏州）${form}`;
    if (names.has(name)) continue;
    addEnterprise(name, brand + word, industry.label, size, grid);
  }

  const associations: (repo.NewOrganisation & { gridCode: string })[] = ASSOCIATIONS.map((a) => {
    const grid = gridIn(TOWN_STREETS, a.street);
    return {
      kind: "association",
      name: a.name,
      gridCode: grid.code,
      uscc: a.registration ? creditCode(random, a.registration, usccs) : null,
      area_id: grid.id,
      area_path: grid.path,
      address: address(grid),
      industry: null,
      size: null,
      legal_representative: person(),
      safety_officer: null,
      safety_officer_phone_enc: null,
      safety_officer_phone_masked: null,
      association_kind: a.kind,
      provinces: a.provinces ?? [],
      dialects: a.dialects ?? [],
      sectors: a.sectors ?? [],
    };
  });

  const strip = <T extends { gridCode: string }>({ gridCode: _g, ...row }: T) => row;
  const enterpriseIds = await repo.insertMany(
    ctx.trx,
    enterprises.map(({ shortName: _s, ...e }) => strip(e)),
  );
  const associationIds = await repo.insertMany(ctx.trx, associations.map(strip));
  const idOf = (rows: { id: string; name: string }[]) => new Map(rows.map((r) => [r.name, r.id]));
  const enterpriseId = idOf(enterpriseIds);
  const associationId = idOf(associationIds);
  const out: SeededOrganisations = {
    enterprises: enterprises.map((e, i) => ({
      id: enterpriseId.get(e.name) as string,
      name: e.name,
      shortName: e.shortName,
      gridCode: e.gridCode,
      industry: e.industry as string,
      size: e.size as Size,
      // The demo enterprise's workforce is mostly the people of its own two
      // dormitory buildings (housing.seed.ts), a hundred or so at any scale:
      // a small weight for the rest, whatever its registered size.
      workforce: i === 0 ? DEMO_WORKFORCE : WORKFORCE[e.size as Size],
      ...(i === 0 ? { demo: true } : {}),
    })),
    associations: associations.map((a) => ({
      id: associationId.get(a.name) as string,
      name: a.name,
      gridCode: a.gridCode,
    })),
  };
  ctx.log(
    `organisations: ${out.enterprises.length} enterprises, ${out.associations.length} associations`,
  );
  return out;
}
