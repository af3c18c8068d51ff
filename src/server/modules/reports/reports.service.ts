/**
 * District reports (综治报告): a weekly or monthly snapshot of an area's
 * coordination figures, made on demand or by the `reports` job for the
 * areas with a schedule, stored as JSON (the printable page) and XLSX.
 *
 * Every figure comes from the coordination service (its rollups), never
 * from the case tables; this module only arranges them, compares them with
 * the period before and words the highlights. Who: admins and coordinators
 * inside their areas, like the coordination centre.
 */
import type { Kysely } from "kysely";
import {
  addDays,
  daysIn,
  lastCompletePeriod,
  periodLabel,
  periodRange,
  previousPeriod,
  type ReportKind,
} from "../../../shared/report-periods.js";
import type { KpiFigures } from "../../../shared/schemas/coordination.js";
import type {
  CreateReportBody,
  RecipientCandidate,
  ReportContent,
  ReportDetail,
  ReportListQuery,
  ReportQuery,
  ReportSchedule,
  ReportSummary,
  ScheduleBody,
  UpdateScheduleBody,
} from "../../../shared/schemas/reports.js";
import type { DB } from "../../db/schema.js";
import { conflict, fieldError, forbidden, notFound } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import * as coordination from "../coordination/coordination.service.js";
import { pendingRollupActions } from "../coordination/rollups.service.js";
import type { EventBus } from "../events/event-bus.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import { highlightsOf, kpiLines, worstOnTimeDepartment } from "./report-content.js";
import { reportWorkbook } from "./report-workbook.js";
import {
  CHILD_LEVEL,
  REPORT_LEVELS,
  reportInScope,
  reportScopes,
  scheduleActor,
} from "./reports.policy.js";
import * as repo from "./reports.repository.js";

export interface ReportsDeps {
  db: Kysely<DB>;
  events?: { publish: EventBus["publish"] } | undefined;
}

interface Ctx {
  requestId?: string | null;
  now?: Date;
}

const REPORT_NOT_FOUND = () => notFound("报告", "report");
const SCHEDULE_NOT_FOUND = () => notFound("报告计划", "report schedule");
const KIND_WORD: Record<ReportKind, string> = { weekly: "周报", monthly: "月报" };
/** Scorecard rows a report names at each end. */
const SCORE_ENDS = 5;
/** Department rows in a report (by cases received). */
const MAX_DEPARTMENTS = 30;
/** Collaboration pairs in a report (the busiest). */
const MAX_PAIRS = 10;
/**
 * The job waits while more case actions than this are still to be counted
 * (after a bulk load, say): a scheduled report is kept, so it must not miss
 * them. A report asked for by hand is made anyway and says so.
 */
export const SCHEDULE_MAX_PENDING = 1000;

const personOf = (actor: Actor) => actor.displayName ?? actor.label;
const iso = (d: Date | string) => new Date(d).toISOString();

// ---------------------------------------------------------------- scope

/** The area asked for (default: the caller's widest), in scope and big enough for a report. */
async function reportArea(
  deps: ReportsDeps,
  actor: Actor,
  areaId: string | undefined,
  path = "query.areaId",
) {
  const scopes = reportScopes(actor);
  if (scopes.length === 0)
    throw forbidden("只有综治中心的协调员和管理员可以查看报告 / coordinators and admins only");
  const area =
    areaId === undefined
      ? await repo.areaByPath(deps.db, [...scopes].sort((a, b) => a.length - b.length)[0] as string)
      : await repo.areaById(deps.db, areaId);
  if (!area) throw notFound("区域", "area");
  if (!reportInScope(scopes, area.path))
    throw forbidden("该区域不在您的管辖范围内 / that area is outside your scope");
  if (!(REPORT_LEVELS as readonly string[]).includes(area.level))
    throw fieldError(
      path,
      "网格不单独生成报告，请选择社区或以上的区域 / pick a community or above: grids get no report of their own",
    );
  return area;
}

interface ResolvedPeriod {
  kind: ReportKind;
  period: string;
  label: string;
  from: string;
  /** the period's last day */
  end: string;
  /** the last day counted: `end`, or today while the period runs */
  to: string;
  complete: boolean;
}

/** A period by name (default: the last one that ended); one that has not begun is refused. */
export function resolvePeriod(
  kind: ReportKind,
  period: string | undefined,
  now: Date,
  path = "query.period",
): ResolvedPeriod {
  const today = coordination.chinaDay(now);
  const name = period ?? lastCompletePeriod(kind, today);
  const r = periodRange(kind, name);
  if (!r) throw fieldError(path, "期次无效 / not a period of that kind");
  if (r.from > today) throw fieldError(path, "该期次尚未开始 / that period has not begun");
  const complete = r.to < today;
  return {
    kind,
    period: name,
    label: periodLabel(kind, name),
    from: r.from,
    end: r.to,
    to: complete ? r.to : today,
    complete,
  };
}

// -------------------------------------------------------------- content

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
function addMonths(monthFirst: string, n: number) {
  const d = new Date(`${monthFirst}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The report's content for an area and period, read as `actor` through the
 * coordination service. Breakdowns by department and family, scorecards and
 * collaboration are kept per month there: for a week they cover the whole
 * months around it (the notes say so).
 */
export async function buildContent(
  deps: ReportsDeps,
  actor: Actor,
  area: repo.AreaRow,
  p: ResolvedPeriod,
  now: Date,
): Promise<ReportContent> {
  const prevName = previousPeriod(p.kind, p.period);
  const prevRange = periodRange(p.kind, prevName) as { from: string; to: string };
  // A period still running is compared with as many days of the one before.
  const prevTo = p.complete
    ? prevRange.to
    : ([prevRange.to, addDays(prevRange.from, daysIn(p.from, p.to) - 1)].sort()[0] as string);
  const areaId = String(area.id);
  const q = { areaId, from: p.from, to: p.to };
  const level = CHILD_LEVEL[area.level as keyof typeof CHILD_LEVEL];
  // Families: the months the period touches, against as many months before.
  const famFrom = monthStart(p.from);
  const months =
    (Number(p.to.slice(0, 4)) - Number(famFrom.slice(0, 4))) * 12 +
    Number(p.to.slice(5, 7)) -
    Number(famFrom.slice(5, 7)) +
    1;
  const famPrevFrom = addMonths(famFrom, -months);
  const famPrevTo = addDays(famFrom, -1);
  const basis: "months" | "daily" = p.kind === "monthly" && p.complete ? "months" : "daily";

  const [cur, prev, received, onTime, open, overdue, depts, fams, famsPrev, cards, collab] =
    await Promise.all([
      coordination.kpis(deps, actor, q, now),
      coordination.kpis(deps, actor, { areaId, from: prevRange.from, to: prevTo }, now),
      coordination.areaMeasures(deps, actor, { ...q, measure: "received", level }, now),
      coordination.areaMeasures(deps, actor, { ...q, measure: "resolveOnTimeRate", level }, now),
      coordination.areaMeasures(deps, actor, { ...q, measure: "open", level }, now),
      coordination.areaMeasures(deps, actor, { ...q, measure: "overdue", level }, now),
      coordination.breakdown(deps, actor, { ...q, by: "department" }, now),
      coordination.breakdown(deps, actor, { ...q, by: "family" }, now),
      coordination.breakdown(
        deps,
        actor,
        { areaId, from: famPrevFrom, to: famPrevTo, by: "family" },
        now,
      ),
      coordination.scorecards(deps, actor, q, now),
      coordination.collaboration(deps, actor, q, now),
    ]);

  const byArea = (r: { items: { areaId: string; value: number | null }[] }) =>
    new Map(r.items.map((x) => [x.areaId, x.value]));
  const [rec, rate, op, od] = [received, onTime, open, overdue].map(byArea) as [
    Map<string, number | null>,
    Map<string, number | null>,
    Map<string, number | null>,
    Map<string, number | null>,
  ];
  const areaItems = received.items.map((a) => ({
    areaId: a.areaId,
    code: a.code,
    name: a.name,
    received: rec.get(a.areaId) ?? 0,
    resolveOnTimeRate: rate.get(a.areaId) ?? null,
    open: op.get(a.areaId) ?? 0,
    overdue: od.get(a.areaId) ?? 0,
  }));

  const prevFam = new Map(famsPrev.items.map((x) => [x.key, x.received]));
  const familyKeys = new Set([...fams.items.map((x) => x.key), ...prevFam.keys()]);
  const famByKey = new Map(fams.items.map((x) => [x.key, x]));
  const famLabels = new Map([...famsPrev.items, ...fams.items].map((x) => [x.key, x.label]));
  const familyItems = [...familyKeys]
    .map((key) => {
      const f = famByKey.get(key);
      return {
        key,
        label: famLabels.get(key) ?? key,
        received: f?.received ?? 0,
        previous: prevFam.get(key) ?? 0,
        resolved: f?.resolved ?? 0,
        resolveOnTimeRate: f?.resolveOnTimeRate ?? null,
      };
    })
    .sort(
      (a, b) => b.received - a.received || b.previous - a.previous || a.key.localeCompare(b.key),
    );

  const active = cards.items.filter((x) => x.dispatched + x.tasksAssigned > 0);
  const scoreRow = (x: (typeof cards.items)[number]) => ({
    rank: x.rank,
    departmentId: x.departmentId,
    name: x.name,
    score: x.score,
    dispatched: x.dispatched,
    resolved: x.resolved,
    acceptOnTimeRate: x.acceptOnTimeRate,
    resolveOnTimeRate: x.resolveOnTimeRate,
    satisfiedRate: x.satisfiedRate,
    returned: x.returned,
    open: x.open,
    overdue: x.overdue,
  });
  const top = active.slice(0, SCORE_ENDS).map(scoreRow);
  const bottom = active.slice(Math.max(SCORE_ENDS, active.length - SCORE_ENDS)).map(scoreRow);

  const labelOf = new Map(collab.nodes.map((n) => [n.id, n.label]));
  const f: KpiFigures = cur.figures;
  const kpis = kpiLines(f, prev.figures);
  const supervision = {
    overdue: cur.overdue,
    supervised: f.supervised,
    escalated: f.escalated,
    returned: f.returned,
    reopened: f.reopened,
  };
  const collaboration = {
    from: collab.from,
    to: collab.to,
    multiSubjectRate: f.multiSubjectRate,
    multiKindRate: f.multiKindRate,
    bounced: f.bounced,
    avgAcceptHours: f.avgAcceptHours,
    tasksAssigned: cards.items.reduce((s, x) => s + x.tasksAssigned, 0),
    tasksDone: cards.items.reduce((s, x) => s + x.tasksDone, 0),
    pairs: collab.links.slice(0, MAX_PAIRS).map((l) => ({
      a: labelOf.get(l.source) ?? l.source,
      b: labelOf.get(l.target) ?? l.target,
      cases: l.cases,
    })),
  };
  const families = {
    from: fams.from,
    to: fams.to,
    basis,
    previousFrom: famPrevFrom,
    previousTo: famPrevTo,
    items: familyItems,
  };
  const scorecards = { from: cards.from, to: cards.to, total: cards.total, top, bottom };
  const areas = { level, items: areaItems };
  const now_ = { open: cur.open, overdue: cur.overdue };

  const notes: string[] = [];
  if (!p.complete)
    notes.push(
      `本期尚未结束，数据截至 ${p.to}，与${prevRange.from}至${prevTo}同期相比；期满后重新生成会更新本报告。`,
    );
  if (p.kind === "weekly" || !p.complete)
    notes.push(
      `分部门、分类别、考核和协同数据按自然月汇总（${depts.from} 至 ${depts.to}）；分类别的对比期为 ${famPrevFrom} 至 ${famPrevTo}，按日均比较。`,
    );
  notes.push("“在办”“超期”为报告生成时的实时数。");
  if (cur.pending > 0) notes.push(`生成时尚有 ${cur.pending} 条办理记录未计入统计。`);

  return {
    kind: p.kind,
    period: p.period,
    label: p.label,
    from: p.from,
    to: p.to,
    complete: p.complete,
    generatedAt: now.toISOString(),
    area: { id: areaId, code: area.code, name: area.name, level: area.level },
    previous: {
      period: prevName,
      label: periodLabel(p.kind, prevName),
      from: prevRange.from,
      to: prevTo,
    },
    kpis,
    now: now_,
    supervision,
    areas,
    departments: {
      from: depts.from,
      to: depts.to,
      items: depts.items.slice(0, MAX_DEPARTMENTS).map((d) => ({
        key: d.key,
        label: d.label,
        received: d.received,
        dispatched: d.dispatched,
        accepted: d.accepted,
        resolved: d.resolved,
        resolveOnTimeRate: d.resolveOnTimeRate,
        returned: d.returned,
        supervised: d.supervised,
        satisfaction: d.satisfaction,
      })),
    },
    families,
    scorecards,
    collaboration,
    highlights: highlightsOf({
      kind: p.kind,
      kpis,
      now: now_,
      supervision,
      areas,
      families,
      scorecards,
      collaboration,
      familyDays: { current: daysIn(fams.from, fams.to), previous: daysIn(famPrevFrom, famPrevTo) },
      worstOnTime: worstOnTimeDepartment(active),
    }),
    notes,
    pending: cur.pending,
  };
}

/** The printable page's content for an area and period, made now and not stored. */
export async function previewReport(
  deps: ReportsDeps,
  actor: Actor,
  q: ReportQuery,
  now = new Date(),
): Promise<ReportContent> {
  const area = await reportArea(deps, actor, q.areaId);
  return buildContent(deps, actor, area, resolvePeriod(q.kind, q.period, now), now);
}

// ------------------------------------------------------------- storing

function summaryOf(r: repo.ReportRow): ReportSummary {
  return {
    id: r.id,
    kind: r.kind,
    period: r.period,
    label: periodLabel(r.kind, r.period),
    from: r.period_from,
    to: r.period_to,
    complete: r.complete,
    area: { id: r.area_id, name: r.area_name },
    source: r.source,
    generatedBy: r.generated_label,
    generatedAt: iso(r.generated_at),
    headline: r.headline,
  };
}

async function storedRow(
  area: repo.AreaRow,
  p: ResolvedPeriod,
  content: ReportContent,
  by: { userId: string | null; label: string; source: "manual" | "schedule" },
  now: Date,
): Promise<repo.NewReport> {
  return {
    area_id: String(area.id),
    area_path: area.path,
    area_name: area.name,
    kind: p.kind,
    period: p.period,
    period_from: p.from,
    period_to: p.to,
    complete: p.complete,
    content,
    xlsx: await reportWorkbook(content),
    source: by.source,
    generated_by: by.userId,
    generated_label: by.label,
    generated_at: now,
  };
}

/**
 * Makes and stores the report of an area and period. One that exists and
 * is complete answers 409 (with its id); one made while its period was
 * still running is made again in its place.
 */
export async function generateReport(
  deps: ReportsDeps,
  actor: Actor,
  body: CreateReportBody,
  ctx: Ctx = {},
): Promise<ReportDetail> {
  const now = ctx.now ?? new Date();
  const area = await reportArea(deps, actor, body.areaId, "body.areaId");
  const p = resolvePeriod(body.kind, body.period, now, "body.period");
  const existing = await repo.findByKey(deps.db, String(area.id), p.kind, p.period);
  const exists = (id: string) =>
    conflict(`${area.name}${p.label}的${KIND_WORD[p.kind]}已生成 / that report exists already`, {
      reportId: id,
    });
  if (existing?.complete) throw exists(existing.id);
  const content = await buildContent(deps, actor, area, p, now);
  const row = await storedRow(
    area,
    p,
    content,
    { userId: actor.userId, label: personOf(actor), source: "manual" },
    now,
  );
  const id = await deps.db.transaction().execute(async (trx) => {
    let id: string | null;
    if (existing) {
      id = (await repo.refreshReport(trx, existing.id, existing.version, row)) ? existing.id : null;
    } else id = await repo.insertReport(trx, row);
    if (!id) {
      const now2 = await repo.findByKey(trx, String(area.id), p.kind, p.period);
      throw exists(now2?.id ?? existing?.id ?? "");
    }
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId ?? null },
      {
        action: existing ? "report.regenerated" : "report.generated",
        subjectType: "report",
        subjectId: id,
        details: { areaId: String(area.id), kind: p.kind, period: p.period, complete: p.complete },
      },
    );
    return id;
  });
  return getReport(deps, actor, id);
}

export async function getReport(
  deps: ReportsDeps,
  actor: Actor,
  id: string,
): Promise<ReportDetail> {
  const r = await repo.findReport(deps.db, id);
  if (!r || !reportInScope(reportScopes(actor), r.area_path)) throw REPORT_NOT_FOUND();
  return { ...summaryOf(r), content: r.content as unknown as ReportContent, version: r.version };
}

/** The stored workbook and a file name for it; 404 outside the caller's areas. */
export async function reportFile(deps: ReportsDeps, actor: Actor, id: string) {
  const r = await repo.reportXlsx(deps.db, id);
  if (!r || !reportInScope(reportScopes(actor), r.area_path)) throw REPORT_NOT_FOUND();
  return {
    filename: `${r.area_name}${KIND_WORD[r.kind]}-${r.period}.xlsx`,
    bytes: Buffer.from(r.xlsx),
  };
}

export async function listReports(
  deps: ReportsDeps,
  actor: Actor,
  q: ReportListQuery,
): Promise<{ items: ReportSummary[]; total: number }> {
  const scopes = reportScopes(actor);
  if (scopes.length === 0)
    throw forbidden("只有综治中心的协调员和管理员可以查看报告 / coordinators and admins only");
  const r = await repo.listReports(deps.db, scopes, q);
  return { items: r.items.map(summaryOf), total: r.total };
}

// ----------------------------------------------------------- schedules

async function presentSchedules(
  deps: ReportsDeps,
  rows: repo.ScheduleRow[],
  now: Date,
): Promise<ReportSchedule[]> {
  const [recipients, last] = await Promise.all([
    repo.recipientsOf(
      deps.db,
      rows.map((r) => r.id),
    ),
    repo.lastReports(
      deps.db,
      rows.map((r) => ({ areaId: r.area_id, kind: r.kind })),
    ),
  ]);
  const today = coordination.chinaDay(now);
  return rows.map((s) => {
    const l = last.find((x) => x.area_id === s.area_id && x.kind === s.kind);
    return {
      id: s.id,
      area: { id: s.area_id, name: s.area_name, level: s.area_level },
      kind: s.kind,
      active: s.active,
      recipients: recipients
        .filter((x) => x.schedule_id === s.id)
        .map((x) => ({ id: x.id, name: x.display_name })),
      createdBy: s.created_label,
      nextPeriod: lastCompletePeriod(s.kind, today),
      lastReport: l ? { id: l.id, period: l.period } : null,
      version: s.version,
    };
  });
}

export async function listSchedules(
  deps: ReportsDeps,
  actor: Actor,
  now = new Date(),
): Promise<{ items: ReportSchedule[]; total: number }> {
  const scopes = reportScopes(actor);
  if (scopes.length === 0)
    throw forbidden("只有综治中心的协调员和管理员可以管理报告计划 / coordinators and admins only");
  const rows = await repo.listSchedules(deps.db, scopes);
  const items = await presentSchedules(deps, rows, now);
  return { items, total: items.length };
}

async function visibleSchedule(deps: ReportsDeps, actor: Actor, id: string) {
  const s = await repo.findSchedule(deps.db, id);
  if (!s || !reportInScope(reportScopes(actor), s.area_path)) throw SCHEDULE_NOT_FOUND();
  return s;
}

/** Recipients must be able to open the report they are told of. */
async function checkRecipients(deps: ReportsDeps, areaPath: string, ids: string[]) {
  const unique = [...new Set(ids)];
  const ok = await repo.recipientCandidates(deps.db, areaPath, unique);
  const okIds = new Set(ok.map((u) => u.id));
  const bad = unique.filter((u) => !okIds.has(u));
  if (bad.length)
    throw fieldError(
      "body.recipientIds",
      `${bad.length} 位接收人不是该区域的协调员或管理员，无法查看报告 / ${bad.length} recipients cannot read this area's reports`,
    );
  return unique;
}

export async function createSchedule(
  deps: ReportsDeps,
  actor: Actor,
  body: ScheduleBody,
  ctx: Ctx = {},
): Promise<ReportSchedule> {
  const area = await reportArea(deps, actor, body.areaId, "body.areaId");
  const recipients = await checkRecipients(deps, area.path, body.recipientIds);
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await repo.insertSchedule(trx, {
      area_id: String(area.id),
      area_path: area.path,
      kind: body.kind,
      active: body.active,
      created_by: actor.userId,
      created_label: personOf(actor),
    });
    if (!id)
      throw conflict(
        `${area.name}已有${KIND_WORD[body.kind]}计划，请修改原计划 / that area has this schedule already`,
      );
    await repo.setRecipients(trx, id, recipients);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId ?? null },
      {
        action: "report_schedule.created",
        subjectType: "report_schedule",
        subjectId: id,
        details: { areaId: String(area.id), kind: body.kind, recipients: recipients.length },
      },
    );
    return id;
  });
  const [s] = await presentSchedules(
    deps,
    [(await repo.findSchedule(deps.db, id)) as repo.ScheduleRow],
    ctx.now ?? new Date(),
  );
  return s as ReportSchedule;
}

export async function updateSchedule(
  deps: ReportsDeps,
  actor: Actor,
  id: string,
  body: UpdateScheduleBody,
  ctx: Ctx = {},
): Promise<ReportSchedule> {
  const s = await visibleSchedule(deps, actor, id);
  const recipients = body.recipientIds
    ? await checkRecipients(deps, s.area_path, body.recipientIds)
    : undefined;
  await deps.db.transaction().execute(async (trx) => {
    const locked = await repo.lockSchedule(trx, id);
    if (!locked) throw SCHEDULE_NOT_FOUND();
    if (
      locked.version !== body.version ||
      !(await repo.updateSchedule(trx, id, body.version, {
        ...(body.active !== undefined ? { active: body.active } : {}),
      }))
    )
      throw conflict(
        "报告计划已被他人修改，请刷新后重试 / the schedule changed meanwhile; reload",
        {
          currentVersion: locked.version,
        },
      );
    if (recipients) await repo.setRecipients(trx, id, recipients);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId ?? null },
      {
        action: "report_schedule.updated",
        subjectType: "report_schedule",
        subjectId: id,
        details: {
          ...(body.active !== undefined ? { active: body.active } : {}),
          ...(recipients ? { recipients: recipients.length } : {}),
        },
      },
    );
  });
  const [out] = await presentSchedules(
    deps,
    [(await repo.findSchedule(deps.db, id)) as repo.ScheduleRow],
    ctx.now ?? new Date(),
  );
  return out as ReportSchedule;
}

export async function deleteSchedule(deps: ReportsDeps, actor: Actor, id: string, ctx: Ctx = {}) {
  const s = await visibleSchedule(deps, actor, id);
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteSchedule(trx, id);
    await recordAudit(
      trx,
      { actor, requestId: ctx.requestId ?? null },
      {
        action: "report_schedule.deleted",
        subjectType: "report_schedule",
        subjectId: id,
        details: { areaId: s.area_id, kind: s.kind },
      },
    );
  });
}

/** Who may receive an area's reports: its admins and coordinators (names only). */
export async function recipientCandidates(
  deps: ReportsDeps,
  actor: Actor,
  areaId: string,
): Promise<{ items: RecipientCandidate[] }> {
  const area = await reportArea(deps, actor, areaId);
  const rows = await repo.recipientCandidates(deps.db, area.path);
  const seen = new Set<string>();
  const items: RecipientCandidate[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    items.push({
      id: r.id,
      name: r.display_name,
      role: `${r.area_name} ${r.role === "admin" ? "管理员" : "协调员"}`,
    });
  }
  return { items };
}

// ------------------------------------------------------------------ job

/**
 * The `reports` job: for every active schedule, last week's or last month's
 * report of its area, if not made yet (or made while the period still ran),
 * and a notification to its recipients. Idempotent: the unique (area, kind,
 * period) lets one server insert it and the other find it done — only the
 * one that inserted notifies. Waits while the rollups are far behind.
 */
export async function runReportSchedules(
  deps: ReportsDeps,
  now = new Date(),
): Promise<{ generated: number; waiting: boolean }> {
  if ((await pendingRollupActions(deps.db)) > SCHEDULE_MAX_PENDING)
    return { generated: 0, waiting: true };
  const today = coordination.chinaDay(now);
  const schedules = await repo.activeSchedules(deps.db);
  let generated = 0;
  const notified = new Set<string>();
  for (const s of schedules) {
    const p = resolvePeriod(s.kind, lastCompletePeriod(s.kind, today), now);
    const existing = await repo.findByKey(deps.db, s.area_id, s.kind, p.period);
    if (existing?.complete) continue;
    const area: repo.AreaRow = {
      id: s.area_id,
      code: s.area_code,
      name: s.area_name,
      level: s.area_level,
      path: s.area_path,
    };
    const actor = scheduleActor(area);
    const content = await buildContent(deps, actor, area, p, now);
    const row = await storedRow(
      area,
      p,
      content,
      { userId: null, label: "定时生成", source: "schedule" },
      now,
    );
    const recipients = (await repo.recipientsOf(deps.db, [s.id]))
      .filter((r) => r.status === "active")
      .map((r) => r.id);
    const made = await deps.db.transaction().execute(async (trx) => {
      const id = existing
        ? (await repo.refreshReport(trx, existing.id, existing.version, row))
          ? existing.id
          : null
        : await repo.insertReport(trx, row);
      // Another server made it meanwhile: it notifies, not this one.
      if (!id) return null;
      await recordAudit(
        trx,
        { actor: null },
        {
          action: "report.generated",
          subjectType: "report",
          subjectId: id,
          details: { areaId: s.area_id, kind: s.kind, period: p.period, scheduleId: s.id },
        },
      );
      await notifyUsers(trx, recipients, {
        kind: "report.ready",
        title: `${s.area_name}${p.label}${KIND_WORD[s.kind]}已生成`,
        body: content.highlights[0] ?? null,
        link: `/coordination/reports/${id}`,
      });
      return recipients;
    });
    if (!made) continue;
    generated++;
    for (const u of made) notified.add(u);
  }
  if (notified.size) deps.events?.publish({ type: "notifications", userIds: [...notified] });
  return { generated, waiting: false };
}
