/**
 * The tamper-evident audit trail: `recordAudit` appends a row in the caller's
 * transaction (so the change and its record commit or roll back together);
 * `linkAuditChain` links committed rows into the hash chain in batches (the
 * server runs it about every second, and every reader of the chain runs it
 * first); `verifyAuditChain` walks the chain and names the first broken link.
 * Writers never wait for each other: only linking is serialised.
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

/**
 * The columns of one audit row, as every writer stores them. A writer that
 * inserts the row inside a larger statement (the intake) uses this; the row
 * is linked into the chain later either way.
 */
export function auditRowValues(ctx: AuditContext, entry: AuditEntry, at = new Date()) {
  return {
    // Millisecond precision: the timestamp must read back exactly as hashed.
    at,
    actor_user_id: ctx.actor?.userId ?? null,
    actor_token_id: ctx.actor?.tokenId ?? null,
    actor_label: ctx.actor?.label ?? "system",
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId ?? null,
    details: entry.details ?? {},
    request_id: ctx.requestId ?? null,
  };
}
export type AuditRowValues = ReturnType<typeof auditRowValues>;

/** Appends one row. Must run inside the transaction of the change it records. */
export async function recordAudit(
  trx: Transaction<DB>,
  ctx: AuditContext,
  entry: AuditEntry,
): Promise<void> {
  await repo.insertRow(trx, auditRowValues(ctx, entry));
}

type AuditRow = Awaited<ReturnType<typeof repo.unlinked>>[number];

const contentOf = (r: AuditRow): AuditContent => ({
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

/**
 * Links every committed, unlinked row into the chain, oldest first, in
 * batches. Safe to run anywhere, any time, concurrently: linkers take turns.
 * Returns how many rows it linked.
 */
export async function linkAuditChain(db: Kysely<DB>, batch = 2000): Promise<number> {
  let linked = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      await repo.lockChain(trx);
      const last = await repo.lastLinked(trx);
      const rows = await repo.unlinked(trx, batch);
      let prev = last?.hash ?? GENESIS_HASH;
      let seq = BigInt(last?.chain_seq ?? 0);
      const links = rows.map((r) => {
        seq += 1n;
        const hash = auditHash(prev, contentOf(r));
        const link = { id: r.id, prev_hash: prev, hash, chain_seq: seq.toString() };
        prev = hash;
        return link;
      });
      await repo.link(trx, links);
      return rows.length;
    });
    linked += n;
    if (n < batch) return linked;
  }
}

export type VerifyResult =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAt: string; reason: string };

export async function verifyAuditChain(db: Kysely<DB>, batch = 5000): Promise<VerifyResult> {
  await linkAuditChain(db);
  let prev = GENESIS_HASH;
  let after = "0";
  let rows = 0;
  for (;;) {
    const page = await repo.linkedAfter(db, after, batch);
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
      const expected = auditHash(prev, contentOf(r));
      if (expected !== r.hash) {
        return {
          ok: false,
          rows,
          brokenAt: r.id,
          reason: "content does not match its hash (the row was altered)",
        };
      }
      prev = r.hash;
      after = r.chain_seq ?? after;
    }
    if (page.length < batch) return { ok: true, rows };
  }
}

/** The trail, newest first, linked up to now. */
export async function listAudit(db: Kysely<DB>, f: repo.AuditListFilter) {
  await linkAuditChain(db);
  return repo.list(db, f);
}
