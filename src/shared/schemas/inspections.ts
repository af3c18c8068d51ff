/**
 * Self-inspection (自查) and hazards and rectification (隐患整改): checklist
 * templates, scheduled inspections, evidence files, hazards with their
 * timeline, the coordination map's major hazards, and risk-weighted
 * spot-checks. Shared by the server's routes and the web forms.
 */
import { z } from "zod";

export const CHECKLIST_TOPICS = ["fire", "dormitory", "security", "hazmat"] as const;
export type ChecklistTopic = (typeof CHECKLIST_TOPICS)[number];
export const INSPECTION_FREQUENCIES = ["monthly", "quarterly"] as const;
export type InspectionFrequency = (typeof INSPECTION_FREQUENCIES)[number];
export const INSPECTION_STATUSES = ["due", "submitted"] as const;
export const HAZARD_LEVELS = ["general", "major"] as const;
export type HazardLevel = (typeof HAZARD_LEVELS)[number];
export const HAZARD_STATUSES = ["open", "rectifying", "submitted", "closed"] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];
export const HAZARD_SOURCES = ["inspection", "spot_check", "staff", "report"] as const;
export type HazardSource = (typeof HAZARD_SOURCES)[number];
/** Actions on a hazard (POST /api/hazards/:id/<action>). */
export const HAZARD_ACTIONS = ["plan", "complete", "verify", "supervise"] as const;
export type HazardAction = (typeof HAZARD_ACTIONS)[number];
export const SPOT_CHECK_FINDINGS = [
  "pending",
  "ok",
  "hazards_found",
  "closed_down",
  "not_found",
] as const;
export type SpotCheckFinding = (typeof SPOT_CHECK_FINDINGS)[number];

const id = z.string().regex(/^\d{1,18}$/, "id must be a number");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
const version = z.number().int().min(1, "version is required");
/** "true"/"false" in a query string. */
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
/** One value or a comma-separated list of them, in a query string. */
function listParam<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));
}

// ---------------------------------------------------------------- templates

export const checklistItemSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_-]{1,20}$/,
      "条目编号只能用字母、数字、- 和 _ / item code: letters, digits, - and _",
    ),
  text: z.string().trim().min(2, "请填写检查内容 / the item text is required").max(200),
  guidance: z.string().trim().max(500).nullable().optional(),
  major: z.boolean().default(false),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

const templateFields = {
  name: z.string().trim().min(2, "请填写名称 / name is required").max(60),
  topic: z.enum(CHECKLIST_TOPICS),
  description: z.string().trim().max(500).nullable().optional(),
  industries: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  frequency: z.enum(INSPECTION_FREQUENCIES),
  items: z
    .array(checklistItemSchema)
    .min(1, "至少需要一个检查条目 / at least one item")
    .max(60)
    .refine(
      (items) => new Set(items.map((i) => i.code)).size === items.length,
      "条目编号不能重复 / item codes must be unique",
    ),
};

export const createTemplateBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Z0-9_-]{2,30}$/,
      "编号为 2–30 位大写字母、数字、- 或 _ / code: 2–30 of A–Z, 0–9, - and _",
    ),
  ...templateFields,
});

/**
 * Editing makes a new version; submitted inspections keep their snapshot.
 * `applyToDue`: this period's inspections issued but not yet submitted
 * switch to the new version at once (otherwise it applies from the next
 * period; missed inspections of past periods keep theirs).
 */
export const updateTemplateBody = z.strictObject({
  version,
  ...templateFields,
  applyToDue: z.boolean().default(false),
});
export const templateVersionBody = z.strictObject({ version });

export const templateListQuery = z.object({
  topic: z.enum(CHECKLIST_TOPICS).optional(),
  active: flag.optional(),
  q: z.string().trim().max(64).optional(),
});

export const templateSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  topic: z.enum(CHECKLIST_TOPICS),
  description: z.string().nullable(),
  industries: z.array(z.string()),
  frequency: z.enum(INSPECTION_FREQUENCIES),
  items: z.array(
    z.object({
      code: z.string(),
      text: z.string(),
      guidance: z.string().nullable(),
      major: z.boolean(),
    }),
  ),
  version: z.number().int(),
  active: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
  allowedActions: z.array(z.enum(["edit", "deactivate", "activate"])),
});
export type ChecklistTemplate = z.infer<typeof templateSchema>;
/** An edit's answer: the new version, and how many unfilled inspections switched to it. */
export const updatedTemplateSchema = templateSchema.extend({
  refreshedInspections: z.number().int(),
});

// -------------------------------------------------------------------- files

export const enterpriseFileSchema = z.object({
  id: z.string(),
  filename: z.string(),
  mime: z.string(),
  size: z.number().int(),
  url: z.string(),
  createdAt: z.string(),
});
export type EnterpriseFile = z.infer<typeof enterpriseFileSchema>;

// -------------------------------------------------------------- inspections

export const INSPECTION_SORTS = ["dueOn", "-dueOn", "submittedAt", "-submittedAt"] as const;

export const inspectionListQuery = z.object({
  organisationId: id.optional(),
  status: z.enum(INSPECTION_STATUSES).optional(),
  /** due and past its date (missed, or still to be done late) */
  overdue: flag.optional(),
  late: flag.optional(),
  topic: z.enum(CHECKLIST_TOPICS).optional(),
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/)
    .optional(),
  /** due on or before this date (the home card's "due soon") */
  dueBefore: isoDate.optional(),
  sort: z.enum(INSPECTION_SORTS).default("-dueOn"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const inspectionSchema = z.object({
  id: z.string(),
  organisation: z.object({ id: z.string(), name: z.string() }),
  template: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    topic: z.enum(CHECKLIST_TOPICS),
    frequency: z.enum(INSPECTION_FREQUENCIES),
  }),
  templateVersion: z.number().int(),
  period: z.string(),
  dueOn: z.string(),
  status: z.enum(INSPECTION_STATUSES),
  overdue: z.boolean(),
  submittedAt: z.string().nullable(),
  late: z.boolean(),
  failedItems: z.number().int(),
  itemCount: z.number().int(),
  allowedActions: z.array(z.enum(["submit"])),
});
export type Inspection = z.infer<typeof inspectionSchema>;

export const inspectionResultSchema = z.object({
  code: z.string(),
  result: z.enum(["pass", "fail"]),
  note: z.string().nullable(),
  evidence: z.array(enterpriseFileSchema),
  hazardId: z.string().nullable(),
});

export const inspectionDetailSchema = inspectionSchema.extend({
  items: templateSchema.shape.items,
  results: z.array(inspectionResultSchema).nullable(),
  submittedBy: z.string().nullable(),
});
export type InspectionDetail = z.infer<typeof inspectionDetailSchema>;

export const submitInspectionBody = z.strictObject({
  /** the checklist version the form was filled in against (a newer one: 409) */
  templateVersion: z.number().int().min(1).optional(),
  results: z
    .array(
      z.strictObject({
        code: z.string().trim().min(1).max(20),
        result: z.enum(["pass", "fail"], "每一项须选择合格或不合格 / each item is pass or fail"),
        note: z.string().trim().max(500).nullable().optional(),
        evidence: z.array(id).max(5, "每项最多 5 张照片 / at most 5 photos per item").default([]),
      }),
    )
    .min(1)
    .max(60),
});
export type SubmitInspectionInput = z.input<typeof submitInspectionBody>;

// ------------------------------------------------------------------ hazards

export const HAZARD_SORTS = [
  "deadline",
  "-deadline",
  "createdAt",
  "-createdAt",
  "level",
  "-level",
] as const;

/**
 * The supervision filter of the hazard list: under a department's
 * supervision, or major hazards not closed that still await it (待挂牌).
 */
export const HAZARD_SUPERVISION_FILTERS = ["supervised", "awaiting"] as const;

export const hazardListQuery = z.object({
  organisationId: id.optional(),
  status: listParam(HAZARD_STATUSES).optional(),
  level: z.enum(HAZARD_LEVELS).optional(),
  source: z.enum(HAZARD_SOURCES).optional(),
  overdue: flag.optional(),
  supervised: flag.optional(),
  supervision: z.enum(HAZARD_SUPERVISION_FILTERS).optional(),
  spotCheckId: id.optional(),
  q: z.string().trim().max(64).optional(),
  sort: z.enum(HAZARD_SORTS).default("-createdAt"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const hazardSchema = z.object({
  id: z.string(),
  organisation: z.object({ id: z.string(), name: z.string() }),
  source: z.enum(HAZARD_SOURCES),
  inspectionId: z.string().nullable(),
  spotCheckId: z.string().nullable(),
  itemCode: z.string().nullable(),
  level: z.enum(HAZARD_LEVELS),
  title: z.string(),
  description: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  status: z.enum(HAZARD_STATUSES),
  deadline: z.string(),
  overdue: z.boolean(),
  plan: z.string().nullable(),
  planAt: z.string().nullable(),
  completionNote: z.string().nullable(),
  completedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  supervisingDepartment: z.object({ id: z.string(), name: z.string() }).nullable(),
  supervisedAt: z.string().nullable(),
  supervisionNote: z.string().nullable(),
  /** a major hazard not closed that no department supervises yet (待挂牌): it cannot be accepted */
  awaitingSupervision: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  allowedActions: z.array(z.enum(HAZARD_ACTIONS)),
});
export type Hazard = z.infer<typeof hazardSchema>;

export const hazardStepSchema = z.object({
  id: z.string(),
  kind: z.string(),
  fromStatus: z.enum(HAZARD_STATUSES).nullable(),
  toStatus: z.enum(HAZARD_STATUSES).nullable(),
  actor: z.string(),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type HazardStep = z.infer<typeof hazardStepSchema>;

export const hazardDetailSchema = hazardSchema.extend({
  evidence: z.array(enterpriseFileSchema),
  foundEvidence: z.array(enterpriseFileSchema),
  timeline: z.array(hazardStepSchema),
});
export type HazardDetail = z.infer<typeof hazardDetailSchema>;

/** Staff record a hazard they found; an enterprise officer reports one of their own. */
export const createHazardBody = z.strictObject({
  organisationId: id,
  level: z.enum(HAZARD_LEVELS),
  title: z.string().trim().min(2, "请填写隐患名称 / the title is required").max(120),
  description: z.string().trim().max(1000).nullable().optional(),
  deadline: isoDate.optional(),
  address: z.string().trim().max(120).nullable().optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  evidence: z.array(id).max(9).default([]),
});

export const planHazardBody = z.strictObject({
  version,
  plan: z.string().trim().min(4, "请填写整改方案 / describe the rectification plan").max(2000),
});
export const completeHazardBody = z.strictObject({
  version,
  note: z.string().trim().min(2, "请说明整改情况 / describe what was done").max(2000),
  evidence: z
    .array(id)
    .min(1, "请上传整改完成的照片 / add at least one photo of the result")
    .max(9),
});
export const verifyHazardBody = z
  .strictObject({
    version,
    decision: z.enum(["accept", "return"]),
    reason: z.string().trim().max(1000).nullable().optional(),
  })
  .refine((b) => b.decision !== "return" || (b.reason ?? "").length >= 2, {
    message: "退回须说明原因 / say why it is sent back",
    path: ["reason"],
  });
export const superviseHazardBody = z.strictObject({
  version,
  note: z.string().trim().min(2, "请填写督办意见 / the supervision note is required").max(1000),
});

export const hazardMapSchema = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    z.object({
      type: z.literal("Feature"),
      geometry: z.object({
        type: z.literal("Point"),
        coordinates: z.tuple([z.number(), z.number()]),
      }),
      properties: z.object({
        id: z.string(),
        title: z.string(),
        enterpriseId: z.string(),
        enterpriseName: z.string(),
        level: z.enum(HAZARD_LEVELS),
        status: z.enum(HAZARD_STATUSES),
        deadline: z.string(),
        overdue: z.boolean(),
        supervised: z.boolean(),
      }),
    }),
  ),
});

// -------------------------------------------------------------- spot-checks

/** How much each risk factor adds to an enterprise's chance of being drawn. */
export const spotCheckWeightsSchema = z.record(z.string(), z.number());

export const drawSpotCheckBody = z.strictObject({
  sampleSize: z
    .number()
    .int()
    .min(1, "至少抽取 1 家 / draw at least one")
    .max(100, "一次最多抽取 100 家 / at most 100 at a time"),
  industry: z.string().trim().min(1).max(40).optional(),
  areaCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .optional(),
  note: z.string().trim().max(500).optional(),
});

export const spotCheckListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const spotCheckSchema = z.object({
  id: z.string(),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  drawnBy: z.string(),
  drawnAt: z.string(),
  criteria: z.object({
    industry: z.string().nullable(),
    area: z.object({ code: z.string(), name: z.string() }).nullable(),
  }),
  weights: spotCheckWeightsSchema,
  population: z.number().int(),
  sampleSize: z.number().int(),
  checked: z.number().int(),
  hazardsFound: z.number().int(),
  note: z.string().nullable(),
});
export type SpotCheck = z.infer<typeof spotCheckSchema>;

export const spotCheckItemSchema = z.object({
  id: z.string(),
  rank: z.number().int(),
  organisation: z.object({
    id: z.string(),
    name: z.string(),
    industry: z.string().nullable(),
    address: z.string().nullable(),
  }),
  weight: z.number(),
  factors: z.record(z.string(), z.unknown()),
  finding: z.enum(SPOT_CHECK_FINDINGS),
  note: z.string().nullable(),
  checkedAt: z.string().nullable(),
  checkedBy: z.string().nullable(),
  hazards: z.number().int(),
  allowedActions: z.array(z.enum(["record"])),
});
export type SpotCheckItem = z.infer<typeof spotCheckItemSchema>;

export const spotCheckDetailSchema = spotCheckSchema.extend({
  items: z.array(spotCheckItemSchema),
});
export type SpotCheckDetail = z.infer<typeof spotCheckDetailSchema>;

export const recordFindingBody = z
  .strictObject({
    finding: z.enum(["ok", "hazards_found", "closed_down", "not_found"]),
    note: z.string().trim().max(1000).nullable().optional(),
    hazards: z
      .array(
        z.strictObject({
          level: z.enum(HAZARD_LEVELS),
          title: z.string().trim().min(2, "请填写隐患名称 / the title is required").max(120),
          description: z.string().trim().max(1000).nullable().optional(),
          deadline: isoDate.optional(),
        }),
      )
      .max(20)
      .default([]),
  })
  .refine((b) => b.finding !== "hazards_found" || b.hazards.length > 0, {
    message: "发现隐患时须列出至少一项 / list at least one hazard",
    path: ["hazards"],
  })
  .refine((b) => b.finding === "hazards_found" || b.hazards.length === 0, {
    message: "只有“发现隐患”时才能登记隐患 / hazards only with the finding hazards_found",
    path: ["hazards"],
  });
