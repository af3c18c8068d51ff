/** HTTP for photos and files on cases. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam } from "../../../shared/schemas/common.js";
import { unauthenticated, validation } from "../../errors.js";
import { anonymousLimit, trackingSecret } from "../cases/case-http.js";
import * as service from "./attachments.service.js";

const attachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  mime: z.string(),
  size: z.number().int(),
  visibility: z.enum(["internal", "public"]),
  uploadedBy: z.string(),
  createdAt: z.string(),
});

/** The caller: a session or token, or an anonymous reporter's tracking secret. */
function caller(request: FastifyRequest) {
  const secret = trackingSecret(request);
  if (!request.actor && !secret) throw unauthenticated();
  return { actor: request.actor, secret };
}

export async function attachmentRoutes(app: FastifyInstance, deps: service.AttachmentsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["cases"];

  r.get(
    "/api/cases/:id/attachments",
    {
      config: anonymousLimit(20),
      schema: {
        tags,
        summary: "A case's photos and files (staff: all; the reporter: the public ones)",
        params: idParam,
        response: { 200: z.object({ items: z.array(attachmentSchema), total: z.number().int() }) },
      },
    },
    async (request) => {
      const c = caller(request);
      return service.listAttachments(deps, c.actor, request.params.id, c.secret);
    },
  );

  r.post(
    "/api/cases/:id/attachments",
    {
      config: anonymousLimit(10),
      schema: {
        tags,
        summary: `Add a photo or file (multipart field \`file\`; optional field \`visibility\` internal|public for staff). JPEG, PNG, WebP or PDF, judged by content; at most ATTACHMENT_MAX_BYTES. Images get a public copy without location data.`,
        params: idParam,
        response: { 201: attachmentSchema },
      },
    },
    async (request, reply) => {
      const c = caller(request);
      if (!request.isMultipart())
        throw validation(
          "请以 multipart/form-data 上传文件（字段名 file） / Upload the file as multipart/form-data, field `file`",
        );
      const part = await request.file({
        limits: { fileSize: deps.config.attachmentMaxBytes, files: 1 },
      });
      if (!part) throw validation("没有收到文件 / No file received");
      const bytes = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === "FST_REQ_FILE_TOO_LARGE")
          throw validation(
            `文件过大，上限 ${Math.round(deps.config.attachmentMaxBytes / 2 ** 20)} MB / the file is larger than ${Math.round(deps.config.attachmentMaxBytes / 2 ** 20)} MB`,
          );
        throw err;
      });
      const v = (part.fields.visibility as { value?: unknown } | undefined)?.value;
      const visibility = v === "internal" || v === "public" ? v : undefined;
      const created = await service.addAttachment(
        deps,
        c.actor,
        request.params.id,
        { filename: part.filename, bytes },
        { visibility, secret: c.secret, requestId: String(request.id) },
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    "/api/cases/:id/attachments/:attachmentId",
    {
      config: anonymousLimit(30),
      schema: {
        tags,
        summary: "Download an attachment (the reporter gets the public copy: no location data)",
        params: idParam.extend({ attachmentId: idParam.shape.id }),
      },
    },
    async (request, reply) => {
      const c = caller(request);
      const f = await service.readAttachment(
        deps,
        c.actor,
        request.params.id,
        request.params.attachmentId,
        c.secret,
      );
      const inline = f.mime.startsWith("image/") || f.mime === "application/pdf";
      return reply
        .type(f.mime)
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "private, max-age=300")
        .header(
          "content-disposition",
          `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        )
        .send(f.bytes);
    },
  );
}
