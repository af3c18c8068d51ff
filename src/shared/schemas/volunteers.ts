/**
 * The wire shapes of volunteering (issue 7, part V1): volunteer profiles,
 * teams and training, shifts with geofenced check-in/out, observations that
 * become cases, service hours and their verification, and hometown mediation
 * (以新调新). Shared by the server (validation, OpenAPI) and the web forms.
 */
import { z } from "zod";

const id = z.string().regex(/^\d{1,18}$/, "id 应为数字 / id must be a number");
const areaCode = z
  .string()
  .regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area code: 6–18 digits");

/** What a volunteer can do (fixed list; labels in the web app's i18n). */
export const VOLUNTEER_SKILLS = [
  "patrol",
  "mediation",
  "first_aid",
  "fire_safety",
  "legal_aid",
  "interpreting",
  "publicity",
  "elderly_care",
  "child_care",
  "psychological_support",
  "labour_rights",
  "it_support",
  "driving",
] as const;
export type VolunteerSkill = (typeof VOLUNTEER_SKILLS)[number];

/** Languages besides Chinese dialects. */
export const VOLUNTEER_LANGUAGES = [
  "普通话",
  "英语",
  "日语",
  "韩语",
  "维吾尔语",
  "藏语",
  "蒙古语",
  "彝语",
  "壮语",
  "手语",
] as const;

/** Chinese dialect groups, as associations list them. */
export const DIALECTS = [
  "中原官话",
  "江淮官话",
  "西南官话",
  "冀鲁官话",
  "胶辽官话",
  "东北官话",
  "兰银官话",
  "晋语",
  "吴语",
  "赣语",
  "湘语",
  "客家话",
  "闽南语",
  "粤语",
] as const;

/** The dialects most people from a province speak: the default when a volunteer names none. */
export const PROVINCE_DIALECTS: Record<string, readonly string[]> = {
  安徽省: ["江淮官话", "中原官话"],
  河南省: ["中原官话"],
  山东省: ["冀鲁官话", "中原官话", "胶辽官话"],
  江苏省: ["江淮官话", "吴语"],
  四川省: ["西南官话"],
  重庆市: ["西南官话"],
  贵州省: ["西南官话"],
  云南省: ["西南官话"],
  湖北省: ["西南官话", "江淮官话"],
  湖南省: ["湘语", "西南官话"],
  江西省: ["赣语", "客家话"],
  河北省: ["冀鲁官话"],
  山西省: ["晋语", "中原官话"],
  陕西省: ["中原官话", "晋语"],
  甘肃省: ["中原官话", "兰银官话"],
  浙江省: ["吴语"],
  福建省: ["闽南语", "客家话"],
  广东省: ["粤语", "客家话"],
  广西壮族自治区: ["西南官话", "粤语"],
  黑龙江省: ["东北官话"],
  吉林省: ["东北官话"],
  辽宁省: ["东北官话", "胶辽官话"],
};

export const TIME_SLOTS = ["morning", "afternoon", "evening"] as const;
export const VOLUNTEER_STATUSES = ["active", "suspended", "withdrawn"] as const;
export const TEAM_KINDS = ["community", "enterprise", "association"] as const;
export const TEAM_ROLES = ["member", "leader"] as const;
export const SHIFT_KINDS = ["patrol", "mediation", "publicity", "visit"] as const;
export type ShiftKind = (typeof SHIFT_KINDS)[number];
export const SIGNUP_STATUSES = ["signed_up", "checked_in", "checked_out", "cancelled"] as const;
export const HOURS_STATUSES = ["pending", "verified", "rejected"] as const;
/**
 * Who closed an attendance: the volunteer on their phone, the system (the
 * shift-checkouts job, at the shift's end, 2 hours after it — flagged 未签退
 * for the verifier), or the verifier who set the real check-out time.
 */
export const CHECKOUT_SOURCES = ["volunteer", "auto", "verifier"] as const;
export type CheckoutSource = (typeof CHECKOUT_SOURCES)[number];

/** The rules of a shift, shared so the forms can say them before the server does. */
export const SHIFT_RULES = {
  /** a check-in still open this long after its shift's end is closed by the system (at the end) */
  autoCheckoutAfterHours: 2,
  /** longest time window */
  maxHours: 12,
  /** check-in opens this long before the start */
  checkInEarlyMinutes: 30,
  /** default widening of the area's boundary for check-in, metres */
  defaultFenceToleranceM: 100,
  maxCapacity: 200,
} as const;

const names = (max: number, what: string) =>
  z
    .array(z.string().trim().min(1).max(20))
    .max(max, `${what}最多 ${max} 项 / at most ${max}`)
    .refine((a) => new Set(a).size === a.length, `${what}有重复 / duplicates in the list`);

export const availabilitySlot = z.strictObject({
  weekday: z.number().int().min(1, "星期为 1–7 / weekday 1–7").max(7, "星期为 1–7 / weekday 1–7"),
  slot: z.enum(TIME_SLOTS),
});

const profileFields = {
  skills: z
    .array(z.enum(VOLUNTEER_SKILLS, { error: "未知的技能 / unknown skill" }))
    .max(VOLUNTEER_SKILLS.length)
    .refine((a) => new Set(a).size === a.length, "技能有重复 / duplicate skills"),
  languages: names(10, "语言").refine(
    (a) => a.every((x) => (VOLUNTEER_LANGUAGES as readonly string[]).includes(x)),
    "未知的语言 / unknown language",
  ),
  dialects: names(10, "方言").refine(
    (a) => a.every((x) => (DIALECTS as readonly string[]).includes(x)),
    "未知的方言 / unknown dialect",
  ),
  /** where the volunteer comes from ("河南省"); defaults to the resident record's */
  originProvince: z.string().trim().min(2).max(20).nullable(),
  availability: z
    .array(availabilitySlot)
    .max(21)
    .refine(
      (a) => new Set(a.map((s) => `${s.weekday}${s.slot}`)).size === a.length,
      "时段有重复 / duplicate time slots",
    ),
  /** communities, the first one preferred */
  preferredAreaCodes: z
    .array(areaCode)
    .min(1, "请至少选择一个社区 / choose at least one community")
    .max(5, "最多选择 5 个社区 / at most 5 communities")
    .refine((a) => new Set(a).size === a.length, "社区有重复 / duplicate communities"),
  bio: z.string().trim().max(500, "简介不超过 500 字 / at most 500 characters").nullable(),
};

export const volunteerSignUpBody = z.strictObject({
  skills: profileFields.skills.min(1, "请至少选择一项技能 / choose at least one skill"),
  languages: profileFields.languages.default([]),
  dialects: profileFields.dialects.default([]),
  originProvince: profileFields.originProvince.optional(),
  availability: profileFields.availability.default([]),
  preferredAreaCodes: profileFields.preferredAreaCodes,
  bio: profileFields.bio.optional(),
});
export type VolunteerSignUpBody = z.infer<typeof volunteerSignUpBody>;

export const updateVolunteerBody = z
  .strictObject({
    version: z.number().int().min(1),
    skills: profileFields.skills
      .min(1, "请至少选择一项技能 / choose at least one skill")
      .optional(),
    languages: profileFields.languages.optional(),
    dialects: profileFields.dialects.optional(),
    originProvince: profileFields.originProvince.optional(),
    availability: profileFields.availability.optional(),
    preferredAreaCodes: profileFields.preferredAreaCodes.optional(),
    bio: profileFields.bio.optional(),
    /** the volunteer may step back (withdrawn) and return (active) */
    status: z.enum(["active", "withdrawn"]).optional(),
  })
  .refine((b) => Object.keys(b).length > 1, "没有要修改的内容 / nothing to change");

export const VOLUNTEER_SORTS = ["name", "-createdAt", "createdAt", "-hours"] as const;

export const volunteerListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  skill: z.enum(VOLUNTEER_SKILLS).optional(),
  dialect: z.string().trim().max(20).optional(),
  originProvince: z.string().trim().max(20).optional(),
  language: z.string().trim().max(20).optional(),
  areaCode: areaCode.optional(),
  teamId: id.optional(),
  status: z.enum(VOLUNTEER_STATUSES).optional(),
  weekday: z.coerce.number().int().min(1).max(7).optional(),
  slot: z.enum(TIME_SLOTS).optional(),
  sort: z.enum(VOLUNTEER_SORTS).default("name"),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

const areaRef = z.object({ code: z.string(), name: z.string() });

export const volunteerSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  status: z.enum(VOLUNTEER_STATUSES),
  skills: z.array(z.enum(VOLUNTEER_SKILLS)),
  languages: z.array(z.string()),
  dialects: z.array(z.string()),
  originProvince: z.string().nullable(),
  availability: z.array(availabilitySlot),
  preferredAreas: z.array(areaRef),
  bio: z.string().nullable(),
  teams: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(TEAM_ROLES) })),
  /** verified service minutes in total */
  verifiedMinutes: z.number().int(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Volunteer = z.infer<typeof volunteerSchema>;

export const trainingSchema = z.object({
  id: z.string(),
  title: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  validUntil: z.string().nullable(),
  certificateNo: z.string().nullable(),
  /** valid_until has passed */
  expired: z.boolean(),
  recordedBy: z.string().nullable(),
});

export const VOLUNTEER_ACTIONS = ["edit", "add_training"] as const;

export const volunteerDetailSchema = volunteerSchema.extend({
  training: z.array(trainingSchema),
  stats: z.object({
    signedUp: z.number().int(),
    attended: z.number().int(),
    pendingMinutes: z.number().int(),
    observations: z.number().int(),
  }),
  allowedActions: z.array(z.enum(VOLUNTEER_ACTIONS)),
});
export type VolunteerDetail = z.infer<typeof volunteerDetailSchema>;

/** GET /api/volunteers/me: the caller's profile, or what sign-up would start from. */
export const myVolunteerSchema = z.object({
  volunteer: volunteerDetailSchema.nullable(),
  /** sign-up defaults from the resident record (origin, its dialects, where they live) */
  suggestions: z.object({
    originProvince: z.string().nullable(),
    dialects: z.array(z.string()),
    community: areaRef.nullable(),
  }),
  /** teams the caller leads (they may record training and verify hours) */
  leads: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type MyVolunteer = z.infer<typeof myVolunteerSchema>;

export const createTrainingBody = z
  .strictObject({
    title: z.string().trim().min(2, "请填写培训名称 / title is required").max(80),
    issuer: z.string().trim().min(2, "请填写发证单位 / issuer is required").max(80),
    issuedOn: z.iso.date("日期格式应为 YYYY-MM-DD / date as YYYY-MM-DD"),
    validUntil: z.iso.date("日期格式应为 YYYY-MM-DD / date as YYYY-MM-DD").optional(),
    certificateNo: z.string().trim().max(40).optional(),
  })
  .refine((b) => !b.validUntil || b.validUntil >= b.issuedOn, {
    message: "有效期不能早于发证日期 / valid until must not be before the issue date",
    path: ["validUntil"],
  });

// ------------------------------------------------------------------ teams

export const createTeamBody = z.strictObject({
  name: z.string().trim().min(2, "请填写队伍名称 / name is required").max(60),
  kind: z.enum(TEAM_KINDS),
  /** the community the team works in */
  areaCode,
  /** enterprise and association teams: the organisation (defaults to the caller's own) */
  organisationId: id.optional(),
  description: z.string().trim().max(500).optional(),
});

export const teamListQuery = z.object({
  q: z.string().trim().max(64).optional(),
  kind: z.enum(TEAM_KINDS).optional(),
  areaCode: areaCode.optional(),
  /** only teams the caller may manage (plan shifts for, add members to) */
  manageable: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const TEAM_ACTIONS = ["manage_members", "plan_shift"] as const;

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(TEAM_KINDS),
  area: areaRef,
  organisation: z.object({ id: z.string(), name: z.string() }).nullable(),
  description: z.string().nullable(),
  members: z.number().int(),
  leaders: z.array(z.string()),
  createdAt: z.string(),
  allowedActions: z.array(z.enum(TEAM_ACTIONS)),
});
export type Team = z.infer<typeof teamSchema>;

export const teamMemberSchema = z.object({
  volunteerId: z.string(),
  name: z.string(),
  role: z.enum(TEAM_ROLES),
  joinedAt: z.string(),
  skills: z.array(z.enum(VOLUNTEER_SKILLS)),
  dialects: z.array(z.string()),
  verifiedMinutes: z.number().int(),
});

export const teamDetailSchema = teamSchema.extend({ memberList: z.array(teamMemberSchema) });
export type TeamDetail = z.infer<typeof teamDetailSchema>;

export const addMemberBody = z.strictObject({
  volunteerId: id,
  role: z.enum(TEAM_ROLES).default("member"),
});
export const updateMemberBody = z.strictObject({ role: z.enum(TEAM_ROLES) });
export const memberParams = z.object({ id, volunteerId: id });

// ----------------------------------------------------------------- shifts

const isoTime = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what}应为 ISO 时间 / ${what} must be an ISO time` });

export const createShiftBody = z
  .strictObject({
    kind: z.enum(SHIFT_KINDS),
    title: z.string().trim().min(2, "请填写标题 / title is required").max(80),
    description: z.string().trim().max(1000).optional(),
    /** a grid or a community: its boundary is the check-in fence */
    areaCode,
    startsAt: isoTime("开始时间"),
    endsAt: isoTime("结束时间"),
    capacity: z
      .number()
      .int()
      .min(1, "人数为 1–200 / capacity 1–200")
      .max(SHIFT_RULES.maxCapacity, "人数为 1–200 / capacity 1–200"),
    /** only the team's members may sign up */
    teamId: id.optional(),
    /** a follow-up visit (or a mediation) on this case */
    caseId: id.optional(),
    /** metres the fence reaches beyond the boundary (default 100) */
    fenceToleranceM: z.number().int().min(0).max(2000).optional(),
  })
  .refine((b) => b.kind !== "visit" || b.caseId !== undefined, {
    message: "回访须关联一个事件 / a follow-up visit needs its case",
    path: ["caseId"],
  });
export type CreateShiftBody = z.infer<typeof createShiftBody>;

export const SHIFT_VIEWS = ["open", "mine", "manage"] as const;

export const shiftListQuery = z.object({
  /** open: shifts I may sign up for; mine: my sign-ups; manage: those I plan or oversee */
  view: z.enum(SHIFT_VIEWS).default("open"),
  kind: z.enum(SHIFT_KINDS).optional(),
  areaCode: areaCode.optional(),
  /** a day (China time), YYYY-MM-DD */
  date: z.iso.date("日期格式应为 YYYY-MM-DD / date as YYYY-MM-DD").optional(),
  /** mine: upcoming (not ended) or past */
  when: z.enum(["upcoming", "past", "all"]).default("all"),
  teamId: id.optional(),
  /** nearest first from here (open view) */
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const SHIFT_ACTIONS = [
  "sign_up",
  "cancel_sign_up",
  "check_in",
  "check_out",
  "observe",
  "cancel",
] as const;
export type ShiftAction = (typeof SHIFT_ACTIONS)[number];

const mySignupSchema = z.object({
  id: z.string(),
  status: z.enum(SIGNUP_STATUSES),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  checkoutSource: z.enum(CHECKOUT_SOURCES).nullable(),
  minutes: z.number().int().nullable(),
  hoursStatus: z.enum(HOURS_STATUSES).nullable(),
  rejectReason: z.string().nullable(),
});

export const shiftSchema = z.object({
  id: z.string(),
  kind: z.enum(SHIFT_KINDS),
  title: z.string(),
  description: z.string().nullable(),
  area: z.object({
    code: z.string(),
    name: z.string(),
    level: z.string(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
  }),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  signedUp: z.number().int(),
  team: z.object({ id: z.string(), name: z.string() }).nullable(),
  case: z.object({ id: z.string(), code: z.string() }).nullable(),
  fenceToleranceM: z.number().int(),
  status: z.enum(["open", "cancelled"]),
  createdBy: z.string(),
  /** metres from the given position to the area's centre (open view with lat/lng) */
  distanceM: z.number().nullable(),
  mySignup: mySignupSchema.nullable(),
  allowedActions: z.array(z.enum(SHIFT_ACTIONS)),
});
export type Shift = z.infer<typeof shiftSchema>;

export const signupSchema = z.object({
  id: z.string(),
  shiftId: z.string(),
  volunteer: z.object({ id: z.string(), name: z.string(), userId: z.string() }),
  status: z.enum(SIGNUP_STATUSES),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  checkoutSource: z.enum(CHECKOUT_SOURCES).nullable(),
  checkInAccuracyM: z.number().nullable(),
  minutes: z.number().int().nullable(),
  hoursStatus: z.enum(HOURS_STATUSES).nullable(),
  verifiedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  version: z.number().int(),
});
export type Signup = z.infer<typeof signupSchema>;

export const observationSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  caseCode: z.string(),
  categoryName: z.string(),
  status: z.string(),
  description: z.string(),
  volunteer: z.string(),
  createdAt: z.string(),
});

export const shiftDetailSchema = shiftSchema.extend({
  /** the check-in fence: the area's boundary (GeoJSON) */
  boundary: z.unknown().nullable(),
  /** staff, leaders and the creator see everyone's sign-ups */
  signups: z.array(signupSchema),
  observations: z.array(observationSchema),
});
export type ShiftDetail = z.infer<typeof shiftDetailSchema>;

/** The browser's position at check-in or check-out. */
export const positionBody = z.strictObject({
  lat: z.number({ error: "纬度应为数字 / lat must be a number" }).min(-90).max(90),
  lng: z.number({ error: "经度应为数字 / lng must be a number" }).min(-180).max(180),
  /** metres (the browser's estimate) */
  accuracy: z.number().min(0).max(100_000).optional(),
});

/** What a volunteer saw on patrol: becomes a case (channel volunteer). */
export const observationBody = z.strictObject({
  categoryCode: z.string().min(1, "请选择事件类别 / choose a category").max(60),
  description: z
    .string()
    .trim()
    .min(5, "请至少用 5 个字描述情况 / describe it in at least 5 characters")
    .max(2000),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  address: z.string().trim().max(200).optional(),
  fields: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
      z.union([z.string().max(2000), z.number(), z.boolean()]),
    )
    .optional(),
});

// ------------------------------------------------------------------ hours

export const hoursQueueQuery = z.object({
  status: z.enum(HOURS_STATUSES).default("pending"),
  teamId: id.optional(),
  q: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const hoursEntrySchema = signupSchema.extend({
  shift: z.object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(SHIFT_KINDS),
    startsAt: z.string(),
    endsAt: z.string(),
    areaName: z.string(),
    teamName: z.string().nullable(),
  }),
  /** the caller may verify / reject / correct it (not their own hours) */
  canVerify: z.boolean(),
});
export type HoursEntry = z.infer<typeof hoursEntrySchema>;

export const verifyHoursBody = z.strictObject({
  signupIds: z
    .array(id)
    .min(1, "请选择要核验的记录 / choose what to verify")
    .max(200, "一次最多核验 200 条 / at most 200 at once")
    .refine((a) => new Set(a).size === a.length, "记录有重复 / duplicate ids"),
});

export const rejectHoursBody = z.strictObject({
  reason: z.string().trim().min(2, "请填写驳回理由 / give the reason").max(500),
  version: z.number().int().min(1).optional(),
});

export const correctHoursBody = z.strictObject({
  minutes: z
    .number()
    .int()
    .min(0, "时长为 0–720 分钟 / 0–720 minutes")
    .max(720, "时长为 0–720 分钟 / 0–720 minutes"),
  reason: z.string().trim().min(2, "请填写更正理由 / give the reason").max(500),
  version: z.number().int().min(1).optional(),
});

/**
 * The real check-out time of an attendance the system closed (未签退): between
 * the check-in and 2 hours after the shift's end, with the reason.
 */
export const setCheckoutBody = z.strictObject({
  checkedOutAt: z.iso.datetime({
    offset: true,
    error: "签退时间格式不正确 / checkedOutAt must be an ISO date-time",
  }),
  reason: z.string().trim().min(2, "请填写补录理由 / give the reason").max(500),
  version: z.number().int().min(1).optional(),
});

export const hoursHistorySchema = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.string().nullable(),
  oldMinutes: z.number().int().nullable(),
  newMinutes: z.number().int().nullable(),
  /** set_check_out: the check-out time before and after */
  oldCheckedOutAt: z.string().nullable(),
  newCheckedOutAt: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});

/** All or nothing: one entry the caller may not verify refuses the whole batch. */
export const verifyResultSchema = z.object({ verified: z.array(z.string()) });

// -------------------------------------------------------------- mediation

export const mediatorQuery = z.object({
  caseId: id,
  /** match this province instead of the reporter's origin */
  province: z.string().trim().max(20).optional(),
  dialect: z.string().trim().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const mediatorCandidateSchema = z.object({
  volunteerId: z.string(),
  name: z.string(),
  originProvince: z.string().nullable(),
  dialects: z.array(z.string()),
  skills: z.array(z.enum(VOLUNTEER_SKILLS)),
  community: z.string().nullable(),
  teams: z.array(z.string()),
  verifiedMinutes: z.number().int(),
  /** why they match */
  matches: z.array(z.enum(["province", "dialect", "mediation_skill"])),
});

export const mediatorSearchSchema = z.object({
  items: z.array(mediatorCandidateSchema),
  total: z.number().int(),
  /** what was matched: the reporter's origin, or what was asked for */
  province: z.string().nullable(),
  dialects: z.array(z.string()),
});

export const inviteMediatorBody = z.strictObject({
  caseId: id,
  volunteerId: id,
  task: z.string().trim().min(2, "请写明调解任务 / describe the task").max(500),
});

export const MEDIATION_INVITATION_STATUSES = ["pending", "accepted", "declined"] as const;

/**
 * GET /api/volunteers/me/mediations: my invitations to mediate and the cases
 * I mediate. A pending invitation shows only what a volunteer needs to
 * decide (the category, the community, the task and a short excerpt); the
 * case itself opens once they accept and join it as a party.
 */
export const myMediationSchema = z.object({
  /** null for a mediation joined before invitations existed (migration 0035) */
  invitationId: z.string().nullable(),
  invitation: z.enum(MEDIATION_INVITATION_STATUSES),
  caseId: z.string(),
  code: z.string(),
  status: z.string(),
  categoryName: z.string(),
  community: z.string().nullable(),
  excerpt: z.string().nullable(),
  task: z.string().nullable(),
  /** the task as a case party (after accepting) */
  taskStatus: z.enum(["open", "done"]).nullable(),
  invitedBy: z.string().nullable(),
  invitedAt: z.string(),
  respondedAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type MyMediation = z.infer<typeof myMediationSchema>;

export const declineMediationBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(2, "请说明婉拒的原因 / say why you decline")
    .max(500, "原因不超过 500 字 / at most 500 characters"),
});

/** GET /api/shifts/under-way: the shifts being worked now, for the coordination map. */
export const underWayQuery = z.object({
  /** only under this area (inside the caller's own) */
  areaCode: areaCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const underWaySchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(SHIFT_KINDS),
      title: z.string(),
      area: z.object({ code: z.string(), name: z.string() }),
      team: z.string().nullable(),
      startsAt: z.string(),
      endsAt: z.string(),
      capacity: z.number().int(),
      signedUp: z.number().int(),
      /** checked in and not yet out */
      onDuty: z.number().int(),
      /** where to draw it: the mean check-in position of those on duty, else the area's centre */
      lat: z.number().nullable(),
      lng: z.number().nullable(),
    }),
  ),
  total: z.number().int(),
  /** volunteers on duty in all of them */
  onDuty: z.number().int(),
});
export type UnderWay = z.infer<typeof underWaySchema>;
