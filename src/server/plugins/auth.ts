/**
 * Who is calling: a session cookie (browser) or a bearer API token (other
 * systems). Cookie-authenticated requests that change state must carry the
 * session's CSRF token in `x-csrf-token`.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Permission } from "../../shared/roles.js";
import { forbidden, unauthenticated } from "../errors.js";
import { type Actor, hasPermission, type Rule } from "../modules/access/access.policy.js";
import {
  type AuthDeps,
  resolveApiToken,
  resolveSession,
  type SessionActor,
} from "../modules/auth/auth.service.js";
import { safeEqual } from "../modules/auth/tokens.js";

export const SESSION_COOKIE = "gongzhi_session";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionActor | null;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
// Paths that need no identity at all: skip the session lookup.
const PUBLIC_PREFIXES = [
  "/api/health",
  "/api/meta",
  "/api/docs",
  "/api/openapi.json",
  "/api/open-data",
];

export const authPlugin = fp(async (app: FastifyInstance, deps: AuthDeps) => {
  app.decorateRequest("actor", null);
  app.decorateRequest("session", null);

  app.addHook("onRequest", async (request) => {
    const url = request.url;
    if (!url.startsWith("/api/") || PUBLIC_PREFIXES.some((p) => url.startsWith(p))) return;

    const authz = request.headers.authorization;
    if (authz?.startsWith("Bearer ")) {
      const actor = await resolveApiToken(deps, authz.slice(7).trim());
      if (!actor) throw unauthenticated("API 令牌无效或已撤销 / Invalid or revoked API token");
      request.actor = actor;
      return;
    }
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return;
    const s = await resolveSession(deps, raw);
    if (!s) return;
    request.session = s;
    request.actor = s.actor;
    if (!SAFE_METHODS.has(request.method) && url !== "/api/auth/login") {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || !safeEqual(sent, s.csrfToken)) {
        throw forbidden(
          "缺少或无效的 CSRF 令牌，请刷新页面后重试 / Missing or invalid CSRF token (x-csrf-token header); reload and retry",
        );
      }
    }
  });
});

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

export function requireSession(request: FastifyRequest): SessionActor {
  if (!request.session) throw unauthenticated();
  return request.session;
}

/** The actor, if the rule allows them; 401 without identity, 403 otherwise. */
export function authorize(request: FastifyRequest, rule: Rule): Actor {
  const actor = requireActor(request);
  if (!rule(actor)) throw forbidden();
  return actor;
}

export function requirePermission(request: FastifyRequest, p: Permission): Actor {
  return authorize(request, hasPermission(p));
}
