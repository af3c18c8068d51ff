/**
 * Volunteers (志愿者): a resident's profile (skills, languages and dialects,
 * availability, preferred communities), teams with leaders, training records,
 * and hometown mediation (以新调新): finding volunteers whose origin or
 * dialect matches a dispute's parties and bringing one into the case.
 * Shifts, check-ins and hours are in shifts.service.ts.
 */
import type { Kysely } from "kysely";
import type { z } from "zod";
import {
  type createTeamBody,
  type createTrainingBody,
  type inviteMediatorBody,
  type MyMediation,
  type MyVolunteer,
  PROVINCE_DIALECTS,
  type Team,
  type TeamDetail,
  type teamListQuery,
  type updateVolunteerBody,
  type Volunteer,
  type VolunteerDetail,
  type VolunteerSignUpBody,
  type VolunteerSkill,
  type volunteerListQuery,
} from "../../../shared/schemas/volunteers.js";
import type { DB } from "../../db/schema.js";
import type { AvailabilitySlot, TeamRoleValue } from "../../db/schema-volunteers.js";
import { conflict, fieldError, forbidden, notFound } from "../../errors.js";
import { type Actor, pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import {
  caseForVolunteering,
  joinCaseAsVolunteerMediator,
  recordMediationStep,
} from "../cases/cases.service.js";
import type { EventBus } from "../events/event-bus.js";
import { findAreaByCode } from "../geo/areas.service.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import {
  canCreateTeam,
  canManageTeam,
  organisationIdsOf,
  volunteerStaffPaths,
} from "./volunteers.policy.js";
import * as repo from "./volunteers.repository.js";

export interface VolunteersDeps {
  db: Kysely<DB>;
  events?: EventBus;
}

/** What the caller may see of volunteers, as data for SQL. */
export async function volunteerScopeOf(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
): Promise<repo.VolunteerScope> {
  const organisationIds = organisationIdsOf(actor);
  return {
    staffPaths: volunteerStaffPaths(actor),
    organisationIds,
    organisationProvinces: await repo.provincesOfOrganisations(deps.db, organisationIds),
    userId: actor.kind === "user" ? actor.userId : null,
  };
}

function teamScopeOf(actor: Actor): repo.TeamScope {
  return {
    staffPaths: volunteerStaffPaths(actor),
    organisationIds: organisationIdsOf(actor),
    userId: actor.kind === "user" ? actor.userId : null,
  };
}

type Membership = Awaited<ReturnType<typeof repo.teamsOfVolunteers>>[number];

async function presentMany(
  deps: Pick<VolunteersDeps, "db">,
  rows: repo.VolunteerRow[],
): Promise<Volunteer[]> {
  const memberships = await repo.teamsOfVolunteers(
    deps.db,
    rows.map((r) => r.id),
  );
  const areaIds = [...new Set(rows.flatMap((r) => r.preferred_area_ids))];
  const areas = new Map((await repo.areasByIds(deps.db, areaIds)).map((a) => [a.id, a]));
  const byVolunteer = new Map<string, Membership[]>();
  for (const m of memberships)
    byVolunteer.set(m.volunteer_id, [...(byVolunteer.get(m.volunteer_id) ?? []), m]);
  return rows.map((v) => ({
    id: v.id,
    userId: v.user_id,
    name: v.name,
    status: v.status,
    skills: v.skills as VolunteerSkill[],
    languages: v.languages,
    dialects: v.dialects,
    originProvince: v.origin_province,
    availability: v.availability,
    preferredAreas: v.preferred_area_ids.flatMap((id) => {
      const a = areas.get(id);
      return a ? [{ code: a.code, name: a.name }] : [];
    }),
    bio: v.bio,
    teams: (byVolunteer.get(v.id) ?? []).map((m) => ({ id: m.id, name: m.name, role: m.role })),
    verifiedMinutes: v.verified_minutes,
    createdAt: new Date(v.created_at).toISOString(),
    version: v.version,
  }));
}

/** May the actor record training for this volunteer (staff over them, their org, their leader)? */
async function mayRecordTraining(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  v: repo.VolunteerRow,
): Promise<boolean> {
  if (actor.userId === v.user_id) return false;
  const staff = volunteerStaffPaths(actor);
  if (v.area_path && staff.some((p) => pathWithin(v.area_path as string, p))) return true;
  const teams = await repo.teamsWithFactsOf(deps.db, v.id);
  const orgs = organisationIdsOf(actor);
  if (
    teams.some(
      (t) =>
        staff.some((p) => pathWithin(t.area_path, p)) ||
        (t.organisation_id !== null && orgs.includes(t.organisation_id)),
    )
  )
    return true;
  if (actor.userId === null) return false;
  const led = new Set((await repo.teamsLedBy(deps.db, actor.userId)).map((t) => t.id));
  return teams.some((t) => led.has(t.id));
}

async function presentDetail(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  row: repo.VolunteerRow,
  now = new Date(),
): Promise<VolunteerDetail> {
  const [base] = await presentMany(deps, [row]);
  const training = await repo.trainingOf(deps.db, row.id);
  const stats = await repo.volunteerStats(deps.db, row.id);
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const actions: VolunteerDetail["allowedActions"] = [];
  if (actor.userId === row.user_id) actions.push("edit");
  if (await mayRecordTraining(deps, actor, row)) actions.push("add_training");
  return {
    ...(base as Volunteer),
    training: training.map((t) => ({
      id: t.id,
      title: t.title,
      issuer: t.issuer,
      issuedOn: t.issued_on,
      validUntil: t.valid_until,
      certificateNo: t.certificate_no,
      expired: t.valid_until !== null && t.valid_until < today,
      recordedBy: t.recorded_by,
    })),
    stats: {
      signedUp: stats.signed_up,
      attended: stats.attended,
      pendingMinutes: stats.pending_minutes,
      observations: stats.observations,
    },
    allowedActions: actions,
  };
}

/** The preferred communities, checked: every code a community, in the given order. */
async function communitiesOf(deps: Pick<VolunteersDeps, "db">, codes: string[]) {
  const rows = await repo.areasByCodes(deps.db, codes);
  const byCode = new Map(rows.map((a) => [a.code, a]));
  return codes.map((code, i) => {
    const a = byCode.get(code);
    if (a?.level !== "community")
      throw fieldError(
        `body.preferredAreaCodes.${i}`,
        `${code} 不是社区，请选择社区 / ${code} is not a community`,
      );
    return a;
  });
}

// -------------------------------------------------------------- profiles

/** The communities a volunteer may prefer (any signed-in person may read their names). */
export async function listCommunities(deps: Pick<VolunteersDeps, "db">) {
  const rows = await repo.communities(deps.db);
  return { items: rows, total: rows.length };
}

/** GET /api/volunteers/me */
export async function getMine(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
): Promise<MyVolunteer> {
  const userId = actor.userId as string;
  const row = await repo.findVolunteerByUser(deps.db, userId);
  const resident = await repo.residentOfUser(deps.db, userId);
  const community = resident?.area_path
    ? await repo.communityOnPath(deps.db, resident.area_path)
    : undefined;
  const origin = resident?.origin_province ?? null;
  return {
    volunteer: row ? await presentDetail(deps, actor, row) : null,
    suggestions: {
      originProvince: origin,
      dialects: origin ? [...(PROVINCE_DIALECTS[origin] ?? [])] : [],
      community: community ? { code: community.code, name: community.name } : null,
    },
    leads: (await repo.teamsLedBy(deps.db, userId)).map((t) => ({ id: t.id, name: t.name })),
  };
}

/** POST /api/volunteers: a resident signs up; a second time is a conflict. */
export async function signUp(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  body: VolunteerSignUpBody,
  requestId: string,
): Promise<VolunteerDetail> {
  const userId = actor.userId as string;
  const communities = await communitiesOf(deps, body.preferredAreaCodes);
  const first = communities[0] as (typeof communities)[number];
  const id = await deps.db.transaction().execute(async (trx) => {
    const resident = await repo.residentOfUser(trx, userId);
    const inserted = await repo.insertVolunteer(trx, {
      user_id: userId,
      resident_id: resident?.id ?? null,
      area_id: first.id,
      area_path: first.path,
      preferred_area_ids: communities.map((c) => c.id),
      skills: body.skills,
      languages: body.languages,
      dialects: body.dialects,
      origin_province: body.originProvince ?? resident?.origin_province ?? null,
      availability: body.availability as AvailabilitySlot[],
      bio: body.bio ?? null,
    });
    if (!inserted) throw conflict("您已经是志愿者了 / you are a volunteer already");
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "volunteer.signed_up",
        subjectType: "volunteer",
        subjectId: inserted.id,
        details: { community: first.code, skills: body.skills },
      },
    );
    return inserted.id;
  });
  const row = await repo.findVolunteer(deps.db, id);
  return presentDetail(deps, actor, row as repo.VolunteerRow);
}

/** PATCH /api/volunteers/me: the volunteer edits their own profile (stale version → 409). */
export async function updateMine(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  body: z.infer<typeof updateVolunteerBody>,
  requestId: string,
): Promise<VolunteerDetail> {
  const userId = actor.userId as string;
  const mine = await repo.findVolunteerByUser(deps.db, userId);
  if (!mine) throw notFound("志愿者档案", "volunteer profile");
  const communities = body.preferredAreaCodes
    ? await communitiesOf(deps, body.preferredAreaCodes)
    : null;
  await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateVolunteer(trx, mine.id, body.version, {
      ...(body.skills ? { skills: body.skills } : {}),
      ...(body.languages ? { languages: body.languages } : {}),
      ...(body.dialects ? { dialects: body.dialects } : {}),
      ...(body.originProvince !== undefined ? { origin_province: body.originProvince } : {}),
      ...(body.availability ? { availability: body.availability as AvailabilitySlot[] } : {}),
      ...(body.bio !== undefined ? { bio: body.bio } : {}),
      ...(body.status ? { status: body.status } : {}),
      ...(communities
        ? {
            area_id: (communities[0] as (typeof communities)[number]).id,
            area_path: (communities[0] as (typeof communities)[number]).path,
            preferred_area_ids: communities.map((c) => c.id),
          }
        : {}),
    });
    if (!updated)
      throw conflict("档案已在别处修改，请刷新后重试 / the profile changed meanwhile; reload", {
        currentVersion: mine.version,
      });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "volunteer.updated",
        subjectType: "volunteer",
        subjectId: mine.id,
        details: { fields: Object.keys(body).filter((k) => k !== "version") },
      },
    );
  });
  return presentDetail(
    deps,
    actor,
    (await repo.findVolunteer(deps.db, mine.id)) as repo.VolunteerRow,
  );
}

export async function listVolunteers(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  f: z.infer<typeof volunteerListQuery>,
) {
  const areaPath = f.areaCode
    ? ((await findAreaByCode(deps, f.areaCode))?.path ?? "/none/")
    : undefined;
  const { items, total } = await repo.listVolunteers(deps.db, {
    ...f,
    areaPath,
    scope: await volunteerScopeOf(deps, actor),
  });
  return { items: await presentMany(deps, items), total };
}

/** One volunteer: themself, staff over them, their organisation's or team leader; else 404. */
export async function getVolunteer(deps: Pick<VolunteersDeps, "db">, actor: Actor, id: string) {
  if (!(await repo.isVisible(deps.db, id, await volunteerScopeOf(deps, actor))))
    throw notFound("志愿者", "volunteer");
  const row = await repo.findVolunteer(deps.db, id);
  if (!row) throw notFound("志愿者", "volunteer");
  return presentDetail(deps, actor, row);
}

/** POST /api/volunteers/:id/training: a leader or staff records a course or certificate. */
export async function addTraining(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  id: string,
  body: z.infer<typeof createTrainingBody>,
  requestId: string,
) {
  if (!(await repo.isVisible(deps.db, id, await volunteerScopeOf(deps, actor))))
    throw notFound("志愿者", "volunteer");
  const row = await repo.findVolunteer(deps.db, id);
  if (!row) throw notFound("志愿者", "volunteer");
  if (!(await mayRecordTraining(deps, actor, row)))
    throw forbidden(
      actor.userId === row.user_id
        ? "培训记录须由队长或工作人员登记 / a leader or staff records training, not oneself"
        : undefined,
    );
  await deps.db.transaction().execute(async (trx) => {
    const t = await repo.insertTraining(trx, {
      volunteer_id: id,
      title: body.title,
      issuer: body.issuer,
      issued_on: body.issuedOn,
      valid_until: body.validUntil ?? null,
      certificate_no: body.certificateNo ?? null,
      recorded_by: actor.userId as string,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "volunteer.training_recorded",
        subjectType: "volunteer",
        subjectId: id,
        details: { trainingId: t.id, title: body.title },
      },
    );
  });
  return presentDetail(deps, actor, row);
}

/** The cases the caller was invited to mediate. */
/**
 * GET /api/volunteers/me/mediations: my invitations to mediate (pending ones
 * first) and the cases I mediate. A pending invitation shows the category,
 * the community, the task and a short excerpt: enough to decide.
 */
export async function myMediations(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
): Promise<{ items: MyMediation[]; total: number }> {
  const userId = actor.userId as string;
  const [invited, legacy] = await Promise.all([
    repo.invitationsOf(deps.db, userId),
    repo.legacyMediationsOf(deps.db, userId),
  ]);
  const items: MyMediation[] = [
    ...invited.map((r) => ({
      invitationId: r.id,
      invitation: r.status,
      caseId: r.case_id,
      code: r.code,
      status: r.case_status,
      categoryName: r.category_name,
      community: r.community,
      excerpt: r.status === "declined" ? null : r.description.slice(0, 120),
      task: r.task,
      taskStatus: r.task_status ?? null,
      invitedBy: r.invited_by_name,
      invitedAt: new Date(r.created_at).toISOString(),
      respondedAt: r.responded_at ? new Date(r.responded_at).toISOString() : null,
      reason: r.reason,
    })),
    ...legacy.map((r) => ({
      invitationId: null,
      invitation: "accepted" as const,
      caseId: r.id,
      code: r.code,
      status: r.status,
      categoryName: r.category_name,
      community: r.community,
      excerpt: null,
      task: r.task,
      taskStatus: r.task_status,
      invitedBy: null,
      invitedAt: new Date(r.created_at).toISOString(),
      respondedAt: null,
      reason: null,
    })),
  ];
  return { items, total: items.length };
}

/**
 * POST /api/volunteers/me/mediations/:id/accept and …/decline: the invited
 * volunteer answers. Accepting brings them into the case as its mediator (a
 * party with the task; the case opens to them); declining keeps them out,
 * with their reason for whoever invited them. Either is answered once (409
 * after); an invitation that is not theirs is 404. Whoever invited them is
 * notified, and both are steps on the case's timeline.
 */
export async function answerMediation(
  deps: VolunteersDeps,
  actor: Actor,
  invitationId: string,
  answer: { accept: true } | { accept: false; reason: string },
  requestId: string,
  now = new Date(),
): Promise<MyMediation> {
  const userId = actor.userId as string;
  const out = await deps.db.transaction().execute(async (trx) => {
    const inv = await repo.lockInvitation(trx, invitationId, userId);
    if (!inv) throw notFound("调解邀请", "invitation");
    if (inv.status !== "pending")
      throw conflict(
        inv.status === "accepted"
          ? "您已接受这份调解邀请 / you accepted this invitation already"
          : "您已婉拒这份调解邀请 / you declined this invitation already",
        { status: inv.status },
      );
    const v = await repo.findVolunteer(trx, inv.volunteer_id);
    const name = v?.name ?? actor.displayName ?? actor.label;
    let version: number;
    if (answer.accept) {
      if (v?.status !== "active")
        throw conflict("您的志愿服务已暂停或退出，不能接受调解 / your volunteering is not active");
      const joined = await joinCaseAsVolunteerMediator(trx, {
        caseId: inv.case_id,
        userId,
        volunteerName: name,
        task: inv.task,
      });
      if (joined === "already") throw conflict("您已在调解此事件 / you already mediate this case");
      version = joined.version;
      await repo.answerInvitation(trx, inv.id, {
        status: "accepted",
        party_id: joined.partyId,
        at: now,
      });
    } else {
      ({ version } = await recordMediationStep(trx, {
        caseId: inv.case_id,
        action: "mediator_decline",
        note: `志愿者 ${name} 婉拒了调解邀请：${answer.reason}`,
        details: { mediatorUserId: userId, reason: answer.reason },
        // The reason is the volunteer's own affair: staff see it, the parties do not.
        visibility: "internal",
        actorUserId: userId,
        actorLabel: name,
      }));
      await repo.answerInvitation(trx, inv.id, {
        status: "declined",
        reason: answer.reason,
        at: now,
      });
    }
    if (inv.invited_by)
      await notifyUsers(trx, [inv.invited_by], {
        kind: answer.accept ? "mediation.accepted" : "mediation.declined",
        title: answer.accept
          ? `${name} 已接受调解邀请 ${inv.code}`
          : `${name} 婉拒了调解邀请 ${inv.code}`,
        body: answer.accept ? inv.task : answer.reason,
        caseId: inv.case_id,
      });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: answer.accept ? "case.mediator_accepted" : "case.mediator_declined",
        subjectType: "case",
        subjectId: inv.case_id,
        details: { invitationId: inv.id, volunteerId: inv.volunteer_id, code: inv.code },
      },
    );
    return { caseId: inv.case_id, invitedBy: inv.invited_by, version };
  });
  deps.events?.publish({ type: "case", caseId: out.caseId, version: out.version });
  if (out.invitedBy) deps.events?.publish({ type: "notifications", userIds: [out.invitedBy] });
  const mine = await myMediations(deps, actor);
  const item = mine.items.find((m) => m.invitationId === invitationId);
  if (!item) throw notFound("调解邀请", "invitation");
  return item;
}

// ------------------------------------------------------------------ teams

function presentTeam(actor: Actor, t: repo.TeamRow): Team {
  const manage = canManageTeam(actor, {
    kind: t.kind,
    areaPath: t.area_path,
    organisationId: t.organisation_id,
  });
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    area: { code: t.area_code, name: t.area_name },
    organisation:
      t.organisation_id && t.organisation_name
        ? { id: t.organisation_id, name: t.organisation_name }
        : null,
    description: t.description,
    members: t.members,
    leaders: t.leaders,
    createdAt: new Date(t.created_at).toISOString(),
    allowedActions: manage ? ["manage_members", "plan_shift"] : [],
  };
}

export async function listTeams(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  f: z.infer<typeof teamListQuery>,
) {
  const areaPath = f.areaCode
    ? ((await findAreaByCode(deps, f.areaCode))?.path ?? "/none/")
    : undefined;
  const scope = teamScopeOf(actor);
  const r = await repo.listTeams(deps.db, {
    ...f,
    areaPath,
    scope,
    manageable: f.manageable
      ? { staffPaths: scope.staffPaths, organisationIds: scope.organisationIds }
      : undefined,
  });
  return { items: r.items.map((t) => presentTeam(actor, t)), total: r.total };
}

async function visibleTeam(deps: Pick<VolunteersDeps, "db">, actor: Actor, id: string) {
  if (!(await repo.teamVisible(deps.db, id, teamScopeOf(actor)))) throw notFound("队伍", "team");
  const t = await repo.findTeam(deps.db, id);
  if (!t) throw notFound("队伍", "team");
  return t;
}

export async function getTeam(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  id: string,
): Promise<TeamDetail> {
  const t = await visibleTeam(deps, actor, id);
  const members = await repo.teamMembers(deps.db, id);
  return {
    ...presentTeam(actor, t),
    memberList: members.map((m) => ({
      volunteerId: m.volunteer_id,
      name: m.name,
      role: m.role,
      joinedAt: new Date(m.joined_at).toISOString(),
      skills: m.skills as VolunteerSkill[],
      dialects: m.dialects,
      verifiedMinutes: m.verified_minutes,
    })),
  };
}

/** POST /api/teams: a grid worker (community), an association or enterprise (theirs). */
export async function createTeam(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  body: z.infer<typeof createTeamBody>,
  requestId: string,
) {
  const [area] = await repo.areasByCodes(deps.db, [body.areaCode]);
  if (area?.level !== "community")
    throw fieldError("body.areaCode", "请选择队伍所在社区 / choose the team's community");
  let organisationId: string | null = null;
  if (body.kind !== "community") {
    organisationId = body.organisationId ?? organisationIdsOf(actor)[0] ?? null;
    if (!organisationId)
      throw fieldError("body.organisationId", "请选择所属单位 / choose the organisation");
    const org = await repo.findOrganisation(deps.db, organisationId);
    if (!org || org.kind !== body.kind)
      throw fieldError(
        "body.organisationId",
        `所属单位不是${body.kind === "enterprise" ? "企业" : "协会"} / the organisation is not an ${body.kind}`,
      );
  } else if (body.organisationId) {
    throw fieldError(
      "body.organisationId",
      "社区队伍不属于单位 / a community team has no organisation",
    );
  }
  if (!canCreateTeam(actor, { kind: body.kind, areaPath: area.path, organisationId }))
    throw forbidden("无权在此社区为此单位建队 / you may not create this team here");
  const id = await deps.db.transaction().execute(async (trx) => {
    const t = await repo.insertTeam(trx, {
      name: body.name,
      kind: body.kind,
      area_id: area.id,
      area_path: area.path,
      organisation_id: organisationId,
      description: body.description ?? null,
      created_by: actor.userId as string,
    });
    if (!t)
      throw conflict(
        `社区内已有名为「${body.name}」的队伍 / a team of that name exists in the community`,
      );
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "team.created",
        subjectType: "team",
        subjectId: t.id,
        details: { name: body.name, kind: body.kind },
      },
    );
    return t.id;
  });
  return getTeam(deps, actor, id);
}

async function managedTeam(deps: Pick<VolunteersDeps, "db">, actor: Actor, id: string) {
  const t = await visibleTeam(deps, actor, id);
  if (
    !canManageTeam(actor, {
      kind: t.kind,
      areaPath: t.area_path,
      organisationId: t.organisation_id,
    })
  )
    throw forbidden("只有网格员或所属单位可以调整队员 / only staff or the team's organisation");
  return t;
}

/** POST /api/teams/:id/members */
export async function addMember(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  teamId: string,
  body: { volunteerId: string; role: TeamRoleValue },
  requestId: string,
) {
  await managedTeam(deps, actor, teamId);
  if (!(await repo.isVisible(deps.db, body.volunteerId, await volunteerScopeOf(deps, actor))))
    throw fieldError("body.volunteerId", "志愿者不存在 / no such volunteer");
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.lockTeam(trx, teamId))) throw notFound("队伍", "team");
    const v = await repo.lockVolunteer(trx, body.volunteerId);
    if (!v) throw fieldError("body.volunteerId", "志愿者不存在 / no such volunteer");
    if (v.status !== "active")
      throw conflict("该志愿者已暂停或退出服务 / the volunteer is not active");
    const m = await repo.insertMember(trx, teamId, body.volunteerId, body.role);
    if (!m) throw conflict("已在队伍中 / already a member");
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "team.member_added",
        subjectType: "team",
        subjectId: teamId,
        details: { volunteerId: body.volunteerId, role: body.role },
      },
    );
  });
  return getTeam(deps, actor, teamId);
}

/** PATCH /api/teams/:id/members/:volunteerId: appoint or stand down a leader. */
export async function setMemberRole(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  teamId: string,
  volunteerId: string,
  role: TeamRoleValue,
  requestId: string,
) {
  await managedTeam(deps, actor, teamId);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.lockTeam(trx, teamId))) throw notFound("队伍", "team");
    const m = await repo.openMembership(trx, teamId, volunteerId);
    if (!m) throw notFound("队员", "member");
    if (m.role === role) return;
    await repo.setMemberRole(trx, m.id, role);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "team.member_role",
        subjectType: "team",
        subjectId: teamId,
        details: { volunteerId, from: m.role, to: role },
      },
    );
  });
  return getTeam(deps, actor, teamId);
}

/** DELETE /api/teams/:id/members/:volunteerId: the member leaves (kept as history). */
export async function removeMember(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  teamId: string,
  volunteerId: string,
  requestId: string,
) {
  await managedTeam(deps, actor, teamId);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.lockTeam(trx, teamId))) throw notFound("队伍", "team");
    const m = await repo.openMembership(trx, teamId, volunteerId);
    if (!m) throw notFound("队员", "member");
    await repo.endMembership(trx, m.id);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "team.member_removed",
        subjectType: "team",
        subjectId: teamId,
        details: { volunteerId },
      },
    );
  });
  return getTeam(deps, actor, teamId);
}

// -------------------------------------------------------------- mediation

const isDispute = (categoryCode: string) => categoryCode.startsWith("dispute.");

/**
 * GET /api/volunteers/mediators: volunteers to mediate a dispute case, by
 * the reporter's origin (or a chosen province / dialect). 404 for a case the
 * caller does not work; 400 for a case that is not a dispute.
 */
export async function findMediators(
  deps: Pick<VolunteersDeps, "db">,
  actor: Actor,
  f: { caseId: string; province?: string | undefined; dialect?: string | undefined; limit: number },
) {
  const c = await caseForVolunteering(deps, actor, f.caseId);
  if (!c) throw notFound("事件", "case");
  if (!isDispute(c.categoryCode))
    throw fieldError(
      "query.caseId",
      "只有矛盾纠纷类事件可以邀请志愿者调解 / only dispute cases take volunteer mediators",
    );
  // Only those who may invite look through the volunteers (not a mediator already on the case).
  if (!c.mayInviteMediator)
    throw forbidden(
      "只有牵头部门、综治中心或网格员可在办理中的事件上邀请调解员 / only the lead, coordinators or the grid's staff, on an open case",
    );
  const reporterOrigin = c.reporterUserId
    ? ((await repo.originOfUser(deps.db, c.reporterUserId))?.origin_province ?? null)
    : null;
  const province = f.province ?? (f.dialect ? null : reporterOrigin);
  const dialects = f.dialect
    ? [f.dialect]
    : province
      ? [...(PROVINCE_DIALECTS[province] ?? [])]
      : [];
  if (!province && !dialects.length) return { items: [], total: 0, province: null, dialects: [] };
  // Not those mediating already or still answering an invitation, nor the reporter.
  const exclude = [
    ...c.mediatorUserIds,
    ...(await repo.pendingInviteeUserIds(deps.db, c.id)),
    ...(c.reporterUserId ? [c.reporterUserId] : []),
  ];
  const q = { province, dialects, excludeUserIds: exclude };
  const rows = await repo.mediatorCandidates(deps.db, { ...q, limit: f.limit });
  const teams = await repo.teamsOfVolunteers(
    deps.db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => ({
      volunteerId: r.id,
      name: r.name,
      originProvince: r.origin_province,
      dialects: r.dialects,
      skills: r.skills as VolunteerSkill[],
      community: r.community_name,
      teams: teams.filter((t) => t.volunteer_id === r.id).map((t) => t.name),
      verifiedMinutes: r.verified_minutes,
      matches: [
        ...(r.province_match ? (["province"] as const) : []),
        ...(r.dialect_match ? (["dialect"] as const) : []),
        ...(r.skill_match ? (["mediation_skill"] as const) : []),
      ],
    })),
    total: await repo.countMediatorCandidates(deps.db, q),
    province,
    dialects,
  };
}

/**
 * POST /api/volunteers/mediators/invite: the volunteer is asked to mediate.
 * They join the case only once they accept (answerMediation); until then the
 * invitation waits, one at a time per case and volunteer (another: 409).
 */
export async function inviteMediator(
  deps: VolunteersDeps,
  actor: Actor,
  body: z.infer<typeof inviteMediatorBody>,
  requestId: string,
) {
  const out = await deps.db.transaction().execute(async (trx) => {
    const c = await caseForVolunteering(deps, actor, body.caseId, trx);
    if (!c) throw notFound("事件", "case");
    if (!isDispute(c.categoryCode))
      throw fieldError(
        "body.caseId",
        "只有矛盾纠纷类事件可以邀请志愿者调解 / only dispute cases take volunteer mediators",
      );
    if (!c.mayInviteMediator)
      throw forbidden(
        "只有牵头部门、综治中心或网格员可在办理中的事件上邀请调解员 / only the lead, coordinators or the grid's staff, on an open case",
      );
    const v = await repo.findVolunteer(trx, body.volunteerId);
    if (!v) throw fieldError("body.volunteerId", "志愿者不存在 / no such volunteer");
    if (v.status !== "active")
      throw conflict("该志愿者已暂停或退出服务 / the volunteer is not active");
    if (v.user_id === c.reporterUserId)
      throw fieldError(
        "body.volunteerId",
        "当事人不能调解自己的纠纷 / a party cannot mediate their own dispute",
      );
    if (c.mediatorUserIds.includes(v.user_id))
      throw conflict("该志愿者已在调解此事件 / already mediating this case");
    const inv = await repo.insertInvitation(trx, {
      case_id: c.id,
      volunteer_id: v.id,
      user_id: v.user_id,
      task: body.task,
      invited_by: actor.userId,
    });
    if (!inv)
      throw conflict(
        "已邀请该志愿者，正在等待其答复 / already invited: waiting for the volunteer's answer",
      );
    const actorLabel = actor.displayName ?? actor.label;
    await recordMediationStep(trx, {
      caseId: c.id,
      version: c.version,
      action: "invite",
      note: `邀请志愿者 ${v.name} 参与调解（待其接受）：${body.task}`,
      details: { mediatorUserId: v.user_id, invitationId: String(inv.id), task: body.task },
      visibility: "public",
      actorUserId: actor.userId,
      actorLabel,
    });
    await notifyUsers(trx, [v.user_id], {
      kind: "mediation.invited",
      title: `调解邀请 ${c.code}：${body.task.slice(0, 40)}`,
      body: `${actorLabel} 邀请您以老乡身份参与调解（${c.categoryName}）。请在“志愿服务”中接受或婉拒。`,
      link: "/volunteer",
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "case.mediator_invited",
        subjectType: "case",
        subjectId: c.id,
        details: { volunteerId: v.id, code: c.code, invitationId: String(inv.id) },
      },
    );
    return {
      caseId: c.id,
      caseCode: c.code,
      volunteerId: v.id,
      invitationId: String(inv.id),
      name: v.name,
      userId: v.user_id,
      version: c.version + 1,
    };
  });
  deps.events?.publish({ type: "case", caseId: out.caseId, version: out.version });
  deps.events?.publish({ type: "notifications", userIds: [out.userId] });
  return {
    caseId: out.caseId,
    caseCode: out.caseCode,
    volunteerId: out.volunteerId,
    invitationId: out.invitationId,
    name: out.name,
  };
}
