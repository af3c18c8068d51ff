/**
 * What the case routes (and the routes hanging on cases, like attachments)
 * share: the anonymous reporter's tracking secret header, and the per-address
 * limit on callers without a session.
 */
import type { FastifyRequest } from "fastify";

/** The `x-tracking-secret` header, when it is there and of a sane length. */
export function trackingSecret(request: FastifyRequest): string | undefined {
  const s = request.headers["x-tracking-secret"];
  return typeof s === "string" && s.length > 0 && s.length <= 100 ? s : undefined;
}

/** Route config: at most `max` requests a minute per address without a session. */
export const anonymousLimit = (max: number) => ({
  rateLimit: {
    max: (request: FastifyRequest) => (request.actor ? 100_000 : max),
    timeWindow: "1 minute",
  },
});
