/**
 * The wire shapes of district reports (issue 8, item 8): a weekly or monthly
 * snapshot of an area's coordination figures — KPIs against the period
 * before, sub-areas, departments, case families, scorecards, collaboration —
 * with highlights in Chinese sentences; and the schedules that make them
 * every Monday and every 1st. Shared by the server and the web forms.
 */
import { z } from "zod";
import { periodRange, REPORT_KINDS } from "../report-periods.js";

export { REPORT_KINDS, type ReportKind } from "../report-periods.js";

const id = z.string().regex(/^\d{1,18}$/, "编号无效 / id must be a number");
const areaId = z.string().regex(/^\d{1,18}$/, "区域编号无效 / areaId must be a number");

const kind = z.enum(REPORT_KINDS, {
  error: "报告类型应为 weekly（周报）或 monthly（月报）/ kind must be weekly or monthly",
});

/** `period` must name a period of `kind` ("2026-W48" or "2026-11"). */
function checkPeriod(
  v: { kind: (typeof REPORT_KINDS)[number]; period?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (v.period !== undefined && !periodRange(v.kind, v.period))
    ctx.addIssue({
      code: "custom",
      path: ["period"],
      message:
        v.kind === "weekly"
          ? "周报的期次应为 YYYY-Www，如 2026-W48 / a week is YYYY-Www, e.g. 2026-W48"
          : "月报的期次应为 YYYY-MM，如 2026-11 / a month is YYYY-MM, e.g. 2026-11",
    });
}

/** What a report is of: kind, period (default: the last one that ended) and area (default: the caller's widest). */
export const reportQuerySchema = z
  .object({
    kind: kind.default("weekly"),
    period: z.string().trim().max(10).optional(),
    areaId: areaId.optional(),
  })
  .superRefine(checkPeriod);
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const createReportBody = z
  .strictObject({
    kind,
    period: z.string().trim().max(10).optional(),
    areaId: areaId.optional(),
  })
  .superRefine(checkPeriod);
export type CreateReportBody = z.infer<typeof createReportBody>;

export const REPORT_SOURCES = ["manual", "schedule"] as const;

export const reportListQuery = z.object({
  kind: kind.optional(),
  areaId: areaId.optional(),
  source: z.enum(REPORT_SOURCES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ReportListQuery = z.infer<typeof reportListQuery>;

const rate = z.number().nullable();

/** One line of the overview: a figure now, in the period before, and the change. */
export const reportKpiSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** count, rate (0–1), hours or score (1–5) */
  unit: z.enum(["count", "rate", "hours", "score"]),
  value: z.number().nullable(),
  previous: z.number().nullable(),
  /** value − previous (rates in 0–1: a change of percentage points ÷ 100) */
  change: z.number().nullable(),
  /** for counts: the change relative to `previous` (0.25 = +25 %) */
  changeRate: z.number().nullable(),
});
export type ReportKpi = z.infer<typeof reportKpiSchema>;

export const reportAreaRowSchema = z.object({
  areaId: z.string(),
  code: z.string(),
  name: z.string(),
  received: z.number().int(),
  resolveOnTimeRate: rate,
  open: z.number().int(),
  overdue: z.number().int(),
});

export const reportDepartmentRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  received: z.number().int(),
  dispatched: z.number().int(),
  accepted: z.number().int(),
  resolved: z.number().int(),
  resolveOnTimeRate: rate,
  returned: z.number().int(),
  supervised: z.number().int(),
  satisfaction: rate,
});

export const reportFamilyRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  received: z.number().int(),
  /** received in the comparison window (see `families.basis`) */
  previous: z.number().int(),
  resolved: z.number().int(),
  resolveOnTimeRate: rate,
});

export const reportScoreRowSchema = z.object({
  rank: z.number().int(),
  departmentId: z.string(),
  name: z.string(),
  score: z.number(),
  dispatched: z.number().int(),
  resolved: z.number().int(),
  acceptOnTimeRate: rate,
  resolveOnTimeRate: rate,
  satisfiedRate: rate,
  returned: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
});

const window = z.object({ from: z.string(), to: z.string() });

export const reportContentSchema = z.object({
  kind,
  period: z.string(),
  label: z.string(),
  from: z.string(),
  /** the last day counted: the period's end, or today for a period still running */
  to: z.string(),
  complete: z.boolean(),
  generatedAt: z.string(),
  area: z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.string() }),
  previous: z.object({ period: z.string(), label: z.string(), from: z.string(), to: z.string() }),
  kpis: z.array(reportKpiSchema),
  /** counted when the report was made */
  now: z.object({ open: z.number().int(), overdue: z.number().int() }),
  supervision: z.object({
    overdue: z.number().int(),
    supervised: z.number().int(),
    escalated: z.number().int(),
    returned: z.number().int(),
    reopened: z.number().int(),
  }),
  areas: z.object({ level: z.string(), items: z.array(reportAreaRowSchema) }),
  departments: window.extend({ items: z.array(reportDepartmentRowSchema) }),
  families: window.extend({
    /** how `previous` compares: whole months, or daily averages over unequal windows */
    basis: z.enum(["months", "daily"]),
    previousFrom: z.string(),
    previousTo: z.string(),
    items: z.array(reportFamilyRowSchema),
  }),
  scorecards: window.extend({
    total: z.number().int(),
    top: z.array(reportScoreRowSchema),
    bottom: z.array(reportScoreRowSchema),
  }),
  collaboration: window.extend({
    multiSubjectRate: rate,
    multiKindRate: rate,
    bounced: z.number().int(),
    avgAcceptHours: rate,
    tasksAssigned: z.number().int(),
    tasksDone: z.number().int(),
    pairs: z.array(z.object({ a: z.string(), b: z.string(), cases: z.number().int() })),
  }),
  highlights: z.array(z.string()),
  notes: z.array(z.string()),
  /** case actions not yet counted when the report was made */
  pending: z.number().int(),
});
export type ReportContent = z.infer<typeof reportContentSchema>;

export const reportSummarySchema = z.object({
  id: z.string(),
  kind,
  period: z.string(),
  label: z.string(),
  from: z.string(),
  to: z.string(),
  complete: z.boolean(),
  area: z.object({ id: z.string(), name: z.string() }),
  source: z.enum(REPORT_SOURCES),
  generatedBy: z.string(),
  generatedAt: z.string(),
  /** the first highlight, for the list */
  headline: z.string().nullable(),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

export const reportDetailSchema = reportSummarySchema.extend({
  content: reportContentSchema,
  version: z.number().int(),
});
export type ReportDetail = z.infer<typeof reportDetailSchema>;

// ------------------------------------------------------------ schedules

export const scheduleBody = z.strictObject({
  areaId,
  kind,
  active: z.boolean().default(true),
  recipientIds: z
    .array(id)
    .min(1, "请至少选择一位接收人 / choose at least one recipient")
    .max(50, "接收人最多 50 位 / at most 50 recipients"),
});
export type ScheduleBody = z.infer<typeof scheduleBody>;

export const updateScheduleBody = z
  .strictObject({
    version: z.number().int().min(1),
    active: z.boolean().optional(),
    recipientIds: scheduleBody.shape.recipientIds.optional(),
  })
  .refine((b) => b.active !== undefined || b.recipientIds !== undefined, {
    message: "没有要修改的内容 / nothing to change",
  });
export type UpdateScheduleBody = z.infer<typeof updateScheduleBody>;

export const scheduleSchema = z.object({
  id: z.string(),
  area: z.object({ id: z.string(), name: z.string(), level: z.string() }),
  kind,
  active: z.boolean(),
  recipients: z.array(z.object({ id: z.string(), name: z.string() })),
  createdBy: z.string(),
  /** the period the job makes next (last week's / last month's, if not made yet) */
  nextPeriod: z.string(),
  lastReport: z.object({ id: z.string(), period: z.string() }).nullable(),
  version: z.number().int(),
});
export type ReportSchedule = z.infer<typeof scheduleSchema>;

export const recipientCandidatesQuery = z.object({ areaId });
export const recipientCandidateSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** "区综治中心 协调员" — the grant that lets them read the area's reports */
  role: z.string(),
});
export type RecipientCandidate = z.infer<typeof recipientCandidateSchema>;
