/**
 * The seeded case taxonomy: the categories a report can be filed under, their
 * default severity, handling deadlines (on the working-hours clock), privacy and
 * verification flags, the extra form fields each category asks for, and the
 * default responsibility list (权责清单) that routes each category to a lead
 * department kind and assisting kinds. This module owns the data and its
 * schema; the database seed copies it, and coordinators edit the copy.
 *
 * Codes: a family is a top-level snake_case code ("dispute"); a category a
 * reporter can choose is a leaf one level below it ("dispute.labour_wage").
 */
import { z } from "zod";
import { DEPARTMENT_KINDS } from "./schemas/areas.js";

type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const CASE_SEVERITIES = ["low", "normal", "high", "urgent"] as const;
export type CaseSeverity = (typeof CASE_SEVERITIES)[number];
export const CASE_SEVERITY_SCHEMA = z.enum(CASE_SEVERITIES);

export const CATEGORY_FIELD_TYPES = [
  "text",
  "integer",
  "number",
  "date",
  "select",
  "boolean",
] as const;
export type CategoryFieldType = (typeof CATEGORY_FIELD_TYPES)[number];

const SNAKE = /^[a-z][a-z0-9_]*$/;
const FAMILY_CODE = /^[a-z][a-z0-9_]*$/;
const LEAF_CODE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

const nonEmpty = z.string().trim().min(1);

/** One extra field a category's report form asks for. */
export const CATEGORY_FIELD_SCHEMA = z
  .strictObject({
    code: z.string().regex(SNAKE, "字段代码须为小写蛇形 / field code must be snake_case"),
    label: nonEmpty.max(40),
    type: z.enum(CATEGORY_FIELD_TYPES),
    required: z.boolean(),
    options: z
      .array(z.strictObject({ value: z.string().regex(SNAKE), label: nonEmpty.max(40) }))
      .optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    maxLength: z.number().int().min(1).max(2000).optional(),
    help: nonEmpty.max(200).optional(),
  })
  .superRefine((f, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: "custom", message });
    if (f.type === "select") {
      if (!f.options || f.options.length === 0) {
        issue("选择题须有选项 / a select field needs options");
      } else if (new Set(f.options.map((o) => o.value)).size !== f.options.length) {
        issue("选项值重复 / option values must be unique");
      }
    } else if (f.options !== undefined) {
      issue("只有选择题可以有选项 / only select fields take options");
    }
    const numeric = f.type === "integer" || f.type === "number";
    if (!numeric && (f.min !== undefined || f.max !== undefined)) {
      issue("只有数字字段可以设置范围 / only numeric fields take min/max");
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
      issue("最小值大于最大值 / min is greater than max");
    }
    if (
      f.type === "integer" &&
      [f.min, f.max].some((v) => v !== undefined && !Number.isInteger(v))
    ) {
      issue("整数字段的范围须为整数 / integer bounds must be integers");
    }
    if (f.type === "text" && f.maxLength === undefined) {
      issue("文本字段须设置长度上限 / a text field needs maxLength");
    }
    if (f.type !== "text" && f.maxLength !== undefined) {
      issue("只有文本字段可以设置长度上限 / only text fields take maxLength");
    }
  });
export type CategoryField = z.infer<typeof CATEGORY_FIELD_SCHEMA>;

/** One entry of the taxonomy: a family (parent null) or a leaf category. */
export const CATEGORY_SCHEMA = z
  .strictObject({
    code: z.string().max(64),
    name: nonEmpty.max(40),
    parent: z.string().nullable(),
    severity: CASE_SEVERITY_SCHEMA,
    invalid: z.boolean(),
    redirect: nonEmpty.max(200).nullable(),
    sensitive: z.boolean(),
    verify: z.boolean(),
    /** Working hours the lead department has to accept (unused for invalid entries). */
    acceptHours: z.number().positive().max(72),
    /** Working days to resolve (unused for invalid entries). */
    resolveDays: z.number().int().positive().max(90),
    fields: z.array(CATEGORY_FIELD_SCHEMA).max(12),
    description: nonEmpty.max(200),
    serviceNotice: nonEmpty.max(300).nullable(),
  })
  .superRefine((c, ctx) => {
    const issue = (message: string, path: string) =>
      ctx.addIssue({ code: "custom", message, path: [path] });
    if (c.parent === null) {
      if (!FAMILY_CODE.test(c.code)) issue(`分类代码无效 / bad family code ${c.code}`, "code");
      if (c.fields.length > 0) issue("分类族不能有字段 / a family has no fields", "fields");
    } else {
      if (!LEAF_CODE.test(c.code)) issue(`分类代码无效 / bad category code ${c.code}`, "code");
      if (categoryFamily(c.code) !== c.parent) {
        issue(
          `上级分类须为 ${categoryFamily(c.code)} / parent must be the code's family`,
          "parent",
        );
      }
    }
    if (new Set(c.fields.map((f) => f.code)).size !== c.fields.length) {
      issue("字段代码重复 / field codes must be unique", "fields");
    }
    if (c.invalid) {
      if (c.redirect === null)
        issue("不受理的分类须有引导语 / an invalid category needs a redirect", "redirect");
      if (c.fields.length > 0)
        issue("不受理的分类没有字段 / an invalid category has no fields", "fields");
    } else {
      if (c.redirect !== null)
        issue("受理的分类不应有引导语 / a valid category has no redirect", "redirect");
    }
  });
export type CaseCategoryDef = z.infer<typeof CATEGORY_SCHEMA>;

/** A responsibility-list rule; a family's rule applies to each leaf without its own. */
export const DEFAULT_ROUTE_SCHEMA = z.strictObject({
  category: z.string(),
  lead: z.enum(DEPARTMENT_KINDS),
  assist: z.array(z.enum(DEPARTMENT_KINDS)),
});
export interface DefaultRoute {
  category: string;
  lead: DepartmentKind;
  assist: DepartmentKind[];
}

// ---------------------------------------------------------------------------
// Builders: only what differs from the usual is written out per entry.

type EntrySpec = Pick<CaseCategoryDef, "code" | "name" | "severity" | "description"> &
  Partial<Omit<CaseCategoryDef, "code" | "name" | "severity" | "description" | "parent">>;

function family(spec: EntrySpec): CaseCategoryDef {
  return entry(null, spec);
}

function leaf(spec: EntrySpec): CaseCategoryDef {
  return entry(categoryFamily(spec.code), spec);
}

function entry(parent: string | null, spec: EntrySpec): CaseCategoryDef {
  const invalid = spec.invalid ?? false;
  return {
    code: spec.code,
    name: spec.name,
    parent,
    severity: spec.severity,
    invalid,
    redirect: spec.redirect ?? null,
    sensitive: spec.sensitive ?? false,
    verify: spec.verify ?? false,
    // Invalid entries are never dispatched; their deadlines are placeholders
    // (the database requires positive values).
    acceptHours: spec.acceptHours ?? (invalid ? 1 : 4),
    resolveDays: spec.resolveDays ?? (invalid ? 1 : 10),
    fields: spec.fields ?? [],
    description: spec.description,
    serviceNotice: spec.serviceNotice ?? null,
  };
}

const involvedPeople = (required: boolean): CategoryField => ({
  code: "involved_people",
  label: "涉及人数",
  type: "integer",
  required,
  min: 1,
  max: 10000,
});

const ongoing = (help: string): CategoryField => ({
  code: "ongoing",
  label: "是否正在发生",
  type: "boolean",
  required: false,
  help,
});

const occurredOn: CategoryField = {
  code: "occurred_on",
  label: "发生日期",
  type: "date",
  required: false,
};

const enterpriseName = (required: boolean): CategoryField => ({
  code: "enterprise_name",
  label: "企业名称",
  type: "text",
  required,
  maxLength: 100,
});

const merchantName: CategoryField = {
  code: "merchant_name",
  label: "商户名称",
  type: "text",
  required: false,
  maxLength: 100,
};

const occupantsEstimate = (required: boolean): CategoryField => ({
  code: "occupants_estimate",
  label: "居住人数（估计）",
  type: "integer",
  required,
  min: 1,
  max: 500,
});

const amountLost: CategoryField = {
  code: "amount_lost",
  label: "损失金额（元）",
  type: "number",
  required: false,
  min: 0,
  max: 100_000_000,
};

const CALL_119 = "如果火情正在发生，请立即拨打 119，不要等待平台处理。";
const CALL_110 = "如果正在发生，请立即拨打 110，不要等待平台处理。";

// ---------------------------------------------------------------------------

export const CASE_TAXONOMY: readonly CaseCategoryDef[] = [
  // 矛盾纠纷 ----------------------------------------------------------------
  family({
    code: "dispute",
    name: "矛盾纠纷",
    severity: "normal",
    description: "邻里、租房、劳资、家庭、消费等各类纠纷，可申请调解。",
  }),
  leaf({
    code: "dispute.neighbour",
    name: "邻里纠纷",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 10,
    fields: [involvedPeople(false)],
    description: "与邻居之间因噪声、漏水、占用公共空间等引起的矛盾。",
    serviceNotice: "社区调解员或老乡调解员将联系双方进行调解。",
  }),
  leaf({
    code: "dispute.rental",
    name: "房屋租赁纠纷",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 10,
    fields: [
      {
        code: "amount_disputed",
        label: "争议金额（元）",
        type: "number",
        required: false,
        min: 0,
        max: 10_000_000,
        help: "押金、租金等有争议的金额，没有可不填。",
      },
      {
        code: "landlord_name",
        label: "房东或二房东姓名",
        type: "text",
        required: false,
        maxLength: 50,
      },
    ],
    description: "与房东、二房东或中介之间因押金、租金、退租、维修等引起的纠纷。",
    serviceNotice: "社区将联合派出所（出租屋管理）组织调解。",
  }),
  leaf({
    code: "dispute.labour_wage",
    name: "劳资纠纷/欠薪",
    severity: "high",
    acceptHours: 4,
    resolveDays: 15,
    fields: [
      {
        code: "employer_name",
        label: "用人单位名称",
        type: "text",
        required: true,
        maxLength: 100,
        help: "公司、工地或包工头的名称。",
      },
      involvedPeople(true),
      {
        code: "wage_amount",
        label: "拖欠金额（元）",
        type: "number",
        required: false,
        min: 0,
        max: 100_000_000,
      },
      {
        code: "months_owed",
        label: "拖欠月数",
        type: "integer",
        required: false,
        min: 1,
        max: 120,
      },
    ],
    description: "工资被拖欠、克扣，或与用人单位发生劳动争议。",
    serviceNotice: "劳动保障监察部门将核实情况并督促支付；也可申请劳动仲裁或法律援助。",
  }),
  leaf({
    code: "dispute.family",
    name: "婚姻家庭纠纷",
    severity: "normal",
    sensitive: true,
    acceptHours: 4,
    resolveDays: 10,
    description: "夫妻、父母子女、赡养抚养等家庭矛盾。如遭受暴力，请选择“疑似遭受家庭暴力”。",
    serviceNotice: "调解过程保护个人隐私，不公开具体地址。",
  }),
  leaf({
    code: "dispute.consumer",
    name: "消费纠纷",
    severity: "low",
    acceptHours: 8,
    resolveDays: 7,
    fields: [
      merchantName,
      {
        code: "amount_involved",
        label: "涉及金额（元）",
        type: "number",
        required: false,
        min: 0,
        max: 10_000_000,
      },
    ],
    description: "购物、餐饮、服务中与商家发生的退换货、收费等纠纷。",
    serviceNotice: null,
  }),

  // 治安秩序 ----------------------------------------------------------------
  family({
    code: "public_order",
    name: "治安秩序",
    severity: "high",
    description: "打架斗殴、聚众滋事、可疑人员物品、治安防范漏洞等。",
  }),
  leaf({
    code: "public_order.fighting",
    name: "打架斗殴",
    severity: "high",
    acceptHours: 1,
    resolveDays: 3,
    fields: [ongoing(CALL_110), involvedPeople(false)],
    description: "已经发生或有苗头的打架、斗殴、互殴。",
    serviceNotice: "正在发生的打架请立即拨打 110。",
  }),
  leaf({
    code: "public_order.gathering",
    name: "聚众滋事/群体性聚集苗头",
    severity: "high",
    acceptHours: 1,
    resolveDays: 3,
    fields: [ongoing(CALL_110), involvedPeople(true)],
    description: "多人聚集闹事、堵门堵路，或可能发生群体性事件的苗头。",
    serviceNotice: null,
  }),
  leaf({
    code: "public_order.suspicious",
    name: "可疑人员/可疑物品",
    severity: "high",
    acceptHours: 2,
    resolveDays: 3,
    description: "形迹可疑的人员、来历不明的物品或车辆。",
    serviceNotice: "请勿自行接近或处置可疑物品。",
  }),
  leaf({
    code: "public_order.security_gap",
    name: "治安防范漏洞",
    severity: "normal",
    verify: true,
    acceptHours: 8,
    resolveDays: 10,
    description: "监控损坏、路灯不亮、门禁失效、围墙破损等容易引发治安问题的漏洞。",
    serviceNotice: "网格员将先到现场核实。",
  }),

  // 盗窃诈骗 ----------------------------------------------------------------
  family({
    code: "theft_fraud",
    name: "盗窃诈骗",
    severity: "normal",
    description: "财物被盗、电动车被盗、电信网络诈骗、招工诈骗等。",
  }),
  leaf({
    code: "theft_fraud.theft",
    name: "盗窃",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 7,
    fields: [occurredOn, amountLost],
    description: "入室盗窃、宿舍失窃、手机钱包被盗等。",
    serviceNotice: "立案请以派出所受案回执为准。",
  }),
  leaf({
    code: "theft_fraud.ebike_theft",
    name: "电动自行车被盗",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 7,
    fields: [
      occurredOn,
      {
        code: "plate_number",
        label: "车牌号",
        type: "text",
        required: false,
        maxLength: 20,
      },
    ],
    description: "电动自行车、电瓶被盗。",
    serviceNotice: null,
  }),
  leaf({
    code: "theft_fraud.telecom_fraud",
    name: "电信网络诈骗",
    severity: "high",
    acceptHours: 1,
    resolveDays: 5,
    fields: [
      occurredOn,
      amountLost,
      {
        code: "contact_channel",
        label: "对方联系方式",
        type: "select",
        required: false,
        options: [
          { value: "phone", label: "电话" },
          { value: "sms", label: "短信" },
          { value: "social_app", label: "社交软件" },
          { value: "shopping_platform", label: "网购平台" },
          { value: "other", label: "其他" },
        ],
      },
    ],
    description: "刷单、冒充客服、冒充公检法、网络贷款、投资理财等诈骗。",
    serviceNotice: "如刚刚转账，请立即拨打 110 或 96110 申请紧急止付。",
  }),
  leaf({
    code: "theft_fraud.job_scam",
    name: "招工/中介诈骗",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 10,
    fields: [
      {
        code: "agency_name",
        label: "中介或招工方名称",
        type: "text",
        required: false,
        maxLength: 100,
      },
      amountLost,
      involvedPeople(false),
    ],
    description: "黑中介收取押金、体检费、培训费后不安排工作等。",
    serviceNotice: null,
  }),

  // 消防隐患 ----------------------------------------------------------------
  family({
    code: "fire_hazard",
    name: "消防隐患",
    severity: "high",
    description: "电动车违规充电、消防通道堵塞、违规用火用电、燃气隐患等。",
  }),
  leaf({
    code: "fire_hazard.ebike_charging",
    name: "电动自行车违规充电/飞线充电",
    severity: "urgent",
    verify: true,
    acceptHours: 1,
    resolveDays: 1,
    fields: [ongoing(CALL_119)],
    description: "在楼道、室内给电动车或电瓶充电，从楼上拉电线（飞线）充电。",
    serviceNotice: "网格员将尽快到场劝阻并核实，再交消防部门处理。",
  }),
  leaf({
    code: "fire_hazard.blocked_exit",
    name: "消防通道/安全出口堵塞",
    severity: "high",
    verify: true,
    acceptHours: 1,
    resolveDays: 2,
    description: "消防车通道被占用，楼梯、安全出口被堵塞或锁闭。",
    serviceNotice: "网格员将先到现场核实。",
  }),
  leaf({
    code: "fire_hazard.illegal_fire_power",
    name: "违规用火用电",
    severity: "high",
    verify: true,
    acceptHours: 1,
    resolveDays: 2,
    fields: [ongoing(CALL_119)],
    description: "私拉乱接电线、使用大功率电器、室内明火做饭取暖等。",
    serviceNotice: "网格员将先到现场核实。",
  }),
  leaf({
    code: "fire_hazard.facility_damage",
    name: "消防设施损坏/缺失",
    severity: "normal",
    verify: true,
    acceptHours: 4,
    resolveDays: 5,
    description: "灭火器过期或缺失、消火栓损坏、应急照明和疏散指示不亮。",
    serviceNotice: null,
  }),
  leaf({
    code: "fire_hazard.gas",
    name: "燃气使用隐患",
    severity: "urgent",
    verify: true,
    acceptHours: 1,
    resolveDays: 2,
    fields: [
      {
        code: "smell_gas",
        label: "是否闻到燃气味",
        type: "boolean",
        required: false,
        help: "如闻到燃气味，请勿开关电器、勿用明火，立即开窗并撤离后拨打 119。",
      },
    ],
    description: "出租房、小餐馆违规使用液化气瓶，燃气管道老化等。",
    serviceNotice: null,
  }),

  // 出租房屋 ----------------------------------------------------------------
  family({
    code: "rental_housing",
    name: "出租房屋",
    severity: "normal",
    description: "群租、出租房未登记、违规隔断、房屋安全等。",
  }),
  leaf({
    code: "rental_housing.overcrowding",
    name: "群租",
    severity: "normal",
    verify: true,
    acceptHours: 4,
    resolveDays: 5,
    fields: [
      occupantsEstimate(false),
      {
        code: "room_count",
        label: "房间数",
        type: "integer",
        required: false,
        min: 1,
        max: 100,
      },
    ],
    description: "一套房住了过多的人，人均面积过小，或按床位出租。",
    serviceNotice: "网格员将上门核实居住人数，整治期间会协助租客妥善安置。",
  }),
  leaf({
    code: "rental_housing.unregistered",
    name: "出租房未登记",
    severity: "low",
    verify: true,
    acceptHours: 8,
    resolveDays: 5,
    fields: [occupantsEstimate(false)],
    description: "房屋出租未登记，或租客未办理居住登记。",
    serviceNotice: "租客可在本平台直接办理居住登记。",
  }),
  leaf({
    code: "rental_housing.illegal_partition",
    name: "违规隔断/改建",
    severity: "normal",
    verify: true,
    acceptHours: 4,
    resolveDays: 10,
    fields: [
      {
        code: "room_count",
        label: "隔出的房间数",
        type: "integer",
        required: false,
        min: 1,
        max: 100,
      },
    ],
    description: "用板材隔出小间出租、改变房屋结构或用途。",
    serviceNotice: null,
  }),
  leaf({
    code: "rental_housing.unsafe_structure",
    name: "房屋安全隐患",
    severity: "high",
    verify: true,
    acceptHours: 2,
    resolveDays: 5,
    description: "墙体开裂、楼板下沉、阳台外墙脱落等危及安全的情况。",
    serviceNotice: "情况危急请立即撤离并拨打 119。",
  }),

  // 企业宿舍 ----------------------------------------------------------------
  family({
    code: "dormitory",
    name: "企业宿舍",
    severity: "normal",
    description: "企业员工宿舍、集宿区的超员、消防、治安问题。",
  }),
  leaf({
    code: "dormitory.overcrowding",
    name: "宿舍超员",
    severity: "normal",
    verify: true,
    acceptHours: 4,
    resolveDays: 5,
    fields: [enterpriseName(false), occupantsEstimate(false)],
    description: "宿舍实际住宿人数超过核定人数，床位过密。",
    serviceNotice: "举报人信息对企业保密。",
  }),
  leaf({
    code: "dormitory.fire_safety",
    name: "宿舍消防安全",
    severity: "high",
    verify: true,
    acceptHours: 1,
    resolveDays: 2,
    fields: [enterpriseName(false), ongoing(CALL_119)],
    description: "宿舍内违规充电、私拉电线、逃生通道堵塞、窗户加装防盗网无逃生口等。",
    serviceNotice: "举报人信息对企业保密。",
  }),
  leaf({
    code: "dormitory.security",
    name: "宿舍治安",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 5,
    fields: [enterpriseName(false)],
    description: "门禁缺失、外来人员随意出入、宿舍频繁失窃。",
    serviceNotice: null,
  }),

  // 交通安全 ----------------------------------------------------------------
  family({
    code: "traffic",
    name: "交通安全",
    severity: "normal",
    description: "交通秩序、非机动车停放、企业通勤车安全等。",
  }),
  leaf({
    code: "traffic.order",
    name: "交通秩序混乱",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 5,
    fields: [
      {
        code: "location_type",
        label: "地点类型",
        type: "select",
        required: true,
        options: [
          { value: "road", label: "道路路段" },
          { value: "intersection", label: "路口" },
          { value: "school_area", label: "学校周边" },
          { value: "factory_gate", label: "厂区门口" },
          { value: "market_area", label: "市场周边" },
          { value: "residential", label: "小区内部" },
          { value: "other", label: "其他" },
        ],
      },
    ],
    description: "上下班高峰拥堵、机动车乱停、逆行、信号灯或标志损坏。",
    serviceNotice: null,
  }),
  leaf({
    code: "traffic.nonmotor_parking",
    name: "非机动车违停",
    severity: "low",
    acceptHours: 8,
    resolveDays: 5,
    description: "电动车、自行车乱停乱放，占用人行道、盲道。",
    serviceNotice: null,
  }),
  leaf({
    code: "traffic.shuttle_bus",
    name: "通勤车/接送车安全隐患",
    severity: "high",
    acceptHours: 2,
    resolveDays: 5,
    fields: [
      enterpriseName(false),
      {
        code: "plate_number",
        label: "车牌号",
        type: "text",
        required: false,
        maxLength: 20,
      },
      {
        code: "passengers_estimate",
        label: "乘车人数（估计）",
        type: "integer",
        required: false,
        min: 1,
        max: 200,
      },
    ],
    description: "企业通勤车、接送车超载、车况差、司机无证。",
    serviceNotice: null,
  }),

  // 涉毒涉赌线索 ------------------------------------------------------------
  family({
    code: "drugs_gambling",
    name: "涉毒涉赌线索",
    severity: "high",
    sensitive: true,
    description: "吸毒、贩毒、聚众赌博、网络赌博等违法犯罪线索。",
  }),
  leaf({
    code: "drugs_gambling.drug_tip",
    name: "涉毒线索",
    severity: "high",
    sensitive: true,
    acceptHours: 2,
    resolveDays: 10,
    description: "吸毒、贩毒、制毒或种植毒品原植物的线索。",
    serviceNotice: "线索严格保密，可匿名提供；请勿自行调查或接触相关人员。",
  }),
  leaf({
    code: "drugs_gambling.gambling_tip",
    name: "涉赌线索",
    severity: "high",
    sensitive: true,
    acceptHours: 2,
    resolveDays: 10,
    fields: [
      {
        code: "online",
        label: "是否为网络赌博",
        type: "boolean",
        required: false,
      },
    ],
    description: "聚众赌博、赌博窝点、网络赌博、赌博推广的线索。",
    serviceNotice: "线索严格保密，可匿名提供；请勿自行调查或接触相关人员。",
  }),

  // 困难与弱势人员 ----------------------------------------------------------
  family({
    code: "vulnerable",
    name: "困难与弱势人员",
    severity: "high",
    sensitive: true,
    description: "需要帮助的困难人员、走失人员、疑似遭受家暴者等。",
  }),
  leaf({
    code: "vulnerable.domestic_violence",
    name: "疑似遭受家庭暴力",
    severity: "high",
    sensitive: true,
    acceptHours: 1,
    resolveDays: 3,
    fields: [ongoing("如果暴力正在发生，请立即拨打 110。")],
    description: "本人或他人遭受家庭成员殴打、威胁、限制人身自由。",
    serviceNotice: "信息严格保密，地址不会公开；可申请人身安全保护令和法律援助。",
  }),
  leaf({
    code: "vulnerable.missing",
    name: "人员走失",
    severity: "urgent",
    sensitive: true,
    acceptHours: 1,
    resolveDays: 1,
    fields: [
      {
        code: "person_type",
        label: "走失人员类型",
        type: "select",
        required: false,
        options: [
          { value: "child", label: "儿童" },
          { value: "elderly", label: "老人" },
          { value: "mental_disability", label: "智力或精神障碍人员" },
          { value: "other", label: "其他" },
        ],
      },
    ],
    description: "老人、儿童或智力、精神障碍人员走失，或发现需要帮助的走失人员。",
    serviceNotice: "请同时拨打 110 报警，走失报警不需要等 24 小时。",
  }),
  leaf({
    code: "vulnerable.hardship",
    name: "生活困难需救助",
    severity: "normal",
    sensitive: true,
    verify: true,
    acceptHours: 4,
    resolveDays: 10,
    description: "因病、因伤、失业等生活陷入困难，流浪乞讨人员需要救助。",
    serviceNotice: "网格员将上门了解情况，协助申请临时救助。",
  }),
  leaf({
    code: "vulnerable.mental_health",
    name: "疑似精神障碍患者风险",
    severity: "high",
    sensitive: true,
    acceptHours: 2,
    resolveDays: 5,
    description: "疑似严重精神障碍患者无人看护，有伤人、自伤或肇事肇祸风险。",
    serviceNotice: "如有人正在伤人或自伤，请立即拨打 110 或 120。",
  }),

  // 噪声与环境 --------------------------------------------------------------
  family({
    code: "environment",
    name: "噪声与环境",
    severity: "low",
    description: "噪声扰民、垃圾乱堆、违法搭建等。",
  }),
  leaf({
    code: "environment.noise",
    name: "噪声扰民",
    severity: "low",
    acceptHours: 8,
    resolveDays: 5,
    fields: [
      {
        code: "noise_source",
        label: "噪声来源",
        type: "select",
        required: true,
        options: [
          { value: "construction", label: "建筑施工" },
          { value: "business", label: "商业经营" },
          { value: "entertainment", label: "娱乐场所" },
          { value: "industrial", label: "工厂生产" },
          { value: "residential", label: "居民生活" },
          { value: "other", label: "其他" },
        ],
      },
      {
        code: "at_night",
        label: "是否在夜间（22 时至次日 6 时）",
        type: "boolean",
        required: false,
      },
    ],
    description: "施工、商铺、娱乐场所、工厂或邻居产生的噪声影响休息。",
    serviceNotice: null,
  }),
  leaf({
    code: "environment.garbage",
    name: "垃圾乱堆乱放",
    severity: "low",
    acceptHours: 8,
    resolveDays: 5,
    description: "生活垃圾、建筑垃圾、大件垃圾乱堆乱放或长期不清运。",
    serviceNotice: null,
  }),
  leaf({
    code: "environment.illegal_construction",
    name: "违法搭建",
    severity: "normal",
    verify: true,
    acceptHours: 8,
    resolveDays: 15,
    description: "私自搭建棚屋、加层、圈占公共空间。",
    serviceNotice: null,
  }),

  // 市场监管与食品安全 ------------------------------------------------------
  family({
    code: "market_food",
    name: "市场监管与食品安全",
    severity: "normal",
    description: "食品安全、无证经营、电梯等特种设备安全。",
  }),
  leaf({
    code: "market_food.food_safety",
    name: "食品安全",
    severity: "high",
    acceptHours: 2,
    resolveDays: 7,
    fields: [
      merchantName,
      {
        code: "sick_people",
        label: "身体不适人数",
        type: "integer",
        required: false,
        min: 0,
        max: 10000,
        help: "如有人出现中毒症状，请立即拨打 120。",
      },
    ],
    description: "无证餐饮、过期变质食品、食堂卫生差、疑似食物中毒。",
    serviceNotice: null,
  }),
  leaf({
    code: "market_food.unlicensed",
    name: "无证无照经营",
    severity: "normal",
    acceptHours: 8,
    resolveDays: 10,
    fields: [merchantName],
    description: "无营业执照或无许可证经营，黑作坊。",
    serviceNotice: null,
  }),
  leaf({
    code: "market_food.special_equipment",
    name: "电梯等特种设备隐患",
    severity: "high",
    acceptHours: 2,
    resolveDays: 3,
    description: "电梯经常故障、超期未检，锅炉、压力容器等特种设备存在隐患。",
    serviceNotice: "电梯困人请拨打电梯内的应急电话、96333 或 110。",
  }),

  // 安全生产 ----------------------------------------------------------------
  family({
    code: "workplace_safety",
    name: "安全生产",
    severity: "high",
    description: "企业生产、危险化学品、建筑工地和职业健康方面的隐患。",
  }),
  leaf({
    code: "workplace_safety.hazard",
    name: "生产安全隐患",
    severity: "high",
    acceptHours: 2,
    resolveDays: 5,
    fields: [enterpriseName(false)],
    description: "机器无防护、违章作业、未培训上岗等企业生产安全隐患。",
    serviceNotice: "举报人信息对企业保密。",
  }),
  leaf({
    code: "workplace_safety.hazardous_chemicals",
    name: "危险化学品违规储存/使用",
    severity: "urgent",
    acceptHours: 1,
    resolveDays: 2,
    fields: [enterpriseName(false), ongoing("如发生泄漏、起火，请立即远离并拨打 119。")],
    description: "在厂房、仓库、居民区违规存放或使用易燃易爆、有毒化学品。",
    serviceNotice: null,
  }),
  leaf({
    code: "workplace_safety.construction_site",
    name: "建筑工地安全隐患",
    severity: "high",
    acceptHours: 2,
    resolveDays: 3,
    description: "高处作业无防护、脚手架不稳、塔吊违规作业等。",
    serviceNotice: null,
  }),
  leaf({
    code: "workplace_safety.occupational_health",
    name: "职业病危害",
    severity: "normal",
    acceptHours: 4,
    resolveDays: 10,
    fields: [enterpriseName(false)],
    description: "粉尘、噪声、有毒物质超标，未发防护用品，未组织职业健康体检。",
    serviceNotice: "举报人信息对企业保密。",
  }),

  // 非本平台受理事项 --------------------------------------------------------
  family({
    code: "referral",
    name: "非本平台受理事项",
    severity: "low",
    invalid: true,
    redirect: "此类事项本平台不受理，请按提示联系相应渠道。",
    description: "紧急警情、政策咨询、司法裁判等请通过其他渠道办理。",
  }),
  leaf({
    code: "referral.emergency",
    name: "正在发生的警情/火情/急救",
    severity: "urgent",
    invalid: true,
    redirect: "紧急情况请立即拨打 110（报警）/ 119（火警）/ 120（急救），本平台不能代替紧急呼叫。",
    description: "正在发生的违法犯罪、火灾、伤病急救。",
  }),
  leaf({
    code: "referral.policy_consultation",
    name: "户籍、社保等政策咨询",
    severity: "low",
    invalid: true,
    redirect: "政策咨询请拨打 12345 政务服务便民热线，或前往就近的政务服务中心。",
    description: "户口迁移、社保医保、公积金、子女入学等政策咨询。",
  }),
  leaf({
    code: "referral.court_judgment",
    name: "对法院判决不服",
    severity: "low",
    invalid: true,
    redirect: "对法院判决、裁定不服，请依法向人民法院提出上诉或申请再审，或向信访部门反映。",
    description: "对已作出的法院判决、裁定、执行有异议。",
  }),
];

/** The seeded responsibility list (权责清单): department kinds, not departments. */
export const DEFAULT_ROUTES: readonly DefaultRoute[] = [
  // Community mediation by the street office, guided by the justice office (司法所).
  { category: "dispute", lead: "street_office", assist: ["justice_office"] },
  {
    category: "dispute.rental",
    lead: "street_office",
    assist: ["police_station", "housing", "justice_office"],
  },
  {
    category: "dispute.labour_wage",
    lead: "labour_inspection",
    assist: ["street_office", "justice_office"],
  },
  { category: "dispute.consumer", lead: "market_regulation", assist: ["street_office"] },

  { category: "public_order", lead: "police_station", assist: ["street_office"] },
  {
    category: "public_order.gathering",
    lead: "police_station",
    assist: ["street_office", "comprehensive_governance"],
  },
  { category: "public_order.security_gap", lead: "street_office", assist: ["police_station"] },

  { category: "theft_fraud", lead: "police_station", assist: [] },
  // The anti-fraud centre (反诈中心) sits in the district bureau.
  {
    category: "theft_fraud.telecom_fraud",
    lead: "police_station",
    assist: ["public_security_bureau"],
  },
  {
    category: "theft_fraud.job_scam",
    lead: "police_station",
    assist: ["labour_inspection", "market_regulation"],
  },

  { category: "fire_hazard", lead: "fire", assist: ["street_office"] },
  {
    category: "fire_hazard.ebike_charging",
    lead: "fire",
    assist: ["street_office", "housing"],
  },
  // Gas supply and use are supervised by housing and construction (住建, 燃气管理).
  { category: "fire_hazard.gas", lead: "housing", assist: ["fire", "street_office"] },

  // Rental housing is managed locally: street office, police station (流动人口与出租房屋管理), housing.
  { category: "rental_housing", lead: "street_office", assist: ["police_station", "housing"] },
  { category: "rental_housing.unregistered", lead: "police_station", assist: ["street_office"] },
  {
    category: "rental_housing.illegal_partition",
    lead: "housing",
    assist: ["street_office", "fire", "urban_management"],
  },
  { category: "rental_housing.unsafe_structure", lead: "housing", assist: ["street_office"] },

  {
    category: "dormitory",
    lead: "street_office",
    assist: ["housing", "police_station", "labour_inspection"],
  },
  { category: "dormitory.fire_safety", lead: "fire", assist: ["street_office"] },
  { category: "dormitory.security", lead: "police_station", assist: ["street_office"] },

  // Traffic police (交警大队) belong to the district bureau.
  { category: "traffic", lead: "public_security_bureau", assist: ["urban_management"] },
  { category: "traffic.nonmotor_parking", lead: "urban_management", assist: ["street_office"] },
  {
    category: "traffic.shuttle_bus",
    lead: "public_security_bureau",
    assist: ["emergency_management"],
  },

  { category: "drugs_gambling", lead: "police_station", assist: ["public_security_bureau"] },

  { category: "vulnerable", lead: "civil_affairs", assist: ["street_office"] },
  {
    category: "vulnerable.domestic_violence",
    lead: "police_station",
    assist: ["civil_affairs", "street_office", "justice_office"],
  },
  {
    category: "vulnerable.missing",
    lead: "police_station",
    assist: ["street_office", "civil_affairs"],
  },
  {
    category: "vulnerable.mental_health",
    lead: "health",
    assist: ["police_station", "street_office", "civil_affairs"],
  },

  { category: "environment", lead: "urban_management", assist: ["street_office"] },
  {
    category: "environment.noise",
    lead: "urban_management",
    assist: ["police_station", "street_office"],
  },
  {
    category: "environment.illegal_construction",
    lead: "urban_management",
    assist: ["street_office", "housing"],
  },

  { category: "market_food", lead: "market_regulation", assist: [] },
  { category: "market_food.food_safety", lead: "market_regulation", assist: ["health"] },
  { category: "market_food.unlicensed", lead: "market_regulation", assist: ["urban_management"] },

  { category: "workplace_safety", lead: "emergency_management", assist: ["street_office"] },
  {
    category: "workplace_safety.hazardous_chemicals",
    lead: "emergency_management",
    assist: ["fire", "street_office"],
  },
  // Construction sites are supervised by housing and construction (住建).
  {
    category: "workplace_safety.construction_site",
    lead: "housing",
    assist: ["emergency_management"],
  },
  // Occupational health moved to the health commission (卫健) in 2018.
  {
    category: "workplace_safety.occupational_health",
    lead: "health",
    assist: ["emergency_management"],
  },
];

// ---------------------------------------------------------------------------
// Look-ups

const BY_CODE = new Map(CASE_TAXONOMY.map((c) => [c.code, c]));
const ROUTE_BY_CATEGORY = new Map(DEFAULT_ROUTES.map((r) => [r.category, r]));

/** The family (top-level) code of a category code: "dispute.neighbour" → "dispute". */
export function categoryFamily(code: string): string {
  const dot = code.indexOf(".");
  return dot === -1 ? code : code.slice(0, dot);
}

export function findCategory(code: string): CaseCategoryDef | undefined {
  return BY_CODE.get(code);
}

/** The categories a reporter can choose (including invalid ones, which redirect). */
export function leafCategories(): CaseCategoryDef[] {
  return CASE_TAXONOMY.filter((c) => c.parent !== null);
}

/** The default rule for a category: its own, else its family's; none for unknown codes. */
export function defaultRouteFor(code: string): DefaultRoute | undefined {
  if (!BY_CODE.has(code)) return undefined;
  return ROUTE_BY_CATEGORY.get(code) ?? ROUTE_BY_CATEGORY.get(categoryFamily(code));
}

// ---------------------------------------------------------------------------
// Field validation

export interface CaseFieldError {
  field: string;
  message: string;
}
export type CaseFieldValue = string | number | boolean;
export type CaseFieldsResult =
  | { ok: true; value: Record<string, CaseFieldValue> }
  | { ok: false; errors: CaseFieldError[] };

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = DATE_TEXT.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Numbers arrive as numbers (JSON) or as strings (forms, Open311 attributes). */
function toNumber(raw: unknown, pattern: RegExp): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === "string" && pattern.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

type Checked = { value: CaseFieldValue } | { error: string };

function checkField(f: CategoryField, raw: unknown): Checked {
  const { code, label } = f;
  switch (f.type) {
    case "text": {
      if (typeof raw !== "string") return { error: `${label}须为文本 / ${code} must be text` };
      const v = raw.trim();
      if (f.maxLength !== undefined && [...v].length > f.maxLength) {
        return {
          error: `${label}不能超过 ${f.maxLength} 个字 / ${code} must be at most ${f.maxLength} characters`,
        };
      }
      return { value: v };
    }
    case "integer":
    case "number": {
      const integer = f.type === "integer";
      const v = toNumber(raw, integer ? INTEGER_TEXT : NUMBER_TEXT);
      if (v === undefined || (integer && !Number.isSafeInteger(v))) {
        return integer
          ? { error: `${label}须为整数 / ${code} must be an integer` }
          : { error: `${label}须为数字 / ${code} must be a number` };
      }
      if (f.min !== undefined && v < f.min) {
        return { error: `${label}不能小于 ${f.min} / ${code} must be at least ${f.min}` };
      }
      if (f.max !== undefined && v > f.max) {
        return { error: `${label}不能大于 ${f.max} / ${code} must be at most ${f.max}` };
      }
      return { value: v };
    }
    case "date": {
      if (typeof raw !== "string" || !isCalendarDate(raw.trim())) {
        return { error: `${label}须为有效日期（YYYY-MM-DD）/ ${code} must be a date (YYYY-MM-DD)` };
      }
      return { value: raw.trim() };
    }
    case "select": {
      const values = (f.options ?? []).map((o) => o.value);
      if (typeof raw !== "string" || !values.includes(raw.trim())) {
        return { error: `${label}的选项无效 / ${code} must be one of: ${values.join(", ")}` };
      }
      return { value: raw.trim() };
    }
    case "boolean": {
      if (typeof raw === "boolean") return { value: raw };
      if (raw === "true" || raw === "false") return { value: raw === "true" };
      return { error: `${label}须为“是”或“否” / ${code} must be true or false` };
    }
  }
}

/**
 * Checks a report's extra fields against its category's form: required
 * fields, types, ranges, lengths and options; codes the form does not have
 * are refused. Missing optional fields (absent, null or blank) are left out
 * of the result. Whether the category itself may be reported is not checked.
 */
export function validateCaseFields(
  category: Pick<CaseCategoryDef, "fields">,
  input: Record<string, unknown> | undefined,
): CaseFieldsResult {
  const data: Record<string, unknown> = input ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return {
      ok: false,
      errors: [{ field: "fields", message: "字段须为对象 / fields must be an object" }],
    };
  }
  const errors: CaseFieldError[] = [];
  const known = new Set(category.fields.map((f) => f.code));
  for (const key of Object.keys(data)) {
    if (!known.has(key)) {
      errors.push({ field: key, message: `不支持的字段 ${key} / unknown field ${key}` });
    }
  }
  const value: Record<string, CaseFieldValue> = {};
  for (const f of category.fields) {
    const raw = Object.hasOwn(data, f.code) ? data[f.code] : undefined;
    const missing =
      raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
    if (missing) {
      if (f.required) {
        errors.push({ field: f.code, message: `${f.label}为必填项 / ${f.code} is required` });
      }
      continue;
    }
    const checked = checkField(f, raw);
    if ("error" in checked) errors.push({ field: f.code, message: checked.error });
    else value[f.code] = checked.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
