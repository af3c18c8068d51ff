/**
 * HTTP for open data: `GET /api/open-data/stats` and
 * `GET /api/open-data/cases.geojson`, public (no session is looked up, see
 * PUBLIC_PREFIXES in plugins/auth.ts) and cacheable by browsers and proxies.
 * Bodies leave as the service prepared them (text with an ETag); a matching
 * If-None-Match answers 304 without one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  openDataFeedQuery,
  openDataFeedSchema,
  openDataStatsQuery,
  openDataStatsSchema,
} from "../../../shared/schemas/open-data.js";
import { OpenData, type OpenDataDeps, type Published } from "./open-data.service.js";

/** Whether the client's If-None-Match names this entity tag (weak or strong, or `*`). */
export function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(",") : header).split(",");
  return tags.some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}

function sendPublished(
  request: FastifyRequest,
  reply: FastifyReply,
  p: Published,
  o: { contentType: string; maxAgeSeconds: number },
) {
  reply
    .header("cache-control", `public, max-age=${o.maxAgeSeconds}`)
    .header("etag", p.etag)
    .header("last-modified", new Date(p.computedAt).toUTCString())
    // Open data is meant to be read by other sites' pages too.
    .header("access-control-allow-origin", "*");
  if (etagMatches(request.headers["if-none-match"], p.etag)) return reply.status(304).send();
  return reply.type(o.contentType).send(p.body);
}

export async function openDataRoutes(app: FastifyInstance, deps: OpenDataDeps) {
  const openData = new OpenData({
    ...deps,
    onRefreshError:
      deps.onRefreshError ??
      ((err, key) => app.log.warn({ err, key }, "open data refresh failed; serving the old one")),
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["open data"];

  r.get(
    "/api/open-data/stats",
    {
      schema: {
        tags,
        summary:
          "Public statistics of cases (no login): totals, by category, by month (China time) and by street, with on-time rates. No personal data; sensitive categories are not counted by street; merged duplicates nowhere. Cached on the server (about 10 minutes) and for 5 minutes by clients; honours If-None-Match (304).",
        querystring: openDataStatsQuery,
        response: { 200: openDataStatsSchema },
      },
    },
    async (request, reply) =>
      sendPublished(request, reply, await openData.statistics(request.query.months), {
        contentType: "application/json; charset=utf-8",
        maxAgeSeconds: 300,
      }),
  );

  r.get(
    "/api/open-data/cases.geojson",
    {
      schema: {
        tags,
        summary:
          "Public cases as a GeoJSON FeatureCollection (no login), newest first: case code, category, open or closed, times, lead department, and the centre of the ~100 m cell the case lies in. Never sensitive categories or merged duplicates. Cached for a minute; honours If-None-Match (304).",
        querystring: openDataFeedQuery,
        response: { 200: openDataFeedSchema },
      },
    },
    async (request, reply) =>
      sendPublished(request, reply, await openData.feed(request.query), {
        contentType: "application/geo+json; charset=utf-8",
        maxAgeSeconds: 60,
      }),
  );
}
