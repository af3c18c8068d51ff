/**
 * The wire shapes of joint meetings (联席会议) and the bounce agenda: meetings
 * with their participants, agenda, minutes and decisions (action items with
 * owners and deadlines), the agenda candidates the data suggests, the ruling
 * on a bounced case, and the district's bounce threshold. Shared by the
 * server (validation, OpenAPI) and the web forms.
 */
import { z } from "zod";

const id = z.string().regex(/^\d{1,18}$/, "id must be a number");
const isoDate = z.iso.date("日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
const flag = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();
const areaCode = z
  .string()
  .regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area codes are 6–18 digits");

/** Returns or reassignments beyond this many (since the last ruling) make a case "bounced". */
export const DEFAULT_BOUNCE_THRESHOLD = 2;
export const BOUNCE_THRESHOLD_MIN = 1;
export const BOUNCE_THRESHOLD_MAX = 20;

export const MEETING_STATUSES = ["scheduled", "held", "closed", "cancelled"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const AGENDA_KINDS = [
  "bounced_case",
  "supervised_case",
  "proposal",
  "warning",
  "other",
] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];
/** The kinds the data suggests (GET /api/meetings/agenda-candidates). */
export const CANDIDATE_KINDS = ["bounced_case", "supervised_case", "proposal", "warning"] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

export const AGENDA_STATUSES = ["open", "concluded", "dropped"] as const;
export type AgendaStatus = (typeof AGENDA_STATUSES)[number];

export const ACTION_ITEM_STATUSES = ["open", "done", "cancelled"] as const;
/** How an action item stands today: its status, with "overdue" for an open one past its day. */
export const ACTION_ITEM_STATES = ["open", "overdue", "done", "cancelled"] as const;
export type ActionItemState = (typeof ACTION_ITEM_STATES)[number];

/** What the caller may do with a meeting now (the UI enables buttons by these). */
export const MEETING_ACTIONS = [
  "edit",
  "cancel",
  "hold",
  "minutes",
  "close",
  "agenda",
  "decide",
] as const;
export type MeetingAction = (typeof MEETING_ACTIONS)[number];

export const AGENDA_ITEM_ACTIONS = ["conclude", "drop", "rule"] as const;
export type AgendaItemAction = (typeof AGENDA_ITEM_ACTIONS)[number];

export const ACTION_ITEM_ACTIONS = ["complete", "reopen", "cancel", "edit"] as const;
export type ActionItemAction = (typeof ACTION_ITEM_ACTIONS)[number];

// ------------------------------------------------------------------ bodies

const title = z
  .string()
  .trim()
  .min(2, "请填写会议名称（至少 2 个字）/ a title of at least 2 characters")
  .max(100, "会议名称最多 100 个字 / at most 100 characters");
const place = z
  .string()
  .trim()
  .min(2, "请填写会议地点 / the place is required")
  .max(100, "地点最多 100 个字 / at most 100 characters");
const scheduledAt = z.iso.datetime({
  offset: true,
  message: "请填写会议时间 / the time is required",
});
const version = z.number().int().min(1);

export const participantsInput = z
  .strictObject({
    departmentIds: z.array(id).max(50, "最多邀请 50 个部门 / at most 50 departments").default([]),
    organisationIds: z
      .array(id)
      .max(50, "最多邀请 50 家企业或协会 / at most 50 organisations")
      .default([]),
  })
  .refine((p) => p.departmentIds.length + p.organisationIds.length > 0, {
    message: "请至少邀请一个参会单位 / invite at least one participant",
    path: ["departmentIds"],
  });
export type ParticipantsInput = z.input<typeof participantsInput>;

export const createMeetingBody = z.strictObject({
  /** the area whose coordination centre calls the meeting (default: the caller's widest) */
  areaId: id.optional(),
  title,
  scheduledAt,
  place,
  participants: participantsInput,
});
export type CreateMeetingBody = z.infer<typeof createMeetingBody>;

/** Changes to a scheduled meeting; `version` is the one the editor saw (409 if it changed). */
export const updateMeetingBody = z
  .strictObject({
    version,
    title: title.optional(),
    scheduledAt: scheduledAt.optional(),
    place: place.optional(),
    participants: participantsInput.optional(),
  })
  .refine((b) => Object.keys(b).length > 1, "没有要修改的内容 / nothing to change");
export type UpdateMeetingBody = z.infer<typeof updateMeetingBody>;

export const meetingVersionBody = z.strictObject({ version });

export const cancelMeetingBody = z.strictObject({
  version,
  reason: z.string().trim().min(2, "请填写取消原因 / give the reason").max(500),
});

export const minutesBody = z.strictObject({
  version,
  minutes: z.string().trim().max(20_000, "纪要最多 20000 字 / at most 20,000 characters"),
  /** who came: participant ids and whether they attended */
  attendance: z
    .array(z.strictObject({ participantId: id, attended: z.boolean() }))
    .max(100)
    .optional(),
});
export type MinutesBody = z.infer<typeof minutesBody>;

/**
 * An item for the agenda: a candidate the data suggests (its kind and the
 * record), a topic of the coordinator's own (`other`, with a title), or an
 * item of the pool (`poolItemId`).
 */
export const addAgendaBody = z
  .strictObject({
    kind: z.enum(AGENDA_KINDS),
    caseId: id.optional(),
    proposalId: id.optional(),
    organisationId: id.optional(),
    title: z.string().trim().min(2, "请填写议题 / the topic is required").max(200).optional(),
    reason: z.string().trim().max(1000).optional(),
    /** a carried-over item waiting in the area's pool (the rest is then ignored) */
    poolItemId: id.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.poolItemId) return;
    const need = (k: "caseId" | "proposalId" | "organisationId", message: string) => {
      if (!b[k]) ctx.addIssue({ code: "custom", path: [k], message });
    };
    if (b.kind === "bounced_case" || b.kind === "supervised_case")
      need("caseId", "请选择事件 / choose the case");
    if (b.kind === "proposal") need("proposalId", "请选择提案 / choose the proposal");
    if (b.kind === "warning") need("organisationId", "请选择企业 / choose the enterprise");
    if (b.kind === "other" && !b.title)
      ctx.addIssue({
        code: "custom",
        path: ["title"],
        message: "请填写议题 / the topic is required",
      });
  });
export type AddAgendaBody = z.infer<typeof addAgendaBody>;

export const concludeAgendaBody = z.strictObject({
  version,
  outcome: z.string().trim().min(2, "请填写议定结果 / record what was agreed").max(2000),
});

export const dropAgendaBody = z.strictObject({
  version,
  reason: z.string().trim().min(2, "请填写移出议程的原因 / give the reason").max(500),
});

/** An assisting party of a ruling: a department or an organisation. */
export const rulingParty = z.union([
  z.strictObject({ departmentId: id }),
  z.strictObject({ organisationId: id }),
]);

/** The routing rule a ruling may save: for this category, in this area, lead by department or by its kind. */
export const rulingRuleInput = z.strictObject({
  /** the case's category or its family */
  categoryCode: z.string().min(1, "请选择事件类别 / choose a category").max(60),
  /** null: the whole district */
  areaCode: areaCode.nullable(),
  /** route to the lead's kind (属地) rather than to this one department */
  byKind: z.boolean().default(false),
  note: z.string().trim().max(500).optional(),
});
export type RulingRuleInput = z.input<typeof rulingRuleInput>;

export const rulingPreviewBody = z.strictObject({
  leadDepartmentId: id,
  assist: z.array(rulingParty).max(10).default([]),
  rule: rulingRuleInput,
});
export type RulingPreviewBody = z.infer<typeof rulingPreviewBody>;

export const rulingBody = z.strictObject({
  /** the agenda item's version the arbiter saw */
  version,
  /** the case's version the arbiter saw (409 if it moved meanwhile) */
  caseVersion: version,
  leadDepartmentId: id,
  assist: z.array(rulingParty).max(10).default([]),
  /** the assisting parties' task */
  task: z.string().trim().max(200).optional(),
  /** the ruling as it goes on the case's timeline and in the minutes */
  note: z.string().trim().min(2, "请填写裁定意见 / write the ruling").max(1000),
  /** also save the ruling as a routing rule */
  saveRule: rulingRuleInput.optional(),
});
export type RulingBody = z.infer<typeof rulingBody>;

const actionTitle = z
  .string()
  .trim()
  .min(2, "请填写督办事项（至少 2 个字）/ describe the action (at least 2 characters)")
  .max(200, "督办事项最多 200 个字 / at most 200 characters");

export const createActionItemBody = z
  .strictObject({
    title: actionTitle,
    ownerDepartmentId: id.optional(),
    ownerOrganisationId: id.optional(),
    dueOn: isoDate,
    agendaItemId: id.optional(),
  })
  .refine((b) => !b.ownerDepartmentId !== !b.ownerOrganisationId, {
    message: "请选择一个责任单位（部门或企业、协会）/ choose one owner",
    path: ["ownerDepartmentId"],
  });
export type CreateActionItemBody = z.infer<typeof createActionItemBody>;

export const updateActionItemBody = z
  .strictObject({
    version,
    title: actionTitle.optional(),
    ownerDepartmentId: id.optional(),
    ownerOrganisationId: id.optional(),
    dueOn: isoDate.optional(),
  })
  .refine((b) => !(b.ownerDepartmentId && b.ownerOrganisationId), {
    message: "只能选择一个责任单位 / one owner only",
    path: ["ownerDepartmentId"],
  })
  .refine((b) => Object.keys(b).length > 1, "没有要修改的内容 / nothing to change");

export const completeActionItemBody = z.strictObject({
  version,
  note: z.string().trim().min(2, "请填写办理结果 / describe what was done").max(2000),
});

export const reopenActionItemBody = z.strictObject({
  version,
  note: z.string().trim().min(2, "请填写重新办理的理由 / give the reason").max(1000),
});

export const cancelActionItemBody = z.strictObject({
  version,
  reason: z.string().trim().min(2, "请填写撤销原因 / give the reason").max(500),
});

export const meetingSettingsBody = z.strictObject({
  version: version.optional(),
  bounceThreshold: z
    .number()
    .int()
    .min(BOUNCE_THRESHOLD_MIN, "次数为 1–20 / 1 to 20 times")
    .max(BOUNCE_THRESHOLD_MAX, "次数为 1–20 / 1 to 20 times"),
});

// ------------------------------------------------------------------ queries

export const MEETING_SORTS = ["scheduledAt", "-scheduledAt"] as const;

export const meetingListQuery = z.object({
  /** coordinators: the area (default: their widest); ignored for participants */
  areaId: id.optional(),
  status: z.enum(MEETING_STATUSES).optional(),
  q: z.string().trim().max(64).optional(),
  /** scheduled on or after / before this day (China time) */
  from: isoDate.optional(),
  to: isoDate.optional(),
  sort: z.enum(MEETING_SORTS).default("-scheduledAt"),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type MeetingListQuery = z.infer<typeof meetingListQuery>;

export const agendaCandidatesQuery = z.object({
  areaId: id.optional(),
  kind: z.enum(CANDIDATE_KINDS).optional(),
});

export const ACTION_ITEM_SORTS = ["dueOn", "-dueOn", "newest"] as const;

export const actionItemListQuery = z.object({
  meetingId: id.optional(),
  /** only those owned by the caller's department or organisation */
  mine: flag,
  state: z.enum(ACTION_ITEM_STATES).optional(),
  ownerDepartmentId: id.optional(),
  ownerOrganisationId: id.optional(),
  q: z.string().trim().max(64).optional(),
  sort: z.enum(ACTION_ITEM_SORTS).default("dueOn"),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ActionItemListQuery = z.infer<typeof actionItemListQuery>;

// ---------------------------------------------------------------- responses

const ref = z.object({ id: z.string(), name: z.string() });
const areaRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const participantSchema = z.object({
  id: z.string(),
  kind: z.enum(["department", "enterprise", "association"]),
  /** the department's or organisation's id */
  refId: z.string(),
  name: z.string(),
  attended: z.boolean().nullable(),
});
export type Participant = z.infer<typeof participantSchema>;

/** The record an agenda item is about, for a link. */
export const agendaLinkSchema = z
  .object({
    type: z.enum(["case", "proposal", "enterprise"]),
    id: z.string(),
    label: z.string(),
  })
  .nullable();

export const rulingSchema = z.object({
  lead: ref,
  assist: z.array(ref),
  note: z.string(),
  /** the step on the case: dispatch, reassign, or comment (the lead was confirmed) */
  caseAction: z.enum(["dispatch", "reassign", "comment"]),
  caseCode: z.string(),
  rule: z
    .object({ id: z.string(), categoryCode: z.string(), areaCode: z.string().nullable() })
    .nullable(),
});
export type Ruling = z.infer<typeof rulingSchema>;

export const agendaItemSchema = z.object({
  id: z.string(),
  meetingId: z.string().nullable(),
  kind: z.enum(AGENDA_KINDS),
  title: z.string(),
  /** why it is on the agenda; coordinators only */
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  link: agendaLinkSchema,
  source: z.enum(["detector", "manual"]),
  status: z.enum(AGENDA_STATUSES),
  outcome: z.string().nullable(),
  ruling: rulingSchema.nullable(),
  settledAt: z.string().nullable(),
  settledBy: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  version: z.number().int(),
  allowedActions: z.array(z.enum(AGENDA_ITEM_ACTIONS)),
});
export type AgendaItem = z.infer<typeof agendaItemSchema>;

export const actionItemSchema = z.object({
  id: z.string(),
  meeting: z.object({ id: z.string(), title: z.string(), scheduledAt: z.string() }),
  agendaItemId: z.string().nullable(),
  title: z.string(),
  owner: z.object({
    kind: z.enum(["department", "enterprise", "association"]),
    id: z.string(),
    name: z.string(),
  }),
  dueOn: z.string(),
  status: z.enum(ACTION_ITEM_STATUSES),
  state: z.enum(ACTION_ITEM_STATES),
  doneNote: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  version: z.number().int(),
  allowedActions: z.array(z.enum(ACTION_ITEM_ACTIONS)),
});
export type ActionItem = z.infer<typeof actionItemSchema>;

export const meetingSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  area: areaRef,
  scheduledAt: z.string(),
  place: z.string(),
  status: z.enum(MEETING_STATUSES),
  participantCount: z.number().int(),
  agendaCount: z.number().int(),
  openAgendaCount: z.number().int(),
  actionItems: z.object({
    total: z.number().int(),
    open: z.number().int(),
    overdue: z.number().int(),
    done: z.number().int(),
  }),
  version: z.number().int(),
});
export type MeetingSummary = z.infer<typeof meetingSummarySchema>;

export const meetingLogEntrySchema = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.string(),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const meetingDetailSchema = meetingSummarySchema.extend({
  /** coordinator: runs the meeting; participant: invited (reads, answers own action items) */
  view: z.enum(["coordinator", "participant"]),
  participants: z.array(participantSchema),
  agenda: z.array(agendaItemSchema),
  minutes: z.string().nullable(),
  cancelReason: z.string().nullable(),
  heldAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  actionItemList: z.array(actionItemSchema),
  log: z.array(meetingLogEntrySchema),
  allowedActions: z.array(z.enum(MEETING_ACTIONS)),
});
export type MeetingDetail = z.infer<typeof meetingDetailSchema>;

export const agendaCandidateSchema = z.object({
  kind: z.enum(CANDIDATE_KINDS),
  /** what to send as POST /api/meetings/:id/agenda */
  ref: z.object({
    caseId: z.string().optional(),
    proposalId: z.string().optional(),
    organisationId: z.string().optional(),
  }),
  title: z.string(),
  /** why it is suggested, as people read it */
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
  link: agendaLinkSchema,
  /** already on an agenda (or waiting in the pool): where */
  onAgenda: z
    .object({
      itemId: z.string(),
      meetingId: z.string().nullable(),
      meetingTitle: z.string().nullable(),
    })
    .nullable(),
});
export type AgendaCandidate = z.infer<typeof agendaCandidateSchema>;

export const agendaCandidatesSchema = z.object({
  area: areaRef,
  bounceThreshold: z.number().int(),
  items: z.array(agendaCandidateSchema),
  /** how many of each kind the data holds (the list shows the first of each) */
  totals: z.record(z.enum(CANDIDATE_KINDS), z.number().int()),
});
export type AgendaCandidates = z.infer<typeof agendaCandidatesSchema>;

/** What a ruling would do: the case, and where such cases go now and with the rule. */
export const rulingPreviewSchema = z.object({
  case: z.object({
    id: z.string(),
    code: z.string(),
    status: z.string(),
    lead: ref.nullable(),
    /** the step the ruling will take on the case */
    caseAction: z.enum(["dispatch", "reassign", "comment"]),
  }),
  rule: z.object({
    categoryCode: z.string(),
    categoryName: z.string(),
    area: z.object({ code: z.string(), name: z.string() }).nullable(),
    lead: z.string(),
    assist: z.array(z.string()),
  }),
  /** where a case like this one is routed by the list as it is */
  current: z.object({ lead: ref.nullable(), ruleId: z.string().nullable() }),
  /** …and with the rule saved */
  withRule: z.object({ lead: ref.nullable(), assist: z.array(z.string()), wins: z.boolean() }),
});
export type RulingPreview = z.infer<typeof rulingPreviewSchema>;

/** The areas and categories a ruling's rule may name, for a case item. */
export const rulingContextSchema = z.object({
  case: z.object({
    id: z.string(),
    code: z.string(),
    status: z.string(),
    version: z.number().int(),
    categoryCode: z.string(),
    categoryName: z.string(),
    family: z.object({ code: z.string(), name: z.string() }).nullable(),
    lead: ref.nullable(),
    parties: z.array(z.object({ role: z.string(), name: z.string() })),
  }),
  /** the case's grid and the areas above it, widest first */
  areas: z.array(z.object({ code: z.string(), name: z.string(), level: z.string() })),
});
export type RulingContext = z.infer<typeof rulingContextSchema>;

export const meetingSettingsSchema = z.object({
  bounceThreshold: z.number().int(),
  version: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
  editable: z.boolean(),
});
export type MeetingSettings = z.infer<typeof meetingSettingsSchema>;

export const rulingResultSchema = z.object({
  item: agendaItemSchema,
  caseId: z.string(),
  ruleId: z.string().nullable(),
});
