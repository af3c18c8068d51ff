/**
 * In-app notifications (the bell): each person reads only their own. Other
 * modules write notification rows inside their own transactions; this module
 * lists them and marks them read.
 */
import type { Kysely, Transaction } from "kysely";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { forbidden } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import * as repo from "./notifications.repository.js";
import {
  CHANNELS,
  type Channel,
  type LogFn,
  maskRecipient,
  PermanentSendError,
  type Senders,
} from "./senders.js";

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
      link: n.link ?? (n.case_id ? `/cases/${n.case_id}` : null),
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
 * Marks read a user's notifications that open `link` (the page was read
 * another way: a broadcast opened from its own list, say), so the bell agrees.
 */
export async function markLinkRead(
  db: Kysely<DB> | Transaction<DB>,
  userId: string,
  link: string,
): Promise<number> {
  return repo.markLinkRead(db, userId, link);
}

/**
 * Sends undelivered notifications by SMS to recipients with a phone number
 * and by e-mail to those with an address (others are marked as delivered in
 * the app only), in locked batches so two servers never send one twice at the
 * same time. Each notification records one entry per channel: the sender's
 * name, with ":failed" when the gateway refused that message for good
 * (logged, not retried). Any other failure ends the run after keeping what was
 * already sent; the rest waits for the next run. A crash between sending and
 * the commit may send a message again: at least once, never silently lost.
 */
export async function deliverPending(
  deps: NotificationsDeps & { fieldCrypto: FieldCrypto; senders: Senders; log?: LogFn },
  now = new Date(),
  batch = 200,
) {
  const counts = { sms: 0, email: 0, failed: 0, appOnly: 0 };
  for (;;) {
    let stopped: { error: unknown } | undefined;
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.lockUndelivered(trx, batch);
      const done = new Map<string, string[]>();
      for (const r of rows) {
        const to: Partial<Record<Channel, string>> = {};
        if (r.status === "active") {
          if (r.phone_enc) to.sms = deps.fieldCrypto.decrypt(r.phone_enc, "users.phone");
          if (r.email) to.email = r.email;
        }
        const entries: string[] = [];
        try {
          for (const channel of CHANNELS) {
            const address = to[channel];
            if (address === undefined) continue;
            const sender = deps.senders[channel];
            const message = { channel, to: address, title: r.title, body: r.body };
            try {
              await sender.send(message);
              entries.push(`${channel}:${sender.name}`);
              counts[channel]++;
            } catch (err) {
              if (!(err instanceof PermanentSendError)) throw err;
              entries.push(`${channel}:${sender.name}:failed`);
              counts.failed++;
              deps.log?.(
                { notificationId: r.id, channel, to: maskRecipient(message), error: err.message },
                "notification not delivered: the gateway refused it",
              );
            }
          }
        } catch (error) {
          // This one and the rest of the batch stay undelivered for the next run.
          stopped = { error };
          break;
        }
        if (entries.length === 0) counts.appOnly++;
        done.set(r.id, entries.length > 0 ? entries : ["app"]);
      }
      const byDelivery = new Map<string, { delivery: string[]; ids: string[] }>();
      for (const [id, delivery] of done) {
        const k = delivery.join(",");
        const group = byDelivery.get(k) ?? { delivery, ids: [] };
        group.ids.push(id);
        byDelivery.set(k, group);
      }
      for (const g of byDelivery.values()) await repo.markDelivered(trx, g.ids, g.delivery, now);
      return rows.length;
    });
    if (stopped) throw stopped.error;
    if (n < batch) return counts;
  }
}

/**
 * Notifies people inside the caller's transaction (so a notice goes out with
 * the change it tells of, or not at all): each user once per call, with the
 * page the bell opens. Delivery by SMS or e-mail follows by the delivery job.
 */
export async function notifyUsers(
  trx: Transaction<DB>,
  userIds: readonly string[],
  n: {
    kind: string;
    title: string;
    body?: string | null;
    link?: string | null;
    caseId?: string | null;
  },
  /** `appOnly`: the caller delivers by SMS itself (broadcasts): the delivery job skips these. */
  opts: { appOnly?: { at: Date } } = {},
) {
  const rows = [...new Set(userIds)].map((user_id) => ({
    user_id,
    kind: n.kind,
    title: n.title.slice(0, 200),
    body: n.body?.slice(0, 500) ?? null,
    case_id: n.caseId ?? null,
    link: n.link ?? null,
    ...(opts.appOnly ? { delivered_at: opts.appOnly.at, delivery: ["app"] } : {}),
  }));
  await repo.insertMany(trx, rows);
  return rows.length;
}
