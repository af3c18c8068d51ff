/**
 * `GET /api/events`: a Server-Sent Events stream of what concerns the
 * signed-in user (new notifications) and, with `caseId`, changes of that
 * case (after the same access check as reading it). A comment line every
 * 25 s keeps proxies from closing it; a client that does not read is dropped
 * rather than buffered without bound.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../errors.js";
import { requireActor } from "../../plugins/auth.js";
import { caseAccess } from "../cases/cases.service.js";
import type { EventBus, LiveEvent } from "./event-bus.js";

/** Bytes a slow client may have waiting before it is dropped. */
const MAX_BUFFERED = 64 * 1024;
const HEARTBEAT_MS = 25_000;

export async function eventRoutes(
  app: FastifyInstance,
  deps: { db: Parameters<typeof caseAccess>[0]["db"]; events: EventBus },
) {
  // Open streams end when the server closes, so shutdown does not wait on them.
  const open = new Set<() => void>();
  app.addHook("onClose", async () => {
    for (const stop of [...open]) stop();
  });
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/events",
    {
      schema: {
        tags: ["system"],
        summary:
          "Live updates (text/event-stream): `notifications` when you have new ones; with caseId, `case` when that case changes",
        querystring: z.object({
          caseId: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const caseId = request.query.caseId;
      if (caseId && !(await caseAccess(deps, actor, caseId))) throw notFound("事件", "case");
      const userId = actor.userId;
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        raw.write(text);
        if (raw.writableLength > MAX_BUFFERED) stop();
      };
      const onEvent = (e: LiveEvent) => {
        if (e.type === "notifications" && userId && e.userIds.includes(userId))
          send(`event: notifications\ndata: {}\n\n`);
        if (e.type === "case" && e.caseId === caseId)
          send(`event: case\ndata: ${JSON.stringify({ id: e.caseId, version: e.version })}\n\n`);
      };
      const unsubscribe = deps.events.subscribe(onEvent);
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      function stop() {
        if (closed) return;
        closed = true;
        open.delete(stop);
        clearInterval(heartbeat);
        unsubscribe();
        raw.end();
      }
      open.add(stop);
      raw.on("close", stop);
      send(`retry: 5000\nevent: ready\ndata: {}\n\n`);
    },
  );
}
