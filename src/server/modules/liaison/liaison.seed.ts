/**
 * A year of liaison for the demo district: about thirty notices from the
 * coordination centre and the district bureaus (fire-safety month, anti-fraud
 * letters, wages before the Spring Festival, heat at work, …) to realistic
 * audiences, with receipts (most read, some not, many confirmed where asked,
 * reminders), two drafts and one withdrawn notice; and about forty mediation
 * requests from enterprises to associations in every state, hometown
 * associations chosen by where the workers come from. The demo `enterprise`
 * account's enterprise has unread notices, one to confirm; the demo
 * `association` (虎丘区新市民协会) has a request waiting for it.
 *
 * Everything is written with a handful of bulk statements; the history ends
 * on the day the seed runs, like the case history.
 */
import { sql } from "kysely";
import type { SeedContext } from "../../seed/seed-context.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

type Issuer =
  | "centre"
  | "fire"
  | "public_security_bureau"
  | "labour_inspection"
  | "market_regulation"
  | "emergency_management"
  | "housing";

const FACTORIES = ["电子信息", "精密制造", "医疗器械"];

interface NoticeTemplate {
  /** sent on the last such day (MM-DD) before the seed day, or so many days ago */
  on: string | number;
  title: string;
  issuer: Issuer;
  importance: "normal" | "important" | "urgent";
  /** days after sending by which receipt is to be confirmed; null: confirmation not asked */
  ackDays: number | null;
  audience:
    | { mode: "all" }
    | {
        mode: "filter";
        industries?: string[];
        /** street codes' last three digits */
        streets?: string[];
        ratings?: string[];
        warningLevels?: string[];
      }
    | { mode: "list"; industry: string; take: number };
  body: string;
  state?: "draft" | "withdrawn";
  /** a reminder went to the unread this many days after sending */
  remindAfterDays?: number;
}

const NOTICES: readonly NoticeTemplate[] = [
  {
    on: "11-09",
    title: "关于开展“119”消防宣传月活动的通知",
    issuer: "fire",
    importance: "important",
    ackDays: 10,
    audience: { mode: "all" },
    body: "各企业：11月是全国消防宣传月。请各企业组织一次全员消防疏散演练，检查灭火器、消防栓和疏散通道，集体宿舍严禁私拉电线、违规充电。演练照片和签到表请于月底前上传至自查记录。",
    remindAfterDays: 4,
  },
  {
    on: "11-20",
    title: "致辖区企业员工：防范电信网络诈骗的一封信",
    issuer: "public_security_bureau",
    importance: "normal",
    ackDays: null,
    audience: { mode: "all" },
    body: "近期冒充客服退款、刷单返利、虚假贷款类诈骗高发。请企业在班前会、宿舍公告栏转达：不轻信陌生来电，不向陌生账户转账，不出借、出售银行卡和电话卡。发现可疑情况请拨打 96110 或 110。",
  },
  {
    on: "12-01",
    title: "关于开展冬季消防安全大检查的通知",
    issuer: "fire",
    importance: "important",
    ackDays: 7,
    audience: { mode: "filter", industries: [...FACTORIES, "物流仓储"] },
    body: "为防范冬季火灾事故，区消防救援大队将于12月对生产企业、仓储物流企业开展消防安全大检查。请各企业先行自查电气线路、动火作业审批、消防设施完好情况，如实填报自查表。",
  },
  {
    on: "12-15",
    title: "关于冬季集体宿舍用电安全的提醒",
    issuer: "fire",
    importance: "normal",
    ackDays: null,
    audience: { mode: "filter", industries: [...FACTORIES, "物业服务"] },
    body: "冬季取暖用电负荷大，集体宿舍内严禁使用电热毯以外的大功率取暖设备，严禁电动自行车及电池进楼入户充电。请宿舍管理员每周巡查一次并做好记录。",
  },
  {
    on: "01-05",
    title: "关于做好春节前农民工工资支付工作的通知",
    issuer: "labour_inspection",
    importance: "urgent",
    ackDays: 10,
    audience: {
      mode: "filter",
      industries: ["建筑施工", "精密制造", "电子信息", "餐饮", "物流仓储"],
    },
    body: "根据根治欠薪冬季专项行动部署，请各企业于春节前足额支付劳动者工资，建筑施工企业落实工资专用账户和实名制管理。各企业须于1月15日前在平台完成12月工资发放申报。存在支付困难的，请主动联系劳动保障监察大队。",
    remindAfterDays: 3,
  },
  {
    on: "01-12",
    title: "关于报送春节留岗及返乡人员情况的通知",
    issuer: "centre",
    importance: "important",
    ackDays: 7,
    audience: { mode: "all" },
    body: "请各企业统计春节期间留岗员工、返乡员工人数及节后预计返岗时间，更新员工花名册中的在岗状态，并确认集体宿舍节日期间的值守人员。",
  },
  {
    on: "01-20",
    title: "春节期间安全生产和值班值守工作提醒",
    issuer: "emergency_management",
    importance: "important",
    ackDays: null,
    audience: { mode: "all" },
    body: "春节期间请各企业落实领导带班和24小时值班制度，停产企业做好断电、断气和危险物品封存，留守宿舍做好防火巡查。值班表请张贴在门卫室。",
  },
  {
    on: "02-20",
    title: "节后复工复产安全生产“开工第一课”通知",
    issuer: "emergency_management",
    importance: "important",
    ackDays: 10,
    audience: { mode: "filter", industries: FACTORIES },
    body: "节后复工前，请各生产企业组织全员安全教育“开工第一课”，重点讲解岗位操作规程和应急逃生，新入职员工须完成三级安全教育后方可上岗。",
  },
  {
    on: "03-05",
    title: "关于开展集体宿舍安全专项整治的通知",
    issuer: "housing",
    importance: "important",
    ackDays: 14,
    audience: { mode: "filter", industries: [...FACTORIES, "建筑施工"] },
    body: "区住建局将联合消防、街道对企业集体宿舍开展专项整治，重点检查超员居住、违规隔断、通道堵塞等问题。请各企业对照宿舍核定人数自查，超员房间须在一个月内整改。",
  },
  {
    on: "03-12",
    title: "“3·15”消费者权益保护提醒",
    issuer: "market_regulation",
    importance: "normal",
    ackDays: null,
    audience: { mode: "filter", industries: ["餐饮", "零售"] },
    body: "请各经营单位明码标价、规范开具票据，不得销售过期食品，妥善处理消费者投诉。市场监管部门将在3月开展专项检查。",
  },
  {
    on: "03-25",
    title: "关于春季食品安全检查的通知",
    issuer: "market_regulation",
    importance: "important",
    ackDays: 10,
    audience: { mode: "filter", industries: ["餐饮"] },
    body: "春季是食源性疾病高发期。请餐饮单位和企业食堂落实进货查验、留样和从业人员健康证管理，后厨保持清洁，防蝇防鼠设施完好。",
  },
  {
    on: "04-10",
    title: "关于开展新市民居住登记集中核查的通知",
    issuer: "centre",
    importance: "normal",
    ackDays: null,
    audience: { mode: "all" },
    body: "为做好实有人口管理，请各企业核对员工花名册与居住登记信息，新入职员工请在一周内完成居住登记，集体宿舍住户变动请及时更新。",
  },
  {
    on: "04-25",
    title: "劳动合同签订及社会保险缴纳情况自查通知",
    issuer: "labour_inspection",
    importance: "normal",
    ackDays: 14,
    audience: { mode: "all" },
    body: "请各企业自查劳动合同签订率、社会保险缴纳情况和工时制度执行情况，发现问题及时整改。劳动保障监察大队将随机抽查。",
  },
  {
    on: "05-08",
    title: "防范电信网络诈骗：警惕“刷单返利”骗局",
    issuer: "public_security_bureau",
    importance: "normal",
    ackDays: null,
    audience: { mode: "all" },
    body: "近期辖区多名企业员工因参与“刷单返利”被骗。所有要求先垫付资金的刷单都是诈骗！请企业转发至员工群并在宿舍张贴反诈海报。",
  },
  {
    on: "05-20",
    title: "关于安全信用等级C、D级企业限期整改的通知",
    issuer: "centre",
    importance: "urgent",
    ackDays: 7,
    audience: { mode: "filter", ratings: ["C", "D"] },
    body: "根据安全信用评价结果，贵单位安全信用等级为C级或D级。请对照评价中列出的扣分因素，于30日内完成隐患整改和自查补报，整改完成后可申请复评。",
  },
  {
    on: "06-01",
    title: "关于开展“安全生产月”活动的通知",
    issuer: "emergency_management",
    importance: "important",
    ackDays: null,
    audience: { mode: "all" },
    body: "6月是全国“安全生产月”。请各企业开展一次隐患排查、一次应急演练和一次全员安全培训，主要负责人带头讲安全课。",
  },
  {
    on: "06-15",
    title: "关于做好高温天气劳动保护工作的通知",
    issuer: "labour_inspection",
    importance: "important",
    ackDays: 7,
    audience: { mode: "filter", industries: ["建筑施工", "物流仓储", "平台经济", "精密制造"] },
    body: "入夏以来气温持续走高。日最高气温达到40℃以上应停止当日室外露天作业，35℃以上应缩短连续作业时间；6月至9月按规定发放高温津贴，不得以防暑降温饮料充抵。",
    remindAfterDays: 3,
  },
  {
    on: "06-25",
    title: "汛期安全防范提醒",
    issuer: "emergency_management",
    importance: "important",
    ackDays: null,
    audience: { mode: "filter", streets: ["400", "408"] },
    body: "进入主汛期，请沿河、低洼地带企业检查排水设施，地下仓库做好防水倒灌准备，暴雨期间停止高空和户外作业。",
  },
  {
    on: "07-10",
    title: "高温作业防暑降温措施落实情况检查通知",
    issuer: "labour_inspection",
    importance: "normal",
    ackDays: null,
    audience: { mode: "filter", industries: ["建筑施工", "物流仓储"] },
    body: "劳动保障监察大队将于7月中下旬检查高温津贴发放和作业时间调整情况，请准备工资发放记录和排班表备查。",
  },
  {
    on: "07-20",
    title: "关于外卖骑手交通安全的提醒",
    issuer: "public_security_bureau",
    importance: "normal",
    ackDays: null,
    audience: { mode: "filter", industries: ["平台经济"] },
    body: "近期涉及外卖、快递电动自行车的交通事故上升。请平台和站点加强骑手交通安全培训，不得以超时罚款逼迫骑手闯红灯、逆行。",
  },
  {
    on: "08-05",
    title: "关于欠薪预警企业约谈的通知",
    issuer: "labour_inspection",
    importance: "urgent",
    ackDays: 5,
    audience: { mode: "filter", warningLevels: ["warning", "alarm"] },
    body: "根据欠薪预警监测，贵单位存在工资支付风险信号。请企业负责人于收到通知后5个工作日内携工资发放记录到劳动保障监察大队说明情况。",
  },
  {
    on: "08-20",
    title: "防台风安全提醒",
    issuer: "emergency_management",
    importance: "important",
    ackDays: null,
    audience: { mode: "all" },
    body: "受台风影响，未来两天有大风和强降雨。请各企业加固户外广告牌、脚手架和临时工棚，停止户外高空作业，集体宿舍做好人员清点。",
  },
  {
    on: "09-01",
    title: "关于开展危险化学品安全排查的通知",
    issuer: "emergency_management",
    importance: "important",
    ackDays: 14,
    audience: { mode: "filter", industries: FACTORIES },
    body: "请使用、储存危险化学品的企业全面排查储存场所、领用台账和应急处置措施，建立一企一档，排查结果在平台自查中上报。",
  },
  {
    on: "09-15",
    title: "中秋国庆期间安全稳定工作提醒",
    issuer: "centre",
    importance: "important",
    ackDays: null,
    audience: { mode: "all" },
    body: "双节期间请各企业做好值班安排，关注员工思想动态，及时化解劳资矛盾，发现苗头性问题第一时间报告属地综治中心。",
  },
  {
    on: "09-28",
    title: "关于开展矛盾纠纷排查化解的通知",
    issuer: "centre",
    importance: "normal",
    ackDays: null,
    audience: { mode: "filter", streets: ["002", "003"] },
    body: "请各企业排查本单位劳动争议、员工之间纠纷等矛盾隐患，可向辖区新市民协会、老乡会申请调解，调解需求可在平台“调解申请”中提交。",
  },
  {
    on: "10-10",
    title: "物流仓储企业消防安全约谈通知",
    issuer: "fire",
    importance: "important",
    ackDays: 7,
    audience: { mode: "filter", industries: ["物流仓储"] },
    body: "近期外省市仓储火灾多发。请物流仓储企业负责人参加消防安全约谈会，会前完成库房防火分隔、喷淋系统和电动叉车充电区的自查。",
  },
  {
    on: "10-22",
    title: "平台经济劳动者权益保障座谈会通知",
    issuer: "labour_inspection",
    importance: "normal",
    ackDays: 5,
    audience: { mode: "list", industry: "平台经济", take: 6 },
    body: "定于下周三下午在区人社局三楼会议室召开平台经济劳动者权益保障座谈会，请贵单位派一名人事负责人参加。",
  },
  {
    on: 40,
    title: "关于召开安全生产工作会议的通知",
    issuer: "emergency_management",
    importance: "normal",
    ackDays: null,
    audience: { mode: "all" },
    body: "定于本周五召开全区安全生产工作会议，请各企业主要负责人参加。",
    state: "withdrawn",
  },
  {
    on: 6,
    title: "关于开展近期安全隐患自查自纠的通知",
    issuer: "centre",
    importance: "important",
    ackDays: 10,
    audience: { mode: "all" },
    body: "请各企业对照行业自查清单，于十日内完成一次全面的安全隐患自查自纠，重点是消防通道、电气线路、集体宿舍和危险物品存放，发现隐患立即整改并在平台登记。",
  },
  {
    on: 2,
    title: "企业安全员消防培训报名通知",
    issuer: "fire",
    importance: "normal",
    ackDays: null,
    audience: { mode: "filter", industries: FACTORIES },
    body: "区消防救援大队将举办企业专职安全员消防培训班，每家企业限报两人，培训合格颁发结业证书。",
  },
  {
    on: 1,
    title: "关于冬季消防安全检查的预通知",
    issuer: "centre",
    importance: "important",
    ackDays: null,
    audience: { mode: "filter", industries: FACTORIES },
    body: "（草稿）拟于下月开展冬季消防安全联合检查，具体时间另行通知。",
    state: "draft",
  },
  {
    on: 0,
    title: "致企业的一封信：新市民积分入学政策解读",
    issuer: "centre",
    importance: "normal",
    ackDays: null,
    audience: { mode: "all" },
    body: "（草稿）新市民积分管理办法已经修订，现将子女入学积分的主要变化告知各企业，请转达员工。",
    state: "draft",
  },
];

const SUBJECTS: readonly { subject: string; description: string; people: [number, number] }[] = [
  {
    subject: "车间工人与班组长因加班费计算发生争执",
    description:
      "三车间多名工人认为上月周末加班未按双倍计发，与班组长多次争执，已有人不愿上夜班。希望协会帮助双方核对考勤、解释政策。",
    people: [4, 15],
  },
  {
    subject: "宿舍同住工友作息冲突多次发生口角",
    description:
      "二号宿舍楼一间八人宿舍，白班和夜班工友作息冲突，近期多次争吵并有推搡，宿舍管理员调解无效，担心矛盾升级。",
    people: [2, 8],
  },
  {
    subject: "离职员工要求结清工资和押金",
    description:
      "几名已离职员工认为企业扣留了工服押金并少算了最后半个月工资，情绪激动，在厂门口聚集。企业愿意核对，希望有第三方在场。",
    people: [3, 10],
  },
  {
    subject: "工伤赔偿金额协商未果",
    description:
      "员工在操作冲床时手指受伤，已认定工伤。家属对一次性伤残补助金以外的赔偿金额有异议，双方协商两次未果，希望老乡会出面沟通。",
    people: [2, 5],
  },
  {
    subject: "外包工人与劳务公司工资纠纷",
    description:
      "通过劳务公司派驻的外包工人反映劳务公司拖欠两个月工资，企业已向劳务公司付款。工人要求企业先行垫付，双方僵持。",
    people: [8, 40],
  },
  {
    subject: "返乡工人要求提前结算工资",
    description:
      "春节临近，一批工人要求提前结清全年工资返乡，企业按惯例在节后结算，双方就结算时间和方式产生分歧。",
    people: [10, 60],
  },
  {
    subject: "食堂饭菜质量引发员工集体不满",
    description:
      "员工对食堂饭菜质量和价格不满，部分员工拒绝就餐并在工作群中发起抵制，希望协会帮助组织员工代表与企业沟通。",
    people: [20, 80],
  },
  {
    subject: "老乡之间借款纠纷影响正常工作",
    description:
      "两名同乡员工之间有两万元借款纠纷，多次在车间争吵影响生产，双方都希望由老乡会出面调解。",
    people: [2, 3],
  },
  {
    subject: "骑手与站点因罚款扣薪发生冲突",
    description:
      "多名骑手认为站点超时罚款标准不合理，上周集体停止接单。站点负责人希望协会帮助与骑手代表沟通罚款规则。",
    people: [6, 30],
  },
  {
    subject: "加班安排不公引发多名员工停工",
    description:
      "产线加班安排集中在部分员工身上，引发不满，五名员工当天停工。企业希望在协会主持下与员工代表商定轮班规则。",
    people: [5, 12],
  },
];

const SESSION_NOTES = [
  "召集双方代表面对面沟通，核对了考勤和工资条，双方情绪平稳。",
  "协会调解员用家乡话与工人逐一谈话，了解诉求。",
  "企业人事负责人到场说明政策，工人代表提出三点要求，约定下周再谈。",
  "双方就大部分事项达成一致，剩余赔偿金额待企业请示后答复。",
];

const OUTCOME_NOTES: Record<"success" | "partial" | "failed", string[]> = {
  success: ["双方签订调解协议，企业一周内补发差额。", "达成一致，工人返岗，企业调整了排班规则。"],
  partial: ["工资部分达成一致，押金问题建议走劳动仲裁。", "大部分员工接受方案，两人保留意见。"],
  failed: ["双方分歧较大，已告知工人可申请劳动仲裁。"],
};

const DECLINE_REASONS = [
  "所涉纠纷已进入劳动仲裁程序，协会不宜介入。",
  "近期调解员人手不足，建议联系虎丘区矛盾纠纷调解志愿者协会。",
  "该纠纷不属于本会会员，建议向当事人的同乡会申请。",
];

const iso = (ms: number) => new Date(ms).toISOString();

/** The last day with this month-day before `now` (at 09:30 China time), in ms. */
function lastOn(md: string, now: number): number {
  const year = new Date(now + 8 * HOUR).getUTCFullYear();
  for (const y of [year, year - 1]) {
    const t = Date.parse(`${y}-${md}T01:30:00.000Z`);
    if (t < now - DAY) return t;
  }
  return Date.parse(`${year - 1}-${md}T01:30:00.000Z`);
}

const chinaDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

interface Enterprise {
  id: string;
  name: string;
  industry: string | null;
  area_path: string;
  safety_officer: string | null;
  rating: string | null;
  warning_level: string;
}

export async function seedLiaison(ctx: SeedContext, now = new Date()): Promise<void> {
  const { trx, random } = ctx;
  const t0 = now.getTime();

  // ----------------------------------------------------------- the district
  const district = await sql<{ name: string; path: string }>`
    SELECT name, path FROM areas WHERE level = 'district' ORDER BY id LIMIT 1`.execute(trx);
  const d = district.rows[0];
  if (!d) return;
  const streets = (
    await sql<{ code: string; path: string; name: string }>`
      SELECT code, path, name FROM areas WHERE level = 'street' ORDER BY code`.execute(trx)
  ).rows;
  const bureaus = (
    await sql<{ id: string; name: string; kind: string; path: string }>`
      SELECT d.id::text AS id, d.name, d.kind, a.path FROM departments d JOIN areas a ON a.id = d.area_id
      WHERE a.level = 'district' ORDER BY d.id`.execute(trx)
  ).rows;
  const users = (
    await sql<{
      username: string;
      id: string;
      display_name: string;
      organisation_id: string | null;
    }>`
      SELECT u.username, u.id::text AS id, u.display_name, g.organisation_id::text AS organisation_id
      FROM users u LEFT JOIN role_grants g ON g.user_id = u.id
      WHERE u.username IN ('coordinator', 'enterprise', 'association')`.execute(trx)
  ).rows;
  const coordinator = users.find((u) => u.username === "coordinator");
  const demoEnterpriseId = users.find((u) => u.username === "enterprise")?.organisation_id ?? null;
  const demoAssociationId =
    users.find((u) => u.username === "association")?.organisation_id ?? null;
  // Ratings and warnings come from part C's table when it is there.
  const scores = (
    await sql<{ t: string | null }>`SELECT to_regclass('enterprise_scores')::text AS t`.execute(trx)
  ).rows[0]?.t;
  const enterprises = (
    scores
      ? await sql<Enterprise>`
          SELECT o.id::text AS id, o.name, o.industry, o.area_path, o.safety_officer, es.rating,
            coalesce(es.warning_level, 'none') AS warning_level
          FROM organisations o LEFT JOIN enterprise_scores es ON es.organisation_id = o.id
          WHERE o.kind = 'enterprise' ORDER BY o.id`.execute(trx)
      : await sql<Enterprise>`
          SELECT o.id::text AS id, o.name, o.industry, o.area_path, o.safety_officer,
            NULL::text AS rating, 'none' AS warning_level
          FROM organisations o WHERE o.kind = 'enterprise' ORDER BY o.id`.execute(trx)
  ).rows;
  if (enterprises.length === 0) return;

  const issuerOf = (i: Issuer) => {
    if (i === "centre")
      return {
        name: `${d.name}综治中心`,
        departmentId: null,
        path: d.path,
        createdBy: coordinator?.id ?? null,
        label: coordinator?.display_name ?? `${d.name}综治中心`,
      };
    const b = bureaus.find((x) => x.kind === i);
    return {
      name: b?.name ?? `${d.name}综治中心`,
      departmentId: b?.id ?? null,
      path: b?.path ?? d.path,
      createdBy: null,
      label: b?.name ?? `${d.name}综治中心`,
    };
  };

  // ------------------------------------------------------------- notices
  interface Planned {
    t: NoticeTemplate;
    at: number;
    issuer: ReturnType<typeof issuerOf>;
    audience: Record<string, unknown>;
    recipients: Enterprise[];
  }
  const planned: Planned[] = [];
  for (const t of NOTICES) {
    const at =
      typeof t.on === "number"
        ? t0 - t.on * DAY - random.int(1, 8) * HOUR
        : lastOn(t.on, t0) + random.int(0, 5) * HOUR;
    const issuer = issuerOf(t.issuer);
    const a = t.audience;
    let audience: Record<string, unknown>;
    let recipients: Enterprise[];
    const inArea = enterprises.filter((e) => e.area_path.startsWith(issuer.path));
    if (a.mode === "all") {
      audience = {
        mode: "all",
        industries: [],
        areaCodes: [],
        ratings: [],
        warningLevels: [],
        enterpriseIds: [],
      };
      recipients = inArea;
    } else if (a.mode === "list") {
      const picked = inArea.filter((e) => e.industry === a.industry).slice(0, a.take);
      audience = {
        mode: "list",
        industries: [],
        areaCodes: [],
        ratings: [],
        warningLevels: [],
        enterpriseIds: picked.map((e) => e.id),
      };
      recipients = picked;
    } else {
      const areas = streets.filter((s) => a.streets?.some((x) => s.code.endsWith(x)));
      audience = {
        mode: "filter",
        industries: a.industries ?? [],
        areaCodes: areas.map((s) => s.code),
        ratings: a.ratings ?? [],
        warningLevels: a.warningLevels ?? [],
        enterpriseIds: [],
      };
      recipients = inArea.filter(
        (e) =>
          (!a.industries || (e.industry !== null && a.industries.includes(e.industry))) &&
          (!a.streets || areas.some((s) => e.area_path.startsWith(s.path))) &&
          (!a.ratings || a.ratings.includes(e.rating ?? "unrated")) &&
          (!a.warningLevels || a.warningLevels.includes(e.warning_level)),
      );
    }
    // A notice whose audience is empty in this district (no C/D ratings yet) is left out.
    if (t.state !== "draft" && recipients.length === 0) continue;
    planned.push({ t, at, issuer, audience, recipients: t.state === "draft" ? [] : recipients });
  }

  const noticeRows = planned.map((p) => {
    const sent = p.t.state !== "draft";
    const withdrawnAt = p.t.state === "withdrawn" ? p.at + random.int(2, 20) * HOUR : null;
    const remindedAt = p.t.remindAfterDays !== undefined ? p.at + p.t.remindAfterDays * DAY : null;
    return {
      title: p.t.title,
      body: p.t.body,
      importance: p.t.importance,
      ack_required: p.t.ackDays !== null,
      ack_due_on: p.t.ackDays !== null ? chinaDay(p.at + p.t.ackDays * DAY) : null,
      audience: JSON.stringify(p.audience),
      status: p.t.state ?? "sent",
      issuer_name: p.issuer.name,
      area_path: p.issuer.path,
      department_id: p.issuer.departmentId,
      created_by: p.issuer.createdBy,
      created_label: p.issuer.label,
      recipient_count: p.recipients.length,
      sent_at: sent ? iso(p.at) : null,
      sent_by: sent ? p.issuer.createdBy : null,
      sent_label: sent ? p.issuer.label : null,
      withdrawn_at: withdrawnAt === null ? null : iso(withdrawnAt),
      withdrawn_label: withdrawnAt === null ? null : p.issuer.label,
      withdraw_reason: withdrawnAt === null ? null : "会议时间调整，另行通知。",
      last_reminded_at: remindedAt === null || remindedAt > t0 ? null : iso(remindedAt),
      created_at: iso(p.at - random.int(1, 30) * HOUR),
    };
  });
  const inserted = (
    await sql<{ id: string; title: string }>`
      INSERT INTO notices (title, body, importance, ack_required, ack_due_on, audience, status,
        issuer_name, area_path, department_id, created_by, created_label, recipient_count,
        sent_at, sent_by, sent_label, withdrawn_at, withdrawn_label, withdraw_reason,
        last_reminded_at, created_at, updated_at)
      SELECT title, body, importance, ack_required, ack_due_on, audience::jsonb, status,
        issuer_name, area_path, department_id, created_by, created_label, recipient_count,
        sent_at, sent_by, sent_label, withdrawn_at, withdrawn_label, withdraw_reason,
        last_reminded_at, created_at, coalesce(withdrawn_at, last_reminded_at, sent_at, created_at)
      FROM unnest(
        ${noticeRows.map((r) => r.title)}::text[], ${noticeRows.map((r) => r.body)}::text[],
        ${noticeRows.map((r) => r.importance)}::text[], ${noticeRows.map((r) => r.ack_required)}::boolean[],
        ${noticeRows.map((r) => r.ack_due_on)}::date[], ${noticeRows.map((r) => r.audience)}::text[],
        ${noticeRows.map((r) => r.status)}::text[], ${noticeRows.map((r) => r.issuer_name)}::text[],
        ${noticeRows.map((r) => r.area_path)}::text[], ${noticeRows.map((r) => r.department_id)}::bigint[],
        ${noticeRows.map((r) => r.created_by)}::bigint[], ${noticeRows.map((r) => r.created_label)}::text[],
        ${noticeRows.map((r) => r.recipient_count)}::integer[], ${noticeRows.map((r) => r.sent_at)}::timestamptz[],
        ${noticeRows.map((r) => r.sent_by)}::bigint[], ${noticeRows.map((r) => r.sent_label)}::text[],
        ${noticeRows.map((r) => r.withdrawn_at)}::timestamptz[], ${noticeRows.map((r) => r.withdrawn_label)}::text[],
        ${noticeRows.map((r) => r.withdraw_reason)}::text[], ${noticeRows.map((r) => r.last_reminded_at)}::timestamptz[],
        ${noticeRows.map((r) => r.created_at)}::timestamptz[]
      ) AS u(title, body, importance, ack_required, ack_due_on, audience, status, issuer_name,
        area_path, department_id, created_by, created_label, recipient_count, sent_at, sent_by,
        sent_label, withdrawn_at, withdrawn_label, withdraw_reason, last_reminded_at, created_at)
      RETURNING id::text AS id, title`.execute(trx)
  ).rows;
  const idOf = new Map(inserted.map((r) => [r.title, r.id]));

  // The demo enterprise has not yet read the three newest notices it received.
  const demoUnread = new Set(
    planned
      .filter((p) => p.t.state === undefined && p.recipients.some((e) => e.id === demoEnterpriseId))
      .sort((a, b) => b.at - a.at)
      .slice(0, 3)
      .map((p) => p.t.title),
  );

  const rec = {
    notice: [] as string[],
    org: [] as string[],
    read: [] as (string | null)[],
    readBy: [] as (string | null)[],
    ack: [] as (string | null)[],
    ackBy: [] as (string | null)[],
    reminded: [] as (string | null)[],
  };
  const actions = {
    notice: [] as string[],
    action: [] as string[],
    user: [] as (string | null)[],
    label: [] as string[],
    note: [] as (string | null)[],
    details: [] as string[],
    at: [] as string[],
  };
  const act = (
    id: string,
    action: string,
    who: { createdBy: string | null; label: string },
    at: number,
    note: string | null,
    details: Record<string, unknown>,
  ) => {
    actions.notice.push(id);
    actions.action.push(action);
    actions.user.push(who.createdBy);
    actions.label.push(who.label);
    actions.note.push(note);
    actions.details.push(JSON.stringify(details));
    actions.at.push(iso(at));
  };
  planned.forEach((p, i) => {
    const id = idOf.get(p.t.title) as string;
    const row = noticeRows[i] as (typeof noticeRows)[number];
    act(id, "create", p.issuer, Date.parse(row.created_at), null, {});
    if (p.t.state === "draft") return;
    act(id, "send", p.issuer, p.at, null, { recipients: p.recipients.length });
    const ageDays = (t0 - p.at) / DAY;
    const remindedAt = row.last_reminded_at ? Date.parse(row.last_reminded_at) : null;
    let reminded = 0;
    for (const e of p.recipients) {
      // Older notices are mostly read; the newest ones are still being read.
      const pRead = ageDays > 14 ? 0.9 : Math.min(0.85, 0.35 + ageDays * 0.05);
      const isDemo = e.id === demoEnterpriseId;
      const read = isDemo ? !demoUnread.has(p.t.title) : random.chance(pRead);
      const readAt = read
        ? Math.min(t0 - HOUR, p.at + Math.round(random.float(0.2, ageDays > 3 ? 96 : 20) * HOUR))
        : null;
      const who = e.safety_officer ?? "企业联络员";
      const acked =
        read && p.t.ackDays !== null && p.t.state === undefined && (isDemo || random.chance(0.82));
      const ackAt = acked
        ? Math.min(t0 - HOUR / 2, (readAt as number) + Math.round(random.float(0.1, 30) * HOUR))
        : null;
      const remindedThis = remindedAt !== null && (readAt === null || readAt > remindedAt);
      if (remindedThis) reminded++;
      rec.notice.push(id);
      rec.org.push(e.id);
      rec.read.push(readAt === null ? null : iso(readAt));
      rec.readBy.push(readAt === null ? null : who);
      rec.ack.push(ackAt === null ? null : iso(ackAt));
      rec.ackBy.push(ackAt === null ? null : who);
      rec.reminded.push(remindedThis ? iso(remindedAt as number) : null);
    }
    if (remindedAt !== null)
      act(id, "remind", p.issuer, remindedAt, null, { enterprises: reminded, users: 0 });
    if (row.withdrawn_at)
      act(id, "withdraw", p.issuer, Date.parse(row.withdrawn_at), row.withdraw_reason, {});
  });
  await sql`
    INSERT INTO notice_recipients (notice_id, organisation_id, read_at, read_label,
      acknowledged_at, acknowledged_label, last_reminded_at)
    SELECT * FROM unnest(${rec.notice}::bigint[], ${rec.org}::bigint[], ${rec.read}::timestamptz[],
      ${rec.readBy}::text[], ${rec.ack}::timestamptz[], ${rec.ackBy}::text[],
      ${rec.reminded}::timestamptz[])`.execute(trx);
  await sql`
    INSERT INTO notice_actions (notice_id, action, actor_user_id, actor_label, note, details, created_at)
    SELECT n, a, u, l, t, d::jsonb, c FROM unnest(${actions.notice}::bigint[], ${actions.action}::text[],
      ${actions.user}::bigint[], ${actions.label}::text[], ${actions.note}::text[],
      ${actions.details}::text[], ${actions.at}::timestamptz[]) AS x(n, a, u, l, t, d, c)`.execute(
    trx,
  );

  // ------------------------------------------------- mediation requests
  const associations = (
    await sql<{
      id: string;
      name: string;
      kind: string | null;
      provinces: string[];
      sectors: string[];
    }>`
      SELECT id::text AS id, name, association_kind AS kind, provinces, sectors
      FROM organisations WHERE kind = 'association' ORDER BY id`.execute(trx)
  ).rows;
  if (associations.length === 0) return;
  // Enterprises with workers, and where most of them come from.
  const origins = (
    await sql<{ id: string; province: string; workers: number }>`
      SELECT DISTINCT ON (employer_id) employer_id::text AS id, origin_province AS province,
        count(*)::int AS workers
      FROM residents WHERE employer_id IS NOT NULL AND status <> 'departed'
      GROUP BY employer_id, origin_province
      ORDER BY employer_id, count(*) DESC, origin_province`.execute(trx)
  ).rows;
  const topProvince = new Map(origins.map((o) => [o.id, o.province]));
  const byId = new Map(enterprises.map((e) => [e.id, e]));
  const withWorkers = origins.map((o) => byId.get(o.id)).filter((e): e is Enterprise => !!e);
  const pool = random.shuffle(withWorkers.length >= 10 ? withWorkers : enterprises);
  const general = associations.filter((a) => a.kind === "new_citizen" || a.kind === "social");
  const chooseAssociation = (e: Enterprise) => {
    const province = topProvince.get(e.id);
    const home = associations.filter(
      (a) => a.kind === "hometown" && province && a.provinces.includes(province),
    );
    const trade = associations.filter((a) => e.industry && a.sectors.includes(e.industry));
    if (home.length && random.chance(0.65)) return random.pick(home);
    if (trade.length && random.chance(0.5)) return random.pick(trade);
    return random.pick(general.length ? general : associations);
  };

  type Plan = "pending" | "accepted" | "declined" | "withdrawn" | "success" | "partial" | "failed";
  const PLANS: Plan[] = [
    ...Array<Plan>(8).fill("pending"),
    ...Array<Plan>(10).fill("accepted"),
    ...Array<Plan>(5).fill("declined"),
    ...Array<Plan>(3).fill("withdrawn"),
    ...Array<Plan>(8).fill("success"),
    ...Array<Plan>(4).fill("partial"),
    ...Array<Plan>(2).fill("failed"),
  ];
  const demoAssociation = associations.find((a) => a.id === demoAssociationId);
  const demoEnterprise = demoEnterpriseId ? byId.get(demoEnterpriseId) : undefined;
  interface Req {
    e: Enterprise;
    a: (typeof associations)[number];
    plan: Plan;
    s: (typeof SUBJECTS)[number];
    created: number;
    people: number;
  }
  const reqs: Req[] = [];
  const used = new Set<string>();
  PLANS.forEach((plan, i) => {
    let e = pool[i % pool.length] as Enterprise;
    let a = chooseAssociation(e);
    // The demo association: the first request (from the demo enterprise) waits for it,
    // and a few more in other states are addressed to it.
    if (demoAssociation && (i === 0 || i === 8 || i === 18 || i === 26)) a = demoAssociation;
    if (i === 0 && demoEnterprise) e = demoEnterprise;
    if (e.id === a.id) a = random.pick(general.length ? general : associations);
    let s = random.pick(SUBJECTS);
    // The pending-once index: one waiting request per enterprise, association and subject.
    for (let k = 0; used.has(`${e.id}|${a.id}|${s.subject}`) && k < SUBJECTS.length; k++)
      s = SUBJECTS[(SUBJECTS.indexOf(s) + 1) % SUBJECTS.length] as (typeof SUBJECTS)[number];
    used.add(`${e.id}|${a.id}|${s.subject}`);
    const ageDays =
      plan === "pending"
        ? random.float(i === 0 ? 0.1 : 0.2, 9)
        : plan === "accepted"
          ? random.float(3, 45)
          : random.float(20, 350);
    reqs.push({
      e,
      a,
      plan,
      s,
      created: Math.round(t0 - ageDays * DAY),
      people: random.int(s.people[0], s.people[1]),
    });
  });

  const m = {
    e: [] as string[],
    a: [] as string[],
    path: [] as string[],
    subject: [] as string[],
    desc: [] as string[],
    people: [] as number[],
    provinces: [] as string[],
    status: [] as string[],
    decline: [] as (string | null)[],
    outcome: [] as (string | null)[],
    outcomeNote: [] as (string | null)[],
    sessions: [] as number[],
    label: [] as string[],
    accepted: [] as (string | null)[],
    closed: [] as (string | null)[],
    created: [] as string[],
    updated: [] as string[],
  };
  const steps: {
    req: number;
    action: string;
    from: string | null;
    to: string | null;
    by: string;
    note: string | null;
    details: Record<string, unknown>;
    at: number;
  }[] = [];
  reqs.forEach((r, i) => {
    const officer = r.e.safety_officer ? `${r.e.safety_officer}（${r.e.name}）` : r.e.name;
    const rep = `${r.a.name}调解员`;
    let status = "pending";
    let decline: string | null = null;
    let outcome: string | null = null;
    let outcomeNote: string | null = null;
    let sessions = 0;
    let accepted: number | null = null;
    let closed: number | null = null;
    let last = r.created;
    steps.push({
      req: i,
      action: "create",
      from: null,
      to: "pending",
      by: officer,
      note: `${r.e.name} 申请 ${r.a.name} 调解：${r.s.subject}`,
      details: { peopleInvolved: r.people, caseId: null },
      at: r.created,
    });
    const later = (maxDays: number) => {
      last = Math.min(t0 - HOUR, last + Math.round(random.float(2, maxDays * 24) * HOUR));
      return last;
    };
    if (r.plan === "declined") {
      status = "declined";
      decline = random.pick(DECLINE_REASONS);
      steps.push({
        req: i,
        action: "decline",
        from: "pending",
        to: "declined",
        by: rep,
        note: decline,
        details: {},
        at: later(3),
      });
    } else if (r.plan === "withdrawn") {
      status = "withdrawn";
      steps.push({
        req: i,
        action: "withdraw",
        from: "pending",
        to: "withdrawn",
        by: officer,
        note: "双方已自行协商解决。",
        details: {},
        at: later(4),
      });
    } else if (r.plan !== "pending") {
      status = "accepted";
      accepted = later(2);
      steps.push({
        req: i,
        action: "accept",
        from: "pending",
        to: "accepted",
        by: rep,
        note: "已安排调解员跟进。",
        details: {},
        at: accepted,
      });
      const n = r.plan === "accepted" ? random.int(0, 2) : random.int(1, 3);
      for (let k = 0; k < n; k++) {
        sessions++;
        const at = later(6);
        steps.push({
          req: i,
          action: "record_session",
          from: "accepted",
          to: null,
          by: rep,
          note: random.pick(SESSION_NOTES),
          details: {
            session: sessions,
            heldAt: iso(at),
            place: `${r.e.name}会议室`,
            attendees: Math.min(r.people + 2, 20),
          },
          at,
        });
      }
      if (r.plan !== "accepted") {
        status = "closed";
        outcome = r.plan;
        outcomeNote = random.pick(OUTCOME_NOTES[r.plan]);
        closed = later(5);
        const text = { success: "调解成功", partial: "部分达成", failed: "未达成" }[r.plan];
        steps.push({
          req: i,
          action: "close",
          from: "accepted",
          to: "closed",
          by: rep,
          note: `${text}：${outcomeNote}`,
          details: { outcome: r.plan },
          at: closed,
        });
      }
    }
    const province = topProvince.get(r.e.id);
    m.e.push(r.e.id);
    m.a.push(r.a.id);
    m.path.push(r.e.area_path);
    m.subject.push(r.s.subject);
    m.desc.push(r.s.description);
    m.people.push(r.people);
    m.provinces.push(province ?? "");
    m.status.push(status);
    m.decline.push(decline);
    m.outcome.push(outcome);
    m.outcomeNote.push(outcomeNote);
    m.sessions.push(sessions);
    m.label.push(officer);
    m.accepted.push(accepted === null ? null : iso(accepted));
    m.closed.push(closed === null ? null : iso(closed));
    m.created.push(iso(r.created));
    m.updated.push(iso(last));
  });
  const ids = (
    await sql<{ id: string; ord: number }>`
      WITH src AS (
        SELECT * FROM unnest(${m.e}::bigint[], ${m.a}::bigint[], ${m.path}::text[], ${m.subject}::text[],
          ${m.desc}::text[], ${m.people}::integer[], ${m.provinces}::text[], ${m.status}::text[],
          ${m.decline}::text[], ${m.outcome}::text[], ${m.outcomeNote}::text[], ${m.sessions}::integer[],
          ${m.label}::text[], ${m.accepted}::timestamptz[], ${m.closed}::timestamptz[],
          ${m.created}::timestamptz[], ${m.updated}::timestamptz[])
          WITH ORDINALITY AS u(e, a, path, subject, description, people, province, status, decline,
            outcome, outcome_note, sessions, label, accepted, closed, created, updated, ord)
      ), ins AS (
        INSERT INTO mediation_requests (enterprise_id, association_id, area_path, subject, description,
          people_involved, worker_provinces, status, decline_reason, outcome, outcome_note, sessions,
          created_label, accepted_at, closed_at, created_at, updated_at, version)
        SELECT e, a, path, subject, description, people,
          CASE WHEN province = '' THEN '{}'::text[] ELSE ARRAY[province] END, status, decline,
          outcome, outcome_note, sessions, label, accepted, closed, created, updated,
          1 + (status <> 'pending')::int + sessions + (status = 'closed')::int
        FROM src ORDER BY ord
        RETURNING id, enterprise_id, created_at
      )
      SELECT ins.id::text AS id, src.ord::int AS ord FROM ins
      JOIN src ON src.e = ins.enterprise_id AND src.created = ins.created_at`.execute(trx)
  ).rows;
  const requestId = new Map(ids.map((r) => [r.ord - 1, r.id]));
  await sql`
    INSERT INTO mediation_actions (request_id, action, from_status, to_status, actor_label, note, details, created_at)
    SELECT * FROM unnest(
      ${steps.map((s) => requestId.get(s.req) as string)}::bigint[], ${steps.map((s) => s.action)}::text[],
      ${steps.map((s) => s.from)}::text[], ${steps.map((s) => s.to)}::text[], ${steps.map((s) => s.by)}::text[],
      ${steps.map((s) => s.note)}::text[], ${steps.map((s) => JSON.stringify(s.details))}::jsonb[],
      ${steps.map((s) => iso(s.at))}::timestamptz[])`.execute(trx);
  ctx.log(
    `liaison: ${planned.length} notices, ${rec.notice.length} receipts, ${reqs.length} mediation requests`,
  );
}
