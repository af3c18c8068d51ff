/**
 * In-app notifications (the bell): each person reads only their own. Other
 * modules write notification rows inside their own transactions; this module
 * lists them and marks them read.
 */
import type { Kysely } from "kysely";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { forbidden } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import * as repo from "./notifications.repository.js";
import type { MessageSender } from "./senders.js";

export interface NotificationsDeps {
  db: Kysely<DB>;
}

function userOf(actor: Actor): string {
  // API tokens have no inbox.
  if (actor.kind !== "user" || !actor.userId) throw forbidden();
  return actor.userId;
}

export async function listNotifications(
  deps: NotificationsDeps,
  actor: Actor,
  f: { unreadOnly: boolean; limit: number; offset: number },
) {
  const r = await repo.list(deps.db, userOf(actor), f);
  return {
    items: r.items.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      caseId: n.case_id,
      caseCode: n.case_code,
      readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
      createdAt: new Date(n.created_at).toISOString(),
    })),
    total: r.total,
    unread: r.unread,
  };
}

export async function markRead(deps: NotificationsDeps, actor: Actor, ids: string[] | "all") {
  return { updated: await repo.markRead(deps.db, userOf(actor), ids) };
}

/**
 * Sends undelivered notifications by SMS to recipients with a phone number
 * (others are marked as delivered in the app only), in locked batches so two
 * servers never send one twice at the same time. A crash between sending and
 * the commit may send a message again: at least once, never silently lost.
 */
export async function deliverPending(
  deps: NotificationsDeps & { fieldCrypto: FieldCrypto; sender: MessageSender },
  now = new Date(),
  batch = 200,
) {
  let sent = 0;
  let appOnly = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.lockUndelivered(trx, batch);
      const viaSender: string[] = [];
      const inApp: string[] = [];
      for (const r of rows) {
        if (!r.phone_enc || r.status !== "active") {
          inApp.push(r.id);
          continue;
        }
        await deps.sender.send({
          channel: "sms",
          to: deps.fieldCrypto.decrypt(r.phone_enc, "users.phone"),
          title: r.title,
          body: r.body,
        });
        viaSender.push(r.id);
      }
      await repo.markDelivered(trx, viaSender, `sms:${deps.sender.name}`, now);
      await repo.markDelivered(trx, inApp, "app", now);
      sent += viaSender.length;
      appOnly += inApp.length;
      return rows.length;
    });
    if (n < batch) return { sent, appOnly };
  }
}
