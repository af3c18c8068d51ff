/**
 * A year of self-inspection for the demo district: the government's
 * checklists (fire safety, catering gas safety, employee dormitories,
 * internal security, hazardous chemicals), every enterprise's inspections of
 * the last twelve months (mostly on time, some late, some missed — the same
 * enterprises tend to be diligent or not), about one item in twenty failed
 * and turned into a hazard, most of them rectified and closed, some overdue,
 * a few major ones under a department's supervision, and a few spot-checks.
 * The demo `enterprise` account's enterprise has inspections due now and
 * hazards to rectify (and one waiting for government verification).
 *
 * Seeded failures carry a note but no photos (there is no file store at seed
 * time); the API requires a photo for every failure submitted through it.
 */
import { sql } from "kysely";
import type { ChecklistItemJson, InspectionResultJson } from "../../db/schema-inspections.js";
import type { SeedContext } from "../../seed/seed-context.js";
import {
  addDays,
  hazardDeadline,
  localDay,
  periodEnd,
  periodOf,
  periodStart,
  RECTIFICATION_DAYS,
  shiftPeriod,
  startOfLocalDay,
  templateApplies,
} from "./inspection-rules.js";
import { riskWeight, SPOT_CHECK_WEIGHTS, weightedSample } from "./spot-check-sampling.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const CHUNK = 4_000;

const FACTORIES = ["电子信息", "精密制造", "医疗器械"];

interface TemplateDef {
  code: string;
  name: string;
  topic: "fire" | "dormitory" | "security" | "hazmat";
  description: string;
  industries: string[];
  frequency: "monthly" | "quarterly";
  items: (ChecklistItemJson & { notes: string[] })[];
}

export const CHECKLIST_TEMPLATES: TemplateDef[] = [
  {
    code: "FIRE-MONTHLY",
    name: "消防安全月度自查",
    topic: "fire",
    description:
      "依据《机关、团体、企业、事业单位消防安全管理规定》，每月由单位消防安全管理人组织自查。",
    industries: [],
    frequency: "monthly",
    items: [
      {
        code: "F01",
        text: "灭火器配置数量充足、压力正常且在有效期内",
        guidance: "查看压力表指针是否在绿区，瓶身检验标签是否过期",
        major: false,
        notes: ["二楼车间 3 具灭火器压力不足", "仓库灭火器已过有效期", "办公区灭火器数量不足"],
      },
      {
        code: "F02",
        text: "疏散通道、楼梯间畅通，无堆放杂物，安全出口未上锁",
        guidance: "逐层检查，营业或生产期间安全出口不得锁闭",
        major: true,
        notes: ["东侧楼梯间堆放纸箱", "后门安全出口上锁", "疏散通道被货架占用"],
      },
      {
        code: "F03",
        text: "安全出口标志和应急照明完好有效",
        guidance: "断电测试应急照明持续时间",
        major: false,
        notes: ["三楼安全出口指示灯不亮", "应急照明断电后不能点亮"],
      },
      {
        code: "F04",
        text: "电动自行车未进楼入户停放、充电，集中充电点运行正常",
        guidance: "重点检查楼道、宿舍和车间角落",
        major: true,
        notes: ["楼道内发现电动自行车充电", "员工将电瓶带入车间充电"],
      },
      {
        code: "F05",
        text: "消火栓、自动喷水灭火系统等消防设施完好，水压正常",
        guidance: "打开末端试水装置查看压力",
        major: false,
        notes: ["室内消火栓水带缺失", "喷淋末端压力不足"],
      },
      {
        code: "F06",
        text: "电气线路无私拉乱接、无老化破损",
        guidance: null,
        major: false,
        notes: ["配电箱旁线路老化", "车间私拉临时电线"],
      },
      {
        code: "F07",
        text: "员工会报警、会使用灭火器、会组织疏散（“一懂三会”）",
        guidance: "随机抽问 3 名员工",
        major: false,
        notes: ["抽问员工不会使用灭火器"],
      },
    ],
  },
  {
    code: "GAS-CATERING",
    name: "餐饮场所燃气安全检查",
    topic: "fire",
    description: "餐饮单位每月对燃气使用场所自查，重点是管道、钢瓶和报警装置。",
    industries: ["餐饮"],
    frequency: "monthly",
    items: [
      {
        code: "G01",
        text: "燃气管道、阀门、软管完好，无老化、无私接",
        guidance: "软管长度不超过 2 米，两端用管卡固定",
        major: true,
        notes: ["灶具软管老化开裂", "私自改接燃气管道"],
      },
      {
        code: "G02",
        text: "安装可燃气体报警装置并与切断阀联动",
        guidance: null,
        major: false,
        notes: ["可燃气体报警器未通电"],
      },
      {
        code: "G03",
        text: "液化石油气钢瓶未存放在地下室、半地下室，数量不超过规定",
        guidance: null,
        major: true,
        notes: ["后厨存放 4 只液化气钢瓶"],
      },
      {
        code: "G04",
        text: "厨房排油烟管道定期清洗并有记录",
        guidance: "至少每季度清洗一次",
        major: false,
        notes: ["排油烟管道半年未清洗"],
      },
      {
        code: "G05",
        text: "后厨配备灭火毯和灭火器",
        guidance: null,
        major: false,
        notes: ["后厨未配灭火毯"],
      },
    ],
  },
  {
    code: "DORM-QUARTERLY",
    name: "员工宿舍安全检查",
    topic: "dormitory",
    description: "企业自建或租用的员工集体宿舍，每季度检查居住条件、用电用火和值守情况。",
    industries: [...FACTORIES, "物流仓储", "建筑施工"],
    frequency: "quarterly",
    items: [
      {
        code: "D01",
        text: "人均居住面积不低于 4 平方米，未超员居住",
        guidance: "对照宿舍登记表核对每间实住人数",
        major: true,
        notes: ["308 室 16 平方米住 6 人", "部分房间加床超员"],
      },
      {
        code: "D02",
        text: "宿舍内无私拉电线、无使用大功率电器",
        guidance: null,
        major: false,
        notes: ["发现私拉电线给手机充电排插串接", "宿舍内使用电热锅"],
      },
      {
        code: "D03",
        text: "宿舍内无违规使用明火、液化气做饭",
        guidance: null,
        major: true,
        notes: ["宿舍阳台用液化气灶做饭"],
      },
      {
        code: "D04",
        text: "夜间有专人值守，外来人员出入登记",
        guidance: null,
        major: false,
        notes: ["夜间值班室无人", "外来人员登记本缺页"],
      },
      {
        code: "D05",
        text: "每层配备灭火器，疏散通道和安全出口畅通",
        guidance: null,
        major: false,
        notes: ["四楼走廊晾晒衣物堵塞通道"],
      },
      {
        code: "D06",
        text: "住宿人员信息已登记并向属地报送",
        guidance: "新入住人员 3 日内登记",
        major: false,
        notes: ["5 名新员工未登记"],
      },
    ],
  },
  {
    code: "SECURITY-QUARTERLY",
    name: "内部治安保卫检查",
    topic: "security",
    description: "依据《企业事业单位内部治安保卫条例》，每季度检查门卫、监控和重点部位防范。",
    industries: [],
    frequency: "quarterly",
    items: [
      {
        code: "S01",
        text: "门卫值守，外来人员、车辆进出登记",
        guidance: null,
        major: false,
        notes: ["门卫登记不全", "夜间门卫空岗"],
      },
      {
        code: "S02",
        text: "视频监控运行正常，录像保存不少于 30 天",
        guidance: "调阅 30 天前录像",
        major: false,
        notes: ["仓库摄像头损坏", "录像只保存 7 天"],
      },
      {
        code: "S03",
        text: "财务室、仓库、机房等重点部位有防盗、报警措施",
        guidance: null,
        major: false,
        notes: ["财务室防盗门锁损坏"],
      },
      {
        code: "S04",
        text: "治安保卫责任制落实，明确保卫负责人",
        guidance: null,
        major: false,
        notes: ["保卫负责人离职未补"],
      },
      {
        code: "S05",
        text: "员工矛盾纠纷定期排查并有记录",
        guidance: null,
        major: false,
        notes: ["本季度未开展矛盾纠纷排查"],
      },
    ],
  },
  {
    code: "HAZMAT-QUARTERLY",
    name: "危险化学品安全检查",
    topic: "hazmat",
    description: "使用、储存危险化学品的企业每季度自查储存、台账和标识。",
    industries: [...FACTORIES, "物流仓储"],
    frequency: "quarterly",
    items: [
      {
        code: "H01",
        text: "危险化学品专库（专柜）储存，分类隔离，不超量储存",
        guidance: "相互禁忌的化学品不得混存",
        major: true,
        notes: ["酸碱类化学品混放", "车间临时存放超过一天用量"],
      },
      {
        code: "H02",
        text: "出入库台账完整，账物相符",
        guidance: null,
        major: false,
        notes: ["台账与实物数量不符"],
      },
      {
        code: "H03",
        text: "包装、容器安全标签和警示标识齐全",
        guidance: null,
        major: false,
        notes: ["分装容器无标签"],
      },
      {
        code: "H04",
        text: "安全技术说明书（SDS）齐全，作业人员经培训上岗",
        guidance: null,
        major: false,
        notes: ["两种化学品缺少安全技术说明书"],
      },
      {
        code: "H05",
        text: "储存场所通风、防爆、防泄漏设施完好",
        guidance: null,
        major: true,
        notes: ["危化品库防爆灯损坏", "库房未设置防泄漏围堰"],
      },
      {
        code: "H06",
        text: "制定应急预案，配备应急器材并定期演练",
        guidance: null,
        major: false,
        notes: ["应急器材柜缺少防护服"],
      },
    ],
  },
];

const PLANS = [
  "立即清理整改，由安全员负责，整改后拍照留存",
  "已采购新设备，到货后更换，安全员每日巡查",
  "安排电工重新布线，整改期间停用该区域",
  "召开班组会议通报，落实责任人，限期完成",
];
const COMPLETIONS = [
  "已整改完毕，现场照片已上传",
  "已更换并检测合格",
  "已清理完毕，并张贴警示标识",
  "已完成培训并签到",
];
const RETURNS = ["整改不到位，现场仍有堆放", "照片不清楚，请补充整改后全景照片"];

type Diligence = "good" | "average" | "poor";
const DILIGENCE: Record<
  Diligence,
  { onTime: number; late: number; earlyNow: number; failItem: number; closes: number }
> = {
  good: { onTime: 0.95, late: 0.04, earlyNow: 0.45, failItem: 0.025, closes: 0.97 },
  average: { onTime: 0.8, late: 0.12, earlyNow: 0.2, failItem: 0.055, closes: 0.85 },
  poor: { onTime: 0.55, late: 0.2, earlyNow: 0.05, failItem: 0.12, closes: 0.55 },
};

interface Enterprise {
  id: string;
  name: string;
  industry: string | null;
  area_path: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  officer: string | null;
  diligence: Diligence;
}

interface Step {
  kind: string;
  from: string | null;
  to: string | null;
  actor: string;
  department_id: string | null;
  note: string | null;
  at: number;
}

interface HazardPlan {
  organisation_id: string;
  area_path: string;
  source: "inspection" | "spot_check" | "staff";
  inspection_id: string | null;
  item_code: string | null;
  spot_check_id: string | null;
  level: "general" | "major";
  title: string;
  description: string | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  status: string;
  deadline: string;
  plan: string | null;
  plan_at: number | null;
  completion_note: string | null;
  completed_at: number | null;
  closed_at: number | null;
  supervising_department_id: string | null;
  supervised_at: number | null;
  supervision_note: string | null;
  version: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  steps: Step[];
}

/** JSON rows into a table through json_to_recordset: one parameter per chunk. */
async function insertJson(
  ctx: SeedContext,
  table: string,
  defs: Record<string, string>,
  rows: Record<string, unknown>[],
  returning: string[] = [],
): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  const cols = Object.keys(defs);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const r = await sql<Record<string, string>>`
      INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))})
      SELECT ${sql.join(cols.map((c) => sql.ref(`x.${c}`)))}
      FROM json_to_recordset(${JSON.stringify(chunk)}::json)
        AS x(${sql.join(cols.map((c) => sql`${sql.ref(c)} ${sql.raw(defs[c] as string)}`))})
      ${returning.length ? sql`RETURNING ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``}`.execute(
      ctx.trx,
    );
    out.push(...r.rows);
  }
  return out;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function seedInspections(ctx: SeedContext, now = new Date()) {
  const r = ctx.random;
  const trx = ctx.trx;
  const nowMs = now.getTime();
  const today = localDay(now);

  const admin = await trx
    .selectFrom("users")
    .select(["id"])
    .where("username", "=", "admin")
    .executeTakeFirst();
  const demo = await trx
    .selectFrom("users as u")
    .innerJoin("role_grants as g", "g.user_id", "u.id")
    .select(["u.id as user_id", "u.display_name", "g.organisation_id"])
    .where("u.username", "=", "enterprise")
    .where("g.role", "=", "enterprise_officer")
    .executeTakeFirst();

  // ---------------------------------------------------------------- templates
  const templates = await insertJson(
    ctx,
    "checklist_templates",
    {
      code: "text",
      name: "text",
      topic: "text",
      description: "text",
      industries: "text[]",
      frequency: "text",
      items: "jsonb",
      updated_by: "bigint",
      created_at: "timestamptz",
      updated_at: "timestamptz",
    },
    CHECKLIST_TEMPLATES.map((t) => ({
      code: t.code,
      name: t.name,
      topic: t.topic,
      description: t.description,
      industries: t.industries,
      frequency: t.frequency,
      items: t.items.map(({ notes: _notes, ...item }) => item),
      updated_by: admin?.id ?? null,
      created_at: new Date(nowMs - 400 * DAY).toISOString(),
      updated_at: new Date(nowMs - 400 * DAY).toISOString(),
    })),
    ["id", "code"],
  );
  const templateId = new Map(templates.map((t) => [t.code, t.id as string]));

  // -------------------------------------------------------------- enterprises
  const orgs = await trx
    .selectFrom("organisations as o")
    .leftJoin("units as u", "u.id", "o.unit_id")
    .leftJoin("buildings as b", "b.id", "u.building_id")
    .innerJoin("areas as a", "a.id", "o.area_id")
    .select([
      "o.id",
      "o.name",
      "o.industry",
      "o.area_path",
      "o.address",
      "o.safety_officer",
      sql<number | null>`coalesce(b.lat, a.centroid_lat)`.as("lat"),
      sql<number | null>`coalesce(b.lng, a.centroid_lng)`.as("lng"),
    ])
    .where("o.kind", "=", "enterprise")
    .orderBy("o.id")
    .execute();
  const enterprises: Enterprise[] = orgs.map((o) => ({
    id: o.id,
    name: o.name,
    industry: o.industry,
    area_path: o.area_path,
    address: o.address,
    lat: o.lat,
    lng: o.lng,
    officer: o.safety_officer,
    diligence:
      o.id === demo?.organisation_id
        ? "average"
        : r.weighted([
            ["good", 70],
            ["average", 22],
            ["poor", 8],
          ] as const),
  }));
  const officerLabel = (e: Enterprise) =>
    e.id === demo?.organisation_id ? demo.display_name : `${e.officer ?? "安全员"}（${e.name}）`;

  // Departments that supervise and verify, by kind, most local first.
  const coverage = await trx
    .selectFrom("department_areas as da")
    .innerJoin("departments as d", "d.id", "da.department_id")
    .innerJoin("areas as a", "a.id", "da.area_id")
    .select(["d.id", "d.name", "d.kind", "a.path"])
    .execute();
  coverage.sort((a, b) => b.path.length - a.path.length || a.id.localeCompare(b.id));
  const departmentFor = (kind: string, path: string) =>
    coverage.find((c) => c.kind === kind && path.startsWith(c.path)) ?? null;
  const SUPERVISOR_KIND: Record<string, string> = {
    fire: "fire",
    dormitory: "housing",
    security: "police_station",
    hazmat: "emergency_management",
  };

  // ------------------------------------------------------------- inspections
  const inspectionRows: Record<string, unknown>[] = [];
  const failures: {
    key: string;
    enterprise: Enterprise;
    template: TemplateDef;
    item: TemplateDef["items"][number];
    note: string;
    submittedAt: number;
  }[] = [];
  let submitted = 0;
  let late = 0;
  let missed = 0;
  for (const t of CHECKLIST_TEMPLATES) {
    const current = periodOf(today, t.frequency);
    const count = t.frequency === "monthly" ? 12 : 4;
    for (const e of enterprises) {
      if (!templateApplies(t.industries, e.industry)) continue;
      const d = DILIGENCE[e.diligence];
      for (let k = count - 1; k >= 0; k--) {
        const period = shiftPeriod(current, k);
        const dueOn = periodEnd(period);
        const start = startOfLocalDay(periodStart(period)).getTime();
        const dueEnd = startOfLocalDay(addDays(dueOn, 1)).getTime();
        let at: number | null = null;
        if (k === 0) {
          // This period: some have done it already; the demo enterprise has it to do.
          if (e.id !== demo?.organisation_id && r.chance(d.earlyNow)) {
            const from = Math.max(start, dueEnd - 12 * DAY);
            if (from < nowMs) at = r.float(from, nowMs);
          }
        } else {
          const roll = r.next();
          if (roll < d.onTime) at = r.float(Math.max(start, dueEnd - 10 * DAY), dueEnd - 2 * HOUR);
          else if (roll < d.onTime + d.late) {
            const lateAt = dueEnd + r.float(1, 25) * DAY;
            if (lateAt < nowMs) at = lateAt;
          }
        }
        const key = `${e.id}:${t.code}:${period}`;
        let results: InspectionResultJson[] | null = null;
        let failed = 0;
        if (at !== null) {
          submitted++;
          const isLate = localDay(new Date(at)) > dueOn;
          if (isLate) late++;
          results = t.items.map((item) => {
            if (r.chance(d.failItem)) {
              failed++;
              const note = r.pick(item.notes);
              failures.push({ key, enterprise: e, template: t, item, note, submittedAt: at });
              return { code: item.code, result: "fail" as const, note };
            }
            return { code: item.code, result: "pass" as const };
          });
          inspectionRows.push({
            organisation_id: e.id,
            template_id: templateId.get(t.code),
            template_version: 1,
            items: t.items.map(({ notes: _n, ...item }) => item),
            period,
            due_on: dueOn,
            status: "submitted",
            submitted_at: iso(at),
            submitted_by: e.id === demo?.organisation_id ? demo.user_id : null,
            late: isLate,
            results,
            failed_items: failed,
            created_at: iso(start),
          });
        } else {
          if (k > 0) missed++;
          inspectionRows.push({
            organisation_id: e.id,
            template_id: templateId.get(t.code),
            template_version: 1,
            items: t.items.map(({ notes: _n, ...item }) => item),
            period,
            due_on: dueOn,
            status: "due",
            submitted_at: null,
            submitted_by: null,
            late: false,
            results: null,
            failed_items: 0,
            created_at: iso(start),
          });
        }
      }
    }
  }
  const inserted = await insertJson(
    ctx,
    "inspections",
    {
      organisation_id: "bigint",
      template_id: "bigint",
      template_version: "integer",
      items: "jsonb",
      period: "text",
      due_on: "date",
      status: "text",
      submitted_at: "timestamptz",
      submitted_by: "bigint",
      late: "boolean",
      results: "jsonb",
      failed_items: "integer",
      created_at: "timestamptz",
    },
    inspectionRows,
    ["id", "organisation_id", "template_id", "period"],
  );
  const codeOfTemplate = new Map(templates.map((t) => [t.id as string, t.code as string]));
  const inspectionId = new Map(
    inserted.map((i) => [
      `${i.organisation_id}:${codeOfTemplate.get(i.template_id as string)}:${i.period}`,
      i.id as string,
    ]),
  );

  // ----------------------------------------------------------------- hazards
  const hazards: HazardPlan[] = [];

  /** A hazard's life from `created` until now, by how diligent its enterprise is. */
  const live = (
    h: Omit<
      HazardPlan,
      | "status"
      | "plan"
      | "plan_at"
      | "completion_note"
      | "completed_at"
      | "closed_at"
      | "supervising_department_id"
      | "supervised_at"
      | "supervision_note"
      | "version"
      | "updated_at"
      | "steps"
    >,
    e: Enterprise,
    opts: { topic: string; createdBy: string; forceStatus?: "open" | "submitted" },
  ): HazardPlan => {
    const d = DILIGENCE[e.diligence];
    const steps: Step[] = [
      {
        kind: "created",
        from: null,
        to: "open",
        actor: opts.createdBy,
        department_id: null,
        note: h.description,
        at: h.created_at,
      },
    ];
    const out: HazardPlan = {
      ...h,
      status: "open",
      plan: null,
      plan_at: null,
      completion_note: null,
      completed_at: null,
      closed_at: null,
      supervising_department_id: null,
      supervised_at: null,
      supervision_note: null,
      version: 1,
      updated_at: h.created_at,
      steps,
    };
    const push = (s: Omit<Step, "department_id"> & { department_id?: string | null }) => {
      if (s.at > nowMs) return false;
      steps.push({ department_id: null, ...s });
      out.version++;
      out.updated_at = s.at;
      if (s.to) out.status = s.to;
      return true;
    };
    const kind = SUPERVISOR_KIND[opts.topic] ?? "street_office";
    const supervisor =
      h.level === "major"
        ? (departmentFor(kind, e.area_path) ?? departmentFor("street_office", e.area_path))
        : null;
    // Whether the enterprise gets it closed. A major hazard is accepted only
    // once a department has put it under supervision (挂牌督办): every major
    // hazard that closes is supervised; of the others, about half.
    const closes =
      opts.forceStatus === undefined &&
      r.chance(d.closes) &&
      (h.level === "general" || !!supervisor);
    if (supervisor && (closes || r.chance(0.45))) {
      const at = h.created_at + r.float(1, 4) * DAY;
      const note = "重大隐患，挂牌督办，请按期整改并报送整改情况";
      if (
        push({
          kind: "supervise",
          from: out.status,
          to: null,
          actor: supervisor.name,
          department_id: supervisor.id,
          note,
          at,
        })
      ) {
        out.supervising_department_id = supervisor.id;
        out.supervised_at = at;
        out.supervision_note = note;
      }
    }
    const verifier =
      out.supervising_department_id !== null
        ? (supervisor as { id: string; name: string })
        : (departmentFor("street_office", e.area_path) ?? { id: null, name: "街道安监办" });
    if (opts.forceStatus === "open") return out;
    const days = RECTIFICATION_DAYS[h.level];
    const forced = opts.forceStatus === "submitted";
    // When each step happens: well inside the deadline for those who close
    // in time, around or after it for the others.
    const span = forced
      ? (nowMs - h.created_at) / DAY - 2
      : closes
        ? r.float(0.2, r.chance(0.85) ? 0.95 : 1.4) * days
        : r.float(0.3, 3) * days;
    // Some never start: the hazard stays open (and, in time, overdue).
    if (!closes && !forced && r.chance(0.3)) return out;
    const planAt = h.created_at + r.float(1, Math.max(1.5, span * 0.2)) * DAY;
    const plan = r.pick(PLANS);
    const officer = officerLabel(e);
    if (
      !push({
        kind: "plan",
        from: "open",
        to: "rectifying",
        actor: officer,
        note: plan,
        at: planAt,
      })
    )
      return out;
    out.plan = plan;
    out.plan_at = planAt;
    if (!closes && !forced && r.chance(0.6)) return out;
    let completeAt = forced ? h.created_at + span * DAY : h.created_at + span * 0.8 * DAY;
    const completion = r.pick(COMPLETIONS);
    if (
      !push({
        kind: "complete",
        from: "rectifying",
        to: "submitted",
        actor: officer,
        note: completion,
        at: completeAt,
      })
    )
      return out;
    out.completion_note = completion;
    out.completed_at = completeAt;
    if (!closes) return out;
    if (r.chance(0.1)) {
      const backAt = completeAt + r.float(1, 3) * DAY;
      if (
        !push({
          kind: "return",
          from: "submitted",
          to: "rectifying",
          actor: verifier.name,
          department_id: verifier.id,
          note: r.pick(RETURNS),
          at: backAt,
        })
      )
        return out;
      completeAt = backAt + r.float(2, 6) * DAY;
      if (
        !push({
          kind: "complete",
          from: "rectifying",
          to: "submitted",
          actor: officer,
          note: completion,
          at: completeAt,
        })
      )
        return out;
      out.completed_at = completeAt;
    }
    // Never a major hazard closed without a department's supervision.
    if (h.level === "major" && out.supervising_department_id === null) return out;
    const closeAt = completeAt + r.float(0.5, 4) * DAY;
    if (
      push({
        kind: "accept",
        from: "submitted",
        to: "closed",
        actor: verifier.name,
        department_id: verifier.id,
        note: "复查合格，予以销号",
        at: closeAt,
      })
    )
      out.closed_at = closeAt;
    return out;
  };

  for (const f of failures) {
    const level = f.item.major ? ("major" as const) : ("general" as const);
    const created = f.submittedAt;
    hazards.push(
      live(
        {
          organisation_id: f.enterprise.id,
          area_path: f.enterprise.area_path,
          source: "inspection",
          inspection_id: inspectionId.get(f.key) ?? null,
          item_code: f.item.code,
          spot_check_id: null,
          level,
          title: f.item.text,
          description: f.note,
          lat: f.enterprise.lat,
          lng: f.enterprise.lng,
          address: f.enterprise.address,
          deadline: hazardDeadline(localDay(new Date(created)), level),
          created_by: null,
          created_at: created,
        },
        f.enterprise,
        { topic: f.template.topic, createdBy: officerLabel(f.enterprise) },
      ),
    );
  }

  // The demo enterprise: one hazard to rectify, one waiting for verification.
  const demoEnterprise = enterprises.find((e) => e.id === demo?.organisation_id);
  if (demoEnterprise) {
    const gridWorker = await trx
      .selectFrom("users")
      .select(["display_name"])
      .where("username", "=", "gridworker")
      .executeTakeFirst();
    const base = {
      organisation_id: demoEnterprise.id,
      area_path: demoEnterprise.area_path,
      source: "staff" as const,
      inspection_id: null,
      item_code: null,
      spot_check_id: null,
      level: "general" as const,
      lat: demoEnterprise.lat,
      lng: demoEnterprise.lng,
      address: demoEnterprise.address,
      created_by: null,
    };
    const openAt = nowMs - 6 * DAY;
    hazards.push(
      live(
        {
          ...base,
          title: "车间二楼消防通道堆放成品纸箱",
          description: "网格员巡查发现，通道宽度不足 1 米",
          deadline: hazardDeadline(localDay(new Date(openAt)), "general"),
          created_at: openAt,
        },
        demoEnterprise,
        { topic: "fire", createdBy: gridWorker?.display_name ?? "网格员", forceStatus: "open" },
      ),
    );
    const submittedAt = nowMs - 20 * DAY;
    hazards.push(
      live(
        {
          ...base,
          title: "员工宿舍三楼私拉电线给电动车电瓶充电",
          description: "网格员走访宿舍发现",
          deadline: hazardDeadline(localDay(new Date(submittedAt)), "general"),
          created_at: submittedAt,
        },
        demoEnterprise,
        {
          topic: "dormitory",
          createdBy: gridWorker?.display_name ?? "网格员",
          forceStatus: "submitted",
        },
      ),
    );
  }

  // ------------------------------------------------------------- spot-checks
  const spotCount = ctx.scale === "small" ? 3 : 8;
  const drawers = coverage.filter((c) =>
    ["police_station", "fire", "market_regulation", "emergency_management"].includes(c.kind),
  );
  const openBy = new Map<string, { open: number; overdue: number; major: number }>();
  for (const h of hazards) {
    if (h.status === "closed") continue;
    const o = openBy.get(h.organisation_id) ?? { open: 0, overdue: 0, major: 0 };
    o.open++;
    if (h.deadline < today) o.overdue++;
    if (h.level === "major") o.major++;
    openBy.set(h.organisation_id, o);
  }
  const spotChecks: Record<string, unknown>[] = [];
  const spotItems: {
    check: number;
    organisation_id: string;
    rank: number;
    weight: number;
    factors: Record<string, unknown>;
    finding: string;
    note: string | null;
    checked_at: string | null;
  }[] = [];
  const spotHazards: { check: number; enterprise: Enterprise; at: number }[] = [];
  for (let s = 0; s < spotCount && drawers.length > 0; s++) {
    const dept = r.pick(drawers);
    const population = enterprises.filter((e) => e.area_path.startsWith(dept.path));
    if (population.length === 0) continue;
    const drawnAt = nowMs - (spotCount - s) * r.float(20, 40) * DAY;
    const weighted = population.map((e) => {
      const o = openBy.get(e.id) ?? { open: 0, overdue: 0, major: 0 };
      const factors = {
        openHazards: o.open,
        overdueHazards: o.overdue,
        majorOpenHazards: o.major,
        missedInspections: 0,
        rating: null,
        warningLevel: null,
      };
      return { e, factors, weight: riskWeight(factors) };
    });
    const drawn = weightedSample(
      weighted,
      (w) => w.weight,
      Math.min(8, population.length),
      () => r.next(),
    );
    const recent = s === spotCount - 1;
    spotChecks.push({
      department_id: dept.id,
      area_path: dept.path,
      drawn_by: null,
      drawn_label: dept.name,
      drawn_at: iso(drawnAt),
      criteria: { industry: null, areaCode: null, areaName: null },
      weights: { ...SPOT_CHECK_WEIGHTS },
      population: population.length,
      sample_size: drawn.length,
      note: recent ? "本月“双随机”消防安全抽查" : "季度治安消防联合抽查",
    });
    drawn.forEach((d, n) => {
      const pending = recent && n >= 2;
      const found = !pending && r.chance(0.25);
      const checkedAt = drawnAt + r.float(2, 10) * DAY;
      spotItems.push({
        check: s,
        organisation_id: d.e.id,
        rank: n + 1,
        weight: d.weight,
        factors: d.factors,
        finding: pending ? "pending" : found ? "hazards_found" : "ok",
        note: pending ? null : found ? "现场检查发现隐患，已责令整改" : "现场检查未发现问题",
        checked_at: pending ? null : iso(Math.min(checkedAt, nowMs - HOUR)),
      });
      if (found)
        spotHazards.push({ check: s, enterprise: d.e, at: Math.min(checkedAt, nowMs - HOUR) });
    });
  }
  const spotIds = (
    await insertJson(
      ctx,
      "spot_checks",
      {
        department_id: "bigint",
        area_path: "text",
        drawn_by: "bigint",
        drawn_label: "text",
        drawn_at: "timestamptz",
        criteria: "jsonb",
        weights: "jsonb",
        population: "integer",
        sample_size: "integer",
        note: "text",
      },
      spotChecks,
      ["id"],
    )
  ).map((x) => x.id as string);
  await insertJson(
    ctx,
    "spot_check_items",
    {
      spot_check_id: "bigint",
      organisation_id: "bigint",
      rank: "integer",
      weight: "double precision",
      factors: "jsonb",
      finding: "text",
      note: "text",
      checked_at: "timestamptz",
    },
    spotItems.map(({ check, ...x }) => ({ ...x, spot_check_id: spotIds[check] })),
  );
  const SPOT_FINDINGS = [
    { title: "消防控制室值班人员无证上岗", level: "general" as const, topic: "fire" },
    { title: "员工宿舍违规使用大功率电器", level: "general" as const, topic: "dormitory" },
    { title: "监控室夜间无人值守", level: "general" as const, topic: "security" },
    { title: "危化品仓库与员工休息区未有效分隔", level: "major" as const, topic: "hazmat" },
  ];
  for (const sh of spotHazards) {
    const f = r.pick(SPOT_FINDINGS);
    const dept = spotChecks[sh.check]?.drawn_label as string;
    hazards.push(
      live(
        {
          organisation_id: sh.enterprise.id,
          area_path: sh.enterprise.area_path,
          source: "spot_check",
          inspection_id: null,
          item_code: null,
          spot_check_id: spotIds[sh.check] ?? null,
          level: f.level,
          title: f.title,
          description: "抽查发现",
          lat: sh.enterprise.lat,
          lng: sh.enterprise.lng,
          address: sh.enterprise.address,
          deadline: hazardDeadline(localDay(new Date(sh.at)), f.level),
          created_by: null,
          created_at: sh.at,
        },
        sh.enterprise,
        { topic: f.topic, createdBy: dept },
      ),
    );
  }

  // In time order, as a live system writes them.
  hazards.sort((a, b) => a.created_at - b.created_at);
  const hazardIds = (
    await insertJson(
      ctx,
      "hazards",
      {
        organisation_id: "bigint",
        area_path: "text",
        source: "text",
        inspection_id: "bigint",
        item_code: "text",
        spot_check_id: "bigint",
        level: "text",
        title: "text",
        description: "text",
        lat: "double precision",
        lng: "double precision",
        address: "text",
        status: "text",
        deadline: "date",
        plan: "text",
        plan_at: "timestamptz",
        completion_note: "text",
        completed_at: "timestamptz",
        closed_at: "timestamptz",
        supervising_department_id: "bigint",
        supervised_at: "timestamptz",
        supervision_note: "text",
        version: "integer",
        created_by: "bigint",
        created_at: "timestamptz",
        updated_at: "timestamptz",
      },
      hazards.map(({ steps: _s, ...h }) => ({
        ...h,
        plan_at: iso(h.plan_at),
        completed_at: iso(h.completed_at),
        closed_at: iso(h.closed_at),
        supervised_at: iso(h.supervised_at),
        created_at: iso(h.created_at),
        updated_at: iso(h.updated_at),
      })),
      ["id"],
    )
  ).map((x) => x.id as string);
  const actions = hazards.flatMap((h, n) =>
    h.steps.map((s) => ({
      hazard_id: hazardIds[n],
      kind: s.kind,
      from_status: s.from,
      to_status: s.to,
      actor_label: s.actor,
      department_id: s.department_id,
      note: s.note,
      details: {},
      at: iso(s.at),
    })),
  );
  await insertJson(
    ctx,
    "hazard_actions",
    {
      hazard_id: "bigint",
      kind: "text",
      from_status: "text",
      to_status: "text",
      actor_label: "text",
      department_id: "bigint",
      note: "text",
      details: "jsonb",
      at: "timestamptz",
    },
    actions,
  );

  const open = hazards.filter((h) => h.status !== "closed").length;
  ctx.log(
    `inspections: ${CHECKLIST_TEMPLATES.length} checklists, ${inspectionRows.length} inspections (${submitted} submitted, ${late} late, ${missed} missed), ${hazards.length} hazards (${open} open), ${spotIds.length} spot-checks`,
  );
}
