/** Health, public metadata and the audit trail's read side. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { type Kysely, sql } from "kysely";
import { z } from "zod";
import { listOf } from "../../../shared/schemas/common.js";
import type { Config } from "../../config.js";
import { RETRY_AFTER_SECONDS } from "../../db/connection-errors.js";
import type { Engine } from "../../db/database.js";
import type { DB } from "../../db/schema.js";
import { requirePermission } from "../../plugins/auth.js";
import { listAudit } from "../audit/audit.service.js";
import type { LiveStats } from "../events/live-connections.js";
import { districtOutline, findDistrict } from "../geo/areas.service.js";

export interface SystemDeps {
  db: Kysely<DB>;
  engine: Engine;
  config: Config;
  /** this server's live-update streams (events module) */
  live?: () => LiveStats;
}

const liveStats = z
  .object({
    connections: z.number().int(),
    droppedSlowClients: z.number().int(),
    sharedBusConnected: z.boolean(),
  })
  .optional();

const auditRow = z.object({
  id: z.string(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorTokenId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  /** null for a row committed after the chain was last linked (linked within a second) */
  hash: z.string().nullable(),
});

export async function systemRoutes(app: FastifyInstance, deps: SystemDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/health",
    {
      schema: {
        tags: ["system"],
        summary: "Liveness and database reachability",
        response: {
          200: z.object({
            status: z.literal("ok"),
            database: z.enum(["pglite", "postgresql"]),
            version: z.string(),
            /** open SSE streams, slow clients dropped, whether other servers' events arrive */
            live: liveStats,
          }),
          503: z.object({
            status: z.literal("unavailable"),
            database: z.enum(["pglite", "postgresql"]),
            version: z.string(),
          }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(deps.db);
        return {
          status: "ok" as const,
          database: deps.engine,
          version: deps.config.version,
          live: deps.live?.(),
        };
      } catch {
        // Load balancers take this server out until the database answers again.
        return reply
          .status(503)
          .header("retry-after", String(RETRY_AFTER_SECONDS))
          .send({
            status: "unavailable" as const,
            database: deps.engine,
            version: deps.config.version,
          });
      }
    },
  );

  r.get(
    "/api/meta",
    {
      schema: {
        tags: ["system"],
        summary: "Public facts the web app needs before login",
        response: {
          200: z.object({
            version: z.string(),
            mapTileUrl: z.string().nullable(),
            mapTileAttribution: z.string().nullable(),
            district: z.object({ code: z.string(), name: z.string() }).nullable(),
            /** The largest spreadsheet an import accepts, so the browser can say so before uploading. */
            importMaxBytes: z.number().int(),
          }),
        },
      },
    },
    async () => {
      const d = await findDistrict(deps);
      return {
        version: deps.config.version,
        mapTileUrl: deps.config.mapTileUrl ?? null,
        mapTileAttribution: deps.config.mapTileAttribution ?? null,
        district: d ? { code: d.code, name: d.name } : null,
        importMaxBytes: deps.config.importMaxBytes,
      };
    },
  );

  r.get(
    "/api/district.geojson",
    {
      schema: {
        tags: ["system"],
        summary:
          "The district's outline (public: reporters without an account place their pin inside it)",
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", "public, max-age=3600");
      return districtOutline(deps);
    },
  );

  r.get(
    "/api/audit",
    {
      schema: {
        tags: ["audit"],
        summary: "Read the audit trail, newest first",
        querystring: z.object({
          subjectType: z.string().max(64).optional(),
          subjectId: z.string().max(64).optional(),
          actorUserId: z.string().regex(/^\d+$/).optional(),
          action: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: listOf(auditRow) },
      },
    },
    async (request) => {
      requirePermission(request, "audit.read");
      const { items, total } = await listAudit(deps.db, request.query);
      return {
        items: items.map((a) => ({
          id: a.id,
          at: a.at.toISOString(),
          actorUserId: a.actor_user_id,
          actorTokenId: a.actor_token_id,
          actorLabel: a.actor_label,
          action: a.action,
          subjectType: a.subject_type,
          subjectId: a.subject_id,
          details: a.details,
          requestId: a.request_id,
          hash: a.hash,
        })),
        total,
      };
    },
  );
}
