/**
 * HTTP for liaison: notices (/api/notices…) and mediation requests
 * (/api/mediation-requests…). Out-of-scope records answer 404.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  associationSuggestionList,
  associationSuggestionQuery,
  audiencePreviewSchema,
  createMediationBody,
  createNoticeBody,
  MEDIATION_ACTIONS,
  type MediationAction,
  mediationActionBody,
  mediationDetailSchema,
  mediationListQuery,
  mediationSummarySchema,
  type NoticeRecipient,
  noticeDetailSchema,
  noticeListQuery,
  noticePreviewBody,
  noticeRecipientSchema,
  noticeSummarySchema,
  noticeVersionBody,
  recipientListQuery,
  remindNoticeBody,
  remindResultSchema,
  updateNoticeBody,
  withdrawNoticeBody,
} from "../../../shared/schemas/liaison.js";
import { authorize } from "../../plugins/auth.js";
import { sendXlsx } from "../exports/xlsx-export.js";
import {
  isEnterpriseOfficer,
  isGovernment,
  mayUseMediation,
  mayUseNotices,
} from "./liaison.policy.js";
import * as service from "./liaison.service.js";

const time = (v: string | null) =>
  v
    ? new Date(new Date(v).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ")
    : null;

export async function liaisonRoutes(app: FastifyInstance, deps: service.LiaisonDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["liaison"];
  const ctx = (request: { id: unknown }) => ({ requestId: String(request.id) });

  // ------------------------------------------------------------- notices

  r.get(
    "/api/notices",
    {
      schema: {
        tags,
        summary:
          "Notices for the caller: government sees those it issued or in its scope (with read counts), or those sent to one enterprise (enterpriseId); an enterprise officer sees the inbox, unread first",
        querystring: noticeListQuery,
        response: { 200: listOf(noticeSummarySchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, mayUseNotices);
      return service.listNotices(deps, actor, request.query);
    },
  );

  r.post(
    "/api/notices",
    {
      schema: {
        tags,
        summary: "Write a notice to enterprises (a draft: nothing is sent yet)",
        body: createNoticeBody,
        response: { 201: noticeDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isGovernment);
      return reply
        .status(201)
        .send(await service.createNotice(deps, actor, request.body, ctx(request)));
    },
  );

  r.post(
    "/api/notices/preview",
    {
      schema: {
        tags,
        summary: "How many enterprises an audience reaches now, and the first of them by name",
        body: noticePreviewBody,
        response: { 200: audiencePreviewSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isGovernment);
      return service.previewNotice(deps, actor, request.body.audience);
    },
  );

  r.get(
    "/api/notices/:id",
    {
      schema: {
        tags,
        summary:
          "One notice: for government the audience, counts, log and allowed actions; for a recipient its receipt",
        params: idParam,
        response: { 200: noticeDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, mayUseNotices);
      return service.getNotice(deps, actor, request.params.id);
    },
  );

  r.patch(
    "/api/notices/:id",
    {
      schema: {
        tags,
        summary: "Change a draft (409 once sent: a sent notice can only be withdrawn)",
        params: idParam,
        body: updateNoticeBody,
        response: { 200: noticeDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isGovernment);
      return service.updateNotice(deps, actor, request.params.id, request.body, ctx(request));
    },
  );

  r.delete(
    "/api/notices/:id",
    {
      schema: {
        tags,
        summary: "Delete a draft (409 once sent)",
        params: idParam,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isGovernment);
      await service.deleteNotice(deps, actor, request.params.id, ctx(request));
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/notices/:id/send",
    {
      schema: {
        tags,
        summary:
          "Send a draft: fixes one recipient per enterprise its audience reaches now and notifies their officers (409 if sent already)",
        params: idParam,
        body: noticeVersionBody,
        response: { 200: noticeDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isGovernment);
      return service.sendNotice(deps, actor, request.params.id, request.body.version, ctx(request));
    },
  );

  r.post(
    "/api/notices/:id/withdraw",
    {
      schema: {
        tags,
        summary: "Withdraw a sent notice, with the reason (recorded)",
        params: idParam,
        body: withdrawNoticeBody,
        response: { 200: noticeDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isGovernment);
      return service.withdrawNotice(deps, actor, request.params.id, request.body, ctx(request));
    },
  );

  r.post(
    "/api/notices/:id/remind",
    {
      schema: {
        tags,
        summary:
          "Remind the recipients that have not read it (their officers are notified); at most once a day",
        params: idParam,
        body: remindNoticeBody,
        response: { 200: remindResultSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isGovernment);
      return service.remindNotice(deps, actor, request.params.id, request.body, ctx(request));
    },
  );

  r.post(
    "/api/notices/:id/read",
    {
      schema: {
        tags,
        summary:
          "A recipient's officer opened it: read for their enterprise (the first read stays)",
        params: idParam,
        response: { 200: noticeDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isEnterpriseOfficer);
      return service.readNotice(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/notices/:id/acknowledge",
    {
      schema: {
        tags,
        summary: "确认收到, where the notice asks for it (repeating it changes nothing)",
        params: idParam,
        response: { 200: noticeDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isEnterpriseOfficer);
      return service.acknowledgeNotice(deps, actor, request.params.id);
    },
  );

  r.get(
    "/api/notices/:id/recipients",
    {
      schema: {
        tags,
        summary: "The recipients of a notice with their receipts, filterable by read state",
        params: idParam,
        querystring: recipientListQuery,
        response: { 200: listOf(noticeRecipientSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, isGovernment);
      const { items, total } = await service.listRecipients(
        deps,
        actor,
        request.params.id,
        request.query,
      );
      return { items, total };
    },
  );

  r.get(
    "/api/notices/:id/recipients/export.xlsx",
    {
      schema: {
        tags,
        summary: "The recipient list, with the same filter, as XLSX",
        params: idParam,
        querystring: recipientListQuery.omit({ limit: true, offset: true }),
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isGovernment);
      const id = request.params.id;
      // Answers 404 before any byte when the notice is not the caller's.
      const first = await service.listRecipients(deps, actor, id, {
        ...request.query,
        limit: 1,
        offset: 0,
      });
      await sendXlsx(
        reply,
        `通知回执-${first.title.slice(0, 40)}.xlsx`,
        "阅读回执",
        [
          { header: "企业名称", width: 32, value: (x: NoticeRecipient) => x.name },
          { header: "行业", value: (x) => x.industry },
          { header: "所属网格", width: 24, value: (x) => x.grid.name },
          { header: "安全员", value: (x) => x.safetyOfficer },
          { header: "阅读状态", value: (x) => (x.readAt ? "已读" : "未读") },
          { header: "阅读时间", value: (x) => time(x.readAt) },
          { header: "阅读人", value: (x) => x.readBy },
          {
            header: "确认收到",
            value: (x) => (x.acknowledgedAt ? "已确认" : x.overdue ? "逾期未确认" : "未确认"),
          },
          { header: "确认时间", value: (x) => time(x.acknowledgedAt) },
          { header: "确认人", value: (x) => x.acknowledgedBy },
          { header: "最近催阅", value: (x) => time(x.lastRemindedAt) },
        ],
        (limit, offset) =>
          service.listRecipients(deps, actor, id, { ...request.query, limit, offset }),
      );
      return reply;
    },
  );

  // -------------------------------------------------- mediation requests

  r.get(
    "/api/mediation-requests",
    {
      schema: {
        tags,
        summary:
          "Mediation requests the caller may see: an enterprise's own, those asked of an association, those of enterprises in a government area",
        querystring: mediationListQuery,
        response: { 200: listOf(mediationSummarySchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, mayUseMediation);
      return service.listMediations(deps, actor, request.query);
    },
  );

  r.get(
    "/api/mediation-requests/associations",
    {
      schema: {
        tags,
        summary:
          "Associations an enterprise may ask, best first: hometown associations of its workers' provinces, then those of its trade",
        querystring: associationSuggestionQuery,
        response: { 200: associationSuggestionList },
      },
    },
    async (request) => {
      const actor = authorize(request, isEnterpriseOfficer);
      return service.suggestAssociations(deps, actor, request.query);
    },
  );

  r.post(
    "/api/mediation-requests",
    {
      schema: {
        tags,
        summary:
          "An enterprise asks an association to mediate a dispute among its workers (optionally linked to one of its cases)",
        body: createMediationBody,
        response: { 201: mediationDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isEnterpriseOfficer);
      return reply
        .status(201)
        .send(await service.createMediation(deps, actor, request.body, ctx(request)));
    },
  );

  r.get(
    "/api/mediation-requests/:id",
    {
      schema: {
        tags,
        summary: "One mediation request with its timeline and the caller's allowed actions",
        params: idParam,
        response: { 200: mediationDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, mayUseMediation);
      return service.getMediation(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/mediation-requests/:id/:action",
    {
      schema: {
        tags,
        summary: `A step of a mediation request: ${MEDIATION_ACTIONS.join(", ")}. A state that does not allow it answers 409 with the allowed actions; a stale version answers 409.`,
        params: idParam.extend({ action: z.enum(MEDIATION_ACTIONS) }),
        body: mediationActionBody,
        response: { 200: mediationDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, mayUseMediation);
      return service.actOnMediation(
        deps,
        actor,
        request.params.id,
        request.params.action as MediationAction,
        request.body,
        ctx(request),
      );
    },
  );
}
