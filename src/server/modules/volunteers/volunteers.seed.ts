/**
 * Volunteers for the demo district: residents who signed up (with accounts),
 * teams by community, association and enterprise with their leaders,
 * training records, and a year of shifts with sign-ups, check-ins and
 * verified hours, as uneven as real volunteering: many signed up and never
 * came, most came now and then, a few come every week. A few patrol
 * observations became cases (channel 'volunteer'); a few volunteers mediate
 * dispute cases. The demo `resident` is a volunteer with a patrol coming up
 * in the demo grid worker's grid, and the grid worker has hours to verify.
 *
 * Times are relative to the moment the seed runs (like the case history), so
 * upcoming shifts are upcoming.
 */
import { sql } from "kysely";
import { CASE_TAXONOMY } from "../../../shared/case-taxonomy.js";
import {
  DIALECTS,
  PROVINCE_DIALECTS,
  SHIFT_RULES,
  VOLUNTEER_SKILLS,
} from "../../../shared/schemas/volunteers.js";
import { addWorkingDays, addWorkingHours, DEFAULT_CALENDAR } from "../../../shared/working-time.js";
import type { Random } from "../../seed/random.js";
import type { Scale, SeedContext } from "../../seed/seed-context.js";
import { CaseReference, snapshotRoutingSource } from "../cases/case-reference.js";
import { routeCase } from "../cases/routing-rules.service.js";
import {
  type Boundary,
  boundaryBbox,
  boundaryInteriorPoint,
  pointInBoundary,
} from "../geo/geometry.js";
import { serviceMinutes } from "./shift-rules.js";

const SIZES: Record<Scale, { volunteers: number; teams: number }> = {
  small: { volunteers: 200, teams: 10 },
  medium: { volunteers: 5_000, teams: 150 },
  large: { volunteers: 20_000, teams: 600 },
};
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const CHINA = 8 * HOUR;

/** How much a volunteer shows up: the share who never came is large, the very active few. */
const ACTIVITY = [
  ["never", 35],
  ["rare", 30],
  ["regular", 27],
  ["core", 8],
] as const;
type Activity = (typeof ACTIVITY)[number][0];
/** Weight of being drawn for a shift, and the chance of coming once signed up. */
const DRAW: Record<Activity, { weight: number; show: number }> = {
  never: { weight: 1, show: 0 },
  rare: { weight: 1.5, show: 0.45 },
  regular: { weight: 4, show: 0.8 },
  core: { weight: 14, show: 0.95 },
};

const TRAININGS = [
  { title: "平安志愿者岗前培训", issuer: "区综治中心", years: null },
  { title: "应急救护员证", issuer: "区红十字会", years: 3 },
  { title: "人民调解员业务培训", issuer: "区司法局", years: 2 },
  { title: "消防安全知识培训", issuer: "区消防救援大队", years: 1 },
  { title: "反诈宣传员培训", issuer: "区公安分局", years: null },
  { title: "心理援助志愿者培训", issuer: "区卫生健康委", years: 2 },
] as const;

const SHIFT_TITLES: Record<string, string[]> = {
  patrol: [
    "夜间治安巡逻",
    "群租房消防巡查",
    "电动车充电隐患巡查",
    "校园周边护学岗",
    "集市秩序巡逻",
  ],
  publicity: ["反诈宣传进社区", "消防安全宣传", "新市民政策宣讲", "禁毒知识宣传"],
  mediation: ["老乡调解接待日", "劳资纠纷调解值班"],
  visit: ["事件办结回访"],
};

interface Community {
  id: string;
  code: string;
  name: string;
  path: string;
}
interface Grid {
  id: string;
  code: string;
  path: string;
  boundary: Boundary;
}

type Row = Record<string, unknown>;

/** Inserts rows given as one JSON array (columns: every key any row has; missing ones are NULL). */
async function insertJson(
  ctx: SeedContext,
  table: string,
  rows: Row[],
  returning: string[] = [],
): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    if (!chunk.length) break;
    const keys = new Set<string>();
    for (const row of chunk) for (const k of Object.keys(row)) keys.add(k);
    const cols = sql.join([...keys].map((k) => sql.ref(k)));
    const r = await sql<Row>`
      INSERT INTO ${sql.table(table)} (${cols})
      SELECT ${cols} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(chunk)}::json)
      ${returning.length ? sql`RETURNING ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``}`.execute(
      ctx.trx,
    );
    out.push(...r.rows);
  }
  return out;
}

const communityPathOf = (path: string) => `/${path.split("/").slice(1, 4).join("/")}/`;

function pickSome<T>(r: Random, items: readonly T[], min: number, max: number): T[] {
  return r.shuffle(items).slice(0, r.int(min, Math.min(max, items.length)));
}

/** A China-time clock hour on the day of `ms`, as a UTC instant. */
const atChinaHour = (ms: number, hour: number) =>
  Math.floor((ms + CHINA) / DAY) * DAY - CHINA + hour * HOUR;

export async function seedVolunteers(ctx: SeedContext, now = new Date()) {
  const started = Date.now();
  const r = ctx.random;
  const size = SIZES[ctx.scale];
  const nowMs = now.getTime();
  const trx = ctx.trx;

  const communities: Community[] = await trx
    .selectFrom("areas")
    .select(["id", "code", "name", "path"])
    .where("level", "=", "community")
    .orderBy("code")
    .execute();
  const communityByPath = new Map(communities.map((c) => [c.path, c]));
  const grids: Grid[] = (
    await trx
      .selectFrom("areas")
      .select(["id", "code", "path", "boundary"])
      .where("level", "=", "grid")
      .where("boundary", "is not", null)
      .orderBy("code")
      .execute()
  ).map((g) => ({ ...g, boundary: g.boundary as Boundary }));
  const gridsByCommunity = new Map<string, Grid[]>();
  for (const g of grids) {
    const c = communityPathOf(g.path);
    gridsByCommunity.set(c, [...(gridsByCommunity.get(c) ?? []), g]);
  }
  const users = new Map(
    (
      await trx
        .selectFrom("users")
        .select(["id", "username", "password_hash"])
        .where("username", "in", [
          "resident",
          "gridworker",
          "coordinator",
          "association",
          "enterprise",
        ])
        .execute()
    ).map((u) => [u.username, u]),
  );
  const demoResident = users.get("resident");
  const gridworker = users.get("gridworker");
  const coordinator = users.get("coordinator");
  if (!demoResident || !gridworker || !coordinator) throw new Error("demo accounts are missing");
  const gwGrant = await trx
    .selectFrom("role_grants as g")
    .innerJoin("areas as a", "a.id", "g.area_id")
    .select(["a.id", "a.path"])
    .where("g.user_id", "=", gridworker.id)
    .executeTakeFirstOrThrow();
  const demoGrid = grids.find((g) => g.id === gwGrant.id) as Grid;
  const demoCommunity = communityByPath.get(communityPathOf(gwGrant.path)) as Community;
  const orgGrants = await trx
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["g.organisation_id", "u.id as user_id"])
    .where("g.role", "in", ["association_rep", "enterprise_officer"])
    .execute();
  const repOf = new Map(orgGrants.map((g) => [g.organisation_id as string, g.user_id]));

  // ------------------------------------------------------------ people
  // A spread over the district (md5 of the id: deterministic, unlike random()).
  const candidates = await sql<{
    id: string;
    name: string;
    origin_province: string;
    area_path: string;
    birth_date: string;
  }>`
    SELECT id, name, origin_province, area_path, birth_date::text AS birth_date FROM residents
    WHERE user_id IS NULL AND status <> 'departed' AND area_path IS NOT NULL
      AND birth_date BETWEEN '1956-01-01' AND '2006-01-01'
    ORDER BY md5(id::text) LIMIT ${size.volunteers * 4}`.execute(trx);
  const people = r
    .shuffle(candidates.rows)
    .filter((p) => communityByPath.has(communityPathOf(p.area_path)))
    .slice(0, size.volunteers);
  const userRows = people.map((p, i) => ({
    username: `volunteer-${String(i + 1).padStart(5, "0")}`,
    // The demo password: any seeded volunteer can be tried out.
    password_hash: demoResident.password_hash,
    display_name: p.name,
  }));
  const userIds = (await insertJson(ctx, "users", userRows, ["id"])).map((u) => String(u.id));
  await insertJson(
    ctx,
    "role_grants",
    userIds.map((u) => ({ user_id: u, role: "resident", scope_kind: "self" })),
  );
  await sql`
    UPDATE residents r SET user_id = x.user_id
    FROM unnest(${people.map((p) => p.id)}::bigint[], ${userIds}::bigint[]) AS x(id, user_id)
    WHERE r.id = x.id`.execute(trx);

  const skillWeights: Record<string, number> = {
    patrol: 10,
    publicity: 5,
    mediation: 3,
    first_aid: 3,
    fire_safety: 3,
    interpreting: 2,
    elderly_care: 2,
    child_care: 1,
    legal_aid: 1,
    psychological_support: 1,
    labour_rights: 2,
    it_support: 1,
    driving: 2,
  };
  const activity: Activity[] = [];
  const volunteerRows = people.map((p, i) => {
    const community = communityByPath.get(communityPathOf(p.area_path)) as Community;
    const other = r.chance(0.15) ? r.pick(communities) : null;
    const preferred = other && other.id !== community.id ? [community, other] : [community];
    const skills = new Set<string>();
    const n = r.int(1, 4);
    for (let k = 0; k < n * 2 && skills.size < n; k++)
      skills.add(r.weighted(VOLUNTEER_SKILLS.map((s) => [s, skillWeights[s] ?? 1] as const)));
    const homeDialects = PROVINCE_DIALECTS[p.origin_province] ?? [];
    const dialects =
      homeDialects.length && r.chance(0.75)
        ? pickSome(r, homeDialects, 1, 2)
        : r.chance(0.2)
          ? [r.pick(DIALECTS)]
          : [];
    const languages = [
      "普通话",
      ...(r.chance(0.06) ? [r.pick(["英语", "手语", "维吾尔语", "彝语"])] : []),
    ];
    const slots = pickSome(
      r,
      [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) =>
        (["morning", "afternoon", "evening"] as const).map((slot) => ({ weekday, slot })),
      ),
      1,
      8,
    ).sort((a, b) => a.weekday - b.weekday);
    activity.push(r.weighted(ACTIVITY));
    return {
      user_id: userIds[i],
      resident_id: p.id,
      area_id: community.id,
      area_path: community.path,
      preferred_area_ids: preferred.map((c) => c.id),
      status: r.chance(0.04) ? "withdrawn" : "active",
      skills: [...skills],
      languages,
      dialects,
      origin_province: p.origin_province,
      availability: slots,
      created_at: new Date(nowMs - r.float(20, 720) * DAY),
    };
  });
  const volunteerIds = (await insertJson(ctx, "volunteers", volunteerRows, ["id"])).map((v) =>
    String(v.id),
  );
  const volunteers = volunteerIds.map((id, i) => {
    const row = volunteerRows[i] as (typeof volunteerRows)[number];
    return {
      id,
      userId: userIds[i] as string,
      community: row.area_path,
      activity: activity[i] as Activity,
      createdAt: row.created_at.getTime(),
      active: row.status === "active",
      mediation: row.skills.includes("mediation"),
    };
  });

  // The demo resident volunteers in the demo grid worker's community.
  const demoRes = await trx
    .selectFrom("residents")
    .select(["id", "origin_province"])
    .where("user_id", "=", demoResident.id)
    .executeTakeFirst();
  const [demoVol] = await insertJson(
    ctx,
    "volunteers",
    [
      {
        user_id: demoResident.id,
        resident_id: demoRes?.id ?? null,
        area_id: demoCommunity.id,
        area_path: demoCommunity.path,
        preferred_area_ids: [demoCommunity.id],
        status: "active",
        skills: ["patrol", "publicity", "interpreting"],
        languages: ["普通话"],
        dialects: [...(PROVINCE_DIALECTS[demoRes?.origin_province ?? ""] ?? ["中原官话"])],
        origin_province: demoRes?.origin_province ?? null,
        availability: [
          { weekday: 6, slot: "morning" },
          { weekday: 7, slot: "evening" },
        ],
        created_at: new Date(nowMs - 120 * DAY),
      },
    ],
    ["id"],
  );
  const demo = {
    id: String(demoVol?.id),
    userId: demoResident.id,
    community: demoCommunity.path,
    activity: "regular" as Activity,
    createdAt: nowMs - 120 * DAY,
    active: true,
    mediation: false,
  };

  // ------------------------------------------------------------- teams
  const byCommunity = new Map<string, typeof volunteers>();
  for (const v of volunteers)
    byCommunity.set(v.community, [...(byCommunity.get(v.community) ?? []), v]);
  const busiest = [...byCommunity.entries()].sort((a, b) => b[1].length - a[1].length);
  const orgs = await trx
    .selectFrom("organisations")
    .select(["id", "kind", "name", "area_path", "provinces"])
    .orderBy("id")
    .execute();
  const associations = orgs.filter((o) => o.kind === "association");
  const enterprises = orgs.filter((o) => o.kind === "enterprise");
  const teamPlans: {
    name: string;
    kind: "community" | "association" | "enterprise";
    community: Community;
    organisationId: string | null;
    createdBy: string;
  }[] = [];
  const names = new Set<string>();
  const addTeam = (t: (typeof teamPlans)[number]) => {
    let name = t.name;
    for (let k = 2; names.has(`${t.community.path}|${name}`); k++) name = `${t.name}${k}队`;
    names.add(`${t.community.path}|${name}`);
    teamPlans.push({ ...t, name });
  };
  // The demo grid worker's community has its own team (the demo resident's).
  addTeam({
    name: `${demoCommunity.name}平安志愿服务队`,
    kind: "community",
    community: demoCommunity,
    organisationId: null,
    createdBy: gridworker.id,
  });
  const demoAssociation = associations[0];
  if (demoAssociation) {
    const c = communityByPath.get(communityPathOf(demoAssociation.area_path)) ?? demoCommunity;
    addTeam({
      name: `${demoAssociation.name}志愿服务队`,
      kind: "association",
      community: c,
      organisationId: demoAssociation.id,
      createdBy: repOf.get(demoAssociation.id) ?? coordinator.id,
    });
  }
  for (let i = 0; teamPlans.length < size.teams; i++) {
    const kind = r.weighted([
      ["community", 70],
      ["association", associations.length ? 20 : 0],
      ["enterprise", enterprises.length ? 10 : 0],
    ] as const);
    const [path] = busiest[i % Math.max(1, busiest.length)] ?? [demoCommunity.path];
    const community = communityByPath.get(path) ?? demoCommunity;
    if (kind === "community")
      addTeam({
        name: `${community.name}${r.pick(["平安志愿服务队", "夜巡队", "新市民志愿服务队", "护学队", "巾帼志愿队"])}`,
        kind,
        community,
        organisationId: null,
        createdBy: community.id === demoCommunity.id ? gridworker.id : coordinator.id,
      });
    else {
      const org = r.pick(kind === "association" ? associations : enterprises);
      addTeam({
        name: `${org.name}${kind === "association" ? "志愿服务队" : "护厂志愿队"}`,
        kind,
        community,
        organisationId: org.id,
        createdBy: repOf.get(org.id) ?? coordinator.id,
      });
    }
  }
  const teamIds = (
    await insertJson(
      ctx,
      "teams",
      teamPlans.map((t) => ({
        name: t.name,
        kind: t.kind,
        area_id: t.community.id,
        area_path: t.community.path,
        organisation_id: t.organisationId,
        description: null,
        created_by: t.createdBy,
        created_at: new Date(nowMs - 400 * DAY),
      })),
      ["id"],
    )
  ).map((t) => String(t.id));
  const teams = teamPlans.map((t, i) => ({
    ...t,
    id: teamIds[i] as string,
    members: [] as typeof volunteers,
    leaders: [] as typeof volunteers,
  }));

  // Members: mostly a team of their community; a fifth also in a second team.
  const teamsByCommunity = new Map<string, typeof teams>();
  for (const t of teams)
    teamsByCommunity.set(t.community.path, [...(teamsByCommunity.get(t.community.path) ?? []), t]);
  const memberRows: Row[] = [];
  const join = (t: (typeof teams)[number], v: (typeof volunteers)[number]) => {
    if (t.members.includes(v)) return;
    t.members.push(v);
    memberRows.push({
      team_id: t.id,
      volunteer_id: v.id,
      role: "member",
      joined_at: new Date(Math.max(v.createdAt, nowMs - 400 * DAY) + r.float(0, 20) * DAY),
    });
  };
  for (const v of volunteers) {
    if (r.chance(0.12)) continue;
    const local = teamsByCommunity.get(v.community);
    join(local ? r.pick(local) : r.pick(teams), v);
    if (r.chance(0.2)) join(r.pick(teams), v);
  }
  const demoTeam = teams[0] as (typeof teams)[number];
  join(demoTeam, demo);
  // Leaders: the most active one or two of each team.
  const rank: Record<Activity, number> = { core: 0, regular: 1, rare: 2, never: 3 };
  for (const t of teams) {
    const best = [...t.members]
      .filter((m) => m !== demo && m.active)
      .sort((a, b) => rank[a.activity] - rank[b.activity]);
    t.leaders = best.slice(0, t.members.length > 25 ? 2 : 1);
  }
  const leaderSet = new Set(teams.flatMap((t) => t.leaders.map((l) => `${t.id}|${l.id}`)));
  for (const m of memberRows)
    if (leaderSet.has(`${m.team_id}|${m.volunteer_id}`)) m.role = "leader";
  await insertJson(ctx, "team_members", memberRows);

  // ---------------------------------------------------------- training
  const trainingRows: Row[] = [];
  for (const v of [...volunteers, demo]) {
    if (v.activity === "never" ? !r.chance(0.15) : !r.chance(0.55)) continue;
    for (const t of pickSome(r, TRAININGS, 1, v.activity === "core" ? 4 : 2)) {
      const issued = new Date(nowMs - r.float(10, 700) * DAY);
      const on = new Date(issued.getTime() + CHINA).toISOString().slice(0, 10);
      const until = t.years
        ? new Date(issued.getTime() + CHINA + t.years * 365 * DAY).toISOString().slice(0, 10)
        : null;
      trainingRows.push({
        volunteer_id: v.id,
        title: t.title,
        issuer: t.issuer,
        issued_on: on,
        valid_until: until,
        certificate_no: t.years ? `ZY${on.replaceAll("-", "")}${r.int(1000, 9999)}` : null,
        recorded_by: coordinator.id,
      });
    }
  }
  await insertJson(ctx, "training_records", trainingRows);

  // ------------------------------------------------------------ shifts
  interface PlannedShift {
    kind: string;
    title: string;
    area: { id: string; path: string };
    grid: Grid | undefined;
    starts: number;
    ends: number;
    capacity: number;
    team: (typeof teams)[number] | null;
    createdBy: string;
  }
  const shifts: PlannedShift[] = [];
  const busy = new Map<string, [number, number][]>();
  const free = (v: { id: string }, s: number, e: number) =>
    !(busy.get(v.id) ?? []).some(([a, b]) => a < e && s < b);
  const book = (v: { id: string }, s: number, e: number) =>
    busy.set(v.id, [...(busy.get(v.id) ?? []), [s, e]]);
  const areaFor = (t: (typeof teams)[number]) => {
    const local = gridsByCommunity.get(t.community.path) ?? [];
    if (local.length === 0 || r.chance(0.2)) return { area: t.community, grid: local[0] };
    const g = r.pick(local);
    return { area: { id: g.id, path: g.path }, grid: g };
  };
  for (const t of teams) {
    if (t.members.length === 0) continue;
    // Busier teams go out more often: 2–8 shifts a month over the year.
    const perMonth = Math.min(8, 2 + Math.round(t.members.length / 15));
    const count = Math.round(perMonth * 12.5);
    for (let i = 0; i < count; i++) {
      const day = nowMs - 365 * DAY + r.float(0, 379) * DAY;
      const kind = r.weighted([
        ["patrol", 70],
        ["publicity", 18],
        ["mediation", t.kind === "association" ? 12 : 3],
      ] as const);
      const startHour = kind === "patrol" ? r.pick([9, 14, 19, 19, 20]) : r.pick([9, 10, 14, 15]);
      const starts = atChinaHour(day, startHour);
      const { area, grid } = areaFor(t);
      shifts.push({
        kind,
        title: r.pick(SHIFT_TITLES[kind] ?? ["志愿服务"]),
        area,
        grid,
        starts,
        ends: starts + r.pick([2, 2, 3, 4]) * HOUR,
        capacity: r.int(3, 12),
        team: t,
        createdBy: t.createdBy,
      });
    }
  }
  // Open (no team) shifts planned by the demo grid worker in their grid.
  for (let i = 0; i < (ctx.scale === "small" ? 12 : 60); i++) {
    const starts = atChinaHour(nowMs - 200 * DAY + r.float(0, 214) * DAY, r.pick([9, 19]));
    shifts.push({
      kind: "patrol",
      title: r.pick(SHIFT_TITLES.patrol ?? ["巡逻"]),
      area: { id: demoGrid.id, path: demoGrid.path },
      grid: demoGrid,
      starts,
      ends: starts + 2 * HOUR,
      capacity: r.int(4, 10),
      team: null,
      createdBy: gridworker.id,
    });
  }
  shifts.sort((a, b) => a.starts - b.starts);

  // The demo resident's shifts: a few past ones (verified, and one pending
  // for the grid worker), and a patrol coming up in the demo grid.
  const nextHour = Math.ceil((nowMs + HOUR) / HOUR) * HOUR;
  const demoShifts: PlannedShift[] = [
    ...[40, 26, 12, 2].map((daysAgo) => ({
      kind: "patrol",
      title: "夜间治安巡逻",
      area: { id: demoGrid.id, path: demoGrid.path },
      grid: demoGrid,
      starts: atChinaHour(nowMs - daysAgo * DAY, 19),
      ends: atChinaHour(nowMs - daysAgo * DAY, 21),
      capacity: 6,
      team: demoTeam,
      createdBy: gridworker.id,
    })),
    {
      kind: "patrol",
      title: "夜间治安巡逻",
      area: { id: demoGrid.id, path: demoGrid.path },
      grid: demoGrid,
      starts: nextHour,
      ends: nextHour + 2 * HOUR,
      capacity: 6,
      team: demoTeam,
      createdBy: gridworker.id,
    },
    {
      kind: "publicity",
      title: "反诈宣传进社区",
      area: { id: demoCommunity.id, path: demoCommunity.path },
      grid: demoGrid,
      starts: atChinaHour(nowMs + DAY, 9),
      ends: atChinaHour(nowMs + DAY, 11),
      capacity: 10,
      team: null,
      createdBy: gridworker.id,
    },
  ];
  for (const s of demoShifts) book(demo, s.starts, s.ends);
  const allShifts = [...shifts, ...demoShifts];
  const shiftIds = (
    await insertJson(
      ctx,
      "shifts",
      allShifts.map((s) => ({
        kind: s.kind,
        title: s.title,
        description: null,
        area_id: s.area.id,
        area_path: s.area.path,
        starts_at: new Date(s.starts),
        ends_at: new Date(s.ends),
        capacity: s.capacity,
        team_id: s.team?.id ?? null,
        organisation_id: s.team?.organisationId ?? null,
        fence_tolerance_m: SHIFT_RULES.defaultFenceToleranceM,
        status: "open",
        created_by: s.createdBy,
        created_at: new Date(Math.min(s.starts - r.float(1, 10) * DAY, nowMs)),
      })),
      ["id"],
    )
  ).map((x) => String(x.id));

  // ----------------------------------------------------------- sign-ups
  const interior = new Map<string, number[]>();
  const pointOf = (g: Grid) => {
    let p = interior.get(g.id);
    if (!p) {
      p = boundaryInteriorPoint(g.boundary);
      interior.set(g.id, p);
    }
    return p;
  };
  const signupRows: Row[] = [];
  const attended: { shiftIndex: number; volunteer: (typeof volunteers)[number]; at: number }[] = [];
  const everyone = volunteers.filter((v) => v.active);
  /** Closed by the system at the shift's end, as the shift-checkouts job does. */
  const forgetCheckout = (row: Row, s: PlannedShift) => {
    row.checked_out_at = new Date(s.ends);
    row.check_out_lat = null;
    row.check_out_lng = null;
    row.check_out_accuracy = null;
    row.minutes = serviceMinutes(
      row.checked_in_at as Date,
      new Date(s.ends),
      new Date(s.starts),
      new Date(s.ends),
    );
    row.checkout_source = "auto";
  };
  const addSignup = (shiftIndex: number, v: (typeof volunteers)[number], comes: boolean) => {
    const s = allShifts[shiftIndex] as PlannedShift;
    const row: Row = {
      shift_id: shiftIds[shiftIndex],
      volunteer_id: v.id,
      status: "signed_up",
      created_at: new Date(Math.max(s.starts - r.float(0.2, 7) * DAY, v.createdAt)),
    };
    const inAt = s.starts + r.float(-20, 12) * MINUTE;
    if (comes && inAt <= nowMs) {
      const p = s.grid ? pointOf(s.grid) : [0, 0];
      row.status = "checked_in";
      row.checked_in_at = new Date(inAt);
      row.check_in_lat = p[1];
      row.check_in_lng = p[0];
      row.check_in_accuracy = Math.round(r.float(5, 60));
      const outAt = s.ends + r.float(-25, 20) * MINUTE;
      if (outAt <= nowMs) {
        const minutes = serviceMinutes(
          new Date(inAt),
          new Date(outAt),
          new Date(s.starts),
          new Date(s.ends),
        );
        row.status = "checked_out";
        row.checked_out_at = new Date(outAt);
        row.check_out_lat = p[1];
        row.check_out_lng = p[0];
        row.check_out_accuracy = Math.round(r.float(5, 60));
        row.minutes = minutes;
        row.checkout_source = "volunteer";
        // Recent hours wait for verification; older ones were decided.
        const decided = outAt < nowMs - r.float(1, 6) * DAY;
        // Now and then one forgets to check out: the shift-checkouts job closed
        // it at the end, and it waits, flagged 未签退, for the verifier (no
        // draw from `r`, so the rest of the district stays as it was).
        if (!decided && v !== demo && signupRows.length % 41 === 7 && s.ends + 2 * HOUR <= nowMs)
          forgetCheckout(row, s);
        const leader = s.team?.leaders.find((l) => l.userId !== v.userId);
        const verifier = leader?.userId ?? s.createdBy;
        if (!decided || verifier === v.userId) row.hours_status = "pending";
        else {
          const rejected = r.chance(0.03);
          row.hours_status = rejected ? "rejected" : "verified";
          row.verified_by = verifier;
          row.verified_at = new Date(outAt + r.float(2, 72) * HOUR);
          if (rejected) row.reject_reason = "签到后提前离开，未实际参与巡逻";
        }
        attended.push({ shiftIndex, volunteer: v, at: inAt });
      }
    }
    signupRows.push(row);
  };
  const pickers = new Map<string, (rand: Random) => (typeof volunteers)[number] | undefined>();
  const pickerFor = (pool: typeof volunteers, key: string) => {
    let p = pickers.get(key);
    if (!p) {
      const weights = pool.map((v) => DRAW[v.activity].weight);
      const sums = new Float64Array(weights.length);
      let total = 0;
      weights.forEach((w, i) => {
        total += w;
        sums[i] = total;
      });
      p = (rand) => {
        if (!pool.length) return undefined;
        const x = rand.next() * total;
        let lo = 0;
        let hi = sums.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((sums[mid] as number) > x) hi = mid;
          else lo = mid + 1;
        }
        return pool[lo];
      };
      pickers.set(key, p);
    }
    return p;
  };
  shifts.forEach((s, shiftIndex) => {
    const pool = s.team ? s.team.members.filter((m) => m.active && m !== demo) : everyone;
    if (!pool.length) return;
    const pick = pickerFor(pool, s.team?.id ?? "open");
    const future = s.starts > nowMs;
    const want = Math.min(
      pool.length,
      future ? r.int(0, s.capacity) : r.int(Math.ceil(s.capacity / 3), s.capacity),
    );
    const chosen = new Set<(typeof volunteers)[number]>();
    for (let k = 0; k < want * 4 && chosen.size < want; k++) {
      const v = pick(r);
      if (!v || chosen.has(v) || v.createdAt > s.starts || !free(v, s.starts, s.ends)) continue;
      chosen.add(v);
      book(v, s.starts, s.ends);
    }
    for (const v of chosen) addSignup(shiftIndex, v, r.chance(DRAW[v.activity].show));
  });
  // The demo resident: came to the past ones, signed up for the coming patrol.
  const demoBase = shifts.length;
  for (let k = 0; k < 5; k++) addSignup(demoBase + k, demo, k < 4);
  // Fellow members on the demo shifts, so the grid worker has hours to verify.
  for (let k = 0; k < 4; k++) {
    const others = demoTeam.members.filter((m) => m !== demo && m.active).slice(0, 3);
    for (const v of others)
      if (free(v, allShifts[demoBase + k]?.starts ?? 0, allShifts[demoBase + k]?.ends ?? 0)) {
        book(v, allShifts[demoBase + k]?.starts ?? 0, allShifts[demoBase + k]?.ends ?? 0);
        addSignup(demoBase + k, v, true);
      }
  }
  // The latest demo-grid hours wait for the grid worker; one fellow member
  // forgot to check out there (未签退, for the grid worker to fix).
  let forgotten = false;
  for (const row of signupRows)
    if (row.shift_id === shiftIds[demoBase + 3] && row.status === "checked_out") {
      row.hours_status = "pending";
      row.verified_by = null;
      row.verified_at = null;
      row.reject_reason = null;
      if (!forgotten && row.volunteer_id !== demo.id) {
        forgetCheckout(row, allShifts[demoBase + 3] as PlannedShift);
        forgotten = true;
      }
    }
  // The demo association's latest attended team shift waits for its
  // representative as well (时长核验 has work for the association too). No
  // draw from `r`: the rest of the district stays as it was.
  const associationTeam = teams[1]?.organisationId === demoAssociation?.id ? teams[1] : undefined;
  const attendedShifts = new Set(
    signupRows.filter((row) => row.status === "checked_out").map((row) => row.shift_id),
  );
  const latestAssociationShift = associationTeam
    ? allShifts.reduce<number>(
        (best, s, i) =>
          s.team?.id === associationTeam.id &&
          attendedShifts.has(shiftIds[i]) &&
          (best < 0 || s.starts > (allShifts[best] as PlannedShift).starts)
            ? i
            : best,
        -1,
      )
    : -1;
  for (const row of signupRows)
    if (
      latestAssociationShift >= 0 &&
      row.shift_id === shiftIds[latestAssociationShift] &&
      row.status === "checked_out" &&
      row.checkout_source === "volunteer"
    ) {
      row.hours_status = "pending";
      row.verified_by = null;
      row.verified_at = null;
      row.reject_reason = null;
    }
  const signupIds = (await insertJson(ctx, "shift_signups", signupRows, ["id"])).map((x) =>
    String(x.id),
  );
  // The log of each sign-up, written by the database from the rows themselves.
  await sql`
    INSERT INTO shift_signup_actions (signup_id, action, actor_user_id, new_minutes, created_at)
    SELECT g.id, 'sign_up', v.user_id, NULL::int, g.created_at FROM shift_signups g JOIN volunteers v ON v.id = g.volunteer_id
    UNION ALL
    SELECT g.id, 'check_in', v.user_id, NULL::int, g.checked_in_at FROM shift_signups g JOIN volunteers v ON v.id = g.volunteer_id
      WHERE g.checked_in_at IS NOT NULL
    UNION ALL
    SELECT g.id, 'check_out', v.user_id, g.minutes, g.checked_out_at FROM shift_signups g JOIN volunteers v ON v.id = g.volunteer_id
      WHERE g.checked_out_at IS NOT NULL AND g.checkout_source IS DISTINCT FROM 'auto'
    UNION ALL
    SELECT g.id, 'verify', g.verified_by, NULL::int, g.verified_at
      FROM shift_signups g WHERE g.hours_status = 'verified'`.execute(trx);
  await sql`
    INSERT INTO shift_signup_actions (signup_id, action, actor_user_id, new_minutes, new_checked_out_at, reason, created_at)
    SELECT g.id, 'auto_check_out', NULL, g.minutes, g.checked_out_at,
      '班次结束 2 小时后仍未签退，系统按班次结束时间自动签退 / not checked out 2 hours after the shift''s end: closed at the end by the system',
      g.checked_out_at + interval '2 hours'
      FROM shift_signups g WHERE g.checkout_source = 'auto'`.execute(trx);
  await sql`
    INSERT INTO shift_signup_actions (signup_id, action, actor_user_id, old_minutes, reason, created_at)
    SELECT g.id, 'reject', g.verified_by, g.minutes, g.reject_reason, g.verified_at
      FROM shift_signups g WHERE g.hours_status = 'rejected'`.execute(trx);

  // ------------------------------------------------------ observations
  const observationCount = Math.max(5, Math.round(attended.length * 0.01));
  const patrols = attended.filter(
    (a) => allShifts[a.shiftIndex]?.kind === "patrol" && allShifts[a.shiftIndex]?.grid,
  );
  const chosenObs = pickSome(
    r,
    patrols,
    Math.min(observationCount, patrols.length),
    observationCount,
  );
  const families = ["public_order", "fire_hazard", "environment", "traffic", "rental_housing"];
  const leaves = CASE_TAXONOMY.filter(
    (c) =>
      c.parent !== null &&
      !c.invalid &&
      families.includes(c.parent) &&
      c.fields.every((f) => !f.required),
  );
  const reference = await new CaseReference(trx, Number.POSITIVE_INFINITY).get();
  const source = snapshotRoutingSource(reference, trx);
  const caseRows: Row[] = [];
  const caseMeta: {
    lead: { id: string; name: string } | null;
    at: number;
    obs: (typeof chosenObs)[number];
  }[] = [];
  for (const o of chosenObs) {
    const s = allShifts[o.shiftIndex] as PlannedShift;
    const grid = s.grid as Grid;
    const cat = r.pick(leaves);
    const bbox = boundaryBbox(grid.boundary);
    let [lng, lat] = boundaryInteriorPoint(grid.boundary);
    for (let t = 0; t < 8; t++) {
      const x = r.float(bbox[0], bbox[2]);
      const y = r.float(bbox[1], bbox[3]);
      if (pointInBoundary(grid.boundary, x, y)) {
        lng = x;
        lat = y;
        break;
      }
    }
    const routed = await routeCase(source, {
      categoryCode: cat.code,
      areaPath: grid.path,
      severity: cat.severity,
      fields: {},
    });
    const at = o.at + r.float(10, 80) * MINUTE;
    const age = (nowMs - at) / DAY;
    const lead = routed.lead;
    const closed = lead !== null && age > 20;
    const dispatched = lead !== null;
    caseRows.push({
      code: null,
      category_code: cat.code,
      severity: cat.severity,
      status: closed ? "closed" : dispatched ? "dispatched" : "reported",
      description: `巡逻中发现：${cat.name}，请相关部门处理`,
      fields: {},
      lat,
      lng,
      grid_id: grid.id,
      area_path: grid.path,
      channel: "volunteer",
      reporter_user_id: o.volunteer.userId,
      lead_department_id: lead?.id ?? null,
      routing_rule_id: lead ? routed.ruleId : null,
      dispatched_at: dispatched ? new Date(at + MINUTE) : null,
      accept_due_at: dispatched
        ? addWorkingHours(new Date(at), cat.acceptHours, DEFAULT_CALENDAR)
        : null,
      resolve_due_at: dispatched
        ? addWorkingDays(new Date(at), cat.resolveDays, DEFAULT_CALENDAR)
        : null,
      accepted_at: closed ? new Date(at + 2 * HOUR) : null,
      resolved_at: closed ? new Date(at + r.float(1, 6) * DAY) : null,
      closed_at: closed ? new Date(at + r.float(7, 12) * DAY) : null,
      created_at: new Date(at),
      updated_at: new Date(closed ? at + 12 * DAY : at + MINUTE),
    });
    caseMeta.push({ lead, at, obs: o });
  }
  if (caseRows.length) {
    const codes = await sql<{ n: string }>`
      SELECT nextval('case_code_seq')::text AS n FROM generate_series(1, ${caseRows.length})`.execute(
      trx,
    );
    caseRows.forEach((c, i) => {
      const day = new Date((c.created_at as Date).getTime() + CHINA)
        .toISOString()
        .slice(0, 10)
        .replaceAll("-", "");
      c.code = `SJ${day}${(codes.rows[i]?.n ?? "0").padStart(6, "0")}`;
    });
    const caseIds = (await insertJson(ctx, "cases", caseRows, ["id"])).map((c) => String(c.id));
    const actionRows: Row[] = [];
    const partyRows: Row[] = [];
    caseRows.forEach((c, i) => {
      const m = caseMeta[i] as (typeof caseMeta)[number];
      const id = caseIds[i];
      actionRows.push({
        case_id: id,
        action: "report",
        to_status: "reported",
        actor_user_id: m.obs.volunteer.userId,
        actor_label: "志愿者",
        visibility: "public",
        details: { channel: "volunteer" },
        created_at: c.created_at,
      });
      if (m.lead) {
        actionRows.push({
          case_id: id,
          action: "dispatch",
          from_status: "reported",
          to_status: "dispatched",
          actor_label: "系统（权责清单）",
          note: `派往 ${m.lead.name}`,
          visibility: "public",
          details: {},
          created_at: c.dispatched_at,
        });
        partyRows.push({
          case_id: id,
          role: "lead",
          department_id: m.lead.id,
          created_at: c.dispatched_at,
        });
      }
      if (c.status === "closed")
        actionRows.push(
          {
            case_id: id,
            action: "accept",
            from_status: "dispatched",
            to_status: "accepted",
            actor_label: m.lead?.name,
            visibility: "public",
            details: {},
            created_at: c.accepted_at,
          },
          {
            case_id: id,
            action: "resolve",
            from_status: "accepted",
            to_status: "resolved",
            actor_label: m.lead?.name,
            note: "已现场处置，隐患已消除",
            visibility: "public",
            details: {},
            created_at: c.resolved_at,
          },
          {
            case_id: id,
            action: "close",
            from_status: "resolved",
            to_status: "closed",
            actor_label: "系统",
            note: "7 日内未评价，自动结案",
            visibility: "public",
            details: {},
            created_at: c.closed_at,
          },
        );
    });
    await insertJson(ctx, "case_actions", actionRows);
    await insertJson(ctx, "case_parties", partyRows);
    const signupIndex = new Map(
      signupRows.map((g, i) => [`${g.shift_id}|${g.volunteer_id}`, signupIds[i]]),
    );
    await insertJson(
      ctx,
      "shift_observations",
      caseMeta.map((m, i) => ({
        shift_id: shiftIds[m.obs.shiftIndex],
        signup_id: signupIndex.get(`${shiftIds[m.obs.shiftIndex]}|${m.obs.volunteer.id}`),
        volunteer_id: m.obs.volunteer.id,
        case_id: caseIds[i],
        created_at: caseRows[i]?.created_at,
      })),
    );
  }

  // --------------------------------------------------------- mediation
  const mediators = volunteers.filter((v) => v.mediation && v.active && v.activity !== "never");
  // Spread over the year (the cases lie in time order): every n-th dispute.
  const eligible = await trx
    .selectFrom("cases")
    .select(["id", "status", "created_at", "closed_at"])
    .where("category_code", "like", "dispute.%")
    .where("status", "in", ["closed", "in_progress", "accepted"])
    .where("channel", "<>", "anonymous")
    .orderBy("id")
    .limit(50_000)
    .execute();
  const mediations = ctx.scale === "small" ? 24 : 300;
  const every = Math.max(1, Math.floor(eligible.length / mediations));
  const disputes = eligible.filter((_, i) => i % every === every - 1).slice(0, mediations);
  if (mediators.length) {
    const partyRows: Row[] = [];
    const actionRows: Row[] = [];
    for (const d of disputes) {
      const v = r.pick(mediators);
      const at = new Date(new Date(d.created_at).getTime() + r.float(4, 48) * HOUR);
      const done = d.status === "closed";
      partyRows.push({
        case_id: d.id,
        role: "mediator",
        user_id: v.userId,
        task: "以新调新：协助老乡调解",
        status: done ? "done" : "open",
        completed_at: done ? d.closed_at : null,
        note: done ? "双方达成一致，已签订调解协议" : null,
        created_at: at,
      });
      actionRows.push({
        case_id: d.id,
        action: "invite",
        actor_label: "区综治中心",
        note: "邀请志愿者参与调解：以新调新：协助老乡调解",
        visibility: "public",
        details: { mediatorUserId: v.userId },
        created_at: at,
      });
    }
    await insertJson(ctx, "case_parties", partyRows);
    await insertJson(ctx, "case_actions", actionRows);
  }

  ctx.log(
    `volunteers: ${volunteers.length + 1} in ${teams.length} teams, ${allShifts.length} shifts, ${signupRows.length} sign-ups, ${caseRows.length} observations (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}
