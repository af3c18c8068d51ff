/** HTTP for the notification bell: the list with the unread count, and marking read. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireActor } from "../../plugins/auth.js";
import * as service from "./notifications.service.js";

const notification = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  caseId: z.string().nullable(),
  caseCode: z.string().nullable(),
  /** the in-app page to open (a case's page for case notifications) */
  link: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

export async function notificationRoutes(app: FastifyInstance, deps: service.NotificationsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["notifications"];

  r.get(
    "/api/notifications",
    {
      schema: {
        tags,
        summary: "Your notifications, newest first, with the unread count",
        querystring: z.object({
          unread: z.enum(["true", "false"]).default("false"),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            items: z.array(notification),
            total: z.number().int(),
            unread: z.number().int(),
          }),
        },
      },
    },
    async (request) =>
      service.listNotifications(deps, requireActor(request), {
        unreadOnly: request.query.unread === "true",
        limit: request.query.limit,
        offset: request.query.offset,
      }),
  );

  r.post(
    "/api/notifications/read",
    {
      schema: {
        tags,
        summary: "Mark notifications read: the given ids, or all",
        body: z.union([
          z.strictObject({
            ids: z
              .array(z.string().regex(/^\d{1,18}$/))
              .min(1)
              .max(500),
          }),
          z.strictObject({ all: z.literal(true) }),
        ]),
        response: { 200: z.object({ updated: z.number().int() }) },
      },
    },
    async (request) =>
      service.markRead(
        deps,
        requireActor(request),
        "all" in request.body ? "all" : request.body.ids,
      ),
  );
}
