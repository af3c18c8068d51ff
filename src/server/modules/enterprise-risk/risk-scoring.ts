/**
 * The two scores of an enterprise as pure functions of facts gathered by the
 * repository: the wage-arrears warning (欠薪预警, 0–100, higher is worse) from
 * weighted signals, and the safety credit rating (安全信用等级 A–D, 0–100, higher
 * is better) from four factors, each with what would raise it. Every number a
 * person sees is explained here: its value, weight, points and source. The
 * weights and thresholds are documented in docs/enterprise-risk.md.
 */
import {
  DECLARE_GRACE_DAYS,
  type Improvement,
  monthsBetween,
  periodEnd,
  RATING_THRESHOLDS,
  type Rating,
  type RatingFactor,
  shiftPeriod,
  WARNING_THRESHOLDS,
  type WarningLevel,
  type WarningSignal,
} from "../../../shared/schemas/enterprise-risk.js";

// ------------------------------------------------------------------ warning

/** The weights (most points) of the signals; they add up to 100. */
export const SIGNAL_WEIGHTS = {
  arrears: 40,
  late_payment: 15,
  missing_declaration: 15,
  labour_cases: 20,
  overdue_rectification: 10,
} as const;

/** Arrears of this share of the wages due (last 3 months) give the full 40 points. */
export const ARREARS_FULL_SHARE = 0.2;
export const POINTS_PER_LATE_PAYMENT = 5;
export const POINTS_PER_MISSING_DECLARATION = 5;
export const POINTS_PER_LATE_DECLARATION = 2;
export const POINTS_PER_LABOUR_CASE = 7;
export const POINTS_PER_OVERDUE_HAZARD = { general: 5, major: 10 } as const;
/** Months of payroll the arrears and late-payment signals look at (this one included). */
export const PAYROLL_WINDOW_MONTHS = 3;
/** Days of cases the labour-case signal looks at. */
export const LABOUR_CASE_DAYS = 90;

export interface PayrollMonth {
  period: string;
  amountDue: number;
  amountPaid: number;
  paidOnTime: boolean;
  headcountPaid: number;
  /** the day (China) the declaration was first filed */
  declaredOn: string;
}

export interface WarningInputs {
  /** this month, "YYYY-MM" */
  currentPeriod: string;
  /** the first month the enterprise is expected to have declared (its first declaration, or registration) */
  firstPeriod: string;
  payroll: readonly PayrollMonth[];
  /** labour-dispute and wage cases of the last LABOUR_CASE_DAYS days that concern the enterprise */
  labourCases: readonly { code: string }[];
  /** hazards past their deadline and not closed */
  overdueHazards: { general: number; major: number };
}

export interface WarningResult {
  score: number;
  level: WarningLevel;
  signals: WarningSignal[];
}

const LEVEL_ORDER: Record<WarningLevel, number> = { none: 0, watch: 1, warning: 2, alarm: 3 };

export function levelOf(score: number): WarningLevel {
  if (score >= WARNING_THRESHOLDS.alarm) return "alarm";
  if (score >= WARNING_THRESHOLDS.warning) return "warning";
  if (score >= WARNING_THRESHOLDS.watch) return "watch";
  return "none";
}

/** Is `to` higher than `from`? */
export function rises(from: WarningLevel, to: WarningLevel): boolean {
  return LEVEL_ORDER[to] > LEVEL_ORDER[from];
}

/** A rise that notifies labour inspection and wants a preventive case: into warning or alarm. */
export function crossesIntoAction(from: WarningLevel, to: WarningLevel): boolean {
  return rises(from, to) && LEVEL_ORDER[to] >= LEVEL_ORDER.warning;
}

/** 1234567.5 → "1,234,567.50" */
export function formatYuan(v: number): string {
  const [int, dec] = v.toFixed(2).split(".") as [string, string];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${dec}`;
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
const cap = (v: number, max: number) => Math.min(max, Math.max(0, v));

/** Adds days to "YYYY-MM-DD". */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Was the declaration of `period` filed after its grace days? */
export function declaredLate(period: string, declaredOn: string): boolean {
  return declaredOn > addDays(periodEnd(period), DECLARE_GRACE_DAYS);
}

export function scoreWarning(x: WarningInputs): WarningResult {
  const byPeriod = new Map(x.payroll.map((p) => [p.period, p]));
  const window = Array.from({ length: PAYROLL_WINDOW_MONTHS }, (_, i) =>
    shiftPeriod(x.currentPeriod, i - PAYROLL_WINDOW_MONTHS + 1),
  );
  const inWindow = window.flatMap((p) => {
    const d = byPeriod.get(p);
    return d ? [d] : [];
  });

  // 1. Arrears: what is unpaid of what was due over the window.
  const due = inWindow.reduce((s, p) => s + p.amountDue, 0);
  const paid = inWindow.reduce((s, p) => s + p.amountPaid, 0);
  const owed = Math.max(0, Math.round((due - paid) * 100) / 100);
  const share = due > 0 ? owed / due : 0;
  const arrearsMonths = inWindow.filter((p) => p.amountPaid < p.amountDue).map((p) => p.period);
  const arrearsPoints = Math.round(SIGNAL_WEIGHTS.arrears * cap(share / ARREARS_FULL_SHARE, 1));

  // 2. Wages paid late.
  const lateMonths = inWindow.filter((p) => !p.paidOnTime).map((p) => p.period);
  const latePoints = cap(lateMonths.length * POINTS_PER_LATE_PAYMENT, SIGNAL_WEIGHTS.late_payment);

  // 3. Declarations missing (completed months only) or filed late.
  const completed = Array.from({ length: PAYROLL_WINDOW_MONTHS }, (_, i) =>
    shiftPeriod(x.currentPeriod, i - PAYROLL_WINDOW_MONTHS),
  ).filter((p) => monthsBetween(x.firstPeriod, p) >= 0);
  const missing = completed.filter((p) => !byPeriod.has(p));
  const lateFiled = completed.filter((p) => {
    const d = byPeriod.get(p);
    return d !== undefined && declaredLate(p, d.declaredOn);
  });
  const missingPoints = cap(
    missing.length * POINTS_PER_MISSING_DECLARATION +
      lateFiled.length * POINTS_PER_LATE_DECLARATION,
    SIGNAL_WEIGHTS.missing_declaration,
  );

  // 4. Labour-dispute and wage cases.
  const caseCodes = x.labourCases.map((c) => c.code);
  const casePoints = cap(caseCodes.length * POINTS_PER_LABOUR_CASE, SIGNAL_WEIGHTS.labour_cases);

  // 5. Overdue rectifications.
  const h = x.overdueHazards;
  const hazardPoints = cap(
    h.general * POINTS_PER_OVERDUE_HAZARD.general + h.major * POINTS_PER_OVERDUE_HAZARD.major,
    SIGNAL_WEIGHTS.overdue_rectification,
  );

  const windowText = `${window[0]} 至 ${window[window.length - 1]}`;
  const signals: WarningSignal[] = [
    {
      code: "arrears",
      value: Math.round(share * 10_000) / 10_000,
      weight: SIGNAL_WEIGHTS.arrears,
      points: arrearsPoints,
      // headcount: of the latest month, for the preventive case's "people involved"
      detail: { owed, due, months: arrearsMonths, headcount: inWindow.at(-1)?.headcountPaid ?? 0 },
      text:
        owed > 0
          ? `近 3 个月欠发工资 ${formatYuan(owed)} 元，占应发 ${pct(share)}（${arrearsMonths.join("、")}）`
          : "近 3 个月无欠发工资",
      source: `工资发放申报 ${windowText}：应发 ${formatYuan(due)} 元，实发 ${formatYuan(paid)} 元`,
    },
    {
      code: "late_payment",
      value: lateMonths.length,
      weight: SIGNAL_WEIGHTS.late_payment,
      points: latePoints,
      detail: { months: lateMonths },
      text: lateMonths.length
        ? `近 3 个月有 ${lateMonths.length} 个月未按时足额发放（${lateMonths.join("、")}）`
        : "近 3 个月均按时足额发放",
      source: `工资发放申报 ${windowText}，每月 ${POINTS_PER_LATE_PAYMENT} 分`,
    },
    {
      code: "missing_declaration",
      value: missing.length + lateFiled.length,
      weight: SIGNAL_WEIGHTS.missing_declaration,
      points: missingPoints,
      detail: { missing, lateFiled },
      text:
        missing.length || lateFiled.length
          ? [
              missing.length ? `${missing.length} 个月未申报（${missing.join("、")}）` : "",
              lateFiled.length ? `${lateFiled.length} 个月逾期申报（${lateFiled.join("、")}）` : "",
            ]
              .filter(Boolean)
              .join("；")
          : "已按时申报",
      source: `已结束的近 3 个月申报情况：未申报每月 ${POINTS_PER_MISSING_DECLARATION} 分，月末 ${DECLARE_GRACE_DAYS} 日后申报每月 ${POINTS_PER_LATE_DECLARATION} 分`,
    },
    {
      code: "labour_cases",
      value: caseCodes.length,
      weight: SIGNAL_WEIGHTS.labour_cases,
      points: casePoints,
      detail: { cases: caseCodes },
      text: caseCodes.length
        ? `近 ${LABOUR_CASE_DAYS} 天涉及本企业的劳资纠纷/欠薪事件 ${caseCodes.length} 件（${caseCodes.slice(0, 5).join("、")}${caseCodes.length > 5 ? " 等" : ""}）`
        : `近 ${LABOUR_CASE_DAYS} 天无涉及本企业的劳资纠纷/欠薪事件`,
      source: `事件（劳资纠纷/欠薪类）：企业为当事方、企业上报或本企业员工反映，每件 ${POINTS_PER_LABOUR_CASE} 分`,
    },
    {
      code: "overdue_rectification",
      value: h.general + h.major,
      weight: SIGNAL_WEIGHTS.overdue_rectification,
      points: hazardPoints,
      detail: { general: h.general, major: h.major },
      text:
        h.general + h.major
          ? `逾期未整改隐患 ${h.general + h.major} 处${h.major ? `（其中重大隐患 ${h.major} 处）` : ""}`
          : "无逾期未整改隐患",
      source: `隐患整改：超过整改期限且未销号，一般隐患每处 ${POINTS_PER_OVERDUE_HAZARD.general} 分，重大隐患每处 ${POINTS_PER_OVERDUE_HAZARD.major} 分`,
    },
  ];
  const score = cap(
    signals.reduce((s, x) => s + x.points, 0),
    100,
  );
  return { score, level: levelOf(score), signals };
}

/** The description of a preventive case: the enterprise, the level, each signal that adds points. */
export function preventiveCaseDescription(
  enterprise: string,
  score: number,
  level: WarningLevel,
  signals: readonly WarningSignal[],
): string {
  const levelName = { none: "无", watch: "关注", warning: "预警", alarm: "告警" }[level];
  const lines = signals
    .filter((s) => s.points > 0)
    .map((s, i) => `${i + 1}. ${s.text}（${s.points} 分）`);
  return [
    `欠薪预警：${enterprise} 风险分 ${score}，升至「${levelName}」级，请劳动保障监察核实工资支付情况并督促整改。`,
    "预警信号：",
    ...lines,
  ]
    .join("\n")
    .slice(0, 2000);
}

// ------------------------------------------------------------------- rating

export const FACTOR_WEIGHTS = {
  inspections: 30,
  hazards: 30,
  incidents: 20,
  cooperation: 20,
} as const;

export const POINTS_PER_OVERDUE_OPEN_HAZARD = 5;
export const POINTS_PER_INCIDENT = 5;
export const POINTS_PER_OVERDUE_TASK = 4;
/** How far ahead an improvement looks ("the next k inspections"). */
const MAX_STEPS = 24;

export interface RatingInputs {
  /** today in China, "YYYY-MM-DD" */
  today: string;
  /** self-inspections of the last 12 months whose due day has passed (or were submitted) */
  inspections: { onTime: number; late: number; missed: number };
  /** hazards of the last 12 months: closed by / after their deadline, and open past it */
  hazards: { onTime: number; late: number; overdueOpen: number; overdueMajor: number };
  /** safety incidents (fire, workplace safety …) of the last 12 months: their days, oldest first */
  incidents: readonly string[];
  /** the enterprise's tasks on cases (assisting party) of the last 12 months */
  tasks: { onTime: number; late: number; overdueOpen: number };
}

export interface RatingResult {
  rating: Rating;
  score: number;
  factors: RatingFactor[];
  next: { rating: Rating; pointsNeeded: number } | null;
  cappedBy: string | null;
}

export function ratingOf(score: number): Rating {
  if (score >= RATING_THRESHOLDS.A) return "A";
  if (score >= RATING_THRESHOLDS.B) return "B";
  if (score >= RATING_THRESHOLDS.C) return "C";
  return "D";
}

const ABOVE: Record<Rating, Rating | null> = { A: null, B: "A", C: "B", D: "C" };
const THRESHOLD_OF = (r: Rating) => (r === "D" ? 0 : RATING_THRESHOLDS[r]);

export function inspectionPoints(i: RatingInputs["inspections"]): number {
  const considered = i.onTime + i.late + i.missed;
  if (considered === 0) return FACTOR_WEIGHTS.inspections;
  return Math.round((FACTOR_WEIGHTS.inspections * i.onTime) / considered);
}

export function hazardPoints(h: RatingInputs["hazards"]): number {
  const considered = h.onTime + h.late + h.overdueOpen;
  const base =
    considered === 0
      ? FACTOR_WEIGHTS.hazards
      : Math.round((FACTOR_WEIGHTS.hazards * h.onTime) / considered);
  return Math.max(0, base - POINTS_PER_OVERDUE_OPEN_HAZARD * h.overdueOpen);
}

export function incidentPoints(count: number): number {
  return Math.max(0, FACTOR_WEIGHTS.incidents - POINTS_PER_INCIDENT * count);
}

export function cooperationPoints(t: RatingInputs["tasks"]): number {
  const considered = t.onTime + t.late + t.overdueOpen;
  const base =
    considered === 0
      ? FACTOR_WEIGHTS.cooperation
      : Math.round((FACTOR_WEIGHTS.cooperation * t.onTime) / considered);
  return Math.max(0, base - POINTS_PER_OVERDUE_TASK * t.overdueOpen);
}

/**
 * The smallest number of steps (1…limit) whose gain reaches `needed`, or, when
 * none does, the largest useful one with its gain; null when no step helps.
 */
function stepsFor(
  gainOf: (k: number) => number,
  needed: number,
  limit: number,
): { k: number; gain: number } | null {
  let best: { k: number; gain: number } | null = null;
  for (let k = 1; k <= limit; k++) {
    const gain = gainOf(k);
    if (needed > 0 && gain >= needed) return { k, gain };
    if (gain > (best?.gain ?? 0)) best = { k, gain };
  }
  return best;
}

function improvement(
  code: string,
  params: Record<string, string | number>,
  gain: number,
  text: string,
  reaches: Rating | null,
): Improvement {
  return {
    code,
    params: reaches ? { ...params, reaches } : params,
    gain,
    text: `${text}（+${gain} 分${reaches ? `，可升至 ${reaches} 级` : ""}）`,
  };
}

export function scoreRating(x: RatingInputs): RatingResult {
  const ins = x.inspections;
  const hz = x.hazards;
  const tk = x.tasks;
  const points = {
    inspections: inspectionPoints(ins),
    hazards: hazardPoints(hz),
    incidents: incidentPoints(x.incidents.length),
    cooperation: cooperationPoints(tk),
  };
  const score = points.inspections + points.hazards + points.incidents + points.cooperation;
  const byPoints = ratingOf(score);
  const cappedBy =
    hz.overdueMajor > 0 && (byPoints === "A" || byPoints === "B")
      ? `存在 ${hz.overdueMajor} 处逾期未整改的重大隐患，等级最高为 C`
      : null;
  const rating: Rating = cappedBy ? "C" : byPoints;
  const nextRating = ABOVE[rating];
  const needed = nextRating ? Math.max(0, THRESHOLD_OF(nextRating) - score) : 0;
  const reachesWith = (gain: number) =>
    nextRating && needed > 0 && gain >= needed && !cappedBy ? nextRating : null;

  // --- inspections
  const insImprove: Improvement[] = [];
  if (points.inspections < FACTOR_WEIGHTS.inspections || ins.onTime + ins.late + ins.missed === 0) {
    const s = stepsFor(
      (k) => inspectionPoints({ ...ins, onTime: ins.onTime + k }) - points.inspections,
      needed,
      MAX_STEPS,
    );
    if (s)
      insImprove.push(
        improvement(
          "inspectionsOnTime",
          { count: s.k },
          s.gain,
          `按期完成接下来的 ${s.k} 次自查`,
          reachesWith(s.gain),
        ),
      );
  }
  if (ins.missed > 0)
    insImprove.push(
      improvement(
        "inspectionsMissed",
        { count: ins.missed },
        0,
        `补交 ${ins.missed} 次逾期未交的自查`,
        null,
      ),
    );

  // --- hazards
  const hzImprove: Improvement[] = [];
  if (hz.overdueOpen > 0) {
    const s = stepsFor(
      (m) =>
        hazardPoints({
          ...hz,
          late: hz.late + m,
          overdueOpen: hz.overdueOpen - m,
          overdueMajor: Math.max(0, hz.overdueMajor - m),
        }) - points.hazards,
      needed,
      hz.overdueOpen,
    );
    const m = s?.k ?? hz.overdueOpen;
    const lifts = cappedBy !== null && m >= hz.overdueMajor;
    hzImprove.push({
      ...improvement(
        "hazardsOverdue",
        { count: m },
        s?.gain ?? 0,
        `整改 ${m} 处逾期未整改的隐患${hz.overdueMajor ? `（含重大隐患 ${Math.min(m, hz.overdueMajor)} 处）` : ""}`,
        lifts ? null : reachesWith(s?.gain ?? 0),
      ),
    });
    if (cappedBy) {
      const last = hzImprove[hzImprove.length - 1] as Improvement;
      last.text = `${last.text.slice(0, -1)}，解除 C 级上限）`;
      last.params.liftsCap = 1;
    }
  }
  if (points.hazards < FACTOR_WEIGHTS.hazards) {
    const s = stepsFor(
      (k) => hazardPoints({ ...hz, onTime: hz.onTime + k }) - points.hazards,
      needed,
      MAX_STEPS,
    );
    if (s)
      hzImprove.push(
        improvement(
          "hazardsOnTime",
          { count: s.k },
          s.gain,
          `按期整改接下来的 ${s.k} 处隐患`,
          reachesWith(s.gain),
        ),
      );
  }

  // --- incidents: each stops counting 12 months after it happened
  const incImprove: Improvement[] = [];
  if (x.incidents.length > 0) {
    const m = Math.min(x.incidents.length, Math.max(1, Math.ceil(needed / POINTS_PER_INCIDENT)));
    const gain = incidentPoints(x.incidents.length - m) - points.incidents;
    const on = addDays(x.incidents[m - 1] as string, 365);
    incImprove.push(
      improvement(
        "incidentsExpire",
        { count: m, date: on },
        gain,
        `保持无新增安全事件，至 ${on} 将有 ${m} 起满 12 个月不再计入`,
        reachesWith(gain),
      ),
    );
  }

  // --- cooperation on cases
  const coImprove: Improvement[] = [];
  if (tk.overdueOpen > 0) {
    const gain =
      cooperationPoints({ ...tk, late: tk.late + tk.overdueOpen, overdueOpen: 0 }) -
      points.cooperation;
    coImprove.push(
      improvement(
        "tasksOverdue",
        { count: tk.overdueOpen },
        gain,
        `完成 ${tk.overdueOpen} 项逾期的协办任务`,
        reachesWith(gain),
      ),
    );
  }
  if (points.cooperation < FACTOR_WEIGHTS.cooperation && tk.onTime + tk.late > 0) {
    const s = stepsFor(
      (k) => cooperationPoints({ ...tk, onTime: tk.onTime + k }) - points.cooperation,
      needed,
      MAX_STEPS,
    );
    if (s)
      coImprove.push(
        improvement(
          "tasksOnTime",
          { count: s.k },
          s.gain,
          `按期完成接下来的 ${s.k} 项协办任务`,
          reachesWith(s.gain),
        ),
      );
  }

  const share = (a: number, n: number) => (n === 0 ? null : Math.round((a / n) * 1000) / 1000);
  const insN = ins.onTime + ins.late + ins.missed;
  const hzN = hz.onTime + hz.late + hz.overdueOpen;
  const tkN = tk.onTime + tk.late + tk.overdueOpen;
  const factors: RatingFactor[] = [
    {
      code: "inspections",
      value: share(ins.onTime, insN),
      weight: FACTOR_WEIGHTS.inspections,
      points: points.inspections,
      detail: { onTime: ins.onTime, late: ins.late, missed: ins.missed },
      text: insN
        ? `近 12 个月应完成自查 ${insN} 次，按期 ${ins.onTime} 次、逾期 ${ins.late} 次、未交 ${ins.missed} 次`
        : "近 12 个月没有到期的自查",
      improvements: insImprove,
    },
    {
      code: "hazards",
      value: share(hz.onTime, hzN),
      weight: FACTOR_WEIGHTS.hazards,
      points: points.hazards,
      detail: {
        onTime: hz.onTime,
        late: hz.late,
        overdueOpen: hz.overdueOpen,
        overdueMajor: hz.overdueMajor,
      },
      text: hzN
        ? `近 12 个月到期隐患 ${hzN} 处，按期整改 ${hz.onTime} 处、逾期整改 ${hz.late} 处、逾期未整改 ${hz.overdueOpen} 处（每处扣 ${POINTS_PER_OVERDUE_OPEN_HAZARD} 分）`
        : "近 12 个月没有到期的隐患",
      improvements: hzImprove,
    },
    {
      code: "incidents",
      value: x.incidents.length,
      weight: FACTOR_WEIGHTS.incidents,
      points: points.incidents,
      detail: { count: x.incidents.length },
      text: x.incidents.length
        ? `近 12 个月涉及本企业的安全事件 ${x.incidents.length} 起（每起扣 ${POINTS_PER_INCIDENT} 分）`
        : "近 12 个月无涉及本企业的安全事件",
      improvements: incImprove,
    },
    {
      code: "cooperation",
      value: share(tk.onTime, tkN),
      weight: FACTOR_WEIGHTS.cooperation,
      points: points.cooperation,
      detail: { onTime: tk.onTime, late: tk.late, overdueOpen: tk.overdueOpen },
      text: tkN
        ? `近 12 个月事件协办任务 ${tkN} 项，按期完成 ${tk.onTime} 项、逾期完成 ${tk.late} 项、逾期未完成 ${tk.overdueOpen} 项`
        : "近 12 个月没有到期的事件协办任务",
      improvements: coImprove,
    },
  ];
  return {
    rating,
    score,
    factors,
    next: nextRating ? { rating: nextRating, pointsNeeded: needed } : null,
    cappedBy,
  };
}
