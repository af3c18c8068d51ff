/** HTTP for areas: list, detail, GeoJSON, boundary edits and point lookup. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  areaDetail,
  areaLevel,
  areaListQuery,
  areaSummary,
  locateQuery,
  updateBoundaryBody,
} from "../../../shared/schemas/areas.js";
import { listOf } from "../../../shared/schemas/common.js";
import { requirePermission } from "../../plugins/auth.js";
import * as service from "./areas.service.js";

const codeParam = z.object({
  code: z.string().regex(/^\d{6,18}$/, "区域代码应为 6–18 位数字 / area code is 6–18 digits"),
});

export async function areaRoutes(app: FastifyInstance, deps: service.GeoDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/areas",
    {
      schema: {
        tags: ["areas"],
        summary: "List areas",
        querystring: areaListQuery,
        response: { 200: listOf(areaSummary) },
      },
    },
    async (request) => {
      requirePermission(request, "areas.read");
      return service.listAreas(deps, request.query);
    },
  );

  r.get(
    "/api/areas/locate",
    {
      schema: {
        tags: ["areas"],
        summary: "The grid (and its ancestors) that contains a point",
        querystring: locateQuery,
        response: {
          200: z.object({ grid: areaSummary.nullable(), ancestors: z.array(areaSummary) }),
        },
      },
    },
    async (request) => {
      requirePermission(request, "areas.read");
      return service.locatePoint(deps, request.query.lng, request.query.lat);
    },
  );

  r.get(
    "/api/areas/:code",
    {
      schema: {
        tags: ["areas"],
        summary: "One area with its boundary",
        params: codeParam,
        response: { 200: areaDetail },
      },
    },
    async (request) => {
      const actor = requirePermission(request, "areas.read");
      return service.getArea(deps, actor, request.params.code);
    },
  );

  r.get(
    "/api/areas/:code/geojson",
    {
      schema: {
        tags: ["areas"],
        summary:
          "The area (children=0), its direct children (children=1) or, with level=…, all its areas of that level (the grids of a district, say) as a GeoJSON FeatureCollection",
        params: codeParam,
        querystring: z.object({
          children: z.enum(["0", "1"]).default("1"),
          level: areaLevel.optional(),
        }),
      },
    },
    async (request) => {
      requirePermission(request, "areas.read");
      const { children, level } = request.query;
      return service.areaGeoJson(deps, request.params.code, level ?? children === "1");
    },
  );

  r.put(
    "/api/areas/:code/boundary",
    {
      schema: {
        tags: ["areas"],
        summary: "Redraw an area's boundary (coordinators within their area)",
        params: codeParam,
        body: updateBoundaryBody,
        response: { 200: areaDetail },
      },
    },
    async (request) => {
      const actor = requirePermission(request, "areas.edit");
      return service.updateAreaBoundary(
        deps,
        actor,
        request.params.code,
        request.body,
        String(request.id),
      );
    },
  );
}
