/** HTTP for residents (actual population). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { todayInChina } from "../../../shared/dates.js";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import type { Resident } from "../../../shared/schemas/residents.js";
import {
  moveBody,
  moveOutBody,
  registerResidentBody,
  residentDetailSchema,
  residentListQuery,
  residentSchema,
  revealBody,
  updateResidentBody,
} from "../../../shared/schemas/residents.js";
import { authorize } from "../../plugins/auth.js";
import { sendXlsx } from "../exports/xlsx-export.js";
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

  r.get(
    "/api/residents/export.xlsx",
    {
      schema: {
        tags,
        summary: "The resident list, with the same filters, as XLSX (masked; audited)",
        querystring: residentListQuery.omit({ limit: true, offset: true }),
      },
    },
    async (request, reply) => {
      const actor = authorize(request, anyGrant);
      const { gridCode, eligible, ...rest } = request.query;
      const gridPath =
        gridCode === undefined
          ? undefined
          : ((await findAreaByCode(deps, gridCode))?.path ?? "/none/");
      const filters = { ...rest, gridPath, ...(eligible ? { eligible: true } : {}) };
      const statusName = {
        registered: "已登记",
        permit_holder: "持居住证",
        departed: "已迁出",
      } as const;
      await sendXlsx(
        reply,
        `实有人口-${todayInChina()}.xlsx`,
        "实有人口",
        [
          { header: "姓名", value: (r: Resident) => r.name },
          { header: "身份证号", width: 22, value: (r) => r.idNumber },
          { header: "性别", value: (r) => (r.gender === "male" ? "男" : "女") },
          { header: "出生日期", value: (r) => r.birthDate },
          { header: "籍贯", value: (r) => `${r.origin.province}${r.origin.city ?? ""}` },
          { header: "手机号", value: (r) => r.phone },
          { header: "状态", value: (r) => statusName[r.status] },
          { header: "登记起始", value: (r) => r.registeredSince },
          { header: "可办居住证日期", value: (r) => r.permitEligibleSince },
          { header: "现住地址", width: 30, value: (r) => r.unit?.address ?? null },
          { header: "用人单位", width: 30, value: (r) => r.employer?.name ?? null },
        ],
        (limit, offset) => service.listResidents(deps, actor, { ...filters, limit, offset }),
        (rows) =>
          service.recordExport(deps, actor, { filters: request.query, rows }, String(request.id)),
      );
      return reply;
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

  r.patch(
    "/api/residents/:id",
    {
      schema: {
        tags,
        summary:
          "Correct a resident's name, phone, arrival date or employer, or record a residence permit (audited)",
        params: idParam,
        body: updateResidentBody,
        response: { 200: residentDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyGrant);
      return service.updateResidentFacts(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
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
