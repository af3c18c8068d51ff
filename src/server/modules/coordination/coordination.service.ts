/**
 * The coordination centre's figures (issue 8): KPI tiles with their trend,
 * breakdowns to drill down by department, family, category or area,
 * department scorecards (考核) and the measures the district map shades
 * grids by. Everything is read from the rollups kept by the `case-rollups`
 * job, plus the two counts that depend on the clock (overdue now).
 *
 * Who: admins and coordinators, inside the areas their grants reach.
 */
import type { Kysely } from "kysely";
import type {
  AreaMeasureResponse,
  BreakdownDimension,
  BreakdownResponse,
  CollaborationResponse,
  CoordinationQuery,
  KpiFigures,
  KpiResponse,
  MapMeasure,
  ScorecardResponse,
} from "../../../shared/schemas/coordination.js";
import { COORDINATION_MAX_DAYS } from "../../../shared/schemas/coordination.js";
import type { DB } from "../../db/schema.js";
import { fieldError, forbidden, notFound } from "../../errors.js";
import { type Actor, areaScopePaths, pathWithin } from "../access/access.policy.js";
import { riskByArea } from "../grid-risk/grid-risk.service.js";
import { residentFiguresByArea } from "../residents/residents.service.js";
import * as repo from "./coordination.repository.js";
import { pendingRollupActions } from "./rollups.service.js";

type Deps = { db: Kysely<DB> };

const DAY_MS = 86_400_000;
/** Periods up to this many days are charted per day, longer ones per month. */
const DAILY_SERIES_MAX_DAYS = 92;

const COORDINATION_ROLES = ["admin", "coordinator"] as const;

/** The China-local calendar day of an instant. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** The caller may read the coordination centre's figures at all. */
export function canCoordinate(actor: Actor): boolean {
  return areaScopePaths(actor, [...COORDINATION_ROLES]).length > 0;
}

/** The area asked for (default: the caller's widest), checked against the caller's grants. */
async function scopeArea(deps: Deps, actor: Actor, areaId: string | undefined) {
  const scopes = areaScopePaths(actor, [...COORDINATION_ROLES]);
  if (scopes.length === 0)
    throw forbidden("只有综治中心的协调员和管理员可以查看 / coordinators and admins only");
  const area =
    areaId === undefined
      ? await repo.areaByPath(deps.db, [...scopes].sort((a, b) => a.length - b.length)[0] as string)
      : await repo.areaById(deps.db, areaId);
  if (!area) throw notFound("区域", "area");
  if (!scopes.some((s) => pathWithin(area.path, s)))
    throw forbidden("该区域不在您的管辖范围内 / that area is outside your scope");
  return area;
}

function period(q: CoordinationQuery, now: Date) {
  const to = q.to ?? chinaDay(now);
  const from = q.from ?? addDays(to, -29);
  const days = daysBetween(from, to);
  if (days > COORDINATION_MAX_DAYS)
    throw fieldError(
      "query.from",
      `时间段不能超过 ${COORDINATION_MAX_DAYS} 天 / a period may span at most ${COORDINATION_MAX_DAYS} days`,
    );
  return { from, to, days };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const round = (v: number | null, digits = 4) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

export function figuresOf(c: repo.Counters): KpiFigures {
  const n = (v: number) => Number(v) || 0;
  return {
    received: n(c.received),
    dispatched: n(c.dispatched),
    accepted: n(c.accepted),
    resolved: n(c.resolved),
    closed: n(c.closed),
    reopened: n(c.reopened),
    returned: n(c.returned),
    reassigned: n(c.reassigned),
    supervised: n(c.supervised),
    escalated: n(c.escalated),
    withdrawn: n(c.withdrawn),
    rated: n(c.rated),
    acceptOnTimeRate: round(ratio(n(c.accepted_on_time), n(c.accepted))),
    resolveOnTimeRate: round(ratio(n(c.resolved_on_time), n(c.resolved))),
    avgHandlingHours: round(ratio(n(c.resolve_hours), n(c.resolved)), 1),
    satisfaction: round(ratio(n(c.rating_sum), n(c.rated)), 2),
    satisfiedRate: round(ratio(n(c.satisfied), n(c.rated))),
    reopenRate: round(ratio(n(c.reopened), n(c.closed))),
    multiSubjectRate: round(ratio(n(c.closed_multi_subject), n(c.closed))),
    multiKindRate: round(ratio(n(c.closed_multi_kind), n(c.closed))),
    bounced: n(c.bounced),
    avgAcceptHours: round(ratio(n(c.accept_hours), n(c.accepted)), 1),
    repeated: n(c.repeated),
    repeatRate: round(ratio(n(c.repeated), n(c.received))),
  };
}

export async function kpis(
  deps: Deps,
  actor: Actor,
  q: CoordinationQuery,
  now = new Date(),
): Promise<KpiResponse> {
  const area = await scopeArea(deps, actor, q.areaId);
  const { from, to, days } = period(q, now);
  const grain = days <= DAILY_SERIES_MAX_DAYS ? "day" : "month";
  const [current, previous, rows, open, overdue, pending] = await Promise.all([
    repo.dayTotals(deps.db, area.path, from, to),
    repo.dayTotals(deps.db, area.path, addDays(from, -days), addDays(from, -1)),
    grain === "day"
      ? repo.series(deps.db, area.path, "day", from, to)
      : repo.series(deps.db, area.path, "month", monthOf(from), to),
    repo.openByArea(deps.db, [area.path]),
    repo.overdueUnder(deps.db, area.path, now, null),
    pendingRollupActions(deps.db),
  ]);
  return {
    from,
    to,
    area: { id: String(area.id), name: area.name, path: area.path, level: area.level },
    figures: figuresOf(current),
    previous: figuresOf(previous),
    open: open.get(area.path) ?? 0,
    overdue: overdue.get("") ?? 0,
    series: rows.map((r) => {
      const f = figuresOf(r);
      return {
        period: r.period,
        received: f.received,
        resolved: f.resolved,
        closed: f.closed,
        resolveOnTimeRate: f.resolveOnTimeRate,
      };
    }),
    seriesGrain: grain,
    pending,
  };
}

const FAMILY_LABEL_FALLBACK = "（未分类）";

export async function breakdown(
  deps: Deps,
  actor: Actor,
  q: CoordinationQuery & { by: BreakdownDimension },
  now = new Date(),
): Promise<BreakdownResponse> {
  const area = await scopeArea(deps, actor, q.areaId);
  const p = period(q, now);
  const from = monthOf(p.from);
  const to = p.to;
  if (q.by === "area") {
    const children = await repo.childAreas(deps.db, String(area.id));
    const rows = await repo.totalsByArea(
      deps.db,
      children.map((c) => c.path),
      "month",
      from,
      to,
    );
    const byPath = new Map(rows.map((r) => [r.area_path, r]));
    const items = children
      .map((c) => {
        const r = byPath.get(c.path);
        return {
          key: c.code,
          label: c.name,
          areaId: String(c.id),
          ...figuresOf(r ?? ({} as repo.Counters)),
        };
      })
      .sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
    return { by: q.by, from, to, items, total: items.length };
  }
  if (area.level === "grid")
    throw fieldError(
      "query.by",
      "网格只按区域汇总；请选择社区或以上的区域 / a grid is summed as a whole; pick a community or above",
    );
  const rows = await repo.monthsByKey(deps.db, area.path, q.by, from, to);
  const labels =
    q.by === "department"
      ? await repo.departmentNames(
          deps.db,
          rows.map((r) => r.key).filter((k) => /^\d+$/.test(k)),
        )
      : await repo.categoryNames(deps.db);
  const items = rows
    .map((r) => ({
      key: r.key,
      label:
        labels.get(r.key) ??
        (r.key === "none" ? "（未派发）" : q.by === "family" ? FAMILY_LABEL_FALLBACK : r.key),
      areaId: null,
      ...figuresOf(r),
    }))
    .sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
  return { by: q.by, from, to, items, total: items.length };
}

/** The scorecard's weights: rates in 0–1, each weighted; missing rates drop out. */
export const SCORE_WEIGHTS = {
  resolveOnTimeRate: 35,
  acceptOnTimeRate: 15,
  satisfiedRate: 25,
  /** 1 − returns per dispatch */
  keptRate: 10,
  /** assisting requests answered */
  tasksDoneRate: 15,
} as const;

export function scoreOf(rates: Partial<Record<keyof typeof SCORE_WEIGHTS, number | null>>) {
  let sum = 0;
  let weight = 0;
  for (const [k, w] of Object.entries(SCORE_WEIGHTS)) {
    const v = rates[k as keyof typeof SCORE_WEIGHTS];
    if (v === null || v === undefined) continue;
    sum += Math.max(0, Math.min(1, v)) * w;
    weight += w;
  }
  return weight === 0 ? 0 : Math.round((sum / weight) * 1000) / 10;
}

export async function scorecards(
  deps: Deps,
  actor: Actor,
  q: CoordinationQuery,
  now = new Date(),
): Promise<ScorecardResponse> {
  const area = await scopeArea(deps, actor, q.areaId);
  if (area.level === "grid")
    throw fieldError("query.areaId", "请选择社区或以上的区域 / pick a community or above");
  const p = period(q, now);
  const from = monthOf(p.from);
  const [rows, departments, live] = await Promise.all([
    repo.monthsByKey(deps.db, area.path, "department", from, p.to),
    repo.departmentsFor(deps.db, area.path),
    repo.openByDepartment(deps.db, area.path, now),
  ]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const scored = departments.map((d) => {
    const c = byKey.get(d.id);
    const f = figuresOf(c ?? ({} as repo.Counters));
    const tasksAssigned = Number(c?.tasks_assigned ?? 0);
    const tasksDone = Number(c?.tasks_done ?? 0);
    const score = scoreOf({
      resolveOnTimeRate: f.resolveOnTimeRate,
      acceptOnTimeRate: f.acceptOnTimeRate,
      satisfiedRate: f.satisfiedRate,
      keptRate: f.dispatched > 0 ? 1 - f.returned / f.dispatched : null,
      tasksDoneRate: tasksAssigned > 0 ? Math.min(1, tasksDone / tasksAssigned) : null,
    });
    const l = live.get(d.id) ?? { open: 0, overdue: 0 };
    return {
      departmentId: d.id,
      name: d.name,
      ...f,
      score,
      open: l.open,
      overdue: l.overdue,
      tasksAssigned,
      tasksDone,
    };
  });
  // Departments with no work in the period rank last, by name.
  scored.sort(
    (a, b) =>
      Number(b.dispatched + b.tasksAssigned > 0) - Number(a.dispatched + a.tasksAssigned > 0) ||
      b.score - a.score ||
      a.name.localeCompare(b.name, "zh-CN"),
  );
  const items = scored.map((s, i) => ({ rank: i + 1, ...s }));
  return { from, to: p.to, weights: { ...SCORE_WEIGHTS }, items, total: items.length };
}

const LEVEL_DEPTH = { district: 1, street: 2, community: 3, grid: 4 } as const;

export async function areaMeasures(
  deps: Deps,
  actor: Actor,
  q: CoordinationQuery & { measure: MapMeasure; level: "street" | "community" | "grid" },
  now = new Date(),
): Promise<AreaMeasureResponse> {
  const area = await scopeArea(deps, actor, q.areaId);
  const areas = await repo.areasUnder(deps.db, area.path, q.level);
  const paths = areas.map((a) => a.path);
  let values: Map<string, number | null>;
  if (q.measure === "open") {
    const open = await repo.openByArea(deps.db, paths);
    values = new Map(paths.map((p) => [p, open.get(p) ?? 0]));
  } else if (q.measure === "overdue") {
    const overdue = await repo.overdueUnder(deps.db, area.path, now, LEVEL_DEPTH[q.level]);
    values = new Map(paths.map((p) => [p, overdue.get(p) ?? 0]));
  } else if (q.measure === "risk") {
    values = await riskByArea(deps.db, area.path, paths, now);
  } else if (q.measure === "newCitizens") {
    // Residents are counted per grid: each grid's count goes to the area of the level shown.
    const people = await residentFiguresByArea(deps, area.path);
    const depth = LEVEL_DEPTH[q.level];
    const sums = new Map<string, number>(paths.map((p) => [p, 0]));
    for (const [at, v] of people) {
      const p = `/${at.split("/").filter(Boolean).slice(0, depth).join("/")}/`;
      if (sums.has(p)) sums.set(p, (sums.get(p) ?? 0) + v.newCitizens);
    }
    values = sums;
  } else {
    const p = period(q, now);
    const grain = p.days <= DAILY_SERIES_MAX_DAYS ? "day" : "month";
    const rows = await repo.totalsByArea(
      deps.db,
      paths,
      grain,
      grain === "day" ? p.from : monthOf(p.from),
      p.to,
    );
    const byPath = new Map(rows.map((r) => [r.area_path, figuresOf(r)]));
    values = new Map(
      paths.map((x) => {
        const f = byPath.get(x);
        return [x, q.measure === "received" ? (f?.received ?? 0) : (f?.resolveOnTimeRate ?? null)];
      }),
    );
  }
  return {
    measure: q.measure,
    level: q.level,
    items: areas.map((a) => ({
      areaId: String(a.id),
      code: a.code,
      name: a.name,
      value: values.get(a.path) ?? null,
    })),
  };
}

/** The busiest pairs shown in the network; the rest are summed into the nodes only. */
const MAX_LINKS = 60;
/** Pairs kept for each kind of subject besides government, however busy the departments are. */
const LINKS_PER_KIND = 6;

export async function collaboration(
  deps: Deps,
  actor: Actor,
  q: CoordinationQuery,
  now = new Date(),
): Promise<CollaborationResponse> {
  const area = await scopeArea(deps, actor, q.areaId);
  if (area.level === "grid")
    throw fieldError("query.areaId", "请选择社区或以上的区域 / pick a community or above");
  const p = period(q, now);
  const from = monthOf(p.from);
  const pairs = await repo.collaborationPairs(deps.db, area.path, from, p.to);
  const totals = new Map<string, number>();
  for (const x of pairs) {
    totals.set(x.a, (totals.get(x.a) ?? 0) + x.cases);
    totals.set(x.b, (totals.get(x.b) ?? 0) + x.cases);
  }
  const ids = [...totals.keys()];
  const labels = await repo.subjectLabels(deps.db, ids);
  const kindOf = (id: string) => labels.get(id)?.kind ?? "other";
  // The busiest pairs, but each kind of subject besides government keeps its
  // own busiest few: departments working with departments would otherwise
  // fill the picture, and enterprises, associations and volunteers are what
  // joint governance is about.
  const sorted = [...pairs].sort((x, y) => y.cases - x.cases);
  const chosen = new Set<(typeof pairs)[number]>();
  for (const kind of ["enterprise", "association", "volunteer", "other"] as const)
    for (const x of sorted
      .filter((p) => kindOf(p.a) === kind || kindOf(p.b) === kind)
      .slice(0, LINKS_PER_KIND))
      chosen.add(x);
  for (const x of sorted) {
    if (chosen.size >= MAX_LINKS) break;
    chosen.add(x);
  }
  const links = sorted.filter((x) => chosen.has(x));
  return {
    from,
    to: p.to,
    nodes: ids
      .map((id) => ({
        id,
        label: labels.get(id)?.label ?? id,
        kind: labels.get(id)?.kind ?? "other",
        cases: totals.get(id) ?? 0,
      }))
      .sort((x, y) => y.cases - x.cases),
    links: links.map((x) => ({ source: x.a, target: x.b, cases: x.cases })),
  };
}
