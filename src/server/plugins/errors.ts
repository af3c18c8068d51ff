/**
 * One error handler for the whole API. Known errors keep their id and message;
 * anything else is logged in full and answered as `internal` without detail.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ZodError } from "zod";
import type { ErrorBody, ErrorId } from "../../shared/errors.js";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "../db/connection-errors.js";
import { AppError } from "../errors.js";

export function errorBody(
  id: ErrorId,
  message: string,
  requestId: string,
  details?: unknown,
): ErrorBody {
  return { error: { id, message, requestId, ...(details === undefined ? {} : { details }) } };
}

export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    const rid = String(request.id);
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.status(err.status).send(errorBody(err.id, err.message, rid, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: [err.validationContext, ...String(v.instancePath).split("/").filter(Boolean)].join(
          ".",
        ),
        message: v.message ?? "invalid",
      }));
      const first = details[0];
      return reply
        .status(400)
        .send(
          errorBody(
            "validation",
            `输入无效 / Invalid input${first ? `: ${first.path}: ${first.message}` : ""}`,
            rid,
            details,
          ),
        );
    }
    if (err instanceof ZodError) {
      const details = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      return reply
        .status(400)
        .send(errorBody("validation", "输入无效 / Invalid input", rid, details));
    }
    const fe = err as FastifyError;
    if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return reply
        .status(413)
        .send(errorBody("payload_too_large", "请求体过大 / Request body too large", rid));
    }
    if (fe.code === "FST_ERR_CTP_INVALID_JSON_BODY" || fe.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
      return reply
        .status(400)
        .send(errorBody("validation", `JSON 格式错误 / Malformed JSON: ${fe.message}`, rid));
    }
    if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return reply
        .status(415)
        .send(errorBody("validation", `不支持的内容类型 / Unsupported content type`, rid));
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send(errorBody("rate_limited", fe.message, rid));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send(errorBody("validation", fe.message, rid));
    }
    // The database restarting or out of reach is not a bug: 503, retry later.
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, "database unavailable");
      return reply
        .status(503)
        .header("retry-after", String(RETRY_AFTER_SECONDS))
        .send(
          errorBody(
            "unavailable",
            "数据库暂不可用，请稍后重试 / Database unavailable, retry later",
            rid,
          ),
        );
    }
    request.log.error({ err }, "unhandled error");
    if (process.env.TEST_LOG === "1") console.error(err);
    return reply.status(500).send(errorBody("internal", "服务器内部错误 / Internal error", rid));
  });
});
