/**
 * Cases (事件): intake from every channel, routing by the responsibility
 * list, deadlines on the working-time clock, the life cycle, and what each
 * person may see of a case. Every change writes the case's action log, an
 * audit row and the notifications it causes in the same transaction.
 */

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { type CaseCategoryDef, validateCaseFields } from "../../../shared/case-taxonomy.js";
import { maskMobile } from "../../../shared/formats/mobile.js";
import { isEnterpriseRole } from "../../../shared/roles.js";
import type {
  CaseAction,
  CaseChannel,
  CaseDetail,
  CaseMap,
  CaseStatus,
  CaseSummary,
  CreateCaseBody,
  TIMELINE_ACTIONS,
  TransitionBody,
} from "../../../shared/schemas/cases.js";
import {
  addWorkingDays,
  addWorkingHours,
  addWorkingMs,
  workingMsBetween,
} from "../../../shared/working-time.js";
import type { Config } from "../../config.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { CaseStatusValue, DB } from "../../db/schema.js";
import { AppError, conflict, forbidden, notFound, validation } from "../../errors.js";
import { type Actor, areaScopePaths, pathWithin } from "../access/access.policy.js";
import { auditRowValues, recordAudit } from "../audit/audit.service.js";
import { departmentOfficers } from "../departments/departments.service.js";
import type { EventBus } from "../events/event-bus.js";
import type { AreaLocator } from "../geo/areas.service.js";
import { type CaseIntakeWriter, intakeWriterFor } from "./case-intake-writer.js";
import {
  allowedActions,
  type CaseFacts,
  type CaseRelation,
  checkTransition,
  feedbackOutcome,
  OPEN_STATUSES,
} from "./case-lifecycle.js";
import {
  checkMentions,
  type Mentionable,
  type MentionCase,
  mentionableOn,
  mentionNotices,
  mentionsByAction,
} from "./case-mentions.js";
import { type CaseReference, snapshotRoutingSource } from "./case-reference.js";
import * as repo from "./cases.repository.js";
import { dbRoutingSource, type RouteOutcome, routeCase } from "./routing-rules.service.js";

export interface CasesDeps {
  db: Kysely<DB>;
  config: Config;
  fieldCrypto: FieldCrypto;
  locator: AreaLocator;
  /** the categories, the list and the departments, held for intake */
  reference: CaseReference;
  /** live updates for open pages (optional: the command line has none) */
  events?: EventBus;
  /** groups concurrent reports into shared statements (default: one per database) */
  intake?: CaseIntakeWriter;
}

type CategoryRow = NonNullable<Awaited<ReturnType<typeof repo.findCategory>>>;

const SYSTEM_LABEL = "系统";
const ANONYMOUS_LABEL = "匿名群众";

// ---------------------------------------------------------------- categories

export function categoryDef(c: CategoryRow): CaseCategoryDef {
  return {
    code: c.code,
    name: c.name,
    parent: c.parent_code,
    severity: c.severity,
    invalid: c.invalid,
    redirect: c.redirect,
    sensitive: c.sensitive,
    verify: c.verify,
    acceptHours: c.accept_hours,
    resolveDays: c.resolve_days,
    fields: (c.fields ?? []) as CaseCategoryDef["fields"],
    description: c.description ?? "",
    serviceNotice: c.service_notice,
  };
}

/** A category as the API shows it (GET /api/categories and the editor). */
export function presentCategory(c: CategoryRow) {
  return {
    code: c.code,
    name: c.name,
    parent: c.parent_code,
    severity: c.severity,
    invalid: c.invalid,
    redirect: c.redirect,
    description: c.description,
    serviceNotice: c.service_notice,
    fields: (c.fields ?? []) as CaseCategoryDef["fields"],
    sensitive: c.sensitive,
    verify: c.verify,
    acceptHours: c.accept_hours,
    resolveDays: c.resolve_days,
    retired: c.retired_at !== null,
    version: c.version,
  };
}

/** The categories offered for new reports; with `includeRetired`, every one. */
export async function listCategories(
  deps: Pick<CasesDeps, "db">,
  opts: { includeRetired?: boolean } = {},
) {
  const rows = await repo.listCategories(deps.db);
  return rows.filter((c) => opts.includeRetired || c.retired_at === null).map(presentCategory);
}

// ------------------------------------------------------------------- scope

const departmentIdsOf = (a: Actor) =>
  a.grants
    .filter((g) => g.role === "department_officer" && g.scopeId !== null)
    .map((g) => g.scopeId as string);

const organisationIdsOf = (a: Actor) =>
  a.grants
    .filter((g) => (isEnterpriseRole(g.role) || g.role === "association_rep") && g.scopeId)
    .map((g) => g.scopeId as string);

export function caseScopeOf(actor: Actor): repo.CaseScope {
  return {
    allPaths: areaScopePaths(actor, ["admin", "coordinator"]),
    openPaths: areaScopePaths(actor, ["grid_worker"]),
    departmentIds: departmentIdsOf(actor),
    organisationIds: organisationIdsOf(actor),
    reporterUserId: actor.kind === "user" ? actor.userId : null,
    // Volunteers (residents) invited to mediate see those cases too.
    mediatorUserId:
      actor.kind === "user" && actor.grants.some((g) => g.role === "resident")
        ? actor.userId
        : null,
  };
}

const covers = (a: Actor, roles: string[], path: string) =>
  a.grants.some(
    (g) => roles.includes(g.role) && g.areaPath !== null && pathWithin(path, g.areaPath),
  );

type Party = Awaited<ReturnType<typeof repo.caseParties>>[number];

function relationOf(
  actor: Actor | null,
  c: Pick<
    repo.CaseRow,
    | "reporter_user_id"
    | "lead_department_id"
    | "area_path"
    | "sensitive"
    | "reporter_organisation_id"
    | "reporter_token_id"
  >,
  parties: (Pick<
    Party,
    "id" | "active" | "role" | "status" | "department_id" | "organisation_id"
  > & {
    user_id?: string | null;
  })[],
  holdsSecret: boolean,
): CaseRelation & { organisation: boolean; former: boolean; openTaskId: string | null } {
  if (!actor)
    return {
      ...NO_RELATION,
      reporter: holdsSecret,
      organisation: false,
      former: false,
      openTaskId: null,
    };
  const depts = new Set(departmentIdsOf(actor));
  const orgs = new Set(organisationIdsOf(actor));
  const coordinator = covers(actor, ["admin", "coordinator"], c.area_path);
  // A volunteer invited to mediate works the case as an assisting party.
  const mine = (p: {
    department_id: string | null;
    organisation_id: string | null;
    user_id?: string | null;
  }) =>
    (p.department_id !== null && depts.has(p.department_id)) ||
    (p.organisation_id !== null && orgs.has(p.organisation_id)) ||
    (p.user_id != null && actor.kind === "user" && p.user_id === actor.userId);
  return {
    reporter:
      holdsSecret ||
      (c.reporter_user_id !== null && c.reporter_user_id === actor.userId) ||
      // A system that reported through its API token follows its own reports.
      (actor.kind === "token" &&
        c.reporter_token_id !== null &&
        c.reporter_token_id === actor.tokenId),
    lead: c.lead_department_id !== null && depts.has(c.lead_department_id),
    assisting: parties.some(
      (p) => p.active && (p.role === "assist" || p.role === "mediator") && mine(p),
    ),
    areaStaff: coordinator || (!c.sensitive && covers(actor, ["grid_worker"], c.area_path)),
    coordinator,
    organisation: c.reporter_organisation_id !== null && orgs.has(c.reporter_organisation_id),
    // Once a party (a lead that returned the case): may still read it.
    former: parties.some(
      (p) => !p.active && p.department_id !== null && depts.has(p.department_id),
    ),
    openTaskId:
      parties.find(
        (p) =>
          p.active &&
          (p.role === "assist" || p.role === "mediator") &&
          p.status === "open" &&
          mine(p),
      )?.id ?? null,
  };
}

const NO_RELATION: CaseRelation = {
  reporter: false,
  lead: false,
  assisting: false,
  areaStaff: false,
  coordinator: false,
};

function factsOf(row: repo.CaseRow, rel: { openTaskId: string | null }): CaseFacts {
  return {
    status: row.status,
    supervised: row.supervised,
    closedAt: row.closed_at ? new Date(row.closed_at) : null,
    hasLead: row.lead_department_id !== null,
    extensionPending: row.extension_requested_days !== null,
    paused: row.paused_at !== null,
    myOpenTask: rel.openTaskId !== null,
  };
}

const isStaffRelation = (r: CaseRelation & { organisation: boolean; former?: boolean }) =>
  r.lead || r.assisting || r.areaStaff || r.coordinator || r.organisation || r.former === true;

// ---------------------------------------------------------------- deadlines

function deadlinesFrom(deps: CasesDeps, cat: CategoryRow, severity: string, from: Date) {
  const acceptHours = severity === "urgent" ? Math.min(1, cat.accept_hours) : cat.accept_hours;
  return {
    accept_due_at: addWorkingHours(from, acceptHours, deps.config.workCalendar),
    resolve_due_at: addWorkingDays(from, cat.resolve_days, deps.config.workCalendar),
  };
}

function dueStateOf(
  status: CaseStatus,
  acceptDue: Date | null,
  resolveDue: Date | null,
  now: Date,
  soonMs: number,
  paused: boolean,
): CaseSummary["dueState"] {
  // While the case waits for the reporter its clock stands still.
  const due =
    status === "dispatched"
      ? acceptDue
      : (status === "accepted" || status === "in_progress") && !paused
        ? resolveDue
        : null;
  if (!due) return null;
  if (due.getTime() < now.getTime()) return "overdue";
  if (due.getTime() - now.getTime() <= soonMs) return "due_soon";
  return "on_time";
}

// ------------------------------------------------------------------- intake

function channelFor(actor: Actor | null, body: CreateCaseBody): CaseChannel {
  if (!actor || body.anonymous) return "anonymous";
  if (actor.kind === "token") return "api";
  const roles = new Set(actor.grants.map((g) => g.role));
  const staff = roles.has("coordinator") || roles.has("admin") || roles.has("department_officer");
  if (body.channel) {
    const allowed: CaseChannel[] = ["web"];
    if (roles.has("grid_worker") || staff) allowed.push("patrol");
    if (staff || roles.has("grid_worker")) allowed.push("hotline");
    if (roles.has("enterprise_officer") || roles.has("enterprise_manager"))
      allowed.push("enterprise");
    if (!allowed.includes(body.channel))
      throw fieldError(
        "body.channel",
        `无权使用渠道 ${body.channel} / channel ${body.channel} is not yours`,
      );
    return body.channel;
  }
  if (roles.has("grid_worker")) return "patrol";
  if (roles.has("enterprise_officer") || roles.has("enterprise_manager")) return "enterprise";
  // Staff reporting what they saw themselves; a hotline report says so.
  return "web";
}

/** Who a step was by, as people read it on the timeline. */
const personOf = (actor: Actor) => actor.displayName ?? actor.label;

function reporterLabel(actor: Actor | null, channel: CaseChannel) {
  if (channel === "anonymous" || !actor) return ANONYMOUS_LABEL;
  return personOf(actor);
}

/** How the reporter reads on a case: anonymous, the hotline caller, or who reported it. */
function reporterShown(
  channel: CaseChannel,
  c: { on_behalf_name: string | null; on_behalf_phone_masked: string | null },
  reportedBy: string,
) {
  if (channel === "anonymous") return ANONYMOUS_LABEL;
  if (channel === "hotline")
    return `热线来电：${c.on_behalf_name ?? ""}${c.on_behalf_phone_masked ? ` ${c.on_behalf_phone_masked}` : ""}`;
  return reportedBy;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** 160 random bits as 32 characters: not guessable, and lookups are rate-limited. */
function newTrackingSecret() {
  return randomBytes(20).toString("base64url").replace(/[-_]/g, "x").slice(0, 27);
}

/** Case numbers read SJ + the day in China + a running number: SJ20261129000042. */
function caseCodePrefix(now: Date) {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll("-", "");
  return `SJ${day}`;
}

export interface IntakeResult {
  detail: CaseDetail;
  replayed: boolean;
}

/**
 * Takes in a case. With an idempotency key, a retry of the same request
 * (same caller, same key, same body) answers with the first result; the key
 * reused for a different body is refused.
 */
export async function createCase(
  deps: CasesDeps,
  actor: Actor | null,
  body: CreateCaseBody,
  ctx: {
    requestId: string;
    idempotencyKey?: string | undefined;
    now?: Date;
    /** Go through the whole path, write in a transaction, then roll it back (Open311's test endpoint). */
    dryRun?: boolean;
    /** A volunteer's observation on a shift (the volunteers module checked the shift): channel 'volunteer'. */
    volunteer?: boolean;
  },
): Promise<IntakeResult> {
  const now = ctx.now ?? new Date();
  const scope =
    !actor || body.anonymous
      ? "anonymous"
      : actor.kind === "token"
        ? `token:${actor.tokenId}`
        : `user:${actor.userId}`;
  const requestHash = sha256(JSON.stringify(body));
  if (ctx.idempotencyKey && !ctx.dryRun) {
    const earlier = await repo.findIdempotent(deps.db, scope, ctx.idempotencyKey);
    if (earlier) return replay(deps, actor, earlier, requestHash);
  }

  const ref = await deps.reference.get();
  const cat = ref.categories.get(body.categoryCode);
  if (!cat)
    throw fieldError("body.categoryCode", `未知的事件类别 ${body.categoryCode} / unknown category`);
  if (cat.retired_at !== null)
    throw fieldError(
      "body.categoryCode",
      `类别「${cat.name}」已停用，请选择其他类别 / the category is retired; choose another`,
    );
  if (cat.invalid)
    throw validation(cat.redirect ?? "此类事项不在本平台受理范围 / not handled here", [
      {
        path: "body.categoryCode",
        message: cat.redirect ?? "not handled here",
        redirect: cat.redirect,
      },
    ]);
  if (cat.parent_code === null)
    throw fieldError("body.categoryCode", "请选择具体的子类别 / choose a sub-category");
  const checked = validateCaseFields(categoryDef(cat), body.fields);
  if (!checked.ok)
    throw validation(
      checked.errors.map((e) => e.message).join("；"),
      checked.errors.map((e) => ({ path: `body.fields.${e.field}`, message: e.message })),
    );
  const channel: CaseChannel =
    ctx.volunteer && actor?.kind === "user" ? "volunteer" : channelFor(actor, body);
  if (channel === "hotline" && !body.onBehalf)
    throw fieldError(
      "body.onBehalf",
      "热线代报须填写来电人姓名 / a hotline report needs the caller's name",
    );
  if (body.anonymous && actor && actor.kind === "token")
    throw validation("API 提交不能匿名 / API submissions are not anonymous");
  const grid = await deps.locator.locate(body.lng, body.lat);
  if (!grid)
    throw fieldError(
      "body.lat",
      "位置不在本区范围内，请重新选点 / the location is outside the district",
    );

  const severity = cat.severity;
  const secret = channel === "anonymous" ? newTrackingSecret() : null;
  const organisationId =
    channel === "enterprise" && actor ? (organisationIdsOf(actor)[0] ?? null) : null;

  const routed = cat.verify
    ? null
    : await routeCase(snapshotRoutingSource(ref, deps.db), {
        categoryCode: cat.code,
        areaPath: grid.path,
        severity,
        fields: checked.value,
      });
  const dispatched = routed?.lead
    ? { lead: routed.lead, assist: routed.assist, ruleId: routed.ruleId }
    : null;
  const status: CaseStatusValue = dispatched ? "dispatched" : "reported";
  const due = dispatched ? deadlinesFrom(deps, cat, severity, now) : null;
  const label = reporterLabel(actor, channel);
  const reporterUserId = channel === "anonymous" || !actor ? null : actor.userId;
  const row: repo.CaseIntakeRow = {
    category_code: cat.code,
    severity,
    status,
    description: body.description,
    fields: checked.value,
    lat: body.lat,
    lng: body.lng,
    address: body.address ?? null,
    grid_id: grid.id,
    area_path: grid.path,
    channel,
    reporter_user_id: reporterUserId,
    reporter_token_id: actor?.kind === "token" ? actor.tokenId : null,
    reporter_organisation_id: organisationId,
    on_behalf_name: body.onBehalf?.name ?? null,
    on_behalf_phone_enc: body.onBehalf?.phone
      ? deps.fieldCrypto.encrypt(body.onBehalf.phone, "cases.on_behalf_phone")
      : null,
    on_behalf_phone_masked: body.onBehalf?.phone ? maskMobile(body.onBehalf.phone) : null,
    anonymous_secret_hash: secret ? sha256(secret) : null,
    lead_department_id: dispatched?.lead.id ?? null,
    routing_rule_id: dispatched?.ruleId ?? null,
    dispatched_at: dispatched ? now : null,
    accept_due_at: due?.accept_due_at ?? null,
    resolve_due_at: due?.resolve_due_at ?? null,
    created_at: now,
    updated_at: now,
  };
  const actions = [
    {
      ord: 0,
      action: "report",
      from_status: null,
      to_status: "reported",
      actor_user_id: channel === "anonymous" ? null : (actor?.userId ?? null),
      actor_label: label,
      department_id: null,
      note: null,
      visibility: "public" as const,
      details: { channel },
    },
    ...(dispatched
      ? [
          {
            ord: 1,
            action: "dispatch",
            from_status: "reported",
            to_status: "dispatched",
            actor_user_id: null,
            actor_label: `${SYSTEM_LABEL}（权责清单）`,
            department_id: dispatched.lead.id,
            note: `派往 ${dispatched.lead.name}${dispatched.assist.length ? `，协办：${dispatched.assist.map((x) => x.name).join("、")}` : ""}`,
            visibility: "public" as const,
            details: { ruleId: dispatched.ruleId },
          },
        ]
      : []),
  ];
  const parties = dispatched
    ? [
        { role: "lead" as const, department_id: dispatched.lead.id, organisation_id: null },
        ...dispatched.assist.map((x) => ({
          role: "assist" as const,
          department_id: x.departmentId,
          organisation_id: x.organisationId,
        })),
      ]
    : [];
  const notified = dispatched
    ? [
        ...new Set(
          [
            dispatched.lead.id,
            ...dispatched.assist.flatMap((x) => (x.departmentId ? [x.departmentId] : [])),
          ].flatMap((d) => ref.officers.get(d) ?? []),
        ),
      ]
    : [];
  const whole: repo.CaseIntakeRows = {
    codePrefix: caseCodePrefix(now),
    row,
    parties,
    actions,
    notifications: notified.map((u) => ({
      user_id: u,
      kind: "case.dispatched",
      title: `新派单 {code}：${cat.name}`,
      body: body.description.slice(0, 120),
    })),
    // The case's id and number are filled in by the statement.
    audit: auditRowValues(
      // An anonymous report is recorded without anyone behind it.
      { actor: channel === "anonymous" ? null : actor, requestId: ctx.requestId },
      {
        action: "case.reported",
        subjectType: "case",
        details: { category: cat.code, channel, status },
      },
      now,
    ),
  };
  let inserted: repo.InsertedCase;
  if (ctx.dryRun) {
    inserted = await deps.db
      .transaction()
      .execute(async (trx) => {
        const [r] = await repo.insertCases(trx, [whole]);
        throw new DryRunDone(r);
      })
      .catch((err: unknown) => {
        if (err instanceof DryRunDone && err.inserted) return err.inserted;
        throw err;
      });
  } else if (!ctx.idempotencyKey) {
    // One statement, shared with concurrent reports: atomic without a
    // transaction, one round trip.
    inserted = await (deps.intake ?? intakeWriterFor(deps.db)).write(whole);
  } else {
    const key = ctx.idempotencyKey;
    const outcome = await deps.db
      .transaction()
      .execute(async (trx) => {
        const [r] = await repo.insertCases(trx, [whole]);
        if (!r) throw new Error("the case was not inserted");
        const saved = await repo.saveIdempotent(trx, {
          scope,
          key,
          request_hash: requestHash,
          status_code: 201,
          response: {
            sealed: deps.fieldCrypto.encrypt(
              JSON.stringify({ id: r.id, secret }),
              "idempotency.cases",
            ),
          },
        });
        // A concurrent retry took the key first: undo this one, answer with that.
        if (!saved) throw new IdempotencyRace();
        return { inserted: r };
      })
      .catch(async (err: unknown) => {
        if (err instanceof IdempotencyRace) {
          const earlier = await repo.findIdempotent(deps.db, scope, key);
          if (earlier) return { replay: earlier };
        }
        throw err;
      });
    if ("replay" in outcome) return replay(deps, actor, outcome.replay, requestHash);
    inserted = outcome.inserted;
  }

  if (notified.length && !ctx.dryRun)
    deps.events?.publish({ type: "notifications", userIds: notified });
  // The answer is built from what was written: no second read.
  const partyRows = inserted.parties ?? [];
  const rel = relationOf(
    actor && channel !== "anonymous" ? actor : null,
    {
      reporter_user_id: reporterUserId,
      lead_department_id: row.lead_department_id,
      area_path: row.area_path,
      sensitive: cat.sensitive,
      reporter_organisation_id: organisationId,
      reporter_token_id: row.reporter_token_id,
    },
    partyRows.map((p) => ({ ...p, active: true, status: "open" as const })),
    secret !== null,
  );
  const nameOf = (p: { department_id: string | null; organisation_id: string | null }) =>
    p.department_id !== null && p.department_id === dispatched?.lead.id
      ? dispatched.lead.name
      : (dispatched?.assist.find(
          (x) => x.departmentId === p.department_id && x.organisationId === p.organisation_id,
        )?.name ?? "");
  const detail: CaseDetail = {
    id: inserted.id,
    code: inserted.code,
    categoryCode: cat.code,
    categoryName: cat.name,
    severity,
    status,
    description: body.description,
    address: row.address,
    lat: body.lat,
    lng: body.lng,
    grid: { code: grid.code, name: grid.name },
    lead: dispatched ? { id: dispatched.lead.id, name: dispatched.lead.name } : null,
    channel,
    createdAt: new Date(inserted.created_at).toISOString(),
    acceptDueAt: due ? due.accept_due_at.toISOString() : null,
    resolveDueAt: due ? due.resolve_due_at.toISOString() : null,
    dueState: dueStateOf(
      status,
      due?.accept_due_at ?? null,
      due?.resolve_due_at ?? null,
      now,
      soonMsOf(deps),
      false,
    ),
    supervised: false,
    version: 1,
    fields: checked.value,
    reporter: {
      kind: channel,
      label: reporterShown(channel, row, label),
    },
    parties: partyRows.map((p) => ({
      id: p.id,
      role: p.role,
      kind: p.department_id ? ("department" as const) : ("organisation" as const),
      name: nameOf(p),
      task: null,
      status: "open" as const,
      dueAt: null,
      note: null,
    })),
    feedback: null,
    timeline: actions.map((x, i) => ({
      id: inserted.actions[i]?.id ?? "",
      action: x.action as CaseDetail["timeline"][number]["action"],
      fromStatus: x.from_status as CaseStatus | null,
      toStatus: x.to_status as CaseStatus | null,
      actor: x.actor_label,
      note: x.note,
      visibility: x.visibility,
      createdAt: new Date(inserted.actions[i]?.created_at ?? now).toISOString(),
    })),
    openTasks: 0,
    extensionRequestedDays: null,
    pausedAt: null,
    mergedInto: null,
    possibleDuplicates: [],
    allowedActions: allowedActions(
      { status, supervised: false, closedAt: null, hasLead: dispatched !== null },
      rel,
      now,
      { reopenDays: deps.config.caseReopenDays },
    ),
  };
  if (secret) detail.tracking = { code: inserted.code, secret };
  return { detail, replayed: false };
}

class IdempotencyRace extends Error {}

/** Thrown out of a dry run's transaction so that it rolls back. */
class DryRunDone extends Error {
  constructor(readonly inserted: repo.InsertedCase | undefined) {
    super("dry run");
  }
}

/** A retry comes within minutes; a day of keys is plenty. */
export function pruneIdempotencyKeys(deps: Pick<CasesDeps, "db">, now = new Date()) {
  return repo.pruneIdempotencyKeys(deps.db, new Date(now.getTime() - 86_400_000));
}

async function replay(
  deps: CasesDeps,
  actor: Actor | null,
  earlier: NonNullable<Awaited<ReturnType<typeof repo.findIdempotent>>>,
  requestHash: string,
): Promise<IntakeResult> {
  if (earlier.request_hash !== requestHash)
    throw new AppError(
      "conflict",
      422,
      "此 Idempotency-Key 已用于另一份提交；新的提交请换一个键 / this Idempotency-Key was used for a different request",
    );
  const { sealed } = earlier.response as { sealed: string };
  const first = JSON.parse(deps.fieldCrypto.decrypt(sealed, "idempotency.cases")) as {
    id: string;
    secret: string | null;
  };
  // The first answer again, as this caller sees the case now.
  const detail = await getCaseFor(deps, actor, first.id, { secret: first.secret ?? undefined });
  if (first.secret) detail.tracking = { code: detail.code, secret: first.secret };
  return { detail, replayed: true };
}

// -------------------------------------------------------------------- reads

function present(row: repo.CaseListRow | repo.CaseRow, now: Date, soonMs: number): CaseSummary {
  return {
    id: row.id,
    code: row.code,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    severity: row.severity,
    status: row.status,
    description: row.description,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    grid: row.grid_code ? { code: row.grid_code, name: row.grid_name ?? "" } : null,
    lead:
      row.lead_department_id && row.lead_name
        ? { id: row.lead_department_id, name: row.lead_name }
        : null,
    channel: row.channel,
    createdAt: new Date(row.created_at).toISOString(),
    acceptDueAt: row.accept_due_at ? new Date(row.accept_due_at).toISOString() : null,
    resolveDueAt: row.resolve_due_at ? new Date(row.resolve_due_at).toISOString() : null,
    dueState: dueStateOf(
      row.status,
      row.accept_due_at ? new Date(row.accept_due_at) : null,
      row.resolve_due_at ? new Date(row.resolve_due_at) : null,
      now,
      soonMs,
      row.paused_at !== null,
    ),
    supervised: row.supervised,
    version: row.version,
  };
}

/** Metres between two points (haversine). */
function metresBetween(lat1: number, lng1: number, lat2: number, lng2: number) {
  const r = (d: number) => (d * Math.PI) / 180;
  const a =
    Math.sin(r(lat2 - lat1) / 2) ** 2 +
    Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lng2 - lng1) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

/**
 * Open cases of the same family within CASE_DUPLICATE_METRES and
 * CASE_DUPLICATE_HOURS of this one that the viewer may see, nearest first.
 */
async function likelyDuplicates(deps: CasesDeps, actor: Actor | null, row: repo.CaseRow) {
  if (!actor || !row.family) return [];
  const m = deps.config.caseDuplicateMetres;
  const hours = deps.config.caseDuplicateHours * 3600_000;
  const dLat = m / 111_320;
  const dLng = m / (111_320 * Math.cos((row.lat * Math.PI) / 180));
  const at = new Date(row.created_at).getTime();
  const found = await repo.duplicateCandidates(deps.db, {
    id: row.id,
    family: row.family,
    box: [row.lng - dLng, row.lat - dLat, row.lng + dLng, row.lat + dLat],
    from: new Date(at - hours),
    to: new Date(at + hours),
  });
  const scope = caseScopeOf(actor);
  const visible = (path: string) =>
    [...scope.allPaths, ...scope.openPaths].some((p) => path.startsWith(p));
  return found
    .map((c) => ({ c, d: metresBetween(row.lat, row.lng, c.lat, c.lng) }))
    .filter((x) => x.d <= m && visible(x.c.area_path))
    .sort((a, b) => a.d - b.d)
    .slice(0, 10)
    .map(({ c, d }) => ({
      id: c.id,
      code: c.code,
      categoryName: c.category_name,
      status: c.status,
      distanceM: Math.round(d),
      createdAt: new Date(c.created_at).toISOString(),
    }));
}

const soonMsOf = (deps: CasesDeps) => deps.config.caseDueSoonHours * 3600_000;

async function presentDetail(
  deps: CasesDeps,
  row: repo.CaseRow,
  parties: Party[],
  actor: Actor | null | undefined,
  holdsSecret: boolean,
  now: Date,
): Promise<CaseDetail> {
  const rel = relationOf(actor ?? null, row, parties, holdsSecret);
  const staffView = isStaffRelation(rel);
  const timeline = await repo.caseTimeline(deps.db, row.id, !staffView);
  const mentions = await mentionsByAction(deps.db, row.id);
  const facts = factsOf(row, rel);
  return {
    ...present(row, now, soonMsOf(deps)),
    fields: row.fields,
    reporter: {
      kind: row.channel,
      label: reporterShown(
        row.channel,
        row,
        timeline.find((t) => t.action === "report")?.actor_label ?? "",
      ),
    },
    parties: parties
      .filter((p) => p.active)
      .map((p) => ({
        id: p.id,
        role: p.role,
        kind: p.department_id
          ? ("department" as const)
          : p.user_id
            ? ("volunteer" as const)
            : ("organisation" as const),
        name: p.department_name ?? p.organisation_name ?? p.user_name ?? "",
        task: p.task,
        status: p.status,
        dueAt: p.due_at ? new Date(p.due_at).toISOString() : null,
        note: p.note,
      })),
    openTasks: parties.filter(
      (p) => p.active && p.role !== "lead" && p.status === "open" && p.task !== null,
    ).length,
    extensionRequestedDays: row.extension_requested_days,
    pausedAt: row.paused_at ? new Date(row.paused_at).toISOString() : null,
    mergedInto:
      row.merged_into_id && row.merged_into_code
        ? { id: row.merged_into_id, code: row.merged_into_code }
        : null,
    // Staff who work the case see what may be the same case reported again.
    possibleDuplicates:
      (rel.coordinator || rel.areaStaff || rel.lead) && OPEN_STATUSES.includes(row.status)
        ? await likelyDuplicates(deps, actor ?? null, row)
        : [],
    feedback:
      row.feedback_rating !== null
        ? { rating: row.feedback_rating, comment: row.feedback_comment }
        : null,
    timeline: timeline.map((t) => ({
      id: t.id,
      action: t.action as (typeof TIMELINE_ACTIONS)[number],
      fromStatus: t.from_status,
      toStatus: t.to_status,
      actor: t.actor_label,
      note: t.note,
      visibility: t.visibility,
      createdAt: new Date(t.created_at).toISOString(),
      ...(mentions.has(t.id) ? { mentions: mentions.get(t.id) } : {}),
    })),
    allowedActions: allowedActions(facts, rel, now, { reopenDays: deps.config.caseReopenDays }),
  };
}

async function getCaseFor(
  deps: CasesDeps,
  actor: Actor | null,
  id: string,
  opts: { secret?: string | undefined; now?: Date } = {},
): Promise<CaseDetail> {
  const row = await repo.findCase(deps.db, id);
  if (!row) throw notFound("事件", "case");
  const parties = await repo.caseParties(deps.db, id, true);
  const holds = secretMatches(row.anonymous_secret_hash, opts.secret);
  const rel = relationOf(actor, row, parties, holds);
  if (!rel.reporter && !isStaffRelation(rel)) throw notFound("事件", "case");
  return presentDetail(deps, row, parties, actor, holds, opts.now ?? new Date());
}

export function getCase(deps: CasesDeps, actor: Actor, id: string) {
  return getCaseFor(deps, actor, id);
}

/** The anonymous reporter's view by case id and secret (a wrong secret: 404). */
export function getCaseBySecret(deps: CasesDeps, id: string, secret: string) {
  return getCaseFor(deps, null, id, { secret });
}

/**
 * How a caller stands to a case, for modules that hang things on cases
 * (attachments): null when they may not see it (answer 404).
 */
export async function caseAccess(
  deps: Pick<CasesDeps, "db">,
  actor: Actor | null,
  id: string,
  secret?: string | undefined,
): Promise<{ staff: boolean; reporter: boolean; label: string } | null> {
  const row = await repo.findCase(deps.db, id);
  if (!row) return null;
  const holds = secretMatches(row.anonymous_secret_hash, secret);
  const rel = relationOf(actor, row, await repo.caseParties(deps.db, id, true), holds);
  const staff = isStaffRelation(rel);
  if (!rel.reporter && !staff) return null;
  return { staff, reporter: rel.reporter, label: !actor ? ANONYMOUS_LABEL : personOf(actor) };
}

/** What @mentions need of a case (case-mentions.ts). */
const mentionCaseOf = (row: repo.CaseRow, parties: Party[]): MentionCase => ({
  areaPath: row.area_path,
  reporterUserId: row.channel === "anonymous" ? null : row.reporter_user_id,
  parties,
});

/** Works the case (rather than only reported it, or belongs to the reporting enterprise). */
const worksCase = (rel: CaseRelation & { former?: boolean }) =>
  isStaffRelation({ ...rel, organisation: false });

/**
 * Who the caller may mention in a comment on the case (GET
 * /api/cases/:id/mentionable): 404 when they may not see it, 403 when they
 * only reported it.
 */
export async function caseMentionable(
  deps: Pick<CasesDeps, "db">,
  actor: Actor,
  id: string,
): Promise<Mentionable[]> {
  const row = await repo.findCase(deps.db, id);
  if (!row) throw notFound("事件", "case");
  const parties = await repo.caseParties(deps.db, id, true);
  const rel = relationOf(actor, row, parties, false);
  if (!rel.reporter && !isStaffRelation(rel)) throw notFound("事件", "case");
  if (!worksCase(rel))
    throw forbidden("只有办理人员可以在留言中提及他人 / only staff on the case may mention people");
  return mentionableOn(deps.db, mentionCaseOf(row, parties), actor.userId);
}

/** A step other modules add to a case's timeline (an attachment), in their transaction. */
export function recordCaseStep(
  trx: Transaction<DB>,
  step: {
    caseId: string;
    action: "attach";
    actorUserId: string | null;
    actorLabel: string;
    note: string;
    visibility: "internal" | "public";
    details?: Record<string, unknown>;
  },
) {
  return repo.insertAction(trx, {
    case_id: step.caseId,
    action: step.action,
    from_status: null,
    to_status: null,
    actor_user_id: step.actorUserId,
    actor_label: step.actorLabel,
    note: step.note,
    visibility: step.visibility,
    details: step.details ?? {},
  });
}

/**
 * Brings an organisation into a case as an assisting party with a task,
 * because of an agreement made in another module (an association accepting
 * an enterprise's request to mediate the dispute of that case), inside that
 * module's transaction: the party, the step on the timeline and the lead's
 * notification are written with its change. "closed": the case is no longer
 * open and nothing was written; "already": it is an assisting party already.
 */
export async function joinCaseAsAssistingOrganisation(
  trx: Transaction<DB>,
  step: {
    caseId: string;
    organisationId: string;
    task: string;
    actorUserId: string | null;
    actorLabel: string;
  },
): Promise<"added" | "already" | "closed"> {
  const row = await repo.findCase(trx, step.caseId);
  if (!row || !OPEN_STATUSES.includes(row.status)) return "closed";
  const parties = await repo.caseParties(trx, step.caseId);
  if (
    parties.some(
      (p) => p.active && p.role === "assist" && p.organisation_id === step.organisationId,
    )
  )
    return "already";
  const org = await repo.findOrganisation(trx, step.organisationId);
  if (!org) throw notFound("单位", "organisation");
  if (!(await repo.updateCase(trx, step.caseId, row.version, {})))
    throw conflict("事件已被他人更新，请刷新后重试 / the case changed meanwhile; reload and retry");
  await repo.insertParties(trx, [
    {
      case_id: step.caseId,
      role: "assist",
      department_id: null,
      organisation_id: step.organisationId,
      task: step.task,
    },
  ]);
  await repo.insertAction(trx, {
    case_id: step.caseId,
    action: "invite",
    from_status: null,
    to_status: null,
    actor_user_id: step.actorUserId,
    actor_label: step.actorLabel,
    note: `${org.name} 加入协办：${step.task}`,
    visibility: "public",
    details: { organisationId: step.organisationId, task: step.task, agreed: true },
  });
  const lead = row.lead_department_id
    ? await departmentOfficers(trx, [row.lead_department_id])
    : [];
  await repo.insertNotifications(
    trx,
    lead.map((u) => ({
      user_id: u,
      kind: "case.invited",
      case_id: step.caseId,
      title: `${org.name} 加入协办 ${row.code}`,
      body: step.task.slice(0, 120),
    })),
  );
  return "added";
}

/**
 * A case as the volunteers module needs it (issue 7: hometown mediation and
 * follow-up visits): null when the caller does not work the case (answer
 * 404). `mayInviteMediator`: the lead, a coordinator or the grid's staff, on
 * a case still being worked on.
 */
export async function caseForVolunteering(
  deps: Pick<CasesDeps, "db">,
  actor: Actor,
  id: string,
  trx?: Transaction<DB>,
) {
  const db = trx ?? deps.db;
  const row = await repo.findCase(db, id);
  if (!row) return null;
  const parties = await repo.caseParties(db, id, true);
  const rel = relationOf(actor, row, parties, false);
  if (!worksCase(rel)) return null;
  return {
    id: row.id,
    code: row.code,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    status: row.status,
    version: row.version,
    areaPath: row.area_path,
    gridId: row.grid_id,
    reporterUserId: row.channel === "anonymous" ? null : row.reporter_user_id,
    mayInviteMediator:
      OPEN_STATUSES.includes(row.status) &&
      row.status !== "resolved" &&
      (rel.lead || rel.coordinator || rel.areaStaff),
    mediatorUserIds: parties.filter((p) => p.active && p.user_id).map((p) => p.user_id as string),
  };
}

/**
 * A step of hometown mediation (以新调新) on the case's timeline, inside the
 * volunteers module's transaction: a volunteer invited to mediate, or their
 * refusal. The case's version moves, so open case pages reload (and a
 * concurrent change answers 409 when `version` is given).
 */
export async function recordMediationStep(
  trx: Transaction<DB>,
  step: {
    caseId: string;
    version?: number;
    action: "invite" | "mediator_decline";
    note: string;
    details: Record<string, unknown>;
    visibility: "internal" | "public";
    actorUserId: string | null;
    actorLabel: string;
  },
): Promise<{ version: number }> {
  const row = await repo.findCase(trx, step.caseId);
  if (!row) throw notFound("事件", "case");
  const updated = await repo.updateCase(trx, step.caseId, step.version ?? row.version, {});
  if (!updated)
    throw conflict("事件已被他人更新，请刷新后重试 / the case changed meanwhile; reload and retry");
  await repo.insertAction(trx, {
    case_id: step.caseId,
    action: step.action,
    from_status: null,
    to_status: null,
    actor_user_id: step.actorUserId,
    actor_label: step.actorLabel,
    note: step.note,
    visibility: step.visibility,
    details: step.details,
  });
  return { version: updated.version };
}

/**
 * Brings a volunteer who accepted an invitation to mediate into the case as
 * a party (role `mediator`, named by their account, with the task), inside
 * the volunteers module's transaction, with the step on the timeline. Only
 * while the case is still being worked on (else 409).
 */
export async function joinCaseAsVolunteerMediator(
  trx: Transaction<DB>,
  step: {
    caseId: string;
    userId: string;
    volunteerName: string;
    task: string;
  },
): Promise<{ partyId: string; version: number } | "already"> {
  const parties = await repo.caseParties(trx, step.caseId);
  if (parties.some((p) => p.active && p.user_id === step.userId)) return "already";
  const row = await repo.findCase(trx, step.caseId);
  if (!row) throw notFound("事件", "case");
  if (!OPEN_STATUSES.includes(row.status) || row.status === "resolved")
    throw conflict("该事件已办结或不再办理，无需再调解 / the case is no longer being worked on", {
      status: row.status,
    });
  const updated = await repo.updateCase(trx, step.caseId, row.version, {});
  if (!updated)
    throw conflict("事件已被他人更新，请刷新后重试 / the case changed meanwhile; reload and retry");
  const party = await repo.insertMediatorParty(trx, {
    case_id: step.caseId,
    user_id: step.userId,
    task: step.task,
  });
  await repo.insertAction(trx, {
    case_id: step.caseId,
    action: "mediator_accept",
    from_status: null,
    to_status: null,
    actor_user_id: step.userId,
    actor_label: step.volunteerName,
    note: `志愿者 ${step.volunteerName} 接受邀请，作为调解员参与办理：${step.task}`,
    visibility: "public",
    details: { mediatorUserId: step.userId, task: step.task },
  });
  return { partyId: String(party.id), version: updated.version };
}

/** The anonymous reporter's view, by tracking code and secret. */
export async function trackCase(deps: CasesDeps, code: string, secret: string) {
  const found = await repo.findCaseIdByCode(deps.db, code);
  if (!found) throw notFound("事件", "case");
  return getCaseFor(deps, null, found.id, { secret });
}

/** Does `secret` open a case whose secret hash is `hash`? (constant-time compare) */
function secretMatches(hash: string | null, secret: string | undefined): boolean {
  if (!hash || !secret) return false;
  const given = sha256(secret);
  return given.length === hash.length && timingSafeEqual(Buffer.from(given), Buffer.from(hash));
}

export async function listCases(
  deps: CasesDeps,
  actor: Actor,
  f: Omit<repo.CaseFilter, "scope" | "inbox"> & { inbox: repo.Inbox },
  now = new Date(),
) {
  const scope = caseScopeOf(actor);
  const soon = new Date(now.getTime() + soonMsOf(deps));
  const inbox = repo.inboxCondition(f.inbox, { scope, now, soon });
  const { items, total, totalCapped } = await repo.listCases(deps.db, { ...f, scope, inbox });
  return { items: items.map((r) => present(r, now, soonMsOf(deps))), total, totalCapped };
}

// -------------------------------------------------------------- transitions

export async function transition(
  deps: CasesDeps,
  actor: Actor | null,
  id: string,
  action: Exclude<CaseAction, "report">,
  body: TransitionBody,
  ctx: { requestId: string; secret?: string | undefined; now?: Date },
): Promise<CaseDetail> {
  const now = ctx.now ?? new Date();
  const live = await deps.db
    .transaction()
    .execute((trx) => applyTransition(deps, trx, actor, id, action, body, { ...ctx, now }));
  // Committed: open pages may look again.
  deps.events?.publish({ type: "case", caseId: id, version: live.version });
  if (live.users.length) deps.events?.publish({ type: "notifications", userIds: live.users });
  return getCaseFor(deps, actor, id, { secret: ctx.secret, now });
}

/**
 * One step of a case's life cycle inside the caller's transaction (a joint
 * meeting's ruling reassigns a case together with its own records): the
 * same checks, change, timeline step, notifications and audit row as
 * `transition`. The caller publishes `{type: "case"}` and the notified users
 * once its transaction has committed.
 */
export async function applyTransition(
  deps: CasesDeps,
  trx: Transaction<DB>,
  actor: Actor | null,
  id: string,
  action: Exclude<CaseAction, "report">,
  body: TransitionBody,
  ctx: { requestId: string; secret?: string | undefined; now?: Date },
): Promise<{ users: string[]; version: number }> {
  const now = ctx.now ?? new Date();
  const live = { users: [] as string[], version: 0 };
  const row = await repo.findCase(trx, id);
  if (!row) throw notFound("事件", "case");
  const parties = await repo.caseParties(trx, id, true);
  const rel = relationOf(actor, row, parties, secretMatches(row.anonymous_secret_hash, ctx.secret));
  if (!rel.reporter && !isStaffRelation(rel)) throw notFound("事件", "case");
  const facts = factsOf(row, rel);
  const check = checkTransition(action, facts, rel, now, {
    reopenDays: deps.config.caseReopenDays,
  });
  if (!check.ok && check.reason === "forbidden") throw forbidden();
  if (!check.ok && check.reason === "state")
    throw conflict(
      `当前状态（${row.status}）不能执行 ${action}；可执行：${check.allowed.join("、") || "无"} / ${action} is not allowed from ${row.status}`,
      { status: row.status, allowed: check.allowed },
    );
  if (body.version !== undefined && body.version !== row.version)
    throw conflict(
      "事件已被他人更新，请刷新后重试 / the case changed meanwhile; reload and retry",
      {
        currentVersion: row.version,
      },
    );
  const cat = await repo.findCategory(trx, row.category_code);
  if (!cat) throw notFound("事件类别", "category");
  const label = !actor ? ANONYMOUS_LABEL : personOf(actor);
  const step = await planStep(deps, trx, { action, row, cat, body, now, rel, actor, parties });
  const updated = await repo.updateCase(trx, id, row.version, step.set);
  if (!updated)
    throw conflict("事件已被他人更新，请刷新后重试 / the case changed meanwhile; reload and retry");
  if (step.retireLead) await repo.retireLead(trx, id);
  if (step.completeTask) await repo.completeTask(trx, step.completeTask, step.note, now);
  for (const other of step.otherActions ?? [])
    await repo.insertAction(trx, {
      ...other,
      actor_user_id: actor?.userId ?? null,
      actor_label: label,
    });
  await repo.insertParties(
    trx,
    step.parties.map((p) => ({ ...p, case_id: id })),
  );
  await repo.insertAction(trx, {
    case_id: id,
    action,
    from_status: row.status,
    to_status: (step.set.status as CaseStatusValue | undefined) ?? null,
    actor_user_id: actor?.userId ?? null,
    actor_label: label,
    department_id: step.departmentId ?? null,
    note: step.note,
    visibility: step.visibility,
    details: step.details,
  });
  const notify = await step.notify(trx);
  await repo.insertNotifications(
    trx,
    notify.map((u) => ({ ...u, case_id: id })),
  );
  live.users = notify.map((n) => n.user_id);
  live.version = updated.version;
  await recordAudit(
    trx,
    {
      actor: rel.reporter && row.channel === "anonymous" ? null : actor,
      requestId: ctx.requestId,
    },
    {
      action: `case.${action}`,
      subjectType: "case",
      subjectId: id,
      details: { code: row.code, from: row.status, to: step.set.status ?? row.status },
    },
  );
  return live;
}

interface Step {
  set: Partial<Record<keyof DB["cases"], unknown>>;
  note: string | null;
  visibility: "internal" | "public";
  details: Record<string, unknown>;
  departmentId?: string | null;
  retireLead?: boolean;
  /** the assisting party whose task this step completes */
  completeTask?: string | null;
  /** steps this one writes on other cases' timelines (a merge on its target) */
  otherActions?: {
    case_id: string;
    action: string;
    from_status: CaseStatusValue | null;
    to_status: CaseStatusValue | null;
    note: string;
    visibility: "internal" | "public";
  }[];
  parties: {
    role: "lead" | "assist";
    department_id: string | null;
    organisation_id: string | null;
    task: string | null;
    due_at?: Date | null;
  }[];
  notify: (
    trx: Transaction<DB>,
  ) => Promise<{ user_id: string; kind: string; title: string; body: string | null }[]>;
}

/** A refusal of one field: the message names what is wrong, on the field too. */
function fieldError(path: string, message: string) {
  return validation(message, [{ path, message }]);
}

const needNote = (body: TransitionBody, what: string, whatEn: string) => {
  const note = body.note?.trim();
  if (!note) throw fieldError("body.note", `请填写${what} / ${whatEn} is required`);
  return note;
};

async function planStep(
  deps: CasesDeps,
  trx: Transaction<DB>,
  s: {
    action: Exclude<CaseAction, "report">;
    row: repo.CaseRow;
    cat: CategoryRow;
    body: TransitionBody;
    now: Date;
    rel: CaseRelation & { openTaskId: string | null };
    actor: Actor | null;
    /** the case's parties, former ones included */
    parties: Party[];
  },
): Promise<Step> {
  const { action, row, cat, body, now } = s;
  if (body.mentions?.length && action !== "comment")
    throw fieldError("body.mentions", "只有留言可以提及他人 / only comments mention people");
  const none = async () => [];
  const toOfficers =
    (deptIds: string[], kind: string, title: string) => async (t: Transaction<DB>) =>
      (await departmentOfficers(t, deptIds)).map((u) => ({
        user_id: u,
        kind,
        title,
        body: row.description.slice(0, 120),
      }));
  const toReporter = (kind: string, title: string) => async () =>
    row.reporter_user_id ? [{ user_id: row.reporter_user_id, kind, title, body: null }] : [];
  const base = {
    note: body.note?.trim() || null,
    visibility: "internal" as const,
    details: {},
    parties: [],
    notify: none,
  };

  switch (action) {
    case "verify":
    case "dispatch": {
      let lead: { id: string; name: string } | null = null;
      let assist: RouteOutcome["assist"] = [];
      let ruleId: string | null = null;
      if (body.departmentId && action === "dispatch") {
        lead = (await repo.findDepartment(trx, body.departmentId)) ?? null;
        if (!lead) throw fieldError("body.departmentId", "牵头部门不存在 / no such department");
      } else {
        const routed = await routeCase(dbRoutingSource(trx), {
          categoryCode: row.category_code,
          areaPath: row.area_path,
          severity: row.severity,
          fields: row.fields,
        });
        lead = routed.lead;
        assist = routed.assist;
        ruleId = routed.ruleId;
      }
      if (action === "dispatch" && !lead)
        throw fieldError(
          "body.departmentId",
          "权责清单中没有匹配的规则，请指定牵头部门 / no routing rule matches; choose the lead department",
        );
      if (action === "verify" && !lead) {
        // Verified, but nobody is responsible by the list: the coordination centre's queue.
        return { ...base, set: { status: "verified" }, visibility: "public" };
      }
      const l = lead as { id: string; name: string };
      const existing = s.parties.filter((p) => p.active);
      const hasAssist = existing.some((p) => p.role === "assist");
      return {
        ...base,
        set: {
          status: "dispatched",
          lead_department_id: l.id,
          routing_rule_id: ruleId,
          dispatched_at: now,
          ...deadlinesFrom(deps, cat, row.severity, now),
        },
        note: `派往 ${l.name}${body.note ? `：${body.note}` : ""}`,
        visibility: "public",
        departmentId: l.id,
        details: { ruleId, verified: action === "verify" },
        retireLead: true,
        parties: [
          { role: "lead", department_id: l.id, organisation_id: null, task: null },
          ...(hasAssist
            ? []
            : assist.map((a) => ({
                role: "assist" as const,
                department_id: a.departmentId,
                organisation_id: a.organisationId,
                task: null,
              }))),
        ],
        notify: toOfficers(
          [
            l.id,
            ...(hasAssist ? [] : assist.flatMap((a) => (a.departmentId ? [a.departmentId] : []))),
          ],
          "case.dispatched",
          `新派单 ${row.code}：${row.category_name}`,
        ),
      };
    }
    case "accept":
      return {
        ...base,
        set: { status: "accepted", accepted_at: now },
        visibility: "public",
        departmentId: row.lead_department_id,
      };
    case "start":
      return {
        ...base,
        set: { status: "in_progress" },
        visibility: "public",
        departmentId: row.lead_department_id,
      };
    case "resolve": {
      const note = needNote(body, "办理结果", "the outcome");
      return {
        ...base,
        note,
        set: { status: "resolved", resolved_at: now, paused_at: null },
        visibility: "public",
        // Resolving with assisting tasks still open is allowed; it is on record.
        details: {
          openTasks: s.parties.filter(
            (p) => p.active && p.role === "assist" && p.status === "open" && p.task !== null,
          ).length,
        },
        departmentId: row.lead_department_id,
        notify: async (t) => [
          ...(await toReporter("case.resolved", `您反映的事件 ${row.code} 已办结，请评价`)()),
          // Reporters of duplicates merged into this case hear of it too.
          ...(await repo.mergedReporters(t, row.id)).map((u) => ({
            user_id: u,
            kind: "case.resolved",
            title: `您反映的事件已随 ${row.code} 一并办结`,
            body: null,
          })),
        ],
      };
    }
    case "return": {
      const note = needNote(body, "退单理由", "the reason for returning");
      return {
        ...base,
        note,
        set: { status: "returned", lead_department_id: null, accept_due_at: null },
        departmentId: row.lead_department_id,
        retireLead: true,
        details: { from: row.lead_department_id },
      };
    }
    case "reassign": {
      if (!body.departmentId)
        throw fieldError(
          "body.departmentId",
          "请选择新的牵头部门 / choose the new lead department",
        );
      if (body.departmentId === row.lead_department_id)
        throw fieldError("body.departmentId", "新牵头部门与当前相同 / that is already the lead");
      const d = await repo.findDepartment(trx, body.departmentId);
      if (!d) throw fieldError("body.departmentId", "牵头部门不存在 / no such department");
      const hours = row.severity === "urgent" ? Math.min(1, cat.accept_hours) : cat.accept_hours;
      return {
        ...base,
        note: `改派 ${d.name}${body.note ? `：${body.note}` : ""}`,
        set: {
          status: "dispatched",
          lead_department_id: d.id,
          dispatched_at: now,
          accept_due_at: addWorkingHours(now, hours, deps.config.workCalendar),
          // The resolve deadline stays: moving a case does not buy time.
          resolve_due_at:
            row.resolve_due_at ?? addWorkingDays(now, cat.resolve_days, deps.config.workCalendar),
        },
        visibility: "public",
        departmentId: d.id,
        details: { from: row.lead_department_id, to: d.id },
        retireLead: true,
        parties: [{ role: "lead", department_id: d.id, organisation_id: null, task: null }],
        notify: toOfficers([d.id], "case.dispatched", `改派 ${row.code}：${row.category_name}`),
      };
    }
    case "feedback": {
      if (body.rating === undefined)
        throw fieldError("body.rating", "请选择 1–5 分的评价 / a rating from 1 to 5 is required");
      const to = feedbackOutcome(body.rating);
      return {
        ...base,
        set: {
          status: to,
          feedback_rating: body.rating,
          feedback_comment: body.note?.trim() || null,
          closed_at: to === "closed" ? now : null,
        },
        note: `评价 ${body.rating} 分${body.note ? `：${body.note}` : ""}`,
        visibility: "public",
        details: { rating: body.rating, byReporter: s.rel.reporter },
        notify:
          to === "closed"
            ? none
            : toOfficers(
                row.lead_department_id ? [row.lead_department_id] : [],
                "case.dissatisfied",
                `群众不满意，退回重办 ${row.code}`,
              ),
      };
    }
    case "reopen": {
      const note = needNote(body, "重新办理的理由", "the reason");
      return {
        ...base,
        note,
        set: { status: "in_progress", closed_at: null },
        visibility: "public",
        notify: toOfficers(
          row.lead_department_id ? [row.lead_department_id] : [],
          "case.reopened",
          `事件重新打开 ${row.code}`,
        ),
      };
    }
    case "withdraw":
      return { ...base, set: { status: "withdrawn", closed_at: now }, visibility: "public" };
    case "close":
      return { ...base, set: { status: "closed", closed_at: now }, visibility: "public" };
    case "comment": {
      const note = needNote(body, "内容", "the comment");
      // What a reporter writes is visible to them; staff choose.
      const visibility =
        s.rel.reporter && !worksCase(s.rel) ? "public" : (body.visibility ?? "internal");
      const mentioned = await checkMentions(trx, {
        ids: body.mentions ?? [],
        case: mentionCaseOf(row, s.parties),
        writerId: s.actor?.userId ?? null,
        writerIsStaff: worksCase(s.rel),
        visibility,
      });
      return {
        ...base,
        note,
        set: {},
        visibility,
        ...(mentioned.length > 0
          ? { details: { mentions: mentioned.map((m) => ({ id: m.id, name: m.displayName })) } }
          : {}),
        notify: async () =>
          mentionNotices(mentioned, {
            code: row.code,
            by: s.actor ? personOf(s.actor) : ANONYMOUS_LABEL,
            note,
          }),
      };
    }
    case "invite": {
      if (!body.departmentId === !body.organisationId)
        throw fieldError(
          "body.departmentId",
          "请选择一个协办部门或单位 / choose one department or organisation",
        );
      const task = body.task?.trim();
      if (!task) throw fieldError("body.task", "请写明协办任务 / describe the task");
      const party = body.departmentId
        ? await repo.findDepartment(trx, body.departmentId)
        : await repo.findOrganisation(trx, body.organisationId as string);
      if (!party) throw fieldError("body.departmentId", "协办方不存在 / no such party");
      if (body.departmentId && body.departmentId === row.lead_department_id)
        throw fieldError(
          "body.departmentId",
          "牵头部门无需邀请为协办 / the lead is already on the case",
        );
      const dueAt = body.dueAt ? new Date(body.dueAt) : null;
      if (dueAt && dueAt.getTime() <= now.getTime())
        throw fieldError(
          "body.dueAt",
          "任务期限应晚于现在 / the task deadline must be in the future",
        );
      return {
        ...base,
        note: `邀请 ${party.name} 协办：${task}`,
        set: {},
        visibility: "public",
        details: {
          departmentId: body.departmentId ?? null,
          organisationId: body.organisationId ?? null,
          task,
        },
        parties: [
          {
            role: "assist",
            department_id: body.departmentId ?? null,
            organisation_id: body.organisationId ?? null,
            task,
            due_at: dueAt,
          },
        ],
        notify: async (t) => {
          const users = body.departmentId
            ? await departmentOfficers(t, [body.departmentId])
            : await repo.organisationStaff(t, body.organisationId as string);
          return users.map((u) => ({
            user_id: u,
            kind: "case.invited",
            title: `协办任务 ${row.code}：${task.slice(0, 40)}`,
            body: row.description.slice(0, 120),
          }));
        },
      };
    }
    case "complete_task": {
      const note = needNote(body, "协办结果", "what was done");
      return {
        ...base,
        note,
        set: {},
        visibility: "internal",
        // Which task: the coordination centre counts answered requests per party.
        details: { taskId: s.rel.openTaskId },
        completeTask: s.rel.openTaskId,
        notify: toOfficers(
          row.lead_department_id ? [row.lead_department_id] : [],
          "case.task_done",
          `协办完成 ${row.code}`,
        ),
      };
    }
    case "request_extension": {
      if (body.days === undefined)
        throw fieldError("body.days", "请填写延期的工作日数 / how many working days");
      const note = needNote(body, "延期理由", "the reason");
      return {
        ...base,
        note: `申请延期 ${body.days} 个工作日：${note}`,
        set: { extension_requested_days: body.days },
        details: { days: body.days },
        notify: async (t) =>
          (await repo.coordinatorsAt(t, row.area_path, "district")).map((u) => ({
            user_id: u,
            kind: "case.extension_requested",
            title: `延期申请 ${row.code}：${body.days} 个工作日`,
            body: note,
          })),
      };
    }
    case "grant_extension":
    case "deny_extension": {
      const days = row.extension_requested_days ?? 0;
      const granted = action === "grant_extension";
      const from = row.resolve_due_at ? new Date(row.resolve_due_at) : now;
      return {
        ...base,
        note: `${granted ? `同意延期 ${days} 个工作日` : "不同意延期"}${body.note ? `：${body.note}` : ""}`,
        set: {
          extension_requested_days: null,
          ...(granted
            ? { resolve_due_at: addWorkingDays(from, days, deps.config.workCalendar) }
            : {}),
        },
        visibility: granted ? "public" : "internal",
        details: { days, granted },
        notify: toOfficers(
          row.lead_department_id ? [row.lead_department_id] : [],
          granted ? "case.extension_granted" : "case.extension_denied",
          `${granted ? "延期已批准" : "延期未批准"} ${row.code}`,
        ),
      };
    }
    case "wait_reporter": {
      const note = needNote(body, "需要群众补充的内容", "what the reporter is asked for");
      return {
        ...base,
        note,
        set: { paused_at: now },
        visibility: "public",
        notify: toReporter("case.waiting_reporter", `事件 ${row.code} 需要您补充信息`),
      };
    }
    case "resume": {
      // The time spent waiting does not count against the lead.
      const pausedAt = row.paused_at ? new Date(row.paused_at) : now;
      const waited = workingMsBetween(pausedAt, now, deps.config.workCalendar);
      return {
        ...base,
        set: {
          paused_at: null,
          ...(row.resolve_due_at
            ? {
                resolve_due_at: addWorkingMs(
                  new Date(row.resolve_due_at),
                  waited,
                  deps.config.workCalendar,
                ),
              }
            : {}),
        },
        visibility: "public",
        details: { waitedWorkingHours: Math.round((waited / 3600_000) * 10) / 10 },
        notify: s.rel.reporter
          ? toOfficers(
              row.lead_department_id ? [row.lead_department_id] : [],
              "case.reporter_replied",
              `群众已补充 ${row.code}`,
            )
          : none,
      };
    }
    case "merge": {
      if (!body.targetId)
        throw fieldError("body.targetId", "请选择要并入的事件 / choose the case to merge into");
      if (body.targetId === row.id)
        throw fieldError("body.targetId", "不能并入自身 / a case cannot merge into itself");
      const target = await repo.findCase(trx, body.targetId);
      const coversTarget =
        target && s.actor && covers(s.actor, ["admin", "coordinator"], target.area_path);
      if (!target || !coversTarget)
        throw fieldError("body.targetId", "目标事件不存在 / no such case");
      if (["closed", "withdrawn", "merged"].includes(target.status))
        throw fieldError(
          "body.targetId",
          `目标事件已${target.status === "merged" ? "被合并" : "结束"} / the target case is no longer open`,
        );
      return {
        ...base,
        note: `并入 ${target.code} 一并办理${body.note ? `：${body.note}` : ""}`,
        set: { status: "merged", merged_into_id: target.id, closed_at: now },
        visibility: "public",
        details: { into: target.id },
        otherActions: [
          {
            case_id: target.id,
            action: "merge",
            from_status: target.status,
            to_status: null,
            note: `合并了重复报告 ${row.code}（其报告人将同步获知办理结果）`,
            visibility: "public" as const,
          },
        ],
        notify: toReporter(
          "case.merged",
          `您反映的事件 ${row.code} 已并入 ${target.code} 一并办理`,
        ),
      };
    }
    case "supervise": {
      const note = needNote(body, "督办意见", "the supervision note");
      return {
        ...base,
        note,
        set: { supervised: true },
        notify: toOfficers(
          row.lead_department_id ? [row.lead_department_id] : [],
          "case.supervised",
          `督办 ${row.code}：${note.slice(0, 40)}`,
        ),
      };
    }
  }
}

// --------------------------------------------------------------------- map

/**
 * Map cells are a quarter of a 256-pixel tile wide, so a cluster stands about
 * 64 px from the next at any zoom (as on the units map).
 */
const MAP_CELLS_PER_TILE = 4;
/** Below this zoom the case map always shows clusters: single markers would pile up. */
export const CASE_MAP_POINT_MIN_ZOOM = 14;
/** At most this many single cases on the map; more in view stay clustered. */
export const CASE_MAP_POINT_LIMIT = 2000;

const isoOrNull = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * The case map (GET /api/cases/map): the cases the caller may see inside a
 * box, with the inbox's filters. Zoomed out it answers counts per cell (with
 * how many are open and overdue), computed by the database; zoomed in, once
 * few enough are in view, the cases themselves with their due state. The
 * answer stays small however many cases the district holds.
 */
export async function caseMap(
  deps: CasesDeps,
  actor: Actor,
  f: Omit<repo.CaseMapFilter, "scope" | "inbox"> & { inbox: repo.Inbox; zoom: number },
  now = new Date(),
): Promise<CaseMap> {
  const { zoom, ...rest } = f;
  const scope = caseScopeOf(actor);
  const soonMs = soonMsOf(deps);
  const inbox = repo.inboxCondition(f.inbox, {
    scope,
    now,
    soon: new Date(now.getTime() + soonMs),
  });
  const filter: repo.CaseMapFilter = { ...rest, scope, inbox };
  const cellDeg = 360 / 2 ** zoom / MAP_CELLS_PER_TILE;
  const cells = await repo.caseMapCells(deps.db, filter, cellDeg, {
    now,
    openStatuses: OPEN_STATUSES,
  });
  const sum = (k: "count" | "open" | "overdue") => cells.reduce((n, c) => n + c[k], 0);
  const counts = { total: sum("count"), open: sum("open"), overdue: sum("overdue") };
  if (zoom >= CASE_MAP_POINT_MIN_ZOOM && counts.total <= CASE_MAP_POINT_LIMIT) {
    const points = await repo.caseMapPoints(deps.db, filter, CASE_MAP_POINT_LIMIT);
    return {
      mode: "cases",
      ...counts,
      clusters: [],
      cases: points.map((p) => ({
        id: p.id,
        code: p.code,
        lng: p.lng,
        lat: p.lat,
        status: p.status,
        categoryName: p.category_name,
        severity: p.severity,
        supervised: p.supervised,
        dueState: dueStateOf(
          p.status,
          p.accept_due_at && new Date(p.accept_due_at),
          p.resolve_due_at && new Date(p.resolve_due_at),
          now,
          soonMs,
          p.paused_at !== null,
        ),
        dueAt: isoOrNull(p.due_at),
      })),
    };
  }
  return {
    mode: "clusters",
    ...counts,
    clusters: cells.map((c) => ({
      key: `${zoom}:${c.cx}:${c.cy}`,
      lng: c.lng,
      lat: c.lat,
      count: c.count,
      open: c.open,
      overdue: c.overdue,
      bbox: [c.west, c.south, c.east, c.north],
    })),
    cases: [],
  };
}

/**
 * For other modules (the grid risk index's disputes): cases of a category
 * family ("dispute"; null for every family) reported in [since, until) per
 * grid path under `rootPath`, merged duplicates left out.
 */
export async function casesReportedByGrid(
  deps: Pick<CasesDeps, "db">,
  rootPath: string,
  family: string | null,
  since: Date,
  until: Date,
): Promise<Map<string, number>> {
  const rows = await repo.countReportedByArea(deps.db, rootPath, family, since, until);
  return new Map(rows.map((r) => [r.area_path, r.n]));
}
