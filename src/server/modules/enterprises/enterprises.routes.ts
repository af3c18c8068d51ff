/** HTTP for the enterprise workspace: the enterprise list, profiles, sites, workforce, dormitories, case tasks. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf, pageQuery } from "../../../shared/schemas/common.js";
import {
  assignRoomBody,
  createSiteBody,
  dormitoryListQuery,
  dormitoryListSchema,
  dormitoryRoomSchema,
  EMPLOYEE_TEMPLATE_FILES,
  employeeListQuery,
  employeePushBody,
  employeeSchema,
  employeeSyncResultSchema,
  enterpriseDetailSchema,
  enterpriseListItemSchema,
  enterpriseListQuery,
  enterpriseTaskSchema,
  hireBody,
  leaveBody,
  siteListQuery,
  siteSchema,
  updateSiteBody,
  workforceSchema,
} from "../../../shared/schemas/enterprises.js";
import { validation } from "../../errors.js";
import { authorize } from "../../plugins/auth.js";
import { randomSecret } from "../auth/tokens.js";
import * as service from "./enterprises.service.js";

const anyone = () => true;
const siteParams = idParam.extend({ siteId: idParam.shape.id });
const residentParams = idParam.extend({ residentId: idParam.shape.id });
const unitParams = idParam.extend({ unitId: idParam.shape.id });

export async function enterpriseRoutes(app: FastifyInstance, deps: service.EnterprisesDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["enterprises"];

  r.get(
    "/api/enterprises",
    {
      schema: {
        tags,
        summary:
          "Enterprises the caller may see: an enterprise officer their own, government staff those in their area, anyone else none",
        querystring: enterpriseListQuery,
        response: { 200: listOf(enterpriseListItemSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.listEnterprises(deps, actor, request.query);
    },
  );

  r.get(
    "/api/enterprises/templates/:file",
    {
      schema: {
        tags,
        summary: "The employee import template (姓名, 身份证号, 手机号, 入职日期, 离职日期, 岗位)",
        params: z.object({ file: z.enum(EMPLOYEE_TEMPLATE_FILES) }),
      },
    },
    async (request, reply) => {
      authorize(request, anyone);
      const format = request.params.file.endsWith(".csv") ? "csv" : "xlsx";
      const body = await service.employeeTemplate(format);
      return reply
        .header(
          "content-disposition",
          `attachment; filename*=UTF-8''${encodeURIComponent(`员工名册模板.${format}`)}`,
        )
        .type(
          format === "csv"
            ? "text/csv; charset=utf-8"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .send(body);
    },
  );

  r.get(
    "/api/enterprises/:id",
    {
      schema: {
        tags,
        summary:
          "An enterprise's profile summary: its facts, sites, headcount, dormitories, and the caller's allowed actions",
        params: idParam,
        response: { 200: enterpriseDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.getEnterprise(deps, actor, request.params.id);
    },
  );

  // ---------------------------------------------------------------- sites

  r.get(
    "/api/enterprises/:id/sites",
    {
      schema: {
        tags,
        summary: "The enterprise's sites with their grid (all=true: deactivated ones too)",
        params: idParam,
        querystring: siteListQuery,
        response: { 200: listOf(siteSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.listSites(deps, actor, request.params.id, request.query.all === "true");
    },
  );

  r.post(
    "/api/enterprises/:id/sites",
    {
      schema: {
        tags,
        summary:
          "Add a site (factory, dormitory, office, warehouse, shop, construction site); placed in its grid by the point or the standard address",
        params: idParam,
        body: createSiteBody,
        response: { 201: siteSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, anyone);
      const site = await service.createSite(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
      return reply.status(201).send(site);
    },
  );

  r.patch(
    "/api/enterprises/:id/sites/:siteId",
    {
      schema: {
        tags,
        summary:
          "Change a site; `version` must be the one read (409 when someone changed it first)",
        params: siteParams,
        body: updateSiteBody,
        response: { 200: siteSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.updateSite(
        deps,
        actor,
        request.params.id,
        request.params.siteId,
        request.body,
        String(request.id),
      );
    },
  );

  r.delete(
    "/api/enterprises/:id/sites/:siteId",
    {
      schema: {
        tags,
        summary: "Deactivate a site (it is kept for the record)",
        params: siteParams,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, anyone);
      await service.deactivateSite(
        deps,
        actor,
        request.params.id,
        request.params.siteId,
        String(request.id),
      );
      return reply.status(204).send();
    },
  );

  // ---------------------------------------------------------------- workforce

  r.get(
    "/api/enterprises/:id/employees",
    {
      schema: {
        tags,
        summary: "Employees (current, left or all), ID and phone numbers masked",
        params: idParam,
        querystring: employeeListQuery,
        response: { 200: listOf(employeeSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.listEmployees(deps, actor, request.params.id, request.query);
    },
  );

  r.post(
    "/api/enterprises/:id/employees",
    {
      schema: {
        tags,
        summary:
          "Hire one person (found by ID number, or registered as a resident); 409 when already employed here",
        params: idParam,
        body: hireBody,
        response: { 201: employeeSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, anyone);
      const e = await service.hireEmployee(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
      return reply.status(201).send(e);
    },
  );

  r.put(
    "/api/enterprises/:id/employees",
    {
      schema: {
        tags,
        summary:
          "HR-system push (API token with scope employees:write): an idempotent upsert of employee records; bad records are reported by index, the others are written",
        params: idParam,
        body: employeePushBody,
        response: { 200: employeeSyncResultSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.pushEmployees(
        deps,
        actor,
        request.params.id,
        request.body.employees,
        String(request.id),
      );
    },
  );

  r.post(
    "/api/enterprises/:id/employees/import",
    {
      schema: {
        tags,
        summary:
          "Import employees from a CSV or XLSX (multipart field `file`; the template's columns); bad rows come back with row number and reason, good rows are written in one transaction",
        params: idParam,
        response: { 200: employeeSyncResultSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      if (!request.isMultipart())
        throw validation(
          "请以 multipart/form-data 上传文件（字段名 file） / Upload the file as multipart/form-data, field `file`",
        );
      const part = await request.file({
        limits: { fileSize: deps.config.importMaxBytes, files: 1 },
      });
      if (!part) throw validation("没有收到文件 / No file received");
      const tmp = path.join(os.tmpdir(), `gongzhi-employees-${randomSecret(8)}`);
      try {
        await pipeline(part.file, fs.createWriteStream(tmp));
        if (part.file.truncated) {
          throw validation(
            `文件过大，上限 ${Math.round(deps.config.importMaxBytes / 2 ** 20)} MB / File too large`,
          );
        }
        return await service.importEmployees(
          deps,
          actor,
          request.params.id,
          tmp,
          String(request.id),
        );
      } finally {
        fs.rm(tmp, { force: true }, () => {});
      }
    },
  );

  r.post(
    "/api/enterprises/:id/employees/:residentId/leave",
    {
      schema: {
        tags,
        summary: "Record that a current employee left (not before their hire date)",
        params: residentParams,
        body: leaveBody,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, anyone);
      await service.leaveEmployee(
        deps,
        actor,
        request.params.id,
        request.params.residentId,
        request.body.leftOn,
        String(request.id),
      );
      return reply.status(204).send();
    },
  );

  r.get(
    "/api/enterprises/:id/workforce",
    {
      schema: {
        tags,
        summary:
          "Headcount, headcount by province of origin, hires and leavers of the last 12 months, dormitory totals",
        params: idParam,
        response: { 200: workforceSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.workforce(deps, actor, request.params.id);
    },
  );

  // ---------------------------------------------------------------- dormitories

  r.get(
    "/api/enterprises/:id/dormitories",
    {
      schema: {
        tags,
        summary:
          "Dormitory rooms (units whose landlord is the enterprise): capacity, occupants, overcrowding, totals",
        params: idParam,
        querystring: dormitoryListQuery,
        response: { 200: dormitoryListSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      const { overcrowded, ...rest } = request.query;
      return service.listDormitories(deps, actor, request.params.id, {
        ...rest,
        overcrowded: overcrowded === undefined ? undefined : overcrowded === "true",
      });
    },
  );

  r.post(
    "/api/enterprises/:id/dormitories/:unitId/occupants",
    {
      schema: {
        tags,
        summary: "House a current employee in a dormitory room (registers the move)",
        params: unitParams,
        body: assignRoomBody,
        response: { 200: dormitoryRoomSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.assignRoom(
        deps,
        actor,
        request.params.id,
        request.params.unitId,
        request.body,
        String(request.id),
      );
    },
  );

  // ---------------------------------------------------------------- case tasks

  r.get(
    "/api/enterprises/:id/tasks",
    {
      schema: {
        tags,
        summary: "Open tasks given to the enterprise on cases, the soonest due first",
        params: idParam,
        querystring: pageQuery,
        response: { 200: listOf(enterpriseTaskSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, anyone);
      return service.listTasks(deps, actor, request.params.id, request.query);
    },
  );
}
