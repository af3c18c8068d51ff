/**
 * `GET /api/events`: a Server-Sent Events stream of what concerns the
 * signed-in user (new notifications); with `caseId`, changes of that case
 * (after the same access check as reading it); with `topics=dashboard`, the
 * coordination centre's figures changing (coordination permission only).
 * The streams themselves live in live-connections.ts.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { forbidden, notFound } from "../../errors.js";
import { requireActor } from "../../plugins/auth.js";
import { hasPermission } from "../access/access.policy.js";
import { caseAccess } from "../cases/cases.service.js";
import { LIVE_TOPICS } from "./event-bus.js";
import type { LiveConnections } from "./live-connections.js";

const topicList = z
  .string()
  .max(200)
  .transform((s) => s.split(",").filter(Boolean))
  .pipe(z.array(z.enum(LIVE_TOPICS)));

export async function eventRoutes(
  app: FastifyInstance,
  deps: { db: Parameters<typeof caseAccess>[0]["db"]; live: LiveConnections },
) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/events",
    {
      schema: {
        tags: ["system"],
        summary:
          "Live updates (text/event-stream): `notifications` when you have new ones; with caseId, `case` when that case changes; with topics=dashboard (coordination permission), `dashboard` when the centre's figures change",
        querystring: z.object({
          caseId: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
          topics: topicList.optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { caseId, topics = [] } = request.query;
      const dashboard = topics.includes("dashboard");
      if (dashboard && !(actor.kind === "user" && hasPermission("coordination.read")(actor)))
        throw forbidden(
          "只有综治中心人员可以订阅看板更新 / the dashboard topic needs the coordination permission",
        );
      if (caseId && !(await caseAccess(deps, actor, caseId))) throw notFound("事件", "case");
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      deps.live.open(raw, { userId: actor.userId, caseId: caseId ?? null, dashboard });
    },
  );
}
