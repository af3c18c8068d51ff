/**
 * The coordination centre's figures (issue 8): KPI tiles, breakdowns,
 * department scorecards and the grid map's measures. Shared by the API and
 * the web app. Every figure is computed from rollups (never from the case
 * table on the request path); rates are null when there is nothing to
 * divide by, so the UI can say "no data" instead of showing 0 %.
 */
import { z } from "zod";

const day = z.iso.date("日期应为有效的 YYYY-MM-DD / a date is a valid YYYY-MM-DD");

export const COORDINATION_MAX_DAYS = 731;

/** A period and an area (an area id; default: the caller's whole scope). */
export const coordinationQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    areaId: z
      .string()
      .regex(/^\d{1,18}$/, "区域编号无效 / areaId must be a number")
      .optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: "开始日期不能晚于结束日期 / from must not be after to",
    path: ["from"],
  });
export type CoordinationQuery = z.infer<typeof coordinationQuerySchema>;

export const BREAKDOWN_DIMENSIONS = ["department", "family", "category", "area"] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export const breakdownQuerySchema = coordinationQuerySchema.and(
  z.object({
    by: z.enum(BREAKDOWN_DIMENSIONS, {
      error: "by 应为 department、family、category 或 area / by must be one of those",
    }),
  }),
);

/** Counters and the rates derived from them, for one period, area and key. */
export const kpiFiguresSchema = z.object({
  received: z.number().int(),
  dispatched: z.number().int(),
  accepted: z.number().int(),
  resolved: z.number().int(),
  closed: z.number().int(),
  reopened: z.number().int(),
  returned: z.number().int(),
  reassigned: z.number().int(),
  supervised: z.number().int(),
  escalated: z.number().int(),
  withdrawn: z.number().int(),
  /** accepted on time / accepted */
  acceptOnTimeRate: z.number().nullable(),
  /** resolved on time / resolved */
  resolveOnTimeRate: z.number().nullable(),
  /** mean hours from report to resolution, of the cases resolved in the period */
  avgHandlingHours: z.number().nullable(),
  /** mean rating 1–5 of the feedback given in the period */
  satisfaction: z.number().nullable(),
  /** share of ratings ≥ 4 */
  satisfiedRate: z.number().nullable(),
  /** reopened / closed */
  reopenRate: z.number().nullable(),
  rated: z.number().int(),
  /** closed cases worked by two subjects or more / closed */
  multiSubjectRate: z.number().nullable(),
  /** closed cases worked by two kinds of subject or more (government, enterprise, association, volunteer) / closed */
  multiKindRate: z.number().nullable(),
  /** cases returned or reassigned a second time in the period (bounced between departments) */
  bounced: z.number().int(),
  /** mean hours from dispatch to acceptance: the hand-off latency */
  avgAcceptHours: z.number().nullable(),
  /** received cases repeating an earlier one of the family at the same place (~100 m, 3–90 days before) */
  repeated: z.number().int(),
  /** repeated / received */
  repeatRate: z.number().nullable(),
});
export type KpiFigures = z.infer<typeof kpiFiguresSchema>;

export const kpiResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  area: z.object({ id: z.string(), name: z.string(), path: z.string(), level: z.string() }),
  figures: kpiFiguresSchema,
  /** the same length of time just before `from`, for the trend arrows */
  previous: kpiFiguresSchema,
  /** open now (not closed, withdrawn or merged) and overdue now in the area */
  open: z.number().int(),
  overdue: z.number().int(),
  /** per day (periods up to 92 days) or per month (longer) */
  series: z.array(
    z.object({
      period: z.string(),
      received: z.number().int(),
      resolved: z.number().int(),
      closed: z.number().int(),
      resolveOnTimeRate: z.number().nullable(),
    }),
  ),
  seriesGrain: z.enum(["day", "month"]),
  /** how many case actions are still waiting to be counted (seconds behind) */
  pending: z.number().int(),
});
export type KpiResponse = z.infer<typeof kpiResponseSchema>;

export const breakdownResponseSchema = z.object({
  by: z.enum(BREAKDOWN_DIMENSIONS),
  /** months are the breakdown's grain: the period is widened to whole months */
  from: z.string(),
  to: z.string(),
  items: z.array(
    kpiFiguresSchema.extend({
      key: z.string(),
      label: z.string(),
      /** for by=area: the child area's id, to drill down */
      areaId: z.string().nullable(),
    }),
  ),
  total: z.number().int(),
});
export type BreakdownResponse = z.infer<typeof breakdownResponseSchema>;

export const scorecardRowSchema = kpiFiguresSchema.extend({
  rank: z.number().int(),
  departmentId: z.string(),
  name: z.string(),
  /** 0–100: the weighted score the ranking uses (weights in `weights`) */
  score: z.number(),
  /** open now with this department as lead, and of those overdue */
  open: z.number().int(),
  overdue: z.number().int(),
  /** assisting tasks given to it in the period, and done */
  tasksAssigned: z.number().int(),
  tasksDone: z.number().int(),
});
export const scorecardResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  weights: z.record(z.string(), z.number()),
  items: z.array(scorecardRowSchema),
  total: z.number().int(),
});
export type ScorecardResponse = z.infer<typeof scorecardResponseSchema>;

/**
 * What the map shades areas by. `risk`: the latest grid risk index (a grid's
 * own score, a larger area's the mean of its grids'; null before the first
 * computation); `newCitizens`: new citizens living there now.
 */
export const MAP_MEASURES = [
  "open",
  "overdue",
  "received",
  "resolveOnTimeRate",
  "risk",
  "newCitizens",
] as const;
export type MapMeasure = (typeof MAP_MEASURES)[number];

export const areaMeasureQuerySchema = coordinationQuerySchema.and(
  z.object({
    measure: z.enum(MAP_MEASURES, { error: "measure 无效 / unknown measure" }).default("open"),
    level: z.enum(["street", "community", "grid"]).default("grid"),
  }),
);

export const areaMeasureResponseSchema = z.object({
  measure: z.enum(MAP_MEASURES),
  level: z.string(),
  items: z.array(
    z.object({
      areaId: z.string(),
      code: z.string(),
      name: z.string(),
      value: z.number().nullable(),
    }),
  ),
});
export type AreaMeasureResponse = z.infer<typeof areaMeasureResponseSchema>;

/** Who works with whom: closed cases per pair of subjects in the period. */
export const collaborationResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.enum(["government", "enterprise", "association", "volunteer", "other"]),
      /** closed cases this subject shared with any other */
      cases: z.number().int(),
    }),
  ),
  links: z.array(z.object({ source: z.string(), target: z.string(), cases: z.number().int() })),
});
export type CollaborationResponse = z.infer<typeof collaborationResponseSchema>;
