/**
 * The flat list of error factories. Each has a stable id (src/shared/errors.ts)
 * and an HTTP status; the one error handler (plugins/errors.ts) turns them
 * into `{error: {id, message, requestId, details?}}`.
 */
import type { ErrorId } from "../shared/errors.js";

export class AppError extends Error {
  constructor(
    readonly id: ErrorId,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const validation = (message: string, details?: unknown) =>
  new AppError("validation", 400, message, details);

/** A 400 naming the one input (`query.from`, `body.rating`) that is wrong. */
export const fieldError = (path: string, message: string) =>
  validation(message, [{ path, message }]);

export const unauthenticated = (message = "请先登录 / Please log in") =>
  new AppError("unauthenticated", 401, message);

export const forbidden = (message = "没有权限执行此操作 / You are not allowed to do this") =>
  new AppError("forbidden", 403, message);

/** Also used for records outside the caller's scope: they look missing. */
export const notFound = (what = "记录", whatEn = "record") =>
  new AppError("not_found", 404, `${what}不存在 / ${whatEn} not found`);

export const conflict = (message: string, details?: unknown) =>
  new AppError("conflict", 409, message, details);

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError(
    "rate_limited",
    429,
    message,
    { retryAfterSeconds },
    {
      "retry-after": String(retryAfterSeconds),
    },
  );

export const unavailable = (
  message = "服务暂不可用，请稍后重试 / Service unavailable, retry later",
) => new AppError("unavailable", 503, message);
