/** HTTP for organisations (actual organisations: enterprises and associations). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  createOrganisationBody,
  organisationDetailSchema,
  organisationListQuery,
  organisationSchema,
  updateOrganisationBody,
} from "../../../shared/schemas/organisations.js";
import { authorize } from "../../plugins/auth.js";
import { canEditAnyBaseData } from "../access/access.policy.js";
import { sendXlsx } from "../exports/xlsx-export.js";
import { findAreaByCode } from "../geo/areas.service.js";
import * as service from "./organisations.service.js";

type Organisation = z.infer<typeof organisationSchema>;

const ASSOCIATION_KIND_NAMES = {
  hometown: "同乡会",
  trade: "行业协会",
  new_citizen: "新市民协会",
  social: "社会组织",
} as const;

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
    "/api/organisations/export.xlsx",
    {
      schema: {
        tags,
        summary: "The organisation list, with the same filters, as XLSX",
        querystring: organisationListQuery.omit({ limit: true, offset: true }),
      },
    },
    async (request, reply) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      const { gridCode, ...rest } = request.query;
      const gridPath =
        gridCode === undefined
          ? undefined
          : ((await findAreaByCode(deps, gridCode))?.path ?? "/none/");
      await sendXlsx(
        reply,
        "实有单位.xlsx",
        "实有单位",
        [
          { header: "名称", width: 32, value: (o: Organisation) => o.name },
          { header: "类型", value: (o) => (o.kind === "enterprise" ? "企业" : "协会") },
          { header: "统一社会信用代码", width: 22, value: (o) => o.uscc },
          { header: "行业", value: (o) => o.industry },
          { header: "规模", value: (o) => o.size },
          { header: "地址", width: 30, value: (o) => o.address },
          { header: "安全员", value: (o) => o.safetyOfficer },
          { header: "安全员电话", value: (o) => o.safetyOfficerPhone },
          { header: "在职人数", value: (o) => o.employees },
          { header: "所属网格", width: 24, value: (o) => o.grid.name },
          {
            header: "协会类型",
            value: (o) => (o.associationKind ? ASSOCIATION_KIND_NAMES[o.associationKind] : null),
          },
        ],
        (limit, offset) =>
          service.listOrganisations(deps, actor, { ...rest, gridPath, limit, offset }),
      );
      return reply;
    },
  );

  r.get(
    "/api/organisations/industries",
    {
      schema: {
        tags,
        summary: "The industries of the organisations you may see, most common first",
        response: {
          200: listOf(z.object({ industry: z.string(), count: z.number().int() })),
        },
      },
    },
    async (request) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      return service.listIndustries(deps, actor);
    },
  );

  r.get(
    "/api/organisations/:id",
    {
      schema: {
        tags,
        summary: "One organisation, with the areas above its grid and its count of rental units",
        params: idParam,
        response: { 200: organisationDetailSchema },
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
        response: { 201: organisationDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, canEditAnyBaseData);
      return reply
        .status(201)
        .send(await service.createOrganisation(deps, actor, request.body, String(request.id)));
    },
  );

  r.patch(
    "/api/organisations/:id",
    {
      schema: {
        tags,
        summary:
          "Change an organisation's facts (not its kind); null clears an optional field; audited",
        params: idParam,
        body: updateOrganisationBody,
        response: { 200: organisationDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, canEditAnyBaseData);
      return service.updateOrganisation(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
    },
  );
}
