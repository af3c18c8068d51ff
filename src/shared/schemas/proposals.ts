/**
 * The wire shapes of deliberation (议事协商): proposals on community safety,
 * their supporters, the department's answer and the milestones of an accepted
 * proposal. Shared by the server (validation, OpenAPI) and the web forms.
 */
import { z } from "zod";
import type { DEPARTMENT_KINDS } from "./areas.js";

const id = z.string().regex(/^\d{1,18}$/, "id must be a number");
const isoDate = z.iso.date("日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
const flag = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();

export const PROPOSAL_STATUSES = [
  "open",
  "submitted",
  "answered",
  "in_progress",
  "done",
  "withdrawn",
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
/** As the district says them (exports, notifications; the web app has its own i18n). */
export const PROPOSAL_STATUS_NAMES: Record<ProposalStatus, string> = {
  open: "征集附议",
  submitted: "已送交部门",
  answered: "已答复",
  in_progress: "落实中",
  done: "已落实",
  withdrawn: "已撤回",
};

export const PROPOSAL_ANSWERS = ["accepted", "partly_accepted", "rejected"] as const;
export type ProposalAnswer = (typeof PROPOSAL_ANSWERS)[number];
export const PROPOSAL_ANSWER_NAMES: Record<ProposalAnswer, string> = {
  accepted: "采纳",
  partly_accepted: "部分采纳",
  rejected: "不予采纳",
};

type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/**
 * What a proposal is about, and the kind of department that answers for it
 * at its place (the most local department of that kind covering the place).
 */
export const PROPOSAL_TOPICS = [
  "public_order",
  "traffic",
  "fire",
  "ev_charging",
  "lighting",
  "rental_housing",
  "public_space",
  "labour",
  "dispute",
  "other",
] as const;
export type ProposalTopic = (typeof PROPOSAL_TOPICS)[number];
export const PROPOSAL_TOPIC_NAMES: Record<ProposalTopic, string> = {
  public_order: "治安防范",
  traffic: "交通安全",
  fire: "消防安全",
  ev_charging: "电动车充电",
  lighting: "照明与设施",
  rental_housing: "出租房屋",
  public_space: "公共空间",
  labour: "劳动权益",
  dispute: "矛盾化解",
  other: "其他",
};
export const PROPOSAL_TOPIC_DEPARTMENT: Record<ProposalTopic, DepartmentKind> = {
  public_order: "police_station",
  traffic: "police_station",
  fire: "fire",
  ev_charging: "fire",
  lighting: "urban_management",
  rental_housing: "housing",
  public_space: "urban_management",
  labour: "labour_inspection",
  dispute: "justice_office",
  other: "street_office",
};

/** Steps on a proposal's timeline. */
export const PROPOSAL_ACTIONS = [
  "create",
  "withdraw",
  "submit",
  "reassign",
  "answer",
  "overdue",
  "add_milestone",
  "complete_milestone",
  "add_photo",
  "remove_photo",
] as const;
export type ProposalTimelineAction = (typeof PROPOSAL_ACTIONS)[number];

/** Actions taken as POST /api/proposals/:id/<action> (support has its own route). */
export const PROPOSAL_TRANSITIONS = [
  "withdraw",
  "submit",
  "reassign",
  "answer",
  "add-milestone",
  "complete-milestone",
] as const;
export type ProposalTransition = (typeof PROPOSAL_TRANSITIONS)[number];
/** What a caller may do now (responses carry these; the UI enables buttons by them). */
export type ProposalAllowedAction = ProposalTransition | "support" | "unsupport";

/** The default support threshold and answer deadline of a district with no settings. */
export const DEFAULT_SUPPORT_THRESHOLD = 20;
export const DEFAULT_ANSWER_WORKING_DAYS = 15;

const coordinate = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `${what}应为数字 / ${what} must be a number` })
    .min(min, `${what}超出范围 / ${what} out of range`)
    .max(max, `${what}超出范围 / ${what} out of range`);

export const proposalTitle = z
  .string({ error: "请填写标题 / a title is required" })
  .trim()
  .min(4, "标题至少 4 个字 / the title needs at least 4 characters")
  .max(60, "标题不超过 60 字 / at most 60 characters");
export const proposalText = z
  .string({ error: "请说明建议内容 / describe the proposal" })
  .trim()
  .min(10, "请至少用 10 个字说明建议 / describe it in at least 10 characters")
  .max(4000, "内容不超过 4000 字 / at most 4,000 characters");
const topic = z.enum(PROPOSAL_TOPICS, { error: "请选择议题类别 / choose a topic" });

export const createProposalBody = z
  .strictObject({
    title: proposalTitle,
    body: proposalText,
    topic,
    /** The place is required: a proposal with no place is refused. */
    lat: coordinate(-90, 90, "纬度").optional(),
    lng: coordinate(-180, 180, "经度").optional(),
    address: z.string().trim().max(200).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.lat === undefined || b.lng === undefined)
      ctx.addIssue({
        code: "custom",
        path: [b.lat === undefined ? "lat" : "lng"],
        message: "请在地图上标出提案的位置 / a proposal needs a place on the map",
      });
  });
export type CreateProposalBody = z.infer<typeof createProposalBody>;

export const fromCasesBody = z.strictObject({
  caseIds: z
    .array(id)
    .min(1, "请至少选择一件事件 / choose at least one case")
    .max(50, "最多选择 50 件事件 / at most 50 cases"),
  title: proposalTitle,
  body: proposalText,
  topic,
  /** Defaults to the middle of the cases' places. */
  lat: coordinate(-90, 90, "纬度").optional(),
  lng: coordinate(-180, 180, "经度").optional(),
  address: z.string().trim().max(200).optional(),
});
export type FromCasesBody = z.infer<typeof fromCasesBody>;

export const fromCasesDraftQuery = z.object({
  /** comma-separated case ids */
  caseIds: z
    .string()
    .regex(/^\d{1,18}(,\d{1,18}){0,49}$/, "caseIds: 以逗号分隔的事件编号 / comma-separated ids")
    .transform((s) => [...new Set(s.split(","))]),
});

export const proposalActionBody = z.strictObject({
  /** The version the caller saw; a newer one means someone else acted first. */
  version: z.number().int().min(1),
  note: z.string().trim().max(2000).optional(),
  /** answer */
  answer: z.enum(PROPOSAL_ANSWERS).optional(),
  /** answer: why (required for every answer) */
  reason: z.string().trim().max(4000).optional(),
  /** reassign: the department that answers instead */
  departmentId: id.optional(),
  /** add-milestone */
  title: z.string().trim().max(100).optional(),
  dueOn: isoDate.optional(),
  /** complete-milestone */
  milestoneId: id.optional(),
});
export type ProposalActionBody = z.infer<typeof proposalActionBody>;

export const supportBody = z
  .strictObject({
    comment: z.string().trim().max(200, "附言不超过 200 字 / at most 200 characters").optional(),
  })
  .nullish();

export const PROPOSAL_VIEWS = [
  "all",
  "community",
  "area",
  "department",
  "mine",
  "supported",
] as const;
export type ProposalView = (typeof PROPOSAL_VIEWS)[number];
export const PROPOSAL_SORTS = ["newest", "support", "deadline", "distance"] as const;

export const proposalListQuery = z
  .object({
    /**
     * all: every proposal; community: the caller's own community; area: in the
     * caller's staff area; department: sent to the caller's department; mine:
     * proposed by the caller; supported: supported by the caller
     */
    view: z.enum(PROPOSAL_VIEWS).default("all"),
    status: z
      .union([z.enum(PROPOSAL_STATUSES), z.array(z.enum(PROPOSAL_STATUSES))])
      .transform((s) => (Array.isArray(s) ? s : [s]))
      .optional(),
    topic: z.enum(PROPOSAL_TOPICS).optional(),
    /** an area code: proposals placed inside it */
    areaCode: z
      .string()
      .regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area codes are 6–18 digits")
      .optional(),
    mine: flag,
    supported: flag,
    /** submitted, not answered, past the answer deadline */
    overdue: flag,
    q: z.string().trim().max(64).optional(),
    /** near: proposals within `radius` metres of lat/lng */
    lat: coordinate(-90, 90, "纬度").optional(),
    lng: coordinate(-180, 180, "经度").optional(),
    radius: z.coerce.number().int().min(50).max(20_000).default(2000),
    sort: z.enum(PROPOSAL_SORTS).default("newest"),
    limit: z.coerce.number().int().min(1).max(500).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .superRefine((f, ctx) => {
    if ((f.lat === undefined) !== (f.lng === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["lat"],
        message: "附近查询需要同时提供纬度和经度 / near needs both lat and lng",
      });
    if (f.sort === "distance" && f.lat === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["sort"],
        message: "按距离排序需要位置 / sorting by distance needs lat and lng",
      });
  });
export type ProposalListQuery = z.infer<typeof proposalListQuery>;

export const proposalSettingsBody = z.strictObject({
  version: z.number().int().min(1).optional(),
  supportThreshold: z
    .number()
    .int()
    .min(1, "门槛为 1–10000 人 / 1–10,000 supporters")
    .max(10_000, "门槛为 1–10000 人 / 1–10,000 supporters"),
  answerWorkingDays: z
    .number()
    .int()
    .min(1, "答复期限为 1–60 个工作日 / 1–60 working days")
    .max(60, "答复期限为 1–60 个工作日 / 1–60 working days"),
});
export type ProposalSettingsBody = z.infer<typeof proposalSettingsBody>;

export const proposalSettingsSchema = z.object({
  district: z.object({ code: z.string(), name: z.string() }),
  supportThreshold: z.number().int(),
  answerWorkingDays: z.number().int(),
  /** null: the defaults, never saved */
  version: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
  mayEdit: z.boolean(),
});
export type ProposalSettings = z.infer<typeof proposalSettingsSchema>;

const ref = z.object({ id: z.string(), name: z.string() });
const areaRef = z.object({ code: z.string(), name: z.string() });

export const DUE_STATES = ["on_time", "due_soon", "overdue"] as const;

export const proposalSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  topic: z.enum(PROPOSAL_TOPICS),
  status: z.enum(PROPOSAL_STATUSES),
  answer: z.enum(PROPOSAL_ANSWERS).nullable(),
  lat: z.number(),
  lng: z.number(),
  address: z.string().nullable(),
  grid: areaRef,
  community: areaRef,
  proposer: z.string(),
  /** supporters from the proposal's community: these count towards the threshold */
  localSupportCount: z.number().int(),
  /** every supporter, from the area or not */
  supportCount: z.number().int(),
  supportThreshold: z.number().int(),
  department: ref.nullable(),
  submittedAt: z.string().nullable(),
  answerDueAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  /** while waiting for the answer: on time, due within 3 days, or overdue */
  dueState: z.enum(DUE_STATES).nullable(),
  /** from the given lat/lng, when the list was asked for near a place */
  distanceM: z.number().int().nullable(),
  supportedByMe: z.boolean(),
  fromCases: z.boolean(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type ProposalSummary = z.infer<typeof proposalSummarySchema>;

export const milestoneSchema = z.object({
  id: z.string(),
  title: z.string(),
  dueOn: z.string(),
  status: z.enum(["open", "done"]),
  note: z.string().nullable(),
  createdBy: z.string(),
  completedAt: z.string().nullable(),
  completedBy: z.string().nullable(),
  /** open and past its day */
  late: z.boolean(),
});
export type Milestone = z.infer<typeof milestoneSchema>;

export const SUPPORT_BASES = ["resident", "volunteer"] as const;

/** A proposer adds at most this many photos, while the proposal collects support. */
export const PROPOSAL_MAX_PHOTOS = 4;

/** A proposal's photo: `url` sends the public copy (no location metadata). */
export const proposalPhotoSchema = z.object({
  id: z.string(),
  url: z.string(),
  filename: z.string(),
  mime: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});
export type ProposalPhoto = z.infer<typeof proposalPhotoSchema>;

export const proposalDetailSchema = proposalSummarySchema.extend({
  body: z.string(),
  proposerKind: z.enum(["resident", "volunteer", "enterprise", "association", "staff"]),
  answerReason: z.string().nullable(),
  answeredBy: z.string().nullable(),
  answerLate: z.boolean(),
  withdrawnAt: z.string().nullable(),
  withdrawReason: z.string().nullable(),
  doneAt: z.string().nullable(),
  answerWorkingDays: z.number().int(),
  /** the cases a coordinator built it from (those the caller may open carry an id) */
  basisCases: z.array(z.object({ code: z.string(), id: z.string().nullable() })),
  supporters: z.object({
    local: z.number().int(),
    other: z.number().int(),
    byBasis: z.object({ resident: z.number().int(), volunteer: z.number().int() }),
  }),
  /** how the caller stands: whether they support it, and whether their support counts */
  me: z.object({
    proposer: z.boolean(),
    supported: z.boolean(),
    /** their support counts towards the threshold (they live in, or volunteer for, its community) */
    local: z.boolean(),
    basis: z.enum(SUPPORT_BASES).nullable(),
    /** why their support would not count, as people read it */
    notCountedReason: z.enum(["no_residence", "other_community"]).nullable(),
  }),
  milestones: z.array(milestoneSchema),
  photos: z.array(proposalPhotoSchema),
  /** the proposer, while it collects support and has room for another */
  mayAddPhotos: z.boolean(),
  /** the proposer, while it collects support */
  mayRemovePhotos: z.boolean(),
  timeline: z.array(
    z.object({
      id: z.string(),
      action: z.enum(PROPOSAL_ACTIONS),
      fromStatus: z.enum(PROPOSAL_STATUSES).nullable(),
      toStatus: z.enum(PROPOSAL_STATUSES).nullable(),
      actor: z.string(),
      note: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  allowedActions: z.array(
    z.enum([...PROPOSAL_TRANSITIONS, "support", "unsupport"] as [
      ProposalAllowedAction,
      ...ProposalAllowedAction[],
    ]),
  ),
});
export type ProposalDetail = z.infer<typeof proposalDetailSchema>;

/** What a new proposal form starts from for a caller: their community, and where it lies. */
export const proposalContextSchema = z.object({
  community: z
    .object({
      code: z.string(),
      name: z.string(),
      centroid: z.object({ lat: z.number(), lng: z.number() }).nullable(),
      /** the community's outline (GeoJSON geometry), for the map */
      boundary: z.unknown().nullable(),
      basis: z.enum(SUPPORT_BASES),
    })
    .nullable(),
  mayPropose: z.boolean(),
  mayFromCases: z.boolean(),
  departmentIds: z.array(z.string()),
  supportThreshold: z.number().int(),
  answerWorkingDays: z.number().int(),
});
export type ProposalContext = z.infer<typeof proposalContextSchema>;

export const fromCasesDraftSchema = z.object({
  cases: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      categoryName: z.string(),
      status: z.string(),
      address: z.string().nullable(),
      lat: z.number(),
      lng: z.number(),
      createdAt: z.string(),
    }),
  ),
  title: z.string(),
  body: z.string(),
  topic: z.enum(PROPOSAL_TOPICS),
  lat: z.number(),
  lng: z.number(),
  address: z.string().nullable(),
  community: areaRef,
});
export type FromCasesDraft = z.infer<typeof fromCasesDraftSchema>;
