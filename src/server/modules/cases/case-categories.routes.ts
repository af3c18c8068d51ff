/** HTTP for taxonomy editing: a category with its history; add, change, retire, restore. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  categoryDetailSchema,
  createCategoryBody,
  retireCategoryBody,
  updateCategoryBody,
} from "../../../shared/schemas/case-categories.js";
import { authorize } from "../../plugins/auth.js";
import * as service from "./case-categories.service.js";

const codeParam = z.object({
  code: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/, "分类代码无效 / bad category code"),
});

export async function caseCategoryRoutes(app: FastifyInstance, deps: service.CategoryDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["cases"];
  const detail = { 200: categoryDetailSchema };

  r.get(
    "/api/categories/:code",
    {
      schema: {
        tags,
        summary: "A category with every version (who changed what, when and why)",
        params: codeParam,
        response: detail,
      },
    },
    async (request) => service.getCategory(deps, request.actor ?? null, request.params.code),
  );

  r.post(
    "/api/categories",
    {
      schema: {
        tags,
        summary: "Add a family or a category (district coordinators and admins)",
        body: createCategoryBody,
        response: { 201: categoryDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, service.canEditTaxonomy);
      const created = await service.createCategory(deps, actor, request.body, request.id);
      return reply.code(201).send(created);
    },
  );

  r.put(
    "/api/categories/:code",
    {
      schema: {
        tags,
        summary: "Change a category: its name, form fields, deadlines and flags (a new version)",
        params: codeParam,
        body: updateCategoryBody,
        response: detail,
      },
    },
    async (request) => {
      const actor = authorize(request, service.canEditTaxonomy);
      return service.updateCategory(deps, actor, request.params.code, request.body, request.id);
    },
  );

  for (const [action, retire] of [
    ["retire", true],
    ["restore", false],
  ] as const) {
    r.post(
      `/api/categories/:code/${action}`,
      {
        schema: {
          tags,
          summary: retire
            ? "Retire a category: no longer offered for new reports; its cases keep it"
            : "Offer a retired category again",
          params: codeParam,
          body: retireCategoryBody,
          response: detail,
        },
      },
      async (request) => {
        const actor = authorize(request, service.canEditTaxonomy);
        return service.setRetired(
          deps,
          actor,
          request.params.code,
          retire,
          request.body,
          request.id,
        );
      },
    );
  }
}
