/**
 * In-app notifications (the bell): each person reads only their own. Other
 * modules write notification rows inside their own transactions; this module
 * lists them and marks them read.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { forbidden } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import * as repo from "./notifications.repository.js";

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
