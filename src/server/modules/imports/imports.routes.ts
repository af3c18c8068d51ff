/** HTTP for spreadsheet imports: templates, upload, progress, error files. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf, pageQuery } from "../../../shared/schemas/common.js";
import { validation } from "../../errors.js";
import { authorize } from "../../plugins/auth.js";
import { canEditAnyBaseData } from "../access/access.policy.js";
import { randomSecret } from "../auth/tokens.js";
import * as service from "./imports.service.js";

const importSchema = z.object({
  id: z.string(),
  kind: z.enum(["residents", "units", "organisations"]),
  filename: z.string(),
  status: z.enum(["running", "done", "failed"]),
  totalRows: z.number(),
  insertedRows: z.number(),
  unchangedRows: z.number(),
  errorRows: z.number(),
  message: z.string().nullable(),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export async function importRoutes(app: FastifyInstance, deps: service.ImportsDeps) {
  await app.register(multipart, {
    limits: { fileSize: deps.config.importMaxBytes, files: 1, fields: 5 },
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["imports"];
  const running = new Set<Promise<unknown>>();
  // Finish imports in flight before the database closes.
  app.addHook("onClose", async () => {
    await Promise.allSettled(running);
  });

  r.get(
    "/api/imports/templates/:file",
    {
      schema: {
        tags,
        summary:
          "A template with Chinese headers: residents, units or organisations, as .xlsx or .csv",
        params: z.object({
          file: z.enum(service.IMPORT_KINDS.flatMap((k) => [`${k}.xlsx`, `${k}.csv`] as const)),
        }),
      },
    },
    async (request, reply) => {
      authorize(request, canEditAnyBaseData);
      const [kind, format] = request.params.file.split(".") as [
        service.ImportKindName,
        "csv" | "xlsx",
      ];
      const body = await service.template(deps, kind, format);
      const name = encodeURIComponent(`${kind}-template.${format}`);
      return reply
        .header("content-disposition", `attachment; filename*=UTF-8''${name}`)
        .type(
          format === "csv"
            ? "text/csv; charset=utf-8"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .send(body);
    },
  );

  r.post(
    "/api/imports",
    {
      schema: {
        tags,
        summary:
          "Upload a CSV or XLSX (multipart field `file`); answers 202 and imports in the background",
        querystring: z.object({ kind: z.enum(service.IMPORT_KINDS) }),
        response: { 202: importSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, canEditAnyBaseData);
      if (!request.isMultipart())
        throw validation(
          "请以 multipart/form-data 上传文件（字段名 file） / Upload the file as multipart/form-data, field `file`",
        );
      const part = await request.file();
      if (!part) throw validation("没有收到文件 / No file received");
      const tmp = path.join(os.tmpdir(), `gongzhi-import-${randomSecret(8)}`);
      try {
        await pipeline(part.file, fs.createWriteStream(tmp));
        if (part.file.truncated) {
          throw validation(
            `文件过大，上限 ${Math.round(deps.config.importMaxBytes / 2 ** 20)} MB，请拆分后分批导入 / File too large; split it`,
          );
        }
        const { record, done } = await service.startImport(
          deps,
          actor,
          { kind: request.query.kind, file: tmp, filename: part.filename || "upload" },
          String(request.id),
        );
        const job = done
          .catch((err: unknown) => request.log.error({ err }, "import failed"))
          .finally(() => {
            fs.rm(tmp, { force: true }, () => {});
            running.delete(job);
          });
        running.add(job);
        return reply.status(202).send(record);
      } catch (err) {
        fs.rm(tmp, { force: true }, () => {});
        throw err;
      }
    },
  );

  r.get(
    "/api/imports",
    {
      schema: {
        tags,
        summary: "Your imports (everyone's, for admins and coordinators of the whole district)",
        querystring: pageQuery,
        response: { 200: listOf(importSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, canEditAnyBaseData);
      return service.listImports(deps, actor, request.query);
    },
  );

  r.get(
    "/api/imports/:id",
    {
      schema: {
        tags,
        summary: "An import and its progress",
        params: idParam,
        response: { 200: importSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, canEditAnyBaseData);
      return service.getImport(deps, actor, request.params.id);
    },
  );

  r.get(
    "/api/imports/:id/errors.csv",
    { schema: { tags, summary: "The refused rows with row number and reason", params: idParam } },
    async (request, reply) => {
      const actor = authorize(request, canEditAnyBaseData);
      const csv = await service.errorFile(deps, actor, request.params.id);
      return reply
        .header(
          "content-disposition",
          `attachment; filename*=UTF-8''${encodeURIComponent(`import-${request.params.id}-errors.csv`)}`,
        )
        .type("text/csv; charset=utf-8")
        .send(csv);
    },
  );
}
