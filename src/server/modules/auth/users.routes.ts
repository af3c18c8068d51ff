/** HTTP for account administration (permission admin.users). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  adminUser,
  createUserBody,
  grantInput,
  resetPasswordBody,
  updateUserBody,
  userListQuery,
} from "../../../shared/schemas/users.js";
import { requirePermission } from "../../plugins/auth.js";
import * as service from "./users.service.js";

const grantParams = idParam.extend({
  grantId: z.string().regex(/^\d{1,18}$/, "grantId must be a number"),
});

export async function userRoutes(app: FastifyInstance, deps: service.UsersDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["admin"];

  r.get(
    "/api/admin/users",
    {
      schema: {
        tags,
        summary: "List accounts",
        querystring: userListQuery,
        response: { 200: listOf(adminUser) },
      },
    },
    async (request) => {
      const actor = requirePermission(request, "admin.users");
      return service.listUsers(deps, actor, request.query);
    },
  );

  r.get(
    "/api/admin/users/:id",
    {
      schema: {
        tags,
        summary: "One account with its grants",
        params: idParam,
        response: { 200: adminUser },
      },
    },
    async (request) => {
      const actor = requirePermission(request, "admin.users");
      return service.getUser(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/admin/users",
    {
      schema: {
        tags,
        summary: "Create an account with grants",
        body: createUserBody,
        response: { 201: adminUser },
      },
    },
    async (request, reply) => {
      const actor = requirePermission(request, "admin.users");
      return reply
        .status(201)
        .send(await service.createUser(deps, actor, request.body, String(request.id)));
    },
  );

  r.patch(
    "/api/admin/users/:id",
    {
      schema: {
        tags,
        summary: "Rename, disable, or (re)activate an account (activating also unlocks it)",
        params: idParam,
        body: updateUserBody,
        response: { 200: adminUser },
      },
    },
    async (request) => {
      const actor = requirePermission(request, "admin.users");
      return service.updateUser(deps, actor, request.params.id, request.body, String(request.id));
    },
  );

  r.post(
    "/api/admin/users/:id/password",
    {
      schema: {
        tags,
        summary: "Set a new password; ends the account's sessions",
        params: idParam,
        body: resetPasswordBody,
      },
    },
    async (request, reply) => {
      const actor = requirePermission(request, "admin.users");
      await service.resetPassword(
        deps,
        actor,
        request.params.id,
        request.body.newPassword,
        String(request.id),
      );
      return reply.status(204).send();
    },
  );

  r.post(
    "/api/admin/users/:id/grants",
    {
      schema: {
        tags,
        summary: "Give a role grant",
        params: idParam,
        body: grantInput,
        response: { 201: adminUser },
      },
    },
    async (request, reply) => {
      const actor = requirePermission(request, "admin.users");
      return reply
        .status(201)
        .send(
          await service.addGrant(deps, actor, request.params.id, request.body, String(request.id)),
        );
    },
  );

  r.delete(
    "/api/admin/users/:id/grants/:grantId",
    { schema: { tags, summary: "Take a role grant away", params: grantParams } },
    async (request, reply) => {
      const actor = requirePermission(request, "admin.users");
      await service.removeGrant(
        deps,
        actor,
        request.params.id,
        request.params.grantId,
        String(request.id),
      );
      return reply.status(204).send();
    },
  );
}
