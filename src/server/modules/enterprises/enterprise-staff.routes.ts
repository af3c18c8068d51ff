/** HTTP for an enterprise's staff accounts (员工账号), kept by its managers. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam } from "../../../shared/schemas/common.js";
import {
  createStaffBody,
  staffAccountSchema,
  staffListQuery,
  staffListSchema,
} from "../../../shared/schemas/enterprise-staff.js";
import { authorize } from "../../plugins/auth.js";
import * as service from "./enterprise-staff.service.js";

const anyone = () => true;
const userParams = idParam.extend({ userId: idParam.shape.id });

export async function enterpriseStaffRoutes(app: FastifyInstance, deps: service.StaffDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["enterprises"];

  r.get(
    "/api/enterprises/:id/staff",
    {
      schema: {
        tags,
        summary:
          "The enterprise's officer and manager accounts, managers first (its managers, and admins of its area)",
        params: idParam,
        querystring: staffListQuery,
        response: { 200: staffListSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.listStaff(deps, actor, request.params.id, request.query);
    },
  );

  r.post(
    "/api/enterprises/:id/staff",
    {
      schema: {
        tags,
        summary: "Create an officer account of the enterprise with an initial password",
        params: idParam,
        body: createStaffBody,
        response: { 201: staffAccountSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, anyone);
      const account = await service.createStaff(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
      return reply.status(201).send(account);
    },
  );

  for (const [action, to] of [
    ["deactivate", "disabled"],
    ["reactivate", "active"],
  ] as const) {
    r.post(
      `/api/enterprises/:id/staff/:userId/${action}`,
      {
        schema: {
          tags,
          summary:
            action === "deactivate"
              ? "Deactivate a staff account of the enterprise (ends its sessions; never the last active manager)"
              : "Reactivate a deactivated or locked staff account of the enterprise",
          params: userParams,
          response: { 200: staffAccountSchema },
        },
      },
      async (request) => {
        const actor = authorize(request, anyone);
        return service.setStaffStatus(
          deps,
          actor,
          request.params.id,
          request.params.userId,
          to,
          String(request.id),
        );
      },
    );
  }
}
