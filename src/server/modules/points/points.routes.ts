/**
 * HTTP for points (积分) and participation depth (参与深度): a person's
 * statement (JSON, XLSX), the leaderboard opt-in and board, corrections by
 * coordinators, a community's participation figures and its people.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { listOf } from "../../../shared/schemas/common.js";
import {
  correctionBody,
  leaderboardBody,
  leaderboardQuery,
  leaderboardSchema,
  type PointsEntry,
  participantSchema,
  participationQuery,
  participationScope,
  participationSummarySchema,
  pointsQuery,
  pointsStatementSchema,
} from "../../../shared/schemas/points.js";
import { authorize, requireActor } from "../../plugins/auth.js";
import { isAdmin } from "../access/access.policy.js";
import { sendXlsx } from "../exports/xlsx-export.js";
import * as service from "./points.service.js";

const RULE_NAMES: Record<string, string> = {
  verified_hours: "志愿服务时长",
  tip_resolved: "线索办结",
  mediation_closed: "调解成功",
  proposal_adopted: "建议被采纳",
  proposal_partly_adopted: "建议被部分采纳",
  correction: "更正",
};

export async function pointsRoutes(app: FastifyInstance, deps: service.PointsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["points"];

  r.get(
    "/api/points",
    {
      schema: {
        tags,
        summary: "A points statement: balance and ledger entries (yours, or a person in your area)",
        querystring: pointsQuery,
        response: { 200: pointsStatementSchema },
      },
    },
    async (request) => service.getStatement(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/points/statement.xlsx",
    {
      schema: {
        tags,
        summary: "The points statement as XLSX, for the city's new-citizen points scheme",
        querystring: pointsQuery.omit({ limit: true, offset: true }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const head = await service.getStatement(deps, actor, {
        ...request.query,
        limit: 1,
        offset: 0,
      });
      const name = `积分明细-${head.user.displayName}.xlsx`;
      await sendXlsx<PointsEntry>(
        reply,
        name,
        "积分明细",
        [
          { header: "日期", width: 12, value: (e) => e.occurredOn },
          { header: "事项", width: 16, value: (e) => RULE_NAMES[e.rule] ?? e.rule },
          { header: "来源", width: 30, value: (e) => e.source },
          { header: "积分", width: 8, value: (e) => e.amount },
          { header: "应得", width: 8, value: (e) => e.uncapped },
          { header: "说明", width: 40, value: (e) => e.note },
          { header: "记录编号", width: 10, value: (e) => e.id },
          { header: "更正记录", width: 10, value: (e) => e.correctsId },
        ],
        async (limit, offset) => {
          const page = await service.getStatement(deps, actor, { ...request.query, limit, offset });
          return { items: page.items, total: page.total };
        },
      );
      return reply;
    },
  );

  r.put(
    "/api/points/leaderboard",
    {
      schema: {
        tags,
        summary: "Show (or stop showing) me on my community's points leaderboard",
        body: leaderboardBody,
        response: { 200: z.object({ optIn: z.boolean() }) },
      },
    },
    async (request) => service.setLeaderboardOptIn(deps, requireActor(request), request.body.optIn),
  );

  r.get(
    "/api/points/leaderboard",
    {
      schema: {
        tags,
        summary: "A community's points leaderboard (only people who opted in)",
        querystring: leaderboardQuery,
        response: { 200: leaderboardSchema },
      },
    },
    async (request) => service.getLeaderboard(deps, requireActor(request), request.query),
  );

  r.post(
    "/api/points/corrections",
    {
      schema: {
        tags,
        summary: "Correct a ledger entry by a new entry (coordinators; never one's own)",
        body: correctionBody,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const r = await service.correctEntry(deps, actor, request.body, request.id);
      return reply.code(201).send(r);
    },
  );

  r.post(
    "/api/points/reconcile",
    {
      schema: {
        tags,
        summary: "Bring everyone's ledger in line with their verified work now (admins)",
        response: { 200: z.object({ written: z.number().int() }) },
      },
    },
    async (request) => {
      authorize(request, isAdmin);
      return { written: await service.runPointsReconciliation(deps.db) };
    },
  );

  r.get(
    "/api/participation",
    {
      schema: {
        tags: ["participation"],
        summary:
          "A community's people (community) or the volunteers in an enterprise's or association's teams (organisationId), with their highest rung on the participation ladder",
        querystring: participationQuery,
        response: { 200: listOf(participantSchema) },
      },
    },
    async (request) => service.listParticipants(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/participation/summary",
    {
      schema: {
        tags: ["participation"],
        summary:
          "Participation depth of a community (community) or of an organisation's volunteers (organisationId): distribution over rungs, progression, retention, superficial share",
        querystring: participationScope,
        response: { 200: participationSummarySchema },
      },
    },
    async (request) => service.participationSummary(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/participation/me",
    {
      schema: {
        tags: ["participation"],
        summary: "My own rungs on the participation ladder",
        response: { 200: participantSchema },
      },
    },
    async (request) => service.myParticipation(deps, requireActor(request)),
  );
}
