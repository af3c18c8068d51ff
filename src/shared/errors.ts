/** Stable error ids. Other tools match on these; never rename one. */
export const ERROR_IDS = [
  "validation",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "payload_too_large",
  "unavailable",
  "internal",
] as const;
export type ErrorId = (typeof ERROR_IDS)[number];

export interface ErrorBody {
  error: { id: ErrorId; message: string; requestId: string; details?: unknown };
}
