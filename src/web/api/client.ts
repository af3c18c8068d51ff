/**
 * The one way the web app talks to the API: same-origin cookies, the session's
 * CSRF token on every non-GET request, and the error shape
 * `{error:{id,message,requestId,details?}}` turned into an ApiError.
 * A 401 on an ordinary call means the session ended: the registered handler
 * sends the user to the login page.
 */

/** Ids the server uses (src/shared/errors.ts) plus the client's own `network`. */
export type ApiErrorId = string;

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: ApiErrorId,
    message: string,
    readonly requestId: string | null,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Field-level problems of a `validation` error, when the server sent them. */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldIssue =>
        typeof d === "object" &&
        d !== null &&
        typeof (d as FieldIssue).path === "string" &&
        typeof (d as FieldIssue).message === "string",
    );
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remember the CSRF token from login or /api/auth/me (null after logout). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an ordinary request answers 401 (the session is gone). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (Idempotency-Key, x-tracking-secret …). */
  headers?: Record<string, string>;
  /** Do not treat 401 as "session ended" (login itself, the session probe). */
  expectUnauthenticated?: boolean;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function toApiError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get("x-request-id");
  let payload: unknown = null;
  try {
    payload = await res.json();
  } catch {
    // Not JSON (a proxy error page, say): fall through to a generic error.
  }
  const err = (payload as { error?: unknown } | null)?.error;
  if (err && typeof err === "object") {
    const e = err as { id?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
    return new ApiError(
      res.status,
      typeof e.id === "string" ? e.id : "internal",
      typeof e.message === "string" ? e.message : `HTTP ${res.status}`,
      typeof e.requestId === "string" ? e.requestId : requestId,
      e.details,
    );
  }
  return new ApiError(
    res.status,
    res.status >= 500 ? "internal" : "unknown",
    `HTTP ${res.status}`,
    requestId,
  );
}

/** Send a request; resolves with the parsed JSON body (undefined for 204). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return (await apiWithStatus<T>(path, opts)).data;
}

/** Like api(), but also tells the HTTP status (201 created vs 200 found, say). */
export async function apiWithStatus<T>(
  path: string,
  opts: RequestOptions = {},
): Promise<{ status: number; data: T }> {
  const method = opts.method ?? "GET";
  const headers: Record<string, string> = { ...opts.headers, accept: "application/json" };
  // FormData (file uploads) sets its own multipart content type and boundary.
  const isForm = typeof FormData !== "undefined" && opts.body instanceof FormData;
  if (opts.body !== undefined && !isForm) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: "same-origin",
      body:
        opts.body === undefined
          ? null
          : isForm
            ? (opts.body as FormData)
            : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "network", "network", null);
  }

  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && !opts.expectUnauthenticated) onUnauthenticated?.();
    throw error;
  }
  if (res.status === 204) return { status: 204, data: undefined as T };
  const text = await res.text();
  return { status: res.status, data: (text ? JSON.parse(text) : undefined) as T };
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === "AbortError";
}
