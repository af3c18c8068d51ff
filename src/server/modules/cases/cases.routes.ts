/**
 * HTTP for cases: the category list, intake (signed in, by API token, or
 * anonymous), the inbox list, the case page, the anonymous tracking view
 * and the transitions as `POST /api/cases/:id/<action>`.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { categoryListQuery } from "../../../shared/schemas/case-categories.js";
import {
  CASE_ACTIONS,
  CASE_STATUS_NAMES,
  type CaseSummary,
  caseDetailSchema,
  caseListQuery,
  caseMapQuery,
  caseMapSchema,
  caseSummarySchema,
  categorySchema,
  createCaseBody,
  mentionableSchema,
  transitionBody,
} from "../../../shared/schemas/cases.js";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import { forbidden, notFound, unauthenticated } from "../../errors.js";
import { authorize, requireActor } from "../../plugins/auth.js";
import { hasTokenScope } from "../access/access.policy.js";
import { EXPORT_MAX_ROWS, sendXlsx } from "../exports/xlsx-export.js";
import { findAreaByCode } from "../geo/areas.service.js";
import { anonymousLimit, idempotencyKey, trackingSecret } from "./case-http.js";
import * as service from "./cases.service.js";

const TRANSITIONS = CASE_ACTIONS.filter((a) => a !== "report");

export async function caseRoutes(app: FastifyInstance, deps: service.CasesDeps) {
  await app.register(rateLimit, {
    global: false,
    hook: "preHandler",
    // Signed-in callers count on their own, so anonymous traffic from the same
    // address (a shared office NAT) is not starved by them, nor they by it.
    keyGenerator: (request) =>
      request.actor
        ? `${request.actor.kind}:${request.actor.userId ?? request.actor.tokenId}`
        : `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) => {
      const err = new Error(
        `请求过于频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试 / Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ) as Error & { statusCode: number };
      err.statusCode = 429;
      return err;
    },
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["cases"];
  // An unknown grid matches nothing rather than everything.
  const gridPathOf = async (code: string | undefined) =>
    code === undefined ? undefined : ((await findAreaByCode(deps, code))?.path ?? "/none/");

  r.get(
    "/api/categories",
    {
      schema: {
        tags,
        summary: "The case categories (public: anonymous reporters choose from them too)",
        querystring: categoryListQuery,
        response: { 200: z.object({ items: z.array(categorySchema) }) },
      },
    },
    async (request) => ({ items: await service.listCategories(deps, request.query) }),
  );

  r.post(
    "/api/cases",
    {
      config: anonymousLimit(10),
      schema: {
        tags,
        summary:
          "Report a case. Without a session it is anonymous: the answer carries a tracking code and secret, once. An Idempotency-Key header makes a retry return the first result.",
        body: createCaseBody,
        response: { 201: caseDetailSchema, 200: caseDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (actor?.kind === "token" && !hasTokenScope("cases:write")(actor)) throw forbidden();
      const result = await service.createCase(deps, actor, request.body, {
        requestId: String(request.id),
        idempotencyKey: idempotencyKey(request),
      });
      if (result.replayed) reply.header("idempotent-replayed", "true");
      return reply.status(201).send(result.detail);
    },
  );

  r.get(
    "/api/cases",
    {
      schema: {
        tags,
        summary: "Cases you may see, by inbox, with filters, search and sorting",
        querystring: caseListQuery,
        response: { 200: listOf(caseSummarySchema) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { gridCode, status, ...rest } = request.query;
      const gridPath =
        gridCode === undefined
          ? undefined
          : ((await findAreaByCode(deps, gridCode))?.path ?? "/none/");
      return service.listCases(deps, actor, { ...rest, statuses: status, gridPath });
    },
  );

  r.get(
    "/api/cases/export.xlsx",
    {
      schema: {
        tags,
        summary: "The case list, with the same inbox and filters, as XLSX",
        querystring: caseListQuery.omit({ limit: true, offset: true }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { gridCode, status, ...rest } = request.query;
      const gridPath =
        gridCode === undefined
          ? undefined
          : ((await findAreaByCode(deps, gridCode))?.path ?? "/none/");
      const time = (iso: string | null) =>
        iso
          ? new Date(new Date(iso).getTime() + 8 * 3600_000)
              .toISOString()
              .slice(0, 16)
              .replace("T", " ")
          : "";
      await sendXlsx(
        reply,
        "事件.xlsx",
        "事件",
        [
          { header: "编号", width: 20, value: (c: CaseSummary) => c.code },
          { header: "类别", width: 20, value: (c) => c.categoryName },
          { header: "状态", value: (c) => CASE_STATUS_NAMES[c.status] },
          { header: "描述", width: 40, value: (c) => c.description },
          { header: "地址", width: 24, value: (c) => c.address },
          { header: "网格", width: 20, value: (c) => c.grid?.name ?? "" },
          { header: "牵头部门", width: 24, value: (c) => c.lead?.name ?? "" },
          { header: "上报时间", width: 18, value: (c) => time(c.createdAt) },
          { header: "办结期限", width: 18, value: (c) => time(c.resolveDueAt) },
          {
            header: "期限状态",
            value: (c) =>
              c.dueState === "overdue" ? "已超期" : c.dueState === "due_soon" ? "即将超期" : "",
          },
          { header: "督办", value: (c) => (c.supervised ? "是" : "") },
        ],
        (limit, offset) =>
          service.listCases(deps, actor, {
            ...rest,
            statuses: status,
            gridPath,
            limit,
            offset,
            countCap: EXPORT_MAX_ROWS,
          }),
      );
      return reply;
    },
  );

  r.get(
    "/api/cases/map",
    {
      schema: {
        tags,
        summary:
          "Cases you may see on the map inside bbox=west,south,east,north, by inbox and with the list's filters: counts per cell (with open and overdue) when zoomed out, the cases themselves when few enough are in view",
        querystring: caseMapQuery,
        response: { 200: caseMapSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { gridCode, status, ...rest } = request.query;
      return service.caseMap(deps, actor, {
        ...rest,
        statuses: status,
        gridPath: await gridPathOf(gridCode),
      });
    },
  );

  r.get(
    "/api/cases/track",
    {
      config: anonymousLimit(10),
      schema: {
        tags,
        summary: "An anonymous reporter follows their case with its tracking code and secret",
        querystring: z.object({
          code: z.string().min(1).max(40),
          secret: z.string().min(1).max(100),
        }),
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => service.trackCase(deps, request.query.code, request.query.secret),
  );

  r.get(
    "/api/cases/:id",
    {
      config: anonymousLimit(20),
      schema: {
        tags,
        summary: "A case with its parties, timeline and the actions you may take",
        params: idParam,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => {
      const secret = trackingSecret(request);
      if (!request.actor && !secret) throw unauthenticated();
      if (!request.actor) {
        const detail = await service.getCaseBySecret(deps, request.params.id, secret as string);
        if (!detail) throw notFound("事件", "case");
        return detail;
      }
      return service.getCase(deps, request.actor, request.params.id);
    },
  );

  r.get(
    "/api/cases/:id/mentionable",
    {
      schema: {
        tags,
        summary:
          "Who you may @mention in a comment on the case: the people of its parties and the coordinators of its area (staff), and the reporter with an account (public comments only). Staff who work the case only.",
        params: idParam,
        response: { 200: z.object({ items: z.array(mentionableSchema) }) },
      },
    },
    async (request) => ({
      items: await service.caseMentionable(deps, requireActor(request), request.params.id),
    }),
  );

  r.post(
    "/api/cases/:id/:action",
    {
      config: anonymousLimit(10),
      schema: {
        tags,
        summary: `Take an action on a case: ${TRANSITIONS.join(", ")}. A state that does not allow it answers 409 with the allowed actions; a stale version answers 409.`,
        params: idParam.extend({ action: z.enum(TRANSITIONS as [string, ...string[]]) }),
        body: transitionBody,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => {
      const secret = trackingSecret(request);
      const actor = request.actor ?? (secret ? null : authorize(request, () => true));
      if (actor?.kind === "token" && !hasTokenScope("cases:write")(actor)) throw forbidden();
      return service.transition(
        deps,
        actor,
        request.params.id,
        request.params.action as Parameters<typeof service.transition>[3],
        request.body,
        { requestId: String(request.id), secret },
      );
    },
  );
}
