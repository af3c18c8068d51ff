/** HTTP for hazards (/api/hazards), the coordination map's major hazards and spot-checks (/api/spot-checks). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  completeHazardBody,
  createHazardBody,
  drawSpotCheckBody,
  hazardDetailSchema,
  hazardListQuery,
  hazardMapSchema,
  hazardSchema,
  planHazardBody,
  recordFindingBody,
  spotCheckDetailSchema,
  spotCheckListQuery,
  spotCheckSchema,
  superviseHazardBody,
  verifyHazardBody,
} from "../../../shared/schemas/inspections.js";
import { authorize } from "../../plugins/auth.js";
import { isStaff } from "../access/access.policy.js";
import { canDrawSpotChecks } from "./hazards.policy.js";
import * as service from "./hazards.service.js";
import * as spotChecks from "./spot-checks.service.js";

export async function hazardRoutes(app: FastifyInstance, deps: service.HazardsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["hazards"];

  r.get(
    "/api/hazards",
    {
      schema: {
        tags,
        summary:
          "Hazards you may see (an enterprise officer: their own; staff: enterprises in their area; a department: those it supervises). `status` takes a comma-separated list.",
        querystring: hazardListQuery,
        response: { 200: listOf(hazardSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.listHazards(deps, actor, request.query);
    },
  );

  r.get(
    "/api/hazards/map",
    {
      schema: {
        tags,
        summary: "Major hazards not yet closed, as GeoJSON points (for the coordination map)",
        response: { 200: hazardMapSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.hazardMap(deps, actor);
    },
  );

  r.get(
    "/api/hazards/:id",
    {
      schema: {
        tags,
        summary: "One hazard with its evidence, timeline and your allowed actions",
        params: idParam,
        response: { 200: hazardDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.getHazard(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/hazards",
    {
      schema: {
        tags,
        summary:
          "Record a hazard: staff of the enterprise's area (source staff), or the enterprise's officer reporting its own (source report)",
        body: createHazardBody,
        response: { 201: hazardDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isStaff);
      return reply
        .status(201)
        .send(await service.createHazard(deps, actor, request.body, String(request.id)));
    },
  );

  const action = <A extends "plan" | "complete" | "verify" | "supervise">(
    name: A,
    summary: string,
    body:
      | typeof planHazardBody
      | typeof completeHazardBody
      | typeof verifyHazardBody
      | typeof superviseHazardBody,
  ) =>
    r.post(
      `/api/hazards/:id/${name}`,
      {
        schema: {
          tags,
          summary: `${summary} Not allowed now: 409 with the allowed actions; no right: 403; stale version: 409.`,
          params: idParam,
          body,
          response: { 200: hazardDetailSchema },
        },
      },
      async (request) => {
        const actor = authorize(request, isStaff);
        return service.actOnHazard(
          deps,
          actor,
          request.params.id,
          { action: name, body: request.body } as Parameters<typeof service.actOnHazard>[3],
          String(request.id),
        );
      },
    );
  action("plan", "The enterprise's rectification plan (open → rectifying).", planHazardBody);
  action(
    "complete",
    "The enterprise reports it rectified, with photos (rectifying → submitted).",
    completeHazardBody,
  );
  action(
    "verify",
    "Government accepts (→ closed) or sends back with a reason (→ rectifying). A major hazard: the supervising department or a coordinator only.",
    verifyHazardBody,
  );
  action(
    "supervise",
    "A department officer puts a major hazard under their department's supervision (挂牌督办).",
    superviseHazardBody,
  );

  // ---------------------------------------------------------- spot-checks

  const stags = ["spot-checks"];

  r.get(
    "/api/spot-checks",
    {
      schema: {
        tags: stags,
        summary: "Spot-checks drawn by your department, or in your area (coordinators)",
        querystring: spotCheckListQuery,
        response: { 200: listOf(spotCheckSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, canDrawSpotChecks);
      return spotChecks.listSpotChecks(deps, actor, request.query);
    },
  );

  r.post(
    "/api/spot-checks",
    {
      schema: {
        tags: stags,
        summary:
          "Draw a risk-weighted random sample of N enterprises in your area (optionally of one industry or area); the weights are recorded",
        body: drawSpotCheckBody,
        response: { 201: spotCheckDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, canDrawSpotChecks);
      return reply
        .status(201)
        .send(await spotChecks.drawSpotCheck(deps, actor, request.body, String(request.id)));
    },
  );

  r.get(
    "/api/spot-checks/:id",
    {
      schema: {
        tags: stags,
        summary: "One spot-check with the drawn enterprises, their weights and findings",
        params: idParam,
        response: { 200: spotCheckDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, canDrawSpotChecks);
      return spotChecks.getSpotCheck(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/spot-checks/:id/items/:itemId/finding",
    {
      schema: {
        tags: stags,
        summary:
          "Record the finding at one drawn enterprise (once); hazards found become hazards (source spot_check)",
        params: idParam.extend({ itemId: idParam.shape.id }),
        body: recordFindingBody,
        response: { 200: spotCheckDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, canDrawSpotChecks);
      return spotChecks.recordFinding(
        deps,
        actor,
        request.params.id,
        request.params.itemId,
        request.body,
        String(request.id),
      );
    },
  );
}
