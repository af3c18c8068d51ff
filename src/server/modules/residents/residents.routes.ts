/** HTTP for residents (actual population). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  moveBody,
  moveOutBody,
  registerResidentBody,
  residentDetailSchema,
  residentListQuery,
  residentSchema,
  revealBody,
} from "../../../shared/schemas/residents.js";
import { authorize } from "../../plugins/auth.js";
import { findAreaByCode } from "../geo/areas.service.js";
import * as service from "./residents.service.js";

const anyGrant = (a: { grants: unknown[] }) => a.grants.length > 0;

export async function residentRoutes(app: FastifyInstance, deps: service.ResidentsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["residents"];

  r.get(
    "/api/residents",
    {
      schema: {
        tags,
        summary:
          "List residents in your scope (masked); eligible=true lists those eligible for a residence permit",
        querystring: residentListQuery,
        response: { 200: listOf(residentSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, anyGrant);
      const { gridCode, eligible, ...rest } = request.query;
      const gridPath =
        gridCode === undefined
          ? undefined
          : ((await findAreaByCode(deps, gridCode))?.path ?? "/none/");
      return service.listResidents(deps, actor, {
        ...rest,
        gridPath,
        ...(eligible ? { eligible: true } : {}),
      });
    },
  );

  r.post(
    "/api/residents",
    {
      schema: {
        tags,
        summary:
          "Register a resident; the same ID number finds the existing person (200) instead of a duplicate (201)",
        body: registerResidentBody,
        response: { 200: residentSchema, 201: residentSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, anyGrant);
      const { resident, created } = await service.registerResident(
        deps,
        actor,
        request.body,
        String(request.id),
      );
      return reply.status(created ? 201 : 200).send(resident);
    },
  );

  r.get(
    "/api/residents/:id",
    {
      schema: {
        tags,
        summary: "One resident with the history of registrations",
        params: idParam,
        response: { 200: residentDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyGrant);
      return service.getResident(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/residents/:id/move",
    {
      schema: {
        tags,
        summary: "Move a resident into a unit",
        params: idParam,
        body: moveBody,
        response: { 200: residentDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyGrant);
      return service.moveResident(deps, actor, request.params.id, request.body, String(request.id));
    },
  );

  r.post(
    "/api/residents/:id/move-out",
    {
      schema: {
        tags,
        summary: "Record that a resident has left",
        params: idParam,
        body: moveOutBody,
        response: { 200: residentDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyGrant);
      return service.moveOut(deps, actor, request.params.id, request.body, String(request.id));
    },
  );

  r.post(
    "/api/residents/:id/reveal",
    {
      schema: {
        tags,
        summary: "The full ID or phone number, with a reason; every call is audited",
        params: idParam,
        body: revealBody,
        response: {
          200: z.object({ field: z.enum(["idNumber", "phone"]), value: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const actor = authorize(request, anyGrant);
      return service.revealResident(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
    },
  );
}
