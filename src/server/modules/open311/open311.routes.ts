/**
 * Open311 GeoReport v2 under /open311: the production endpoint /open311/v2,
 * a test endpoint /open311/test/v2 whose POSTs go the whole way and are then
 * rolled back, discovery at /open311/discovery.{json,xml}, and public photos
 * for media_url. Every answer, errors included, is in the format the URL's
 * extension asks for; errors in the specification's shape.
 */
import formbody from "@fastify/formbody";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../errors.js";
import { hasTokenScope } from "../access/access.policy.js";
import { readPublicImage } from "../attachments/attachments.service.js";
import type { FileStore } from "../attachments/file-store.js";
import { resolveApiToken } from "../auth/auth.service.js";
import { idempotencyKey } from "../cases/case-http.js";
import {
  CONTENT_TYPES,
  type Open311Error as Open311ErrorBody,
  type Open311Format,
  type Open311Object,
  renderErrors,
  renderList,
  renderObject,
} from "./open311.format.js";
import * as service from "./open311.service.js";

export const OPEN311_SCOPE = "open311:write";
const SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";
/** When this document (the mapping below) last changed. */
const CHANGESET = "2026-11-29T00:00:00+08:00";

export interface Open311RouteDeps extends service.Open311Deps {
  store: FileStore;
  /** Shown in discovery: who runs this endpoint. */
  contact?: string;
}

function formatOf(url: string): Open311Format {
  const path = url.split("?")[0] ?? "";
  return path.endsWith(".xml") ? "xml" : "json";
}

/** "dispute.neighbour.json" → the code and the format; null for other extensions. */
function splitFile(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m?.[1] && m[2] ? { name: m[1], format: m[2] as Open311Format } : null;
}

function send(reply: FastifyReply, format: Open311Format, body: string, status = 200) {
  return reply.status(status).type(CONTENT_TYPES[format]).send(body);
}

/** Query string and body together; the body wins (Open311 allows either for the key). */
function paramsOf(request: FastifyRequest): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body =
    request.body && typeof request.body === "object" && !Array.isArray(request.body)
      ? (request.body as Record<string, unknown>)
      : {};
  return { ...query, ...body };
}

function errorsOf(err: unknown): { status: number; errors: Open311ErrorBody[] } | null {
  if (err instanceof service.Open311Errors)
    return { status: 400, errors: err.descriptions.map((d) => ({ code: 400, description: d })) };
  if (err instanceof AppError)
    return { status: err.status, errors: [{ code: err.status, description: err.message }] };
  const fe = err as FastifyError;
  const known: Record<string, [number, string]> = {
    FST_ERR_CTP_BODY_TOO_LARGE: [413, "the request body is too large"],
    FST_ERR_CTP_INVALID_JSON_BODY: [400, "the body is not valid JSON"],
    FST_ERR_CTP_EMPTY_JSON_BODY: [400, "the JSON body is empty"],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: [
      415,
      "send application/x-www-form-urlencoded or application/json",
    ],
  };
  const k = fe.code ? known[fe.code] : undefined;
  if (k) return { status: k[0], errors: [{ code: k[0], description: k[1] }] };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return { status: fe.statusCode, errors: [{ code: fe.statusCode, description: fe.message }] };
  return null;
}

export async function open311Routes(app: FastifyInstance, deps: Open311RouteDeps) {
  await app.register(
    async (r) => {
      await r.register(formbody);

      r.setErrorHandler((err, request, reply) => {
        const format = formatOf(request.url);
        const known = errorsOf(err);
        if (known) return send(reply, format, renderErrors(format, known.errors), known.status);
        request.log.error({ err }, "unhandled error in Open311");
        const status = (err as { code?: string }).code?.startsWith("08") ? 503 : 500;
        return send(
          reply,
          format,
          renderErrors(format, [{ code: status, description: "internal error; retry later" }]),
          status,
        );
      });
      r.setNotFoundHandler((request, reply) => {
        const format = formatOf(request.url);
        return send(
          reply,
          format,
          renderErrors(format, [
            {
              code: 404,
              description: `no such Open311 resource: ${request.method} ${request.url.split("?")[0]}`,
            },
          ]),
          404,
        );
      });

      const baseOf = (request: FastifyRequest) =>
        deps.publicUrl ?? `${request.protocol}://${request.host}`;

      const checkJurisdiction = (request: FastifyRequest) =>
        service.checkJurisdiction(deps, paramsOf(request).jurisdiction_id);

      /** The API token named by api_key (query or body) or a bearer header, with the write scope. */
      async function writer(request: FastifyRequest) {
        const p = paramsOf(request);
        const authz = request.headers.authorization;
        const key =
          typeof p.api_key === "string" && p.api_key
            ? p.api_key
            : authz?.startsWith("Bearer ")
              ? authz.slice(7).trim()
              : "";
        if (!key) throw service.forbidden311("api_key is required to submit");
        const actor = await resolveApiToken(deps, key);
        if (!actor) throw service.forbidden311("api_key is not valid");
        if (!hasTokenScope(OPEN311_SCOPE)(actor))
          throw service.forbidden311(`api_key lacks the ${OPEN311_SCOPE} scope`);
        return actor;
      }

      const endpoints: [string, boolean][] = [
        ["/v2", false],
        ["/test/v2", true],
      ];
      for (const [base, dryRun] of endpoints) {
        for (const format of ["json", "xml"] as const) {
          r.get(`${base}/services.${format}`, async (request, reply) => {
            await checkJurisdiction(request);
            const items = await service.services(deps);
            return send(reply, format, renderList(format, "services", "service", items));
          });

          r.get(`${base}/requests.${format}`, async (request, reply) => {
            await checkJurisdiction(request);
            const items = await service.listRequests(
              deps,
              request.query as service.RequestsQuery,
              baseOf(request),
            );
            return send(reply, format, renderList(format, "service_requests", "request", items));
          });

          r.post(`${base}/requests.${format}`, async (request, reply) => {
            await checkJurisdiction(request);
            const actor = await writer(request);
            const items = await service.createRequest(deps, actor, paramsOf(request), {
              requestId: String(request.id),
              idempotencyKey: idempotencyKey(request),
              dryRun,
            });
            return send(
              reply,
              format,
              renderList(format, "service_requests", "request", items),
              dryRun ? 200 : 201,
            );
          });

          r.post(`${base}/servicerequestupdates.${format}`, async (request, reply) => {
            await checkJurisdiction(request);
            const actor = await writer(request);
            const items = await service.addUpdate(deps, actor, paramsOf(request), {
              requestId: String(request.id),
              dryRun,
            });
            return send(
              reply,
              format,
              renderList(format, "service_request_updates", "request_update", items),
              dryRun ? 200 : 201,
            );
          });

          r.get(`${base}/servicerequestupdates.${format}`, async (request, reply) => {
            await checkJurisdiction(request);
            const items = await service.listUpdates(
              deps,
              request.query as Record<string, unknown>,
              baseOf(request),
            );
            return send(
              reply,
              format,
              renderList(format, "service_requests_updates", "request_update", items),
            );
          });
        }

        r.get<{ Params: { file: string } }>(`${base}/services/:file`, async (request, reply) => {
          const f = splitFile(request.params.file);
          if (!f) throw service.notFound311("use services/{service_code}.json or .xml");
          await checkJurisdiction(request);
          const def = await service.serviceDefinition(deps, f.name);
          return send(reply, f.format, renderObject(f.format, "service_definition", def));
        });

        r.get<{ Params: { file: string } }>(`${base}/requests/:file`, async (request, reply) => {
          const f = splitFile(request.params.file);
          if (!f) throw service.notFound311("use requests/{service_request_id}.json or .xml");
          await checkJurisdiction(request);
          const items = await service.getRequest(deps, f.name, baseOf(request));
          return send(reply, f.format, renderList(f.format, "service_requests", "request", items));
        });

        r.get<{ Params: { file: string } }>(`${base}/tokens/:file`, async (request, reply) => {
          const f = splitFile(request.params.file);
          if (!f) throw service.notFound311("use tokens/{token}.json or .xml");
          await checkJurisdiction(request);
          const items = await service.requestForToken(deps, f.name);
          return send(reply, f.format, renderList(f.format, "service_requests", "request", items));
        });
      }

      for (const format of ["json", "xml"] as const) {
        r.get(`/discovery.${format}`, async (request, reply) => {
          const base = baseOf(request);
          const endpoint = (path: string, type: string): Open311Object => ({
            specification: SPECIFICATION,
            url: `${base}/open311${path}`,
            changeset: CHANGESET,
            type,
            formats: {
              item: "format",
              items: [CONTENT_TYPES.xml.split(";")[0] as string, "application/json"],
            },
          });
          const doc: Open311Object = {
            changeset: CHANGESET,
            contact:
              deps.contact ??
              "区社会治理综合指挥中心（综治中心）/ the district's comprehensive governance centre",
            key_service:
              "api_key：向平台管理员申请带 open311:write 权限的 API 令牌 / ask the platform administrator for an API token with the open311:write scope",
            endpoints: {
              item: "endpoint",
              items: [endpoint("/v2", "production"), endpoint("/test/v2", "test")],
            },
          };
          return send(reply, format, renderObject(format, "discovery", doc));
        });
      }

      r.get<{ Params: { file: string } }>("/v2/media/:file", async (request, reply) => {
        const m = /^(\d{1,18})\.(jpg|png|webp)$/.exec(request.params.file);
        if (!m?.[1]) throw service.notFound311("no such photo");
        const img = await readPublicImage(deps, m[1]).catch((err: unknown) => {
          if (err instanceof AppError && err.status === 404)
            throw service.notFound311("no such photo");
          throw err;
        });
        return reply
          .type(img.mime)
          .header("x-content-type-options", "nosniff")
          .header("cache-control", "public, max-age=86400")
          .send(img.bytes);
      });
    },
    { prefix: "/open311" },
  );
}
