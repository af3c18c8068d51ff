/**
 * Government–enterprise–association liaison: notices from government to
 * enterprises (audience, preview, send, withdraw, read receipts, reminders)
 * and mediation requests from an enterprise to an association. Every change
 * writes its log row (notice_actions, mediation_actions), its audit row and
 * the notifications it causes in one transaction.
 */
import type { Kysely } from "kysely";
import type {
  AudiencePreview,
  CreateMediationBody,
  CreateNoticeBody,
  MediationAction,
  MediationActionBody,
  MediationDetail,
  MediationSummary,
  NoticeAudience,
  NoticeDetail,
  NoticeListQuery,
  NoticeRecipient,
  NoticeSummary,
  UpdateNoticeBody,
} from "../../../shared/schemas/liaison.js";
import type { DB } from "../../db/schema.js";
import { type AppError, conflict, forbidden, notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { caseAccess, joinCaseAsAssistingOrganisation } from "../cases/cases.service.js";
import type { EventBus } from "../events/event-bus.js";
import { findAreasByCodes } from "../geo/areas.service.js";
import {
  associationIdsOf,
  checkMediationAction,
  chinaToday,
  enterpriseIdsOf,
  governmentAreaPaths,
  governmentNoticeActions,
  isGovernment,
  mayReadMediation,
  mediationAllowedActions,
  mediationRelationOf,
  nextReminderAt,
  noticeInScope,
  noticeIssuerOf,
  noticeScopeOf,
  receiptOverdue,
  recipientNoticeActions,
} from "./liaison.policy.js";
import * as repo from "./liaison.repository.js";

export interface LiaisonDeps {
  db: Kysely<DB>;
  /** live updates for open pages (the bell) */
  events?: EventBus;
}

interface Ctx {
  requestId: string;
  now?: Date;
}

/** Who a step was by, as people read it. */
const personOf = (actor: Actor) => actor.displayName ?? actor.label;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function fieldError(path: string, message: string) {
  return validation(message, [{ path, message }]);
}

function publish(deps: LiaisonDeps, userIds: string[]) {
  if (userIds.length) deps.events?.publish({ type: "notifications", userIds });
}

// ------------------------------------------------------------------ notices

const NOTICE_NOT_FOUND = () => notFound("通知", "notice");

function issuerOf(actor: Actor) {
  const issuer = noticeIssuerOf(actor);
  if (!issuer) throw forbidden("只有政府部门可以发布通知 / only government issues notices");
  return issuer;
}

/** The audience with its area codes as path prefixes (unknown codes refused). */
async function resolveAudience(
  deps: LiaisonDeps,
  a: NoticeAudience,
  path = "body.audience",
): Promise<repo.ResolvedAudience> {
  const codes = a.mode === "filter" ? [...new Set(a.areaCodes)] : [];
  const areas = await findAreasByCodes(deps, codes);
  const unknown = codes.filter((c) => !areas.some((x) => x.code === c));
  if (unknown.length)
    throw fieldError(
      `${path}.areaCodes`,
      `区域代码不存在：${unknown.join("、")} / unknown area codes: ${unknown.join(", ")}`,
    );
  return {
    mode: a.mode,
    industries: a.mode === "filter" ? a.industries : [],
    areaPaths: areas.map((x) => x.path),
    ratings: a.mode === "filter" ? a.ratings : [],
    warningLevels: a.mode === "filter" ? a.warningLevels : [],
    enterpriseIds: a.mode === "list" ? [...new Set(a.enterpriseIds)] : [],
  };
}

/** Stored form of an audience: only what its mode uses. */
function storedAudience(a: NoticeAudience): Record<string, unknown> {
  return {
    mode: a.mode,
    industries: a.mode === "filter" ? a.industries : [],
    areaCodes: a.mode === "filter" ? a.areaCodes : [],
    ratings: a.mode === "filter" ? a.ratings : [],
    warningLevels: a.mode === "filter" ? a.warningLevels : [],
    enterpriseIds: a.mode === "list" ? [...new Set(a.enterpriseIds)] : [],
  };
}

function audienceOf(stored: Record<string, unknown>): NoticeAudience {
  const list = (k: string) => (Array.isArray(stored[k]) ? (stored[k] as string[]) : []);
  return {
    mode: (stored.mode as NoticeAudience["mode"]) ?? "all",
    industries: list("industries"),
    areaCodes: list("areaCodes"),
    ratings: list("ratings") as NoticeAudience["ratings"],
    warningLevels: list("warningLevels") as NoticeAudience["warningLevels"],
    enterpriseIds: list("enterpriseIds"),
  };
}

/** Hand-picked enterprises must all lie in the sender's area. */
async function checkPicked(deps: LiaisonDeps, a: NoticeAudience, areaPath: string) {
  if (a.mode !== "list") return;
  const ids = [...new Set(a.enterpriseIds)];
  const within = await repo.enterprisesWithin(deps.db, ids, areaPath);
  if (within.length < ids.length) {
    const missing = ids.filter((i) => !within.some((w) => w.id === i));
    throw fieldError(
      "body.audience.enterpriseIds",
      `${missing.length} 家企业不存在或不在您的管辖范围内 / ${missing.length} enterprises are unknown or outside your area`,
    );
  }
}

function checkAckDue(ackDueOn: string | null | undefined, today: string) {
  if (ackDueOn && ackDueOn < today)
    throw fieldError("body.ackDueOn", "确认期限不能早于今天 / the deadline cannot be in the past");
}

/** How many enterprises (and which, the first by name) an audience reaches now. */
export async function previewNotice(
  deps: LiaisonDeps,
  actor: Actor,
  audience: NoticeAudience,
): Promise<AudiencePreview> {
  const issuer = issuerOf(actor);
  const resolved = await resolveAudience(deps, audience);
  const r = await repo.previewAudience(deps.db, resolved, issuer.areaPath, 20);
  const outOfScope =
    resolved.mode === "list"
      ? resolved.enterpriseIds.length -
        (await repo.enterprisesWithin(deps.db, resolved.enterpriseIds, issuer.areaPath)).length
      : 0;
  return {
    count: r.count,
    sample: r.sample.map((s) => ({
      id: s.id,
      name: s.name,
      industry: s.industry,
      gridName: s.grid_name,
      rating: s.rating,
      warningLevel: s.warning_level,
    })),
    outOfScope,
  };
}

export async function createNotice(
  deps: LiaisonDeps,
  actor: Actor,
  body: CreateNoticeBody,
  ctx: Ctx,
): Promise<NoticeDetail> {
  const issuer = issuerOf(actor);
  const now = ctx.now ?? new Date();
  checkAckDue(body.ackDueOn, chinaToday(now));
  await resolveAudience(deps, body.audience);
  await checkPicked(deps, body.audience, issuer.areaPath);
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await repo.insertNotice(trx, {
      title: body.title,
      body: body.body,
      importance: body.importance,
      ack_required: body.ackRequired,
      ack_due_on: body.ackRequired ? (body.ackDueOn ?? null) : null,
      audience: storedAudience(body.audience),
      issuer_name: issuer.name,
      area_path: issuer.areaPath,
      department_id: issuer.departmentId,
      created_by: actor.userId,
      created_label: personOf(actor),
    });
    await repo.insertNoticeAction(trx, {
      notice_id: id,
      action: "create",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "notice.created",
        subjectType: "notice",
        subjectId: id,
        details: { title: body.title },
      },
    );
    return id;
  });
  return getNotice(deps, actor, id, now);
}

/** The notice locked for government's change; 404 outside the caller's scope. */
async function lockForGovernment(
  trx: Parameters<typeof repo.lockNotice>[0],
  actor: Actor,
  id: string,
) {
  const n = await repo.lockNotice(trx, id);
  if (!n || !isGovernment(actor) || !noticeInScope(noticeScopeOf(actor), n))
    throw NOTICE_NOT_FOUND();
  return n;
}

function stateConflict(n: repo.NoticeRow, what: string, unread = 0, now = new Date()) {
  const allowed = governmentNoticeActions(
    { status: n.status, unread },
    nextReminderAt(n.last_reminded_at, now),
  );
  const status = { draft: "草稿", sent: "已发送", withdrawn: "已撤回" }[n.status];
  return conflict(`通知${status}，${what} / the notice is ${n.status}: ${what}`, {
    status: n.status,
    allowed,
  });
}

function versionConflict(current: number) {
  return conflict(
    "通知已被他人修改，请刷新后重试 / the notice changed meanwhile; reload and retry",
    {
      currentVersion: current,
    },
  );
}

export async function updateNotice(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  body: UpdateNoticeBody,
  ctx: Ctx,
): Promise<NoticeDetail> {
  const now = ctx.now ?? new Date();
  if (body.audience) await resolveAudience(deps, body.audience);
  await deps.db.transaction().execute(async (trx) => {
    const n = await lockForGovernment(trx, actor, id);
    if (n.status !== "draft")
      throw stateConflict(n, "不能修改，只能撤回 / it cannot be edited, only withdrawn");
    if (n.version !== body.version) throw versionConflict(n.version);
    const ackRequired = body.ackRequired ?? n.ack_required;
    const ackDueOn = body.ackDueOn !== undefined ? body.ackDueOn : n.ack_due_on;
    if (ackDueOn && !ackRequired)
      throw fieldError(
        "body.ackDueOn",
        "设定确认期限须要求确认收到 / a confirmation deadline needs ackRequired",
      );
    if (body.ackDueOn) checkAckDue(body.ackDueOn, chinaToday(now));
    if (body.audience) await checkPicked({ db: trx }, body.audience, n.area_path);
    const patch: repo.NoticePatch = {};
    if (body.title !== undefined) patch.title = body.title;
    if (body.body !== undefined) patch.body = body.body;
    if (body.importance !== undefined) patch.importance = body.importance;
    if (body.ackRequired !== undefined) patch.ack_required = body.ackRequired;
    if (body.ackDueOn !== undefined || body.ackRequired === false)
      patch.ack_due_on = ackRequired ? (ackDueOn ?? null) : null;
    if (body.audience) patch.audience = storedAudience(body.audience);
    if (!(await repo.updateNotice(trx, id, n.version, patch))) throw versionConflict(n.version);
    await repo.insertNoticeAction(trx, {
      notice_id: id,
      action: "edit",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: { fields: Object.keys(patch) },
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "notice.updated",
        subjectType: "notice",
        subjectId: id,
        details: { fields: Object.keys(patch) },
      },
    );
  });
  return getNotice(deps, actor, id, now);
}

export async function deleteNotice(deps: LiaisonDeps, actor: Actor, id: string, ctx: Ctx) {
  await deps.db.transaction().execute(async (trx) => {
    const n = await lockForGovernment(trx, actor, id);
    if (n.status !== "draft")
      throw stateConflict(n, "不能删除，只能撤回 / it cannot be deleted, only withdrawn");
    await repo.deleteNotice(trx, id);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "notice.deleted",
        subjectType: "notice",
        subjectId: id,
        details: { title: n.title },
      },
    );
  });
}

/**
 * Sends a draft: the recipients are fixed now (one row per enterprise the
 * audience reaches, in the notice's area), their officers notified, the
 * notice marked sent — all or nothing. A second send answers 409.
 */
export async function sendNotice(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  version: number,
  ctx: Ctx,
): Promise<NoticeDetail> {
  const now = ctx.now ?? new Date();
  let notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const n = await lockForGovernment(trx, actor, id);
    if (n.status !== "draft") throw stateConflict(n, "不能再次发送 / it was sent already");
    if (n.version !== version) throw versionConflict(n.version);
    if (n.ack_due_on && n.ack_due_on < chinaToday(now))
      throw fieldError(
        "body.ackDueOn",
        "确认期限已过，请修改后再发送 / the confirmation deadline has passed; change it first",
      );
    const audience = await resolveAudience({ db: trx }, audienceOf(n.audience), "notice.audience");
    const count = await repo.insertRecipients(trx, id, audience, n.area_path);
    if (count === 0)
      throw fieldError(
        "notice.audience",
        "没有符合条件的企业，请调整接收范围 / the audience reaches no enterprise",
      );
    if (
      !(await repo.updateNotice(trx, id, n.version, {
        status: "sent",
        recipient_count: count,
        sent_at: now,
        sent_by: actor.userId,
        sent_label: personOf(actor),
      }))
    )
      throw versionConflict(n.version);
    notified = await repo.notifyRecipientOfficers(
      trx,
      id,
      {
        kind: "notice.sent",
        title: `${n.importance === "urgent" ? "【紧急】" : n.importance === "important" ? "【重要】" : ""}通知：${n.title}`,
        body: `${n.issuer_name}${n.ack_required ? "（请确认收到）" : ""}`,
      },
      false,
    );
    await repo.insertNoticeAction(trx, {
      notice_id: id,
      action: "send",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: { recipients: count, notified: notified.length },
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "notice.sent",
        subjectType: "notice",
        subjectId: id,
        details: { recipients: count },
      },
    );
  });
  publish(deps, notified);
  return getNotice(deps, actor, id, now);
}

export async function withdrawNotice(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  body: { version: number; reason: string },
  ctx: Ctx,
): Promise<NoticeDetail> {
  const now = ctx.now ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    const n = await lockForGovernment(trx, actor, id);
    if (n.status !== "sent")
      throw stateConflict(
        n,
        n.status === "draft"
          ? "草稿无需撤回，可直接删除 / a draft is deleted, not withdrawn"
          : "已撤回 / it is withdrawn already",
      );
    if (n.version !== body.version) throw versionConflict(n.version);
    if (
      !(await repo.updateNotice(trx, id, n.version, {
        status: "withdrawn",
        withdrawn_at: now,
        withdrawn_by: actor.userId,
        withdrawn_label: personOf(actor),
        withdraw_reason: body.reason,
      }))
    )
      throw versionConflict(n.version);
    await repo.insertNoticeAction(trx, {
      notice_id: id,
      action: "withdraw",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.reason,
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "notice.withdrawn",
        subjectType: "notice",
        subjectId: id,
        details: { reason: body.reason },
      },
    );
  });
  return getNotice(deps, actor, id, now);
}

/**
 * Reminds the enterprises that have not read a sent notice (their officers
 * get a notification); at most once a day per notice, recorded.
 */
export async function remindNotice(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  body: { note?: string | undefined },
  ctx: Ctx,
) {
  const now = ctx.now ?? new Date();
  let notified: string[] = [];
  const result = await deps.db.transaction().execute(async (trx) => {
    const n = await lockForGovernment(trx, actor, id);
    const unread = await repo.countUnread(trx, id);
    if (n.status !== "sent") throw stateConflict(n, "不能催阅 / no reminders", unread, now);
    const wait = nextReminderAt(n.last_reminded_at, now);
    if (wait)
      throw conflict(
        `今天已催阅过，${wait.toISOString()} 后可再次催阅 / already reminded today; next reminder after ${wait.toISOString()}`,
        { nextReminderAt: wait.toISOString() },
      );
    if (unread === 0)
      throw stateConflict(n, "所有企业均已阅读 / every enterprise has read it", 0, now);
    notified = await repo.notifyRecipientOfficers(
      trx,
      id,
      {
        kind: "notice.reminder",
        title: `请阅读通知：${n.title}`,
        body: body.note ? `${n.issuer_name}：${body.note}` : n.issuer_name,
      },
      true,
    );
    const enterprises = await repo.stampReminded(trx, id, now);
    await repo.updateNotice(trx, id, n.version, { last_reminded_at: now });
    await repo.insertNoticeAction(trx, {
      notice_id: id,
      action: "remind",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.note ?? null,
      details: { enterprises, users: notified.length },
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "notice.reminded",
        subjectType: "notice",
        subjectId: id,
        details: { enterprises, users: notified.length },
      },
    );
    return { enterprises, users: notified.length };
  });
  publish(deps, notified);
  return {
    ...result,
    nextReminderAt: (nextReminderAt(now, now) as Date).toISOString(),
  };
}

function receiptOf(n: repo.NoticeRow, r: repo.ReceiptRow | null | undefined, today: string) {
  if (!r) return null;
  return {
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    readAt: iso(r.read_at),
    readBy: r.read_label,
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_label,
    overdue: receiptOverdue(n, r.acknowledged_at, today),
  };
}

function summaryOf(
  n: repo.NoticeRow,
  counts: repo.NoticeCounts | null,
  receipt: NoticeSummary["receipt"],
): NoticeSummary {
  return {
    id: n.id,
    title: n.title,
    importance: n.importance,
    status: n.status,
    issuer: n.issuer_name,
    ackRequired: n.ack_required,
    ackDueOn: n.ack_due_on,
    createdAt: new Date(n.created_at).toISOString(),
    sentAt: iso(n.sent_at),
    withdrawnAt: iso(n.withdrawn_at),
    counts:
      counts === null
        ? null
        : {
            recipients: counts.recipients,
            read: counts.read,
            acknowledged: counts.acknowledged,
            overdue: counts.overdue,
          },
    receipt,
    version: n.version,
  };
}

const ZERO_COUNTS: repo.NoticeCounts = { recipients: 0, read: 0, acknowledged: 0, overdue: 0 };

/** An enterprise the caller may look at (government of its area, or its own officer); else 404. */
async function visibleEnterprise(deps: LiaisonDeps, actor: Actor, id: string) {
  const e = await repo.findEnterprise(deps.db, id);
  const ok =
    e?.kind === "enterprise" &&
    (enterpriseIdsOf(actor).includes(id) ||
      governmentAreaPaths(actor).some((p) => pathWithin(e.area_path, p)));
  if (!ok) throw notFound("企业", "enterprise");
  return e;
}

/**
 * The caller's notices: government staff see those in their scope (with how
 * they are being received), or those sent to one enterprise with its
 * receipt; an enterprise officer sees their inbox, unread first.
 */
export async function listNotices(
  deps: LiaisonDeps,
  actor: Actor,
  q: NoticeListQuery,
  now = new Date(),
): Promise<{ items: NoticeSummary[]; total: number }> {
  const today = chinaToday(now);
  const base = {
    q: q.q,
    status: q.status,
    importance: q.importance,
    state: q.state,
    limit: q.limit,
    offset: q.offset,
  };
  if (isGovernment(actor) && !(q.enterpriseId && enterpriseIdsOf(actor).includes(q.enterpriseId))) {
    const scope = noticeScopeOf(actor);
    if (q.enterpriseId) {
      await visibleEnterprise(deps, actor, q.enterpriseId);
      const r = await repo.listReceivedNotices(
        deps.db,
        [q.enterpriseId],
        { ...base, sort: q.sort ?? "newest" },
        scope,
      );
      const counts = await repo.noticeCounts(
        deps.db,
        r.items.map((n) => n.id),
        today,
      );
      return {
        items: r.items.map((n) =>
          summaryOf(n, counts.get(n.id) ?? ZERO_COUNTS, receiptOf(n, n, today)),
        ),
        total: r.total,
      };
    }
    if (q.state)
      throw fieldError(
        "querystring.state",
        "阅读状态筛选只用于企业收件箱 / state filters an inbox",
      );
    const r = await repo.listGovernmentNotices(deps.db, scope, {
      ...base,
      sort: q.sort ?? "newest",
    });
    const counts = await repo.noticeCounts(
      deps.db,
      r.items.map((n) => n.id),
      today,
    );
    return {
      items: r.items.map((n) => summaryOf(n, counts.get(n.id) ?? ZERO_COUNTS, null)),
      total: r.total,
    };
  }
  const own = enterpriseIdsOf(actor);
  if (q.enterpriseId && !own.includes(q.enterpriseId)) throw notFound("企业", "enterprise");
  const orgs = q.enterpriseId ? [q.enterpriseId] : own;
  const r = await repo.listReceivedNotices(deps.db, orgs, {
    ...base,
    sort: q.sort ?? "unreadFirst",
  });
  return {
    items: r.items.map((n) => summaryOf(n, null, receiptOf(n, n, today))),
    total: r.total,
  };
}

/**
 * One notice: government staff in scope get the audience, counts, log and
 * their actions; a recipient enterprise's officer gets the text and its
 * receipt. Anyone else: 404.
 */
export async function getNotice(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<NoticeDetail> {
  const n = await repo.findNotice(deps.db, id);
  if (!n) throw NOTICE_NOT_FOUND();
  const today = chinaToday(now);
  const waits = nextReminderAt(n.last_reminded_at, now);
  const common = {
    body: n.body,
    createdBy: n.created_label,
    sentBy: n.sent_label,
    withdrawnBy: n.withdrawn_label,
    withdrawReason: n.withdraw_reason,
  };
  if (isGovernment(actor) && noticeInScope(noticeScopeOf(actor), n)) {
    const [counts, log] = await Promise.all([
      repo.noticeCounts(deps.db, [id], today),
      repo.noticeLog(deps.db, id),
    ]);
    const c = counts.get(id) ?? ZERO_COUNTS;
    const a = audienceOf(n.audience);
    const [areas, enterprises] = await Promise.all([
      findAreasByCodes(deps, a.areaCodes),
      repo.organisationNames(deps.db, a.enterpriseIds.slice(0, 200)),
    ]);
    return {
      ...summaryOf(n, c, null),
      ...common,
      audience: {
        ...a,
        areaNames: a.areaCodes.map((code) => areas.find((x) => x.code === code)?.name ?? code),
        enterpriseNames: enterprises.map((e) => e.name),
      },
      lastRemindedAt: iso(n.last_reminded_at),
      nextReminderAt: n.status === "sent" && waits ? waits.toISOString() : null,
      log: log.map((l) => ({
        id: l.id,
        action: l.action,
        actor: l.actor_label,
        note: l.note,
        details: l.details,
        createdAt: new Date(l.created_at).toISOString(),
      })),
      allowedActions: governmentNoticeActions(
        { status: n.status, unread: c.recipients - c.read },
        waits,
      ),
    };
  }
  const receipt =
    n.status === "draft" ? undefined : await repo.findReceipt(deps.db, id, enterpriseIdsOf(actor));
  if (!receipt) throw NOTICE_NOT_FOUND();
  return {
    ...summaryOf(n, null, receiptOf(n, receipt, today)),
    ...common,
    audience: null,
    lastRemindedAt: null,
    nextReminderAt: null,
    log: [],
    allowedActions: recipientNoticeActions(n, receipt),
  };
}

/** The recipient's officer opened the notice: read (who, when) for their enterprise; the first read stays. */
export async function readNotice(deps: LiaisonDeps, actor: Actor, id: string, now = new Date()) {
  const { n, receipt } = await recipientOf(deps, actor, id);
  if (n.status !== "draft" && receipt.read_at === null)
    await repo.markRead(
      deps.db,
      id,
      receipt.organisation_id,
      { userId: actor.userId, label: personOf(actor) },
      now,
    );
  return getNotice(deps, actor, id, now);
}

/** 确认收到: only where the notice asks for it, and while it stands (not withdrawn). */
export async function acknowledgeNotice(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  now = new Date(),
) {
  const { n, receipt } = await recipientOf(deps, actor, id);
  if (!n.ack_required)
    throw conflict("此通知无需确认收到 / this notice does not ask for confirmation", {
      allowed: recipientNoticeActions(n, receipt),
    });
  if (n.status !== "sent")
    throw conflict("通知已撤回，无需确认 / the notice was withdrawn", { allowed: [] });
  if (receipt.acknowledged_at === null)
    await repo.markAcknowledged(
      deps.db,
      id,
      receipt.organisation_id,
      { userId: actor.userId, label: personOf(actor) },
      now,
    );
  return getNotice(deps, actor, id, now);
}

/** The notice and the caller's receipt; 403 for staff who see it but did not receive it, else 404. */
async function recipientOf(deps: LiaisonDeps, actor: Actor, id: string) {
  const n = await repo.findNotice(deps.db, id);
  if (!n) throw NOTICE_NOT_FOUND();
  const receipt =
    n.status === "draft" ? undefined : await repo.findReceipt(deps.db, id, enterpriseIdsOf(actor));
  if (!receipt) {
    if (isGovernment(actor) && noticeInScope(noticeScopeOf(actor), n))
      throw forbidden("只有接收企业可以阅读回执 / only recipients confirm a notice");
    throw NOTICE_NOT_FOUND();
  }
  return { n, receipt };
}

/** The recipients of a notice (government in scope), filterable by read state. */
export async function listRecipients(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  f: {
    state?: repo.RecipientState | undefined;
    q?: string | undefined;
    limit: number;
    offset: number;
  },
  now = new Date(),
): Promise<{ items: NoticeRecipient[]; total: number; title: string }> {
  const n = await repo.findNotice(deps.db, id);
  if (!n || !isGovernment(actor) || !noticeInScope(noticeScopeOf(actor), n))
    throw NOTICE_NOT_FOUND();
  const today = chinaToday(now);
  const r = await repo.listRecipients(deps.db, n, f, today);
  return {
    title: n.title,
    total: r.total,
    items: r.items.map((x) => ({
      organisationId: x.organisation_id,
      name: x.name,
      industry: x.industry,
      grid: { code: x.grid_code, name: x.grid_name },
      safetyOfficer: x.safety_officer,
      readAt: iso(x.read_at),
      readBy: x.read_label,
      acknowledgedAt: iso(x.acknowledged_at),
      acknowledgedBy: x.acknowledged_label,
      lastRemindedAt: iso(x.last_reminded_at),
      overdue: receiptOverdue(n, x.acknowledged_at, today),
    })),
  };
}

// ------------------------------------------------------- mediation requests

const MEDIATION_NOT_FOUND = () => notFound("调解申请", "mediation request");

function mediationScopeOf(actor: Actor): repo.MediationScope {
  return {
    enterpriseIds: enterpriseIdsOf(actor),
    associationIds: associationIdsOf(actor),
    areaPaths: governmentAreaPaths(actor),
  };
}

function mediationSummaryOf(m: repo.MediationRow): MediationSummary {
  return {
    id: m.id,
    enterprise: { id: m.enterprise_id, name: m.enterprise_name },
    association: { id: m.association_id, name: m.association_name },
    subject: m.subject,
    peopleInvolved: m.people_involved,
    status: m.status,
    outcome: m.outcome,
    sessions: m.sessions,
    case: m.case_id && m.case_code ? { id: m.case_id, code: m.case_code } : null,
    createdAt: new Date(m.created_at).toISOString(),
    updatedAt: new Date(m.updated_at).toISOString(),
    version: m.version,
  };
}

export async function listMediations(
  deps: LiaisonDeps,
  actor: Actor,
  f: repo.MediationFilter,
): Promise<{ items: MediationSummary[]; total: number }> {
  const r = await repo.listMediations(deps.db, mediationScopeOf(actor), f);
  return { items: r.items.map(mediationSummaryOf), total: r.total };
}

export async function getMediation(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
): Promise<MediationDetail> {
  const m = await repo.findMediation(deps.db, id);
  if (!m) throw MEDIATION_NOT_FOUND();
  const rel = mediationRelationOf(actor, m);
  if (!mayReadMediation(rel)) throw MEDIATION_NOT_FOUND();
  const timeline = await repo.mediationTimeline(deps.db, id);
  return {
    ...mediationSummaryOf(m),
    description: m.description,
    workerProvinces: m.worker_provinces,
    declineReason: m.decline_reason,
    outcomeNote: m.outcome_note,
    createdBy: m.created_label,
    acceptedAt: iso(m.accepted_at),
    closedAt: iso(m.closed_at),
    timeline: timeline.map((t) => ({
      id: t.id,
      action: t.action,
      fromStatus: t.from_status,
      toStatus: t.to_status,
      actor: t.actor_label,
      note: t.note,
      details: t.details,
      createdAt: new Date(t.created_at).toISOString(),
    })),
    allowedActions: mediationAllowedActions(m.status, rel),
  };
}

/** The enterprise an officer acts for: the one named (theirs), or their only one. */
function ownEnterprise(actor: Actor, named: string | undefined, path: string) {
  const own = enterpriseIdsOf(actor);
  if (named) {
    if (!own.includes(named)) throw notFound("企业", "enterprise");
    return named;
  }
  if (own.length === 1) return own[0] as string;
  throw fieldError(path, "请选择代表哪家企业 / choose the enterprise");
}

/** The unique indexes caught a duplicate the checks could not (two submits at once). */
function duplicateOf(err: unknown): AppError | null {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== "23505") return null;
  return e.constraint === "mediation_requests_case_open"
    ? conflict("该事件已有进行中的调解申请 / this case already has an open mediation request", [
        { path: "body.caseId", message: "已有进行中的调解申请 / already has an open request" },
      ])
    : conflict(
        "已向该协会提交过相同的申请，正在等待受理 / the same request to this association is waiting already",
        [{ path: "body.subject", message: "相同的申请正在等待受理 / already waiting" }],
      );
}

export async function createMediation(
  deps: LiaisonDeps,
  actor: Actor,
  body: CreateMediationBody,
  ctx: Ctx,
): Promise<MediationDetail> {
  const enterpriseId = ownEnterprise(actor, body.enterpriseId, "body.enterpriseId");
  const enterprise = await repo.findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound("企业", "enterprise");
  const association = await repo.findAssociation(deps.db, body.associationId);
  if (!association) throw fieldError("body.associationId", "协会不存在 / no such association");
  if (body.caseId && !(await caseAccess(deps, actor, body.caseId)))
    throw fieldError("body.caseId", "事件不存在或不属于本企业 / no such case of this enterprise");
  let notified: string[] = [];
  let id: string;
  try {
    id = await deps.db.transaction().execute(async (trx) => {
      const id = await repo.insertMediation(trx, {
        enterprise_id: enterpriseId,
        association_id: association.id,
        case_id: body.caseId ?? null,
        area_path: enterprise.area_path,
        subject: body.subject,
        description: body.description,
        people_involved: body.peopleInvolved,
        worker_provinces: [...new Set(body.workerProvinces)],
        created_by: actor.userId,
        created_label: personOf(actor),
      });
      await repo.insertMediationAction(trx, {
        request_id: id,
        action: "create",
        from_status: null,
        to_status: "pending",
        actor_user_id: actor.userId,
        actor_label: personOf(actor),
        note: `${enterprise.name} 申请 ${association.name} 调解：${body.subject}`,
        details: { peopleInvolved: body.peopleInvolved, caseId: body.caseId ?? null },
      });
      notified = await repo.notifyOrganisationStaff(trx, association.id, "association_rep", {
        kind: "mediation.requested",
        title: `调解申请：${enterprise.name}（${body.peopleInvolved} 人）`,
        body: body.subject,
        link: `/mediations/${id}`,
      });
      await recordAudit(
        trx,
        { actor, requestId: ctx.requestId },
        {
          action: "mediation.requested",
          subjectType: "mediation_request",
          subjectId: id,
          details: { enterpriseId, associationId: association.id, caseId: body.caseId ?? null },
        },
      );
      return id;
    });
  } catch (err) {
    throw duplicateOf(err) ?? err;
  }
  publish(deps, notified);
  return getMediation(deps, actor, id);
}

const OUTCOME_TEXT = { success: "调解成功", partial: "部分达成", failed: "未达成" } as const;

/**
 * One step of a mediation request, guarded by its state machine: 404 for
 * whoever may not see it, 403 for those who may see but not act, 409 (with
 * the allowed actions) from a state that does not allow it or when someone
 * acted first. Accepting a request linked to a case brings the association
 * into that case as an assisting party, in the same transaction.
 */
export async function actOnMediation(
  deps: LiaisonDeps,
  actor: Actor,
  id: string,
  action: MediationAction,
  body: MediationActionBody,
  ctx: Ctx,
): Promise<MediationDetail> {
  const now = ctx.now ?? new Date();
  let notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const m = await repo.lockMediation(trx, id);
    if (!m) throw MEDIATION_NOT_FOUND();
    const rel = mediationRelationOf(actor, m);
    if (!mayReadMediation(rel)) throw MEDIATION_NOT_FOUND();
    const check = checkMediationAction(action, m.status, rel);
    if (!check.ok && check.reason === "forbidden")
      throw forbidden("您不能对此调解申请执行该操作 / you may not take this step");
    if (!check.ok && check.reason === "state")
      throw conflict(
        `当前状态（${m.status}）不能执行 ${action}；可执行：${check.allowed.join("、") || "无"} / ${action} is not allowed from ${m.status}`,
        { status: m.status, allowed: check.allowed },
      );
    if (body.version !== m.version)
      throw conflict(
        "调解申请已被他人更新，请刷新后重试 / the request changed meanwhile; reload and retry",
        { currentVersion: m.version },
      );
    const to = check.ok ? check.to : null;
    const note = body.note?.trim() || null;
    const label = personOf(actor);
    const names = await repo.organisationNames(trx, [m.enterprise_id, m.association_id]);
    const nameOf = (oid: string) => names.find((x) => x.id === oid)?.name ?? "";
    let set: Parameters<typeof repo.updateMediation>[3] = {};
    let text: string | null = note;
    const details: Record<string, unknown> = {};
    let notify: {
      org: string;
      role: "enterprise_officer" | "association_rep";
      title: string;
    } | null = null;
    switch (action) {
      case "accept":
        set = { status: "accepted", accepted_at: now };
        notify = {
          org: m.enterprise_id,
          role: "enterprise_officer",
          title: `${nameOf(m.association_id)} 已受理调解申请：${m.subject}`,
        };
        break;
      case "decline": {
        const reason = body.reason?.trim() || note;
        if (!reason)
          throw fieldError("body.reason", "请填写婉拒理由 / give the reason for declining");
        set = { status: "declined", decline_reason: reason };
        text = reason;
        notify = {
          org: m.enterprise_id,
          role: "enterprise_officer",
          title: `${nameOf(m.association_id)} 婉拒了调解申请：${m.subject}`,
        };
        break;
      }
      case "withdraw":
        set = { status: "withdrawn" };
        notify = {
          org: m.association_id,
          role: "association_rep",
          title: `${nameOf(m.enterprise_id)} 撤回了调解申请：${m.subject}`,
        };
        break;
      case "record_session": {
        if (!note) throw fieldError("body.note", "请填写调解记录 / write what happened");
        const heldAt = body.heldAt ? new Date(body.heldAt) : now;
        if (heldAt.getTime() > now.getTime() + 5 * 60_000)
          throw fieldError(
            "body.heldAt",
            "调解时间不能晚于现在 / a session cannot be in the future",
          );
        set = { sessions: m.sessions + 1 };
        Object.assign(details, {
          session: m.sessions + 1,
          heldAt: heldAt.toISOString(),
          place: body.place ?? null,
          attendees: body.attendees ?? null,
        });
        break;
      }
      case "close": {
        if (!body.outcome) throw fieldError("body.outcome", "请选择调解结果 / choose the outcome");
        set = { status: "closed", outcome: body.outcome, outcome_note: note, closed_at: now };
        details.outcome = body.outcome;
        text = `${OUTCOME_TEXT[body.outcome]}${note ? `：${note}` : ""}`;
        notify = {
          org: m.enterprise_id,
          role: "enterprise_officer",
          title: `调解结束（${OUTCOME_TEXT[body.outcome]}）：${m.subject}`,
        };
        break;
      }
    }
    if (!(await repo.updateMediation(trx, id, m.version, set)))
      throw conflict(
        "调解申请已被他人更新，请刷新后重试 / the request changed meanwhile; reload and retry",
        { currentVersion: m.version },
      );
    if (action === "accept" && m.case_id) {
      const joined = await joinCaseAsAssistingOrganisation(trx, {
        caseId: m.case_id,
        organisationId: m.association_id,
        task: `协助调解：${m.subject}`,
        actorUserId: actor.userId,
        actorLabel: label,
      });
      details.case = joined;
      if (joined === "closed") text = `${text ? `${text}；` : ""}关联事件已结束，未加入协办`;
      else text = `${text ? `${text}；` : ""}已作为协办方加入关联事件`;
    }
    await repo.insertMediationAction(trx, {
      request_id: id,
      action,
      from_status: m.status,
      to_status: to,
      actor_user_id: actor.userId,
      actor_label: label,
      note: text,
      details,
    });
    if (notify)
      notified = await repo.notifyOrganisationStaff(trx, notify.org, notify.role, {
        kind: `mediation.${action}`,
        title: notify.title,
        body: text,
        link: `/mediations/${id}`,
      });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: `mediation.${action}`,
        subjectType: "mediation_request",
        subjectId: id,
        details: { from: m.status, to: to ?? m.status, ...details },
      },
    );
  });
  publish(deps, notified);
  return getMediation(deps, actor, id);
}

/**
 * Associations an enterprise may ask, best first: hometown associations of
 * the workers' provinces (given, or where its workforce comes from), then
 * those of its trade, then the rest.
 */
export async function suggestAssociations(
  deps: LiaisonDeps,
  actor: Actor,
  f: {
    q?: string | undefined;
    provinces: string[];
    enterpriseId?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  const enterpriseId = ownEnterprise(actor, f.enterpriseId, "querystring.enterpriseId");
  const enterprise = await repo.findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound("企业", "enterprise");
  const workforce = await repo.workforceProvinces(deps.db, enterpriseId);
  const provinces = f.provinces.length
    ? f.provinces.map((p) => ({
        province: p,
        workers: workforce.find((w) => w.province === p)?.workers ?? 0,
      }))
    : workforce.slice(0, 10);
  const r = await repo.suggestAssociations(deps.db, {
    enterpriseId,
    industry: enterprise.industry,
    provinces: provinces.map((p) => p.province),
    q: f.q,
    limit: f.limit,
    offset: f.offset,
  });
  return {
    total: r.total,
    provinces,
    items: r.items.map((a) => ({
      id: a.id,
      name: a.name,
      associationKind: a.association_kind,
      provinces: a.provinces,
      dialects: a.dialects,
      sectors: a.sectors,
      match: a.province_match
        ? ("province" as const)
        : a.sector_match
          ? ("sector" as const)
          : ("other" as const),
      matchedWorkers: a.matched_workers,
    })),
  };
}
