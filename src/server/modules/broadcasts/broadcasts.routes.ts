/**
 * HTTP of targeted broadcasts (/api/broadcasts…): issuers write, preview
 * the reach (counts), send and follow them; recipients list theirs (`mine`)
 * and mark one read. Out of scope answers 404; nobody's number is shown.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  audienceCountsSchema,
  broadcastDetailSchema,
  broadcastListQuery,
  broadcastPreviewBody,
  broadcastSummarySchema,
  broadcastVersionBody,
  broadcastViewSchema,
  createBroadcastBody,
  myBroadcastsQuery,
  myBroadcastsSchema,
  receivedBroadcastSchema,
  updateBroadcastBody,
} from "../../../shared/schemas/broadcasts.js";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import { authorize } from "../../plugins/auth.js";
import { isIssuer, isPerson } from "./broadcasts.policy.js";
import * as service from "./broadcasts.service.js";

export async function broadcastRoutes(app: FastifyInstance, deps: service.BroadcastsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["broadcasts"];
  const ctx = (request: { id: unknown }) => ({ requestId: String(request.id) });

  r.get(
    "/api/broadcasts",
    {
      schema: {
        tags,
        summary:
          "Broadcasts issued in the caller's areas, by their department or by them, newest first, with delivery counts",
        querystring: broadcastListQuery,
        response: { 200: listOf(broadcastSummarySchema) },
      },
    },
    async (request) => service.listBroadcasts(deps, authorize(request, isIssuer), request.query),
  );

  r.post(
    "/api/broadcasts",
    {
      schema: {
        tags,
        summary:
          "Write a broadcast (a draft): title, text, category, SMS or not, and the audience — residents of an area, employees of enterprises, volunteers of an area or team",
        body: createBroadcastBody,
        response: { 201: broadcastDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isIssuer);
      return reply
        .status(201)
        .send(await service.createBroadcast(deps, actor, request.body, ctx(request)));
    },
  );

  r.post(
    "/api/broadcasts/preview",
    {
      schema: {
        tags,
        summary:
          "How many people an audience reaches now: in the app, by SMS, both, and not at all — counts only",
        body: broadcastPreviewBody,
        response: { 200: audienceCountsSchema },
      },
    },
    async (request) =>
      service.previewAudience(
        deps,
        authorize(request, isIssuer),
        request.body.audience,
        request.body.sms,
      ),
  );

  r.get(
    "/api/broadcasts/mine",
    {
      schema: {
        tags,
        summary:
          "The broadcasts that reached the caller in the app, newest first, with the unread count",
        querystring: myBroadcastsQuery,
        response: { 200: myBroadcastsSchema },
      },
    },
    async (request) =>
      service.listMine(deps, authorize(request, isPerson), {
        unreadOnly: request.query.unread === "true",
        limit: request.query.limit,
        offset: request.query.offset,
      }),
  );

  r.get(
    "/api/broadcasts/:id",
    {
      schema: {
        tags,
        summary:
          "One broadcast: for its issuers the detail with counts and log (view=issuer); for a recipient the message and their receipt (view=recipient)",
        params: idParam,
        response: { 200: broadcastViewSchema },
      },
    },
    async (request) => service.getBroadcast(deps, authorize(request, isPerson), request.params.id),
  );

  r.patch(
    "/api/broadcasts/:id",
    {
      schema: {
        tags,
        summary: "Change a draft (409 once sent)",
        params: idParam,
        body: updateBroadcastBody,
        response: { 200: broadcastDetailSchema },
      },
    },
    async (request) =>
      service.updateBroadcast(
        deps,
        authorize(request, isIssuer),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.delete(
    "/api/broadcasts/:id",
    {
      schema: { tags, summary: "Delete a draft (409 once sent)", params: idParam },
    },
    async (request, reply) => {
      await service.deleteBroadcast(
        deps,
        authorize(request, isIssuer),
        request.params.id,
        ctx(request),
      );
      return reply.status(204).send();
    },
  );

  r.post(
    "/api/broadcasts/:id/send",
    {
      schema: {
        tags,
        summary:
          "Send a draft: its audience is fixed now and delivered by the broadcast-delivery job in batches (status sending, then sent). 409 when sent already",
        params: idParam,
        body: broadcastVersionBody,
        response: { 200: broadcastDetailSchema },
      },
    },
    async (request) =>
      service.sendBroadcast(
        deps,
        authorize(request, isIssuer),
        request.params.id,
        request.body.version,
        ctx(request),
      ),
  );

  r.post(
    "/api/broadcasts/:id/read",
    {
      schema: {
        tags,
        summary: "The recipient opened it: read (the first time counts in the read receipts)",
        params: idParam,
        response: { 200: receivedBroadcastSchema },
      },
    },
    async (request) => service.readBroadcast(deps, authorize(request, isPerson), request.params.id),
  );
}
