/**
 * Joint meetings (联席会议) and the bounce detector (issue 8, items 5 and 7).
 *
 * Coordinators call meetings of their area, invite departments and
 * organisations (whose people are notified), build the agenda from the data
 * (cases bounced between departments, overdue supervised cases, the most
 * supported proposals awaiting an answer, enterprises' wage warnings), hold
 * the meeting, write its minutes, rule on bounced cases — the case is
 * dispatched or reassigned through the cases service and, in the same
 * transaction, the ruling may be saved as a routing rule — and record the
 * decisions as action items with owners and deadlines, which the owners mark
 * done. Every change writes the meeting's log row, its audit row and the
 * notifications it causes in one transaction.
 */
import type { Transaction } from "kysely";
import { categoryFamily } from "../../../shared/case-taxonomy.js";
import { DEPARTMENT_KIND_NAMES } from "../../../shared/schemas/areas.js";
import type { TransitionBody } from "../../../shared/schemas/cases.js";
import {
  type ActionItem,
  type ActionItemListQuery,
  type AddAgendaBody,
  type AgendaCandidate,
  type AgendaCandidates,
  type AgendaItem,
  type CandidateKind,
  type CreateActionItemBody,
  type CreateMeetingBody,
  DEFAULT_BOUNCE_THRESHOLD,
  type MeetingAction,
  type MeetingDetail,
  type MeetingListQuery,
  type MeetingSettings,
  type MeetingSummary,
  type MinutesBody,
  type Ruling,
  type RulingBody,
  type RulingContext,
  type RulingPreview,
  type RulingPreviewBody,
  type UpdateMeetingBody,
} from "../../../shared/schemas/meetings.js";
import type { DB } from "../../db/schema.js";
import { conflict, fieldError, forbidden, notFound, validation } from "../../errors.js";
import { type Actor, pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import {
  applyTransition,
  type CasesDeps,
  getCase,
  listCategories,
} from "../cases/cases.service.js";
import { createRuleIn, previewRouting } from "../cases/routing-rules.service.js";
import { findDepartmentById } from "../departments/departments.service.js";
import { listWageWarnings } from "../enterprise-risk/enterprise-risk.service.js";
import { findAreaByCode, findAreasByCodes } from "../geo/areas.service.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import { listProposals } from "../proposals/proposals.service.js";
import {
  type ActionItemRelation,
  actionItemActions,
  actionItemRelationOf,
  actionItemState,
  agendaItemActions,
  checkMeetingAction,
  chinaToday,
  coordinatorPaths,
  type MeetingScope,
  mayUseMeetings,
  meetingAllowedActions,
  meetingRelationOf,
  meetingScopeOf,
  rulingCaseStep,
} from "./meetings.policy.js";
import * as repo from "./meetings.repository.js";

export type MeetingsDeps = CasesDeps & {
  /** Told after a ruling saved a routing rule (intake holds the list in memory). */
  onRoutingListChanged?: () => void;
};

interface Ctx {
  requestId: string;
  now?: Date;
}

const SYSTEM_LABEL = "系统（联席会议议题）";
/** How many candidates of each kind the agenda builder shows. */
const CANDIDATES_PER_KIND = 20;

const MEETING_NOT_FOUND = () => notFound("会议", "meeting");
const ITEM_NOT_FOUND = () => notFound("议题", "agenda item");
const ACTION_ITEM_NOT_FOUND = () => notFound("督办事项", "action item");
const STALE = (what = "会议", whatEn = "meeting") =>
  conflict(`${what}已被他人更新，请刷新后重试 / the ${whatEn} changed meanwhile; reload and retry`);

const personOf = (actor: Actor) => actor.displayName ?? actor.label;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** "2026-12-03 09:30" in China time, for notifications. */
function chinaTime(d: Date | string): string {
  return new Date(new Date(d).getTime() + 8 * 3600_000)
    .toISOString()
    .slice(0, 16)
    .replace("T", " ");
}

function scopeOf(actor: Actor): MeetingScope {
  const s = meetingScopeOf(actor);
  if (!mayUseMeetings(s))
    throw forbidden(
      "联席会议仅供综治中心及参会的部门、企业、协会使用 / joint meetings are for the coordination centre and invited parties",
    );
  return s;
}

function publish(deps: MeetingsDeps, userIds: string[]) {
  if (userIds.length)
    deps.events?.publish({ type: "notifications", userIds: [...new Set(userIds)] });
}

/**
 * The area a coordinator works in (default: their widest): 403 for someone
 * who coordinates nowhere or for an area outside their grants, 404 for an
 * unknown area.
 */
async function coordinatorArea(deps: MeetingsDeps, actor: Actor, areaId: string | undefined) {
  const paths = coordinatorPaths(actor);
  if (paths.length === 0)
    throw forbidden("只有综治中心的协调员和管理员可以组织联席会议 / coordinators and admins only");
  const area =
    areaId === undefined
      ? await repo.areaByPath(deps.db, [...paths].sort((a, b) => a.length - b.length)[0] as string)
      : await repo.areaById(deps.db, areaId);
  if (!area) throw notFound("区域", "area");
  if (!paths.some((p) => pathWithin(area.path, p)))
    throw forbidden("该区域不在您的管辖范围内 / that area is outside your scope");
  return area;
}

// ----------------------------------------------------------------- settings

async function thresholdOf(db: MeetingsDeps["db"] | Transaction<DB>) {
  const d = await repo.district(db);
  const s = d ? await repo.findSettings(db, d.id) : undefined;
  return s?.bounce_threshold ?? DEFAULT_BOUNCE_THRESHOLD;
}

export async function getSettings(deps: MeetingsDeps, actor: Actor): Promise<MeetingSettings> {
  scopeOf(actor);
  const d = await repo.district(deps.db);
  if (!d) throw notFound("辖区", "district");
  const s = await repo.findSettings(deps.db, d.id);
  return {
    bounceThreshold: s?.bounce_threshold ?? DEFAULT_BOUNCE_THRESHOLD,
    version: s?.version ?? null,
    updatedAt: s ? iso(s.updated_at) : null,
    editable: coordinatorPaths(actor).includes(d.path),
  };
}

/** The district's coordinators set the threshold; send the version you saw (none before the first save). */
export async function saveSettings(
  deps: MeetingsDeps,
  actor: Actor,
  body: { version?: number | undefined; bounceThreshold: number },
  ctx: Ctx,
): Promise<MeetingSettings> {
  const d = await repo.district(deps.db);
  if (!d) throw notFound("辖区", "district");
  if (!coordinatorPaths(actor).includes(d.path))
    throw forbidden(
      "只有区综治中心可以修改 / only the district's coordination centre may change this",
    );
  await deps.db.transaction().execute(async (trx) => {
    const current = await repo.findSettings(trx, d.id);
    if ((current?.version ?? null) !== (body.version ?? null)) throw STALE("设置", "settings");
    const saved = await repo.saveSettings(trx, {
      areaId: d.id,
      threshold: body.bounceThreshold,
      version: body.version ?? null,
      userId: actor.userId,
    });
    if (!saved) throw STALE("设置", "settings");
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "meeting.settings_changed",
        subjectType: "meeting_settings",
        subjectId: d.id,
        details: { bounceThreshold: body.bounceThreshold },
      },
    );
  });
  return getSettings(deps, actor);
}

// ----------------------------------------------------------------- present

function presentSummary(m: repo.MeetingRow): MeetingSummary {
  return {
    id: m.id,
    title: m.title,
    area: { id: m.area_id, code: m.area_code, name: m.area_name },
    scheduledAt: new Date(m.scheduled_at).toISOString(),
    place: m.place,
    status: m.status,
    participantCount: m.participant_count,
    agendaCount: m.agenda_count,
    openAgendaCount: m.open_agenda_count,
    actionItems: {
      total: m.items_total,
      open: m.items_open,
      overdue: m.items_overdue,
      done: m.items_done,
    },
    version: m.version,
  };
}

function participantKind(p: { department_id: string | null; organisation_kind: string | null }) {
  if (p.department_id !== null) return "department" as const;
  return p.organisation_kind === "association" ? ("association" as const) : ("enterprise" as const);
}

function presentParticipant(p: repo.ParticipantRow) {
  return {
    id: p.id,
    kind: participantKind(p),
    refId: (p.department_id ?? p.organisation_id) as string,
    name: p.department_name ?? p.organisation_name ?? "",
    attended: p.attended,
  };
}

function linkOf(g: repo.AgendaRow): AgendaItem["link"] {
  if (g.case_id && g.case_code) return { type: "case", id: g.case_id, label: g.case_code };
  if (g.proposal_id && g.proposal_title)
    return { type: "proposal", id: g.proposal_id, label: g.proposal_title };
  if (g.organisation_id && g.organisation_name)
    return { type: "enterprise", id: g.organisation_id, label: g.organisation_name };
  return null;
}

function presentAgendaItem(
  g: repo.AgendaRow,
  meetingStatus: MeetingDetail["status"] | null,
  coordinator: boolean,
): AgendaItem {
  return {
    id: g.id,
    meetingId: g.meeting_id,
    kind: g.kind,
    title: g.title,
    // Why it is there, and the figures behind it, are the coordination centre's working notes.
    reason: coordinator ? g.reason : null,
    details: coordinator ? (g.details as Record<string, unknown>) : {},
    link: coordinator ? linkOf(g) : null,
    source: g.source,
    status: g.status,
    outcome: g.outcome,
    ruling: (g.ruling as Ruling | null) ?? null,
    settledAt: iso(g.settled_at),
    settledBy: g.settled_label,
    createdAt: new Date(g.created_at).toISOString(),
    createdBy: g.created_label,
    version: g.version,
    allowedActions: agendaItemActions(g, meetingStatus, coordinator),
  };
}

function ownerOf(i: repo.ActionItemRow): ActionItem["owner"] {
  if (i.owner_department_id)
    return { kind: "department", id: i.owner_department_id, name: i.department_name ?? "" };
  return {
    kind: i.organisation_kind === "association" ? "association" : "enterprise",
    id: i.owner_organisation_id as string,
    name: i.organisation_name ?? "",
  };
}

function presentActionItem(
  i: repo.ActionItemRow,
  rel: ActionItemRelation,
  today: string,
): ActionItem {
  return {
    id: i.id,
    meeting: {
      id: i.meeting_id,
      title: i.meeting_title,
      scheduledAt: new Date(i.meeting_scheduled_at).toISOString(),
    },
    agendaItemId: i.agenda_item_id,
    title: i.title,
    owner: ownerOf(i),
    dueOn: i.due_on,
    status: i.status,
    state: actionItemState(i, today),
    doneNote: i.done_note,
    doneAt: iso(i.done_at),
    doneBy: i.done_label,
    cancelReason: i.cancel_reason,
    createdAt: new Date(i.created_at).toISOString(),
    createdBy: i.created_label,
    version: i.version,
    allowedActions: actionItemActions(i.status, rel),
  };
}

// ---------------------------------------------------------------- meetings

export async function listMeetings(
  deps: MeetingsDeps,
  actor: Actor,
  q: MeetingListQuery,
  now = new Date(),
): Promise<{ items: MeetingSummary[]; total: number }> {
  const s = scopeOf(actor);
  // Coordinators see the meetings of an area; the invited see theirs.
  const area = s.areaPaths.length > 0 ? await coordinatorArea(deps, actor, q.areaId) : null;
  const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
  if (q.from && q.to && q.to < q.from)
    throw fieldError("query.to", "结束日期不能早于开始日期 / `to` is before `from`");
  const r = await repo.listMeetings(deps.db, {
    areaPath: area?.path ?? null,
    departmentIds: s.departmentIds,
    organisationIds: s.organisationIds,
    status: q.status,
    q: q.q,
    from: q.from ? dayStart(q.from) : undefined,
    to: q.to ? new Date(dayStart(q.to).getTime() + 86_400_000) : undefined,
    sort: q.sort,
    limit: q.limit,
    offset: q.offset,
    today: chinaToday(now),
  });
  return { items: r.items.map(presentSummary), total: r.total };
}

/** The meeting and how the caller stands to it; 404 when they may not see it. */
async function meetingFor(deps: MeetingsDeps, actor: Actor, id: string, now: Date) {
  const s = scopeOf(actor);
  const m = await repo.findMeeting(deps.db, id, chinaToday(now));
  if (!m) throw MEETING_NOT_FOUND();
  const participants = await repo.participants(deps.db, id);
  const rel = meetingRelationOf(s, m, participants);
  if (!rel.coordinator && !rel.participant) throw MEETING_NOT_FOUND();
  return { m, participants, rel, scope: s };
}

export async function getMeeting(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<MeetingDetail> {
  const { m, participants, rel, scope } = await meetingFor(deps, actor, id, now);
  const today = chinaToday(now);
  const [agenda, items, log] = await Promise.all([
    repo.agendaOf(deps.db, id),
    repo.actionItemsOf(deps.db, id),
    rel.coordinator ? repo.log(deps.db, id) : Promise.resolve([]),
  ]);
  return {
    ...presentSummary(m),
    view: rel.coordinator ? "coordinator" : "participant",
    participants: participants.map(presentParticipant),
    agenda: agenda
      // The invited read what is discussed, not what was set aside.
      .filter((g) => rel.coordinator || g.status !== "dropped")
      .map((g) => presentAgendaItem(g, m.status, rel.coordinator)),
    minutes: rel.coordinator || m.status !== "scheduled" ? m.minutes : null,
    cancelReason: m.cancel_reason,
    heldAt: iso(m.held_at),
    closedAt: iso(m.closed_at),
    cancelledAt: iso(m.cancelled_at),
    createdBy: m.created_label,
    createdAt: new Date(m.created_at).toISOString(),
    actionItemList: items.map((i) => presentActionItem(i, actionItemRelationOf(scope, i), today)),
    log: log.map((l) => ({
      id: l.id,
      action: l.action,
      actor: l.actor_label,
      note: l.note,
      details: l.details as Record<string, unknown>,
      createdAt: new Date(l.created_at).toISOString(),
    })),
    allowedActions: meetingAllowedActions(m.status, rel),
  };
}

/** Departments and organisations picked for a meeting must exist. */
async function checkParties(
  deps: MeetingsDeps,
  p: { departmentIds: string[]; organisationIds: string[] },
  path: string,
) {
  const departmentIds = [...new Set(p.departmentIds)];
  const organisationIds = [...new Set(p.organisationIds)];
  const found = await repo.existingParties(deps.db, departmentIds, organisationIds);
  if (found.departments.length < departmentIds.length)
    throw fieldError(
      `${path}.departmentIds`,
      "所选部门不存在 / a chosen department does not exist",
    );
  if (found.organisations.length < organisationIds.length)
    throw fieldError(
      `${path}.organisationIds`,
      "所选企业或协会不存在 / a chosen organisation does not exist",
    );
  return { departmentIds, organisationIds };
}

function checkFuture(at: Date, now: Date) {
  if (at.getTime() <= now.getTime())
    throw fieldError("body.scheduledAt", "会议时间应晚于现在 / the meeting must be in the future");
}

const invitation = (m: {
  id: string;
  title: string;
  scheduled_at: Date | string;
  place: string;
}) => ({
  kind: "meeting.invited",
  title: `联席会议邀请：${m.title}`,
  body: `${chinaTime(m.scheduled_at)} · ${m.place}`,
  link: `/meetings/${m.id}`,
});

export async function createMeeting(
  deps: MeetingsDeps,
  actor: Actor,
  body: CreateMeetingBody,
  ctx: Ctx,
): Promise<MeetingDetail> {
  const now = ctx.now ?? new Date();
  const area = await coordinatorArea(deps, actor, body.areaId);
  const at = new Date(body.scheduledAt);
  checkFuture(at, now);
  const parties = await checkParties(deps, body.participants, "body.participants");
  const notified: string[] = [];
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await repo.insertMeeting(trx, {
      area_id: area.id,
      area_path: area.path,
      title: body.title,
      scheduled_at: at,
      place: body.place,
      created_by: actor.userId,
      created_label: personOf(actor),
    });
    await repo.insertParticipants(trx, id, parties);
    await repo.insertLog(trx, {
      meeting_id: id,
      action: "created",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: {
        scheduledAt: at.toISOString(),
        place: body.place,
        departments: parties.departmentIds.length,
        organisations: parties.organisationIds.length,
      },
    });
    const users = await repo.partyUsers(trx, parties.departmentIds, parties.organisationIds);
    await notifyUsers(
      trx,
      users,
      invitation({ id, title: body.title, scheduled_at: at, place: body.place }),
    );
    notified.push(...users);
    // Bounced cases and carried-over items of the area come onto it at once.
    await fillAgendas(trx, await thresholdOf(trx), now);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "meeting.created",
        subjectType: "meeting",
        subjectId: id,
        details: { title: body.title, area: area.code, scheduledAt: at.toISOString() },
      },
    );
    return id;
  });
  publish(deps, notified);
  return getMeeting(deps, actor, id, now);
}

/** A coordinator's step on a meeting: 404 outside scope, 403 for participants, 409 at the wrong stage. */
async function coordinatorStep(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  action: MeetingAction,
  now: Date,
) {
  const found = await meetingFor(deps, actor, id, now);
  const check = checkMeetingAction(action, found.m.status, found.rel);
  if (!check.ok && check.reason === "forbidden")
    throw forbidden(
      "只有组织会议的综治中心可以操作 / only the coordination centre runs the meeting",
    );
  if (!check.ok && check.reason === "state")
    throw conflict(
      `会议当前为「${found.m.status}」，不能执行此操作 / not allowed while the meeting is ${found.m.status}`,
      { status: found.m.status, allowed: check.allowed },
    );
  return found;
}

export async function updateMeeting(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: UpdateMeetingBody,
  ctx: Ctx,
): Promise<MeetingDetail> {
  const now = ctx.now ?? new Date();
  const { m, participants } = await coordinatorStep(deps, actor, id, "edit", now);
  if (m.version !== body.version) throw STALE();
  const at = body.scheduledAt ? new Date(body.scheduledAt) : undefined;
  if (at) checkFuture(at, now);
  const next = body.participants
    ? await checkParties(deps, body.participants, "body.participants")
    : null;
  const added = { departmentIds: [] as string[], organisationIds: [] as string[] };
  const removed: repo.ParticipantRow[] = [];
  if (next) {
    added.departmentIds = next.departmentIds.filter(
      (d) => !participants.some((p) => p.department_id === d),
    );
    added.organisationIds = next.organisationIds.filter(
      (o) => !participants.some((p) => p.organisation_id === o),
    );
    removed.push(
      ...participants.filter((p) =>
        p.department_id !== null
          ? !next.departmentIds.includes(p.department_id)
          : !next.organisationIds.includes(p.organisation_id as string),
      ),
    );
  }
  const moved =
    (at && at.getTime() !== new Date(m.scheduled_at).getTime()) ||
    (body.place !== undefined && body.place !== m.place);
  const notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateMeeting(trx, id, body.version, {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(at ? { scheduled_at: at } : {}),
      ...(body.place !== undefined ? { place: body.place } : {}),
    });
    if (!updated) throw STALE();
    await repo.deleteParticipants(
      trx,
      removed.map((p) => p.id),
    );
    await repo.insertParticipants(trx, id, added);
    const title = body.title ?? m.title;
    const place = body.place ?? m.place;
    const when = at ?? m.scheduled_at;
    const newUsers = await repo.partyUsers(trx, added.departmentIds, added.organisationIds);
    await notifyUsers(trx, newUsers, invitation({ id, title, scheduled_at: when, place }));
    const staying = participants.filter((p) => !removed.includes(p));
    const stayingUsers = moved
      ? await repo.partyUsers(
          trx,
          staying.flatMap((p) => (p.department_id ? [p.department_id] : [])),
          staying.flatMap((p) => (p.organisation_id ? [p.organisation_id] : [])),
        )
      : [];
    await notifyUsers(trx, stayingUsers, {
      kind: "meeting.changed",
      title: `联席会议时间或地点有变：${title}`,
      body: `${chinaTime(when)} · ${place}`,
      link: `/meetings/${id}`,
    });
    const removedUsers = await repo.partyUsers(
      trx,
      removed.flatMap((p) => (p.department_id ? [p.department_id] : [])),
      removed.flatMap((p) => (p.organisation_id ? [p.organisation_id] : [])),
    );
    await notifyUsers(trx, removedUsers, {
      kind: "meeting.uninvited",
      title: `无需参加联席会议：${title}`,
      body: `${chinaTime(when)} · ${place}`,
    });
    notified.push(...newUsers, ...stayingUsers, ...removedUsers);
    await repo.insertLog(trx, {
      meeting_id: id,
      action: "updated",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: {
        ...(body.title !== undefined && body.title !== m.title ? { title } : {}),
        ...(moved ? { scheduledAt: new Date(when).toISOString(), place } : {}),
        ...(added.departmentIds.length + added.organisationIds.length
          ? { invited: added.departmentIds.length + added.organisationIds.length }
          : {}),
        ...(removed.length ? { uninvited: removed.map((p) => presentParticipant(p).name) } : {}),
      },
    });
    // A meeting moved earlier or later may now be the next one for the pool.
    if (at) await fillAgendas(trx, await thresholdOf(trx), now);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      { action: "meeting.updated", subjectType: "meeting", subjectId: id, details: { title } },
    );
  });
  publish(deps, notified);
  return getMeeting(deps, actor, id, now);
}

export async function holdMeeting(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number },
  ctx: Ctx,
): Promise<MeetingDetail> {
  const now = ctx.now ?? new Date();
  const { m } = await coordinatorStep(deps, actor, id, "hold", now);
  if (m.version !== body.version) throw STALE();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateMeeting(trx, id, body.version, { status: "held", held_at: now })))
      throw STALE();
    await repo.insertLog(trx, {
      meeting_id: id,
      action: "held",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      { action: "meeting.held", subjectType: "meeting", subjectId: id, details: {} },
    );
  });
  return getMeeting(deps, actor, id, now);
}

export async function saveMinutes(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: MinutesBody,
  ctx: Ctx,
): Promise<MeetingDetail> {
  const now = ctx.now ?? new Date();
  const { m, participants } = await coordinatorStep(deps, actor, id, "minutes", now);
  if (m.version !== body.version) throw STALE();
  for (const [i, a] of (body.attendance ?? []).entries())
    if (!participants.some((p) => p.id === a.participantId))
      throw fieldError(
        `body.attendance.${i}.participantId`,
        "该单位不是本次会议的参会单位 / not a participant of this meeting",
      );
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateMeeting(trx, id, body.version, { minutes: body.minutes || null })))
      throw STALE();
    if (body.attendance) await repo.setAttendance(trx, id, body.attendance);
    await repo.insertLog(trx, {
      meeting_id: id,
      action: "minutes_saved",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: {
        length: body.minutes.length,
        ...(body.attendance ? { attended: body.attendance.filter((a) => a.attended).length } : {}),
      },
    });
  });
  return getMeeting(deps, actor, id, now);
}

export async function closeMeeting(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number },
  ctx: Ctx,
): Promise<MeetingDetail> {
  const now = ctx.now ?? new Date();
  const { m } = await coordinatorStep(deps, actor, id, "close", now);
  if (m.version !== body.version) throw STALE();
  if (!m.minutes?.trim())
    throw validation(
      "请先填写并保存会议纪要，再结束会议 / save the minutes before closing the meeting",
      [{ path: "body.minutes", message: "minutes are required" }],
    );
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateMeeting(trx, id, body.version, { status: "closed", closed_at: now })))
      throw STALE();
    // What was not dealt with waits for the next meeting.
    const carried = await repo.returnOpenItemsToPool(trx, id);
    await repo.insertLog(trx, {
      meeting_id: id,
      action: "closed",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      details: carried.length ? { carriedOver: carried.map((c) => c.title) } : {},
    });
    if (carried.length) await fillAgendas(trx, await thresholdOf(trx), now);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      { action: "meeting.closed", subjectType: "meeting", subjectId: id, details: {} },
    );
  });
  return getMeeting(deps, actor, id, now);
}

export async function cancelMeeting(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number; reason: string },
  ctx: Ctx,
): Promise<MeetingDetail> {
  const now = ctx.now ?? new Date();
  const { m, participants } = await coordinatorStep(deps, actor, id, "cancel", now);
  if (m.version !== body.version) throw STALE();
  const notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateMeeting(trx, id, body.version, {
      status: "cancelled",
      cancelled_at: now,
      cancel_reason: body.reason,
    });
    if (!updated) throw STALE();
    const carried = await repo.returnOpenItemsToPool(trx, id);
    await repo.insertLog(trx, {
      meeting_id: id,
      action: "cancelled",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.reason,
      details: carried.length ? { carriedOver: carried.map((c) => c.title) } : {},
    });
    const users = await repo.partyUsers(
      trx,
      participants.flatMap((p) => (p.department_id ? [p.department_id] : [])),
      participants.flatMap((p) => (p.organisation_id ? [p.organisation_id] : [])),
    );
    await notifyUsers(trx, users, {
      kind: "meeting.cancelled",
      title: `联席会议取消：${m.title}`,
      body: body.reason,
      link: `/meetings/${id}`,
    });
    notified.push(...users);
    if (carried.length) await fillAgendas(trx, await thresholdOf(trx), now);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "meeting.cancelled",
        subjectType: "meeting",
        subjectId: id,
        details: { reason: body.reason },
      },
    );
  });
  publish(deps, notified);
  return getMeeting(deps, actor, id, now);
}

// ------------------------------------------------------------------ agenda

/** The record the item is about, checked to lie in the area; its title and reason. */
async function subjectOf(
  deps: MeetingsDeps,
  areaPath: string,
  body: AddAgendaBody,
): Promise<Omit<repo.AgendaValues, "meeting_id" | "created_by" | "created_label" | "source">> {
  const outside = (path: string, what: string, en: string) =>
    fieldError(path, `${what}不存在或不在本次会议的区域内 / no such ${en} in the meeting's area`);
  if (body.kind === "bounced_case" || body.kind === "supervised_case") {
    const c = await repo.caseBrief(deps.db, body.caseId as string);
    if (!c || !pathWithin(c.area_path, areaPath)) throw outside("body.caseId", "事件", "case");
    let reason = body.reason ?? null;
    let details: Record<string, unknown> = {};
    if (body.kind === "bounced_case" && reason === null) {
      const found = await repo.bouncedCases(deps.db, c.area_path, 0, 50);
      const mine = found.items.find((x) => x.id === c.id);
      const bounces = mine?.bounces ?? 0;
      reason = `退回或改派 ${bounces} 次：请联席会议裁定牵头单位`;
      details = { bounces, threshold: await thresholdOf(deps.db) };
    }
    if (body.kind === "supervised_case" && reason === null) reason = "督办事件：请联席会议协调推进";
    return {
      area_path: c.area_path,
      kind: body.kind,
      case_id: c.id,
      proposal_id: null,
      organisation_id: null,
      subject_key: `case:${c.id}`,
      title:
        body.title ??
        `${c.code}：${c.category_name}${body.kind === "bounced_case" ? "（多次退回/改派）" : "（督办超期）"}`,
      reason,
      details,
    };
  }
  if (body.kind === "proposal") {
    const p = await repo.proposalBrief(deps.db, body.proposalId as string);
    if (!p || !pathWithin(p.area_path, areaPath))
      throw outside("body.proposalId", "提案", "proposal");
    return {
      area_path: p.area_path,
      kind: "proposal",
      case_id: null,
      proposal_id: p.id,
      organisation_id: null,
      subject_key: `proposal:${p.id}`,
      title: body.title ?? `提案：${p.title}`,
      reason: body.reason ?? `${p.support_count} 人支持，待政府答复`,
      details: { supportCount: p.support_count, status: p.status },
    };
  }
  if (body.kind === "warning") {
    const o = await repo.enterpriseBrief(deps.db, body.organisationId as string);
    if (o?.kind !== "enterprise" || !pathWithin(o.area_path, areaPath))
      throw outside("body.organisationId", "企业", "enterprise");
    return {
      area_path: o.area_path,
      kind: "warning",
      case_id: null,
      proposal_id: null,
      organisation_id: o.id,
      subject_key: `warning:${o.id}`,
      title: body.title ?? `欠薪预警：${o.name}`,
      reason:
        body.reason ??
        (o.warning_score !== null
          ? `欠薪预警分 ${o.warning_score}（${o.warning_level ?? "none"}）`
          : "企业欠薪风险"),
      details: { score: o.warning_score, level: o.warning_level },
    };
  }
  return {
    area_path: areaPath,
    kind: "other",
    case_id: null,
    proposal_id: null,
    organisation_id: null,
    subject_key: null,
    title: body.title as string,
    reason: body.reason ?? null,
    details: {},
  };
}

export async function addAgendaItem(
  deps: MeetingsDeps,
  actor: Actor,
  meetingId: string,
  body: AddAgendaBody,
  ctx: Ctx,
): Promise<MeetingDetail> {
  const now = ctx.now ?? new Date();
  const { m } = await coordinatorStep(deps, actor, meetingId, "agenda", now);
  const v = body.poolItemId ? null : await subjectOf(deps, m.area_path, body);
  await deps.db.transaction().execute(async (trx) => {
    let itemId: string;
    let title: string;
    if (body.poolItemId || !v) {
      // A carried-over topic of the area's pool.
      const g = await repo.findAgendaItem(trx, body.poolItemId as string);
      if (
        !g ||
        g.meeting_id !== null ||
        g.status !== "open" ||
        !pathWithin(g.area_path, m.area_path)
      )
        throw fieldError(
          "body.poolItemId",
          "该议题已不在待议池中 / the item is no longer in the pool",
        );
      if (!(await repo.takeFromPool(trx, g.id, meetingId))) throw STALE("议题", "agenda item");
      itemId = g.id;
      title = g.title;
    } else {
      const [open] = v.subject_key ? await repo.openItemsBySubject(trx, [v.subject_key]) : [];
      if (open && open.meeting_id === meetingId)
        throw conflict("该议题已在本次会议的议程中 / already on this meeting's agenda");
      if (open && open.meeting_id !== null)
        throw conflict(
          `该议题已在会议「${open.meeting_title ?? ""}」的议程中 / already on another meeting's agenda`,
          { meetingId: open.meeting_id },
        );
      if (open) {
        if (!(await repo.takeFromPool(trx, open.id, meetingId))) throw STALE("议题", "agenda item");
        itemId = open.id;
      } else {
        const inserted = await repo.insertAgendaItem(trx, {
          ...v,
          meeting_id: meetingId,
          source: "manual",
          created_by: actor.userId,
          created_label: personOf(actor),
        });
        if (!inserted)
          throw conflict("该议题刚被加入其他议程，请刷新 / just added to an agenda; reload");
        itemId = inserted.id;
      }
      title = v.title;
    }
    await repo.insertLog(trx, {
      meeting_id: meetingId,
      action: "agenda_added",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: title,
      details: { itemId, kind: body.kind },
    });
  });
  return getMeeting(deps, actor, meetingId, now);
}

/** The item and whether the caller coordinates it (its meeting's area, or the pool's). */
async function itemFor(deps: MeetingsDeps, actor: Actor, id: string) {
  const paths = coordinatorPaths(actor);
  if (paths.length === 0) {
    scopeOf(actor);
    throw forbidden("只有综治中心可以处理议题 / only the coordination centre handles the agenda");
  }
  const g = await repo.findAgendaItem(deps.db, id);
  if (!g) throw ITEM_NOT_FOUND();
  const meeting = g.meeting_id ? await repo.meetingBrief(deps.db, g.meeting_id) : null;
  const areaPath = meeting?.area_path ?? g.area_path;
  if (!paths.some((p) => pathWithin(areaPath, p))) throw ITEM_NOT_FOUND();
  return { g, meeting };
}

function checkItemAction(
  g: { status: string; case_id: string | null },
  meetingStatus: MeetingDetail["status"] | null,
  action: "conclude" | "drop" | "rule",
) {
  const allowed = agendaItemActions(g, meetingStatus, true);
  if (!allowed.includes(action))
    throw conflict(
      g.status !== "open"
        ? "该议题已处理 / the item has been settled"
        : action === "drop"
          ? "会议已结束，不能再调整议程 / the meeting is over"
          : "请在会议召开（标记为已召开）后再议定 / mark the meeting as held first",
      { status: g.status, meetingStatus, allowed },
    );
}

/**
 * Settles an open agenda item without a ruling: concluded (with its outcome)
 * or dropped (with the reason). Either way the case's bounces so far no
 * longer bring it back; new ones will. The meeting's log records it; a drop
 * is also audited.
 */
async function settleAgendaItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  version: number,
  how: { action: "conclude" | "drop"; text: string },
  ctx: Ctx,
): Promise<AgendaItem> {
  const now = ctx.now ?? new Date();
  const { g, meeting } = await itemFor(deps, actor, id);
  checkItemAction(g, meeting?.status ?? null, how.action);
  const dropped = how.action === "drop";
  await deps.db.transaction().execute(async (trx) => {
    const mark = g.case_id ? await repo.lastCaseActionId(trx, g.case_id) : null;
    const updated = await repo.updateAgendaItem(trx, id, version, {
      status: dropped ? "dropped" : "concluded",
      outcome: how.text,
      settled_at: now,
      settled_by: actor.userId,
      settled_label: personOf(actor),
      settled_action_id: mark,
    });
    if (!updated) throw STALE("议题", "agenda item");
    if (g.meeting_id)
      await repo.insertLog(trx, {
        meeting_id: g.meeting_id,
        action: dropped ? "agenda_dropped" : "agenda_concluded",
        actor_user_id: actor.userId,
        actor_label: personOf(actor),
        note: how.text,
        details: { itemId: id, title: g.title },
      });
    if (dropped)
      await recordAudit(
        trx,
        { actor, requestId: ctx.requestId },
        {
          action: "meeting.agenda_dropped",
          subjectType: "meeting_agenda_item",
          subjectId: id,
          details: { title: g.title, reason: how.text },
        },
      );
  });
  return getAgendaItem(deps, actor, id);
}

export function concludeAgendaItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number; outcome: string },
  ctx: Ctx,
): Promise<AgendaItem> {
  return settleAgendaItem(
    deps,
    actor,
    id,
    body.version,
    { action: "conclude", text: body.outcome },
    ctx,
  );
}

export function dropAgendaItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number; reason: string },
  ctx: Ctx,
): Promise<AgendaItem> {
  return settleAgendaItem(
    deps,
    actor,
    id,
    body.version,
    { action: "drop", text: body.reason },
    ctx,
  );
}

export async function getAgendaItem(deps: MeetingsDeps, actor: Actor, id: string) {
  const { meeting } = await itemFor(deps, actor, id);
  const g = await repo.findAgendaItem(deps.db, id);
  if (!g) throw ITEM_NOT_FOUND();
  return presentAgendaItem(g, meeting?.status ?? null, true);
}

// ------------------------------------------------------ agenda candidates

/**
 * The actor seen only within one area they coordinate: what other modules'
 * lists (wage warnings) then return is that area's share. The actor's grants
 * already cover the area (checked by coordinatorArea).
 */
function actorWithin(
  actor: Actor,
  area: { id: string; code: string; name: string; level: string; path: string },
): Actor {
  return {
    ...actor,
    grants: [
      {
        id: "meetings-area",
        role: "coordinator",
        scopeKind: "area",
        scopeId: area.id,
        scopeName: area.name,
        scopeCode: area.code,
        scopeLevel: area.level,
        areaPath: area.path,
      },
    ],
  };
}

const ACTION_NAMES: Record<string, string> = { return: "退回", reassign: "改派" };

export async function agendaCandidates(
  deps: MeetingsDeps,
  actor: Actor,
  q: { areaId?: string | undefined; kind?: CandidateKind | undefined },
  now = new Date(),
): Promise<AgendaCandidates> {
  const area = await coordinatorArea(deps, actor, q.areaId);
  const threshold = await thresholdOf(deps.db);
  const want = (k: CandidateKind) => q.kind === undefined || q.kind === k;
  const [bounced, supervised, proposals, warnings] = await Promise.all([
    want("bounced_case")
      ? repo.bouncedCases(deps.db, area.path, threshold, CANDIDATES_PER_KIND)
      : { items: [], total: 0 },
    want("supervised_case")
      ? repo.supervisedOverdue(deps.db, area.path, now, CANDIDATES_PER_KIND)
      : { items: [], total: 0 },
    want("proposal")
      ? listProposals(
          deps,
          actor,
          {
            view: "all",
            status: ["submitted"],
            areaCode: area.code,
            sort: "support",
            radius: 2000,
            limit: CANDIDATES_PER_KIND,
            offset: 0,
          } as Parameters<typeof listProposals>[2],
          now,
        )
      : { items: [], total: 0 },
    want("warning")
      ? listWageWarnings(deps, actorWithin(actor, area), {
          level: ["warning", "alarm"],
          sort: "-score",
          limit: CANDIDATES_PER_KIND,
          offset: 0,
        })
      : { items: [], total: 0 },
  ]);
  const steps = await repo.bounceSteps(
    deps.db,
    bounced.items.map((b) => ({ id: b.id, mark: b.mark })),
  );
  const items: Omit<AgendaCandidate, "onAgenda">[] = [
    ...bounced.items.map((b) => {
      const mine = steps.filter((s) => s.case_id === b.id);
      return {
        kind: "bounced_case" as const,
        ref: { caseId: b.id },
        title: `${b.code}：${b.category_name}`,
        reason: `退回或改派 ${b.bounces} 次（超过 ${threshold} 次）${b.lead_name ? `，当前牵头：${b.lead_name}` : "，当前无牵头单位"}`,
        details: {
          bounces: b.bounces,
          threshold,
          status: b.status,
          lead: b.lead_name,
          steps: mine.map((s) => ({
            action: s.action,
            label: ACTION_NAMES[s.action] ?? s.action,
            actor: s.actor_label,
            note: s.note,
            at: new Date(s.created_at).toISOString(),
          })),
        },
        link: { type: "case" as const, id: b.id, label: b.code },
      };
    }),
    ...supervised.items.map((c) => {
      const hours = Math.max(0, (now.getTime() - new Date(c.due_at).getTime()) / 3600_000);
      const late =
        hours >= 24 ? `${Math.floor(hours / 24)} 天` : `${Math.max(1, Math.round(hours))} 小时`;
      return {
        kind: "supervised_case" as const,
        ref: { caseId: c.id },
        title: `${c.code}：${c.category_name}`,
        reason: `督办后仍超期 ${late}${c.lead_name ? `（牵头：${c.lead_name}）` : ""}`,
        details: {
          overdueHours: Math.round(hours),
          dueAt: new Date(c.due_at).toISOString(),
          status: c.status,
          lead: c.lead_name,
          escalationLevel: c.escalation_level,
        },
        link: { type: "case" as const, id: c.id, label: c.code },
      };
    }),
    ...proposals.items.map((p) => ({
      kind: "proposal" as const,
      ref: { proposalId: p.id },
      title: p.title,
      reason: `${p.supportCount} 人支持${p.department ? `，待 ${p.department.name} 答复` : "，待答复"}${
        p.dueState === "overdue"
          ? "（已超过答复期限）"
          : p.answerDueAt
            ? `，答复期限 ${chinaTime(p.answerDueAt).slice(0, 10)}`
            : ""
      }`,
      details: {
        supportCount: p.supportCount,
        threshold: p.supportThreshold,
        answerDueAt: p.answerDueAt,
        dueState: p.dueState,
        department: p.department?.name ?? null,
      },
      link: { type: "proposal" as const, id: p.id, label: p.title },
    })),
    ...warnings.items.map((w) => ({
      kind: "warning" as const,
      ref: { organisationId: w.enterpriseId },
      title: `欠薪预警：${w.name}`,
      reason: `预警分 ${w.score ?? "—"}（${w.level === "alarm" ? "报警" : "预警"}）${
        w.signals.length
          ? `：${w.signals
              .slice(0, 2)
              .map((s) => s.text)
              .join("；")}`
          : ""
      }`,
      details: {
        score: w.score,
        level: w.level,
        grid: w.grid.name,
        signals: w.signals
          .slice(0, 5)
          .map((s) => ({ code: s.code, text: s.text, points: s.points })),
        openCase: w.openCase,
      },
      link: { type: "enterprise" as const, id: w.enterpriseId, label: w.name },
    })),
  ];
  const keyOf = (c: (typeof items)[number]) =>
    c.ref.caseId
      ? `case:${c.ref.caseId}`
      : c.ref.proposalId
        ? `proposal:${c.ref.proposalId}`
        : `warning:${c.ref.organisationId}`;
  const open = await repo.openItemsBySubject(deps.db, items.map(keyOf));
  const onAgenda = new Map(open.map((o) => [o.subject_key as string, o]));
  return {
    area: { id: area.id, code: area.code, name: area.name },
    bounceThreshold: threshold,
    items: items.map((c) => {
      const o = onAgenda.get(keyOf(c));
      return {
        ...c,
        onAgenda: o
          ? { itemId: o.id, meetingId: o.meeting_id, meetingTitle: o.meeting_title ?? null }
          : null,
      };
    }),
    totals: {
      bounced_case: bounced.total,
      supervised_case: supervised.total,
      proposal: proposals.total,
      warning: warnings.total,
    },
  };
}

/** The area's pool: open items waiting for the next meeting (bounced cases, carried-over topics). */
export async function agendaPool(
  deps: MeetingsDeps,
  actor: Actor,
  q: { areaId?: string | undefined },
): Promise<{ items: AgendaItem[] }> {
  const area = await coordinatorArea(deps, actor, q.areaId);
  const rows = await repo.pool(deps.db, area.path);
  return { items: rows.map((g) => presentAgendaItem(g, null, true)) };
}

// ------------------------------------------------------------------ ruling

async function rulingCase(deps: MeetingsDeps, actor: Actor, id: string) {
  const { g, meeting } = await itemFor(deps, actor, id);
  if (!g.case_id) throw conflict("该议题不涉及事件，无需裁定 / this item is not about a case");
  const c = await getCase(deps, actor, g.case_id);
  return { g, meeting, c };
}

export async function rulingContext(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
): Promise<RulingContext> {
  const { c } = await rulingCase(deps, actor, id);
  const caseRow = await repo.caseBrief(deps.db, c.id);
  const path = caseRow?.area_path ?? "";
  const codes = path.split("/").filter(Boolean);
  const areas = await findAreasByCodes(deps, codes);
  const familyCode = categoryFamily(c.categoryCode);
  const categories = await listCategories(deps, { includeRetired: true });
  const family = categories.find((x) => x.code === familyCode);
  return {
    case: {
      id: c.id,
      code: c.code,
      status: c.status,
      version: c.version,
      categoryCode: c.categoryCode,
      categoryName: c.categoryName,
      family:
        family && family.code !== c.categoryCode ? { code: family.code, name: family.name } : null,
      lead: c.lead,
      parties: c.parties.map((p) => ({ role: p.role, name: p.name })),
    },
    areas: codes.flatMap((code) => {
      const a = areas.find((x) => x.code === code);
      return a ? [{ code: a.code, name: a.name, level: a.level }] : [];
    }),
  };
}

/** The rule a ruling would save, as the responsibility list stores it. */
async function draftRule(
  deps: MeetingsDeps,
  c: { categoryCode: string },
  leadDepartmentId: string,
  assist: RulingPreviewBody["assist"],
  rule: RulingPreviewBody["rule"],
) {
  const family = categoryFamily(c.categoryCode);
  if (rule.categoryCode !== c.categoryCode && rule.categoryCode !== family)
    throw fieldError(
      "body.rule.categoryCode",
      "规则类别须为该事件的类别或其大类 / the rule's category must be the case's or its family",
    );
  const lead = await findDepartmentById(deps, leadDepartmentId);
  if (!lead) throw fieldError("body.leadDepartmentId", "牵头部门不存在 / no such department");
  return {
    lead,
    body: {
      categoryCode: rule.categoryCode,
      areaCode: rule.areaCode,
      conditions: {},
      lead: rule.byKind ? { kind: lead.kind } : { departmentId: lead.id },
      assist,
      note: rule.note,
    },
  };
}

/** Checks the rule's area lies on the case's path (its grid or above, or the whole district). */
async function checkRuleArea(
  deps: MeetingsDeps,
  areaCode: string | null,
  casePath: string,
  path: string,
) {
  if (areaCode === null) return null;
  const a = await findAreaByCode(deps, areaCode);
  if (!a || !pathWithin(casePath, a.path))
    throw fieldError(
      path,
      "规则区域须为事件所在网格或其上级区域 / the rule's area must contain the case",
    );
  return a;
}

export async function previewRuling(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: RulingPreviewBody,
): Promise<RulingPreview> {
  const { c } = await rulingCase(deps, actor, id);
  const caseRow = await repo.caseBrief(deps.db, c.id);
  const area = await checkRuleArea(
    deps,
    body.rule.areaCode,
    caseRow?.area_path ?? "",
    "body.rule.areaCode",
  );
  const draft = await draftRule(deps, c, body.leadDepartmentId, body.assist, body.rule);
  const step = rulingCaseStep(c.status, c.lead?.id ?? null, draft.lead.id);
  if (step === null)
    throw conflict("事件已办结或结束，无需裁定 / the case is no longer open to a ruling");
  const preview = await previewRouting(deps, actor, {
    categoryCode: c.categoryCode,
    lat: c.lat,
    lng: c.lng,
    severity: c.severity,
    fields: c.fields,
    draft: draft.body as Parameters<typeof previewRouting>[2]["draft"] & object,
  });
  const parties = await repo.existingParties(
    deps.db,
    body.assist.flatMap((a) => ("departmentId" in a ? [a.departmentId] : [])),
    body.assist.flatMap((a) => ("organisationId" in a ? [a.organisationId] : [])),
  );
  const categories = await listCategories(deps, { includeRetired: true });
  return {
    case: { id: c.id, code: c.code, status: c.status, lead: c.lead, caseAction: step },
    rule: {
      categoryCode: body.rule.categoryCode,
      categoryName:
        categories.find((x) => x.code === body.rule.categoryCode)?.name ?? body.rule.categoryCode,
      area: area ? { code: area.code, name: area.name } : null,
      lead: body.rule.byKind
        ? `${DEPARTMENT_KIND_NAMES[draft.lead.kind as keyof typeof DEPARTMENT_KIND_NAMES] ?? draft.lead.kind}（属地）`
        : draft.lead.name,
      assist: [...parties.departments, ...parties.organisations].map((p) => p.name),
    },
    current: {
      lead: preview.current?.lead ?? null,
      ruleId: preview.current?.ruleId ?? null,
    },
    withRule: {
      lead: preview.lead,
      assist: preview.assist.map((a) => a.name),
      wins: preview.rule?.draft === true,
    },
  };
}

/**
 * The arbiter's ruling on a case of the agenda, in one transaction: the
 * case is dispatched or reassigned to the lead (or the lead confirmed) and
 * the assisting parties invited through the cases service, so the case's own
 * timeline records it; optionally the ruling is saved as a routing rule; the
 * agenda item is settled with both recorded on it.
 */
export async function rule(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: RulingBody,
  ctx: Ctx,
): Promise<{ item: AgendaItem; caseId: string; ruleId: string | null }> {
  const now = ctx.now ?? new Date();
  const { g, meeting, c } = await rulingCase(deps, actor, id);
  checkItemAction(g, meeting?.status ?? null, "rule");
  if (c.version !== body.caseVersion)
    throw conflict(
      "事件已被他人更新，请刷新后重试 / the case changed meanwhile; reload and retry",
      {
        currentVersion: c.version,
      },
    );
  const lead = await findDepartmentById(deps, body.leadDepartmentId);
  if (!lead) throw fieldError("body.leadDepartmentId", "牵头部门不存在 / no such department");
  const step = rulingCaseStep(c.status, c.lead?.id ?? null, lead.id);
  if (step === null)
    throw conflict("事件已办结或结束，无需裁定 / the case is no longer open to a ruling");
  const assistDepts = body.assist.flatMap((a) => ("departmentId" in a ? [a.departmentId] : []));
  const assistOrgs = body.assist.flatMap((a) => ("organisationId" in a ? [a.organisationId] : []));
  if (assistDepts.includes(lead.id))
    throw fieldError(
      "body.assist",
      "牵头部门无需再列为协办 / the lead is not also an assisting party",
    );
  const parties = await repo.existingParties(deps.db, assistDepts, assistOrgs);
  if (
    parties.departments.length + parties.organisations.length <
    new Set([...assistDepts, ...assistOrgs]).size
  )
    throw fieldError("body.assist", "所选协办单位不存在 / a chosen assisting party does not exist");
  const caseRow = await repo.caseBrief(deps.db, c.id);
  const ruleArea = body.saveRule
    ? await checkRuleArea(
        deps,
        body.saveRule.areaCode,
        caseRow?.area_path ?? "",
        "body.saveRule.areaCode",
      )
    : null;
  const draft = body.saveRule
    ? await draftRule(deps, c, lead.id, body.assist, body.saveRule)
    : null;
  const meetingTitle = meeting?.title ?? "";
  const live = { users: [] as string[], version: 0 };
  const out = await deps.db.transaction().execute(async (trx) => {
    const caseStep: TransitionBody =
      step === "comment"
        ? {
            note: `联席会议「${meetingTitle}」裁定：维持 ${lead.name} 牵头办理。${body.note}`,
            visibility: "internal",
            version: body.caseVersion,
          }
        : {
            departmentId: lead.id,
            note: `联席会议「${meetingTitle}」裁定：${body.note}`,
            version: body.caseVersion,
          };
    const main = await applyTransition(deps, trx, actor, c.id, step, caseStep, {
      requestId: ctx.requestId,
      now,
    });
    live.users.push(...main.users);
    live.version = main.version;
    // Assisting parties already on the case are not invited twice.
    const active = await repo.activeAssisting(trx, c.id);
    const task = body.task?.trim() || `按联席会议「${meetingTitle}」裁定协办`;
    for (const a of body.assist) {
      const already =
        "departmentId" in a
          ? active.some((p) => p.department_id === a.departmentId)
          : active.some((p) => p.organisation_id === a.organisationId);
      if (already) continue;
      const invited = await applyTransition(
        deps,
        trx,
        actor,
        c.id,
        "invite",
        { ...a, task },
        { requestId: ctx.requestId, now },
      );
      live.users.push(...invited.users);
      live.version = invited.version;
    }
    const saved = draft ? await createRuleIn(trx, actor, draft.body, ctx.requestId) : null;
    const ruling: Ruling = {
      lead: { id: lead.id, name: lead.name },
      assist: [...parties.departments, ...parties.organisations].map((p) => ({
        id: p.id,
        name: p.name,
      })),
      note: body.note,
      caseAction: step,
      caseCode: c.code,
      rule:
        saved && body.saveRule
          ? {
              id: saved.id,
              categoryCode: body.saveRule.categoryCode,
              areaCode: ruleArea?.code ?? null,
            }
          : null,
    };
    const updated = await repo.updateAgendaItem(trx, id, body.version, {
      status: "concluded",
      outcome: body.note,
      ruling: JSON.stringify(ruling),
      settled_at: now,
      settled_by: actor.userId,
      settled_label: personOf(actor),
      settled_action_id: await repo.lastCaseActionId(trx, c.id),
    });
    if (!updated) throw STALE("议题", "agenda item");
    await repo.insertLog(trx, {
      meeting_id: g.meeting_id as string,
      action: "ruling",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.note,
      details: {
        itemId: id,
        caseId: c.id,
        caseCode: c.code,
        caseAction: step,
        lead: lead.name,
        assist: ruling.assist.map((a) => a.name),
        ruleId: saved?.id ?? null,
      },
    });
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "meeting.ruling",
        subjectType: "meeting_agenda_item",
        subjectId: id,
        details: { caseId: c.id, lead: lead.id, caseAction: step, ruleId: saved?.id ?? null },
      },
    );
    return { ruleId: saved?.id ?? null };
  });
  // Committed: the case's pages and the people told may look again.
  deps.events?.publish({ type: "case", caseId: c.id, version: live.version });
  publish(deps, live.users);
  if (out.ruleId) deps.onRoutingListChanged?.();
  return { item: await getAgendaItem(deps, actor, id), caseId: c.id, ruleId: out.ruleId };
}

// ------------------------------------------------------------ action items

async function ownerName(
  deps: MeetingsDeps,
  b: { ownerDepartmentId?: string | undefined; ownerOrganisationId?: string | undefined },
) {
  const found = await repo.existingParties(
    deps.db,
    b.ownerDepartmentId ? [b.ownerDepartmentId] : [],
    b.ownerOrganisationId ? [b.ownerOrganisationId] : [],
  );
  const p = found.departments[0] ?? found.organisations[0];
  if (!p)
    throw fieldError(
      b.ownerDepartmentId ? "body.ownerDepartmentId" : "body.ownerOrganisationId",
      "责任单位不存在 / no such owner",
    );
  return p.name;
}

function checkDueOn(dueOn: string, now: Date) {
  if (dueOn < chinaToday(now))
    throw fieldError("body.dueOn", "完成期限不能早于今天 / the deadline cannot be in the past");
}

export async function createActionItem(
  deps: MeetingsDeps,
  actor: Actor,
  meetingId: string,
  body: CreateActionItemBody,
  ctx: Ctx,
): Promise<ActionItem> {
  const now = ctx.now ?? new Date();
  const { m } = await coordinatorStep(deps, actor, meetingId, "decide", now);
  checkDueOn(body.dueOn, now);
  const owner = await ownerName(deps, body);
  if (body.agendaItemId) {
    const g = await repo.findAgendaItem(deps.db, body.agendaItemId);
    if (!g || g.meeting_id !== meetingId)
      throw fieldError("body.agendaItemId", "该议题不属于本次会议 / not an item of this meeting");
  }
  const notified: string[] = [];
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await repo.insertActionItem(trx, {
      meeting_id: meetingId,
      agenda_item_id: body.agendaItemId ?? null,
      title: body.title,
      owner_department_id: body.ownerDepartmentId ?? null,
      owner_organisation_id: body.ownerOrganisationId ?? null,
      due_on: body.dueOn,
      created_by: actor.userId,
      created_label: personOf(actor),
    });
    await repo.insertLog(trx, {
      meeting_id: meetingId,
      action: "action_item_added",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.title,
      details: { actionItemId: id, owner, dueOn: body.dueOn },
    });
    const users = await repo.partyUsers(
      trx,
      body.ownerDepartmentId ? [body.ownerDepartmentId] : [],
      body.ownerOrganisationId ? [body.ownerOrganisationId] : [],
    );
    await notifyUsers(trx, users, {
      kind: "meeting.action_item",
      title: `督办事项：${body.title}`,
      body: `联席会议「${m.title}」议定，请于 ${body.dueOn} 前完成`,
      link: "/meetings?tab=actions",
    });
    notified.push(...users);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "meeting.action_item_created",
        subjectType: "meeting_action_item",
        subjectId: id,
        details: { meetingId, owner, dueOn: body.dueOn },
      },
    );
    return id;
  });
  publish(deps, notified);
  return getActionItem(deps, actor, id, now);
}

/** The item and how the caller stands to it: 404 for strangers, 403 for other participants. */
async function actionItemFor(deps: MeetingsDeps, actor: Actor, id: string) {
  const s = scopeOf(actor);
  const i = await repo.findActionItem(deps.db, id);
  if (!i) throw ACTION_ITEM_NOT_FOUND();
  const rel = actionItemRelationOf(s, i);
  if (!rel.coordinator && !rel.owner) {
    const participants = await repo.participants(deps.db, i.meeting_id);
    if (meetingRelationOf(s, i, participants).participant)
      throw forbidden(
        "只有责任单位或综治中心可以办理此事项 / only the owner or the coordination centre",
      );
    throw ACTION_ITEM_NOT_FOUND();
  }
  return { i, rel, scope: s };
}

export async function getActionItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  now = new Date(),
) {
  const { i, rel } = await actionItemFor(deps, actor, id);
  return presentActionItem(i, rel, chinaToday(now));
}

function checkItemStep(
  i: repo.ActionItemRow,
  rel: ActionItemRelation,
  step: "complete" | "reopen" | "cancel" | "edit",
  version: number,
) {
  const allowed = actionItemActions(i.status, rel);
  if (!allowed.includes(step)) {
    if (!rel.coordinator && step !== "complete")
      throw forbidden("只有综治中心可以执行此操作 / only the coordination centre may do this");
    throw conflict(
      `督办事项当前为「${i.status}」，不能执行此操作 / not allowed while ${i.status}`,
      {
        status: i.status,
        allowed,
      },
    );
  }
  if (i.version !== version) throw STALE("督办事项", "action item");
}

export async function completeActionItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number; note: string },
  ctx: Ctx,
): Promise<ActionItem> {
  const now = ctx.now ?? new Date();
  const { i, rel } = await actionItemFor(deps, actor, id);
  checkItemStep(i, rel, "complete", body.version);
  const notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateActionItem(trx, id, body.version, {
      status: "done",
      done_note: body.note,
      done_at: now,
      done_by: actor.userId,
      done_label: personOf(actor),
    });
    if (!updated) throw STALE("督办事项", "action item");
    await repo.insertLog(trx, {
      meeting_id: i.meeting_id,
      action: "action_item_done",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.note,
      details: { actionItemId: id, title: i.title, late: i.due_on < chinaToday(now) },
    });
    // The meeting's organiser hears that the owner reports it done.
    if (i.meeting_created_by && i.meeting_created_by !== actor.userId) {
      await notifyUsers(trx, [i.meeting_created_by], {
        kind: "meeting.action_item_done",
        title: `督办事项已完成：${i.title}`,
        body: `${ownerOf(i).name}：${body.note}`,
        link: `/meetings/${i.meeting_id}`,
      });
      notified.push(i.meeting_created_by);
    }
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "meeting.action_item_done",
        subjectType: "meeting_action_item",
        subjectId: id,
        details: { meetingId: i.meeting_id },
      },
    );
  });
  publish(deps, notified);
  return getActionItem(deps, actor, id, now);
}

export async function reopenActionItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number; note: string },
  ctx: Ctx,
): Promise<ActionItem> {
  const now = ctx.now ?? new Date();
  const { i, rel } = await actionItemFor(deps, actor, id);
  checkItemStep(i, rel, "reopen", body.version);
  const notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateActionItem(trx, id, body.version, {
      status: "open",
      done_note: null,
      done_at: null,
      done_by: null,
      done_label: null,
      overdue_notified_at: null,
    });
    if (!updated) throw STALE("督办事项", "action item");
    await repo.insertLog(trx, {
      meeting_id: i.meeting_id,
      action: "action_item_reopened",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.note,
      details: { actionItemId: id, title: i.title },
    });
    const users = await repo.partyUsers(
      trx,
      i.owner_department_id ? [i.owner_department_id] : [],
      i.owner_organisation_id ? [i.owner_organisation_id] : [],
    );
    await notifyUsers(trx, users, {
      kind: "meeting.action_item_reopened",
      title: `督办事项退回重办：${i.title}`,
      body: body.note,
      link: "/meetings?tab=actions",
    });
    notified.push(...users);
  });
  publish(deps, notified);
  return getActionItem(deps, actor, id, now);
}

export async function cancelActionItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: { version: number; reason: string },
  ctx: Ctx,
): Promise<ActionItem> {
  const now = ctx.now ?? new Date();
  const { i, rel } = await actionItemFor(deps, actor, id);
  checkItemStep(i, rel, "cancel", body.version);
  await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateActionItem(trx, id, body.version, {
      status: "cancelled",
      cancel_reason: body.reason,
    });
    if (!updated) throw STALE("督办事项", "action item");
    await repo.insertLog(trx, {
      meeting_id: i.meeting_id,
      action: "action_item_cancelled",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.reason,
      details: { actionItemId: id, title: i.title },
    });
  });
  return getActionItem(deps, actor, id, now);
}

export async function updateActionItem(
  deps: MeetingsDeps,
  actor: Actor,
  id: string,
  body: {
    version: number;
    title?: string | undefined;
    ownerDepartmentId?: string | undefined;
    ownerOrganisationId?: string | undefined;
    dueOn?: string | undefined;
  },
  ctx: Ctx,
): Promise<ActionItem> {
  const now = ctx.now ?? new Date();
  const { i, rel } = await actionItemFor(deps, actor, id);
  checkItemStep(i, rel, "edit", body.version);
  if (body.dueOn) checkDueOn(body.dueOn, now);
  const newOwner = body.ownerDepartmentId || body.ownerOrganisationId;
  const owner = newOwner ? await ownerName(deps, body) : null;
  const notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateActionItem(trx, id, body.version, {
      ...(body.title ? { title: body.title } : {}),
      ...(newOwner
        ? {
            owner_department_id: body.ownerDepartmentId ?? null,
            owner_organisation_id: body.ownerOrganisationId ?? null,
          }
        : {}),
      ...(body.dueOn ? { due_on: body.dueOn, overdue_notified_at: null } : {}),
    });
    if (!updated) throw STALE("督办事项", "action item");
    await repo.insertLog(trx, {
      meeting_id: i.meeting_id,
      action: "action_item_updated",
      actor_user_id: actor.userId,
      actor_label: personOf(actor),
      note: body.title ?? i.title,
      details: {
        actionItemId: id,
        ...(owner ? { owner } : {}),
        ...(body.dueOn ? { dueOn: body.dueOn } : {}),
      },
    });
    if (newOwner) {
      const users = await repo.partyUsers(
        trx,
        body.ownerDepartmentId ? [body.ownerDepartmentId] : [],
        body.ownerOrganisationId ? [body.ownerOrganisationId] : [],
      );
      await notifyUsers(trx, users, {
        kind: "meeting.action_item",
        title: `督办事项：${body.title ?? i.title}`,
        body: `联席会议「${i.meeting_title}」议定，请于 ${body.dueOn ?? i.due_on} 前完成`,
        link: "/meetings?tab=actions",
      });
      notified.push(...users);
    }
  });
  publish(deps, notified);
  return getActionItem(deps, actor, id, now);
}

export async function listActionItems(
  deps: MeetingsDeps,
  actor: Actor,
  q: ActionItemListQuery,
  now = new Date(),
): Promise<{ items: ActionItem[]; total: number }> {
  const s = scopeOf(actor);
  if (q.meetingId) await meetingFor(deps, actor, q.meetingId, now);
  const today = chinaToday(now);
  const r = await repo.listActionItems(deps.db, {
    areaPaths: s.areaPaths,
    departmentIds: s.departmentIds,
    organisationIds: s.organisationIds,
    // Without a coordinator grant, a list is always of one's own items (or one meeting's).
    mine: q.mine === true || (s.areaPaths.length === 0 && !q.meetingId),
    meetingId: q.meetingId,
    state: q.state,
    ownerDepartmentId: q.ownerDepartmentId,
    ownerOrganisationId: q.ownerOrganisationId,
    q: q.q,
    sort: q.sort,
    limit: q.limit,
    offset: q.offset,
    today,
  });
  return {
    items: r.items.map((i) => presentActionItem(i, actionItemRelationOf(s, i), today)),
    total: r.total,
  };
}

// -------------------------------------------------------------------- jobs

/** Puts bounced cases and pool items onto the next meetings, logging what landed on a meeting. */
async function fillAgendas(trx: Transaction<DB>, threshold: number, now: Date) {
  const placed = await repo.placeBouncedCases(trx, threshold, now);
  const moved = await repo.movePoolToMeetings(trx, now);
  for (const p of [...placed, ...moved])
    if (p.meeting_id)
      await repo.insertLog(trx, {
        meeting_id: p.meeting_id,
        action: "agenda_added",
        actor_user_id: null,
        actor_label: SYSTEM_LABEL,
        note: p.title,
        details: { itemId: p.id, automatic: true },
      });
  return {
    placed: placed.length,
    pooled: placed.filter((p) => p.meeting_id === null).length,
    moved: moved.length,
  };
}

/**
 * The `meeting-agenda` job: bounced cases of the district onto the next
 * scheduled meeting of their area (or the pool), pool items onto a meeting
 * now scheduled. Safe twice and on two servers (unique open subject, row locks).
 */
export async function runMeetingAgenda(deps: Pick<MeetingsDeps, "db">, now = new Date()) {
  return deps.db
    .transaction()
    .execute(async (trx) => fillAgendas(trx, await thresholdOf(trx), now));
}

/**
 * The `meeting-actions-overdue` job: open action items past their day are
 * flagged once, the owner's people and the meeting's organiser told.
 */
export async function runOverdueActionItems(deps: Pick<MeetingsDeps, "db">, now = new Date()) {
  const today = chinaToday(now);
  let flagged = 0;
  let notified = 0;
  const notifiedUsers = new Set<string>();
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.lockOverdueToNotify(trx, today, 100);
      for (const r of rows) {
        const users = await repo.partyUsers(
          trx,
          r.owner_department_id ? [r.owner_department_id] : [],
          r.owner_organisation_id ? [r.owner_organisation_id] : [],
        );
        for (const u of users) notifiedUsers.add(u);
        if (r.meeting_created_by) notifiedUsers.add(r.meeting_created_by);
        notified += await notifyUsers(trx, users, {
          kind: "meeting.action_item_overdue",
          title: `督办事项已超期：${r.title}`,
          body: `联席会议「${r.meeting_title}」议定，期限 ${r.due_on}`,
          link: "/meetings?tab=actions",
        });
        if (r.meeting_created_by)
          notified += await notifyUsers(trx, [r.meeting_created_by], {
            kind: "meeting.action_item_overdue",
            title: `督办事项已超期：${r.title}`,
            body: `期限 ${r.due_on}，尚未完成`,
            link: `/meetings/${r.meeting_id}`,
          });
        await repo.insertLog(trx, {
          meeting_id: r.meeting_id,
          action: "action_item_overdue",
          actor_user_id: null,
          actor_label: "系统",
          note: r.title,
          details: { actionItemId: r.id, dueOn: r.due_on },
        });
      }
      await repo.markOverdueNotified(
        trx,
        rows.map((r) => r.id),
        now,
      );
      return rows.length;
    });
    flagged += n;
    if (n < 100) return { flagged, notified, notifiedUsers: [...notifiedUsers] };
  }
}
