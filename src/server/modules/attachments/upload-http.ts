/**
 * Reading one uploaded file from a multipart request, the same way for every
 * module that takes photos: not multipart or no file → 400, larger than the
 * limit → 413 `payload_too_large`, both with a message people can act on.
 * What the bytes are is checked afterwards by `storeCheckedUpload`. And
 * sending stored bytes back, inline.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError, validation } from "../../errors.js";

/** 413 with the limit in MB. */
export const fileTooLarge = (maxBytes: number) =>
  new AppError(
    "payload_too_large",
    413,
    `文件过大，上限 ${Math.round(maxBytes / 2 ** 20)} MB / the file is larger than ${Math.round(maxBytes / 2 ** 20)} MB`,
    { maxBytes },
  );

/** The one file (multipart field `file`) and the other fields' values. */
export async function readOneUpload(request: FastifyRequest, maxBytes: number) {
  if (!request.isMultipart())
    throw validation(
      "请以 multipart/form-data 上传文件（字段名 file） / Upload the file as multipart/form-data, field `file`",
    );
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw validation("没有收到文件 / No file received");
  const bytes = await part.toBuffer().catch((err: { code?: string }) => {
    if (err.code === "FST_REQ_FILE_TOO_LARGE") throw fileTooLarge(maxBytes);
    throw err;
  });
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(part.fields))
    fields[k] = (v as { value?: unknown } | undefined)?.value;
  return { filename: part.filename, bytes, fields };
}

/** Sends stored bytes to show in the browser (never sniffed into another type). */
export function sendInlineFile(
  reply: FastifyReply,
  f: { bytes: Buffer; mime: string; filename: string },
) {
  return reply
    .type(f.mime)
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, max-age=300")
    .header("content-disposition", `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
    .send(f.bytes);
}
