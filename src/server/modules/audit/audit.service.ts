/**
 * The tamper-evident audit trail: `recordAudit` appends a row in the caller's
 * transaction (so the change and its record commit or roll back together);
 * `verifyAuditChain` walks the chain and names the first broken link.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { Actor } from "../access/access.policy.js";
import * as repo from "./audit.repository.js";
import { type AuditContent, auditHash, GENESIS_HASH } from "./audit-hash.js";

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditContext {
  actor: Pick<Actor, "userId" | "tokenId" | "label"> | null;
  requestId?: string | null;
}

/** Appends one row. Must run inside the transaction of the change it records. */
export async function recordAudit(
  trx: Transaction<DB>,
  ctx: AuditContext,
  entry: AuditEntry,
): Promise<void> {
  await repo.lockChain(trx);
  const prev = (await repo.lastHash(trx)) ?? GENESIS_HASH;
  // Millisecond precision: the timestamp must read back exactly as hashed.
  const content: AuditContent = {
    at: new Date(),
    actorUserId: ctx.actor?.userId ?? null,
    actorTokenId: ctx.actor?.tokenId ?? null,
    actorLabel: ctx.actor?.label ?? "system",
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    details: entry.details ?? {},
    requestId: ctx.requestId ?? null,
  };
  await repo.insertRow(trx, {
    at: content.at,
    actor_user_id: content.actorUserId,
    actor_token_id: content.actorTokenId,
    actor_label: content.actorLabel,
    action: content.action,
    subject_type: content.subjectType,
    subject_id: content.subjectId,
    details: content.details,
    request_id: content.requestId,
    prev_hash: prev,
    hash: auditHash(prev, content),
  });
}

export type VerifyResult =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAt: string; reason: string };

export async function verifyAuditChain(db: Kysely<DB>, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let after = "0";
  let rows = 0;
  for (;;) {
    const page = await repo.rowsAfter(db, after, batch);
    for (const r of page) {
      rows++;
      if (r.prev_hash !== prev) {
        return {
          ok: false,
          rows,
          brokenAt: r.id,
          reason:
            "prev_hash does not match the previous row's hash (a row was removed or reordered)",
        };
      }
      const expected = auditHash(prev, {
        at: new Date(r.at),
        actorUserId: r.actor_user_id,
        actorTokenId: r.actor_token_id,
        actorLabel: r.actor_label,
        action: r.action,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        details: r.details,
        requestId: r.request_id,
      });
      if (expected !== r.hash) {
        return {
          ok: false,
          rows,
          brokenAt: r.id,
          reason: "content does not match its hash (the row was altered)",
        };
      }
      prev = r.hash;
      after = r.id;
    }
    if (page.length < batch) return { ok: true, rows };
  }
}

export const listAudit = repo.list;
