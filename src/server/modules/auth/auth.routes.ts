/** HTTP for log in, log out, who am I, password change and API tokens. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  changePasswordBody,
  createTokenBody,
  loginBody,
  meResponse,
  tokenSchema,
} from "../../../shared/schemas/auth.js";
import { idParam, listOf, pageQuery } from "../../../shared/schemas/common.js";
import type { Config } from "../../config.js";
import { requirePermission, requireSession, SESSION_COOKIE } from "../../plugins/auth.js";
import * as service from "./auth.service.js";

export async function authRoutes(
  app: FastifyInstance,
  deps: service.AuthDeps & { config: Config },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: deps.config.cookieSecure,
    maxAge: deps.config.sessionAbsoluteHours * 3600,
  };

  r.post(
    "/api/auth/login",
    {
      schema: {
        tags: ["auth"],
        summary: "Log in; sets the session cookie and returns the CSRF token",
        body: loginBody,
        response: { 200: meResponse },
      },
    },
    async (request, reply) => {
      const result = await service.login(deps, request.body, {
        ip: request.ip,
        userAgent: request.headers["user-agent"] ?? null,
        requestId: String(request.id),
      });
      reply.setCookie(SESSION_COOKIE, result.sessionToken, cookieOptions);
      return result.me;
    },
  );

  r.post(
    "/api/auth/logout",
    { schema: { tags: ["auth"], summary: "End this session" } },
    async (request, reply) => {
      const s = requireSession(request);
      await service.logout(deps, s, String(request.id));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send();
    },
  );

  r.get(
    "/api/auth/me",
    {
      schema: {
        tags: ["auth"],
        summary: "The current user, grants, permissions and CSRF token",
        response: { 200: meResponse },
      },
    },
    async (request) => {
      const s = requireSession(request);
      return service.presentMe(s.user, s.actor, s.csrfToken);
    },
  );

  r.post(
    "/api/auth/password",
    {
      schema: {
        tags: ["auth"],
        summary: "Change the password; ends the other sessions",
        body: changePasswordBody,
      },
    },
    async (request, reply) => {
      const s = requireSession(request);
      await service.changePassword(deps, s, request.body, String(request.id));
      return reply.status(204).send();
    },
  );

  r.get(
    "/api/admin/tokens",
    {
      schema: {
        tags: ["admin"],
        summary: "List API tokens",
        querystring: pageQuery,
        response: { 200: listOf(tokenSchema) },
      },
    },
    async (request) => {
      requirePermission(request, "admin.tokens");
      return service.listApiTokens(deps, request.query.limit, request.query.offset);
    },
  );

  r.post(
    "/api/admin/tokens",
    {
      schema: {
        tags: ["admin"],
        summary: "Create an API token; the token is shown once",
        body: createTokenBody,
        response: {
          201: z.object({
            id: z.string(),
            name: z.string(),
            scopes: z.array(z.string()),
            prefix: z.string(),
            token: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const actor = requirePermission(request, "admin.tokens");
      const created = await service.createApiToken(deps, actor, request.body, String(request.id));
      return reply.status(201).send(created);
    },
  );

  r.delete(
    "/api/admin/tokens/:id",
    { schema: { tags: ["admin"], summary: "Revoke an API token", params: idParam } },
    async (request, reply) => {
      const actor = requirePermission(request, "admin.tokens");
      await service.revokeApiToken(deps, actor, request.params.id, String(request.id));
      return reply.status(204).send();
    },
  );
}
