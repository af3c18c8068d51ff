/**
 * The wire shapes of points (积分) and participation depth (参与深度):
 * statements, balances, leaderboards, corrections and the per-community
 * figures. Shared by the server and the web app.
 */
import { z } from "zod";

export const POINT_RULES = [
  "verified_hours",
  "tip_resolved",
  "mediation_closed",
  "proposal_adopted",
  "proposal_partly_adopted",
  "correction",
] as const;
export type PointRule = (typeof POINT_RULES)[number];

export const RUNGS = [
  "informed",
  "reporter",
  "verifier",
  "co_handler",
  "mediator",
  "deliberator",
  "co_decider",
] as const;
export type Rung = (typeof RUNGS)[number];

const id = z.string().regex(/^\d{1,18}$/, "id must be a number");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式为 YYYY-MM-DD / a date as YYYY-MM-DD");

export const pointsQuery = z.object({
  userId: id.optional().describe("whose statement (staff only; default: yours)"),
  from: day.optional(),
  to: day.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const pointsEntrySchema = z.object({
  id: z.string(),
  amount: z.number().int(),
  rule: z.enum(POINT_RULES),
  /** what earned it: a shift and its minutes, a case code, a proposal title */
  source: z.string().nullable(),
  sourceType: z.enum(["shift_signup", "case", "proposal"]).nullable(),
  sourceId: z.string().nullable(),
  occurredOn: z.string(),
  uncapped: z.number().int(),
  cappedBy: z.enum(["day", "month"]).nullable(),
  note: z.string().nullable(),
  correctsId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type PointsEntry = z.infer<typeof pointsEntrySchema>;

export const pointsStatementSchema = z.object({
  user: z.object({ id: z.string(), displayName: z.string() }),
  /** the community the person belongs to (volunteer preference, else residence) */
  community: z.object({ code: z.string(), name: z.string() }).nullable(),
  balance: z.number().int(),
  earned: z.number().int(),
  leaderboard: z.boolean(),
  caps: z.object({ day: z.number().int(), month: z.number().int() }),
  items: z.array(pointsEntrySchema),
  total: z.number().int(),
  /** may the caller correct entries of this statement */
  canCorrect: z.boolean(),
});
export type PointsStatement = z.infer<typeof pointsStatementSchema>;

export const leaderboardBody = z.strictObject({ optIn: z.boolean() });

export const leaderboardQuery = z.object({
  community: z.string().regex(/^\d{6,15}$/, "社区代码无效 / bad community code"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const leaderboardSchema = z.object({
  community: z.object({ code: z.string(), name: z.string() }),
  items: z.array(
    z.object({
      rank: z.number().int(),
      displayName: z.string(),
      balance: z.number().int(),
      me: z.boolean(),
    }),
  ),
  total: z.number().int(),
});

export const correctionBody = z.strictObject({
  entryId: id,
  amount: z
    .number()
    .int("积分须为整数 / whole points")
    .refine((v) => v !== 0, "更正积分不能为 0 / a correction of 0 changes nothing")
    .refine((v) => Math.abs(v) <= 1000, "单次更正不超过 1000 分 / at most 1000 points at once"),
  reason: z.string().trim().min(2, "请写明更正原因 / give the reason").max(200),
});

/** Whose participation: a community's people, or the volunteers in an organisation's teams. */
const scopeFields = {
  community: z
    .string()
    .regex(/^\d{6,15}$/, "社区代码无效 / bad community code")
    .optional(),
  organisationId: z
    .string()
    .regex(/^\d{1,18}$/, "组织编号无效 / bad organisation id")
    .optional()
    .describe("the volunteers in the teams of this enterprise or association"),
};
/** Exactly one of the two scopes. */
const oneScope = (q: { community?: string | undefined; organisationId?: string | undefined }) =>
  (q.community === undefined) !== (q.organisationId === undefined);
const oneScopeError = {
  message: "请指定社区或组织（二者选一）/ give either community or organisationId",
  path: ["community"],
};

export const participationScope = z.object(scopeFields).refine(oneScope, oneScopeError);

export const participationQuery = z
  .object({
    ...scopeFields,
    q: z.string().trim().max(40).optional().describe("part of a name"),
    rung: z.enum(RUNGS).optional(),
    superficial: z.enum(["true", "false"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .refine(oneScope, oneScopeError);

export const participantSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  rung: z.enum(RUNGS).nullable(),
  since: z.string().nullable(),
  rungs: z.record(z.enum(RUNGS), z.string().nullable()),
  superficial: z.boolean(),
  activeMonths: z.array(z.string()),
});
export type Participant = z.infer<typeof participantSchema>;

export const participationSummarySchema = z.object({
  /** the community asked for (null for an organisation's volunteers) */
  community: z.object({ code: z.string(), name: z.string() }).nullable(),
  /** the enterprise or association asked for (null for a community) */
  organisation: z.object({ id: z.string(), name: z.string() }).nullable(),
  people: z.number().int(),
  /** people whose highest rung is each one */
  distribution: z.record(z.enum(RUNGS), z.number().int()),
  /** month by month (last 12), how many had reached each rung by its end */
  progression: z.array(
    z.object({ month: z.string(), reached: z.record(z.enum(RUNGS), z.number().int()) }),
  ),
  retention: z.object({
    months: z.array(z.string()),
    activeEachMonth: z.array(z.number().int()),
    activeAllThree: z.number().int(),
  }),
  volunteers: z.number().int(),
  superficialVolunteers: z.number().int(),
  superficialShare: z.number().nullable(),
});
export type ParticipationSummary = z.infer<typeof participationSummarySchema>;
