/**
 * The audit chain's hashing: each row's hash covers its content and the
 * previous row's hash, so changing or removing any row breaks every later link.
 */
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every level: the same value always gives
 *  the same text, whatever order jsonb hands the keys back in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export interface AuditContent {
  at: Date;
  actorUserId: string | null;
  actorTokenId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

export function auditHash(prevHash: string, c: AuditContent): string {
  const text = canonicalJson([
    prevHash,
    c.at.toISOString(),
    c.actorUserId,
    c.actorTokenId,
    c.actorLabel,
    c.action,
    c.subjectType,
    c.subjectId,
    c.details,
    c.requestId,
  ]);
  return createHash("sha256").update(text).digest("hex");
}
