/**
 * HTTP for self-inspection: checklist templates (/api/inspection-templates),
 * inspections (/api/inspections) and evidence files (/api/enterprise-files).
 * Registers the hazard and spot-check routes too (hazards.routes.ts).
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  createTemplateBody,
  enterpriseFileSchema,
  inspectionDetailSchema,
  inspectionListQuery,
  inspectionSchema,
  submitInspectionBody,
  templateListQuery,
  templateSchema,
  templateVersionBody,
  updatedTemplateSchema,
  updateTemplateBody,
} from "../../../shared/schemas/inspections.js";
import { AppError, validation } from "../../errors.js";
import { authorize } from "../../plugins/auth.js";
import { isStaff } from "../access/access.policy.js";
import * as files from "./enterprise-files.service.js";
import { canManageTemplates } from "./hazards.policy.js";
import { hazardRoutes } from "./hazards.routes.js";
import * as service from "./inspections.service.js";

const tooLarge = (bytes: number) =>
  new AppError(
    "payload_too_large",
    413,
    `文件过大，上限 ${Math.round(bytes / 2 ** 20)} MB / the file is larger than ${Math.round(bytes / 2 ** 20)} MB`,
  );

export async function inspectionRoutes(app: FastifyInstance, deps: service.InspectionsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["inspections"];

  // ------------------------------------------------------------ templates

  r.get(
    "/api/inspection-templates",
    {
      schema: {
        tags,
        summary: "Checklist templates (fire, dormitory, internal security, hazardous materials)",
        querystring: templateListQuery,
        response: { 200: listOf(templateSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.listTemplates(deps, actor, request.query);
    },
  );

  r.get(
    "/api/inspection-templates/:id",
    {
      schema: {
        tags,
        summary: "One checklist template",
        params: idParam,
        response: { 200: templateSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.getTemplate(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/inspection-templates",
    {
      schema: {
        tags,
        summary:
          "Create a template (admins, coordinators, department officers); the enterprises it applies to have it due this period",
        body: createTemplateBody,
        response: { 201: templateSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, canManageTemplates);
      return reply
        .status(201)
        .send(await service.createTemplate(deps, actor, request.body, String(request.id)));
    },
  );

  r.put(
    "/api/inspection-templates/:id",
    {
      schema: {
        tags,
        summary:
          "Edit a template: a new version (send the current `version`); submitted inspections keep their snapshot; `applyToDue` switches those not yet submitted to the new version",
        params: idParam,
        body: updateTemplateBody,
        response: { 200: updatedTemplateSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, canManageTemplates);
      return service.updateTemplate(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
    },
  );

  for (const [action, active] of [
    ["deactivate", false],
    ["activate", true],
  ] as const) {
    r.post(
      `/api/inspection-templates/:id/${action}`,
      {
        schema: {
          tags,
          summary: active
            ? "Use the template again from the next scheduling"
            : "Stop scheduling the template (inspections already due stay due)",
          params: idParam,
          body: templateVersionBody,
          response: { 200: templateSchema },
        },
      },
      async (request) => {
        const actor = authorize(request, canManageTemplates);
        return service.setTemplateActive(
          deps,
          actor,
          request.params.id,
          request.body.version,
          active,
          String(request.id),
        );
      },
    );
  }

  // ---------------------------------------------------------- inspections

  r.get(
    "/api/inspections",
    {
      schema: {
        tags,
        summary:
          "Inspections you may see (an enterprise officer: their own; staff: enterprises in their area)",
        querystring: inspectionListQuery,
        response: { 200: listOf(inspectionSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.listInspections(deps, actor, request.query);
    },
  );

  r.get(
    "/api/inspections/:id",
    {
      schema: {
        tags,
        summary: "One inspection with its checklist snapshot and results",
        params: idParam,
        response: { 200: inspectionDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.getInspection(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/inspections/:id/submit",
    {
      schema: {
        tags,
        summary:
          "Submit an inspection (the enterprise's officer): every item pass or fail; a failed item needs a note and a photo and becomes a hazard. Twice: 409.",
        params: idParam,
        body: submitInspectionBody,
        response: { 200: inspectionDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      return service.submitInspection(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
    },
  );

  // ---------------------------------------------------------------- files

  r.post(
    "/api/enterprise-files",
    {
      schema: {
        tags,
        summary: `Upload an evidence photo (multipart field \`file\`; optional field \`organisationId\`, needed when you act for more than one enterprise). JPEG, PNG or WebP judged by content (else 400); at most ATTACHMENT_MAX_BYTES (else 413).`,
        response: { 201: enterpriseFileSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isStaff);
      if (!request.isMultipart())
        throw validation(
          "请以 multipart/form-data 上传文件（字段名 file） / Upload the file as multipart/form-data, field `file`",
        );
      const max = deps.config.attachmentMaxBytes;
      const part = await request.file({ limits: { fileSize: max, files: 1 } });
      if (!part) throw validation("没有收到文件 / No file received");
      const bytes = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge(max);
        throw err;
      });
      const raw = (part.fields.organisationId as { value?: unknown } | undefined)?.value;
      if (raw !== undefined && raw !== "" && !(typeof raw === "string" && /^\d{1,18}$/.test(raw)))
        throw validation("organisationId 应为数字 / organisationId must be a number", [
          { path: "body.organisationId", message: "must be a number" },
        ]);
      const organisationId = typeof raw === "string" && raw !== "" ? raw : undefined;
      const created = await files.uploadEvidence(
        deps,
        actor,
        organisationId,
        { filename: part.filename, bytes },
        String(request.id),
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    "/api/enterprise-files/:id",
    {
      schema: {
        tags,
        summary: "An evidence photo (the enterprise's own, or staff of its area)",
        params: idParam,
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isStaff);
      const f = await files.readEvidence(deps, actor, request.params.id);
      return reply
        .type(f.mime)
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "private, max-age=300")
        .header("content-disposition", `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .send(f.bytes);
    },
  );

  await hazardRoutes(app, deps);
}
