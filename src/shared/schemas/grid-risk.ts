/**
 * The grid risk index (网格风险指数, issue 8 item 6): an explainable score
 * 0–100 per grid from eight signals, each measured from the platform's own
 * records, normalised to 0–100 by a stated method and weighted by settings
 * that admins and coordinators keep. Early warnings when a grid's score rises
 * fast or crosses into 高风险. Shared by the server (validation, OpenAPI) and
 * the web page (forms, the weights editor's preview, texts about methods).
 */
import { z } from "zod";

export const GRID_RISK_SIGNALS = [
  "caseRate",
  "caseTrend",
  "disputes",
  "overcrowding",
  "hazards",
  "wageWarnings",
  "newCitizens",
  "patrol",
] as const;
export type GridRiskSignal = (typeof GRID_RISK_SIGNALS)[number];

/**
 * How a raw value becomes 0–100:
 * - `rank`: percentile rank among the district's grids that day — the share of
 *   the other grids with a lower value (the lowest grid 0, the highest 100);
 * - `cap`: a capped ratio, value ÷ cap × 100, `cap` or more scoring 100;
 * - `rise`: the growth against the 30 days before, (now − before) ÷
 *   max(before, `base`) (see growthOf), 0 for no rise, 100 for a doubling or more;
 * - `share`: a share (0–1) × 100;
 * - `coverage`: what lowers risk, 100 × (1 − min(value ÷ cap, 1)): no patrol
 *   scores 100, `cap` hours or more score 0.
 */
export type NormalisationMethod = "rank" | "cap" | "rise" | "share" | "coverage";

/** Cases per 1,000 residents count at least this many residents (grids where few people are registered). */
export const POPULATION_FLOOR = 200;
/** The days of a signal window (and of the window before it, for the trend). */
export const SIGNAL_WINDOW_DAYS = 30;

export const SIGNAL_SPECS: Record<
  GridRiskSignal,
  { method: NormalisationMethod; cap?: number; base?: number }
> = {
  /** cases reported in the grid in the last 30 days per 1,000 residents (case_rollups) */
  caseRate: { method: "rank" },
  /** cases in the last 30 days against the 30 before */
  caseTrend: { method: "rise", base: 3 },
  /** cases of the dispute family (纠纷) reported in the last 30 days */
  disputes: { method: "cap", cap: 5 },
  /** overcrowded rental units (群租) */
  overcrowding: { method: "cap", cap: 5 },
  /** open hazards of enterprises with a site in the grid, a major one counting 3 */
  hazards: { method: "cap", cap: 10 },
  /** enterprises with a site in the grid at 欠薪预警 (1) or 告警 (2) */
  wageWarnings: { method: "cap", cap: 3 },
  /** share of new citizens among the residents */
  newCitizens: { method: "share" },
  /** volunteer patrol hours in the grid in the last 30 days (more coverage lowers risk) */
  patrol: { method: "coverage", cap: 20 },
};

/** Default weights: what matters most is where cases are. */
export const DEFAULT_GRID_RISK_WEIGHTS: Record<GridRiskSignal, number> = {
  caseRate: 25,
  caseTrend: 10,
  disputes: 15,
  overcrowding: 10,
  hazards: 10,
  wageWarnings: 10,
  newCitizens: 10,
  patrol: 10,
};

export const GRID_RISK_LEVELS = ["low", "medium", "high"] as const;
export type GridRiskLevel = (typeof GRID_RISK_LEVELS)[number];

export const DEFAULT_GRID_RISK_SETTINGS = {
  weights: DEFAULT_GRID_RISK_WEIGHTS,
  /** a rise of this many points against the score 7 days earlier is a warning */
  riseThreshold: 15,
  /**
   * 中风险 from here. The score is a weighted mean of eight signals, so a
   * grid only scores high when several signals are bad at once: 50 means
   * half-way to the worst on every weighted signal (in the demo district the
   * top few grids).
   */
  mediumLevel: 30,
  /** 高风险 from here; crossing into it is a warning */
  highLevel: 50,
};
/** A rise is measured against the score this many days earlier. */
export const RISE_COMPARE_DAYS = 7;

export interface GridRiskSettingsShape {
  weights: Record<GridRiskSignal, number>;
  riseThreshold: number;
  mediumLevel: number;
  highLevel: number;
}

/** Chinese names of the signals, for notifications and case texts written by the server. */
export const GRID_RISK_SIGNAL_NAMES: Record<GridRiskSignal, string> = {
  caseRate: "千人发案率",
  caseTrend: "发案上升",
  disputes: "矛盾纠纷",
  overcrowding: "群租房",
  hazards: "企业隐患",
  wageWarnings: "欠薪预警",
  newCitizens: "新市民占比",
  patrol: "巡防不足",
};

const clamp = (v: number, lo = 0, hi = 100) => Math.min(hi, Math.max(lo, v));

/** The case trend's raw value: (now − before) ÷ max(before, base), 2 decimals (may be negative). */
export function growthOf(now: number, before: number): number {
  const base = SIGNAL_SPECS.caseTrend.base ?? 1;
  return Math.round(((now - before) / Math.max(before, base)) * 100) / 100;
}
const round1 = (v: number) => Math.round(v * 10) / 10;

/** 0–100 from a raw value by the signal's method (`rank` needs the district's values). */
export function normalise(
  signal: GridRiskSignal,
  raw: number,
  opts: { districtValues?: readonly number[] } = {},
): number {
  const spec = SIGNAL_SPECS[signal];
  switch (spec.method) {
    case "rank": {
      const all = opts.districtValues ?? [];
      if (all.length <= 1) return 0;
      const lower = all.filter((v) => v < raw).length;
      return round1(clamp((lower / (all.length - 1)) * 100));
    }
    case "cap":
      return round1(clamp((raw / (spec.cap ?? 1)) * 100));
    case "rise":
      // raw is already the growth (see growthOf): +100 % or more scores 100.
      return round1(clamp(raw * 100));
    case "share":
      return round1(clamp(raw * 100));
    case "coverage":
      return round1(100 * (1 - Math.min(raw / (spec.cap ?? 1), 1)));
  }
}

/** The weighted mean of normalised values (0–100, one decimal); 0 when no weight is set. */
export function weightedScore(
  normalised: Partial<Record<GridRiskSignal, number>>,
  weights: Record<GridRiskSignal, number>,
): number {
  let sum = 0;
  let total = 0;
  for (const s of GRID_RISK_SIGNALS) {
    const w = weights[s] ?? 0;
    sum += w * (normalised[s] ?? 0);
    total += w;
  }
  return total > 0 ? round1(sum / total) : 0;
}

/** How many of the score's points a signal gives: weight share × normalised value. */
export function contributionOf(
  signal: GridRiskSignal,
  normalisedValue: number,
  weights: Record<GridRiskSignal, number>,
): number {
  const total = GRID_RISK_SIGNALS.reduce((s, k) => s + (weights[k] ?? 0), 0);
  return total > 0 ? round1(((weights[signal] ?? 0) / total) * normalisedValue) : 0;
}

export function levelOf(
  score: number,
  s: Pick<GridRiskSettingsShape, "mediumLevel" | "highLevel">,
) {
  return score >= s.highLevel ? "high" : score >= s.mediumLevel ? "medium" : "low";
}

// ------------------------------------------------------------------ settings

const weight = z
  .number({ error: "权重应为数字 / a weight is a number" })
  .min(0, "权重不能为负 / a weight may not be negative")
  .max(100, "权重最大 100 / a weight is at most 100");

const level = z
  .number({ error: "分数线应为数字 / a level is a number" })
  .min(1, "分数线在 1–100 之间 / a level is 1–100")
  .max(100, "分数线在 1–100 之间 / a level is 1–100");

const settingsShape = z.strictObject({
  weights: z.strictObject(
    Object.fromEntries(GRID_RISK_SIGNALS.map((s) => [s, weight])) as Record<
      GridRiskSignal,
      typeof weight
    >,
  ),
  riseThreshold: z
    .number({ error: "上升阈值应为数字 / the rise threshold is a number" })
    .min(1, "上升阈值在 1–100 分之间 / the rise threshold is 1–100 points")
    .max(100, "上升阈值在 1–100 分之间 / the rise threshold is 1–100 points"),
  mediumLevel: level,
  highLevel: level,
});

/** The rules that span fields: some weight above 0, 中风险 below 高风险. */
function settingsRules<T extends z.ZodType<z.infer<typeof settingsShape>>>(schema: T) {
  return schema
    .refine((s) => GRID_RISK_SIGNALS.some((k) => s.weights[k] > 0), {
      message: "至少有一项权重大于 0 / at least one weight must be above 0",
      path: ["weights"],
    })
    .refine((s) => s.mediumLevel < s.highLevel, {
      message: "中风险分数线应低于高风险分数线 / the medium level must be below the high level",
      path: ["mediumLevel"],
    });
}

/** The weights, thresholds and levels, as an editor sends them to preview. */
export const gridRiskSettingsInput = settingsRules(settingsShape);
export type GridRiskSettingsInput = z.infer<typeof settingsShape>;

/** The same to save: with the version the editor saw (a newer one answers 409) and why. */
export const updateGridRiskSettingsBody = settingsRules(
  settingsShape.extend({
    version: z.number().int().min(1),
    note: z.string().trim().max(200, "说明最多 200 字 / at most 200 characters").optional(),
  }),
);
export type UpdateGridRiskSettingsBody = GridRiskSettingsInput & { version: number; note?: string };

const weightsSchema = z.record(z.enum(GRID_RISK_SIGNALS), z.number());

export const gridRiskSettingsSchema = z.object({
  weights: weightsSchema,
  riseThreshold: z.number(),
  mediumLevel: z.number(),
  highLevel: z.number(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  /** may the caller change them (admins and coordinators of the whole district) */
  editable: z.boolean(),
  /** may the caller recompute today's index now (admins) */
  canRun: z.boolean(),
  /** every change, newest first */
  history: z.array(
    z.object({
      version: z.number().int(),
      weights: weightsSchema,
      riseThreshold: z.number(),
      mediumLevel: z.number(),
      highLevel: z.number(),
      note: z.string().nullable(),
      changedBy: z.string().nullable(),
      changedAt: z.string(),
    }),
  ),
});
export type GridRiskSettings = z.infer<typeof gridRiskSettingsSchema>;

// ------------------------------------------------------------------- grids

const id = z.string().regex(/^\d{1,18}$/, "编号无效 / must be a number");

/** One signal of a grid on a day: what was measured, its 0–100 value and its share of the score. */
export const gridRiskSignalSchema = z.object({
  code: z.enum(GRID_RISK_SIGNALS),
  method: z.enum(["rank", "cap", "rise", "share", "coverage"]),
  /** the measured value (cases per 1,000 residents, a count, a share 0–1, hours) */
  raw: z.number(),
  normalised: z.number(),
  weight: z.number(),
  /** points of the score this signal gives (the contributions add up to the score) */
  contribution: z.number(),
  /** the counts behind the raw value */
  detail: z.record(z.string(), z.number()),
});
export type GridRiskSignalValue = z.infer<typeof gridRiskSignalSchema>;

export const GRID_RISK_SORTS = ["-score", "score", "-change", "change", "name", "-name"] as const;
export type GridRiskSort = (typeof GRID_RISK_SORTS)[number];

export const gridRiskListQuery = z.object({
  /** a street, community or grid (default: the caller's widest area) */
  areaId: id.optional(),
  level: z.enum(GRID_RISK_LEVELS).optional(),
  q: z.string().trim().max(40).optional(),
  sort: z.enum(GRID_RISK_SORTS, { error: "排序方式无效 / unknown sort" }).default("-score"),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type GridRiskListQuery = z.infer<typeof gridRiskListQuery>;

const areaRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const gridRiskItemSchema = z.object({
  gridId: z.string(),
  code: z.string(),
  name: z.string(),
  street: areaRef.nullable(),
  community: areaRef.nullable(),
  score: z.number(),
  level: z.enum(GRID_RISK_LEVELS),
  /** points against the score 7 days earlier (null: none then) */
  change: z.number().nullable(),
  /** the three signals that give the most points */
  topSignals: z.array(
    z.object({
      code: z.enum(GRID_RISK_SIGNALS),
      contribution: z.number(),
      normalised: z.number(),
    }),
  ),
  /** the grid's warning still open or acknowledged */
  openWarning: z.object({ id: z.string(), status: z.string() }).nullable(),
});
export type GridRiskItem = z.infer<typeof gridRiskItemSchema>;

export const gridRiskListSchema = z.object({
  items: z.array(gridRiskItemSchema),
  total: z.number().int(),
  /** the day the scores are of (null: never computed) */
  day: z.string().nullable(),
  computedAt: z.string().nullable(),
});
export type GridRiskList = z.infer<typeof gridRiskListSchema>;

export const gridCodeParam = z.object({
  code: z.string().regex(/^\d{6,20}$/, "网格编码无效 / a grid code is digits"),
});

export const WARNING_STATUSES = ["open", "acknowledged", "task_created", "dismissed"] as const;
export type GridWarningStatus = (typeof WARNING_STATUSES)[number];
export const WARNING_REASONS = ["rise", "high"] as const;
export const WARNING_ACTIONS = ["acknowledge", "dismiss", "createTask"] as const;
export type GridWarningAction = (typeof WARNING_ACTIONS)[number];

export const gridWarningSchema = z.object({
  id: z.string(),
  grid: areaRef,
  street: areaRef.nullable(),
  day: z.string(),
  score: z.number(),
  /** the score 7 days earlier, when there was one */
  previousScore: z.number().nullable(),
  rise: z.number().nullable(),
  level: z.enum(GRID_RISK_LEVELS),
  reasons: z.array(z.enum(WARNING_REASONS)),
  /** the signals that gave most points that day */
  topSignals: z.array(
    z.object({ code: z.enum(GRID_RISK_SIGNALS), contribution: z.number(), normalised: z.number() }),
  ),
  status: z.enum(WARNING_STATUSES),
  case: z.object({ id: z.string(), code: z.string(), status: z.string() }).nullable(),
  dismissReason: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
  /** what the caller may do with it now */
  allowedActions: z.array(z.enum(WARNING_ACTIONS)),
});
export type GridWarning = z.infer<typeof gridWarningSchema>;

export const gridWarningListQuery = z.object({
  status: z.enum(WARNING_STATUSES, { error: "状态无效 / unknown status" }).optional(),
  areaId: id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type GridWarningListQuery = z.infer<typeof gridWarningListQuery>;

export const gridWarningListSchema = z.object({
  items: z.array(gridWarningSchema),
  total: z.number().int(),
});

export const acknowledgeWarningBody = z.strictObject({ version: z.number().int().min(1) });
export const dismissWarningBody = z.strictObject({
  version: z.number().int().min(1),
  reason: z
    .string({ error: "请填写不予处理的理由 / give the reason" })
    .trim()
    .min(2, "请填写不予处理的理由（至少 2 个字）/ give the reason (2 characters or more)")
    .max(500, "理由最多 500 字 / at most 500 characters"),
});
export const createTaskBody = z.strictObject({
  version: z.number().int().min(1),
  note: z.string().trim().max(500, "说明最多 500 字 / at most 500 characters").optional(),
});

export const gridProfileSchema = z.object({
  grid: areaRef.extend({ path: z.string() }),
  street: areaRef.nullable(),
  community: areaRef.nullable(),
  /** null: the index has not been computed for this grid yet */
  day: z.string().nullable(),
  score: z.number().nullable(),
  level: z.enum(GRID_RISK_LEVELS).nullable(),
  change: z.number().nullable(),
  signals: z.array(gridRiskSignalSchema),
  /** the last 90 days, oldest first */
  history: z.array(
    z.object({ day: z.string(), score: z.number(), level: z.enum(GRID_RISK_LEVELS) }),
  ),
  profile: z.object({
    residents: z.number().int(),
    newCitizens: z.number().int(),
    units: z.number().int(),
    rentalUnits: z.number().int(),
    overcrowdedUnits: z.number().int(),
    enterprises: z.number().int(),
    associations: z.number().int(),
    openCases: z.number().int(),
    /** volunteers who served a shift in the grid in the last 30 days, and their hours */
    volunteers: z.number().int(),
    patrolHours: z.number(),
    /** cases reported per month, the last 12 months */
    caseTrend: z.array(z.object({ month: z.string(), received: z.number().int() })),
  }),
  warnings: z.array(gridWarningSchema),
  settings: z.object({
    riseThreshold: z.number(),
    mediumLevel: z.number(),
    highLevel: z.number(),
  }),
});
export type GridProfile = z.infer<typeof gridProfileSchema>;

export const previewQuery = z.object({ areaId: id.optional() });
export const previewSchema = z.object({
  day: z.string().nullable(),
  /** every grid of the area: its rank and score now and under the proposed settings */
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      score: z.number(),
      level: z.enum(GRID_RISK_LEVELS),
      rank: z.number().int(),
      previewScore: z.number(),
      previewLevel: z.enum(GRID_RISK_LEVELS),
      previewRank: z.number().int(),
    }),
  ),
});
export type GridRiskPreview = z.infer<typeof previewSchema>;

export const runResultSchema = z.object({
  day: z.string(),
  computed: z.number().int(),
  warnings: z.number().int(),
});
