/**
 * What the case routes (and the routes hanging on cases, like attachments)
 * share: the anonymous reporter's tracking secret header, and the per-address
 * limit on callers without a session.
 */
import type { FastifyRequest } from "fastify";
import { validation } from "../../errors.js";

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

/** The `Idempotency-Key` header (1–200 characters), if sent; another length is refused. */
export function idempotencyKey(request: FastifyRequest): string | undefined {
  const k = request.headers["idempotency-key"];
  if (k === undefined) return undefined;
  if (typeof k !== "string" || k.length < 1 || k.length > 200)
    throw validation(
      "Idempotency-Key 应为 1–200 个字符 / Idempotency-Key must be 1–200 characters",
    );
  return k;
}
