/**
 * Actual population of the demo district: mostly new citizens from the
 * provinces that send workers to Suzhou (安徽, 河南, 苏北, 四川, 贵州 …), plus
 * local families; workers in dormitories and rented rooms, families in flats,
 * some rooms let to more people than they hold (群租). Each resident has a
 * valid and unique ID number (stored only encrypted, as the app stores it),
 * usually a phone, usually an employer, and one open residence registration;
 * some have left, with a closed one. The demo `resident` account is linked
 * to one of them (linkDemoResident, once accounts exist).
 */
import { regionName } from "../../../shared/formats/regions.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import { mobileNumber, personName } from "../../seed/demo-people.js";
import { type Random, weightedPicker } from "../../seed/random.js";
import { type Scale, SEED_REFERENCE_DAY, type SeedContext } from "../../seed/seed-context.js";
import type { SeededHousing, SeededUnit } from "../housing/housing.seed.js";
import * as repo from "./residents.repository.js";
import { identityColumns } from "./residents.service.js";

const RESIDENT_COUNT: Record<Scale, number> = {
  small: 2_000,
  medium: 100_000,
  large: 1_000_000,
};
/** Residents who have moved away again (closed registration, no unit). */
const DEPARTED_SHARE = 0.06;
/** Let units holding more people than declared, or than the floor area allows. */
const OVERCROWDED_SHARE_OF_LETS = 0.04;
const BATCH = 5_000;
const DAY_MS = 86_400_000;

type Channel = "grid_worker" | "landlord" | "enterprise" | "import";

/**
 * Where new citizens come from: province weight and real county-level codes
 * (GB/T 2260) of the prefectures that send most workers. None of these is a
 * region the API tests use for their own ID numbers (340102, 410105, 510104,
 * 520102, 360102), so a seeded number never collides with a test's.
 */
const ORIGINS: readonly { weight: number; counties: readonly string[] }[] = [
  {
    weight: 24, // 安徽: 阜阳, 宿州, 亳州, 六安, 蚌埠, 淮南, 安庆, 滁州, 合肥
    counties: [
      "341202",
      "341221",
      "341222",
      "341225",
      "341226",
      "341282",
      "341302",
      "341321",
      "341322",
      "341323",
      "341324",
      "341602",
      "341621",
      "341622",
      "341623",
      "341502",
      "341522",
      "341523",
      "341524",
      "340321",
      "340322",
      "340323",
      "340421",
      "340822",
      "340826",
      "340881",
      "341125",
      "341126",
      "340121",
      "340122",
    ],
  },
  {
    weight: 16, // 河南: 周口, 商丘, 驻马店, 信阳, 南阳, 开封
    counties: [
      "411621",
      "411622",
      "411623",
      "411624",
      "411625",
      "411627",
      "411628",
      "411421",
      "411422",
      "411424",
      "411425",
      "411426",
      "411481",
      "411721",
      "411722",
      "411723",
      "411724",
      "411727",
      "411729",
      "411521",
      "411522",
      "411525",
      "411526",
      "411528",
      "411323",
      "411328",
      "411381",
      "410221",
      "410225",
    ],
  },
  {
    weight: 14, // 江苏北部: 徐州, 宿迁, 连云港, 盐城, 淮安
    counties: [
      "320321",
      "320322",
      "320324",
      "320381",
      "320382",
      "321302",
      "321311",
      "321322",
      "321323",
      "321324",
      "320722",
      "320723",
      "320724",
      "320921",
      "320922",
      "320923",
      "320924",
      "320981",
      "320826",
      "320830",
    ],
  },
  {
    weight: 9, // 四川: 南充, 达州, 广安, 巴中, 内江, 绵阳, 泸州
    counties: [
      "511321",
      "511322",
      "511324",
      "511381",
      "511722",
      "511724",
      "511725",
      "511621",
      "511623",
      "511921",
      "511923",
      "511025",
      "510722",
      "510521",
      "510522",
    ],
  },
  {
    weight: 8, // 贵州: 毕节, 遵义, 铜仁, 黔东南
    counties: [
      "520502",
      "520521",
      "520523",
      "520524",
      "520525",
      "520527",
      "520321",
      "520323",
      "520328",
      "520624",
      "520626",
      "520628",
      "522622",
      "522631",
      "522633",
    ],
  },
  {
    weight: 5, // 湖北: 黄冈, 孝感, 荆州, 襄阳
    counties: [
      "421122",
      "421125",
      "421126",
      "421127",
      "421181",
      "420921",
      "420922",
      "420984",
      "421022",
      "421083",
      "420683",
    ],
  },
  {
    weight: 5, // 江西: 上饶, 赣州, 九江
    counties: ["361123", "361127", "361128", "360730", "360731", "360732", "360781", "360424"],
  },
  {
    weight: 5, // 山东: 临沂, 菏泽, 济宁
    counties: ["371321", "371323", "371325", "371326", "371721", "371722", "371725", "370828"],
  },
  {
    weight: 4, // 湖南: 邵阳, 永州, 衡阳
    counties: ["430522", "430524", "430525", "430581", "431124", "431126", "430421", "430481"],
  },
  {
    weight: 3, // 重庆
    counties: ["500101", "500102", "500116", "500117", "500230", "500233", "500235", "500236"],
  },
  { weight: 2, counties: ["530621", "530627", "530628"] }, // 云南 昭通
  { weight: 1.5, counties: ["620521", "620522", "620523"] }, // 甘肃 天水
  { weight: 1, counties: ["450921", "450922", "450923"] }, // 广西 玉林
  { weight: 1, counties: ["610722", "610723", "610725"] }, // 陕西 汉中
  { weight: 1, counties: ["130423", "130425", "130427"] }, // 河北 邯郸
  { weight: 0.5, counties: ["140821", "140823"] }, // 山西 运城
];
/** 苏州: 虎丘, 吴中, 相城, 姑苏, 吴江, 常熟, 张家港, 昆山, 太仓. */
const LOCAL_COUNTIES = [
  "320505",
  "320505",
  "320505",
  "320506",
  "320507",
  "320508",
  "320509",
  "320581",
  "320582",
  "320583",
  "320585",
];

/** The demo `resident` account's own row: 刘洋 from 沈丘县 (周口), in a rented room. */
const DEMO = { name: "刘洋", region: "411624", birthDate: "1996-05-12", account: "resident" };

export interface SeededResidents {
  /** Local adults who may let housing (for seedLandlords). */
  landlordCandidates: string[];
  demoResidentId: string | null;
  count: number;
}

interface Employer {
  id: string;
  industry: string;
  workforce: number;
  /** the demo enterprise: one of its dormitory rooms is overcrowded */
  demo?: boolean;
}

interface Person {
  name: string;
  idNumber: string;
  phone: string | null;
  arrival: number | null;
  /** The unit of the open (or, for those who left, the last) registration. */
  unit: SeededUnit;
  movedIn: number;
  movedOut: number | null;
  employerId: string | null;
  status: "registered" | "permit_holder" | "departed";
  channel: Channel;
  landlordCandidate: boolean;
  demo: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * ID numbers that are unique by construction: for each region, birth date
 * and sex the sequence digits walk a fixed permutation of 0–499, so the n-th
 * person with the same three gets the n-th sequence number.
 */
function createIdNumbers() {
  const regions = new Map<string, number>();
  const used = new Map<number, number>();
  return (region: string, birthDay: number, sex: "male" | "female"): [string, number] => {
    let r = regions.get(region);
    if (r === undefined) {
      r = regions.size;
      regions.set(region, r);
    }
    for (let day = birthDay; ; day--) {
      const key = (r * 80_000 + (day + 40_000)) * 2 + (sex === "male" ? 1 : 0);
      const n = used.get(key) ?? 0;
      if (n >= 500) continue; // all 500 taken: the day before
      used.set(key, n + 1);
      const start = (Math.imul(key, 0x9e3779b1) >>> 0) % 500;
      const seq = ((start + 7 * n) % 500) * 2 + (sex === "male" ? 1 : 0);
      const first17 = `${region}${isoOf(day).replaceAll("-", "")}${String(seq).padStart(3, "0")}`;
      return [first17 + residentIdCheckChar(first17), day];
    }
  };
}

/** How many live in each unit now, and which lets are overcrowded. */
/** `mustCrowd`: the index of a let unit to overcrowd whatever the draw (-1: none). */
function planOccupancy(
  random: Random,
  units: readonly SeededUnit[],
  active: number,
  mustCrowd: number,
) {
  const k = new Uint8Array(units.length);
  const crowded = new Uint8Array(units.length);
  const limit = (u: SeededUnit) => u.capacity ?? 5;
  let sum = 0;
  units.forEach((u, i) => {
    const cap = limit(u);
    let n: number;
    if (u.isRental && (random.chance(OVERCROWDED_SHARE_OF_LETS) || i === mustCrowd)) {
      crowded[i] = 1;
      n =
        cap +
        (u.kind === "estate" || u.kind === "old_estate"
          ? random.int(2, 4)
          : u.kind === "dormitory"
            ? random.int(1, 3)
            : random.int(1, 2));
    } else if (random.chance(u.kind === "dormitory" ? 0.05 : u.isRental ? 0.09 : 0.06)) {
      n = 0;
    } else if (u.kind === "dormitory") {
      n = Math.max(
        1,
        cap -
          random.weighted([
            [0, 50],
            [1, 30],
            [2, 20],
          ] as const),
      );
    } else if (u.kind === "rental_block" || u.kind === "self_built") {
      n = Math.min(
        cap,
        random.weighted([
          [1, 55],
          [2, 40],
          [3, 5],
        ] as const),
      );
    } else if (u.isRental) {
      n = random.int(Math.min(2, cap), cap);
    } else {
      n = random.weighted([
        [1, 10],
        [2, 30],
        [3, 35],
        [4, 18],
        [5, 7],
      ] as const);
    }
    k[i] = n;
    sum += n;
  });
  // Nudge units (never the overcrowded ones) until exactly `active` people live in them.
  let diff = active - sum;
  const maxTries = 50 * Math.abs(diff) + 1_000;
  for (let tries = 0; diff !== 0 && tries < maxTries; tries++) {
    const i = random.int(0, units.length - 1);
    if (crowded[i]) continue;
    const n = k[i] as number;
    if (diff > 0 && n < limit(units[i] as SeededUnit)) {
      k[i] = n + 1;
      diff--;
    } else if (diff < 0 && n > 0) {
      k[i] = n - 1;
      diff++;
    }
  }
  // Housing too small for the population: the rest crowd in where they can.
  for (let i = 0; diff > 0; i = (i + 1) % units.length) {
    if ((k[i] as number) < 250) {
      k[i] = (k[i] as number) + 1;
      diff--;
    }
  }
  for (const evenCrowded of [false, true]) {
    for (let i = 0; i < units.length && diff < 0; i++) {
      while (diff < 0 && (k[i] as number) > 0 && (evenCrowded || !crowded[i])) {
        k[i] = (k[i] as number) - 1;
        diff++;
      }
    }
  }
  return { k, crowded };
}

export async function seedResidents(
  ctx: SeedContext,
  housing: SeededHousing,
  enterprises: readonly Employer[],
): Promise<SeededResidents> {
  const random = ctx.random;
  const ref = dayOf(SEED_REFERENCE_DAY);
  const total = RESIDENT_COUNT[ctx.scale];
  const departedCount = Math.round(total * DEPARTED_SHARE);
  const activeCount = total - departedCount;
  const units = housing.units;
  if (units.length === 0) throw new Error("residents need housing: seed housing first");

  for (const o of ORIGINS)
    for (const c of [...o.counties, ...LOCAL_COUNTIES])
      if (!regionName(c)) throw new Error(`unknown region code ${c} in the residents seed`);

  const employers = enterprises.filter((e) => e.workforce > 0);
  const industryOf = new Map(employers.map((e) => [e.id, e.industry]));
  const pickEmployer = weightedPicker(employers, (e) => e.workforce);
  const employer = () => pickEmployer(random)?.id ?? null;
  const pickOrigin = weightedPicker(ORIGINS, (o) => o.weight);
  const nextId = createIdNumbers();

  // The demo enterprise's workspace shows an overcrowded dormitory room.
  const demoEmployer = enterprises.find((e) => e.demo)?.id;
  const demoRoom = demoEmployer
    ? units.findIndex((u) => u.kind === "dormitory" && u.landlordOrganisationId === demoEmployer)
    : -1;
  const { k, crowded } = planOccupancy(random, units, activeCount, demoRoom);
  let demoUnit = units.findIndex((u, i) => u.kind === "rental_block" && k[i] && !crowded[i]);
  if (demoUnit < 0) demoUnit = units.findIndex((_, i) => k[i] && !crowded[i]);

  const out: SeededResidents = { landlordCandidates: [], demoResidentId: null, count: 0 };
  const stats = { permit: 0, phone: 0, employed: 0, locals: 0 };
  let batch: Person[] = [];

  // While the database writes one batch, the next is generated and encrypted:
  // on PostgreSQL the two run on different cores.
  let writing: Promise<void> = Promise.resolve();
  const write = async (people: Person[], rows: Parameters<typeof repo.insertMany>[1]) => {
    const inserted = await repo.insertMany(ctx.trx, rows);
    const idByIndex = new Map(inserted.map((r) => [r.id_number_index, r.id]));
    const ids = rows.map((r) => idByIndex.get(r.id_number_index) as string);
    await repo.insertRegistrations(
      ctx.trx,
      people.map((p, i) => ({
        resident_id: ids[i] as string,
        unit_id: p.unit.id,
        moved_in: isoOf(p.movedIn),
        moved_out: p.movedOut === null ? null : isoOf(p.movedOut),
        channel: p.channel,
        registered_by: null,
      })),
    );
    people.forEach((p, i) => {
      if (p.landlordCandidate) out.landlordCandidates.push(ids[i] as string);
      if (p.demo) out.demoResidentId = ids[i] as string;
    });
    out.count += people.length;
  };
  const flush = async () => {
    const people = batch;
    batch = [];
    const rows: Parameters<typeof repo.insertMany>[1] = [];
    for (const p of people) {
      rows.push({
        name: p.name,
        ...identityColumns(ctx.fieldCrypto, p.idNumber, p.phone),
        arrival_date: p.arrival === null ? null : isoOf(p.arrival),
        employer_id: p.employerId,
        user_id: null,
        unit_id: p.status === "departed" ? null : p.unit.id,
        area_path: p.unit.areaPath,
        registered_since: p.status === "departed" ? null : isoOf(p.movedIn),
        status: p.status,
      });
      // Let the event loop read the database's answers meanwhile.
      if (rows.length % 500 === 0) await yieldToEventLoop();
    }
    await writing; // one statement at a time on the transaction
    writing = write(people, rows);
    // Handled here so a failure waits, without an unhandled rejection, for the next await.
    writing.catch(() => {});
  };

  /** Adds one person; ages in whole years on the reference day. */
  const add = async (p: {
    sex: "male" | "female";
    age: number;
    region: string;
    local: boolean;
    unit: SeededUnit;
    householdArrival: number;
    householdMovedIn: number;
    employed: boolean;
    employerId?: string | null;
    channel: Channel;
    departedOn?: number;
  }) => {
    const birthGuess = ref - Math.floor(p.age * 365.25) - random.int(0, 364);
    const [idNumber, birthDay] = nextId(p.region, birthGuess, p.sex);
    const birthYear = Number(isoOf(birthDay).slice(0, 4));
    const adult = p.age >= 16;
    const phone = random.chance(p.age >= 60 ? 0.5 : adult ? 0.8 : p.age >= 12 ? 0.2 : 0)
      ? mobileNumber(random)
      : null;
    // New citizens come at 16 at the earliest (children with their parents, or are born here).
    const arrival = p.local
      ? null
      : Math.max(p.householdArrival, adult ? birthDay + Math.round(16 * 365.25) : birthDay);
    const movedIn = Math.min(ref, Math.max(p.householdMovedIn, arrival ?? birthDay, birthDay));
    const employerId =
      p.age >= 18 && p.age < 60 && p.employed
        ? p.employerId !== undefined && p.employerId !== null
          ? p.employerId
          : employer()
        : null;
    let status: Person["status"] = "registered";
    if (p.departedOn !== undefined) status = "departed";
    else if (!p.local && adult && ref - movedIn >= 183 && random.chance(0.6))
      status = "permit_holder";
    const person: Person = {
      name: personName(random, p.sex, birthYear),
      idNumber,
      phone,
      arrival,
      unit: p.unit,
      movedIn,
      movedOut: p.departedOn === undefined ? null : Math.max(movedIn, p.departedOn),
      employerId: status === "departed" ? null : employerId,
      status,
      channel: p.channel,
      landlordCandidate: p.local && p.age >= 30 && status !== "departed",
      demo: false,
    };
    if (status === "permit_holder") stats.permit++;
    if (phone) stats.phone++;
    if (person.employerId) stats.employed++;
    if (p.local) stats.locals++;
    batch.push(person);
    if (batch.length >= BATCH) await flush();
    else if (batch.length % 1_000 === 0) await yieldToEventLoop();
  };

  const migrantOrigin = () =>
    random.pick((pickOrigin(random) as (typeof ORIGINS)[number]).counties);
  const householdDates = (local: boolean) => {
    if (local) return { arrival: ref, movedIn: ref - Math.floor(15 * 365 * random.next()) };
    // More recent arrivals than old ones: people come and go.
    const arrival = ref - Math.floor(3650 * random.next() ** 1.5);
    return { arrival, movedIn: arrival + Math.floor((ref - arrival) * random.next()) };
  };
  const channelFor = (u: SeededUnit): Channel =>
    u.kind === "dormitory"
      ? random.weighted([
          ["enterprise", 70],
          ["grid_worker", 15],
          ["import", 15],
        ] as const)
      : u.kind === "rental_block" || u.kind === "self_built"
        ? random.weighted([
            ["landlord", 45],
            ["grid_worker", 35],
            ["import", 20],
          ] as const)
        : u.isRental
          ? random.weighted([
              ["grid_worker", 45],
              ["landlord", 30],
              ["import", 25],
            ] as const)
          : random.weighted([
              ["grid_worker", 50],
              ["import", 50],
            ] as const);
  const workerAge = (max: number) => Math.round(clamp(random.normal(29, 8), 18, max));
  const FEMALE_SHARE: Record<string, number> = {
    电子信息: 0.55,
    医疗器械: 0.5,
    精密制造: 0.35,
    物流仓储: 0.2,
    建筑施工: 0.08,
  };

  for (let i = 0; i < units.length; i++) {
    const n = k[i] as number;
    if (n === 0) continue;
    const unit = units[i] as SeededUnit;
    const isFlat = unit.kind === "estate" || unit.kind === "old_estate";
    const local = isFlat && !unit.isRental && random.chance(0.6);
    const dates = householdDates(local);
    const base = {
      unit,
      local,
      householdArrival: dates.arrival,
      householdMovedIn: dates.movedIn,
      channel: channelFor(unit),
    };
    const homeRegion = local ? random.pick(LOCAL_COUNTIES) : migrantOrigin();
    // Relatives and fellow villagers share a hometown; others come from anywhere.
    const regionOfMate = () =>
      local ? random.pick(LOCAL_COUNTIES) : random.chance(0.4) ? homeRegion : migrantOrigin();

    if (i === demoUnit) {
      const birthDay = dayOf(DEMO.birthDate);
      const [idNumber] = nextId(DEMO.region, birthDay, "male");
      const movedIn = ref - 200; // registered long enough to apply for a residence permit
      batch.push({
        name: DEMO.name,
        idNumber,
        phone: mobileNumber(random),
        arrival: ref - 5 * 365,
        unit,
        movedIn,
        movedOut: null,
        employerId: employer(),
        status: "registered",
        channel: "landlord",
        landlordCandidate: false,
        demo: true,
      });
      for (let j = 1; j < n; j++)
        await add({
          ...base,
          sex: random.chance(0.6) ? "male" : "female",
          age: workerAge(55),
          region: regionOfMate(),
          employed: random.chance(0.78),
        });
      continue;
    }

    if (unit.kind === "dormitory") {
      const female = FEMALE_SHARE[industryOf.get(unit.landlordOrganisationId ?? "") ?? ""] ?? 0.4;
      // Dormitories are single-sex by room.
      const sex = random.chance(female) ? "female" : "male";
      for (let j = 0; j < n; j++)
        await add({
          ...base,
          sex,
          age: workerAge(50),
          region: j === 0 ? homeRegion : regionOfMate(),
          employed: true,
          employerId: random.chance(0.9) ? unit.landlordOrganisationId : null,
        });
      continue;
    }

    const family = !crowded[i] && n >= 2 && (isFlat ? random.chance(0.85) : random.chance(0.55));
    if (!family) {
      // Single workers, or co-renters (all of them in an overcrowded let).
      for (let j = 0; j < n; j++)
        await add({
          ...base,
          sex: random.chance(0.58) ? "male" : "female",
          age: local ? Math.round(clamp(random.normal(45, 15), 18, 85)) : workerAge(58),
          region: j === 0 ? homeRegion : regionOfMate(),
          employed: random.chance(local ? 0.4 : 0.78),
        });
      continue;
    }
    // A couple, maybe a grandparent, and children.
    const husband = Math.round(clamp(random.normal(local ? 42 : 35, 9), 22, 70));
    const wife = Math.round(clamp(husband - random.normal(2, 2), 20, 68));
    const spouseRegion = random.chance(0.7) ? homeRegion : regionOfMate();
    await add({
      ...base,
      sex: "male",
      age: husband,
      region: homeRegion,
      employed: random.chance(local ? 0.45 : 0.82),
    });
    await add({
      ...base,
      sex: "female",
      age: wife,
      region: spouseRegion,
      employed: random.chance(local ? 0.4 : 0.6),
    });
    let rest = n - 2;
    if (rest > 0 && husband >= 30 && random.chance(0.3)) {
      await add({
        ...base,
        sex: random.chance(0.6) ? "female" : "male",
        age: Math.min(88, husband + random.int(24, 32)),
        region: homeRegion,
        employed: false,
      });
      rest--;
    }
    for (let c = 0; c < rest; c++) {
      if (c >= 2 || wife < 20 || random.chance(0.35)) {
        // Often not a child but a brother or cousin from home.
        await add({
          ...base,
          sex: "male",
          age: workerAge(40),
          region: regionOfMate(),
          employed: true,
        });
      } else {
        await add({
          ...base,
          sex: random.chance(0.52) ? "male" : "female",
          age: random.int(0, Math.min(17, wife - 20)),
          region: homeRegion,
          employed: false,
        });
      }
    }
  }

  // Those who have left: mostly single workers, from rented rooms and dormitories.
  const lets = units.filter((u) => u.isRental);
  for (let j = 0; j < departedCount; j++) {
    const unit = random.pick(lets.length ? lets : units);
    const dates = householdDates(false);
    const movedIn = Math.min(dates.movedIn, ref - 60);
    await add({
      sex: random.chance(0.6) ? "male" : "female",
      age: workerAge(55),
      region: migrantOrigin(),
      local: false,
      unit,
      householdArrival: Math.min(dates.arrival, movedIn),
      householdMovedIn: movedIn,
      employed: false,
      channel: channelFor(unit),
      departedOn: movedIn + random.int(30, Math.max(30, ref - movedIn)),
    });
  }
  if (batch.length) await flush();
  await writing;

  const overcrowded = crowded.reduce((a, b) => a + b, 0);
  ctx.log(
    `residents: ${out.count} (${departedCount} departed, ${stats.locals} locals, ${stats.permit} permit holders, ${stats.phone} with a phone, ${stats.employed} employed); ${overcrowded} overcrowded units`,
  );
  return out;
}

/** Links the demo `resident` account to its seeded resident row. */
export async function linkDemoResident(ctx: SeedContext, residents: SeededResidents) {
  if (!residents.demoResidentId) return;
  const userId = await repo.linkAccount(ctx.trx, residents.demoResidentId, DEMO.account);
  if (!userId) throw new Error(`the demo account "${DEMO.account}" does not exist`);
  ctx.log(`linked account ${DEMO.account} to resident ${DEMO.name}`);
}
