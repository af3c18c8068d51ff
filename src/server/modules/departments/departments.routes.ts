/** HTTP for departments. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { DEPARTMENT_KINDS, departmentSummary } from "../../../shared/schemas/areas.js";
import { listOf } from "../../../shared/schemas/common.js";
import { requirePermission } from "../../plugins/auth.js";
import * as service from "./departments.service.js";

const listQuery = z.object({
  kind: z.enum(DEPARTMENT_KINDS).optional(),
  q: z.string().trim().max(64).optional(),
  areaCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function departmentRoutes(app: FastifyInstance, deps: service.DepartmentDeps) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/departments",
    {
      schema: {
        tags: ["departments"],
        summary: "List departments (filter by kind, text, or an area they cover)",
        querystring: listQuery,
        response: { 200: listOf(departmentSummary) },
      },
    },
    async (request) => {
      requirePermission(request, "departments.read");
      return service.listDepartments(deps, request.query);
    },
  );
}
