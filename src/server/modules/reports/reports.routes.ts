/**
 * HTTP of district reports: `/api/reports/preview` (the printable page's
 * figures, not stored), `/api/reports` (make one, list them), one report as
 * JSON or as its stored XLSX, and the schedules the `reports` job follows.
 * For admins and coordinators in their areas; a report outside them is 404.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  createReportBody,
  recipientCandidateSchema,
  recipientCandidatesQuery,
  reportContentSchema,
  reportDetailSchema,
  reportListQuery,
  reportQuerySchema,
  reportSummarySchema,
  scheduleBody,
  scheduleSchema,
  updateScheduleBody,
} from "../../../shared/schemas/reports.js";
import { authorize } from "../../plugins/auth.js";
import { mayUseReports } from "./reports.policy.js";
import * as service from "./reports.service.js";

export async function reportRoutes(app: FastifyInstance, deps: service.ReportsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["reports"];
  const ctx = (request: { id: unknown }) => ({ requestId: String(request.id) });

  r.get(
    "/api/reports/preview",
    {
      schema: {
        tags,
        summary:
          "A weekly (Monday–Sunday, China time) or monthly report of an area, made now and not stored: KPIs against the period before, sub-areas, departments, case families, scorecards, collaboration and highlights. Default: the last period that ended, the caller's widest area",
        querystring: reportQuerySchema,
        response: { 200: reportContentSchema },
      },
    },
    async (request) =>
      service.previewReport(deps, authorize(request, mayUseReports), request.query),
  );

  r.post(
    "/api/reports",
    {
      schema: {
        tags,
        summary:
          "Make and store a report (JSON and XLSX). 409 with its id when the area's report of that period exists; one made while its period still ran is made again",
        body: createReportBody,
        response: { 201: reportDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, mayUseReports);
      return reply
        .status(201)
        .send(await service.generateReport(deps, actor, request.body, ctx(request)));
    },
  );

  r.get(
    "/api/reports",
    {
      schema: {
        tags,
        summary: "Stored reports of the caller's areas, the latest period first",
        querystring: reportListQuery,
        response: { 200: listOf(reportSummarySchema) },
      },
    },
    async (request) => service.listReports(deps, authorize(request, mayUseReports), request.query),
  );

  r.get(
    "/api/reports/schedules",
    {
      schema: {
        tags,
        summary:
          "The areas that get a weekly or monthly report by schedule, and who is told when it is ready",
        response: { 200: listOf(scheduleSchema) },
      },
    },
    async (request) => service.listSchedules(deps, authorize(request, mayUseReports)),
  );

  r.post(
    "/api/reports/schedules",
    {
      schema: {
        tags,
        summary:
          "Schedule an area's weekly (every Monday) or monthly (every 1st) report; recipients must be admins or coordinators of the area",
        body: scheduleBody,
        response: { 201: scheduleSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, mayUseReports);
      return reply
        .status(201)
        .send(await service.createSchedule(deps, actor, request.body, ctx(request)));
    },
  );

  r.patch(
    "/api/reports/schedules/:id",
    {
      schema: {
        tags,
        summary: "Pause or resume a schedule, or change its recipients",
        params: idParam,
        body: updateScheduleBody,
        response: { 200: scheduleSchema },
      },
    },
    async (request) =>
      service.updateSchedule(
        deps,
        authorize(request, mayUseReports),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.delete(
    "/api/reports/schedules/:id",
    {
      schema: {
        tags,
        summary: "Stop a schedule (the reports it made stay)",
        params: idParam,
      },
    },
    async (request, reply) => {
      await service.deleteSchedule(
        deps,
        authorize(request, mayUseReports),
        request.params.id,
        ctx(request),
      );
      return reply.status(204).send();
    },
  );

  r.get(
    "/api/reports/recipients",
    {
      schema: {
        tags,
        summary: "Who may receive an area's reports: its admins and coordinators, by name",
        querystring: recipientCandidatesQuery,
        response: { 200: z.object({ items: z.array(recipientCandidateSchema) }) },
      },
    },
    async (request) =>
      service.recipientCandidates(deps, authorize(request, mayUseReports), request.query.areaId),
  );

  r.get(
    "/api/reports/:id",
    {
      schema: {
        tags,
        summary: "One stored report with its content (what the printable page shows)",
        params: idParam,
        response: { 200: reportDetailSchema },
      },
    },
    async (request) =>
      service.getReport(deps, authorize(request, mayUseReports), request.params.id),
  );

  r.get(
    "/api/reports/:id.xlsx",
    {
      schema: {
        tags,
        summary: "The stored report as XLSX: 概况, 分街道 (or 分社区), 分部门, 分类别, 考核, 协同",
        params: idParam,
      },
    },
    async (request, reply) => {
      const f = await service.reportFile(
        deps,
        authorize(request, mayUseReports),
        request.params.id,
      );
      return reply
        .header(
          "content-disposition",
          `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        )
        .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .send(f.bytes);
    },
  );
}
