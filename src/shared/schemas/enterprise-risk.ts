/**
 * The wire shapes of the enterprise risk part of the workspace (issue 6): monthly
 * payroll declarations (工资发放申报), the wage-arrears early warning (欠薪预警)
 * and the safety credit rating (安全信用等级). Shared by the server (validation,
 * OpenAPI) and the web forms, with the period rules both apply.
 */
import { z } from "zod";
import { todayInChina } from "../dates.js";

export const WARNING_LEVELS = ["none", "watch", "warning", "alarm"] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export const RATINGS = ["A", "B", "C", "D"] as const;
export type Rating = (typeof RATINGS)[number];

/**
 * Where each warning level starts on the 0–100 score (configurable here, shown on
 * the gauge): below `watch` is none.
 */
export const WARNING_THRESHOLDS = { watch: 20, warning: 40, alarm: 60 } as const;

/** Where each rating starts on the 0–100 score; below C is D. */
export const RATING_THRESHOLDS = { A: 90, B: 75, C: 60 } as const;

/** The most people one declaration may say were paid (the largest employers stay far below). */
export const MAX_HEADCOUNT = 100_000;
/** The largest amount a declaration may carry (numeric(14,2) holds more). */
export const MAX_AMOUNT = 10_000_000_000;
/** How many months back a declaration may still be made. */
export const DECLARE_MONTHS_BACK = 12;
/** Days after a month ends within which its declaration is on time; later ones are "late". */
export const DECLARE_GRACE_DAYS = 10;

// ------------------------------------------------------------------ periods

/** A payroll period: the month the wages are paid in, "YYYY-MM". */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The period (month in China) of an instant. */
export function periodOf(now: Date = new Date()): string {
  return todayInChina(now).slice(0, 7);
}

/** The period `n` months after `period` (negative: before). */
export function shiftPeriod(period: string, n: number): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`;
}

/** Whole months from `a` to `b` (positive when b is later). */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split("-").map(Number) as [number, number];
  const [yb, mb] = b.split("-").map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
}

/** The last day of a period, "YYYY-MM-DD". */
export function periodEnd(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Why a period cannot be declared now, or null when it can: not in the future and
 * not more than DECLARE_MONTHS_BACK months back.
 */
export function periodProblem(period: string, now: Date = new Date()): string | null {
  if (!PERIOD_PATTERN.test(period)) return "申报月份格式应为 YYYY-MM / period must be YYYY-MM";
  const current = periodOf(now);
  const back = monthsBetween(period, current);
  if (back < 0) return "不能申报未来月份 / a future month cannot be declared";
  if (back > DECLARE_MONTHS_BACK)
    return `只能申报最近 ${DECLARE_MONTHS_BACK} 个月 / only the last ${DECLARE_MONTHS_BACK} months can be declared`;
  return null;
}

// ------------------------------------------------------------- declarations

const money = (what: string) =>
  z
    .number({ error: `${what}应为数字 / ${what} must be a number` })
    .min(0, `${what}不能为负数 / ${what} cannot be negative`)
    .max(MAX_AMOUNT, `${what}过大 / ${what} is too large`)
    .refine(
      (v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6,
      `${what}最多两位小数 / ${what}: at most two decimals`,
    );

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "日期无效 / invalid date");

/** The facts of one month's payroll (without the period): declare and correct share them. */
const payrollFacts = z.strictObject({
  /** all wages paid by the agreed pay day */
  paidOnTime: z.boolean({ error: "请选择是否按时足额发放 / say whether wages were paid on time" }),
  /** the day wages were paid (null: not paid yet) */
  paidOn: isoDate.nullable(),
  headcountPaid: z
    .number({ error: "发放人数应为整数 / headcount must be a whole number" })
    .int("发放人数应为整数 / headcount must be a whole number")
    .min(0, "发放人数不能为负数 / headcount cannot be negative")
    .max(MAX_HEADCOUNT, `发放人数不超过 ${MAX_HEADCOUNT} / at most ${MAX_HEADCOUNT} people`),
  amountDue: money("应发金额"),
  amountPaid: money("实发金额"),
  note: z.string().trim().max(500, "备注不超过 500 字 / note: at most 500 characters").optional(),
});

type Facts = z.infer<typeof payrollFacts>;

/** Cross-field rules: paid ≤ due; a payment has a day; "on time" means paid in full. */
function checkFacts(v: Facts, ctx: z.RefinementCtx) {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if (v.amountPaid > v.amountDue)
    issue(
      "amountPaid",
      "实发金额不能超过应发金额（补发往月欠薪请更正该月申报）/ paid cannot exceed due (back pay corrects that month's declaration)",
    );
  if (v.amountPaid > 0 && !v.paidOn)
    issue("paidOn", "请填写发放日期 / give the day wages were paid");
  if (v.paidOnTime && v.amountPaid < v.amountDue)
    issue(
      "paidOnTime",
      "未足额发放不能申报为按时足额 / wages not paid in full are not paid on time",
    );
  if (v.paidOnTime && v.amountDue > 0 && !v.paidOn)
    issue("paidOn", "请填写发放日期 / give the day wages were paid");
}

export const declarePayrollBody = payrollFacts
  .extend({
    period: z
      .string({ error: "请选择申报月份 / choose the month" })
      .regex(PERIOD_PATTERN, "申报月份格式应为 YYYY-MM / period must be YYYY-MM"),
  })
  .superRefine(checkFacts);
export type DeclarePayrollBody = z.infer<typeof declarePayrollBody>;

export const correctPayrollBody = payrollFacts
  .extend({
    /** the version the corrector saw; a newer one answers 409 */
    version: z.number({ error: "缺少版本号 / version is required" }).int().min(1),
    reason: z
      .string({ error: "请填写更正原因 / give the reason for the correction" })
      .trim()
      .min(2, "请填写更正原因 / give the reason for the correction")
      .max(500, "更正原因不超过 500 字 / reason: at most 500 characters"),
  })
  .superRefine(checkFacts);
export type CorrectPayrollBody = z.infer<typeof correctPayrollBody>;

export const periodParam = z.object({
  id: z.string().regex(/^\d{1,18}$/, "id must be a number"),
  period: z.string().regex(PERIOD_PATTERN, "申报月份格式应为 YYYY-MM / period must be YYYY-MM"),
});

export const payrollListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The manager signs the version they checked. */
export const signPayrollBody = z.strictObject({ version: z.number().int().min(1) });

export const payrollDeclarationSchema = z.object({
  id: z.string(),
  period: z.string(),
  paidOnTime: z.boolean(),
  paidOn: z.string().nullable(),
  headcountPaid: z.number().int(),
  amountDue: z.number(),
  amountPaid: z.number(),
  /** due − paid */
  arrears: z.number(),
  note: z.string().nullable(),
  declaredBy: z.string().nullable(),
  declaredAt: z.string(),
  correctedAt: z.string().nullable(),
  /** the enterprise manager (企业负责人) who signed it, and when; a correction clears the signature */
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
  /** filed after the period's grace days (see docs/enterprise-risk.md) */
  late: z.boolean(),
  version: z.number().int(),
});
export type PayrollDeclaration = z.infer<typeof payrollDeclarationSchema>;

export const payrollListSchema = z.object({
  items: z.array(payrollDeclarationSchema),
  total: z.number().int(),
  /** this month: due until the month ends */
  currentPeriod: z.string(),
  currentDeclared: z.boolean(),
  /** past months (of the last 12, since the enterprise was registered) with no declaration */
  missingPeriods: z.array(z.string()),
  /** declare and correct (the enterprise's own officers and managers); sign (its managers) */
  allowedActions: z.array(z.enum(["declare", "correct", "sign"])),
});
export type PayrollList = z.infer<typeof payrollListSchema>;

// ------------------------------------------------------------ warning, rating

export const WARNING_SIGNALS = [
  "arrears",
  "late_payment",
  "missing_declaration",
  "labour_cases",
  "overdue_rectification",
] as const;
export type WarningSignalCode = (typeof WARNING_SIGNALS)[number];

export const warningSignalSchema = z.object({
  code: z.enum(WARNING_SIGNALS),
  /** the measured value (a share 0–1 for arrears, else a count) */
  value: z.number(),
  /** the most points this signal can add */
  weight: z.number(),
  points: z.number(),
  /** the facts behind the value, for the text ({amount, months, cases …}) */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  /** how people read it (Chinese), e.g. for the preventive case's description */
  text: z.string(),
  /** where the value comes from (Chinese) */
  source: z.string(),
});
export type WarningSignal = z.infer<typeof warningSignalSchema>;

export const RATING_FACTORS = ["inspections", "hazards", "incidents", "cooperation"] as const;
export type RatingFactorCode = (typeof RATING_FACTORS)[number];

export const improvementSchema = z.object({
  /** i18n key under enterpriseRisk.improve */
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** points it would add */
  gain: z.number(),
  /** Chinese text, e.g. "按期完成剩余 2 次自查" */
  text: z.string(),
});
export type Improvement = z.infer<typeof improvementSchema>;

export const ratingFactorSchema = z.object({
  code: z.enum(RATING_FACTORS),
  /** the measured value (a share 0–1, or a count for incidents) */
  value: z.number().nullable(),
  weight: z.number(),
  points: z.number(),
  detail: z.record(z.string(), z.union([z.string(), z.number()])),
  text: z.string(),
  improvements: z.array(improvementSchema),
});
export type RatingFactor = z.infer<typeof ratingFactorSchema>;

export const enterpriseRiskSchema = z.object({
  enterprise: z.object({ id: z.string(), name: z.string(), industry: z.string().nullable() }),
  warning: z.object({
    score: z.number().int(),
    level: z.enum(WARNING_LEVELS),
    computedAt: z.string().nullable(),
    signals: z.array(warningSignalSchema),
    thresholds: z.object({ watch: z.number(), warning: z.number(), alarm: z.number() }),
    /** the preventive case opened for the latest rise, if any */
    openCase: z.object({ id: z.string(), code: z.string(), status: z.string() }).nullable(),
  }),
  rating: z.object({
    rating: z.enum(RATINGS).nullable(),
    score: z.number().int().nullable(),
    computedAt: z.string().nullable(),
    factors: z.array(ratingFactorSchema),
    /** the grade above, and the points missing to reach it (null at A) */
    next: z.object({ rating: z.enum(RATINGS), pointsNeeded: z.number() }).nullable(),
    /** a cap on the grade that holds whatever the points (an overdue major hazard) */
    cappedBy: z.string().nullable(),
    thresholds: z.object({ A: z.number(), B: z.number(), C: z.number() }),
  }),
  warningHistory: z.array(
    z.object({
      at: z.string(),
      score: z.number().int(),
      level: z.enum(WARNING_LEVELS),
      previousLevel: z.enum(WARNING_LEVELS).nullable(),
      case: z.object({ id: z.string(), code: z.string() }).nullable(),
    }),
  ),
  ratingHistory: z.array(
    z.object({ on: z.string(), rating: z.enum(RATINGS), score: z.number().int() }),
  ),
  payroll: z.object({ currentPeriod: z.string(), currentDeclared: z.boolean() }),
});
export type EnterpriseRisk = z.infer<typeof enterpriseRiskSchema>;

export const WAGE_WARNING_SORTS = [
  "-score",
  "score",
  "name",
  "-name",
  "computedAt",
  "-computedAt",
] as const;

const levelList = z
  .union([z.enum(WARNING_LEVELS), z.array(z.enum(WARNING_LEVELS))])
  .transform((s) => (Array.isArray(s) ? s : [s]));

export const wageWarningListQuery = z.object({
  /** one level or several; default: watch, warning and alarm */
  level: levelList.optional(),
  q: z.string().trim().max(64).optional(),
  industry: z.string().trim().max(40).optional(),
  sort: z.enum(WAGE_WARNING_SORTS).default("-score"),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const wageWarningItemSchema = z.object({
  enterpriseId: z.string(),
  name: z.string(),
  industry: z.string().nullable(),
  grid: z.object({ code: z.string(), name: z.string() }),
  score: z.number().int(),
  level: z.enum(WARNING_LEVELS),
  computedAt: z.string().nullable(),
  rating: z.enum(RATINGS).nullable(),
  /** the signals that add points, most first */
  signals: z.array(warningSignalSchema),
  openCase: z.object({ id: z.string(), code: z.string(), status: z.string() }).nullable(),
});
export type WageWarningItem = z.infer<typeof wageWarningItemSchema>;
