/**
 * Shifts (排班): patrols, mediation, publicity and follow-up visits planned by
 * grid workers and associations; sign-up within capacity and without
 * overlaps; check-in and check-out inside the area's geofence and the
 * window; observations that become cases (channel 'volunteer'); service
 * hours verified, rejected or corrected by someone other than the volunteer,
 * every change logged in shift_signup_actions with the change itself.
 */
import type { z } from "zod";
import {
  type CheckoutSource,
  type CreateShiftBody,
  type correctHoursBody,
  type HoursEntry,
  type hoursQueueQuery,
  type observationBody,
  type positionBody,
  type rejectHoursBody,
  SHIFT_RULES,
  type Shift,
  type ShiftAction,
  type ShiftDetail,
  type Signup,
  type setCheckoutBody,
  type shiftListQuery,
  type UnderWay,
  type underWayQuery,
} from "../../../shared/schemas/volunteers.js";
import { AppError, conflict, fieldError, forbidden, notFound } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { type CasesDeps, caseForVolunteering, createCase } from "../cases/cases.service.js";
import type { Boundary } from "../geo/geometry.js";
import { reconcilePoints } from "../points/points.service.js";
import {
  checkFence,
  checkInWindow,
  clock,
  durationText,
  serviceMinutes,
  windowProblem,
} from "./shift-rules.js";
import * as repo from "./shifts.repository.js";
import {
  canManageTeam,
  canPlanShiftIn,
  canVerifyHours,
  organisationIdsOf,
  overseesShift,
  shiftStaffPaths,
  volunteerStaffPaths,
} from "./volunteers.policy.js";
import * as volunteersRepo from "./volunteers.repository.js";

export type ShiftsDeps = CasesDeps;

/** A rule of the place or the clock says no (outside the fence, too early): 422 with the numbers. */
const refused = (message: string, details: Record<string, unknown>) =>
  new AppError("validation", 422, message, details);

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
/** Rows checked out before migration 0029 carry no source: their volunteer checked out. */
const sourceOf = (g: {
  checked_out_at: Date | string | null;
  checkout_source: CheckoutSource | null;
}): CheckoutSource | null =>
  g.checked_out_at === null ? null : (g.checkout_source ?? "volunteer");
const AUTO_CHECKOUT_MS = SHIFT_RULES.autoCheckoutAfterHours * 3_600_000;

interface Caller {
  actor: Actor;
  userId: string | null;
  volunteer: volunteersRepo.VolunteerRow | undefined;
  manage: repo.ShiftManageScope;
}

async function callerOf(deps: Pick<ShiftsDeps, "db">, actor: Actor): Promise<Caller> {
  const userId = actor.kind === "user" ? actor.userId : null;
  return {
    actor,
    userId,
    volunteer: userId ? await volunteersRepo.findVolunteerByUser(deps.db, userId) : undefined,
    manage: {
      staffPaths: volunteerStaffPaths(actor),
      organisationIds: organisationIdsOf(actor),
      userId,
    },
  };
}

async function shiftFacts(deps: Pick<ShiftsDeps, "db">, s: repo.ShiftRow) {
  return {
    areaPath: s.area_path,
    organisationId: s.organisation_id,
    createdBy: s.created_by,
    teamLeaderUserIds: await volunteersRepo.teamLeaderUserIds(deps.db, s.team_id),
  };
}

function presentSignup(g: repo.SignupRow): Signup {
  return {
    id: g.id,
    shiftId: g.shift_id,
    volunteer: { id: g.volunteer_id, name: g.volunteer_name, userId: g.volunteer_user_id },
    status: g.status,
    checkedInAt: iso(g.checked_in_at),
    checkedOutAt: iso(g.checked_out_at),
    checkoutSource: sourceOf(g),
    checkInAccuracyM: g.check_in_accuracy,
    minutes: g.minutes,
    hoursStatus: g.hours_status,
    verifiedBy: g.verified_by_name,
    verifiedAt: iso(g.verified_at),
    rejectReason: g.reject_reason,
    version: g.version,
  };
}

function allowedFor(
  s: repo.ShiftRow,
  mine: repo.SignupRow | undefined,
  c: { volunteerActive: boolean; oversees: boolean; now: Date },
): ShiftAction[] {
  const out: ShiftAction[] = [];
  const starts = new Date(s.starts_at);
  const ends = new Date(s.ends_at);
  const open = s.status === "open";
  if (open && !mine && c.volunteerActive && starts > c.now && s.signed_up < s.capacity)
    out.push("sign_up");
  if (open && mine?.status === "signed_up" && starts > c.now) out.push("cancel_sign_up");
  if (open && mine?.status === "signed_up" && checkInWindow(c.now, starts, ends).ok !== false)
    out.push("check_in");
  // A check-in that could open later still shows the button: the answer says when.
  if (open && mine?.status === "signed_up" && !out.includes("check_in") && ends > c.now)
    out.push("check_in");
  if (mine?.status === "checked_in") out.push("check_out", "observe");
  if (open && c.oversees && starts > c.now) out.push("cancel");
  return out;
}

function presentShift(
  s: repo.ShiftRow & { distance_m?: number | null },
  mine: repo.SignupRow | undefined,
  c: { volunteerActive: boolean; oversees: boolean; now: Date },
): Shift {
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    description: s.description,
    area: {
      code: s.area_code,
      name: s.area_name,
      level: s.area_level,
      lat: s.centroid_lat,
      lng: s.centroid_lng,
    },
    startsAt: new Date(s.starts_at).toISOString(),
    endsAt: new Date(s.ends_at).toISOString(),
    capacity: s.capacity,
    signedUp: s.signed_up,
    team: s.team_id && s.team_name ? { id: s.team_id, name: s.team_name } : null,
    case: s.case_id && s.case_code ? { id: s.case_id, code: s.case_code } : null,
    fenceToleranceM: s.fence_tolerance_m,
    status: s.status,
    createdBy: s.created_by_name,
    distanceM: s.distance_m ?? null,
    mySignup: mine
      ? {
          id: mine.id,
          status: mine.status,
          checkedInAt: iso(mine.checked_in_at),
          checkedOutAt: iso(mine.checked_out_at),
          checkoutSource: sourceOf(mine),
          minutes: mine.minutes,
          hoursStatus: mine.hours_status,
          rejectReason: mine.reject_reason,
        }
      : null,
    allowedActions: allowedFor(s, mine, c),
  };
}

// ------------------------------------------------------------------ reads

export async function listShifts(
  deps: Pick<ShiftsDeps, "db">,
  actor: Actor,
  f: z.infer<typeof shiftListQuery>,
  now = new Date(),
) {
  const c = await callerOf(deps, actor);
  const areaPath = f.areaCode
    ? ((await repo.areaWithBoundary(deps.db, f.areaCode))?.path ?? "/none/")
    : undefined;
  const position = f.lat !== undefined && f.lng !== undefined ? { lat: f.lat, lng: f.lng } : null;
  const { items, total } = await repo.listShifts(deps.db, {
    view: f.view,
    manage: c.manage,
    userId: c.userId,
    volunteerId: c.volunteer?.id ?? null,
    now,
    kind: f.kind,
    areaPath,
    dayStart: f.date ? new Date(`${f.date}T00:00:00+08:00`) : undefined,
    when: f.when,
    teamId: f.teamId,
    position,
    limit: f.limit,
    offset: f.offset,
  });
  const mine = c.volunteer
    ? await repo.mySignups(
        deps.db,
        c.volunteer.id,
        items.map((s) => s.id),
      )
    : [];
  const out: Shift[] = [];
  for (const s of items)
    out.push(
      presentShift(
        s,
        mine.find((m) => m.shift_id === s.id),
        {
          volunteerActive: c.volunteer?.status === "active",
          oversees: overseesShift(actor, await shiftFacts(deps, s)),
          now,
        },
      ),
    );
  return { items: out, total };
}

async function visibleShift(deps: Pick<ShiftsDeps, "db">, c: Caller, id: string) {
  const ok = await repo.shiftVisible(deps.db, id, {
    manage: c.manage,
    userId: c.userId,
    volunteerId: c.volunteer?.id ?? null,
  });
  const s = ok ? await repo.findShift(deps.db, id) : undefined;
  if (!s) throw notFound("班次", "shift");
  return s;
}

export async function getShift(
  deps: Pick<ShiftsDeps, "db">,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<ShiftDetail> {
  const c = await callerOf(deps, actor);
  const s = await visibleShift(deps, c, id);
  const oversees = overseesShift(actor, await shiftFacts(deps, s));
  const all = await repo.signupsOfShift(deps.db, id);
  const mine = c.volunteer
    ? all.find((g) => g.volunteer_id === c.volunteer?.id && g.status !== "cancelled")
    : undefined;
  const area = await repo.boundaryOf(deps.db, s.area_id);
  const observations = await repo.observationsOf(
    deps.db,
    id,
    oversees ? null : (c.volunteer?.id ?? "0"),
  );
  return {
    ...presentShift(s, mine, { volunteerActive: c.volunteer?.status === "active", oversees, now }),
    boundary: area?.boundary ?? null,
    signups: oversees ? all.map(presentSignup) : [],
    observations: observations.map((o) => ({
      id: o.id,
      caseId: o.case_id,
      caseCode: o.code,
      categoryName: o.category_name,
      status: o.status,
      description: o.description,
      volunteer: o.volunteer,
      createdAt: new Date(o.created_at).toISOString(),
    })),
  };
}

// -------------------------------------------------------------- planning

/** POST /api/shifts: grid workers in their area, associations for their teams. */
export async function createShift(
  deps: ShiftsDeps,
  actor: Actor,
  body: CreateShiftBody,
  requestId: string,
  now = new Date(),
): Promise<ShiftDetail> {
  const startsAt = new Date(body.startsAt);
  const endsAt = new Date(body.endsAt);
  const problem = windowProblem(startsAt, endsAt, now);
  if (problem === "past")
    throw fieldError(
      "body.startsAt",
      "开始时间已过，不能安排过去的班次 / the shift would start in the past",
    );
  if (problem === "order")
    throw fieldError("body.endsAt", "结束时间须晚于开始时间 / the shift must end after it starts");
  if (problem === "too_long")
    throw fieldError(
      "body.endsAt",
      `一个班次不超过 ${SHIFT_RULES.maxHours} 小时 / a shift lasts at most ${SHIFT_RULES.maxHours} hours`,
    );
  const area = await repo.areaWithBoundary(deps.db, body.areaCode);
  if (!area || (area.level !== "grid" && area.level !== "community"))
    throw fieldError("body.areaCode", "请选择网格或社区 / choose a grid or a community");
  if (!area.boundary)
    throw fieldError(
      "body.areaCode",
      "该区域尚无边界，无法签到 / the area has no boundary to check in",
    );
  let team: volunteersRepo.TeamRow | undefined;
  if (body.teamId) {
    team = await volunteersRepo.findTeam(deps.db, body.teamId);
    if (!team) throw fieldError("body.teamId", "队伍不存在 / no such team");
    const facts = {
      kind: team.kind,
      areaPath: team.area_path,
      organisationId: team.organisation_id,
    };
    if (!canManageTeam(actor, facts))
      throw forbidden("只能为自己管理的队伍排班 / plan shifts for the teams you manage");
    // Staff plan a team's shift in their own area; an organisation anywhere for its team.
    const ownOrgTeam =
      team.organisation_id !== null && organisationIdsOf(actor).includes(team.organisation_id);
    if (!ownOrgTeam && !canPlanShiftIn(actor, { path: area.path, level: area.level }))
      throw forbidden("只能在自己负责的区域排班 / plan shifts in your own area");
  } else if (!canPlanShiftIn(actor, { path: area.path, level: area.level })) {
    throw forbidden("只能在自己负责的区域排班 / plan shifts in your own area");
  }
  if (body.caseId && !(await caseForVolunteering(deps, actor, body.caseId)))
    throw fieldError("body.caseId", "事件不存在 / no such case");
  const id = await deps.db.transaction().execute(async (trx) => {
    const s = await repo.insertShift(trx, {
      kind: body.kind,
      title: body.title,
      description: body.description ?? null,
      area_id: area.id,
      area_path: area.path,
      starts_at: startsAt,
      ends_at: endsAt,
      capacity: body.capacity,
      team_id: team?.id ?? null,
      case_id: body.caseId ?? null,
      organisation_id: team?.organisation_id ?? null,
      fence_tolerance_m: body.fenceToleranceM ?? SHIFT_RULES.defaultFenceToleranceM,
      created_by: actor.userId as string,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "shift.created",
        subjectType: "shift",
        subjectId: s.id,
        details: { kind: body.kind, area: area.code, teamId: team?.id ?? null },
      },
    );
    return s.id;
  });
  return getShift(deps, actor, id, now);
}

/** POST /api/shifts/:id/cancel: its planner (or staff over it) calls a shift off before it starts. */
export async function cancelShift(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  requestId: string,
  now = new Date(),
) {
  const c = await callerOf(deps, actor);
  const s = await visibleShift(deps, c, id);
  if (!overseesShift(actor, await shiftFacts(deps, s))) throw forbidden();
  await deps.db.transaction().execute(async (trx) => {
    const locked = await repo.lockShift(trx, id);
    if (locked?.status !== "open") throw conflict("班次已取消 / the shift is cancelled");
    if (new Date(locked.starts_at) <= now)
      throw conflict("班次已开始，不能取消 / the shift has started");
    await repo.cancelShift(trx, id);
    for (const g of await repo.signupsOfShift(trx, id)) {
      if (g.status !== "signed_up") continue;
      await repo.updateSignup(trx, g.id, g.version, { status: "cancelled", cancelled_at: now });
      await repo.insertSignupAction(trx, {
        signup_id: g.id,
        action: "cancel",
        actor_user_id: actor.userId,
        reason: "班次取消 / the shift was cancelled",
      });
    }
    await recordAudit(
      trx,
      { actor, requestId },
      { action: "shift.cancelled", subjectType: "shift", subjectId: id },
    );
  });
  return getShift(deps, actor, id, now);
}

// -------------------------------------------------------------- sign-ups

function requireVolunteer(c: Caller) {
  if (!c.volunteer) throw forbidden("请先注册成为志愿者 / sign up as a volunteer first");
  return c.volunteer;
}

/** POST /api/shifts/:id/sign-up: within capacity, no overlap, before the start. */
export async function signUp(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  requestId: string,
  now = new Date(),
) {
  const c = await callerOf(deps, actor);
  const v = requireVolunteer(c);
  await visibleShift(deps, c, id);
  await deps.db.transaction().execute(async (trx) => {
    // The volunteer first (their own sign-ups queue: overlaps), then the
    // shift (everyone's sign-ups to it queue: capacity).
    const me = await volunteersRepo.lockVolunteer(trx, v.id);
    if (me?.status !== "active")
      throw conflict("您的志愿者身份已暂停或退出 / your volunteering is not active");
    const s = await repo.lockShift(trx, id);
    if (!s) throw notFound("班次", "shift");
    if (s.status !== "open") throw conflict("班次已取消 / the shift is cancelled");
    if (new Date(s.starts_at) <= now)
      throw conflict("班次已开始，不能再报名 / the shift has started");
    if (await repo.lockMySignup(trx, id, v.id))
      throw conflict("您已报名此班次 / you have signed up already");
    if ((await repo.activeSignupCount(trx, id)) >= s.capacity)
      throw conflict(`名额已满（${s.capacity} 人）/ the shift is full`, { capacity: s.capacity });
    const clash = await repo.overlapping(trx, v.id, {
      startsAt: new Date(s.starts_at),
      endsAt: new Date(s.ends_at),
      exceptShiftId: id,
    });
    if (clash[0])
      throw conflict(
        `与您已报名的「${clash[0].title}」（${clock(new Date(clash[0].starts_at))}–${clock(new Date(clash[0].ends_at)).slice(-5)}）时间重叠 / it overlaps a shift you signed up for`,
        { shiftId: clash[0].id },
      );
    const g = await repo.insertSignup(trx, id, v.id);
    if (!g) throw conflict("您已报名此班次 / you have signed up already");
    await repo.insertSignupAction(trx, {
      signup_id: g.id,
      action: "sign_up",
      actor_user_id: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "shift.signed_up",
        subjectType: "shift",
        subjectId: id,
        details: { signupId: g.id },
      },
    );
  });
  return getShift(deps, actor, id, now);
}

/** POST /api/shifts/:id/sign-up/cancel: the volunteer withdraws before the start. */
export async function cancelSignUp(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  requestId: string,
  now = new Date(),
) {
  const c = await callerOf(deps, actor);
  const v = requireVolunteer(c);
  await visibleShift(deps, c, id);
  await deps.db.transaction().execute(async (trx) => {
    const s = await repo.lockShift(trx, id);
    const g = await repo.lockMySignup(trx, id, v.id);
    if (!s || !g) throw notFound("报名记录", "sign-up");
    if (g.status !== "signed_up") throw conflict("已签到，不能取消报名 / already checked in");
    if (new Date(s.starts_at) <= now)
      throw conflict("班次已开始，不能取消报名 / the shift has started");
    await repo.updateSignup(trx, g.id, g.version, { status: "cancelled", cancelled_at: now });
    await repo.insertSignupAction(trx, {
      signup_id: g.id,
      action: "cancel",
      actor_user_id: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "shift.sign_up_cancelled",
        subjectType: "shift",
        subjectId: id,
        details: { signupId: g.id },
      },
    );
  });
  return getShift(deps, actor, id, now);
}

async function fenceOf(deps: Pick<ShiftsDeps, "db">, areaId: string) {
  const a = await repo.boundaryOf(deps.db, areaId);
  if (!a?.boundary) throw conflict("该区域没有边界，无法签到 / the area has no boundary");
  return a.boundary as Boundary;
}

function outsideFence(distanceM: number, toleranceM: number, what: "签到" | "签退") {
  return refused(
    `您距离服务区域约 ${distanceM} 米，请到区域内（允许 ${toleranceM} 米误差）再${what} / you are about ${distanceM} m from the area; come within ${toleranceM} m to ${what === "签到" ? "check in" : "check out"}`,
    { reason: "outside_fence", distanceM, toleranceM },
  );
}

/** POST /api/shifts/:id/check-in: in the window and inside the fence; twice → 409. */
export async function checkIn(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  pos: z.infer<typeof positionBody>,
  requestId: string,
  now = new Date(),
) {
  const c = await callerOf(deps, actor);
  const v = requireVolunteer(c);
  const shift = await visibleShift(deps, c, id);
  const fence = await fenceOf(deps, shift.area_id);
  await deps.db.transaction().execute(async (trx) => {
    const g = await repo.lockMySignup(trx, id, v.id);
    if (!g) throw conflict("您未报名此班次 / you have not signed up for this shift");
    if (g.status === "checked_in" || g.status === "checked_out")
      throw conflict(
        `您已于 ${clock(new Date(g.checked_in_at as Date))} 签到 / you checked in already`,
        { checkedInAt: iso(g.checked_in_at) },
      );
    if (shift.status !== "open") throw conflict("班次已取消 / the shift is cancelled");
    const w = checkInWindow(now, new Date(shift.starts_at), new Date(shift.ends_at));
    if (!w.ok && w.reason === "too_early")
      throw refused(
        `签到将于 ${durationText(w.opensInMinutes)}后开放（${clock(w.opensAt)}）/ check-in opens in ${w.opensInMinutes} min`,
        { reason: "too_early", opensInMinutes: w.opensInMinutes, opensAt: w.opensAt.toISOString() },
      );
    if (!w.ok) throw refused("班次已结束，不能签到 / the shift has ended", { reason: "ended" });
    const f = checkFence(fence, pos, shift.fence_tolerance_m);
    if (!f.ok) throw outsideFence(f.distanceM, shift.fence_tolerance_m, "签到");
    await repo.updateSignup(trx, g.id, g.version, {
      status: "checked_in",
      checked_in_at: now,
      check_in_lat: pos.lat,
      check_in_lng: pos.lng,
      check_in_accuracy: pos.accuracy ?? null,
    });
    await repo.insertSignupAction(trx, {
      signup_id: g.id,
      action: "check_in",
      actor_user_id: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "shift.checked_in",
        subjectType: "shift",
        subjectId: id,
        details: { signupId: g.id, accuracy: pos.accuracy ?? null },
      },
    );
  });
  return getShift(deps, actor, id, now);
}

/** POST /api/shifts/:id/check-out: inside the fence; the minutes go to verification. */
export async function checkOut(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  pos: z.infer<typeof positionBody>,
  requestId: string,
  now = new Date(),
) {
  const c = await callerOf(deps, actor);
  const v = requireVolunteer(c);
  const shift = await visibleShift(deps, c, id);
  const fence = await fenceOf(deps, shift.area_id);
  await deps.db.transaction().execute(async (trx) => {
    const g = await repo.lockMySignup(trx, id, v.id);
    if (!g) throw conflict("您未报名此班次 / you have not signed up for this shift");
    if (g.status === "signed_up") throw conflict("请先签到 / check in first");
    if (g.status === "checked_out" && g.checkout_source === "auto")
      throw conflict(
        `班次结束 ${SHIFT_RULES.autoCheckoutAfterHours} 小时后仍未签退，系统已按结束时间自动签退；实际签退时间请联系核验人补录 / the system checked you out at the shift's end; ask your verifier to record the real time`,
        { checkoutSource: "auto" },
      );
    if (g.status === "checked_out") throw conflict("您已签退 / you checked out already");
    const f = checkFence(fence, pos, shift.fence_tolerance_m);
    if (!f.ok) throw outsideFence(f.distanceM, shift.fence_tolerance_m, "签退");
    const minutes = serviceMinutes(
      new Date(g.checked_in_at as Date),
      now,
      new Date(shift.starts_at),
      new Date(shift.ends_at),
    );
    await repo.updateSignup(trx, g.id, g.version, {
      status: "checked_out",
      checked_out_at: now,
      check_out_lat: pos.lat,
      check_out_lng: pos.lng,
      check_out_accuracy: pos.accuracy ?? null,
      minutes,
      hours_status: "pending",
      checkout_source: "volunteer",
    });
    await repo.insertSignupAction(trx, {
      signup_id: g.id,
      action: "check_out",
      actor_user_id: actor.userId,
      new_minutes: minutes,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "shift.checked_out",
        subjectType: "shift",
        subjectId: id,
        details: { signupId: g.id, minutes },
      },
    );
  });
  return getShift(deps, actor, id, now);
}

/**
 * POST /api/shifts/:id/observations: what the checked-in volunteer saw
 * becomes a case through the cases service (channel 'volunteer', the
 * volunteer as reporter), linked to the shift. The case and the link are two
 * writes: with an `Idempotency-Key`, a retry after a failure between them
 * gets the same case back and writes the missing link (once).
 */
export async function reportObservation(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  body: z.infer<typeof observationBody>,
  requestId: string,
  idempotencyKey?: string,
) {
  const c = await callerOf(deps, actor);
  const v = requireVolunteer(c);
  await visibleShift(deps, c, id);
  const g = await repo.lockMySignup(deps.db, id, v.id);
  if (g?.status !== "checked_in")
    throw conflict("请在签到后、签退前上报 / report while checked in on the shift");
  const { detail } = await createCase(
    deps,
    actor,
    {
      categoryCode: body.categoryCode,
      description: body.description,
      lat: body.lat,
      lng: body.lng,
      ...(body.address ? { address: body.address } : {}),
      ...(body.fields ? { fields: body.fields } : {}),
    },
    {
      requestId,
      volunteer: true,
      ...(idempotencyKey ? { idempotencyKey: `shift-observation:${g.id}:${idempotencyKey}` } : {}),
    },
  );
  const o = await repo.insertObservation(deps.db, {
    shift_id: id,
    signup_id: g.id,
    volunteer_id: v.id,
    case_id: detail.id,
  });
  return {
    id: o.id,
    caseId: detail.id,
    caseCode: detail.code,
    categoryName: detail.categoryName,
    status: detail.status,
    description: detail.description,
    volunteer: v.name,
    createdAt: detail.createdAt,
  };
}

// ------------------------------------------------------------------ hours

function hoursScopeOf(actor: Actor): repo.HoursScope {
  return {
    staffPaths: shiftStaffPaths(actor),
    gridPaths: actor.grants
      .filter((g) => g.role === "grid_worker" && g.areaPath !== null)
      .map((g) => g.areaPath as string),
    organisationIds: organisationIdsOf(actor),
    userId: actor.userId as string,
  };
}

export async function hoursQueue(
  deps: Pick<ShiftsDeps, "db">,
  actor: Actor,
  f: z.infer<typeof hoursQueueQuery>,
): Promise<{ items: HoursEntry[]; total: number }> {
  const { items, total } = await repo.hoursQueue(deps.db, { ...f, scope: hoursScopeOf(actor) });
  return {
    items: items.map((g) => ({
      ...presentSignup(g),
      shift: {
        id: g.shift_id,
        title: g.shift_title,
        kind: g.shift_kind,
        startsAt: new Date(g.shift_starts_at).toISOString(),
        endsAt: new Date(g.shift_ends_at).toISOString(),
        areaName: g.area_name,
        teamName: g.team_name,
      },
      canVerify: g.volunteer_user_id !== actor.userId,
    })),
    total,
  };
}

type Locked = Awaited<ReturnType<typeof repo.lockSignupsForHours>>[number];

/** The decision on these hours is the caller's to make, or the request is refused whole. */
async function checkDecider(
  trx: Parameters<typeof volunteersRepo.teamLeaderUserIds>[0],
  actor: Actor,
  g: Locked,
) {
  const verdict = canVerifyHours(
    actor,
    {
      areaPath: g.area_path,
      organisationId: g.organisation_id,
      createdBy: g.created_by,
      teamLeaderUserIds: await volunteersRepo.teamLeaderUserIds(trx, g.team_id),
    },
    g.volunteer_user_id,
  );
  if (!verdict.ok && verdict.reason === "own")
    throw forbidden("不能核验自己的服务时长 / you may not verify your own hours");
  if (!verdict.ok) throw notFound("服务时长记录", "hours entry");
}

/** POST /api/shifts/hours/verify: all or nothing. */
export async function verifyHours(
  deps: ShiftsDeps,
  actor: Actor,
  ids: string[],
  requestId: string,
  now = new Date(),
) {
  await deps.db.transaction().execute(async (trx) => {
    const rows = await repo.lockSignupsForHours(trx, ids);
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.find((i) => !found.has(i));
    if (missing) throw notFound("服务时长记录", "hours entry");
    for (const g of rows) await checkDecider(trx, actor, g);
    const notPending = rows.filter((g) => g.hours_status !== "pending");
    if (notPending.length)
      throw conflict(
        `${notPending.length} 条记录已处理或尚未签退，请刷新 / ${notPending.length} entries are not pending; reload`,
        { ids: notPending.map((g) => g.id) },
      );
    // 未签退: the time the system wrote is a placeholder until the verifier sets the real one.
    const unclosed = rows.filter((g) => g.checkout_source === "auto");
    if (unclosed.length)
      throw conflict(
        `${unclosed.length} 条记录为系统自动签退（未签退），请先补录实际签退时间 / ${unclosed.length} entries were closed by the system; set the real check-out time first`,
        { ids: unclosed.map((g) => g.id), reason: "auto_checkout" },
      );
    for (const g of rows)
      await repo.updateSignup(trx, g.id, g.version, {
        hours_status: "verified",
        verified_by: actor.userId,
        verified_at: now,
        reject_reason: null,
      });
    await repo.insertSignupActions(
      trx,
      rows.map((g) => ({
        signup_id: g.id,
        action: "verify" as const,
        actor_user_id: actor.userId,
      })),
    );
    // The points of verified hours, with the verification.
    await reconcilePoints(
      trx,
      rows.map((g) => g.volunteer_user_id),
    );
    await recordAudit(
      trx,
      { actor, requestId },
      { action: "hours.verified", subjectType: "shift_signup", details: { ids } },
    );
  });
  return { verified: ids };
}

/** The one entry, locked, after checking the caller may decide on it and saw its latest version. */
async function lockOne(
  trx: Parameters<typeof repo.lockSignupsForHours>[0],
  actor: Actor,
  id: string,
  version: number | undefined,
) {
  const [g] = await repo.lockSignupsForHours(trx, [id]);
  if (!g) throw notFound("服务时长记录", "hours entry");
  await checkDecider(trx, actor, g);
  if (version !== undefined && version !== g.version)
    throw conflict("记录已被他人处理，请刷新 / the entry changed meanwhile; reload", {
      currentVersion: g.version,
    });
  return g;
}

/** POST /api/shifts/hours/:id/reject: a pending entry, with the reason. */
export async function rejectHours(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  body: z.infer<typeof rejectHoursBody>,
  requestId: string,
  now = new Date(),
) {
  await deps.db.transaction().execute(async (trx) => {
    const g = await lockOne(trx, actor, id, body.version);
    if (g.hours_status !== "pending")
      throw conflict("只能驳回待核验的记录 / only pending hours can be rejected", {
        hoursStatus: g.hours_status,
      });
    await repo.updateSignup(trx, g.id, g.version, {
      hours_status: "rejected",
      verified_by: actor.userId,
      verified_at: now,
      reject_reason: body.reason,
    });
    await repo.insertSignupAction(trx, {
      signup_id: g.id,
      action: "reject",
      actor_user_id: actor.userId,
      old_minutes: g.minutes,
      reason: body.reason,
    });
    await reconcilePoints(trx, [g.volunteer_user_id]);
    await recordAudit(
      trx,
      { actor, requestId },
      { action: "hours.rejected", subjectType: "shift_signup", subjectId: id },
    );
  });
  return hoursEntry(deps, id);
}

/** POST /api/shifts/hours/:id/correct: new minutes with a reason, logged (old, new, who, why). */
export async function correctHours(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  body: z.infer<typeof correctHoursBody>,
  requestId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    const g = await lockOne(trx, actor, id, body.version);
    if (g.status !== "checked_out" || g.minutes === null)
      throw conflict("只能更正已签退的记录 / only checked-out hours can be corrected");
    const cap = Math.floor(
      (new Date(g.ends_at).getTime() - new Date(g.starts_at).getTime()) / 60_000,
    );
    if (body.minutes > cap)
      throw fieldError(
        "body.minutes",
        `不能超过班次时长 ${cap} 分钟 / at most the shift's ${cap} minutes`,
      );
    if (body.minutes === g.minutes)
      throw fieldError("body.minutes", "时长没有变化 / the minutes are unchanged");
    await repo.updateSignup(trx, g.id, g.version, { minutes: body.minutes });
    await repo.insertSignupAction(trx, {
      signup_id: g.id,
      action: "correct",
      actor_user_id: actor.userId,
      old_minutes: g.minutes,
      new_minutes: body.minutes,
      reason: body.reason,
    });
    // Points already paid for these hours are corrected by a new ledger entry.
    await reconcilePoints(trx, [g.volunteer_user_id]);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "hours.corrected",
        subjectType: "shift_signup",
        subjectId: id,
        details: { from: g.minutes, to: body.minutes, reason: body.reason },
      },
    );
  });
  return hoursEntry(deps, id);
}

/**
 * POST /api/shifts/hours/:id/check-out-time: the verifier sets the real
 * check-out time of an attendance the system closed (未签退) — between the
 * check-in and 2 hours after the shift's end — with a reason. The minutes
 * follow from it; the change is logged like a correction (old and new time
 * and minutes, who, why) and the entry can then be verified as usual.
 */
export async function setCheckoutTime(
  deps: ShiftsDeps,
  actor: Actor,
  id: string,
  body: z.infer<typeof setCheckoutBody>,
  requestId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    const g = await lockOne(trx, actor, id, body.version);
    if (g.status !== "checked_out" || g.checked_in_at === null || g.checked_out_at === null)
      throw conflict("该记录尚未签退 / the attendance is not closed");
    if (g.checkout_source !== "auto" && g.checkout_source !== "verifier")
      throw conflict(
        "志愿者已自行签退，只能更正时长 / the volunteer checked out themselves; correct the minutes instead",
        { checkoutSource: sourceOf(g) },
      );
    if (g.hours_status !== "pending")
      throw conflict("已核验或驳回的记录不能补录签退时间 / the hours are decided already", {
        hoursStatus: g.hours_status,
      });
    const at = new Date(body.checkedOutAt);
    const checkedIn = new Date(g.checked_in_at);
    const latest = new Date(new Date(g.ends_at).getTime() + AUTO_CHECKOUT_MS);
    if (at < checkedIn || at > latest)
      throw fieldError(
        "body.checkedOutAt",
        `签退时间须在签到时间（${clock(checkedIn)}）与班次结束后 ${SHIFT_RULES.autoCheckoutAfterHours} 小时（${clock(latest)}）之间 / the check-out time must lie between the check-in (${checkedIn.toISOString()}) and ${SHIFT_RULES.autoCheckoutAfterHours} hours after the shift's end (${latest.toISOString()})`,
      );
    const minutes = serviceMinutes(checkedIn, at, new Date(g.starts_at), new Date(g.ends_at));
    await repo.updateSignup(trx, g.id, g.version, {
      checked_out_at: at,
      minutes,
      checkout_source: "verifier",
    });
    await repo.insertSignupAction(trx, {
      signup_id: g.id,
      action: "set_check_out",
      actor_user_id: actor.userId,
      old_minutes: g.minutes,
      new_minutes: minutes,
      old_checked_out_at: new Date(g.checked_out_at),
      new_checked_out_at: at,
      reason: body.reason,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "hours.checkout_set",
        subjectType: "shift_signup",
        subjectId: id,
        details: {
          from: new Date(g.checked_out_at).toISOString(),
          to: at.toISOString(),
          minutes: { from: g.minutes, to: minutes },
          reason: body.reason,
        },
      },
    );
  });
  return hoursEntry(deps, id);
}

async function hoursEntry(deps: Pick<ShiftsDeps, "db">, id: string) {
  const g = await repo.signupById(deps.db, id);
  if (!g) throw notFound("服务时长记录", "hours entry");
  return presentSignup(g);
}

/** GET /api/shifts/hours/:id/history: the volunteer or whoever may decide on it. */
export async function hoursHistory(deps: Pick<ShiftsDeps, "db">, actor: Actor, id: string) {
  const f = await repo.signupFacts(deps.db, id);
  if (!f) throw notFound("服务时长记录", "hours entry");
  const own = f.volunteer_user_id === actor.userId;
  const oversees = overseesShift(actor, {
    areaPath: f.area_path,
    organisationId: f.organisation_id,
    createdBy: f.created_by,
    teamLeaderUserIds: await volunteersRepo.teamLeaderUserIds(deps.db, f.team_id),
  });
  if (!own && !oversees) throw notFound("服务时长记录", "hours entry");
  const rows = await repo.signupHistory(deps.db, id);
  return {
    items: rows.map((r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor,
      oldMinutes: r.old_minutes,
      newMinutes: r.new_minutes,
      oldCheckedOutAt: iso(r.old_checked_out_at),
      newCheckedOutAt: iso(r.new_checked_out_at),
      reason: r.reason,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    total: rows.length,
  };
}

/**
 * Patrol coverage for other modules (the grid risk index): hours of patrol
 * and visit shifts checked in within [since, until) and not rejected, and the
 * volunteers who served them, per shift area (a grid, or a community for
 * shifts of a whole community) under `rootPath`.
 */
export async function patrolHoursByArea(
  deps: Pick<ShiftsDeps, "db">,
  rootPath: string,
  since: Date,
  until: Date,
): Promise<Map<string, { hours: number; volunteers: number }>> {
  const rows = await repo.patrolMinutesByArea(deps.db, rootPath, since, until);
  return new Map(
    rows.map((r) => [
      r.area_path,
      { hours: Math.round((r.minutes / 60) * 10) / 10, volunteers: r.volunteers },
    ]),
  );
}

/**
 * The shifts being worked now (open, inside their window) where the caller
 * plans shifts — an admin's or coordinator's area, a grid worker's grid —
 * or under `areaCode` inside it, for the coordination map's 巡逻中 layer.
 */
export async function shiftsUnderWay(
  deps: Pick<ShiftsDeps, "db">,
  actor: Actor,
  f: z.infer<typeof underWayQuery>,
  now = new Date(),
): Promise<UnderWay> {
  const own = shiftStaffPaths(actor);
  if (own.length === 0)
    throw forbidden("只有网格员、协调员和管理员可以查看进行中的班次 / staff only");
  let paths = own;
  if (f.areaCode) {
    const area = await repo.areaWithBoundary(deps.db, f.areaCode);
    if (!area) throw notFound("area");
    // Inside one of the caller's areas, or the caller's area lies inside it.
    if (own.some((p) => area.path.startsWith(p))) paths = [area.path];
    else {
      paths = own.filter((p) => p.startsWith(area.path));
      if (paths.length === 0) throw notFound("area");
    }
  }
  const rows = await repo.shiftsUnderWay(deps.db, paths, now, f.limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      area: { code: r.area_code, name: r.area_name },
      team: r.team,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      capacity: r.capacity,
      signedUp: r.signed_up,
      onDuty: r.on_duty,
      lat: r.lat === null ? null : Number(r.lat),
      lng: r.lng === null ? null : Number(r.lng),
    })),
    total: rows.length,
    onDuty: rows.reduce((n, r) => n + r.on_duty, 0),
  };
}
