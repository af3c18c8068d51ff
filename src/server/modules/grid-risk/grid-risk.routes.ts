/**
 * HTTP of the grid risk index: the ranking of grids, a grid's profile, the
 * early warnings and their steps, the weights (with a preview of the ranking
 * under new ones) and an admin's recompute. Scoped like the coordination
 * centre: an area outside the caller's grants answers 403, a grid or warning
 * outside them 404.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam } from "../../../shared/schemas/common.js";
import {
  acknowledgeWarningBody,
  createTaskBody,
  dismissWarningBody,
  gridCodeParam,
  gridProfileSchema,
  gridRiskListQuery,
  gridRiskListSchema,
  gridRiskSettingsInput,
  gridRiskSettingsSchema,
  gridWarningListQuery,
  gridWarningListSchema,
  gridWarningSchema,
  previewQuery,
  previewSchema,
  runResultSchema,
  updateGridRiskSettingsBody,
} from "../../../shared/schemas/grid-risk.js";
import { requireActor } from "../../plugins/auth.js";
import * as service from "./grid-risk.service.js";

export async function gridRiskRoutes(app: FastifyInstance, deps: service.GridRiskDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["grid risk"];

  r.get(
    "/api/grid-risk/grids",
    {
      schema: {
        tags,
        summary:
          "The grids of an area (default: all of yours) ranked by their latest risk index, with the change against 7 days before, the signals that give most points and an open warning",
        querystring: gridRiskListQuery,
        response: { 200: gridRiskListSchema },
      },
    },
    async (request) => service.listGrids(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/grid-risk/grids/:code",
    {
      schema: {
        tags,
        summary:
          "A grid's risk profile: each signal's raw and normalised value, weight and points, 90 days of scores, its people, housing, organisations, open cases, volunteers and 12 months of cases, its warnings",
        params: gridCodeParam,
        response: { 200: gridProfileSchema },
      },
    },
    async (request) => service.gridProfile(deps, requireActor(request), request.params.code),
  );

  r.get(
    "/api/grid-risk/warnings",
    {
      schema: {
        tags,
        summary:
          "Early warnings of the grids of an area (open and acknowledged first, then newest), with what the caller may do with each",
        querystring: gridWarningListQuery,
        response: { 200: gridWarningListSchema },
      },
    },
    async (request) => service.listWarnings(deps, requireActor(request), request.query),
  );

  r.post(
    "/api/grid-risk/warnings/:id/acknowledge",
    {
      schema: {
        tags,
        summary: "Acknowledge an open warning (send the version you saw; a newer one answers 409)",
        params: idParam,
        body: acknowledgeWarningBody,
        response: { 200: gridWarningSchema },
      },
    },
    async (request) =>
      service.acknowledgeWarning(
        deps,
        requireActor(request),
        request.params.id,
        request.body.version,
        String(request.id),
      ),
  );

  r.post(
    "/api/grid-risk/warnings/:id/dismiss",
    {
      schema: {
        tags,
        summary: "Dismiss a warning with the reason (coordinators and admins)",
        params: idParam,
        body: dismissWarningBody,
        response: { 200: gridWarningSchema },
      },
    },
    async (request) =>
      service.dismissWarning(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.post(
    "/api/grid-risk/warnings/:id/create-task",
    {
      schema: {
        tags,
        summary:
          "Turn a warning into a preventive case at the grid (治安防范漏洞: verified by the grid worker, then routed); the warning links it. Idempotent per warning",
        params: idParam,
        body: createTaskBody,
        response: { 200: gridWarningSchema },
      },
    },
    async (request) =>
      service.createTask(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.get(
    "/api/grid-risk/weights",
    {
      schema: {
        tags,
        summary:
          "The weights of the signals, the rise threshold and the level lines, with every change (who, when, why)",
        response: { 200: gridRiskSettingsSchema },
      },
    },
    async (request) => service.getSettings(deps, requireActor(request)),
  );

  r.put(
    "/api/grid-risk/weights",
    {
      schema: {
        tags,
        summary:
          "Change the weights, threshold and levels (admins and coordinators of the whole district; send the version you saw). Recent scores are re-weighted",
        body: updateGridRiskSettingsBody,
        response: { 200: gridRiskSettingsSchema },
      },
    },
    async (request) =>
      service.updateSettings(deps, requireActor(request), request.body, String(request.id)),
  );

  r.post(
    "/api/grid-risk/weights/preview",
    {
      schema: {
        tags,
        summary:
          "How the latest ranking of an area's grids would read under the settings sent (nothing is saved)",
        querystring: previewQuery,
        body: gridRiskSettingsInput,
        response: { 200: previewSchema },
      },
    },
    async (request) =>
      service.previewSettings(deps, requireActor(request), request.body, request.query.areaId),
  );

  r.post(
    "/api/grid-risk/run",
    {
      schema: {
        tags,
        summary:
          "Recompute today's index for every grid now and raise its warnings (admins; the grid-risk job does it nightly)",
        response: { 200: runResultSchema },
      },
    },
    async (request) =>
      service.runNow(
        { db: deps.db, config: deps.config, ...(deps.events ? { events: deps.events } : {}) },
        requireActor(request),
        String(request.id),
      ),
  );
}
