/** HTTP for organisations (actual organisations: enterprises and associations). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  createOrganisationBody,
  organisationListQuery,
  organisationSchema,
} from "../../../shared/schemas/organisations.js";
import { authorize } from "../../plugins/auth.js";
import { canEditAnyBaseData } from "../access/access.policy.js";
import { findAreaByCode } from "../geo/areas.service.js";
import * as service from "./organisations.service.js";

export async function organisationRoutes(app: FastifyInstance, deps: service.OrganisationsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["organisations"];

  r.get(
    "/api/organisations",
    {
      schema: {
        tags,
        summary: "Enterprises and associations you may see",
        querystring: organisationListQuery,
        response: { 200: listOf(organisationSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      const { gridCode, ...rest } = request.query;
      const gridPath =
        gridCode === undefined
          ? undefined
          : ((await findAreaByCode(deps, gridCode))?.path ?? "/none/");
      return service.listOrganisations(deps, actor, { ...rest, gridPath });
    },
  );

  r.get(
    "/api/organisations/:id",
    {
      schema: {
        tags,
        summary: "One organisation",
        params: idParam,
        response: { 200: organisationSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      return service.getOrganisation(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/organisations",
    {
      schema: {
        tags,
        summary: "Register an enterprise (with USCC) or an association",
        body: createOrganisationBody,
        response: { 201: organisationSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, canEditAnyBaseData);
      return reply
        .status(201)
        .send(await service.createOrganisation(deps, actor, request.body, String(request.id)));
    },
  );
}
