/** HTTP for saved filters: list, save, rename or change, delete — each user their own. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  createSavedFilterBody,
  savedFilterListQuery,
  savedFilterSchema,
  updateSavedFilterBody,
} from "../../../shared/schemas/saved-filters.js";
import { requireActor } from "../../plugins/auth.js";
import * as service from "./saved-filters.service.js";

export async function savedFilterRoutes(app: FastifyInstance, deps: service.SavedFiltersDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["saved filters"];

  r.get(
    "/api/saved-filters",
    {
      schema: {
        tags,
        summary: "Your saved filters of a list (scope=cases: the case inbox), oldest first",
        querystring: savedFilterListQuery,
        response: { 200: listOf(savedFilterSchema) },
      },
    },
    async (request) => service.listSavedFilters(deps, requireActor(request), request.query.scope),
  );

  r.post(
    "/api/saved-filters",
    {
      schema: {
        tags,
        summary:
          "Save the inbox's tab, filters and search under a name (the query as GET /api/cases takes it, without paging). At most 30 each (422); a name you already use answers 409.",
        body: createSavedFilterBody,
        response: { 201: savedFilterSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createSavedFilter(deps, requireActor(request), request.body)),
  );

  r.patch(
    "/api/saved-filters/:id",
    {
      schema: {
        tags,
        summary: "Rename a saved filter or replace its query",
        params: idParam,
        body: updateSavedFilterBody,
        response: { 200: savedFilterSchema },
      },
    },
    async (request) =>
      service.updateSavedFilter(deps, requireActor(request), request.params.id, request.body),
  );

  r.delete(
    "/api/saved-filters/:id",
    {
      schema: {
        tags,
        summary: "Delete a saved filter",
        params: idParam,
      },
    },
    async (request, reply) => {
      await service.deleteSavedFilter(deps, requireActor(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
