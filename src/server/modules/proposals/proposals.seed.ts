/**
 * Demo deliberation: a year of proposals (≈300 at medium scale, 30 at small)
 * at real buildings of the communities where people live, with realistic
 * unevenness — most gather a few supporters, some many; about a third reach
 * the threshold and go to their department, most of those are answered
 * (accepted with milestones, in part, or rejected with reasons), a few wait
 * past their deadline (the overdue job flags them on start).
 *
 * Supporters from a community are its residents with accounts and its
 * volunteers; where there are too few, residents of the community get a
 * resident account (username jm + resident id, the demo password). The demo
 * `resident` proposes one open proposal and may support another one in their
 * community; `resident2` (张敏, in 狮山街道) is a second resident for the
 * browser test.
 *
 * Deterministic for a seed (ctx.random), relative to the day it runs, like
 * the case history.
 */

import { sql, type Transaction } from "kysely";
import type { ProposalTopic } from "../../../shared/schemas/proposals.js";
import { addWorkingDays, DEFAULT_CALENDAR } from "../../../shared/working-time.js";
import type { DB } from "../../db/schema.js";
import type { SeedContext } from "../../seed/seed-context.js";
import { departmentOfKindCovering } from "../departments/departments.service.js";
import { chinaDay, departmentKindsFor } from "./proposals.policy.js";
import * as repo from "./proposals.repository.js";

const DAY = 86_400_000;
const ANSWER_DAYS = 15;

/** Titles by topic; {p} is a place (an estate or a road). */
const TITLES: Record<ProposalTopic, string[]> = {
  public_order: [
    "增加{p}夜间巡逻频次",
    "{p}出入口加装监控探头",
    "{p}设置门岗访客登记",
    "组建{p}新市民平安巡逻队",
    "{p}周边开展防电诈宣传",
  ],
  traffic: [
    "{p}路口增设人行横道信号灯",
    "{p}门口设置减速带",
    "高峰时段{p}增派交通协管员",
    "整治{p}电动车逆行和闯红灯",
  ],
  fire: [
    "清理{p}出租屋消防通道",
    "{p}楼道增配灭火器",
    "清理{p}楼道堆放杂物",
    "{p}群租房安装独立烟感报警器",
  ],
  ev_charging: [
    "{p}建设电动车集中充电桩",
    "{p}增设电动车充电棚，禁止进楼充电",
    "{p}充电区加装喷淋和监控",
  ],
  lighting: [
    "{p}路灯不亮，尽快维修",
    "{p}背街小巷增设照明",
    "更换{p}破损井盖",
    "{p}楼道加装应急照明灯",
  ],
  rental_housing: ["规范{p}出租屋登记管理", "排查{p}群租房安全隐患", "建立{p}房东安全责任告知制度"],
  public_space: ["{p}增设休息座椅和宣传栏", "整治{p}占道经营", "{p}建设新市民活动室"],
  labour: ["{p}设立欠薪维权咨询点", "推动{p}周边企业按月足额发放工资"],
  dispute: ["{p}设立老乡调解室", "{p}建立以新调新调解员队伍"],
  other: ["{p}成立新市民议事会", "{p}开设新市民夜校安全课堂"],
};

const PROBLEMS: Record<ProposalTopic, string> = {
  public_order:
    "晚上下班回来路上人少，前段时间附近发生过几起电动车被盗和骚扰的事情，大家心里不踏实。",
  traffic: "上下班高峰人车混行，电动车、货车都从这里过，老人小孩过马路很危险，已经发生过剐蹭。",
  fire: "楼道和通道里堆放杂物、停放电动车，一旦着火人员很难疏散，消防车也开不进来。",
  ev_charging: "充电的地方太少，很多人只能从楼上拉线或者把电池带回房间充电，火灾隐患很大。",
  lighting: "这一段晚上黑漆漆的，坑洼和井盖看不清，下夜班的工友经常摔倒，也容易出治安问题。",
  rental_housing: "出租屋人员流动快，有的房间住了七八个人，房东不登记也不管安全，邻居意见很大。",
  public_space: "附近没有可以坐下来聊天、看通知的地方，摊位占了人行道，走路只能走到机动车道上。",
  labour: "不少工友遇到拖欠工资不知道找谁，跑到区里又远又耽误上班。",
  dispute: "老乡之间、房东和租客之间的小矛盾越积越多，光靠社区干部忙不过来，语言也不太通。",
  other: "新市民对社区的事情想出力，但不知道从哪里参与，也缺少和社区沟通的渠道。",
};

const REASONS = {
  accepted: [
    "经现场查看，建议合理可行，已列入本年度实施计划，具体进度见里程碑。",
    "建议反映的问题属实，我部门采纳并会同社区组织实施，按节点向居民公开进展。",
  ],
  partly_accepted: [
    "建议的主要内容采纳；部分内容涉及其他部门职责或场地条件暂不具备，已转交并说明。",
    "经评估，先在重点区域试点实施，其余部分视试点效果和经费安排再定。",
  ],
  rejected: [
    "该处已纳入片区整体改造规划，近期不单独实施；已请社区加强日常巡查作为过渡。",
    "经核实，相关设施已于近期配置到位，现状符合规范要求，暂不另行增加。",
    "建议事项不属于本部门职责，且现有条件不具备，已向提议人说明，请通过其他渠道反映。",
  ],
};

const MILESTONES: Record<ProposalTopic, string[]> = {
  public_order: ["制定巡逻方案", "组建巡逻队伍并培训", "开始夜间巡逻", "一个月后评估效果"],
  traffic: ["交通流量调查", "设计方案报批", "设施施工", "验收并开放"],
  fire: ["入户排查", "集中清理", "配置消防器材", "复查验收"],
  ev_charging: ["选址并征求居民意见", "充电设施采购", "安装调试", "投入使用"],
  lighting: ["现场勘查", "维修或增设照明", "夜间验收"],
  rental_housing: ["出租屋摸底登记", "约谈房东", "隐患整改", "复查"],
  public_space: ["方案设计", "征求意见", "施工建设", "投入使用"],
  labour: ["设点方案", "人员培训", "开放咨询"],
  dispute: ["招募调解员", "调解员培训", "调解室挂牌运行"],
  other: ["筹备方案", "首次活动", "形成常态机制"],
};

interface Pool {
  /** users whose support counts here, and on what basis */
  users: { userId: string; basis: "resident" | "volunteer" }[];
}

interface Plan {
  communityCode: string;
  topic: ProposalTopic;
  title: string;
  body: string;
  place: { lat: number; lng: number; gridId: string; gridPath: string; address: string };
  createdAt: Date;
  local: number;
  other: number;
  /** reaches the threshold: submitted at this moment */
  submittedAt: Date | null;
  withdrawnAt: Date | null;
  proposer: {
    userId: string;
    label: string;
    kind: "resident" | "volunteer" | "enterprise" | "association" | "staff";
    orgId: string | null;
  } | null;
  cases: { id: string; code: string }[];
  demo?: "resident_proposes" | "resident_may_support";
  /** kept unanswered (every scale shows one waiting and one overdue) */
  unanswered?: boolean;
}

/** Inserts rows through json_to_recordset (any column types), returning ids in row order. */
async function insertRows(
  trx: Transaction<DB>,
  table: string,
  types: Record<string, string>,
  rows: Record<string, unknown>[],
  returnId = false,
): Promise<string[]> {
  const out: string[] = [];
  const cols = Object.keys(types);
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const def = sql.join(cols.map((c) => sql`${sql.ref(c)} ${sql.raw(types[c] as string)}`));
    const r = await sql<{ id: string }>`
      INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))})
      SELECT ${sql.join(cols.map((c) => sql.ref(`x.${c}`)))}
      FROM ROWS FROM (json_to_recordset(${JSON.stringify(chunk)}::json) AS (${def}))
        WITH ORDINALITY AS x(${sql.join(cols.map((c) => sql.ref(c)))}, ord)
      ORDER BY x.ord
      ${returnId ? sql`RETURNING id` : sql``}`.execute(trx);
    for (const row of r.rows) out.push(row.id);
  }
  return out;
}

export async function seedProposals(ctx: SeedContext, now = new Date()): Promise<void> {
  const { trx, random, scale } = ctx;
  const started = Date.now();
  const total = scale === "small" ? 30 : scale === "medium" ? 300 : 600;
  const threshold = scale === "small" ? 5 : 20;
  const district = await repo.district(trx);
  if (!district) return;
  await trx
    .insertInto("proposal_settings")
    .values({
      area_id: district.id,
      support_threshold: threshold,
      answer_working_days: ANSWER_DAYS,
      updated_by: null,
    })
    .execute();

  // Communities where people live, by how many.
  const communities = (
    await sql<{ code: string; id: string; path: string; name: string; n: number }>`
      SELECT a.code, a.id, a.path, a.name, x.n FROM (
        SELECT split_part(area_path, '/', 4) AS code, count(*)::int AS n FROM residents
        WHERE area_path IS NOT NULL AND status <> 'departed' GROUP BY 1) x
      JOIN areas a ON a.code = x.code AND a.level = 'community'
      ORDER BY a.code`.execute(trx)
  ).rows;
  if (communities.length === 0) return;
  const byCode = new Map(communities.map((c) => [c.code, c]));

  // Places: up to 30 buildings per community.
  const buildings = (
    await sql<{
      code: string;
      lat: number;
      lng: number;
      grid_id: string;
      area_path: string;
      place: string;
      address: string;
    }>`
      SELECT split_part(area_path, '/', 4) AS code, lat, lng, grid_id, area_path,
        coalesce(estate, road) AS place, address
      FROM (SELECT b.*, row_number() OVER (PARTITION BY split_part(b.area_path, '/', 4) ORDER BY b.id) AS rn
            FROM buildings b) y
      WHERE rn <= 30`.execute(trx)
  ).rows;
  const placesOf = new Map<string, typeof buildings>();
  for (const b of buildings) {
    if (!byCode.has(b.code)) continue;
    const list = placesOf.get(b.code) ?? [];
    list.push(b);
    placesOf.set(b.code, list);
  }
  const withPlaces = communities.filter((c) => placesOf.has(c.code));
  if (withPlaces.length === 0) return;

  // The demo accounts.
  const users = (
    await sql<{
      id: string;
      username: string;
      display_name: string;
      password_hash: string;
      scope: string | null;
    }>`
      SELECT u.id, u.username, u.display_name, u.password_hash, g.organisation_id::text AS scope
      FROM users u LEFT JOIN role_grants g ON g.user_id = u.id
      WHERE u.username IN ('resident', 'enterprise', 'association', 'coordinator')`.execute(trx)
  ).rows;
  const demo = (name: string) => users.find((u) => u.username === name);
  const demoResident = demo("resident");
  const demoResidentHome = demoResident
    ? (
        await sql<{ code: string }>`SELECT split_part(area_path, '/', 4) AS code FROM residents
          WHERE user_id = ${demoResident.id} AND area_path IS NOT NULL LIMIT 1`.execute(trx)
      ).rows[0]?.code
    : undefined;

  // ------------------------------------------------------------- the plan
  const year = 365 * DAY;
  const weights = withPlaces.map((c) => [c, Math.sqrt(c.n)] as const);
  const plans: Plan[] = [];
  const topicWeights: [ProposalTopic, number][] = [
    ["public_order", 18],
    ["traffic", 12],
    ["fire", 16],
    ["ev_charging", 14],
    ["lighting", 14],
    ["rental_housing", 9],
    ["public_space", 7],
    ["labour", 4],
    ["dispute", 4],
    ["other", 2],
  ];
  const planOne = (c: (typeof withPlaces)[number], topic: ProposalTopic, createdAt: Date): Plan => {
    const b = random.pick(placesOf.get(c.code) ?? []);
    const title = random.pick(TITLES[topic]).replace("{p}", b.place).slice(0, 60);
    const body = `${PROBLEMS[topic]}\n建议：${title}。\n希望有关部门和社区一起推动，我们居民愿意出力配合。`;
    return {
      communityCode: c.code,
      topic,
      title,
      body,
      place: {
        lat: b.lat,
        lng: b.lng,
        gridId: b.grid_id,
        gridPath: b.area_path,
        address: b.address,
      },
      createdAt,
      local: 0,
      other: 0,
      submittedAt: null,
      withdrawnAt: null,
      proposer: null,
      cases: [],
    };
  };
  for (let i = 0; i < total; i++) {
    const c = random.weighted(weights);
    const topic = random.weighted(topicWeights);
    const createdAt = new Date(now.getTime() - random.float(2 * DAY, year));
    createdAt.setUTCHours(random.int(0, 14), random.int(0, 59));
    const p = planOne(c, topic, createdAt);
    const reach = c.n >= threshold + 2 && random.chance(0.35);
    const submittedAt = reach
      ? new Date(createdAt.getTime() + random.float(1 * DAY, 25 * DAY))
      : null;
    if (submittedAt && submittedAt.getTime() < now.getTime() - DAY) {
      p.submittedAt = submittedAt;
      p.local = threshold;
      p.other = random.chance(0.3) ? random.int(3, threshold * 2) : random.int(0, 3);
    } else {
      // Most gather a few supporters, some come close.
      const band = random.weighted([
        ["few", 55],
        ["some", 30],
        ["close", 15],
      ] as const);
      const max = Math.max(0, Math.min(threshold - 1, c.n - 2));
      p.local =
        band === "few"
          ? Math.min(max, random.int(0, 2))
          : band === "some"
            ? Math.min(max, random.int(2, Math.max(2, Math.floor(threshold / 2))))
            : Math.min(max, random.int(Math.floor(threshold / 2), threshold - 1));
      p.other = random.chance(0.1) ? random.int(4, 25) : random.int(0, 2);
      if (random.chance(0.06))
        p.withdrawnAt = new Date(
          Math.min(now.getTime() - DAY / 2, createdAt.getTime() + random.float(DAY, 30 * DAY)),
        );
    }
    plans.push(p);
  }
  // At every scale: one waiting for its answer, and one whose answer is overdue.
  const big = withPlaces.filter((c) => c.n >= threshold + 2);
  if (big.length) {
    const waiting = planOne(random.pick(big), "public_order", new Date(now.getTime() - 10 * DAY));
    waiting.submittedAt = new Date(now.getTime() - 3 * DAY);
    waiting.local = threshold;
    waiting.unanswered = true;
    const late = planOne(random.pick(big), "fire", new Date(now.getTime() - 70 * DAY));
    late.submittedAt = new Date(now.getTime() - 45 * DAY);
    late.local = threshold;
    late.other = 2;
    late.unanswered = true;
    plans.push(waiting, late);
  }
  // The demo resident: one open proposal of theirs, and one of a neighbour's to support.
  const home = demoResidentHome ? byCode.get(demoResidentHome) : undefined;
  if (demoResident && home && placesOf.has(home.code)) {
    const mine = planOne(home, "lighting", new Date(now.getTime() - 6 * DAY));
    mine.local = Math.min(2, threshold - 1);
    mine.demo = "resident_proposes";
    const theirs = planOne(home, "ev_charging", new Date(now.getTime() - 12 * DAY));
    theirs.local = Math.max(0, Math.min(threshold - 2, 2));
    theirs.other = 1;
    theirs.demo = "resident_may_support";
    plans.push(mine, theirs);
  }

  // --------------------------------------------------- who supports, where
  const need = new Map<string, number>();
  for (const p of plans)
    need.set(p.communityCode, Math.max(need.get(p.communityCode) ?? 0, p.local + 3));
  const pools = new Map<string, Pool>();
  const poolOf = (code: string) => {
    let pool = pools.get(code);
    if (!pool) {
      pool = { users: [] };
      pools.set(code, pool);
    }
    return pool;
  };
  const taken = new Set<string>();
  const existing = (
    await sql<{ user_id: string; code: string; basis: "resident" | "volunteer" }>`
      SELECT user_id::text, split_part(area_path, '/', 4) AS code, 'resident' AS basis FROM residents
      WHERE user_id IS NOT NULL AND area_path IS NOT NULL AND status <> 'departed'
      UNION ALL
      SELECT user_id::text, split_part(area_path, '/', 4), 'volunteer' FROM volunteers
      WHERE status = 'active' AND area_path IS NOT NULL
      ORDER BY 1`.execute(trx)
  ).rows;
  // Most volunteers never take part in deliberation (the ladder's upper
  // rungs stay for a few): one in eight joins the supporters, chosen by id
  // so the seed's random draws stay as they were. (A volunteer is also a
  // resident with an account: both rows name them.)
  const volunteerUsers = new Set(
    existing.filter((e) => e.basis === "volunteer").map((e) => e.user_id),
  );
  for (const e of existing) {
    if (taken.has(e.user_id)) continue;
    if (volunteerUsers.has(e.user_id) && Number(e.user_id) % 8 !== 0) continue;
    taken.add(e.user_id);
    poolOf(e.code).users.push({ userId: e.user_id, basis: e.basis });
  }
  // Residents of each community who get an account to support with.
  const shortfall = [...need].flatMap(([code, n]) => {
    const have = pools.get(code)?.users.length ?? 0;
    return n > have ? [{ code, n: n - have }] : [];
  });
  const maxShort = Math.max(0, ...shortfall.map((s) => s.n));
  const hash = demoResident?.password_hash ?? users[0]?.password_hash ?? "";
  // 张敏 (resident2): a resident of the demo officer's street, for the browser test.
  const neighbourHome = communities
    .filter((c) => c.path.startsWith("/320505/320505002/"))
    .sort((a, b) => b.n - a.n || a.code.localeCompare(b.code))[0];
  const neighbour = neighbourHome
    ? (
        await sql<{ id: string; name: string; code: string }>`
          SELECT r.id::text, r.name, ${neighbourHome.code}::text AS code FROM residents r
          WHERE r.area_path LIKE ${`${neighbourHome.path}%`} AND r.user_id IS NULL AND r.status <> 'departed'
          ORDER BY r.id LIMIT 1`.execute(trx)
      ).rows[0]
    : undefined;
  const candidates =
    maxShort === 0
      ? []
      : (
          await sql<{ id: string; name: string; code: string }>`
          SELECT id::text, name, code FROM (
            SELECT r.id, r.name, split_part(r.area_path, '/', 4) AS code,
              row_number() OVER (PARTITION BY split_part(r.area_path, '/', 4) ORDER BY r.id) AS rn
            FROM residents r
            WHERE r.user_id IS NULL AND r.status <> 'departed' AND r.area_path IS NOT NULL
              AND split_part(r.area_path, '/', 4) IN (${sql.join(shortfall.map((s) => s.code))})
              AND r.id <> ${neighbour?.id ?? "0"}) y
          WHERE rn <= ${maxShort}`.execute(trx)
        ).rows;
  const wanted = new Map(shortfall.map((s) => [s.code, s.n]));
  const newAccounts: typeof candidates = [];
  for (const c of candidates) {
    const left = wanted.get(c.code) ?? 0;
    if (left < 1) continue;
    wanted.set(c.code, left - 1);
    newAccounts.push(c);
  }
  const accountRows = [
    ...(neighbour
      ? [{ resident: neighbour, username: "resident2", display: "张敏（新市民）" }]
      : []),
    ...newAccounts.map((r) => ({
      resident: r,
      username: `jm${r.id}`,
      display: `${r.name}（新市民）`,
    })),
  ];
  const newIds = await insertRows(
    trx,
    "users",
    { username: "text", password_hash: "text", display_name: "text" },
    accountRows.map((a) => ({
      username: a.username,
      password_hash: hash,
      display_name: a.display,
    })),
    true,
  );
  await insertRows(
    trx,
    "role_grants",
    { user_id: "bigint", role: "text", scope_kind: "text" },
    newIds.map((id) => ({ user_id: id, role: "resident", scope_kind: "self" })),
  );
  await sql`UPDATE residents r SET user_id = x.user_id
    FROM unnest(${accountRows.map((a) => a.resident.id)}::bigint[], ${newIds}::bigint[]) AS x(resident_id, user_id)
    WHERE r.id = x.resident_id`.execute(trx);
  accountRows.forEach((a, i) => {
    // resident2 stays out of the demo supports: the browser test starts from nothing.
    if (a.username !== "resident2")
      poolOf(a.resident.code).users.push({ userId: newIds[i] as string, basis: "resident" });
  });
  const allSupporters = [...pools.entries()].flatMap(([code, p]) =>
    p.users.map((u) => ({ ...u, code })),
  );
  const labels = new Map<string, string>();
  for (const [i, a] of accountRows.entries()) labels.set(newIds[i] as string, a.display);
  const known = (
    await sql<{ id: string; display_name: string }>`SELECT id::text, display_name FROM users
      WHERE id = ANY(${allSupporters.map((u) => u.userId)}::bigint[])`.execute(trx)
  ).rows;
  for (const k of known) labels.set(k.id, k.display_name);

  // ----------------------------------------------------------- proposers
  const enterprise = demo("enterprise");
  const association = demo("association");
  const coordinator = demo("coordinator");
  for (const p of plans) {
    const pool = pools.get(p.communityCode)?.users ?? [];
    if (p.demo === "resident_proposes" && demoResident) {
      p.proposer = {
        userId: demoResident.id,
        label: demoResident.display_name,
        kind: "resident",
        orgId: null,
      };
      continue;
    }
    const who = random.weighted([
      ["resident", 70],
      ["enterprise", 8],
      ["association", 12],
      ["cases", 6],
    ] as const);
    if (who === "enterprise" && enterprise)
      p.proposer = {
        userId: enterprise.id,
        label: enterprise.display_name,
        kind: "enterprise",
        orgId: enterprise.scope,
      };
    else if (who === "association" && association)
      p.proposer = {
        userId: association.id,
        label: association.display_name,
        kind: "association",
        orgId: association.scope,
      };
    else if (who === "cases" && coordinator) {
      const cases = (
        await sql<{ id: string; code: string }>`SELECT id::text, code FROM cases
          WHERE area_path LIKE ${`${byCode.get(p.communityCode)?.path ?? "/none/"}%`} AND created_at < ${p.createdAt}
          ORDER BY created_at DESC LIMIT ${random.int(2, 5)}`.execute(trx)
      ).rows;
      if (cases.length >= 2) {
        p.proposer = {
          userId: coordinator.id,
          label: coordinator.display_name,
          kind: "staff",
          orgId: null,
        };
        p.cases = cases;
        p.body = `${p.body}\n依据事件：${cases.map((c) => c.code).join("、")}`;
      }
    }
    if (!p.proposer) {
      const others = pool.filter((x) => x.userId !== demoResident?.id);
      const u = others.length ? random.pick(others) : undefined;
      if (u)
        p.proposer = {
          userId: u.userId,
          label: labels.get(u.userId) ?? "居民",
          kind: u.basis,
          orgId: null,
        };
      else if (demoResident)
        p.proposer = {
          userId: demoResident.id,
          label: demoResident.display_name,
          kind: "resident",
          orgId: null,
        };
    }
  }

  // ------------------------------------------------ departments and steps
  const deptCache = new Map<string, { id: string; name: string } | undefined>();
  const departmentFor = async (topic: ProposalTopic, gridPath: string) => {
    const key = `${topic}|${gridPath.split("/").slice(0, 4).join("/")}`;
    if (!deptCache.has(key)) {
      let found: { id: string; name: string } | undefined;
      for (const kind of departmentKindsFor(topic)) {
        found = await departmentOfKindCovering(trx, kind, gridPath);
        if (found) break;
      }
      deptCache.set(key, found);
    }
    return deptCache.get(key);
  };

  const proposalRows: Record<string, unknown>[] = [];
  const after: {
    plan: Plan;
    status: string;
    dept: { id: string; name: string } | null;
    due: Date | null;
    answer: "accepted" | "partly_accepted" | "rejected" | null;
    answeredAt: Date | null;
    reason: string | null;
    milestones: {
      title: string;
      dueOn: string;
      doneAt: Date | null;
      note: string | null;
      createdAt: Date;
    }[];
    doneAt: Date | null;
  }[] = [];
  const kept = plans.filter((p) => p.proposer);
  // One open proposal per person and title (the database refuses a second).
  const openTitles = new Set<string>();
  for (const p of kept) {
    let status = p.withdrawnAt ? "withdrawn" : "open";
    let dept: { id: string; name: string } | null = null;
    let due: Date | null = null;
    let answer: "accepted" | "partly_accepted" | "rejected" | null = null;
    let answeredAt: Date | null = null;
    let reason: string | null = null;
    let doneAt: Date | null = null;
    const milestones: (typeof after)[number]["milestones"] = [];
    if (p.submittedAt) {
      dept = (await departmentFor(p.topic, p.place.gridPath)) ?? null;
      if (!dept) {
        p.submittedAt = null;
        p.local = threshold - 1;
      }
    }
    if (p.submittedAt && dept) {
      status = "submitted";
      due = addWorkingDays(p.submittedAt, ANSWER_DAYS, DEFAULT_CALENDAR);
      const s = p.submittedAt.getTime();
      if (p.unanswered) answeredAt = null;
      else if (due.getTime() < now.getTime()) {
        // Most answered in time, some late, a few not at all (overdue).
        const r = random.next();
        if (r < 0.8) answeredAt = new Date(random.float(s + DAY, due.getTime()));
        else if (r < 0.93)
          answeredAt = new Date(
            Math.min(now.getTime() - DAY / 4, due.getTime() + random.float(DAY, 12 * DAY)),
          );
      } else if (random.chance(0.5))
        answeredAt = new Date(
          random.float(s + DAY / 2, Math.max(s + DAY, now.getTime() - DAY / 4)),
        );
      if (answeredAt && answeredAt.getTime() >= now.getTime()) answeredAt = null;
      if (answeredAt) {
        answer = random.weighted([
          ["accepted", 45],
          ["partly_accepted", 30],
          ["rejected", 25],
        ] as const);
        reason = random.pick(REASONS[answer]);
        status = "answered";
        if (answer !== "rejected" && random.chance(0.9)) {
          const titles = MILESTONES[p.topic].slice(0, random.int(2, MILESTONES[p.topic].length));
          let day = answeredAt.getTime();
          let allDone = true;
          for (const t of titles) {
            day += random.float(7 * DAY, 40 * DAY);
            const doneTime = day + random.float(-5 * DAY, 8 * DAY);
            const completed = doneTime < now.getTime() - DAY / 4 && random.chance(0.9);
            if (!completed) allDone = false;
            milestones.push({
              title: t,
              dueOn: chinaDay(new Date(day)),
              doneAt:
                completed && allDone
                  ? new Date(Math.max(doneTime, answeredAt.getTime() + DAY))
                  : null,
              note: completed && allDone ? "已按计划完成，现场已核实。" : null,
              createdAt: new Date(answeredAt.getTime() + DAY / 8),
            });
          }
          status = milestones.every((m) => m.doneAt) ? "done" : "in_progress";
          if (status === "done")
            doneAt = new Date(Math.max(...milestones.map((m) => (m.doneAt as Date).getTime())));
        }
      }
    }
    const prop = p.proposer as NonNullable<Plan["proposer"]>;
    if (status === "open") {
      const key = `${prop.userId}|${p.title}`;
      if (openTitles.has(key)) continue;
      openTitles.add(key);
    }
    proposalRows.push({
      title: p.title,
      body: p.body,
      topic: p.topic,
      lat: p.place.lat,
      lng: p.place.lng,
      address: p.place.address,
      area_id: p.place.gridId,
      area_path: p.place.gridPath,
      community_id: byCode.get(p.communityCode)?.id,
      community_path: byCode.get(p.communityCode)?.path,
      proposer_user_id: prop.userId,
      proposer_label: prop.label,
      proposer_kind: prop.kind,
      proposer_organisation_id:
        prop.kind === "enterprise" || prop.kind === "association" ? prop.orgId : null,
      status,
      support_threshold: threshold,
      answer_working_days: ANSWER_DAYS,
      department_id: dept?.id ?? null,
      submitted_at:
        status === "open" || status === "withdrawn" ? null : p.submittedAt?.toISOString(),
      answer_due_at: due?.toISOString() ?? null,
      answer,
      answer_reason: reason,
      answered_at: answeredAt?.toISOString() ?? null,
      answered_label: answeredAt ? dept?.name : null,
      withdrawn_at: p.withdrawnAt?.toISOString() ?? null,
      withdraw_reason: p.withdrawnAt ? "问题已由物业解决，撤回提案。" : null,
      done_at: doneAt?.toISOString() ?? null,
      version: 1 + (status === "open" ? 0 : 1) + (answeredAt ? 1 : 0) + milestones.length * 2,
      created_at: p.createdAt.toISOString(),
      updated_at: (
        doneAt ??
        answeredAt ??
        p.submittedAt ??
        p.withdrawnAt ??
        p.createdAt
      ).toISOString(),
    });
    after.push({ plan: p, status, dept, due, answer, answeredAt, reason, milestones, doneAt });
  }

  // --------------------------------------------------------- supporters
  const supportRows: {
    key: number;
    user_id: string;
    local: boolean;
    basis: string | null;
    created_at: string;
  }[] = [];
  after.forEach((a, key) => {
    const p = a.plan;
    const proposerId = p.proposer?.userId;
    const end = (p.submittedAt ?? p.withdrawnAt ?? now).getTime();
    const at = () =>
      new Date(
        random.float(p.createdAt.getTime(), Math.max(p.createdAt.getTime() + 1, end)),
      ).toISOString();
    const local = (pools.get(p.communityCode)?.users ?? []).filter(
      (u) =>
        u.userId !== proposerId &&
        !(p.demo === "resident_may_support" && u.userId === demoResident?.id),
    );
    const chosen = random.shuffle(local).slice(0, p.local);
    p.local = chosen.length;
    const times = chosen.map(at).sort();
    // The supporter who reached the threshold did so at the moment of submission.
    if (a.status !== "open" && a.status !== "withdrawn" && times.length && p.submittedAt)
      times[times.length - 1] = p.submittedAt.toISOString();
    chosen.forEach((u, i) => {
      supportRows.push({
        key,
        user_id: u.userId,
        local: true,
        basis: u.basis,
        created_at: times[i] as string,
      });
    });
    const others = allSupporters.filter(
      (u) => u.code !== p.communityCode && u.userId !== proposerId && u.userId !== demoResident?.id,
    );
    const extra = random
      .shuffle(others.length > 400 ? others.slice(0, 400) : others)
      .slice(0, p.other);
    p.other = extra.length;
    for (const u of extra)
      supportRows.push({ key, user_id: u.userId, local: false, basis: null, created_at: at() });
  });
  after.forEach((a, i) => {
    const row = proposalRows[i] as Record<string, unknown>;
    row.local_support_count = a.plan.local;
    row.support_count = a.plan.local + a.plan.other;
  });

  const ids = await insertRows(
    trx,
    "proposals",
    {
      title: "text",
      body: "text",
      topic: "text",
      lat: "double precision",
      lng: "double precision",
      address: "text",
      area_id: "bigint",
      area_path: "text",
      community_id: "bigint",
      community_path: "text",
      proposer_user_id: "bigint",
      proposer_label: "text",
      proposer_kind: "text",
      proposer_organisation_id: "bigint",
      status: "text",
      support_threshold: "integer",
      answer_working_days: "integer",
      local_support_count: "integer",
      support_count: "integer",
      department_id: "bigint",
      submitted_at: "timestamptz",
      answer_due_at: "timestamptz",
      answer: "text",
      answer_reason: "text",
      answered_at: "timestamptz",
      answered_label: "text",
      withdrawn_at: "timestamptz",
      withdraw_reason: "text",
      done_at: "timestamptz",
      version: "integer",
      created_at: "timestamptz",
      updated_at: "timestamptz",
    },
    proposalRows,
    true,
  );
  await insertRows(
    trx,
    "proposal_supports",
    {
      proposal_id: "bigint",
      user_id: "bigint",
      local: "boolean",
      basis: "text",
      created_at: "timestamptz",
    },
    supportRows.map(({ key, ...s }) => ({ ...s, proposal_id: ids[key] })),
  );

  // Cases behind the coordinators' proposals.
  const caseLinks = after.flatMap((a, i) =>
    a.plan.cases.map((c) => ({ proposal_id: ids[i], case_id: c.id })),
  );
  await insertRows(trx, "proposal_cases", { proposal_id: "bigint", case_id: "bigint" }, caseLinks);
  for (const [i, a] of after.entries())
    if (a.plan.cases.length)
      await sql`UPDATE proposals SET basis_case_codes = ${a.plan.cases.map((c) => c.code)}::text[] WHERE id = ${ids[i]}`.execute(
        trx,
      );

  // Milestones and the timeline.
  const milestoneRows: Record<string, unknown>[] = [];
  const actions: Record<string, unknown>[] = [];
  const step = (
    proposalId: string | undefined,
    action: string,
    from: string | null,
    to: string | null,
    actor: string | null,
    label: string,
    note: string | null,
    at: Date,
  ) =>
    actions.push({
      proposal_id: proposalId,
      action,
      from_status: from,
      to_status: to,
      actor_user_id: actor,
      actor_label: label,
      note,
      created_at: at.toISOString(),
    });
  after.forEach((a, i) => {
    const p = a.plan;
    const id = ids[i];
    const prop = p.proposer as NonNullable<Plan["proposer"]>;
    const community = byCode.get(p.communityCode);
    step(
      id,
      "create",
      null,
      "open",
      prop.userId,
      prop.label,
      p.cases.length
        ? `依据 ${p.cases.length} 件事件发起：${p.cases.map((c) => c.code).join("、")}`
        : `在${community?.name ?? ""}发起，征集附议（本社区 ${threshold} 人附议后送交部门）`,
      p.createdAt,
    );
    if (p.withdrawnAt)
      step(
        id,
        "withdraw",
        "open",
        "withdrawn",
        prop.userId,
        prop.label,
        "问题已由物业解决，撤回提案。",
        p.withdrawnAt,
      );
    if (a.dept && p.submittedAt && a.due)
      step(
        id,
        "submit",
        "open",
        "submitted",
        null,
        "系统",
        `本社区附议达到 ${threshold}/${threshold} 人，送交${a.dept.name}，请于 ${chinaDay(a.due)} 前答复（${ANSWER_DAYS} 个工作日）`,
        p.submittedAt,
      );
    if (a.answeredAt && a.answer && a.dept) {
      const names = {
        accepted: "采纳",
        partly_accepted: "部分采纳",
        rejected: "不予采纳",
      } as const;
      step(
        id,
        "answer",
        "submitted",
        "answered",
        null,
        a.dept.name,
        `${names[a.answer]}：${a.reason}`,
        a.answeredAt,
      );
    }
    for (const m of a.milestones) {
      milestoneRows.push({
        proposal_id: id,
        title: m.title,
        due_on: m.dueOn,
        status: m.doneAt ? "done" : "open",
        note: m.note,
        created_label: a.dept?.name ?? "",
        created_at: m.createdAt.toISOString(),
        completed_at: m.doneAt?.toISOString() ?? null,
        completed_label: m.doneAt ? a.dept?.name : null,
      });
      step(
        id,
        "add_milestone",
        m === a.milestones[0] ? "answered" : "in_progress",
        "in_progress",
        null,
        a.dept?.name ?? "",
        `${m.title}（计划 ${m.dueOn} 完成）`,
        m.createdAt,
      );
    }
    const done = a.milestones
      .filter((m) => m.doneAt)
      .sort((x, y) => (x.doneAt as Date).getTime() - (y.doneAt as Date).getTime());
    done.forEach((m, k) => {
      const last = k === done.length - 1 && a.status === "done";
      step(
        id,
        "complete_milestone",
        "in_progress",
        last ? "done" : "in_progress",
        null,
        a.dept?.name ?? "",
        `完成「${m.title}」：${m.note}${last ? "；全部里程碑已完成，提案已落实" : ""}`,
        m.doneAt as Date,
      );
    });
  });
  await insertRows(
    trx,
    "proposal_milestones",
    {
      proposal_id: "bigint",
      title: "text",
      due_on: "date",
      status: "text",
      note: "text",
      created_label: "text",
      created_at: "timestamptz",
      completed_at: "timestamptz",
      completed_label: "text",
    },
    milestoneRows,
  );
  await insertRows(
    trx,
    "proposal_actions",
    {
      proposal_id: "bigint",
      action: "text",
      from_status: "text",
      to_status: "text",
      actor_user_id: "bigint",
      actor_label: "text",
      note: "text",
      created_at: "timestamptz",
    },
    actions.sort((x, y) => String(x.created_at).localeCompare(String(y.created_at))),
  );
  const by = (s: string) => after.filter((a) => a.status === s).length;
  const overdue = after.filter((a) => a.status === "submitted" && a.due && a.due < now).length;
  ctx.log(
    `proposals: ${ids.length} (${by("open")} open, ${by("submitted")} waiting for an answer of which ${overdue} overdue, ${by("answered")} answered, ${by("in_progress")} in progress, ${by("done")} done, ${by("withdrawn")} withdrawn), ${supportRows.length} supports, ${newIds.length} resident accounts, ${milestoneRows.length} milestones, threshold ${threshold} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}
