/**
 * The wire shapes of cases (事件): intake, the inbox list, the case page with
 * its timeline, and the bodies of transitions. Shared by the server (request
 * validation, OpenAPI) and the web forms.
 */
import { z } from "zod";
import { mobileSchema } from "../formats/mobile.js";
import { DEPARTMENT_KINDS } from "./areas.js";
import { parseBbox, unitMapQuery } from "./housing.js";

const id = z.string().regex(/^\d{1,18}$/, "id must be a number");

export const CASE_STATUSES = [
  "reported",
  "verified",
  "dispatched",
  "accepted",
  "in_progress",
  "resolved",
  "returned",
  "closed",
  "withdrawn",
  "merged",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The statuses as the district says them (exports; the web app has its own i18n). */
export const CASE_STATUS_NAMES: Record<CaseStatus, string> = {
  reported: "待核实/待分派",
  verified: "已核实",
  dispatched: "已派单",
  accepted: "已签收",
  in_progress: "处置中",
  resolved: "已办结",
  returned: "已退单",
  closed: "已结案",
  withdrawn: "已撤回",
  merged: "已合并",
};

/** Where a case came in. */
export const CASE_CHANNELS = [
  "web",
  "anonymous",
  "patrol",
  "enterprise",
  "volunteer",
  "hotline",
  "api",
] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

export const CASE_SEVERITY_VALUES = ["low", "normal", "high", "urgent"] as const;

/** Every action on a case; those that change the status are transitions. */
export const CASE_ACTIONS = [
  "report",
  "verify",
  "dispatch",
  "accept",
  "start",
  "resolve",
  "return",
  "reassign",
  "feedback",
  "reopen",
  "withdraw",
  "close",
  "comment",
  "supervise",
  "invite",
  "complete_task",
  "request_extension",
  "grant_extension",
  "deny_extension",
  "wait_reporter",
  "resume",
  "merge",
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** What the timeline shows: people's actions and the deadline job's escalations. */
/** Timeline steps: the actions, plus what jobs and other modules write (a mediator's answer, 0035). */
export const TIMELINE_ACTIONS = [
  ...CASE_ACTIONS,
  "escalate",
  "attach",
  "mediator_accept",
  "mediator_decline",
] as const;

export const DUE_STATES = ["on_time", "due_soon", "overdue"] as const;

const coordinate = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `${what}应为数字 / ${what} must be a number` })
    .min(min, `${what}超出范围 / ${what} out of range`)
    .max(max, `${what}超出范围 / ${what} out of range`);

export const caseFieldValues = z.record(
  z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  z.union([z.string().max(2000), z.number(), z.boolean()]),
);

export const createCaseBody = z.strictObject({
  categoryCode: z.string().min(1, "请选择事件类别 / choose a category").max(60),
  description: z
    .string()
    .trim()
    .min(5, "请至少用 5 个字描述情况 / describe it in at least 5 characters")
    .max(2000, "描述不超过 2000 字 / at most 2,000 characters"),
  lat: coordinate(-90, 90, "纬度"),
  lng: coordinate(-180, 180, "经度"),
  address: z.string().trim().max(200).optional(),
  fields: caseFieldValues.optional(),
  /** Staff only: how the case reached them (patrol, hotline …). */
  channel: z.enum(CASE_CHANNELS).optional(),
  /** Hotline: the person the operator reports for (kept encrypted). */
  onBehalf: z
    .strictObject({
      name: z.string().trim().min(1).max(40),
      phone: mobileSchema.optional(),
    })
    .optional(),
  /** A signed-in resident may still report anonymously. */
  anonymous: z.boolean().optional(),
});
export type CreateCaseBody = z.infer<typeof createCaseBody>;

const ref = z.object({ id: z.string(), name: z.string() });

export const caseSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  severity: z.enum(CASE_SEVERITY_VALUES),
  status: z.enum(CASE_STATUSES),
  description: z.string(),
  address: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
  grid: z.object({ code: z.string(), name: z.string() }).nullable(),
  lead: ref.nullable(),
  channel: z.enum(CASE_CHANNELS),
  createdAt: z.string(),
  acceptDueAt: z.string().nullable(),
  resolveDueAt: z.string().nullable(),
  dueState: z.enum(DUE_STATES).nullable(),
  supervised: z.boolean(),
  version: z.number().int(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const timelineEntrySchema = z.object({
  id: z.string(),
  action: z.enum(TIMELINE_ACTIONS),
  fromStatus: z.enum(CASE_STATUSES).nullable(),
  toStatus: z.enum(CASE_STATUSES).nullable(),
  actor: z.string(),
  note: z.string().nullable(),
  visibility: z.enum(["internal", "public"]),
  createdAt: z.string(),
  /** comment: the people it mentions (each was notified) */
  mentions: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
});

export const casePartySchema = z.object({
  id: z.string(),
  /** mediator: a volunteer invited to mediate a dispute (以新调新, issue 7) */
  role: z.enum(["lead", "assist", "mediator"]),
  kind: z.enum(["department", "organisation", "volunteer"]),
  name: z.string(),
  task: z.string().nullable(),
  status: z.enum(["open", "done"]),
  dueAt: z.string().nullable(),
  note: z.string().nullable(),
});

export const caseDetailSchema = caseSummarySchema.extend({
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  reporter: z.object({ kind: z.enum(CASE_CHANNELS), label: z.string() }),
  parties: z.array(casePartySchema),
  feedback: z.object({ rating: z.number().int(), comment: z.string().nullable() }).nullable(),
  timeline: z.array(timelineEntrySchema),
  /** assisting parties' tasks still open (the lead sees them as a warning before resolving) */
  openTasks: z.number().int(),
  /** working days the lead asked for, waiting for the coordinator */
  extensionRequestedDays: z.number().int().nullable(),
  /** waiting for the reporter since: the deadline clock is paused */
  pausedAt: z.string().nullable(),
  /** the case this one was merged into */
  mergedInto: z.object({ id: z.string(), code: z.string() }).nullable(),
  /** staff only: open cases of the same family close by in place and time */
  possibleDuplicates: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      categoryName: z.string(),
      status: z.enum(CASE_STATUSES),
      distanceM: z.number(),
      createdAt: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(CASE_ACTIONS)),
  /** Only in the answer to an anonymous report, once: what follows it. */
  tracking: z.object({ code: z.string(), secret: z.string() }).optional(),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const INBOXES = [
  "all",
  "mine",
  "department",
  "area",
  "queue",
  "due_soon",
  "overdue",
  "supervised",
  "reported_by_me",
] as const;

export const caseListQuery = z.object({
  inbox: z.enum(INBOXES).default("all"),
  status: z
    .union([z.enum(CASE_STATUSES), z.array(z.enum(CASE_STATUSES))])
    .transform((s) => (Array.isArray(s) ? s : [s]))
    .optional(),
  category: z.string().max(60).optional(),
  gridCode: z.string().max(40).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(["newest", "oldest", "due"]).default("newest"),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const transitionBody = z.strictObject({
  /** The version the caller saw; a newer one means someone else acted first. */
  version: z.number().int().min(1).optional(),
  note: z.string().trim().max(2000).optional(),
  /** dispatch, reassign: the lead department (dispatch defaults to routing). */
  departmentId: id.optional(),
  /** feedback */
  rating: z
    .number()
    .int()
    .min(1, "评分为 1–5 / rating 1–5")
    .max(5, "评分为 1–5 / rating 1–5")
    .optional(),
  /** comment: shown to the reporter too, or staff only */
  visibility: z.enum(["internal", "public"]).optional(),
  /** invite: an enterprise or association as the assisting party (or departmentId) */
  organisationId: id.optional(),
  /** invite: what the assisting party is asked to do */
  task: z.string().trim().min(2, "请写明协办任务 / describe the task").max(500).optional(),
  /** invite: the task's deadline */
  dueAt: z.iso
    .datetime({ offset: true, error: "期限格式应为 ISO 时间 / dueAt must be an ISO time" })
    .optional(),
  /** request_extension: working days asked for */
  days: z
    .number()
    .int()
    .min(1, "延期天数为 1–30 / 1–30 days")
    .max(30, "延期天数为 1–30 / 1–30 days")
    .optional(),
  /** merge: the case this one is merged into */
  targetId: id.optional(),
  /**
   * comment: the users it mentions (see GET /api/cases/:id/mentionable); the
   * note carries the "@显示名" text people read
   */
  mentions: z.array(id).max(20, "一条留言最多提及 20 人 / at most 20 mentions").optional(),
});
export type TransitionBody = z.infer<typeof transitionBody>;

/** Someone a comment on the case may mention (GET /api/cases/:id/mentionable). */
export const mentionableSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  /** whom they work for on the case; null for the reporter */
  organisation: z.string().nullable(),
  /** reads internal comments; false for the reporter, who may be mentioned only in public ones */
  staff: z.boolean(),
});
export type MentionableUser = z.infer<typeof mentionableSchema>;

export const categorySchema = z.object({
  code: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  severity: z.enum(CASE_SEVERITY_VALUES),
  invalid: z.boolean(),
  redirect: z.string().nullable(),
  description: z.string().nullable(),
  serviceNotice: z.string().nullable(),
  /** personal-safety matters: nothing of them is published */
  sensitive: z.boolean(),
  /** a grid worker verifies a report before it is dispatched */
  verify: z.boolean(),
  /** working hours to accept, working days to resolve */
  acceptHours: z.number(),
  resolveDays: z.number(),
  /** no longer offered for new reports (listed only when asked for) */
  retired: z.boolean(),
  /** for edits: a stale version is refused */
  version: z.number().int(),
  fields: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      type: z.string(),
      required: z.boolean(),
      options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      maxLength: z.number().optional(),
      help: z.string().optional(),
    }),
  ),
});

// ------------------------------------------------------ responsibility list

/** A party a rule names: a department kind (the local one is chosen per case), or a fixed party. */
export const routingPartyRef = z.union([
  z.strictObject({ kind: z.enum(DEPARTMENT_KINDS) }),
  z.strictObject({ departmentId: id }),
  z.strictObject({ organisationId: id }),
]);

export const ruleConditions = z.strictObject({
  severity: z.array(z.enum(CASE_SEVERITY_VALUES)).min(1).optional(),
  fields: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
        op: z.enum(["eq", "gte", "lte"]),
        value: z.union([z.string().max(200), z.number(), z.boolean()]),
      }),
    )
    .min(1)
    .max(10)
    .optional(),
});

export const routingRuleBody = z.strictObject({
  categoryCode: z.string().min(1, "请选择事件类别 / choose a category").max(60),
  /** null or absent: the whole district */
  areaCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .nullable()
    .optional(),
  conditions: ruleConditions.default({}),
  lead: routingPartyRef,
  assist: z.array(routingPartyRef).max(10).default([]),
  note: z.string().trim().max(500).optional(),
});

export const updateRoutingRuleBody = routingRuleBody
  .partial()
  .extend({
    version: z.number().int().min(1),
    active: z.boolean().optional(),
  })
  .strict();

const partyView = z.object({
  ref: routingPartyRef,
  /** what the reference reads as: "派出所（按属地）", or the fixed party's name */
  label: z.string(),
});

export const routingRuleSchema = z.object({
  id: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  area: z.object({ code: z.string(), name: z.string() }).nullable(),
  conditions: ruleConditions,
  lead: partyView,
  assist: z.array(partyView),
  note: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});

export const routingRuleListQuery = z.object({
  category: z.string().max(60).optional(),
  areaCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .optional(),
  active: z.enum(["true", "false", "all"]).default("true"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const routingPreviewBody = z.strictObject({
  categoryCode: z.string().min(1).max(60),
  lat: coordinate(-90, 90, "纬度"),
  lng: coordinate(-180, 180, "经度"),
  severity: z.enum(CASE_SEVERITY_VALUES).optional(),
  fields: caseFieldValues.optional(),
  /** A draft rule to try as if it were in the list (a new one, or an edit of `replaces`). */
  draft: routingRuleBody.optional(),
  replaces: id.optional(),
});

export const routingPreviewSchema = z.object({
  grid: z.object({ code: z.string(), name: z.string() }).nullable(),
  rule: z.object({ id: z.string().nullable(), draft: z.boolean() }).nullable(),
  lead: z.object({ id: z.string(), name: z.string() }).nullable(),
  assist: z.array(z.object({ name: z.string() })),
  /** the same case under the current list, when a draft was given */
  current: z
    .object({
      ruleId: z.string().nullable(),
      lead: z.object({ id: z.string(), name: z.string() }).nullable(),
    })
    .nullable(),
});

// ------------------------------------------------------------------ the map

/**
 * GET /api/cases/map: the inbox's filters (no sorting or paging) plus the
 * map's view, given as on the units map; the box arrives parsed.
 */
export const caseMapQuery = caseListQuery.omit({ sort: true, limit: true, offset: true }).extend({
  bbox: unitMapQuery.shape.bbox.transform((v) => parseBbox(v) as [number, number, number, number]),
  zoom: unitMapQuery.shape.zoom,
});

/** Cases counted in one map cell (zoomed out). */
export const caseClusterSchema = z.object({
  /** Stable for the same cell at the same zoom. */
  key: z.string(),
  /** Where to draw it: the mean position of its cases. */
  lng: z.number(),
  lat: z.number(),
  count: z.number().int(),
  /** still being worked on (or waiting for the reporter's rating) */
  open: z.number().int(),
  /** past the deadline that applies now */
  overdue: z.number().int(),
  /** The extent of its cases [west, south, east, north]: zoom here to split it. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});

/** One case on the map (zoomed in). */
export const casePointSchema = z.object({
  id: z.string(),
  code: z.string(),
  lng: z.number(),
  lat: z.number(),
  status: z.enum(CASE_STATUSES),
  categoryName: z.string(),
  severity: z.enum(CASE_SEVERITY_VALUES),
  supervised: z.boolean(),
  dueState: z.enum(DUE_STATES).nullable(),
  /** the deadline that applies now (to accept, or to resolve); null when none runs */
  dueAt: z.string().nullable(),
});

export const caseMapSchema = z.object({
  /** `clusters` zoomed out (counts per cell), `cases` once few enough are in view. */
  mode: z.enum(["clusters", "cases"]),
  /** Matching cases in the box, and how many of them are open and overdue. */
  total: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  clusters: z.array(caseClusterSchema),
  cases: z.array(casePointSchema),
});
export type CaseMap = z.infer<typeof caseMapSchema>;
