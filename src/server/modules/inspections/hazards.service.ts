/**
 * Hazards and rectification (隐患整改): the scoped list, the detail with its
 * timeline, the guarded actions (plan, complete, verify, supervise), hazards
 * recorded directly by staff or reported by the enterprise, and the major
 * hazards on the coordination map. Every change and its timeline row are one
 * transaction, guarded by the hazard's version.
 */

import type { Kysely, Transaction } from "kysely";
import type { z } from "zod";
import type {
  completeHazardBody,
  createHazardBody,
  HazardAction,
  HazardDetail,
  hazardListQuery,
  planHazardBody,
  superviseHazardBody,
  verifyHazardBody,
} from "../../../shared/schemas/inspections.js";
import type { DB } from "../../db/schema.js";
import type { HazardStatus } from "../../db/schema-inspections.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { departmentOfficers } from "../departments/departments.service.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import { evidenceOf } from "./enterprise-files.service.js";
import {
  actorName,
  allowedHazardActions,
  awaitsSupervision,
  canAcceptVerification,
  canSeeHazard,
  checkHazardAction,
  type HazardRelation,
  hazardRelation,
  isAreaStaffFor,
  nextStatus,
  officerDepartmentIds,
  ownEnterpriseIds,
  staffAreaPaths,
} from "./hazards.policy.js";
import * as repo from "./hazards.repository.js";
import { hazardDeadline, localDay } from "./inspection-rules.js";
import * as inspectionsRepo from "./inspections.repository.js";

export interface HazardsDeps {
  db: Kysely<DB>;
}

export function hazardScopeOf(actor: Actor): repo.HazardScope {
  return {
    areaPaths: staffAreaPaths(actor),
    organisationIds: ownEnterpriseIds(actor),
    departmentIds: officerDepartmentIds(actor),
  };
}

/**
 * Writes new hazards and the first step of each one's timeline (in the
 * caller's transaction: an inspection's submission, a spot-check's finding,
 * a hazard recorded by hand). Returns their ids.
 */
export async function recordNewHazards(
  trx: Transaction<DB>,
  actor: Actor | null,
  rows: repo.NewHazard[],
  step: { note: string | null; details: Record<string, unknown> },
): Promise<string[]> {
  const created = await repo.insertHazards(trx, rows);
  await repo.insertActions(
    trx,
    created.map((h, n) => ({
      hazard_id: h.id,
      kind: "created",
      from_status: null,
      to_status: "open",
      actor_user_id: actor?.userId ?? null,
      actor_label: actor ? actorName(actor) : "系统",
      department_id: null,
      note: step.note,
      details: {
        ...step.details,
        source: rows[n]?.source,
        level: rows[n]?.level,
        deadline: rows[n]?.deadline,
      },
    })),
  );
  return created.map((h) => h.id);
}

function relationOf(actor: Actor, h: repo.HazardRow): HazardRelation {
  return hazardRelation(actor, {
    organisationId: h.organisation_id,
    areaPath: h.area_path,
    supervisingDepartmentId: h.supervising_department_id,
  });
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function present(h: repo.HazardRow, actor: Actor, today: string) {
  const rel = relationOf(actor, h);
  return {
    id: h.id,
    organisation: { id: h.organisation_id, name: h.organisation_name },
    source: h.source,
    inspectionId: h.inspection_id,
    spotCheckId: h.spot_check_id,
    itemCode: h.item_code,
    level: h.level,
    title: h.title,
    description: h.description,
    address: h.address,
    lat: h.lat,
    lng: h.lng,
    status: h.status,
    deadline: h.deadline,
    overdue: h.status !== "closed" && h.deadline < today,
    plan: h.plan,
    planAt: iso(h.plan_at),
    completionNote: h.completion_note,
    completedAt: iso(h.completed_at),
    closedAt: iso(h.closed_at),
    supervisingDepartment:
      h.supervising_department_id === null
        ? null
        : { id: h.supervising_department_id, name: h.supervising_department_name ?? "" },
    supervisedAt: iso(h.supervised_at),
    supervisionNote: h.supervision_note,
    awaitingSupervision: awaitsSupervision({
      status: h.status,
      level: h.level,
      supervisingDepartmentId: h.supervising_department_id,
    }),
    version: h.version,
    createdAt: iso(h.created_at) as string,
    updatedAt: iso(h.updated_at) as string,
    allowedActions: allowedHazardActions(
      { status: h.status, level: h.level, supervisingDepartmentId: h.supervising_department_id },
      rel,
    ),
  };
}

export async function listHazards(
  deps: HazardsDeps,
  actor: Actor,
  f: z.infer<typeof hazardListQuery>,
  now = new Date(),
) {
  const today = localDay(now);
  const r = await repo.listHazards(deps.db, hazardScopeOf(actor), f, today);
  return { items: r.items.map((h) => present(h, actor, today)), total: r.total };
}

async function visibleHazard(db: Kysely<DB> | Transaction<DB>, actor: Actor, id: string) {
  const h = await repo.findHazard(db, id);
  if (!h || !canSeeHazard(relationOf(actor, h))) throw notFound("隐患", "hazard");
  return h;
}

export async function getHazard(
  deps: HazardsDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<HazardDetail> {
  const h = await visibleHazard(deps.db, actor, id);
  const [steps, files] = await Promise.all([
    repo.timeline(deps.db, id),
    inspectionsRepo.filesByIds(deps.db, [...h.evidence, ...h.found_evidence]),
  ]);
  const byId = new Map(files.map((f) => [f.id, f]));
  const filesOf = (ids: string[]) =>
    ids.flatMap((i) => {
      const f = byId.get(i);
      return f
        ? [
            {
              id: f.id,
              filename: f.filename,
              mime: f.mime,
              size: f.size,
              url: `/api/enterprise-files/${f.id}`,
              createdAt: new Date(f.created_at).toISOString(),
            },
          ]
        : [];
    });
  return {
    ...present(h, actor, localDay(now)),
    evidence: filesOf(h.evidence),
    foundEvidence: filesOf(h.found_evidence),
    timeline: steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      fromStatus: s.from_status,
      toStatus: s.to_status,
      actor: s.actor_label,
      note: s.note,
      details: s.details,
      at: new Date(s.at).toISOString(),
    })),
  };
}

/** Major hazards not yet closed, as GeoJSON points for the coordination map. */
export async function hazardMap(deps: HazardsDeps, actor: Actor, now = new Date()) {
  const today = localDay(now);
  const rows = await repo.majorOpenHazards(deps.db, hazardScopeOf(actor));
  return {
    type: "FeatureCollection" as const,
    features: rows
      .filter((r) => r.lat !== null && r.lng !== null)
      .map((r) => ({
        type: "Feature" as const,
        geometry: {
          type: "Point" as const,
          coordinates: [r.lng as number, r.lat as number] as [number, number],
        },
        properties: {
          id: r.id,
          title: r.title,
          enterpriseId: r.organisation_id,
          enterpriseName: r.organisation_name,
          level: r.level,
          status: r.status,
          deadline: r.deadline,
          overdue: r.deadline < today,
          supervised: r.supervising_department_id !== null,
        },
      })),
  };
}

/**
 * A hazard recorded by hand: by staff whose area covers the enterprise
 * (source staff), or reported by the enterprise's own officer (source report).
 */
export async function createHazard(
  deps: HazardsDeps,
  actor: Actor,
  input: z.infer<typeof createHazardBody>,
  requestId: string,
  now = new Date(),
) {
  const org = await inspectionsRepo.findEnterprise(deps.db, input.organisationId);
  const own = ownEnterpriseIds(actor).includes(input.organisationId);
  const staff = org ? isAreaStaffFor(actor, org.area_path) : false;
  if (org?.kind !== "enterprise" || !(own || staff)) throw notFound("企业", "enterprise");
  const today = localDay(now);
  if (input.deadline !== undefined && input.deadline < today)
    throw validation("整改期限不能早于今天 / the deadline cannot be in the past", [
      { path: "body.deadline", message: "past" },
    ]);
  await evidenceOf(deps.db, org.id, [{ path: "body.evidence", ids: input.evidence }]);
  const id = await deps.db.transaction().execute(async (trx) => {
    const [hid] = await recordNewHazards(
      trx,
      actor,
      [
        {
          organisation_id: org.id,
          area_path: org.area_path,
          site_id: null,
          source: staff ? "staff" : "report",
          inspection_id: null,
          item_code: null,
          spot_check_id: null,
          level: input.level,
          title: input.title,
          description: input.description ?? null,
          lat: input.lat ?? org.lat,
          lng: input.lng ?? org.lng,
          address: input.address ?? org.address,
          deadline: input.deadline ?? hazardDeadline(today, input.level),
          created_by: actor.userId,
          found_evidence: input.evidence,
        },
      ],
      { note: input.description ?? null, details: {} },
    );
    // Recorded by staff: the enterprise learns of it at once.
    if (staff && !own)
      await notifyUsers(trx, await repo.enterpriseOfficers(trx, org.id), {
        kind: "hazard.created",
        title: `新隐患待整改：${input.title}`,
        body: `整改期限 ${input.deadline ?? hazardDeadline(today, input.level)}`,
        link: `/hazards/${hid}`,
      });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "hazard.created",
        subjectType: "hazard",
        subjectId: hid,
        details: { organisationId: org.id, level: input.level, source: staff ? "staff" : "report" },
      },
    );
    return hid as string;
  });
  return getHazard(deps, actor, id, now);
}

type ActionBody =
  | { action: "plan"; body: z.infer<typeof planHazardBody> }
  | { action: "complete"; body: z.infer<typeof completeHazardBody> }
  | { action: "verify"; body: z.infer<typeof verifyHazardBody> }
  | { action: "supervise"; body: z.infer<typeof superviseHazardBody> };

const ACTION_NAMES: Record<HazardAction, string> = {
  plan: "提交整改方案",
  complete: "提交整改完成",
  verify: "验收",
  supervise: "挂牌督办",
};
const STATUS_NAMES: Record<HazardStatus, string> = {
  open: "待整改",
  rectifying: "整改中",
  submitted: "待验收",
  closed: "已销号",
};

/**
 * One guarded step on a hazard. Not visible → 404; no part in the action →
 * 403; not allowed in the current state → 409 with the allowed actions; a
 * stale version → 409. The change and its timeline row commit together.
 */
export async function actOnHazard(
  deps: HazardsDeps,
  actor: Actor,
  id: string,
  a: ActionBody,
  requestId: string,
  now = new Date(),
) {
  const found = await visibleHazard(deps.db, actor, id);
  if (a.action === "complete")
    await evidenceOf(deps.db, found.organisation_id, [
      { path: "body.evidence", ids: a.body.evidence },
    ]);
  await deps.db.transaction().execute(async (trx) => {
    const h = await repo.lockHazard(trx, id);
    if (!h) throw notFound("隐患", "hazard");
    const rel = relationOf(actor, h);
    const facts = {
      status: h.status,
      level: h.level,
      supervisingDepartmentId: h.supervising_department_id,
    };
    const check = checkHazardAction(a.action, facts, rel);
    if (!check.ok && check.reason === "forbidden")
      throw forbidden(
        a.action === "verify" && h.level === "major"
          ? "重大隐患只能由督办部门或综治中心验收 / a major hazard is verified by its supervising department or a coordinator"
          : `您不能对此隐患执行“${ACTION_NAMES[a.action]}” / you may not ${a.action} this hazard`,
      );
    if (!check.ok && check.reason === "state")
      throw conflict(
        `隐患当前为“${STATUS_NAMES[h.status]}”，不能${ACTION_NAMES[a.action]}；可执行：${check.allowed.map((x) => ACTION_NAMES[x]).join("、") || "无"} / ${a.action} is not allowed while the hazard is ${h.status}`,
        { status: h.status, allowed: check.allowed },
      );
    if (a.action === "verify" && !canAcceptVerification(a.body.decision, facts))
      throw conflict(
        "重大隐患须先由职能部门挂牌督办，才能验收销号：请辖区负有监管职责的部门（如消防救援、应急管理、派出所、住建）的工作人员先在隐患页“挂牌督办”，再由督办部门验收 / a major hazard cannot be accepted until a department covering the enterprise has put it under supervision (挂牌督办); the supervising department then verifies it",
        { requires: "supervise", allowedDecisions: ["return"] },
      );
    if (a.body.version !== h.version)
      throw conflict(
        "隐患已被他人更新，请刷新后重试 / the hazard changed meanwhile; reload and retry",
        {
          currentVersion: h.version,
        },
      );

    let patch: repo.HazardPatch;
    let note: string | null;
    let kind: string = a.action;
    let departmentId: string | null = null;
    let details: Record<string, unknown> = {};
    switch (a.action) {
      case "plan":
        patch = { status: "rectifying", plan: a.body.plan, plan_at: now };
        note = a.body.plan;
        break;
      case "complete":
        patch = {
          status: "submitted",
          evidence: a.body.evidence,
          completion_note: a.body.note,
          completed_at: now,
        };
        note = a.body.note;
        details = { evidence: a.body.evidence };
        break;
      case "verify": {
        const to = nextStatus("verify", h.status, a.body.decision);
        kind = a.body.decision === "accept" ? "accept" : "return";
        patch =
          to === "closed"
            ? { status: "closed", closed_at: now, verified_by: actor.userId }
            : { status: "rectifying" };
        note = a.body.reason ?? null;
        departmentId = rel.supervising ? h.supervising_department_id : rel.departmentId;
        break;
      }
      case "supervise":
        departmentId = rel.departmentId as string;
        patch = {
          supervising_department_id: departmentId,
          supervised_at: now,
          supervision_note: a.body.note,
        };
        note = a.body.note;
        details = {
          department: (await repo.findDepartment(trx, departmentId))?.name ?? null,
        };
        break;
    }
    const updated = await repo.updateHazard(trx, id, h.version, patch);
    if (!updated)
      throw conflict(
        "隐患已被他人更新，请刷新后重试 / the hazard changed meanwhile; reload and retry",
      );
    await repo.insertActions(trx, [
      {
        hazard_id: id,
        kind,
        from_status: h.status,
        to_status: patch.status ?? null,
        actor_user_id: actor.userId,
        actor_label: actorName(actor),
        department_id: departmentId,
        note,
        details,
      },
    ]);
    await notifyHazardStep(trx, h, kind, note, departmentId);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: `hazard.${kind}`,
        subjectType: "hazard",
        subjectId: id,
        details: { from: h.status, to: patch.status ?? h.status },
      },
    );
  });
  return getHazard(deps, actor, id, now);
}

/**
 * Who hears of a step, in the step's transaction: the enterprise of an
 * acceptance, a send-back or a supervision; the supervising department of
 * evidence waiting for its verification.
 */
async function notifyHazardStep(
  trx: Transaction<DB>,
  h: {
    id: string;
    title: string;
    organisation_id: string;
    organisation_name: string;
    supervising_department_id: string | null;
  },
  kind: string,
  note: string | null,
  departmentId: string | null,
) {
  const link = `/hazards/${h.id}`;
  const toEnterprise = (title: string, body: string | null) =>
    repo
      .enterpriseOfficers(trx, h.organisation_id)
      .then((users) => notifyUsers(trx, users, { kind: `hazard.${kind}`, title, body, link }));
  if (kind === "accept") await toEnterprise(`隐患已验收销号：${h.title}`, note);
  else if (kind === "return") await toEnterprise(`隐患整改未通过验收：${h.title}`, note);
  else if (kind === "supervise") await toEnterprise(`重大隐患已挂牌督办：${h.title}`, note);
  else if (kind === "complete") {
    const dept = h.supervising_department_id ?? departmentId;
    if (dept)
      await notifyUsers(trx, await departmentOfficers(trx, [dept]), {
        kind: "hazard.complete",
        title: `隐患整改待验收：${h.organisation_name} · ${h.title}`,
        body: note,
        link,
      });
  }
}

/**
 * For other modules (the grid risk index): hazards open at `at` of the
 * enterprises with a site (or their registered place) in each grid under
 * `rootPath`, and how many of them are major.
 */
export async function openEnterpriseHazardsByGrid(
  deps: HazardsDeps,
  rootPath: string,
  at: Date,
): Promise<Map<string, { open: number; major: number }>> {
  const rows = await repo.openHazardsByEnterpriseGrid(deps.db, rootPath, at);
  return new Map(rows.map((r) => [r.area_path, { open: r.open, major: r.major }]));
}
