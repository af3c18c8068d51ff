/**
 * What the request log may say. Fastify logs every request's URL; a search by
 * exact ID or phone number (`GET /api/residents?idNumber=…`) would put the
 * number in the log. Those query values are replaced before logging.
 */
import type { FastifyRequest } from "fastify";

/** Query parameters whose values are personal numbers. */
const PERSONAL_PARAMS = new Set(["idnumber", "phone", "mobile"]);

export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = eq < 0 ? pair : pair.slice(0, eq);
      let name = key;
      try {
        name = decodeURIComponent(key.replace(/\+/g, " "));
      } catch {
        // a malformed escape: compare the raw key
      }
      return eq >= 0 && PERSONAL_PARAMS.has(name.toLowerCase()) ? `${key}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${parts.join("&")}`;
}

/** Fastify's request serializer, with the URL redacted. */
export const requestLogSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    };
  },
};
