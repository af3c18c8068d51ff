/**
 * The wire shapes of targeted broadcasts (issue 8, item 9): a notice from
 * government to people — the residents of an area, the employees of chosen
 * enterprises, or the volunteers of an area or team — in the app and by
 * SMS, with counts of how it went. Nobody's phone number or name ever
 * appears here: issuers see counts only. Shared by the server and the web.
 */
import { z } from "zod";

const id = z.string().regex(/^\d{1,18}$/, "编号无效 / id must be a number");
const areaCode = z
  .string()
  .regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area codes are 6–18 digits");

export const BROADCAST_CATEGORIES = [
  "anti_fraud",
  "safety",
  "emergency",
  "policy",
  "other",
] as const;
export type BroadcastCategory = (typeof BROADCAST_CATEGORIES)[number];
/** As the district says them (SMS text, the bell); the web app has its own i18n. */
export const BROADCAST_CATEGORY_NAMES: Record<BroadcastCategory, string> = {
  anti_fraud: "反诈提醒",
  safety: "安全提示",
  emergency: "紧急通知",
  policy: "政策宣传",
  other: "通知",
};

export const BROADCAST_STATUSES = ["draft", "sending", "sent"] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

export const AUDIENCE_KINDS = ["residents", "employees", "volunteers"] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

/**
 * Who a broadcast reaches, always inside the sender's area: the residents
 * living in an area (`areaCode`), the current employees of the enterprises
 * picked (`enterpriseIds`), or the active volunteers of an area (`areaCode`)
 * or of one team (`teamId`).
 */
export const broadcastAudience = z
  .strictObject({
    kind: z.enum(AUDIENCE_KINDS, {
      error: "接收对象应为 residents、employees 或 volunteers / kind must be one of those",
    }),
    areaCode: areaCode.optional(),
    enterpriseIds: z
      .array(id)
      .max(500, "最多选择 500 家企业 / at most 500 enterprises")
      .default([]),
    teamId: id.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.kind === "residents" && !a.areaCode)
      ctx.addIssue({
        code: "custom",
        path: ["areaCode"],
        message: "请选择居民所在的区域 / choose the area the residents live in",
      });
    if (a.kind === "employees" && a.enterpriseIds.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["enterpriseIds"],
        message: "请选择企业 / choose the enterprises",
      });
    if (a.kind === "volunteers" && !a.areaCode === !a.teamId)
      ctx.addIssue({
        code: "custom",
        path: ["areaCode"],
        message: "请选择志愿者所在的区域或一支队伍（二选一）/ choose an area or a team, not both",
      });
    if (a.kind !== "employees" && a.enterpriseIds.length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["enterpriseIds"],
        message: "只有企业员工需要选择企业 / enterprises belong to an employees audience",
      });
    if (a.kind === "employees" && (a.areaCode || a.teamId))
      ctx.addIssue({
        code: "custom",
        path: ["areaCode"],
        message: "企业员工按企业选择，不按区域或队伍 / employees are chosen by enterprise",
      });
    if (a.kind === "residents" && a.teamId)
      ctx.addIssue({
        code: "custom",
        path: ["teamId"],
        message: "居民按区域选择 / residents are chosen by area",
      });
  });
export type BroadcastAudience = z.infer<typeof broadcastAudience>;
export type BroadcastAudienceInput = z.input<typeof broadcastAudience>;

const title = z
  .string()
  .trim()
  .min(2, "请填写标题（至少 2 个字）/ a title of at least 2 characters")
  .max(60, "标题最多 60 个字 / at most 60 characters");
const body = z
  .string()
  .trim()
  .min(5, "请填写正文（至少 5 个字）/ a text of at least 5 characters")
  .max(500, "正文最多 500 个字（短信会分条发送）/ at most 500 characters");

export const createBroadcastBody = z.strictObject({
  title,
  body,
  category: z.enum(BROADCAST_CATEGORIES, { error: "请选择类别 / choose a category" }),
  /** also by SMS to those with a phone number */
  sms: z.boolean().default(true),
  audience: broadcastAudience,
});
export type CreateBroadcastBody = z.infer<typeof createBroadcastBody>;
export type CreateBroadcastInput = z.input<typeof createBroadcastBody>;

/** Changes to a draft; `version` is the one the editor saw. */
export const updateBroadcastBody = z
  .strictObject({
    version: z.number().int().min(1),
    title: title.optional(),
    body: body.optional(),
    category: z.enum(BROADCAST_CATEGORIES).optional(),
    sms: z.boolean().optional(),
    audience: broadcastAudience.optional(),
  })
  .refine((b) => Object.keys(b).length > 1, "没有要修改的内容 / nothing to change");
export type UpdateBroadcastBody = z.infer<typeof updateBroadcastBody>;

export const broadcastVersionBody = z.strictObject({ version: z.number().int().min(1) });

export const broadcastPreviewBody = z.strictObject({
  audience: broadcastAudience,
  sms: z.boolean().default(true),
});

/** How many people an audience reaches now, by channel — counts, never a list. */
export const audienceCountsSchema = z.object({
  /** people reached by at least one channel */
  targeted: z.number().int(),
  /** with an account: in the app */
  inApp: z.number().int(),
  /** with a phone number (when SMS is on) */
  sms: z.number().int(),
  /** in the app and by SMS */
  both: z.number().int(),
  /** neither an account nor (with SMS on) a phone: not reached */
  unreachable: z.number().int(),
});
export type AudienceCounts = z.infer<typeof audienceCountsSchema>;

export const broadcastListQuery = z.object({
  q: z.string().trim().max(60).optional(),
  status: z.enum(BROADCAST_STATUSES).optional(),
  category: z.enum(BROADCAST_CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type BroadcastListQuery = z.infer<typeof broadcastListQuery>;

export const deliveryCountsSchema = z.object({
  targeted: z.number().int(),
  /** processed by the delivery job so far */
  delivered: z.number().int(),
  inApp: z.number().int(),
  smsSent: z.number().int(),
  /** SMS the gateway refused, or people no channel reached any more */
  failed: z.number().int(),
  read: z.number().int(),
  unreachable: z.number().int(),
});
export type DeliveryCounts = z.infer<typeof deliveryCountsSchema>;

export const BROADCAST_ACTIONS = ["edit", "delete", "send"] as const;
export type BroadcastAction = (typeof BROADCAST_ACTIONS)[number];

export const broadcastSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(BROADCAST_CATEGORIES),
  status: z.enum(BROADCAST_STATUSES),
  issuer: z.string(),
  audienceKind: z.enum(AUDIENCE_KINDS),
  /** "狮山街道 居民" — the audience in words */
  audienceLabel: z.string(),
  sms: z.boolean(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  counts: deliveryCountsSchema,
});
export type BroadcastSummary = z.infer<typeof broadcastSummarySchema>;

export const broadcastDetailSchema = broadcastSummarySchema.extend({
  body: z.string(),
  audience: z.object({
    kind: z.enum(AUDIENCE_KINDS),
    areaCode: z.string().nullable(),
    areaName: z.string().nullable(),
    teamId: z.string().nullable(),
    teamName: z.string().nullable(),
    enterprises: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
  createdBy: z.string(),
  sentBy: z.string().nullable(),
  log: z.array(
    z.object({
      id: z.string(),
      action: z.string(),
      actor: z.string(),
      details: z.record(z.string(), z.unknown()),
      createdAt: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(BROADCAST_ACTIONS)),
  version: z.number().int(),
});
export type BroadcastDetail = z.infer<typeof broadcastDetailSchema>;

/** What a recipient sees: the message, who sent it, and whether they have read it. */
export const receivedBroadcastSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  category: z.enum(BROADCAST_CATEGORIES),
  issuer: z.string(),
  sentAt: z.string(),
  readAt: z.string().nullable(),
});
export type ReceivedBroadcast = z.infer<typeof receivedBroadcastSchema>;

export const myBroadcastsQuery = z.object({
  unread: z.enum(["true", "false"]).default("false"),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  offset: z.coerce.number().int().min(0).default(0),
});

export const myBroadcastsSchema = z.object({
  items: z.array(receivedBroadcastSchema),
  total: z.number().int(),
  unread: z.number().int(),
});
export type MyBroadcasts = z.infer<typeof myBroadcastsSchema>;

/** GET /api/broadcasts/:id answers the issuer's view or the recipient's. */
export const broadcastViewSchema = z.discriminatedUnion("view", [
  z.object({ view: z.literal("issuer"), broadcast: broadcastDetailSchema }),
  z.object({ view: z.literal("recipient"), broadcast: receivedBroadcastSchema }),
]);
export type BroadcastView = z.infer<typeof broadcastViewSchema>;
