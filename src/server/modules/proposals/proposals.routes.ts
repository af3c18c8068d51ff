/**
 * HTTP for deliberation under /api/proposals: the list (with filters, near a
 * place, sorting), a proposal with its timeline and the caller's allowed
 * actions, proposing, supporting (and taking support back), the steps as
 * POST /api/proposals/:id/<action>, proposals built from cases, the
 * district's threshold settings, and the list as XLSX. Signed-in people only.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  createProposalBody,
  fromCasesBody,
  fromCasesDraftQuery,
  fromCasesDraftSchema,
  PROPOSAL_ANSWER_NAMES,
  PROPOSAL_STATUS_NAMES,
  PROPOSAL_TOPIC_NAMES,
  PROPOSAL_TRANSITIONS,
  type ProposalSummary,
  type ProposalTransition,
  proposalActionBody,
  proposalContextSchema,
  proposalDetailSchema,
  proposalListQuery,
  proposalSettingsBody,
  proposalSettingsSchema,
  proposalSummarySchema,
  supportBody,
} from "../../../shared/schemas/proposals.js";
import { requireActor } from "../../plugins/auth.js";
import type { FileStore } from "../attachments/file-store.js";
import { sendXlsx } from "../exports/xlsx-export.js";
import { proposalPhotoRoutes } from "./proposal-photos.routes.js";
import * as service from "./proposals.service.js";

const time = (v: string | null) =>
  v
    ? new Date(new Date(v).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ")
    : "";

export async function proposalRoutes(
  app: FastifyInstance,
  deps: service.ProposalsDeps & { store: FileStore },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  await proposalPhotoRoutes(app, deps);
  const tags = ["proposals"];
  const ctx = (request: { id: unknown }) => ({ requestId: String(request.id) });
  // Who is calling is checked before the input: 401 comes before 400.
  const signedIn = {
    preValidation: async (request: FastifyRequest) => {
      requireActor(request);
    },
  };

  r.get(
    "/api/proposals",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "Proposals (public to everyone signed in), by view (all, my community, my area, sent to my department, mine, supported by me), with filters, near a place and sorting",
        querystring: proposalListQuery,
        response: { 200: listOf(proposalSummarySchema) },
      },
    },
    async (request) => service.listProposals(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/proposals/export.xlsx",
    {
      ...signedIn,
      schema: {
        tags,
        summary: "The proposal list, with the same view and filters, as XLSX",
        querystring: proposalListQuery,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await sendXlsx(
        reply,
        "议事提案.xlsx",
        "议事提案",
        [
          { header: "编号", value: (p: ProposalSummary) => p.id },
          { header: "标题", width: 36, value: (p) => p.title },
          { header: "议题", value: (p) => PROPOSAL_TOPIC_NAMES[p.topic] },
          { header: "状态", value: (p) => PROPOSAL_STATUS_NAMES[p.status] },
          { header: "社区", width: 20, value: (p) => p.community.name },
          { header: "发起人", width: 20, value: (p) => p.proposer },
          { header: "本社区附议", value: (p) => p.localSupportCount },
          { header: "附议总数", value: (p) => p.supportCount },
          { header: "门槛", value: (p) => p.supportThreshold },
          { header: "答复部门", width: 24, value: (p) => p.department?.name ?? "" },
          { header: "答复期限", width: 18, value: (p) => time(p.answerDueAt) },
          { header: "答复", value: (p) => (p.answer ? PROPOSAL_ANSWER_NAMES[p.answer] : "") },
          { header: "超期", value: (p) => (p.dueState === "overdue" ? "是" : "") },
          { header: "发起时间", width: 18, value: (p) => time(p.createdAt) },
        ],
        (limit, offset) => service.listProposals(deps, actor, { ...request.query, limit, offset }),
      );
      return reply;
    },
  );

  r.get(
    "/api/proposals/context",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "What the proposal pages need to know about the caller: their community (where their support counts), whether they may propose or build proposals from cases, their departments, the threshold in force",
        response: { 200: proposalContextSchema },
      },
    },
    async (request) => service.proposalContext(deps, requireActor(request)),
  );

  r.get(
    "/api/proposals/settings",
    {
      ...signedIn,
      schema: {
        tags,
        summary: "The district's support threshold and answer deadline for new proposals",
        response: { 200: proposalSettingsSchema },
      },
    },
    async (request) => service.getSettings(deps, requireActor(request)),
  );

  r.put(
    "/api/proposals/settings",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "Change the support threshold and answer deadline (district coordinators). Proposals already made keep theirs.",
        body: proposalSettingsBody,
        response: { 200: proposalSettingsSchema },
      },
    },
    async (request) =>
      service.saveSettings(deps, requireActor(request), request.body, ctx(request)),
  );

  r.get(
    "/api/proposals/from-cases/draft",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "A proposal prefilled from cases (coordinators): their place, a title and text naming the cases. Cases you may not see answer 404.",
        querystring: fromCasesDraftQuery,
        response: { 200: fromCasesDraftSchema },
      },
    },
    async (request) => service.fromCasesDraft(deps, requireActor(request), request.query.caseIds),
  );

  r.post(
    "/api/proposals/from-cases",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "Turn recurring cases in one community into a proposal linked to them (coordinators)",
        body: fromCasesBody,
        response: { 201: proposalDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createFromCases(deps, requireActor(request), request.body, ctx(request)),
        ),
  );

  r.post(
    "/api/proposals",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "Propose a community-safety measure at a place (residents, volunteers, enterprises, associations). A place is required and must lie in the district.",
        body: createProposalBody,
        response: { 201: proposalDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createProposal(deps, requireActor(request), request.body, ctx(request)),
        ),
  );

  r.get(
    "/api/proposals/:id",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "A proposal with its supporters, answer, milestones, timeline, how the caller's support counts and the actions they may take",
        params: idParam,
        response: { 200: proposalDetailSchema },
      },
    },
    async (request) => service.getProposal(deps, requireActor(request), request.params.id),
  );

  r.post(
    "/api/proposals/:id/support",
    {
      ...signedIn,
      schema: {
        tags,
        summary:
          "Support a proposal (once per person: again answers 409). Supporters from its community count towards the threshold; the one who reaches it sends it to the department.",
        params: idParam,
        body: supportBody,
        response: { 200: proposalDetailSchema },
      },
    },
    async (request) =>
      service.support(
        deps,
        requireActor(request),
        request.params.id,
        request.body?.comment,
        ctx(request),
      ),
  );

  r.delete(
    "/api/proposals/:id/support",
    {
      ...signedIn,
      schema: {
        tags,
        summary: "Take one's support back, before the proposal is submitted",
        params: idParam,
        response: { 200: proposalDetailSchema },
      },
    },
    async (request) =>
      service.unsupport(deps, requireActor(request), request.params.id, ctx(request)),
  );

  r.post(
    "/api/proposals/:id/:action",
    {
      ...signedIn,
      schema: {
        tags,
        summary: `A step on a proposal: ${PROPOSAL_TRANSITIONS.join(", ")}. A state that does not allow it answers 409 with the allowed actions; a stale version answers 409.`,
        params: idParam.extend({ action: z.enum(PROPOSAL_TRANSITIONS) }),
        body: proposalActionBody,
        response: { 200: proposalDetailSchema },
      },
    },
    async (request) =>
      service.act(
        deps,
        requireActor(request),
        request.params.id,
        request.params.action as ProposalTransition,
        request.body,
        ctx(request),
      ),
  );
}
