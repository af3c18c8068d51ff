/**
 * Enterprise risk (issue 6, part C): monthly payroll declarations, the
 * wage-arrears early warning and the safety credit rating.
 *
 * The warning is recomputed by the `wage-warnings` job and right after a
 * declaration. A rise into warning or alarm is written (level, history row,
 * notifications to labour inspection) in one transaction with the row lock of
 * the enterprise's scores; the history row then wants a preventive case, which
 * is opened through the cases service with an idempotency key derived from
 * that row, so a retry, a crash or a second server never opens it twice.
 * The rating is computed by the `enterprise-ratings` job once per enterprise
 * per day.
 */

import type { Kysely, Transaction } from "kysely";
import { todayInChina } from "../../../shared/dates.js";
import {
  type CorrectPayrollBody,
  DECLARE_MONTHS_BACK,
  type DeclarePayrollBody,
  type EnterpriseRisk,
  type PayrollDeclaration,
  type PayrollList,
  periodEnd,
  periodOf,
  periodProblem,
  RATING_THRESHOLDS,
  type RatingFactor,
  shiftPeriod,
  WARNING_LEVELS,
  WARNING_THRESHOLDS,
  type WageWarningItem,
  type WarningLevel,
  type WarningSignal,
} from "../../../shared/schemas/enterprise-risk.js";
import type { Config } from "../../config.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { AppError, conflict, forbidden, notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import type { CaseReference } from "../cases/case-reference.js";
import { type CasesDeps, createCase, transition } from "../cases/cases.service.js";
import {
  departmentOfficers,
  departmentOfKindCovering,
} from "../departments/departments.service.js";
import type { EventBus } from "../events/event-bus.js";
import type { AreaLocator } from "../geo/areas.service.js";
import { type Boundary, boundaryInteriorPoint } from "../geo/geometry.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import { canDeclarePayroll, canSignPayroll, riskScopeOf } from "./enterprise-risk.policy.js";
import * as repo from "./enterprise-risk.repository.js";
import {
  addDays,
  crossesIntoAction,
  declaredLate,
  LABOUR_CASE_DAYS,
  PAYROLL_WINDOW_MONTHS,
  preventiveCaseDescription,
  type RatingInputs,
  scoreRating,
  scoreWarning,
  type WarningInputs,
} from "./risk-scoring.js";

export interface EnterpriseRiskDeps {
  db: Kysely<DB>;
  config: Config;
  fieldCrypto: FieldCrypto;
  locator: AreaLocator;
  reference: CaseReference;
  events?: EventBus;
  intake?: CasesDeps["intake"];
}

const DAY_MS = 86_400_000;
/** Days an enterprise has for the task of a preventive case. */
const PREVENTIVE_TASK_DAYS = 7;
const PREVENTIVE_TASK =
  "请核实并说明近期工资支付情况，提交工资发放凭证及欠薪清偿计划 / explain recent wage payments and submit payment records and a plan to clear arrears";
const LEVEL_NAMES: Record<WarningLevel, string> = {
  none: "无",
  watch: "关注",
  warning: "预警",
  alarm: "告警",
};

const num = (v: string | number) => Number(v);
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

// ------------------------------------------------------------ declarations

async function visibleEnterprise(deps: { db: Kysely<DB> }, actor: Actor, id: string) {
  const e = await repo.findVisibleEnterprise(deps.db, riskScopeOf(actor), id);
  if (!e) throw notFound("企业", "enterprise");
  return e;
}

function presentDeclaration(d: repo.DeclarationRow): PayrollDeclaration {
  const due = num(d.amount_due);
  const paid = num(d.amount_paid);
  const declaredOn = todayInChina(new Date(d.declared_at));
  return {
    id: d.id,
    period: d.period,
    paidOnTime: d.paid_on_time,
    paidOn: d.paid_on,
    headcountPaid: d.headcount_paid,
    amountDue: due,
    amountPaid: paid,
    arrears: Math.round((due - paid) * 100) / 100,
    note: d.note,
    declaredBy: d.declared_by_name ?? null,
    signedBy: d.signed_by_name ?? null,
    signedAt: iso(d.signed_at),
    declaredAt: new Date(d.declared_at).toISOString(),
    correctedAt: iso(d.corrected_at),
    late: declaredLate(d.period, declaredOn),
    version: d.version,
  };
}

/** Past months (of the last 12, not before `first`) with no declaration. */
function missingPeriods(current: string, first: string, declared: readonly string[]) {
  const have = new Set(declared);
  const out: string[] = [];
  for (let i = 1; i <= DECLARE_MONTHS_BACK; i++) {
    const p = shiftPeriod(current, -i);
    if (p < first) break;
    if (!have.has(p)) out.push(p);
  }
  return out;
}

export async function listPayroll(
  deps: { db: Kysely<DB> },
  actor: Actor,
  id: string,
  page: { limit: number; offset: number },
  now = new Date(),
): Promise<PayrollList> {
  const e = await visibleEnterprise(deps, actor, id);
  const current = periodOf(now);
  const from = shiftPeriod(current, -DECLARE_MONTHS_BACK);
  const [list, declared, firsts] = await Promise.all([
    repo.listDeclarations(deps.db, id, page),
    repo.declaredPeriods(deps.db, id, from),
    repo.firstPeriods(deps.db, [id]),
  ]);
  const first = [firsts.get(id), periodOf(new Date(e.created_at))]
    .filter((p): p is string => p !== undefined)
    .sort()[0] as string;
  const own = canDeclarePayroll(actor, id);
  const actions: PayrollList["allowedActions"] = own ? ["declare", "correct"] : [];
  if (canSignPayroll(actor, id)) actions.push("sign");
  return {
    items: list.items.map(presentDeclaration),
    total: list.total,
    currentPeriod: current,
    currentDeclared: declared.includes(current),
    missingPeriods: missingPeriods(current, first, declared),
    allowedActions: actions,
  };
}

function fieldError(path: string, message: string) {
  return validation(message, [{ path, message }]);
}

/** Rules that need the clock: the period may be declared now; the pay day is not in the future. */
function checkDates(
  period: string,
  body: { paidOn: string | null; paidOnTime: boolean },
  now: Date,
  path: string,
) {
  const problem = periodProblem(period, now);
  if (problem) throw fieldError(path, problem);
  if (body.paidOn) {
    if (body.paidOn > todayInChina(now))
      throw fieldError("body.paidOn", "发放日期不能晚于今天 / the pay day cannot be in the future");
    if (body.paidOn < `${period}-01`)
      throw fieldError(
        "body.paidOn",
        "发放日期不能早于申报月份 / the pay day cannot be before the declared month",
      );
    if (body.paidOnTime && body.paidOn > periodEnd(period))
      throw fieldError(
        "body.paidOnTime",
        "发放日期晚于申报月份，不是按时发放 / paid after the month is not on time",
      );
  }
}

function factsOf(body: DeclarePayrollBody | CorrectPayrollBody) {
  return {
    paid_on_time: body.paidOnTime,
    paid_on: body.paidOn,
    headcount_paid: body.headcountPaid,
    amount_due: body.amountDue,
    amount_paid: body.amountPaid,
    note: body.note ? body.note : null,
  };
}

export interface DeclareResult {
  declaration: PayrollDeclaration;
  warning: { score: number; level: WarningLevel };
}

/**
 * Declares one month. A second declaration of the same period is refused
 * (409: correct it instead). The warning is recomputed at once; a rise opens
 * the preventive case before the answer.
 */
export async function declarePayroll(
  deps: EnterpriseRiskDeps,
  actor: Actor,
  id: string,
  body: DeclarePayrollBody,
  requestId: string,
  now = new Date(),
): Promise<DeclareResult> {
  await visibleEnterprise(deps, actor, id);
  if (!canDeclarePayroll(actor, id))
    throw forbidden("只有本企业可以申报工资发放 / only the enterprise itself declares its payroll");
  checkDates(body.period, body, now, "body.period");
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.insertDeclaration(trx, {
      organisation_id: id,
      period: body.period,
      ...factsOf(body),
      declared_by: actor.userId,
    });
    if (!row)
      throw conflict(
        `${body.period} 已申报，如需修改请提交更正 / ${body.period} is already declared; correct it instead`,
        [{ path: "body.period", message: "already declared" }],
      );
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "payroll.declared",
        subjectType: "organisation",
        subjectId: id,
        details: {
          period: body.period,
          paidOnTime: body.paidOnTime,
          amountDue: body.amountDue,
          amountPaid: body.amountPaid,
        },
      },
    );
  });
  const warning = await refreshWarning(deps, id, now);
  const d = await repo.findDeclaration(deps.db, id, body.period);
  if (!d) throw notFound("申报", "declaration");
  return { declaration: presentDeclaration(d), warning };
}

/** Corrects a declared month: the version the corrector saw, the reason, before and after logged. */
export async function correctPayroll(
  deps: EnterpriseRiskDeps,
  actor: Actor,
  id: string,
  period: string,
  body: CorrectPayrollBody,
  requestId: string,
  now = new Date(),
): Promise<DeclareResult> {
  await visibleEnterprise(deps, actor, id);
  if (!canDeclarePayroll(actor, id))
    throw forbidden("只有本企业可以更正工资申报 / only the enterprise itself corrects its payroll");
  checkDates(period, body, now, "params.period");
  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.lockDeclaration(trx, id, period);
    if (!before) throw notFound("申报", "declaration");
    if (before.version !== body.version)
      throw conflict(
        "申报已被他人更正，请刷新后重试 / the declaration changed meanwhile; reload and retry",
        { currentVersion: before.version },
      );
    const facts = factsOf(body);
    const updated = await repo.updateDeclaration(trx, before.id, body.version, facts, now);
    if (!updated)
      throw conflict(
        "申报已被他人更正，请刷新后重试 / the declaration changed meanwhile; reload and retry",
      );
    const was = {
      paid_on_time: before.paid_on_time,
      paid_on: before.paid_on,
      headcount_paid: before.headcount_paid,
      amount_due: num(before.amount_due),
      amount_paid: num(before.amount_paid),
      note: before.note,
    };
    await repo.insertCorrection(trx, {
      declaration_id: before.id,
      organisation_id: id,
      period,
      before: was,
      after: facts,
      reason: body.reason,
      corrected_by: actor.userId,
      corrected_at: now,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "payroll.corrected",
        subjectType: "organisation",
        subjectId: id,
        details: { period, reason: body.reason, before: was, after: facts },
      },
    );
  });
  const warning = await refreshWarning(deps, id, now);
  const d = await repo.findDeclaration(deps.db, id, period);
  if (!d) throw notFound("申报", "declaration");
  return { declaration: presentDeclaration(d), warning };
}

/**
 * The enterprise's manager (企业负责人) signs a declared month: who and when
 * are recorded on it. The version the manager saw must still be current (a
 * correction since answers 409), and a month is signed once.
 */
export async function signPayroll(
  deps: { db: Kysely<DB> },
  actor: Actor,
  id: string,
  period: string,
  version: number,
  requestId: string,
  now = new Date(),
): Promise<PayrollDeclaration> {
  await visibleEnterprise(deps, actor, id);
  if (!canSignPayroll(actor, id) || !actor.userId)
    throw forbidden(
      "只有本企业负责人可以签字确认工资申报 / only the enterprise's manager signs its payroll",
    );
  const signer = actor.userId;
  await deps.db.transaction().execute(async (trx) => {
    const d = await repo.lockDeclaration(trx, id, period);
    if (!d) throw notFound("申报", "declaration");
    if (d.version !== version)
      throw conflict(
        "申报已被更正，请刷新后核对再签字 / the declaration changed meanwhile; reload, check it and sign again",
        { currentVersion: d.version },
      );
    if (!(await repo.signDeclaration(trx, d.id, version, signer, now)))
      throw conflict(`${period} 已签字确认 / ${period} is already signed`);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "payroll.signed",
        subjectType: "organisation",
        subjectId: id,
        details: { period, version, amountDue: num(d.amount_due), amountPaid: num(d.amount_paid) },
      },
    );
  });
  const d = await repo.findDeclaration(deps.db, id, period);
  if (!d) throw notFound("申报", "declaration");
  return presentDeclaration(d);
}

async function refreshWarning(deps: EnterpriseRiskDeps, id: string, now: Date) {
  await computeWarnings(deps, now, { only: [id] });
  await openPendingCases(deps, now, { only: [id] });
  const s = await repo.findScores(deps.db, id);
  return { score: s?.warning_score ?? 0, level: s?.warning_level ?? "none" };
}

// ---------------------------------------------------------------- warnings

type LockedRow = Awaited<ReturnType<typeof repo.lockScoreBatch>>[number];

async function warningInputs(
  db: Kysely<DB> | Transaction<DB>,
  rows: readonly LockedRow[],
  now: Date,
): Promise<Map<string, WarningInputs>> {
  const ids = rows.map((r) => r.organisation_id);
  const current = periodOf(now);
  const today = todayInChina(now);
  const [payroll, firsts, cases, hazards] = await Promise.all([
    repo.payrollSince(db, ids, shiftPeriod(current, -PAYROLL_WINDOW_MONTHS)),
    repo.firstPeriods(db, ids),
    repo.labourCasesSince(db, ids, new Date(now.getTime() - LABOUR_CASE_DAYS * DAY_MS)),
    repo.overdueHazards(db, ids, today),
  ]);
  const out = new Map<string, WarningInputs>();
  for (const r of rows) {
    const first = [firsts.get(r.organisation_id), periodOf(new Date(r.created_at))]
      .filter((p): p is string => p !== undefined)
      .sort()[0] as string;
    const h = hazards.get(r.organisation_id);
    out.set(r.organisation_id, {
      currentPeriod: current,
      firstPeriod: first,
      payroll: payroll
        .filter((p) => p.organisation_id === r.organisation_id)
        .map((p) => ({
          period: p.period,
          amountDue: num(p.amount_due),
          amountPaid: num(p.amount_paid),
          paidOnTime: p.paid_on_time,
          headcountPaid: p.headcount_paid,
          declaredOn: p.declared_on,
        })),
      labourCases: cases.filter((c) => c.organisation_id === r.organisation_id),
      overdueHazards: { general: h?.general ?? 0, major: h?.major ?? 0 },
    });
  }
  return out;
}

export interface WarningRunResult {
  computed: number;
  changed: number;
  raised: number;
}

interface WarningOptions {
  only?: readonly string[];
  batch?: number;
  /** the seed's back-filled history: no notifications, no preventive cases */
  quiet?: boolean;
}

/**
 * Recomputes the warning of every enterprise (or of `only`), in batches, each
 * a transaction holding the row locks of its enterprises' scores. A change of
 * level writes a history row; a rise into warning or alarm notifies labour
 * inspection and marks the row as wanting a preventive case (or links the
 * enterprise's preventive case that is still open).
 */
export async function computeWarnings(
  deps: { db: Kysely<DB> },
  now: Date,
  opts: WarningOptions = {},
): Promise<WarningRunResult> {
  const totals = { computed: 0, changed: 0, raised: 0 };
  await repo.ensureScoreRows(deps.db, opts.only);
  let after = "0";
  for (;;) {
    const last = await deps.db
      .transaction()
      .execute((trx) => warningBatch(trx, after, now, opts, totals));
    if (last === null) break;
    after = last;
  }
  return totals;
}

/** The same inside a transaction the caller holds (the seed's). */
export async function computeWarningsIn(
  trx: Transaction<DB>,
  now: Date,
  opts: WarningOptions = {},
): Promise<WarningRunResult> {
  const totals = { computed: 0, changed: 0, raised: 0 };
  await repo.ensureScoreRows(trx, opts.only);
  let after: string | null = "0";
  while (after !== null) after = await warningBatch(trx, after, now, opts, totals);
  return totals;
}

/** One batch; the last enterprise id it did, or null when there was none left. */
async function warningBatch(
  trx: Transaction<DB>,
  after: string,
  now: Date,
  opts: WarningOptions,
  totals: WarningRunResult,
): Promise<string | null> {
  const rows = await repo.lockScoreBatch(trx, after, opts.batch ?? 200, opts.only);
  if (rows.length === 0) return null;
  const inputs = await warningInputs(trx, rows, now);
  const results = rows.map((r) => ({
    row: r,
    res: scoreWarning(inputs.get(r.organisation_id) as WarningInputs),
  }));
  await repo.updateWarnings(
    trx,
    now,
    results.map(({ row, res }) => ({ organisation_id: row.organisation_id, ...res })),
  );
  for (const { row: r, res } of results) {
    const previous: WarningLevel = r.warning_computed_at === null ? "none" : r.warning_level;
    totals.computed++;
    if (res.level === previous) continue;
    totals.changed++;
    const wanted = !opts.quiet && crossesIntoAction(previous, res.level);
    const open = wanted ? await repo.openPreventiveCase(trx, r.organisation_id) : undefined;
    await repo.insertWarningHistory(trx, {
      organisation_id: r.organisation_id,
      score: res.score,
      level: res.level,
      previous_level: r.warning_computed_at === null ? null : r.warning_level,
      signals: res.signals,
      computed_at: now,
      case_wanted: wanted,
      case_id: open?.id ?? null,
    });
    if (!wanted) continue;
    totals.raised++;
    const labour = await labourInspectionOfficers(trx, r.area_path);
    const top = res.signals
      .filter((s) => s.points > 0)
      .sort((a, b) => b.points - a.points)
      .map((s) => s.text)
      .join("；");
    await notifyUsers(trx, labour.users, {
      kind: "wage_warning.raised",
      caseId: open?.id ?? null,
      title: `欠薪${LEVEL_NAMES[res.level]}：${r.name}（${res.score} 分）`,
      body: top.slice(0, 300),
      // The enterprise's signals; the preventive case links from there.
      link: `/enterprises/${r.organisation_id}?tab=risk`,
    });
  }
  return (rows[rows.length - 1] as LockedRow).organisation_id;
}

/** The identity preventive cases are opened and the enterprise invited under. */
async function systemActor(db: Kysely<DB>): Promise<Actor> {
  const d = await repo.districtArea(db);
  if (!d) throw new Error("no district area: seed or import the areas first");
  return {
    kind: "user",
    userId: null,
    tokenId: null,
    label: "system:wage-warnings",
    displayName: "系统（欠薪预警）",
    // A district-wide coordinator's relation to the case: it may invite parties.
    grants: [
      {
        id: "0",
        role: "coordinator",
        scopeKind: "area",
        scopeId: d.id,
        scopeName: d.name,
        scopeCode: d.code,
        scopeLevel: "district",
        areaPath: d.path,
      },
    ],
    tokenScopes: [],
  };
}

/**
 * Opens the preventive case of each rise that wants one and has none: one
 * case per rise (the idempotency key is the history row), the enterprise
 * invited as an assisting party with a task. An enterprise whose preventive
 * case is still open gets that case linked instead of a second one.
 */
export async function openPendingCases(
  deps: EnterpriseRiskDeps,
  now: Date,
  opts: { only?: readonly string[]; limit?: number } = {},
): Promise<{ opened: number; linked: number; failed: number; refusals: string[] }> {
  const out = { opened: 0, linked: 0, failed: 0, refusals: [] as string[] };
  const pending = await repo.pendingCaseRows(deps.db, opts.limit ?? 100, opts.only);
  if (pending.length === 0) return out;
  const actor = await systemActor(deps.db);
  for (const p of pending) {
    try {
      const open = await repo.openPreventiveCase(deps.db, p.organisation_id);
      if (open) {
        await repo.setHistoryCase(deps.db, p.id, open.id);
        out.linked++;
        continue;
      }
      const caseId = await openCaseFor(deps, actor, p, now);
      if (caseId) out.opened++;
      else {
        out.failed++;
        out.refusals.push(`${p.name}: 找不到企业位置 / no place for the enterprise`);
      }
    } catch (err) {
      // One enterprise's case (a category edited meanwhile, a place outside the
      // grids) must not hold up the others: it stays pending for the next run.
      if (!(err instanceof AppError)) throw err;
      out.failed++;
      out.refusals.push(`${p.name}: ${err.message}`);
    }
  }
  return out;
}

async function openCaseFor(
  deps: EnterpriseRiskDeps,
  actor: Actor,
  p: repo.PendingCaseRow,
  now: Date,
): Promise<string | null> {
  const found = await repo.enterprisePlace(deps.db, p.organisation_id, p.unit_id, p.area_id);
  if (!found) return null;
  const place =
    found.kind === "grid"
      ? (() => {
          const [lng, lat] = boundaryInteriorPoint(found.boundary as Boundary);
          return { lat, lng, address: null };
        })()
      : found;
  const signals = p.signals as WarningSignal[];
  const arrears = signals.find((s) => s.code === "arrears");
  const owed = Number(arrears?.detail.owed ?? 0);
  const months = Array.isArray(arrears?.detail.months) ? arrears.detail.months.length : 0;
  const headcount = Number(arrears?.detail.headcount ?? 0);
  const fields: Record<string, string | number> = {
    employer_name: p.name.slice(0, 100),
    involved_people: Math.min(10_000, Math.max(1, headcount)),
  };
  if (owed > 0) fields.wage_amount = Math.min(100_000_000, owed);
  if (months > 0) fields.months_owed = months;
  const casesDeps: CasesDeps = {
    db: deps.db,
    config: deps.config,
    fieldCrypto: deps.fieldCrypto,
    locator: deps.locator,
    reference: deps.reference,
    ...(deps.events ? { events: deps.events } : {}),
    ...(deps.intake ? { intake: deps.intake } : {}),
  };
  const requestId = `wage-warning-${p.id}`;
  const created = await createCase(
    casesDeps,
    actor,
    {
      categoryCode: repo.PREVENTIVE_CATEGORY,
      description: preventiveCaseDescription(p.name, p.score, p.level, signals),
      lat: place.lat,
      lng: place.lng,
      address: (p.address ?? place.address ?? "").slice(0, 200) || undefined,
      fields,
    },
    { requestId, idempotencyKey: requestId, now },
  );
  const caseId = created.detail.id;
  // Linked first: from here on the case is the warning's own, not a signal of it.
  await repo.setHistoryCase(deps.db, p.id, caseId);
  const status = created.detail.status;
  if (
    (status === "dispatched" || status === "accepted" || status === "in_progress") &&
    !(await repo.isCaseParty(deps.db, caseId, p.organisation_id))
  ) {
    await transition(
      casesDeps,
      actor,
      caseId,
      "invite",
      {
        // Two servers racing here: the second invite finds a newer version (409) and stops.
        version: created.detail.version,
        organisationId: p.organisation_id,
        task: PREVENTIVE_TASK,
        dueAt: new Date(now.getTime() + PREVENTIVE_TASK_DAYS * DAY_MS).toISOString(),
      },
      { requestId, now },
    );
  }
  return caseId;
}

/** The job: every enterprise's warning, then the preventive cases the rises want. */
export async function runWageWarnings(deps: EnterpriseRiskDeps, now = new Date()) {
  const w = await computeWarnings(deps, now);
  const c = await openPendingCases(deps, now);
  return { ...w, ...c };
}

// ----------------------------------------------------------------- ratings

async function ratingInputs(
  db: Kysely<DB> | Transaction<DB>,
  ids: readonly string[],
  now: Date,
): Promise<Map<string, RatingInputs>> {
  const today = todayInChina(now);
  const from = addDays(today, -365);
  const since = new Date(now.getTime() - 365 * DAY_MS);
  const [ins, hz, incidents, tasks] = await Promise.all([
    repo.inspectionStats(db, ids, from, today),
    repo.hazardStats(db, ids, from, today),
    repo.safetyIncidentsSince(db, ids, since),
    repo.taskStats(db, ids, since, now),
  ]);
  const out = new Map<string, RatingInputs>();
  for (const id of ids) {
    const i = ins.get(id);
    const h = hz.get(id);
    const t = tasks.get(id);
    out.set(id, {
      today,
      inspections: { onTime: i?.on_time ?? 0, late: i?.late ?? 0, missed: i?.missed ?? 0 },
      hazards: {
        onTime: h?.on_time ?? 0,
        late: h?.late ?? 0,
        overdueOpen: h?.overdue_open ?? 0,
        overdueMajor: h?.overdue_major ?? 0,
      },
      incidents: incidents.filter((c) => c.organisation_id === id).map((c) => c.day),
      tasks: { onTime: t?.on_time ?? 0, late: t?.late ?? 0, overdueOpen: t?.overdue_open ?? 0 },
    });
  }
  return out;
}

interface RatingOptions {
  only?: readonly string[];
  batch?: number;
  /** rate again what today already has (the seed, a test) */
  force?: boolean;
}

/**
 * Rates every enterprise (or `only`) not yet rated today: one history row per
 * enterprise per day, and the current rating on its scores row. Batches lock
 * their score rows (others skipped), so two servers share the work; a second
 * run the same day finds nothing to do.
 */
export async function computeRatings(
  deps: { db: Kysely<DB> },
  now: Date,
  opts: RatingOptions = {},
): Promise<{ rated: number }> {
  await repo.ensureScoreRows(deps.db, opts.only);
  const out = { rated: 0 };
  let after = "0";
  for (;;) {
    const last = await deps.db
      .transaction()
      .execute((trx) => ratingBatch(trx, after, now, opts, out));
    if (last === null) break;
    after = last;
  }
  return out;
}

/** The same inside a transaction the caller holds (the seed's). */
export async function computeRatingsIn(
  trx: Transaction<DB>,
  now: Date,
  opts: RatingOptions = {},
): Promise<{ rated: number }> {
  await repo.ensureScoreRows(trx, opts.only);
  const out = { rated: 0 };
  let after: string | null = "0";
  while (after !== null) after = await ratingBatch(trx, after, now, opts, out);
  return out;
}

async function ratingBatch(
  trx: Transaction<DB>,
  after: string,
  now: Date,
  opts: RatingOptions,
  out: { rated: number },
): Promise<string | null> {
  const day = todayInChina(now);
  const ids = await repo.lockUnratedBatch(
    trx,
    after,
    // A forced run rates again what today already has.
    opts.force ? "0001-01-01" : day,
    opts.batch ?? 500,
    opts.only,
  );
  if (ids.length === 0) return null;
  const inputs = await ratingInputs(trx, ids, now);
  await repo.saveRatings(
    trx,
    day,
    now,
    ids.map((id) => {
      const r = scoreRating(inputs.get(id) as RatingInputs);
      return {
        organisation_id: id,
        rating: r.rating,
        score: r.score,
        factors: [{ next: r.next, cappedBy: r.cappedBy }, ...r.factors],
      };
    }),
  );
  out.rated += ids.length;
  return ids[ids.length - 1] as string;
}

// ------------------------------------------------------------------- reads

/** The stored rating factors: the first element carries next and cap, the rest the factors. */
function unpackFactors(stored: unknown[]) {
  const [head, ...factors] = stored as [
    { next?: EnterpriseRisk["rating"]["next"]; cappedBy?: string | null } | undefined,
    ...RatingFactor[],
  ];
  return { next: head?.next ?? null, cappedBy: head?.cappedBy ?? null, factors };
}

export async function getRisk(
  deps: EnterpriseRiskDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<EnterpriseRisk> {
  const e = await visibleEnterprise(deps, actor, id);
  let s = await repo.findScores(deps.db, id);
  // An enterprise registered since the last runs: computed now, once.
  if (!s?.warning_computed_at) {
    await computeWarnings(deps, now, { only: [id] });
    await openPendingCases(deps, now, { only: [id] });
  }
  if (!s?.rating_computed_at) await computeRatings(deps, now, { only: [id] });
  if (!s?.warning_computed_at || !s.rating_computed_at) s = await repo.findScores(deps.db, id);
  if (!s) throw notFound("企业", "enterprise");
  const current = periodOf(now);
  const [history, ratings, openCase, declared] = await Promise.all([
    repo.warningHistory(deps.db, id, 50),
    repo.ratingHistory(deps.db, id, addDays(todayInChina(now), -400)),
    repo.latestPreventiveCase(deps.db, id),
    repo.declaredPeriods(deps.db, id, current),
  ]);
  const rf = unpackFactors(s.rating_factors);
  return {
    enterprise: { id: e.id, name: e.name, industry: e.industry },
    warning: {
      score: s.warning_score,
      level: s.warning_level,
      computedAt: iso(s.warning_computed_at),
      signals: s.warning_signals as WarningSignal[],
      thresholds: { ...WARNING_THRESHOLDS },
      openCase: openCase ? { id: openCase.id, code: openCase.code, status: openCase.status } : null,
    },
    rating: {
      rating: s.rating,
      score: s.rating_score,
      computedAt: iso(s.rating_computed_at),
      factors: rf.factors,
      next: rf.next,
      cappedBy: rf.cappedBy,
      thresholds: { ...RATING_THRESHOLDS },
    },
    warningHistory: history.map((h) => ({
      at: new Date(h.computed_at).toISOString(),
      score: h.score,
      level: h.level,
      previousLevel: h.previous_level,
      case: h.case_id && h.case_code ? { id: h.case_id, code: h.case_code } : null,
    })),
    ratingHistory: ratings.map((r) => ({ on: r.computed_on, rating: r.rating, score: r.score })),
    payroll: { currentPeriod: current, currentDeclared: declared.includes(current) },
  };
}

export async function listWageWarnings(
  deps: { db: Kysely<DB> },
  actor: Actor,
  f: Omit<repo.WarningListFilter, "levels"> & { level?: WarningLevel[] | undefined },
): Promise<{ items: WageWarningItem[]; total: number }> {
  const levels = f.level?.length ? f.level : WARNING_LEVELS.filter((l) => l !== "none");
  const r = await repo.listWarnings(deps.db, riskScopeOf(actor).areaPaths, { ...f, levels });
  return {
    items: r.items.map((x) => ({
      enterpriseId: x.id,
      name: x.name,
      industry: x.industry,
      grid: { code: x.grid_code, name: x.grid_name },
      score: x.warning_score,
      level: x.warning_level,
      computedAt: iso(x.warning_computed_at),
      rating: x.rating,
      signals: (x.warning_signals as WarningSignal[])
        .filter((s) => s.points > 0)
        .sort((a, b) => b.points - a.points),
      openCase: x.open_case,
    })),
    total: r.total,
  };
}

/** The labour-inspection department covering the place (most local) and its active officers. */
async function labourInspectionOfficers(trx: Transaction<DB>, areaPath: string) {
  const department = await departmentOfKindCovering(trx, "labour_inspection", areaPath);
  if (!department) return { department: null, users: [] as string[] };
  return { department, users: await departmentOfficers(trx, [department.id]) };
}

/**
 * For other modules (the grid risk index): per grid under `rootPath`, the
 * enterprises with a site (or their registered place) there whose wage-arrears
 * warning stood at warning or at alarm at `at`.
 */
export async function wageWarningsByGrid(
  deps: { db: Kysely<DB> },
  rootPath: string,
  at: Date,
): Promise<Map<string, { warning: number; alarm: number }>> {
  const rows = await repo.warningLevelsByEnterpriseGrid(deps.db, rootPath, at);
  return new Map(rows.map((r) => [r.area_path, { warning: r.warning, alarm: r.alarm }]));
}
