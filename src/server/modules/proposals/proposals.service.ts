/**
 * Deliberation (议事协商): residents, volunteers, enterprises and associations
 * propose community-safety measures at a place on the map; others support
 * them; once enough supporters from the proposal's community have joined, it
 * goes to the responsible department, which must answer (accept, in part,
 * reject — always with reasons) within a deadline on the working-time clock;
 * an accepted proposal carries milestones to completion. A coordinator may
 * build a proposal from recurring cases. Every step writes the proposal's
 * timeline, an audit row and its notifications in one transaction.
 */

import type { Kysely, Transaction } from "kysely";
import {
  type CreateProposalBody,
  DEFAULT_ANSWER_WORKING_DAYS,
  DEFAULT_SUPPORT_THRESHOLD,
  type FromCasesBody,
  type FromCasesDraft,
  PROPOSAL_ANSWER_NAMES,
  type ProposalActionBody,
  type ProposalContext,
  type ProposalDetail,
  type ProposalListQuery,
  type ProposalSettings,
  type ProposalSettingsBody,
  type ProposalSummary,
  type ProposalTimelineAction,
  type ProposalTopic,
  type ProposalTransition,
} from "../../../shared/schemas/proposals.js";
import { addWorkingDays } from "../../../shared/working-time.js";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import type { ProposalStatusValue } from "../../db/schema-proposals.js";
import { type AppError, conflict, forbidden, notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { caseAccess } from "../cases/cases.service.js";
import {
  departmentOfficers,
  departmentOfKindCovering,
} from "../departments/departments.service.js";
import type { EventBus } from "../events/event-bus.js";
import { type AreaLocator, findAreaByCode } from "../geo/areas.service.js";
import { photosForDetail } from "./proposal-photos.service.js";
import {
  allowedActions,
  checkAction,
  chinaDay,
  communityPathOf,
  coordinatorPaths,
  departmentIdsOf,
  departmentKindsFor,
  draftFromCases,
  dueStateOf,
  mayPropose,
  mayUseCases,
  milestoneLate,
  type ProposalFacts,
  proposerKindOf,
  proposerOrganisationOf,
  relationOf,
  staffAreaPaths,
  supportStanding,
  thresholdReached,
} from "./proposals.policy.js";
import * as repo from "./proposals.repository.js";

export interface ProposalsDeps {
  db: Kysely<DB>;
  config: Config;
  locator: AreaLocator;
  /** live updates for open pages (the bell) */
  events?: EventBus;
}

interface Ctx {
  requestId: string;
  now?: Date;
}

const SYSTEM_LABEL = "系统";
const NOT_FOUND = () => notFound("提案", "proposal");
const STALE = () =>
  conflict("提案已被他人更新，请刷新后重试 / the proposal changed meanwhile; reload and retry");

/** Who a step was by, as people read it. */
const personOf = (actor: Actor) => actor.displayName ?? actor.label;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function fieldError(path: string, message: string) {
  return validation(message, [{ path, message }]);
}

function publish(deps: ProposalsDeps, userIds: string[]) {
  if (userIds.length)
    deps.events?.publish({ type: "notifications", userIds: [...new Set(userIds)] });
}

/** A person signed in: API tokens neither read nor act on proposals. */
function personId(actor: Actor): string {
  if (actor.kind !== "user" || !actor.userId)
    throw forbidden("议事协商仅供登录用户使用 / deliberation is for signed-in people");
  return actor.userId;
}

// ----------------------------------------------------------------- settings

async function districtOrThrow(deps: Pick<ProposalsDeps, "db">) {
  const d = await repo.district(deps.db);
  if (!d) throw notFound("辖区", "district");
  return d;
}

/** The threshold and answer days in force for new proposals in the district. */
async function settingsOf(db: Kysely<DB> | Transaction<DB>, districtId: string) {
  const s = await repo.findSettings(db, districtId);
  return {
    supportThreshold: s?.support_threshold ?? DEFAULT_SUPPORT_THRESHOLD,
    answerWorkingDays: s?.answer_working_days ?? DEFAULT_ANSWER_WORKING_DAYS,
    version: s?.version ?? null,
    updatedAt: s ? iso(s.updated_at) : null,
  };
}

const mayEditSettings = (actor: Actor, districtPath: string) =>
  coordinatorPaths(actor).some((p) => p === districtPath);

export async function getSettings(deps: ProposalsDeps, actor: Actor): Promise<ProposalSettings> {
  personId(actor);
  const d = await districtOrThrow(deps);
  const s = await settingsOf(deps.db, d.id);
  return {
    district: { code: d.code, name: d.name },
    ...s,
    mayEdit: mayEditSettings(actor, d.path),
  };
}

/**
 * Changes the district's threshold and answer days (district coordinators and
 * admins). Proposals already made keep the values they were made with.
 */
export async function saveSettings(
  deps: ProposalsDeps,
  actor: Actor,
  body: ProposalSettingsBody,
  ctx: Ctx,
): Promise<ProposalSettings> {
  const d = await districtOrThrow(deps);
  if (!mayEditSettings(actor, d.path))
    throw forbidden(
      "只有区级协调员可以修改议事规则 / only district coordinators change these settings",
    );
  await deps.db.transaction().execute(async (trx) => {
    const saved = await repo.saveSettings(
      trx,
      {
        area_id: d.id,
        support_threshold: body.supportThreshold,
        answer_working_days: body.answerWorkingDays,
        updated_by: actor.userId,
      },
      body.version,
    );
    if (!saved)
      throw conflict(
        "设置已被他人修改，请刷新后重试 / the settings changed meanwhile; reload and retry",
      );
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: "proposal.settings",
        subjectType: "area",
        subjectId: d.id,
        details: {
          supportThreshold: body.supportThreshold,
          answerWorkingDays: body.answerWorkingDays,
        },
      },
    );
  });
  return getSettings(deps, actor);
}

// ------------------------------------------------------------------ context

/** The community whose proposals are the caller's own: where they live, else where they volunteer. */
async function homeCommunity(deps: Pick<ProposalsDeps, "db">, userId: string) {
  const places = await repo.supporterPlaces(deps.db, userId);
  const pick = places.residencePath
    ? { path: places.residencePath, basis: "resident" as const }
    : places.volunteerPath
      ? { path: places.volunteerPath, basis: "volunteer" as const }
      : null;
  if (!pick) return { places, community: null };
  const cPath = communityPathOf(pick.path);
  const area = cPath ? await repo.areaByPath(deps.db, cPath) : undefined;
  return {
    places,
    community: area ? { ...area, basis: pick.basis } : null,
  };
}

export async function proposalContext(deps: ProposalsDeps, actor: Actor): Promise<ProposalContext> {
  const userId = personId(actor);
  const [{ community }, volunteer, d] = await Promise.all([
    homeCommunity(deps, userId),
    repo.isVolunteer(deps.db, userId),
    districtOrThrow(deps),
  ]);
  const s = await settingsOf(deps.db, d.id);
  return {
    community: community
      ? {
          code: community.code,
          name: community.name,
          centroid:
            community.centroid_lat !== null && community.centroid_lng !== null
              ? { lat: community.centroid_lat, lng: community.centroid_lng }
              : null,
          boundary: (await repo.areaBoundary(deps.db, community.id)) ?? null,
          basis: community.basis,
        }
      : null,
    mayPropose: mayPropose(actor, volunteer),
    mayFromCases: mayUseCases(actor),
    departmentIds: departmentIdsOf(actor),
    supportThreshold: s.supportThreshold,
    answerWorkingDays: s.answerWorkingDays,
  };
}

// -------------------------------------------------------------------- reads

function summaryOf(p: repo.ProposalRow, now: Date): ProposalSummary {
  const due = p.answer_due_at ? new Date(p.answer_due_at) : null;
  return {
    id: p.id,
    title: p.title,
    topic: p.topic as ProposalTopic,
    status: p.status,
    answer: p.answer,
    lat: p.lat,
    lng: p.lng,
    address: p.address,
    grid: { code: p.grid_code, name: p.grid_name },
    community: { code: p.community_code, name: p.community_name },
    proposer: p.proposer_label,
    localSupportCount: p.local_support_count,
    supportCount: p.support_count,
    supportThreshold: p.support_threshold,
    department:
      p.department_id && p.department_name
        ? { id: p.department_id, name: p.department_name }
        : null,
    submittedAt: iso(p.submitted_at),
    answerDueAt: iso(p.answer_due_at),
    answeredAt: iso(p.answered_at),
    dueState: dueStateOf(p.status, due, now),
    distanceM: p.distance_m === null ? null : Math.round(Number(p.distance_m)),
    supportedByMe: Boolean(p.supported_by_me),
    fromCases: p.basis_case_codes.length > 0,
    createdAt: new Date(p.created_at).toISOString(),
    version: p.version,
  };
}

export async function listProposals(
  deps: ProposalsDeps,
  actor: Actor,
  query: ProposalListQuery,
  now = new Date(),
): Promise<{ items: ProposalSummary[]; total: number }> {
  const userId = personId(actor);
  const f: repo.ProposalFilter = {
    viewerId: userId,
    statuses: query.status,
    topic: query.topic,
    overdue: query.overdue,
    q: query.q,
    now,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
    near:
      query.lat !== undefined && query.lng !== undefined
        ? { lat: query.lat, lng: query.lng, radius: query.radius }
        : undefined,
  };
  if (query.areaCode) {
    // An unknown area matches nothing rather than everything.
    f.areaPath = (await findAreaByCode(deps, query.areaCode))?.path ?? "/none/";
  }
  if (query.mine || query.view === "mine") f.proposerId = userId;
  if (query.supported || query.view === "supported") f.supportedBy = userId;
  if (query.view === "community") {
    const { community } = await homeCommunity(deps, userId);
    f.communityPath = community?.path ?? null;
  }
  if (query.view === "area") f.areaPaths = staffAreaPaths(actor);
  if (query.view === "department") f.departmentIds = departmentIdsOf(actor);
  const r = await repo.listProposals(deps.db, f);
  return { items: r.items.map((p) => summaryOf(p, now)), total: r.total };
}

export async function getProposal(
  deps: ProposalsDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<ProposalDetail> {
  const userId = personId(actor);
  const p = await repo.findProposal(deps.db, id, userId);
  if (!p) throw NOT_FOUND();
  const [timeline, milestones, byBasis, cases, support, places] = await Promise.all([
    repo.timeline(deps.db, id),
    repo.milestones(deps.db, id),
    repo.supportsByBasis(deps.db, id),
    repo.linkedCases(deps.db, id),
    repo.findSupport(deps.db, id, userId),
    repo.supporterPlaces(deps.db, userId),
  ]);
  const rel = relationOf(actor, p, support !== undefined);
  const photoPart = await photosForDetail(deps.db, p, rel.proposer);
  const facts: ProposalFacts = {
    status: p.status,
    answer: p.answer,
    openMilestones: milestones.filter((m) => m.status === "open").length,
  };
  const standing = support
    ? { local: support.local, basis: support.basis, notCountedReason: null }
    : supportStanding(places, p.community_path);
  // A case behind the proposal opens for those who may see it.
  const visible = new Set<string>();
  for (const c of cases) if (await caseAccess(deps, actor, c.id)) visible.add(c.id);
  const byCode = new Map(cases.map((c) => [c.code, c.id]));
  return {
    ...summaryOf(p, now),
    body: p.body,
    proposerKind: p.proposer_kind,
    answerReason: p.answer_reason,
    answeredBy: p.answered_label,
    answerLate:
      p.answered_at !== null &&
      p.answer_due_at !== null &&
      new Date(p.answered_at).getTime() > new Date(p.answer_due_at).getTime(),
    withdrawnAt: iso(p.withdrawn_at),
    withdrawReason: p.withdraw_reason,
    doneAt: iso(p.done_at),
    answerWorkingDays: p.answer_working_days,
    basisCases: p.basis_case_codes.map((code) => {
      const cid = byCode.get(code);
      return { code, id: cid && visible.has(cid) ? cid : null };
    }),
    supporters: {
      local: p.local_support_count,
      other: p.support_count - p.local_support_count,
      byBasis: { resident: byBasis.resident, volunteer: byBasis.volunteer },
    },
    me: {
      proposer: rel.proposer,
      supported: support !== undefined,
      local: standing.local,
      basis: standing.basis,
      notCountedReason: standing.local ? null : standing.notCountedReason,
    },
    milestones: milestones.map((m) => ({
      id: m.id,
      title: m.title,
      dueOn: m.due_on,
      status: m.status,
      note: m.note,
      createdBy: m.created_label,
      completedAt: iso(m.completed_at),
      completedBy: m.completed_label,
      late: milestoneLate(m, now),
    })),
    ...photoPart,
    timeline: timeline.map((t) => ({
      id: t.id,
      action: t.action as ProposalTimelineAction,
      fromStatus: t.from_status,
      toStatus: t.to_status,
      actor: t.actor_label,
      note: t.note,
      createdAt: new Date(t.created_at).toISOString(),
    })),
    allowedActions: allowedActions(facts, rel),
  };
}

// ------------------------------------------------------------------- create

/** The grid and community of a place; outside the district: refused. */
async function placeOf(deps: ProposalsDeps, lat: number, lng: number, path = "body.lat") {
  const grid = await deps.locator.locate(lng, lat);
  if (!grid) throw fieldError(path, "该位置不在本区范围内 / the place lies outside the district");
  const cPath = communityPathOf(grid.path);
  const community = cPath ? await repo.areaByPath(deps.db, cPath) : undefined;
  if (!community) throw fieldError(path, "该位置不属于任何社区 / the place lies in no community");
  const districtPath = `/${grid.path.split("/").filter(Boolean)[0]}/`;
  const district = await repo.areaByPath(deps.db, districtPath);
  if (!district) throw notFound("辖区", "district");
  return { grid, community, district };
}

/** The unique indexes caught a duplicate the checks could not (two submits at once). */
function duplicateOf(err: unknown): AppError | null {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== "23505") return null;
  if (e.constraint === "proposal_supports_pkey")
    return conflict("您已附议过该提案 / you support this proposal already");
  return conflict(
    "您已发起过同名的提案，正在征集附议 / you have an open proposal with this title already",
    [{ path: "body.title", message: "同名提案正在征集附议 / already open" }],
  );
}

interface NewProposal {
  title: string;
  body: string;
  topic: ProposalTopic;
  lat: number;
  lng: number;
  address: string | null;
  caseIds: string[];
  caseCodes: string[];
}

async function insertNew(
  deps: ProposalsDeps,
  actor: Actor,
  n: NewProposal,
  kind: ReturnType<typeof proposerKindOf>,
  ctx: Ctx,
): Promise<string> {
  const userId = personId(actor);
  const place = await placeOf(deps, n.lat, n.lng);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const s = await settingsOf(trx, place.district.id);
      const id = await repo.insertProposal(trx, {
        title: n.title,
        body: n.body,
        topic: n.topic,
        lat: n.lat,
        lng: n.lng,
        address: n.address,
        area_id: place.grid.id,
        area_path: place.grid.path,
        community_id: place.community.id,
        community_path: place.community.path,
        proposer_user_id: userId,
        proposer_label: personOf(actor),
        proposer_kind: kind,
        proposer_organisation_id: kind === "staff" ? null : proposerOrganisationOf(actor),
        support_threshold: s.supportThreshold,
        answer_working_days: s.answerWorkingDays,
        basis_case_codes: n.caseCodes,
      });
      await repo.linkCases(trx, id, n.caseIds);
      await repo.insertAction(trx, {
        proposal_id: id,
        action: "create",
        from_status: null,
        to_status: "open",
        actor_user_id: userId,
        actor_label: personOf(actor),
        note: n.caseCodes.length
          ? `依据 ${n.caseCodes.length} 件事件发起：${n.caseCodes.join("、")}`
          : `在${place.community.name}发起，征集附议（本社区 ${s.supportThreshold} 人附议后送交部门）`,
        details: { threshold: s.supportThreshold, caseIds: n.caseIds },
      });
      await recordAudit(
        trx,
        { actor, requestId: ctx.requestId },
        {
          action: n.caseIds.length ? "proposal.from_cases" : "proposal.create",
          subjectType: "proposal",
          subjectId: id,
          details: { community: place.community.code, topic: n.topic, cases: n.caseCodes },
        },
      );
      return id;
    });
  } catch (err) {
    throw duplicateOf(err) ?? err;
  }
}

export async function createProposal(
  deps: ProposalsDeps,
  actor: Actor,
  body: CreateProposalBody,
  ctx: Ctx,
): Promise<ProposalDetail> {
  const userId = personId(actor);
  const volunteer = await repo.isVolunteer(deps.db, userId);
  if (!mayPropose(actor, volunteer))
    throw forbidden(
      "居民、志愿者、企业和协会可以发起提案 / residents, volunteers, enterprises and associations propose",
    );
  if (body.lat === undefined || body.lng === undefined)
    throw fieldError("body.lat", "请在地图上标出提案的位置 / a proposal needs a place on the map");
  const id = await insertNew(
    deps,
    actor,
    {
      title: body.title,
      body: body.body,
      topic: body.topic,
      lat: body.lat,
      lng: body.lng,
      address: body.address || null,
      caseIds: [],
      caseCodes: [],
    },
    proposerKindOf(actor, volunteer),
    ctx,
  );
  return getProposal(deps, actor, id);
}

/** The cases behind a proposal: each one the coordinator may see (else 404), all in one community. */
async function basisCases(deps: ProposalsDeps, actor: Actor, caseIds: string[]) {
  if (!mayUseCases(actor))
    throw forbidden(
      "只有综治中心协调员可以把事件转为提案 / only coordinators turn cases into proposals",
    );
  const ids = [...new Set(caseIds)];
  const rows = await repo.casesByIds(deps.db, ids);
  for (const id of ids) {
    const access = rows.some((r) => r.id === id) ? await caseAccess(deps, actor, id) : null;
    if (!access?.staff) throw notFound("事件", "case");
  }
  const communities = new Set(rows.map((r) => communityPathOf(r.area_path)));
  if (communities.size > 1)
    throw fieldError(
      "body.caseIds",
      "所选事件不在同一社区，请选择同一地点反复发生的事件 / the cases lie in more than one community",
    );
  return rows;
}

/** A place for a cluster of cases: their middle, or the first case's place if the middle falls elsewhere. */
async function clusterPlace(deps: ProposalsDeps, rows: Awaited<ReturnType<typeof basisCases>>) {
  const first = rows[0];
  if (!first) throw fieldError("body.caseIds", "请至少选择一件事件 / choose at least one case");
  const lat = rows.reduce((s, r) => s + r.lat, 0) / rows.length;
  const lng = rows.reduce((s, r) => s + r.lng, 0) / rows.length;
  const grid = await deps.locator.locate(lng, lat);
  if (grid && communityPathOf(grid.path) === communityPathOf(first.area_path)) return { lat, lng };
  return { lat: first.lat, lng: first.lng };
}

export async function fromCasesDraft(
  deps: ProposalsDeps,
  actor: Actor,
  caseIds: string[],
): Promise<FromCasesDraft> {
  personId(actor);
  const rows = await basisCases(deps, actor, caseIds);
  const place = await clusterPlace(deps, rows);
  const cPath = communityPathOf(rows[0]?.area_path ?? "") ?? "";
  const community = await repo.areaByPath(deps.db, cPath);
  if (!community) throw notFound("社区", "community");
  const cases = rows.map((r) => ({
    id: r.id,
    code: r.code,
    categoryName: r.category_name,
    status: r.status,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    createdAt: new Date(r.created_at).toISOString(),
  }));
  const draft = draftFromCases(cases, community.name);
  return {
    cases,
    ...draft,
    ...place,
    address: rows.find((r) => r.address)?.address ?? null,
    community: { code: community.code, name: community.name },
  };
}

export async function createFromCases(
  deps: ProposalsDeps,
  actor: Actor,
  body: FromCasesBody,
  ctx: Ctx,
): Promise<ProposalDetail> {
  const rows = await basisCases(deps, actor, body.caseIds);
  const place =
    body.lat !== undefined && body.lng !== undefined
      ? { lat: body.lat, lng: body.lng }
      : await clusterPlace(deps, rows);
  const id = await insertNew(
    deps,
    actor,
    {
      title: body.title,
      body: body.body,
      topic: body.topic,
      ...place,
      address: body.address || rows.find((r) => r.address)?.address || null,
      caseIds: rows.map((r) => r.id),
      caseCodes: rows.map((r) => r.code),
    },
    "staff",
    ctx,
  );
  return getProposal(deps, actor, id);
}

// --------------------------------------------------------------- submitting

/** The department that answers a topic at a place (its kind, else the street office, else the centre). */
async function responsibleDepartment(
  db: Kysely<DB> | Transaction<DB>,
  topic: ProposalTopic,
  areaPath: string,
) {
  for (const kind of departmentKindsFor(topic)) {
    const d = await departmentOfKindCovering(db, kind, areaPath);
    if (d) return d;
  }
  return undefined;
}

/**
 * Sends a locked open proposal to its department with an answer deadline,
 * in the caller's transaction: the change, its timeline step and the
 * notifications of the department's officers and the proposer.
 */
async function submitLocked(
  deps: ProposalsDeps,
  trx: Transaction<DB>,
  p: repo.LockedProposal,
  by: { userId: string | null; label: string },
  why: string,
  now: Date,
): Promise<string[]> {
  const dept = await responsibleDepartment(trx, p.topic as ProposalTopic, p.area_path);
  if (!dept)
    throw conflict("找不到负责答复的部门，请联系综治中心 / no department covers this place");
  const due = addWorkingDays(now, p.answer_working_days, deps.config.workCalendar);
  if (
    !(await repo.updateProposal(trx, p.id, p.version, {
      status: "submitted",
      department_id: dept.id,
      submitted_at: now,
      answer_due_at: due,
    }))
  )
    throw STALE();
  await repo.insertAction(trx, {
    proposal_id: p.id,
    action: "submit",
    from_status: "open",
    to_status: "submitted",
    actor_user_id: by.userId,
    actor_label: by.label,
    note: `${why}，送交${dept.name}，请于 ${chinaDay(due)} 前答复（${p.answer_working_days} 个工作日）`,
    details: { departmentId: dept.id, answerDueAt: due.toISOString() },
  });
  const officers = await departmentOfficers(trx, [dept.id]);
  const rows = [
    ...officers.map((u) => ({
      user_id: u,
      kind: "proposal.submitted",
      title: `议事提案待答复：${p.title}`,
      body: `请于 ${chinaDay(due)} 前答复（提案 #${p.id}）`,
    })),
    {
      user_id: p.proposer_user_id,
      kind: "proposal.submitted",
      title: `您的提案已送交${dept.name}`,
      body: p.title,
    },
  ];
  await repo.insertNotifications(trx, rows, p.id);
  return rows.map((r) => r.user_id);
}

// ------------------------------------------------------------------ support

/**
 * Supports a proposal, once per person (a second time: 409, also when two
 * arrive at once — the primary key). The support counts towards the
 * threshold when the supporter lives in or volunteers for the proposal's
 * community; the one that reaches the threshold sends it to the department.
 */
export async function support(
  deps: ProposalsDeps,
  actor: Actor,
  id: string,
  comment: string | undefined,
  ctx: Ctx,
): Promise<ProposalDetail> {
  const userId = personId(actor);
  const now = ctx.now ?? new Date();
  const places = await repo.supporterPlaces(deps.db, userId);
  let notified: string[] = [];
  try {
    await deps.db.transaction().execute(async (trx) => {
      const p = await repo.lockProposal(trx, id);
      if (!p) throw NOT_FOUND();
      const already = await repo.findSupport(trx, id, userId);
      const rel = relationOf(actor, p, already !== undefined);
      const check = checkAction(
        "support",
        { status: p.status, answer: p.answer, openMilestones: 0 },
        rel,
      );
      if (!check.ok && check.reason === "forbidden")
        throw forbidden("发起人不能附议自己的提案 / you cannot support your own proposal");
      if (!check.ok)
        throw already
          ? conflict("您已附议过该提案 / you support this proposal already")
          : conflict(
              `提案当前状态（${p.status}）不能附议 / a ${p.status} proposal takes no more support`,
              { status: p.status, allowed: check.allowed },
            );
      const standing = supportStanding(places, p.community_path);
      await repo.insertSupport(trx, {
        proposal_id: id,
        user_id: userId,
        local: standing.local,
        basis: standing.basis,
        comment: comment || null,
      });
      const counts = await repo.countSupport(trx, id, standing.local, 1);
      if (standing.local && thresholdReached(counts.local_support_count, p.support_threshold))
        notified = await submitLocked(
          deps,
          trx,
          p,
          { userId: null, label: SYSTEM_LABEL },
          `本社区附议达到 ${counts.local_support_count}/${p.support_threshold} 人`,
          now,
        );
      await recordAudit(
        trx,
        { actor, requestId: ctx.requestId },
        {
          action: "proposal.support",
          subjectType: "proposal",
          subjectId: id,
          details: { local: standing.local, basis: standing.basis, submitted: notified.length > 0 },
        },
      );
    });
  } catch (err) {
    throw duplicateOf(err) ?? err;
  }
  publish(deps, notified);
  return getProposal(deps, actor, id, now);
}

/** Takes one's support back, while the proposal still collects support. */
export async function unsupport(
  deps: ProposalsDeps,
  actor: Actor,
  id: string,
  ctx: Ctx,
): Promise<ProposalDetail> {
  const userId = personId(actor);
  await deps.db.transaction().execute(async (trx) => {
    const p = await repo.lockProposal(trx, id);
    if (!p) throw NOT_FOUND();
    const had = await repo.findSupport(trx, id, userId);
    if (!had) throw conflict("您尚未附议该提案 / you do not support this proposal");
    const rel = relationOf(actor, p, true);
    const check = checkAction(
      "unsupport",
      { status: p.status, answer: p.answer, openMilestones: 0 },
      rel,
    );
    if (!check.ok)
      throw conflict(
        "提案已送交部门，附议不能撤回 / support cannot be taken back after submission",
        { status: p.status, allowed: check.reason === "state" ? check.allowed : [] },
      );
    const gone = await repo.deleteSupport(trx, id, userId);
    if (gone) await repo.countSupport(trx, id, gone.local, -1);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      { action: "proposal.unsupport", subjectType: "proposal", subjectId: id, details: {} },
    );
  });
  return getProposal(deps, actor, id);
}

// ------------------------------------------------------------------ actions

const TIMELINE_OF: Record<ProposalTransition, ProposalTimelineAction> = {
  withdraw: "withdraw",
  submit: "submit",
  reassign: "reassign",
  answer: "answer",
  "add-milestone": "add_milestone",
  "complete-milestone": "complete_milestone",
};

/**
 * One step of a proposal, guarded by its state machine: 403 for those with
 * no part in the action, 409 (with the allowed actions) from a state that
 * does not allow it or when someone acted first (version).
 */
export async function act(
  deps: ProposalsDeps,
  actor: Actor,
  id: string,
  action: ProposalTransition,
  body: ProposalActionBody,
  ctx: Ctx,
): Promise<ProposalDetail> {
  const userId = personId(actor);
  const now = ctx.now ?? new Date();
  const label = personOf(actor);
  let notified: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const p = await repo.lockProposal(trx, id);
    if (!p) throw NOT_FOUND();
    const supported = (await repo.findSupport(trx, id, userId)) !== undefined;
    const rel = relationOf(actor, p, supported);
    const facts: ProposalFacts = {
      status: p.status,
      answer: p.answer,
      openMilestones: await repo.openMilestoneCount(trx, id),
    };
    const check = checkAction(action, facts, rel);
    if (!check.ok && check.reason === "forbidden")
      throw forbidden(
        action === "answer" || action === "add-milestone" || action === "complete-milestone"
          ? "只有负责答复的部门可以执行此操作 / only the responsible department may do this"
          : "您不能对此提案执行该操作 / you may not take this step",
      );
    if (!check.ok)
      throw conflict(
        `当前状态（${p.status}）不能执行 ${action}；可执行：${check.allowed.join("、") || "无"} / ${action} is not allowed from ${p.status}`,
        { status: p.status, allowed: check.allowed },
      );
    if (body.version !== p.version) throw conflict(STALE().message, { currentVersion: p.version });
    const note = body.note?.trim() || null;
    let set: Parameters<typeof repo.updateProposal>[3] = {};
    let to: ProposalStatusValue | null = null;
    let text: string | null = note;
    const details: Record<string, unknown> = {};
    const notify: { user_id: string; kind: string; title: string; body: string | null }[] = [];
    switch (action) {
      case "withdraw":
        set = { status: "withdrawn", withdrawn_at: now, withdraw_reason: note };
        to = "withdrawn";
        break;
      case "submit": {
        notified = await submitLocked(
          deps,
          trx,
          p,
          { userId, label },
          `综治中心提前送交${note ? `（${note}）` : ""}`,
          now,
        );
        await recordAudit(
          trx,
          { actor, requestId: ctx.requestId },
          { action: "proposal.submit", subjectType: "proposal", subjectId: id, details: {} },
        );
        return;
      }
      case "reassign": {
        if (!body.departmentId)
          throw fieldError("body.departmentId", "请选择改由哪个部门答复 / choose the department");
        if (body.departmentId === p.department_id)
          throw fieldError("body.departmentId", "已是该部门负责 / that department has it already");
        const dept = await repo.findDepartment(trx, body.departmentId);
        if (!dept) throw fieldError("body.departmentId", "部门不存在 / no such department");
        // The deadline stays: the proposer has waited already. A new department
        // is warned again if it is passed.
        set = { department_id: dept.id, answer_overdue_at: null };
        to = "submitted";
        text = `改由${dept.name}答复${note ? `：${note}` : ""}`;
        details.departmentId = dept.id;
        for (const u of await departmentOfficers(trx, [dept.id]))
          notify.push({
            user_id: u,
            kind: "proposal.submitted",
            title: `议事提案待答复：${p.title}`,
            body: `请于 ${p.answer_due_at ? chinaDay(new Date(p.answer_due_at)) : ""} 前答复（提案 #${p.id}）`,
          });
        break;
      }
      case "answer": {
        if (!body.answer)
          throw fieldError("body.answer", "请选择答复结果 / choose accept, in part or reject");
        const reason = body.reason?.trim();
        if (!reason || reason.length < 5)
          throw fieldError(
            "body.reason",
            "请写明答复理由（至少 5 个字）/ give the reasons (at least 5 characters)",
          );
        const late =
          p.answer_due_at !== null && now.getTime() > new Date(p.answer_due_at).getTime();
        set = {
          status: "answered",
          answer: body.answer,
          answer_reason: reason,
          answered_at: now,
          answered_by: userId,
          answered_label: label,
        };
        to = "answered";
        text = `${PROPOSAL_ANSWER_NAMES[body.answer]}：${reason}`;
        Object.assign(details, { answer: body.answer, late });
        for (const u of await supportersAndProposer(trx, p))
          notify.push({
            user_id: u,
            kind: "proposal.answered",
            title: `提案已答复（${PROPOSAL_ANSWER_NAMES[body.answer]}）：${p.title}`,
            body: reason.slice(0, 120),
          });
        break;
      }
      case "add-milestone": {
        const title = body.title?.trim();
        if (!title || title.length < 2)
          throw fieldError("body.title", "请填写里程碑名称 / give the milestone a title");
        if (!body.dueOn) throw fieldError("body.dueOn", "请选择计划完成日期 / choose the due date");
        if (body.dueOn < chinaDay(now))
          throw fieldError(
            "body.dueOn",
            "计划日期不能早于今天 / the due date cannot be in the past",
          );
        const m = await repo.insertMilestone(trx, {
          proposal_id: id,
          title,
          due_on: body.dueOn,
          created_by: userId,
          created_label: label,
        });
        set = p.status === "answered" ? { status: "in_progress" } : {};
        to = "in_progress";
        text = `${title}（计划 ${body.dueOn} 完成）`;
        Object.assign(details, { milestoneId: m.id, dueOn: body.dueOn });
        break;
      }
      case "complete-milestone": {
        if (!body.milestoneId)
          throw fieldError("body.milestoneId", "请选择要完成的里程碑 / choose the milestone");
        if (!note) throw fieldError("body.note", "请说明完成情况 / describe what was done");
        const done = await repo.completeMilestone(trx, body.milestoneId, id, {
          note,
          completed_at: now,
          completed_by: userId,
          completed_label: label,
        });
        if (!done) throw notFound("未完成的里程碑", "open milestone");
        const left = facts.openMilestones - 1;
        text = `完成「${done.title}」：${note}${left === 0 ? "；全部里程碑已完成，提案已落实" : ""}`;
        details.milestoneId = done.id;
        if (left === 0) {
          set = { status: "done", done_at: now };
          to = "done";
          for (const u of await supportersAndProposer(trx, p))
            notify.push({
              user_id: u,
              kind: "proposal.done",
              title: `提案已落实：${p.title}`,
              body: null,
            });
        } else to = "in_progress";
        break;
      }
    }
    if (!(await repo.updateProposal(trx, id, p.version, set)))
      throw conflict(STALE().message, { currentVersion: p.version });
    await repo.insertAction(trx, {
      proposal_id: id,
      action: TIMELINE_OF[action],
      from_status: p.status,
      to_status: to,
      actor_user_id: userId,
      actor_label: label,
      note: text,
      details,
    });
    await repo.insertNotifications(trx, notify, id);
    notified = notify.map((n) => n.user_id);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId },
      {
        action: `proposal.${TIMELINE_OF[action]}`,
        subjectType: "proposal",
        subjectId: id,
        details: { from: p.status, to: to ?? p.status, ...details },
      },
    );
  });
  publish(deps, notified);
  return getProposal(deps, actor, id, now);
}

/** Everyone told of an answer or of completion: the proposer and the supporters. */
async function supportersAndProposer(trx: Transaction<DB>, p: repo.LockedProposal) {
  const rows = await trx
    .selectFrom("proposal_supports")
    .select("user_id")
    .where("proposal_id", "=", p.id)
    .execute();
  return [...new Set([p.proposer_user_id, ...rows.map((r) => r.user_id)])];
}

// --------------------------------------------------------------------- jobs

const BATCH = 200;

/**
 * Flags submitted proposals whose answer is overdue, once each: a step on
 * the timeline and notifications to the department's officers and the
 * coordinators of the place. Locked rows (another server) are skipped; a
 * flagged proposal is never flagged again, so the job may run any number of
 * times.
 */
export async function runOverdueAnswers(
  deps: { db: Kysely<DB> },
  now = new Date(),
): Promise<{ flagged: number; notified: number }> {
  const done = { flagged: 0, notified: 0 };
  let afterId = "0";
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.lockOverdueAnswers(trx, now, afterId, BATCH);
      for (const p of rows) {
        afterId = p.id;
        if (!(await repo.flagOverdue(trx, p.id, now))) continue;
        const due = p.answer_due_at ? new Date(p.answer_due_at) : now;
        await repo.insertAction(trx, {
          proposal_id: p.id,
          action: "overdue",
          from_status: p.status,
          to_status: null,
          actor_user_id: null,
          actor_label: "系统（期限监控）",
          note: `${p.department_name ?? "部门"}未在 ${chinaDay(due)} 前答复，已提醒并报综治中心`,
          details: { answerDueAt: due.toISOString() },
        });
        const users = [
          ...(p.department_id ? await departmentOfficers(trx, [p.department_id]) : []),
          ...(await repo.coordinatorsCovering(trx, p.area_path)),
        ];
        await repo.insertNotifications(
          trx,
          [...new Set(users)].map((u) => ({
            user_id: u,
            kind: "proposal.overdue",
            title: `议事提案答复已超期：${p.title}`,
            body: `${p.department_name ?? ""} 应于 ${chinaDay(due)} 前答复（提案 #${p.id}）`,
          })),
          p.id,
        );
        done.flagged++;
        done.notified += new Set(users).size;
      }
      return rows.length;
    });
    if (n < BATCH) break;
  }
  return done;
}
