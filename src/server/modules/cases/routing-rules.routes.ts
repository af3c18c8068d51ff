/** HTTP for the responsibility list: rules, their history, and the routing preview. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  routingPreviewBody,
  routingPreviewSchema,
  routingRuleBody,
  routingRuleListQuery,
  routingRuleSchema,
  updateRoutingRuleBody,
} from "../../../shared/schemas/cases.js";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import { requireActor } from "../../plugins/auth.js";
import * as service from "./routing-rules.service.js";

const ruleDetail = routingRuleSchema.extend({
  history: z.array(
    z.object({
      version: z.number().int(),
      change: z.enum(["created", "updated", "deactivated", "reactivated"]),
      snapshot: z.record(z.string(), z.unknown()),
      changedAt: z.string(),
      changedBy: z.string().nullable(),
    }),
  ),
});

export async function routingRuleRoutes(app: FastifyInstance, deps: service.RoutingDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["routing rules"];

  r.get(
    "/api/routing-rules",
    {
      schema: {
        tags,
        summary: "The responsibility list (权责清单): rules by category and area",
        querystring: routingRuleListQuery,
        response: { 200: listOf(routingRuleSchema) },
      },
    },
    async (request) => service.listRules(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/routing-rules/:id",
    {
      schema: {
        tags,
        summary: "A rule with every earlier version",
        params: idParam,
        response: { 200: ruleDetail },
      },
    },
    async (request) => service.getRule(deps, requireActor(request), request.params.id),
  );

  r.post(
    "/api/routing-rules",
    {
      schema: {
        tags,
        summary: "Add a rule (coordinators, for their area)",
        body: routingRuleBody,
        response: { 201: ruleDetail },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createRule(deps, requireActor(request), request.body, String(request.id)),
        ),
  );

  r.patch(
    "/api/routing-rules/:id",
    {
      schema: {
        tags,
        summary: "Change or deactivate a rule; send the version you saw (409 if it changed)",
        params: idParam,
        body: updateRoutingRuleBody,
        response: { 200: ruleDetail },
      },
    },
    async (request) =>
      service.updateRule(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.post(
    "/api/routing-rules/preview",
    {
      schema: {
        tags,
        summary:
          "Test the list: where a case of this category at this place goes, now and with a draft rule",
        body: routingPreviewBody,
        response: { 200: routingPreviewSchema },
      },
    },
    async (request) => service.previewRouting(deps, requireActor(request), request.body),
  );
}
