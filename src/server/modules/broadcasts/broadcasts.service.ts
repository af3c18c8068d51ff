/**
 * Targeted broadcasts (定向广播): government writes a notice — an
 * anti-fraud warning, a safety tip, an emergency — to the residents of an
 * area, the employees of chosen enterprises, or volunteers, sees how many
 * people it reaches by which channel before sending, and after sending how
 * it went (delivered in the app, SMS sent, failed, read).
 *
 * Sending only fixes the broadcast (draft → sending): the
 * `broadcast-delivery` job writes one delivery row per person in batches and
 * delivers them — in the app through the notifications module (the bell),
 * by SMS through its senders — so ten thousand recipients never hold a
 * request. Staff see counts, never names or numbers. Every change writes its
 * log row and audit row in its transaction.
 */
import type { Kysely, Transaction } from "kysely";
import { todayInChina } from "../../../shared/dates.js";
import {
  type AudienceCounts,
  BROADCAST_CATEGORY_NAMES,
  type BroadcastAudience,
  type BroadcastDetail,
  type BroadcastListQuery,
  type BroadcastSummary,
  type BroadcastView,
  type CreateBroadcastBody,
  type DeliveryCounts,
  type MyBroadcasts,
  type ReceivedBroadcast,
  type UpdateBroadcastBody,
} from "../../../shared/schemas/broadcasts.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { conflict, fieldError, forbidden, notFound } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import type { EventBus } from "../events/event-bus.js";
import { markLinkRead, notifyUsers } from "../notifications/notifications.service.js";
import {
  type LogFn,
  maskRecipient,
  PermanentSendError,
  type Senders,
} from "../notifications/senders.js";
import {
  allowedActions,
  broadcastInScope,
  broadcastScopeOf,
  isIssuer,
  issuerOf,
} from "./broadcasts.policy.js";
import * as repo from "./broadcasts.repository.js";

export interface BroadcastsDeps {
  db: Kysely<DB>;
  events?: { publish: EventBus["publish"] } | undefined;
}

interface Ctx {
  requestId: string;
  now?: Date;
}

const NOT_FOUND = () => notFound("广播", "broadcast");
const personOf = (actor: Actor) => actor.displayName ?? actor.label;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function issuer(actor: Actor) {
  const i = issuerOf(actor);
  if (!i) throw forbidden("只有综治中心和政府部门可以发布广播 / only government sends broadcasts");
  return i;
}

// ------------------------------------------------------------ audience

interface StoredAudience {
  kind: BroadcastAudience["kind"];
  areaCode: string | null;
  enterpriseIds: string[];
  teamId: string | null;
  /** "狮山街道 居民" */
  label: string;
}

function storedOf(raw: Record<string, unknown>): StoredAudience {
  return {
    kind: (raw.kind as StoredAudience["kind"]) ?? "residents",
    areaCode: typeof raw.areaCode === "string" ? raw.areaCode : null,
    enterpriseIds: Array.isArray(raw.enterpriseIds) ? (raw.enterpriseIds as string[]) : [],
    teamId: typeof raw.teamId === "string" ? raw.teamId : null,
    label: typeof raw.label === "string" ? raw.label : "",
  };
}

/**
 * The audience checked against the issuer's area and made ready for SQL:
 * an unknown area, enterprise or team, or one outside the area, is refused
 * with the field that names it.
 */
async function resolveAudience(
  db: Kysely<DB> | Transaction<DB>,
  a: Pick<StoredAudience, "kind" | "areaCode" | "enterpriseIds" | "teamId">,
  areaPath: string,
  now: Date,
  path = "body.audience",
): Promise<{ resolved: repo.ResolvedAudience; stored: StoredAudience }> {
  if (a.kind === "employees") {
    const ids = [...new Set(a.enterpriseIds)];
    const found = await repo.enterprisesWithin(db, ids, areaPath);
    if (found.length < ids.length)
      throw fieldError(
        `${path}.enterpriseIds`,
        `${ids.length - found.length} 家企业不存在或不在您的管辖范围内 / ${ids.length - found.length} enterprises are unknown or outside your area`,
      );
    const names = found.map((e) => e.name);
    return {
      resolved: { kind: "employees", enterpriseIds: ids, today: todayInChina(now) },
      stored: {
        kind: "employees",
        areaCode: null,
        enterpriseIds: ids,
        teamId: null,
        label:
          names.length <= 2
            ? `${names.join("、")} 员工`
            : `${names.slice(0, 2).join("、")}等 ${names.length} 家企业员工`,
      },
    };
  }
  if (a.kind === "volunteers" && a.teamId) {
    const team = await repo.teamById(db, a.teamId);
    if (!team || !pathWithin(team.area_path, areaPath))
      throw fieldError(
        `${path}.teamId`,
        "队伍不存在或不在您的管辖范围内 / the team is unknown or outside your area",
      );
    return {
      resolved: { kind: "volunteers", teamId: a.teamId },
      stored: {
        kind: "volunteers",
        areaCode: null,
        enterpriseIds: [],
        teamId: a.teamId,
        label: `${team.name} 队员`,
      },
    };
  }
  const area = a.areaCode ? await repo.areaByCode(db, a.areaCode) : undefined;
  if (!area || !pathWithin(area.path, areaPath))
    throw fieldError(
      `${path}.areaCode`,
      "区域不存在或不在您的管辖范围内 / the area is unknown or outside your area",
    );
  const kind = a.kind === "volunteers" ? "volunteers" : "residents";
  return {
    resolved: { kind, areaPath: area.path },
    stored: {
      kind,
      areaCode: area.code,
      enterpriseIds: [],
      teamId: null,
      label: `${area.name} ${kind === "volunteers" ? "志愿者" : "居民"}`,
    },
  };
}

/**
 * The audience as the job reads it: as it was checked when it was sent (an
 * enterprise that moved away since still hears it); null when its area is gone.
 */
async function sqlAudience(
  db: Kysely<DB> | Transaction<DB>,
  a: StoredAudience,
  sentAt: Date,
): Promise<repo.ResolvedAudience | null> {
  if (a.kind === "employees")
    return { kind: "employees", enterpriseIds: a.enterpriseIds, today: todayInChina(sentAt) };
  if (a.kind === "volunteers" && a.teamId) return { kind: "volunteers", teamId: a.teamId };
  const area = a.areaCode ? await repo.areaByCode(db, a.areaCode) : undefined;
  if (!area) return null;
  return { kind: a.kind === "volunteers" ? "volunteers" : "residents", areaPath: area.path };
}

const inputOf = (a: BroadcastAudience) => ({
  kind: a.kind,
  areaCode: a.areaCode ?? null,
  enterpriseIds: a.enterpriseIds,
  teamId: a.teamId ?? null,
});

function countsOf(c: repo.AudienceCountRow): AudienceCounts {
  return {
    targeted: c.targeted,
    inApp: c.in_app,
    sms: c.sms,
    both: c.both,
    unreachable: c.unreachable,
  };
}

/** How many people an audience reaches now, by channel: counts only, no list. */
export async function previewAudience(
  deps: BroadcastsDeps,
  actor: Actor,
  audience: BroadcastAudience,
  sms: boolean,
  now = new Date(),
): Promise<AudienceCounts> {
  const i = issuer(actor);
  const { resolved } = await resolveAudience(deps.db, inputOf(audience), i.areaPath, now);
  return countsOf(await repo.countAudience(deps.db, resolved, sms));
}

// ----------------------------------------------------------- presenting

function deliveryCounts(b: repo.BroadcastRow): DeliveryCounts {
  return {
    targeted: b.targeted_count,
    delivered: b.delivered_count,
    inApp: b.in_app_count,
    smsSent: b.sms_sent_count,
    failed: b.failed_count,
    read: b.read_count,
    unreachable: b.unreachable_count,
  };
}

function summaryOf(b: repo.BroadcastRow): BroadcastSummary {
  const a = storedOf(b.audience);
  return {
    id: b.id,
    title: b.title,
    category: b.category,
    status: b.status,
    issuer: b.issuer_name,
    audienceKind: a.kind,
    audienceLabel: a.label,
    sms: b.sms,
    createdAt: new Date(b.created_at).toISOString(),
    sentAt: iso(b.sent_at),
    completedAt: iso(b.completed_at),
    counts: deliveryCounts(b),
  };
}

async function detailOf(deps: BroadcastsDeps, b: repo.BroadcastRow): Promise<BroadcastDetail> {
  const a = storedOf(b.audience);
  const [log, area, team, enterprises] = await Promise.all([
    repo.actionsOf(deps.db, b.id),
    a.areaCode ? repo.areaByCode(deps.db, a.areaCode) : undefined,
    a.teamId ? repo.teamById(deps.db, a.teamId) : undefined,
    repo.organisationNames(deps.db, a.enterpriseIds.slice(0, 500)),
  ]);
  return {
    ...summaryOf(b),
    body: b.body,
    audience: {
      kind: a.kind,
      areaCode: a.areaCode,
      areaName: area?.name ?? null,
      teamId: a.teamId,
      teamName: team?.name ?? null,
      enterprises: enterprises.map((e) => ({ id: e.id, name: e.name })),
    },
    createdBy: b.created_label,
    sentBy: b.sent_label,
    log: log.map((l) => ({
      id: l.id,
      action: l.action,
      actor: l.actor_label,
      details: l.details,
      createdAt: new Date(l.created_at).toISOString(),
    })),
    allowedActions: allowedActions(b.status),
    version: b.version,
  };
}

function receivedOf(
  b: Pick<repo.BroadcastRow, "id" | "title" | "body" | "category" | "issuer_name" | "sent_at">,
  readAt: Date | null,
): ReceivedBroadcast {
  return {
    id: b.id,
    title: b.title,
    body: b.body,
    category: b.category,
    issuer: b.issuer_name,
    sentAt: iso(b.sent_at) ?? "",
    readAt: iso(readAt),
  };
}

// ------------------------------------------------------------- commands

export async function createBroadcast(
  deps: BroadcastsDeps,
  actor: Actor,
  body: CreateBroadcastBody,
  ctx: Ctx,
): Promise<BroadcastDetail> {
  const i = issuer(actor);
  const now = ctx.now ?? new Date();
  const { stored } = await resolveAudience(deps.db, inputOf(body.audience), i.areaPath, now);
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await repo.insertBroadcast(trx, {
      title: body.title,
      body: body.body,
      category: body.category,
      audience: { ...stored },
      sms: body.sms,
      issuer_name: i.name,
      area_path: i.areaPath,
      department_id: i.departmentId,
      created_by: actor.userId,
      created_label: personOf(actor),
    });
    await repo.insertAction(trx, {
      broadcast_id: id,
      action: "create",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "broadcast.created",
        subjectType: "broadcast",
        subjectId: id,
        details: { title: body.title, audience: stored.label },
      },
    );
    return id;
  });
  return getIssued(deps, actor, id);
}

/** The broadcast locked for its issuers' change; 404 outside the caller's scope. */
async function lockForIssuer(
  trx: Parameters<typeof repo.lockBroadcast>[0],
  actor: Actor,
  id: string,
) {
  const b = await repo.lockBroadcast(trx, id);
  if (!b || !isIssuer(actor) || !broadcastInScope(broadcastScopeOf(actor), b)) throw NOT_FOUND();
  return b;
}

function notDraft(b: repo.BroadcastRow, what: string) {
  const status = { draft: "草稿", sending: "正在发送", sent: "已发送" }[b.status];
  return conflict(`广播${status}，${what} / the broadcast is ${b.status}: ${what}`, {
    status: b.status,
    allowed: allowedActions(b.status),
  });
}

function versionConflict(current: number) {
  return conflict(
    "广播已被他人修改，请刷新后重试 / the broadcast changed meanwhile; reload and retry",
    {
      currentVersion: current,
    },
  );
}

export async function updateBroadcast(
  deps: BroadcastsDeps,
  actor: Actor,
  id: string,
  body: UpdateBroadcastBody,
  ctx: Ctx,
): Promise<BroadcastDetail> {
  const now = ctx.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const b = await lockForIssuer(trx, actor, id);
    if (b.status !== "draft") throw notDraft(b, "不能再修改 / it cannot be edited");
    if (b.version !== body.version) throw versionConflict(b.version);
    const patch: repo.BroadcastPatch = {};
    if (body.title !== undefined) patch.title = body.title;
    if (body.body !== undefined) patch.body = body.body;
    if (body.category !== undefined) patch.category = body.category;
    if (body.sms !== undefined) patch.sms = body.sms;
    if (body.audience) {
      const { stored } = await resolveAudience(trx, inputOf(body.audience), b.area_path, now);
      patch.audience = { ...stored };
    }
    if (!(await repo.updateBroadcast(trx, id, b.version, patch))) throw versionConflict(b.version);
    await repo.insertAction(trx, {
      broadcast_id: id,
      action: "edit",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: { fields: Object.keys(patch) },
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "broadcast.updated",
        subjectType: "broadcast",
        subjectId: id,
        details: { fields: Object.keys(patch) },
      },
    );
  });
  return getIssued(deps, actor, id);
}

export async function deleteBroadcast(deps: BroadcastsDeps, actor: Actor, id: string, ctx: Ctx) {
  await deps.db.transaction().execute(async (trx) => {
    const b = await lockForIssuer(trx, actor, id);
    if (b.status !== "draft") throw notDraft(b, "不能删除 / it cannot be deleted");
    await repo.deleteBroadcast(trx, id);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "broadcast.deleted",
        subjectType: "broadcast",
        subjectId: id,
        details: { title: b.title },
      },
    );
  });
}

/**
 * Sends a draft: its audience is checked once more and fixed (status
 * `sending`); the delivery job does the rest. A second send answers 409, an
 * audience that reaches nobody 400.
 */
export async function sendBroadcast(
  deps: BroadcastsDeps,
  actor: Actor,
  id: string,
  version: number,
  ctx: Ctx,
): Promise<BroadcastDetail> {
  const now = ctx.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const b = await lockForIssuer(trx, actor, id);
    if (b.status !== "draft") throw notDraft(b, "不能再次发送 / it was sent already");
    if (b.version !== version) throw versionConflict(b.version);
    const { resolved } = await resolveAudience(
      trx,
      storedOf(b.audience),
      b.area_path,
      now,
      "broadcast.audience",
    );
    const counts = await repo.countAudience(trx, resolved, b.sms);
    if (counts.targeted === 0)
      throw fieldError(
        "broadcast.audience",
        "没有可以送达的接收人（无账户也无手机号），请调整接收对象 / the audience reaches nobody",
      );
    if (
      !(await repo.updateBroadcast(trx, id, b.version, {
        status: "sending",
        sent_at: now,
        sent_by: actor.userId,
        sent_label: personOf(actor),
      }))
    )
      throw versionConflict(b.version);
    await repo.insertAction(trx, {
      broadcast_id: id,
      action: "send",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: { ...countsOf(counts) },
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "broadcast.sent",
        subjectType: "broadcast",
        subjectId: id,
        details: { targeted: counts.targeted },
      },
    );
  });
  return getIssued(deps, actor, id);
}

// -------------------------------------------------------------- queries

async function getIssued(deps: BroadcastsDeps, actor: Actor, id: string) {
  const b = await repo.findBroadcast(deps.db, id);
  if (!b || !isIssuer(actor) || !broadcastInScope(broadcastScopeOf(actor), b)) throw NOT_FOUND();
  return detailOf(deps, b);
}

export async function listBroadcasts(
  deps: BroadcastsDeps,
  actor: Actor,
  q: BroadcastListQuery,
): Promise<{ items: BroadcastSummary[]; total: number }> {
  const r = await repo.listBroadcasts(deps.db, broadcastScopeOf(actor), q);
  return { items: r.items.map(summaryOf), total: r.total };
}

/**
 * One broadcast: its issuers (in scope) get the detail with counts and the
 * log; a person it reached in the app gets the message and their receipt.
 * Anyone else: 404.
 */
export async function getBroadcast(
  deps: BroadcastsDeps,
  actor: Actor,
  id: string,
): Promise<BroadcastView> {
  const b = await repo.findBroadcast(deps.db, id);
  if (!b) throw NOT_FOUND();
  if (isIssuer(actor) && broadcastInScope(broadcastScopeOf(actor), b))
    return { view: "issuer", broadcast: await detailOf(deps, b) };
  const receipt = actor.userId ? await repo.findReceipt(deps.db, id, actor.userId) : undefined;
  if (!receipt) throw NOT_FOUND();
  return { view: "recipient", broadcast: receivedOf(b, receipt.read_at) };
}

/** The recipient opened it: read (the first time counts), shown with the message. */
export async function readBroadcast(
  deps: BroadcastsDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<ReceivedBroadcast> {
  const b = await repo.findBroadcast(deps.db, id);
  if (!b) throw NOT_FOUND();
  const receipt = actor.userId ? await repo.findReceipt(deps.db, id, actor.userId) : undefined;
  if (!receipt) {
    if (isIssuer(actor) && broadcastInScope(broadcastScopeOf(actor), b))
      throw forbidden("只有接收人可以标记已读 / only recipients mark a broadcast read");
    throw NOT_FOUND();
  }
  let readAt = receipt.read_at;
  if (readAt === null) {
    readAt = now;
    const bell = await deps.db.transaction().execute(async (trx) =>
      (await repo.markRead(trx, receipt.id, id, now))
        ? // The bell's notice of it is read too.
          markLinkRead(trx, actor.userId as string, `/broadcasts/${id}`)
        : 0,
    );
    if (bell > 0)
      deps.events?.publish({ type: "notifications", userIds: [actor.userId as string] });
  }
  return receivedOf(b, readAt);
}

export async function listMine(
  deps: BroadcastsDeps,
  actor: Actor,
  f: { unreadOnly: boolean; limit: number; offset: number },
): Promise<MyBroadcasts> {
  if (!actor.userId) throw forbidden();
  const r = await repo.listMine(deps.db, actor.userId, f);
  return {
    items: r.items.map((x) => receivedOf(x, x.read_at)),
    total: r.total,
    unread: r.unread,
  };
}

// ------------------------------------------------------------------ job

/** Audience rows fixed per transaction. */
const MATERIALISE_BATCH = 2000;
/** Deliveries sent per transaction. */
const DELIVERY_BATCH = 200;
/** A run stops starting new batches after this long; the next run goes on. */
const RUN_BUDGET_MS = 20_000;

export interface DeliveryDeps extends BroadcastsDeps {
  fieldCrypto: FieldCrypto;
  senders: Senders;
  log?: LogFn;
}

/**
 * The `broadcast-delivery` job. Three steps, each in short transactions so
 * requests interleave and two servers share the work:
 *
 * 1. Fix audiences: a broadcast being sent (locked, SKIP LOCKED) gets its
 *    next batch of delivery rows; the cursor and counts move in the same
 *    transaction. A person already fixed is skipped (unique per broadcast).
 * 2. Deliver: undelivered rows (locked, SKIP LOCKED) go in the app (a
 *    notification with the broadcast's page, already marked delivered so
 *    the notification job does not text it again) and by SMS through the
 *    senders. A refused number is failed for good; any other gateway error
 *    ends the run keeping what was sent (the rest waits for the next run).
 * 3. Complete: broadcasts fixed and delivered to the last person are sent.
 */
export async function runBroadcastDelivery(
  deps: DeliveryDeps,
  now = new Date(),
  batches: { materialise?: number; deliver?: number } = {},
) {
  const fixBatch = batches.materialise ?? MATERIALISE_BATCH;
  const sendBatch = batches.deliver ?? DELIVERY_BATCH;
  const started = Date.now();
  const within = () => Date.now() - started < RUN_BUDGET_MS;
  const out = { fixed: 0, inApp: 0, sms: 0, failed: 0, completed: 0 };

  // 1. Fix audiences.
  while (within()) {
    const step = await deps.db.transaction().execute(async (trx) => {
      const b = await repo.lockUnmaterialised(trx);
      if (!b) return null;
      const resolved = await sqlAudience(trx, storedOf(b.audience), b.sent_at ?? now);
      if (!resolved) {
        // The area went away after sending: nobody more to fix.
        await repo.advanceCursor(trx, b.id, {
          cursor: b.cursor,
          done: true,
          inserted: 0,
          unreachable: 0,
        });
        return 0;
      }
      const r = await repo.materialiseBatch(trx, b.id, resolved, b.sms, b.cursor, fixBatch);
      await repo.advanceCursor(trx, b.id, {
        cursor: r.last ?? b.cursor,
        done: r.scanned < fixBatch,
        inserted: r.inserted,
        unreachable: r.unreachable,
      });
      return r.inserted;
    });
    if (step === null) break;
    out.fixed += step;
  }

  // 2. Deliver.
  const notified = new Set<string>();
  while (within()) {
    let stopped: { error: unknown } | undefined;
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.lockUndelivered(trx, sendBatch);
      const done: string[] = [];
      const inApp = new Map<
        string,
        { ids: string[]; users: string[]; row: repo.PendingDelivery }
      >();
      const smsSent = new Map<string, string[]>();
      const smsFailed = new Map<string, string[]>();
      const counts = new Map<
        string,
        { delivered: number; inApp: number; smsSent: number; failed: number }
      >();
      const count = (id: string) => {
        const c = counts.get(id) ?? { delivered: 0, inApp: 0, smsSent: 0, failed: 0 };
        counts.set(id, c);
        return c;
      };
      for (const r of rows) {
        const c = count(r.broadcast_id);
        let reached = false;
        let failed = false;
        if (r.sms) {
          const enc = r.resident_phone_enc ?? r.user_phone_enc;
          const to = enc
            ? deps.fieldCrypto.decrypt(
                enc,
                r.resident_phone_enc ? "residents.phone" : "users.phone",
              )
            : null;
          const sender = deps.senders.sms;
          if (to) {
            const message = {
              channel: "sms" as const,
              to,
              title: `【${BROADCAST_CATEGORY_NAMES[r.category]}】${r.title}`,
              body: r.body,
            };
            try {
              await sender.send(message);
              smsSent.set(sender.name, [...(smsSent.get(sender.name) ?? []), r.id]);
              c.smsSent++;
              reached = true;
            } catch (err) {
              if (!(err instanceof PermanentSendError)) {
                // This one and the rest wait for the next run.
                stopped = { error: err };
                break;
              }
              smsFailed.set(sender.name, [...(smsFailed.get(sender.name) ?? []), r.id]);
              failed = true;
              deps.log?.(
                { broadcastId: r.broadcast_id, to: maskRecipient(message), error: err.message },
                "broadcast SMS refused by the gateway",
              );
            }
          } else {
            // The number was removed after the audience was fixed.
            smsFailed.set("none", [...(smsFailed.get("none") ?? []), r.id]);
            failed = true;
          }
        }
        if (r.in_app && r.user_id && r.user_status === "active") {
          const g = inApp.get(r.broadcast_id) ?? { ids: [], users: [], row: r };
          g.ids.push(r.id);
          g.users.push(r.user_id);
          inApp.set(r.broadcast_id, g);
          c.inApp++;
          reached = true;
        }
        if (failed || !reached) c.failed++;
        c.delivered++;
        done.push(r.id);
      }
      for (const [broadcastId, g] of inApp) {
        await notifyUsers(
          trx,
          g.users,
          {
            kind: "broadcast",
            title: `【${BROADCAST_CATEGORY_NAMES[g.row.category]}】${g.row.title}`,
            body: g.row.body,
            link: `/broadcasts/${broadcastId}`,
          },
          { appOnly: { at: now } },
        );
        for (const u of g.users) notified.add(u);
      }
      await repo.markDelivered(trx, now, {
        all: done,
        inApp: [...inApp.values()].flatMap((g) => g.ids),
        smsSent: [...smsSent].map(([sender, ids]) => ({ sender, ids })),
        smsFailed: [...smsFailed].map(([sender, ids]) => ({ sender, ids })),
      });
      for (const [id, c] of counts) await repo.addCounts(trx, id, c);
      out.inApp += [...counts.values()].reduce((s, c) => s + c.inApp, 0);
      out.sms += [...counts.values()].reduce((s, c) => s + c.smsSent, 0);
      out.failed += [...counts.values()].reduce((s, c) => s + c.failed, 0);
      return rows.length;
    });
    if (stopped) {
      if (notified.size) deps.events?.publish({ type: "notifications", userIds: [...notified] });
      throw stopped.error;
    }
    if (n < sendBatch) break;
  }
  if (notified.size) deps.events?.publish({ type: "notifications", userIds: [...notified] });

  // 3. Complete.
  const completed = await deps.db.transaction().execute(async (trx) => {
    const rows = await repo.completeDelivered(trx, now);
    for (const b of rows) {
      await repo.insertAction(trx, {
        broadcast_id: b.id,
        action: "complete",
        actor_user_id: null,
        actor_label: "定向广播发送任务",
        details: {
          targeted: b.targeted_count,
          inApp: b.in_app_count,
          smsSent: b.sms_sent_count,
          failed: b.failed_count,
          unreachable: b.unreachable_count,
        },
      });
      await recordAudit(
        trx,
        { actor: null },
        {
          action: "broadcast.delivered",
          subjectType: "broadcast",
          subjectId: b.id,
          details: { targeted: b.targeted_count, failed: b.failed_count },
        },
      );
    }
    return rows.length;
  });
  out.completed = completed;
  return out;
}
