/**
 * The wire shapes of government–enterprise–association liaison: notices from
 * government to enterprises (audience, read receipts, reminders) and
 * mediation requests from an enterprise to an association. Shared by the
 * server (validation, OpenAPI) and the web forms.
 */
import { z } from "zod";

const id = z.string().regex(/^\d{1,18}$/, "id must be a number");
const isoDate = z.iso.date("日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
const flag = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();

// ------------------------------------------------------------------ notices

export const NOTICE_IMPORTANCES = ["normal", "important", "urgent"] as const;
export type NoticeImportance = (typeof NOTICE_IMPORTANCES)[number];
/** As the district says them (exports; the web app has its own i18n). */
export const NOTICE_IMPORTANCE_NAMES: Record<NoticeImportance, string> = {
  normal: "普通",
  important: "重要",
  urgent: "紧急",
};

export const NOTICE_STATUSES = ["draft", "sent", "withdrawn"] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** Safety credit ratings (part C's enterprise_scores.rating), and "not rated yet". */
export const AUDIENCE_RATINGS = ["A", "B", "C", "D", "unrated"] as const;
/** Wage-arrears warning levels (enterprise_scores.warning_level). */
export const AUDIENCE_WARNING_LEVELS = ["none", "watch", "warning", "alarm"] as const;

export const AUDIENCE_MODES = ["all", "filter", "list"] as const;

/**
 * Who a notice reaches, always within the sender's area: every enterprise
 * there (`all`); those matching every non-empty criterion (`filter`: any of
 * the industries, AND in any of the areas, AND any of the ratings, AND any
 * of the warning levels); or the enterprises picked by hand (`list`).
 */
export const noticeAudience = z
  .strictObject({
    mode: z.enum(AUDIENCE_MODES),
    industries: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
    areaCodes: z
      .array(
        z.string().regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area codes are 6–18 digits"),
      )
      .max(50)
      .default([]),
    ratings: z.array(z.enum(AUDIENCE_RATINGS)).max(5).default([]),
    warningLevels: z.array(z.enum(AUDIENCE_WARNING_LEVELS)).max(4).default([]),
    enterpriseIds: z
      .array(id)
      .max(2000, "最多手动选择 2000 家企业 / at most 2,000 enterprises by hand")
      .default([]),
  })
  .superRefine((a, ctx) => {
    if (
      a.mode === "filter" &&
      a.industries.length + a.areaCodes.length + a.ratings.length + a.warningLevels.length === 0
    )
      ctx.addIssue({
        code: "custom",
        path: ["industries"],
        message:
          "请至少选择一个条件（行业、区域、信用等级或预警等级）/ choose at least one criterion",
      });
    if (a.mode === "list" && a.enterpriseIds.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["enterpriseIds"],
        message: "请选择接收通知的企业 / choose the enterprises",
      });
  });
export type NoticeAudience = z.infer<typeof noticeAudience>;
export type NoticeAudienceInput = z.input<typeof noticeAudience>;

const title = z
  .string()
  .trim()
  .min(2, "请填写标题（至少 2 个字）/ a title of at least 2 characters")
  .max(100, "标题最多 100 个字 / at most 100 characters");
const body = z
  .string()
  .trim()
  .min(1, "请填写正文 / the text is required")
  .max(10_000, "正文最多 10000 个字 / at most 10,000 characters");

export const createNoticeBody = z
  .strictObject({
    title,
    body,
    importance: z.enum(NOTICE_IMPORTANCES).default("normal"),
    /** recipients are asked to confirm receipt (确认收到) */
    ackRequired: z.boolean().default(false),
    /** the day by which they should confirm; only with ackRequired */
    ackDueOn: isoDate.nullable().optional(),
    audience: noticeAudience,
  })
  .refine((b) => !b.ackDueOn || b.ackRequired, {
    message: "设定确认期限须要求确认收到 / a confirmation deadline needs ackRequired",
    path: ["ackDueOn"],
  });
export type CreateNoticeBody = z.infer<typeof createNoticeBody>;

/** Changes to a draft; `version` is the one the editor saw. */
export const updateNoticeBody = z
  .strictObject({
    version: z.number().int().min(1),
    title: title.optional(),
    body: body.optional(),
    importance: z.enum(NOTICE_IMPORTANCES).optional(),
    ackRequired: z.boolean().optional(),
    ackDueOn: isoDate.nullable().optional(),
    audience: noticeAudience.optional(),
  })
  .refine((b) => Object.keys(b).length > 1, "没有要修改的内容 / nothing to change");
export type UpdateNoticeBody = z.infer<typeof updateNoticeBody>;

export const noticeVersionBody = z.strictObject({ version: z.number().int().min(1) });

export const withdrawNoticeBody = z.strictObject({
  version: z.number().int().min(1),
  reason: z.string().trim().min(2, "请填写撤回理由 / give the reason for withdrawing").max(500),
});

export const remindNoticeBody = z.strictObject({
  /** an extra line for the reminder; the notice's title is always in it */
  note: z.string().trim().max(200).optional(),
});

export const noticePreviewBody = z.strictObject({ audience: noticeAudience });

export const NOTICE_INBOX_STATES = ["unread", "read", "to_acknowledge", "acknowledged"] as const;
export const NOTICE_SORTS = ["newest", "oldest", "unreadFirst"] as const;

export const noticeListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  status: z.enum(NOTICE_STATUSES).optional(),
  importance: z.enum(NOTICE_IMPORTANCES).optional(),
  /** the caller's (enterprise's) receipt state */
  state: z.enum(NOTICE_INBOX_STATES).optional(),
  /** government: the notices sent to this enterprise, with its receipt */
  enterpriseId: id.optional(),
  /** an enterprise's inbox puts unread notices first by default */
  sort: z.enum(NOTICE_SORTS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type NoticeListQuery = z.infer<typeof noticeListQuery>;

export const NOTICE_ACTIONS = [
  "edit",
  "delete",
  "send",
  "withdraw",
  "remind",
  "read",
  "acknowledge",
] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

export const noticeCountsSchema = z.object({
  recipients: z.number().int(),
  read: z.number().int(),
  acknowledged: z.number().int(),
  /** asked to confirm by a day that has passed, and have not */
  overdue: z.number().int(),
});

export const noticeReceiptSchema = z.object({
  organisationId: z.string(),
  organisationName: z.string(),
  readAt: z.string().nullable(),
  readBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  overdue: z.boolean(),
});

export const noticeSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  importance: z.enum(NOTICE_IMPORTANCES),
  status: z.enum(NOTICE_STATUSES),
  issuer: z.string(),
  ackRequired: z.boolean(),
  ackDueOn: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  /** government's view: how the notice is being received */
  counts: noticeCountsSchema.nullable(),
  /** an enterprise's view (or government's, for one enterprise): its receipt */
  receipt: noticeReceiptSchema.nullable(),
  version: z.number().int(),
});
export type NoticeSummary = z.infer<typeof noticeSummarySchema>;

export const noticeDetailSchema = noticeSummarySchema.extend({
  body: z.string(),
  /** the definition; government only (null for recipients) */
  audience: z
    .object({
      mode: z.enum(AUDIENCE_MODES),
      industries: z.array(z.string()),
      areaCodes: z.array(z.string()),
      ratings: z.array(z.enum(AUDIENCE_RATINGS)),
      warningLevels: z.array(z.enum(AUDIENCE_WARNING_LEVELS)),
      enterpriseIds: z.array(z.string()),
      /** names of the areas and hand-picked enterprises, for reading */
      areaNames: z.array(z.string()),
      enterpriseNames: z.array(z.string()),
    })
    .nullable(),
  createdBy: z.string(),
  sentBy: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawReason: z.string().nullable(),
  lastRemindedAt: z.string().nullable(),
  /** when the next reminder may go (at most one a day); null: now, or not at all */
  nextReminderAt: z.string().nullable(),
  /** government: what happened to the notice */
  log: z.array(
    z.object({
      id: z.string(),
      action: z.string(),
      actor: z.string(),
      note: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
      createdAt: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(NOTICE_ACTIONS)),
});
export type NoticeDetail = z.infer<typeof noticeDetailSchema>;

export const audiencePreviewSchema = z.object({
  count: z.number().int(),
  /** the first enterprises reached, by name */
  sample: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      industry: z.string().nullable(),
      gridName: z.string(),
      rating: z.string().nullable(),
      warningLevel: z.string(),
    }),
  ),
  /** hand-picked enterprises that are not in the sender's area (left out) */
  outOfScope: z.number().int(),
});
export type AudiencePreview = z.infer<typeof audiencePreviewSchema>;

export const RECIPIENT_STATES = [
  "read",
  "unread",
  "acknowledged",
  "unacknowledged",
  "overdue",
] as const;

export const recipientListQuery = z.object({
  state: z.enum(RECIPIENT_STATES).optional(),
  q: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const noticeRecipientSchema = z.object({
  organisationId: z.string(),
  name: z.string(),
  industry: z.string().nullable(),
  grid: z.object({ code: z.string(), name: z.string() }),
  safetyOfficer: z.string().nullable(),
  readAt: z.string().nullable(),
  readBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  lastRemindedAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type NoticeRecipient = z.infer<typeof noticeRecipientSchema>;

export const remindResultSchema = z.object({
  /** enterprises reminded (those that have not read it) */
  enterprises: z.number().int(),
  /** people notified (their officers) */
  users: z.number().int(),
  nextReminderAt: z.string(),
});

// ------------------------------------------------------- mediation requests

export const MEDIATION_STATUSES = [
  "pending",
  "accepted",
  "declined",
  "withdrawn",
  "closed",
] as const;
export type MediationStatus = (typeof MEDIATION_STATUSES)[number];
export const MEDIATION_STATUS_NAMES: Record<MediationStatus, string> = {
  pending: "待受理",
  accepted: "调解中",
  declined: "已婉拒",
  withdrawn: "已撤回",
  closed: "已结束",
};

export const MEDIATION_OUTCOMES = ["success", "partial", "failed"] as const;
export type MediationOutcome = (typeof MEDIATION_OUTCOMES)[number];
export const MEDIATION_OUTCOME_NAMES: Record<MediationOutcome, string> = {
  success: "调解成功",
  partial: "部分达成",
  failed: "未达成",
};

/** The steps of a request; each is `POST /api/mediation-requests/:id/<action>`. */
export const MEDIATION_ACTIONS = [
  "accept",
  "decline",
  "withdraw",
  "record_session",
  "close",
] as const;
export type MediationAction = (typeof MEDIATION_ACTIONS)[number];

export const createMediationBody = z.strictObject({
  /** the enterprise asking (an officer of several must say which) */
  enterpriseId: id.optional(),
  associationId: id,
  subject: z
    .string()
    .trim()
    .min(4, "请用一句话概括纠纷（至少 4 个字）/ summarise the dispute (4+ characters)")
    .max(100),
  description: z
    .string()
    .trim()
    .min(10, "请描述纠纷经过（至少 10 个字）/ describe the dispute (10+ characters)")
    .max(4000),
  peopleInvolved: z
    .number()
    .int("涉及人数应为整数 / a whole number")
    .min(1, "涉及人数至少 1 人 / at least one person")
    .max(100_000),
  /** where the workers involved come from (provinces), to match hometown associations */
  workerProvinces: z.array(z.string().trim().min(2).max(20)).max(10).default([]),
  /** one of the enterprise's cases this dispute belongs to */
  caseId: id.optional(),
});
export type CreateMediationBody = z.infer<typeof createMediationBody>;

export const mediationActionBody = z.strictObject({
  /** the version the caller saw; a newer one means someone acted first */
  version: z.number().int().min(1),
  note: z.string().trim().max(4000).optional(),
  /** decline: why */
  reason: z.string().trim().max(1000).optional(),
  /** close: how it ended */
  outcome: z.enum(MEDIATION_OUTCOMES).optional(),
  /** record_session: when the session was held (default: now) */
  heldAt: z.iso
    .datetime({ offset: true, error: "时间格式应为 ISO 时间 / heldAt must be an ISO time" })
    .optional(),
  /** record_session: where */
  place: z.string().trim().max(100).optional(),
  /** record_session: how many people took part */
  attendees: z.number().int().min(1).max(100_000).optional(),
});
export type MediationActionBody = z.infer<typeof mediationActionBody>;

export const mediationListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  status: z.enum(MEDIATION_STATUSES).optional(),
  /** pending or accepted */
  open: flag,
  enterpriseId: id.optional(),
  associationId: id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

const orgRef = z.object({ id: z.string(), name: z.string() });

export const mediationSummarySchema = z.object({
  id: z.string(),
  enterprise: orgRef,
  association: orgRef,
  subject: z.string(),
  peopleInvolved: z.number().int(),
  status: z.enum(MEDIATION_STATUSES),
  outcome: z.enum(MEDIATION_OUTCOMES).nullable(),
  sessions: z.number().int(),
  case: z.object({ id: z.string(), code: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type MediationSummary = z.infer<typeof mediationSummarySchema>;

export const mediationDetailSchema = mediationSummarySchema.extend({
  description: z.string(),
  workerProvinces: z.array(z.string()),
  declineReason: z.string().nullable(),
  outcomeNote: z.string().nullable(),
  createdBy: z.string(),
  acceptedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  timeline: z.array(
    z.object({
      id: z.string(),
      action: z.string(),
      fromStatus: z.enum(MEDIATION_STATUSES).nullable(),
      toStatus: z.enum(MEDIATION_STATUSES).nullable(),
      actor: z.string(),
      note: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
      createdAt: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(MEDIATION_ACTIONS)),
});
export type MediationDetail = z.infer<typeof mediationDetailSchema>;

export const associationSuggestionQuery = z.object({
  q: z.string().trim().max(64).optional(),
  /** provinces of the workers involved; default: where the enterprise's workforce comes from */
  provinces: z
    .string()
    .max(400)
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
            .slice(0, 10)
        : [],
    ),
  enterpriseId: id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ASSOCIATION_MATCHES = ["province", "sector", "other"] as const;

export const associationSuggestionSchema = z.object({
  id: z.string(),
  name: z.string(),
  associationKind: z.enum(["hometown", "trade", "new_citizen", "social"]).nullable(),
  provinces: z.array(z.string()),
  dialects: z.array(z.string()),
  sectors: z.array(z.string()),
  /** why it is suggested: the workers' home province, the enterprise's trade, or neither */
  match: z.enum(ASSOCIATION_MATCHES),
  /** the enterprise's workers from the association's provinces */
  matchedWorkers: z.number().int(),
});
export type AssociationSuggestion = z.infer<typeof associationSuggestionSchema>;

export const associationSuggestionList = z.object({
  items: z.array(associationSuggestionSchema),
  total: z.number().int(),
  /** the provinces matched against, most workers first */
  provinces: z.array(z.object({ province: z.string(), workers: z.number().int() })),
});
