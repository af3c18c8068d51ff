/**
 * The grid risk index (网格风险指数) and its early warnings (issue 8 item 6).
 *
 * Once a day (the `grid-risk` job, or an admin on demand) every grid of the
 * district gets a row for the day: eight signals measured from the modules
 * that own the data (case rollups, cases, housing, inspections, enterprise
 * risk, residents, volunteer shifts), each normalised to 0–100, and their
 * weighted mean. The computation holds the settings row's lock, so two
 * servers take turns and the second finds the day done. A grid whose score
 * rose by the threshold against 7 days before, or crossed into 高风险, gets
 * a warning (one per grid per day by a unique key; none while one is still
 * open, nor within 7 days of the last), and its grid workers and
 * coordinators are notified. A warning is acknowledged, dismissed with a
 * reason, or turned into a preventive case through the cases service.
 *
 * Who: admins, coordinators and grid workers read their areas' grids; see
 * grid-risk.policy.ts for the rest.
 */
import type { Kysely, Transaction } from "kysely";
import { todayInChina } from "../../../shared/dates.js";
import {
  GRID_RISK_SIGNAL_NAMES,
  GRID_RISK_SIGNALS,
  type GridProfile,
  type GridRiskItem,
  type GridRiskLevel,
  type GridRiskList,
  type GridRiskListQuery,
  type GridRiskPreview,
  type GridRiskSettings,
  type GridRiskSettingsInput,
  type GridRiskSettingsShape,
  type GridWarning,
  type GridWarningListQuery,
  type GridWarningStatus,
  RISE_COMPARE_DAYS,
  SIGNAL_WINDOW_DAYS,
  type UpdateGridRiskSettingsBody,
} from "../../../shared/schemas/grid-risk.js";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import { AppError, conflict, forbidden, notFound } from "../../errors.js";
import { type Actor, pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { areaRoleHolders } from "../auth/users.service.js";
import { type CasesDeps, casesReportedByGrid, createCase } from "../cases/cases.service.js";
import {
  openCasesByArea,
  pendingRollupActions,
  receivedByArea,
  receivedPerMonth,
} from "../coordination/rollups.service.js";
import { wageWarningsByGrid } from "../enterprise-risk/enterprise-risk.service.js";
import type { EventBus } from "../events/event-bus.js";
import { type Boundary, boundaryInteriorPoint } from "../geo/geometry.js";
import { unitFiguresByGrid } from "../housing/housing.service.js";
import { openEnterpriseHazardsByGrid } from "../inspections/hazards.service.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import { organisationCountsByArea } from "../organisations/organisations.service.js";
import { residentFiguresByArea } from "../residents/residents.service.js";
import { patrolHoursByArea } from "../volunteers/shifts.service.js";
import {
  allowedWarningActions,
  canEditRiskSettings,
  canRunGridRisk,
  riskReadPaths,
  warningRights,
} from "./grid-risk.policy.js";
import * as repo from "./grid-risk.repository.js";
import {
  explain,
  type GridFigures,
  NO_FIGURES,
  scoreOf,
  signalsOf,
  topSignals,
  warningReasons,
} from "./grid-signals.js";

/** What computing the index needs: the database and the overcrowding rule. */
export interface ComputeDeps {
  db: Kysely<DB>;
  config: Pick<Config, "overcrowdingMinM2PerPerson">;
  events?: Pick<EventBus, "publish">;
}
export type GridRiskDeps = CasesDeps;

const DAY_MS = 86_400_000;
/** A warning's preventive case: a public-order gap to check on the ground (verified by the grid worker first). */
export const PREVENTIVE_CATEGORY = "public_order.security_gap";
/** The job waits while the case rollups are this far behind (a fresh medium seed, say). */
export const ROLLUP_LAG_LIMIT = 10_000;
/** Scores re-weighted when the weights change: the history the page charts, and more. */
const REWEIGHT_DAYS = 120;
const HISTORY_DAYS = 90;
const LEVEL_NAMES: Record<GridRiskLevel, string> = {
  low: "低风险",
  medium: "中风险",
  high: "高风险",
};

const round1 = (v: number) => Math.round(v * 10) / 10;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
/** The instant a China-local day starts. */
const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`);

// ------------------------------------------------------------------ settings

function settingsOf(row: repo.SettingsRow): GridRiskSettingsShape {
  const weights = Object.fromEntries(
    GRID_RISK_SIGNALS.map((s) => [s, Number(row.weights?.[s] ?? 0)]),
  ) as GridRiskSettingsShape["weights"];
  return {
    weights,
    riseThreshold: Number(row.rise_threshold),
    mediumLevel: Number(row.medium_level),
    highLevel: Number(row.high_level),
  };
}

async function currentSettings(db: Kysely<DB>) {
  return settingsOf(await repo.settings(db));
}

export async function getSettings(
  deps: { db: Kysely<DB> },
  actor: Actor,
): Promise<GridRiskSettings> {
  if (riskReadPaths(actor).length === 0) throw notAllowed();
  const [row, history] = await Promise.all([repo.settings(deps.db), repo.settingsHistory(deps.db)]);
  const s = settingsOf(row);
  return {
    ...s,
    version: row.version,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by_name,
    editable: canEditRiskSettings(actor),
    canRun: canRunGridRisk(actor),
    history: history.map((h) => ({
      ...settingsOf({ ...h, version: h.version, updated_at: h.changed_at, updated_by_name: null }),
      version: h.version,
      note: h.note,
      changedBy: h.changed_by_name,
      changedAt: new Date(h.changed_at).toISOString(),
    })),
  };
}

/**
 * New weights, threshold and levels (admins and coordinators of the whole
 * district; the version seen, else 409). The recent scores are re-weighted in
 * the same transaction, so that a change of weights never looks like a jump.
 */
export async function updateSettings(
  deps: { db: Kysely<DB>; events?: Pick<EventBus, "publish"> | undefined },
  actor: Actor,
  body: UpdateGridRiskSettingsBody,
  requestId: string,
  now = new Date(),
): Promise<GridRiskSettings> {
  if (!canEditRiskSettings(actor))
    throw forbidden(
      "只有区级管理员和协调员可以修改风险权重 / only admins and coordinators of the whole district change the weights",
    );
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.settings(trx, true);
    if (row.version !== body.version)
      throw conflict(
        "权重已被他人修改，请刷新后再改 / the weights were changed meanwhile; reload and edit again",
        { version: row.version },
      );
    const values = {
      weights: body.weights,
      rise_threshold: body.riseThreshold,
      medium_level: body.mediumLevel,
      high_level: body.highLevel,
    };
    const version = row.version + 1;
    await repo.updateSettings(trx, values, version, actor.userId, now);
    await repo.insertSettingsHistory(trx, {
      ...values,
      version,
      note: body.note?.trim() || null,
      changed_by: actor.userId,
      changed_at: now,
    });
    const reweighted = await reweight(trx, body, addDays(todayInChina(now), -REWEIGHT_DAYS));
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "grid_risk.settings_changed",
        subjectType: "grid_risk_settings",
        subjectId: "1",
        details: { version, ...values, note: body.note ?? null, reweighted },
      },
    );
  });
  publishRiskChange(deps);
  return getSettings(deps, actor);
}

async function reweight(trx: Transaction<DB>, s: GridRiskSettingsShape, from: string) {
  let after: { gridId: string; day: string } | null = null;
  let n = 0;
  for (;;) {
    const rows = await repo.scoresSince(trx, from, after);
    if (rows.length === 0) return n;
    await repo.setScores(
      trx,
      rows.map((r) => ({ grid_id: r.grid_id, day: r.day, ...scoreOf(r.signals, s) })),
    );
    n += rows.length;
    const last = rows[rows.length - 1] as (typeof rows)[number];
    after = { gridId: last.grid_id, day: last.day };
  }
}

// ----------------------------------------------------------------- scoping

const notAllowed = () =>
  forbidden(
    "只有管理员、综治协调员和网格员可以查看网格风险 / admins, coordinators and grid workers only",
  );

/** The area paths asked for: the area given (checked against the caller's), else all of the caller's. */
async function scopePaths(deps: { db: Kysely<DB> }, actor: Actor, areaId: string | undefined) {
  const scopes = riskReadPaths(actor);
  if (scopes.length === 0) throw notAllowed();
  if (areaId === undefined) return scopes;
  const area = await repo.areaById(deps.db, areaId);
  if (!area) throw notFound("区域", "area");
  if (!scopes.some((s) => pathWithin(area.path, s)))
    throw forbidden("该区域不在您的管辖范围内 / that area is outside your scope");
  return [area.path];
}

// ------------------------------------------------------------- computation

/** Adds `v` to the map's entry for every key of `keys` that is a prefix of `path`. */
function splitOverGrids(
  byArea: Map<string, { hours: number }>,
  grids: readonly repo.GridRow[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [path, v] of byArea) {
    // A grid's own shifts count in full; a community's (or a street's) are shared by its grids.
    const under = grids.filter((g) => pathWithin(g.path, path));
    for (const g of under) out.set(g.path, (out.get(g.path) ?? 0) + v.hours / under.length);
  }
  return out;
}

/** Each grid's figures for `day`, as of `until` (the end of the day, or now for today). */
async function figuresFor(
  deps: ComputeDeps,
  root: string,
  grids: readonly repo.GridRow[],
  day: string,
  until: Date,
): Promise<Map<string, GridFigures>> {
  const db = deps.db;
  const from = addDays(day, -(SIGNAL_WINDOW_DAYS - 1));
  const since = startOf(from);
  const paths = grids.map((g) => g.path);
  const [cases, before, disputes, housing, hazards, wages, people, patrol] = await Promise.all([
    receivedByArea(db, paths, from, day),
    receivedByArea(db, paths, addDays(from, -SIGNAL_WINDOW_DAYS), addDays(from, -1)),
    casesReportedByGrid({ db }, root, "dispute", since, until),
    unitFiguresByGrid({ db, config: deps.config }, root),
    openEnterpriseHazardsByGrid({ db }, root, until),
    wageWarningsByGrid({ db }, root, until),
    residentFiguresByArea({ db }, root),
    patrolHoursByArea({ db }, root, since, until),
  ]);
  const hours = splitOverGrids(patrol, grids);
  const out = new Map<string, GridFigures>();
  for (const g of grids) {
    const p = people.get(g.path);
    const h = hazards.get(g.path);
    const w = wages.get(g.path);
    out.set(g.id, {
      ...NO_FIGURES,
      residents: p?.residents ?? 0,
      newCitizens: p?.newCitizens ?? 0,
      cases: cases.get(g.path) ?? 0,
      casesBefore: before.get(g.path) ?? 0,
      disputes: disputes.get(g.path) ?? 0,
      overcrowdedUnits: housing.get(g.path)?.overcrowded ?? 0,
      hazardsOpen: h?.open ?? 0,
      hazardsMajor: h?.major ?? 0,
      wageWarning: w?.warning ?? 0,
      wageAlarm: w?.alarm ?? 0,
      patrolHours: round1(hours.get(g.path) ?? 0),
    });
  }
  return out;
}

export interface DayResult {
  day: string;
  computed: number;
  warnings: number;
  /** the users notified (to tell their open pages after the commit) */
  notified: string[];
}

/**
 * Computes one day's index for every grid and raises its warnings, inside the
 * caller's transaction (which should hold the settings lock: computeToday
 * does). `asOf` is when the day's figures are read (now for today; the end
 * of the day for a past one). `quiet` raises warnings without notifying (the
 * seed's back-filled history).
 */
export async function computeDayIn(
  trx: Transaction<DB>,
  deps: Pick<ComputeDeps, "config">,
  day: string,
  asOf: Date,
  opts: { quiet?: boolean } = {},
): Promise<DayResult> {
  const settings = settingsOf(await repo.settings(trx));
  const district = await repo.district(trx);
  if (!district) return { day, computed: 0, warnings: 0, notified: [] };
  const grids = await repo.gridsUnder(trx, district.path);
  const figures = await figuresFor(
    { db: trx, config: deps.config },
    district.path,
    grids,
    day,
    asOf,
  );
  const signals = signalsOf(figures);
  const rows: repo.ScoreInsert[] = grids.map((g) => {
    const s = signals.get(g.id) ?? [];
    return { grid_id: g.id, day, area_path: g.path, signals: s, ...scoreOf(s, settings) };
  });
  await repo.upsertScores(trx, rows, asOf);
  const raised = await raiseWarnings(trx, day, rows, grids, settings, asOf, opts.quiet ?? false);
  return { day, computed: rows.length, warnings: raised.count, notified: raised.notified };
}

async function raiseWarnings(
  trx: Transaction<DB>,
  day: string,
  rows: repo.ScoreInsert[],
  grids: readonly repo.GridRow[],
  settings: GridRiskSettingsShape,
  at: Date,
  quiet: boolean,
) {
  const [weekAgoRows, previousRows, blocked] = await Promise.all([
    repo.scoresOfDay(trx, addDays(day, -RISE_COMPARE_DAYS)),
    repo.latestBefore(trx, day),
    repo.gridsWithRecentWarnings(trx, addDays(day, -RISE_COMPARE_DAYS)),
  ]);
  const weekAgo = new Map(weekAgoRows.map((r) => [String(r.grid_id), r]));
  const previous = new Map(previousRows.map((r) => [r.grid_id, r]));
  const wanted: repo.WarningInsert[] = [];
  for (const r of rows) {
    if (blocked.has(r.grid_id)) continue;
    const before = weekAgo.get(r.grid_id);
    const reasons = warningReasons(r, before, previous.get(r.grid_id), settings);
    if (reasons.length === 0) continue;
    wanted.push({
      grid_id: r.grid_id,
      area_path: r.area_path,
      day,
      score: r.score,
      previous_score: before ? before.score : null,
      rise: before ? round1(r.score - before.score) : null,
      level: r.level,
      reasons,
      top_signals: topSignals(r.signals, settings.weights),
    });
  }
  const inserted = await repo.insertWarnings(trx, wanted, at);
  await repo.insertWarningActions(
    trx,
    inserted.map((w) => ({
      warning_id: w.id,
      action: "raise" as const,
      from_status: null,
      to_status: "open" as const,
      actor_user_id: null,
      actor_label: "系统（网格风险指数）",
      note: null,
      case_id: null,
      created_at: at,
    })),
  );
  const notified = new Set<string>();
  if (!quiet) {
    const byGrid = new Map(grids.map((g) => [g.id, g]));
    for (const w of inserted) {
      const data = wanted.find((x) => x.grid_id === String(w.grid_id)) as repo.WarningInsert;
      const grid = byGrid.get(String(w.grid_id)) as repo.GridRow;
      const people = await areaRoleHolders(trx, ["grid_worker", "coordinator"], grid.path);
      const ids = people.map((p) => p.userId);
      await notifyUsers(trx, ids, {
        kind: "grid_risk.warning",
        title: warningTitle(grid.name, data),
        body: data.top_signals
          .map(
            (s) =>
              `${GRID_RISK_SIGNAL_NAMES[s.code as keyof typeof GRID_RISK_SIGNAL_NAMES]} ${s.contribution} 分`,
          )
          .join("；"),
        link: `/coordination/risk/grids/${grid.code}`,
      });
      for (const id of ids) notified.add(id);
    }
  }
  return { count: inserted.length, notified: [...notified] };
}

function warningTitle(
  gridName: string,
  w: Pick<repo.WarningInsert, "score" | "rise" | "level" | "reasons">,
) {
  const parts = [`${w.score} 分，${LEVEL_NAMES[w.level]}`];
  if (w.reasons.includes("rise") && w.rise !== null)
    parts.push(`${RISE_COMPARE_DAYS} 天上升 ${w.rise} 分`);
  return `网格风险预警：${gridName}（${parts.join("，")}）`;
}

/**
 * Today's index, once: the settings lock makes a second server (or run) wait,
 * then find the day done — unless `force` (an admin's recompute, or after an
 * edit of the data). Skipped while the case rollups are far behind, since
 * the case signals would read as zero.
 */
export async function computeToday(
  deps: ComputeDeps,
  now: Date,
  opts: { force?: boolean } = {},
): Promise<DayResult | { skipped: string }> {
  const pending = await pendingRollupActions(deps.db);
  if (pending > ROLLUP_LAG_LIMIT)
    return {
      skipped: `case rollups are ${pending} actions behind; waiting for the case-rollups job`,
    };
  const day = todayInChina(now);
  const result = await deps.db.transaction().execute(async (trx) => {
    await repo.settings(trx, true);
    if (!opts.force && (await repo.hasScoresFor(trx, day))) return null;
    return computeDayIn(trx, deps, day, now);
  });
  if (result === null) return { skipped: `${day} already computed` };
  if (result.notified.length)
    deps.events?.publish({ type: "notifications", userIds: result.notified });
  deps.events?.publish({ type: "dashboard", topics: ["grid-risk"] });
  return result;
}

/** An admin's recompute of today (POST /api/grid-risk/run). */
export async function runNow(deps: ComputeDeps, actor: Actor, requestId: string, now = new Date()) {
  if (!canRunGridRisk(actor))
    throw forbidden("只有管理员可以立即重算风险指数 / only admins recompute the index");
  const r = await computeToday(deps, now, { force: true });
  if ("skipped" in r)
    throw conflict(
      "事件统计尚未更新完毕，请稍后再算 / the case figures are still being counted; try again shortly",
      { reason: r.skipped },
    );
  await deps.db.transaction().execute((trx) =>
    recordAudit(
      trx,
      { actor, requestId },
      {
        action: "grid_risk.recomputed",
        subjectType: "grid_risk_scores",
        subjectId: r.day,
        details: { computed: r.computed, warnings: r.warnings },
      },
    ),
  );
  return { day: r.day, computed: r.computed, warnings: r.warnings };
}

// -------------------------------------------------------------- the ranking

export async function listGrids(
  deps: { db: Kysely<DB> },
  actor: Actor,
  q: GridRiskListQuery,
  now = new Date(),
): Promise<GridRiskList> {
  const paths = await scopePaths(deps, actor, q.areaId);
  const latest = await repo.latestDay(deps.db, todayInChina(now));
  if (!latest.day) return { items: [], total: 0, day: null, computedAt: null };
  const [settings, page] = await Promise.all([
    currentSettings(deps.db),
    repo.listScores(deps.db, {
      paths,
      day: latest.day,
      level: q.level,
      q: q.q,
      sort: q.sort,
      limit: q.limit,
      offset: q.offset,
    }),
  ]);
  const ref = (id: string | null, code: string | null, name: string | null) =>
    id && code && name ? { id, code, name } : null;
  const items: GridRiskItem[] = page.items.map((r) => ({
    gridId: r.grid_id,
    code: r.code,
    name: r.name,
    street: ref(r.street_id, r.street_code, r.street_name),
    community: ref(r.community_id, r.community_code, r.community_name),
    score: round1(r.score),
    level: r.level,
    change: r.week_ago === null ? null : round1(r.score - r.week_ago),
    topSignals: topSignals(r.signals, settings.weights),
    openWarning: r.warning_id ? { id: r.warning_id, status: r.warning_status ?? "open" } : null,
  }));
  return { items, total: page.total, day: latest.day, computedAt: iso(latest.computed_at) };
}

/**
 * How the ranking of the latest day would read under other settings: every
 * grid of the area with its rank and score now and under `input`.
 */
export async function previewSettings(
  deps: { db: Kysely<DB> },
  actor: Actor,
  input: GridRiskSettingsInput,
  areaId: string | undefined,
  now = new Date(),
): Promise<GridRiskPreview> {
  const paths = await scopePaths(deps, actor, areaId);
  const latest = await repo.latestDay(deps.db, todayInChina(now));
  if (!latest.day) return { day: null, items: [] };
  const rows = await repo.dayScoresUnder(deps.db, latest.day, paths);
  const scored = rows.map((r) => {
    const next = scoreOf(r.signals, input);
    return {
      code: r.code,
      name: r.name,
      score: round1(r.score),
      level: r.level,
      previewScore: next.score,
      previewLevel: next.level,
    };
  });
  const rankBy = (key: "score" | "previewScore") => {
    const sorted = [...scored].sort((a, b) => b[key] - a[key] || a.code.localeCompare(b.code));
    return new Map(sorted.map((x, i) => [x.code, i + 1]));
  };
  const now1 = rankBy("score");
  const next = rankBy("previewScore");
  return {
    day: latest.day,
    items: scored
      .map((x) => ({ ...x, rank: now1.get(x.code) ?? 0, previewRank: next.get(x.code) ?? 0 }))
      .sort((a, b) => a.previewRank - b.previewRank),
  };
}

// -------------------------------------------------------------- a grid's page

const monthsBack = (today: string, n: number) => {
  const [y, m] = today.split("-").map(Number) as [number, number];
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
};

export async function gridProfile(
  deps: Pick<ComputeDeps, "db" | "config">,
  actor: Actor,
  code: string,
  now = new Date(),
): Promise<GridProfile> {
  const scopes = riskReadPaths(actor);
  if (scopes.length === 0) throw notAllowed();
  const grid = await repo.gridByCode(deps.db, code);
  if (!grid || !scopes.some((s) => pathWithin(grid.path, s))) throw notFound("网格", "grid");
  const db = deps.db;
  const today = todayInChina(now);
  const since = startOf(addDays(today, -(SIGNAL_WINDOW_DAYS - 1)));
  const months = monthsBack(today, 12);
  const [settings, history, people, housing, orgs, open, patrol, trend, warnings] =
    await Promise.all([
      currentSettings(db),
      repo.gridScores(db, grid.id, addDays(today, -(HISTORY_DAYS - 1)), today),
      residentFiguresByArea({ db }, grid.path),
      unitFiguresByGrid({ db, config: deps.config }, grid.path),
      organisationCountsByArea({ db }, grid.path),
      openCasesByArea(db, [grid.path]),
      patrolHoursByArea({ db }, grid.path, since, now),
      receivedPerMonth(db, grid.path, `${months[0]}-01`, today),
      repo.warningsOfGrid(db, grid.id, 10),
    ]);
  const last = history.at(-1);
  const weekAgo = last
    ? history.find((h) => h.day === addDays(last.day, -RISE_COMPARE_DAYS))
    : undefined;
  const sum = <T>(m: Map<string, T>, f: (v: T) => number) =>
    [...m.values()].reduce((s, v) => s + f(v), 0);
  const byMonth = new Map(trend.map((t) => [t.month, t.received]));
  const ref = (id: string | null, c: string | null, name: string | null) =>
    id && c && name ? { id, code: c, name } : null;
  return {
    grid: { id: grid.id, code: grid.code, name: grid.name, path: grid.path },
    street: ref(grid.street_id, grid.street_code, grid.street_name),
    community: ref(grid.community_id, grid.community_code, grid.community_name),
    day: last?.day ?? null,
    score: last ? round1(last.score) : null,
    level: last?.level ?? null,
    change: last && weekAgo ? round1(last.score - weekAgo.score) : null,
    signals: last ? explain(last.signals, settings.weights) : [],
    history: history.map((h) => ({ day: h.day, score: round1(h.score), level: h.level })),
    profile: {
      residents: sum(people, (v) => v.residents),
      newCitizens: sum(people, (v) => v.newCitizens),
      units: sum(housing, (v) => v.units),
      rentalUnits: sum(housing, (v) => v.rental),
      overcrowdedUnits: sum(housing, (v) => v.overcrowded),
      enterprises: sum(orgs, (v) => v.enterprises),
      associations: sum(orgs, (v) => v.associations),
      openCases: open.get(grid.path) ?? 0,
      volunteers: sum(patrol, (v) => v.volunteers),
      patrolHours: round1(sum(patrol, (v) => v.hours)),
      caseTrend: months.map((m) => ({ month: m, received: byMonth.get(m) ?? 0 })),
    },
    warnings: warnings.map((w) => presentWarning(w, actor)),
    settings: {
      riseThreshold: settings.riseThreshold,
      mediumLevel: settings.mediumLevel,
      highLevel: settings.highLevel,
    },
  };
}

/**
 * The coordination map's `risk` measure for the areas `areaPaths` under
 * `rootPath`: a grid's latest score; a community's or street's the mean of
 * its grids' (null before the first computation).
 */
export async function riskByArea(
  db: Kysely<DB>,
  rootPath: string,
  areaPaths: readonly string[],
  now = new Date(),
): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>(areaPaths.map((p) => [p, null]));
  const latest = await repo.latestDay(db, todayInChina(now));
  if (!latest.day || areaPaths.length === 0) return out;
  const rows = await repo.dayScoresUnder(db, latest.day, [rootPath]);
  const wanted = new Set(areaPaths);
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of rows) {
    // The row's own path and its ancestors': whichever of them is asked for.
    const parts = r.area_path.split("/").filter(Boolean);
    for (let i = parts.length; i > 0; i--) {
      const p = `/${parts.slice(0, i).join("/")}/`;
      if (!wanted.has(p)) continue;
      const x = sums.get(p) ?? { sum: 0, n: 0 };
      x.sum += r.score;
      x.n++;
      sums.set(p, x);
      break;
    }
  }
  for (const [p, x] of sums) out.set(p, round1(x.sum / x.n));
  return out;
}

// ----------------------------------------------------------------- warnings

function presentWarning(w: repo.WarningRow, actor: Actor): GridWarning {
  const status = w.status as GridWarningStatus;
  return {
    id: w.id,
    grid: { id: w.grid_id, code: w.grid_code, name: w.grid_name },
    street:
      w.street_id && w.street_code && w.street_name
        ? { id: w.street_id, code: w.street_code, name: w.street_name }
        : null,
    day: w.day,
    score: round1(w.score),
    previousScore: w.previous_score === null ? null : round1(w.previous_score),
    rise: w.rise,
    level: w.level,
    reasons: w.reasons.filter((r): r is "rise" | "high" => r === "rise" || r === "high"),
    topSignals: (w.top_signals ?? []).filter((s): s is GridWarning["topSignals"][number] =>
      (GRID_RISK_SIGNALS as readonly string[]).includes(s.code),
    ),
    status,
    case:
      w.case_id && w.case_code
        ? { id: w.case_id, code: w.case_code, status: w.case_status ?? "" }
        : null,
    dismissReason: w.dismiss_reason,
    acknowledgedBy: w.acknowledged_by_name,
    acknowledgedAt: iso(w.acknowledged_at),
    closedBy: w.closed_by_name,
    closedAt: iso(w.closed_at),
    createdAt: new Date(w.created_at).toISOString(),
    version: w.version,
    allowedActions: allowedWarningActions(actor, { status, gridPath: w.area_path }),
  };
}

export async function listWarnings(
  deps: { db: Kysely<DB> },
  actor: Actor,
  q: GridWarningListQuery,
) {
  const paths = await scopePaths(deps, actor, q.areaId);
  const page = await repo.listWarnings(deps.db, {
    paths,
    status: q.status,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: page.items.map((w) => presentWarning(w, actor)), total: page.total };
}

/** A warning the caller may read (else 404, like a missing one). */
async function visibleWarning(db: Kysely<DB>, actor: Actor, id: string) {
  const scopes = riskReadPaths(actor);
  if (scopes.length === 0) throw notAllowed();
  const w = await repo.warningById(db, id);
  if (!w || !scopes.some((s) => pathWithin(w.area_path, s))) throw notFound("预警", "warning");
  return w;
}

const personOf = (actor: Actor) => actor.displayName ?? actor.label;

/**
 * One step on a warning, guarded by its version and the caller's rights as
 * they stand now (409 when it moved on meanwhile), logged with the change.
 */
async function stepWarning(
  deps: { db: Kysely<DB>; events?: Pick<EventBus, "publish"> | undefined },
  actor: Actor,
  id: string,
  version: number,
  step: "acknowledge" | "dismiss",
  requestId: string,
  now: Date,
  reason?: string,
) {
  await visibleWarning(deps.db, actor, id);
  await deps.db.transaction().execute(async (trx) => {
    const w = await repo.lockWarning(trx, id);
    if (!w) throw notFound("预警", "warning");
    if (!warningRights(actor, w.area_path).includes(step))
      throw forbidden(
        step === "acknowledge"
          ? "您不能确认该预警 / you may not acknowledge this warning"
          : "只有协调员和管理员可以不予处理预警 / coordinators and admins only",
      );
    if (!allowedWarningActions(actor, { status: w.status, gridPath: w.area_path }).includes(step))
      throw conflict(
        `预警当前状态（${w.status}）不能执行此操作 / the warning is ${w.status} already`,
        {
          status: w.status,
        },
      );
    if (w.version !== version)
      throw conflict("预警已被他人更新，请刷新 / the warning changed meanwhile; reload", {
        version: w.version,
      });
    const to: GridWarningStatus = step === "acknowledge" ? "acknowledged" : "dismissed";
    await repo.updateWarning(
      trx,
      id,
      step === "acknowledge"
        ? { status: to, acknowledged_by: actor.userId, acknowledged_at: now }
        : { status: to, dismiss_reason: reason ?? "", closed_by: actor.userId, closed_at: now },
    );
    await repo.insertWarningActions(trx, [
      {
        warning_id: id,
        action: step,
        from_status: w.status,
        to_status: to,
        actor_user_id: actor.userId,
        actor_label: personOf(actor),
        note: reason ?? null,
        case_id: null,
        created_at: now,
      },
    ]);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: `grid_risk.warning_${step === "acknowledge" ? "acknowledged" : "dismissed"}`,
        subjectType: "grid_risk_warning",
        subjectId: id,
        details: reason ? { reason } : {},
      },
    );
  });
  publishRiskChange(deps);
  return getWarning(deps, actor, id);
}

/** Open risk pages reload: a warning moved or the weights changed. */
function publishRiskChange(deps: { events?: Pick<EventBus, "publish"> | undefined }) {
  deps.events?.publish({ type: "dashboard", topics: ["grid-risk"] });
}

export async function getWarning(deps: { db: Kysely<DB> }, actor: Actor, id: string) {
  return presentWarning(await visibleWarning(deps.db, actor, id), actor);
}

export function acknowledgeWarning(
  deps: { db: Kysely<DB>; events?: Pick<EventBus, "publish"> | undefined },
  actor: Actor,
  id: string,
  version: number,
  requestId: string,
  now = new Date(),
) {
  return stepWarning(deps, actor, id, version, "acknowledge", requestId, now);
}

export function dismissWarning(
  deps: { db: Kysely<DB>; events?: Pick<EventBus, "publish"> | undefined },
  actor: Actor,
  id: string,
  body: { version: number; reason: string },
  requestId: string,
  now = new Date(),
) {
  return stepWarning(deps, actor, id, body.version, "dismiss", requestId, now, body.reason.trim());
}

/** The identity preventive cases are opened under: the same for every caller, so the idempotency key holds for all. */
async function systemActor(db: Kysely<DB>): Promise<Actor> {
  const d = await repo.district(db);
  if (!d) throw new Error("no district area: seed or import the areas first");
  return {
    kind: "user",
    userId: null,
    tokenId: null,
    label: "system:grid-risk",
    displayName: "系统（网格风险预警）",
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
 * Turns a warning into a preventive case (治安防范漏洞, at the grid: the grid
 * worker verifies it on the ground, then the responsibility list routes it).
 * The first caller's name and note are kept on the warning (under its row
 * lock) and every caller opens the case with that same text and an
 * idempotency key of the warning, so a retry, a double click or a second
 * coordinator at the same moment gets the same case; the warning links it.
 */
export async function createTask(
  deps: GridRiskDeps,
  actor: Actor,
  id: string,
  body: { version: number; note?: string | undefined },
  requestId: string,
  now = new Date(),
) {
  const w = await visibleWarning(deps.db, actor, id);
  if (!warningRights(actor, w.area_path).includes("createTask"))
    throw forbidden("只有协调员和管理员可以生成预防性任务 / coordinators and admins only");
  const claim = await deps.db.transaction().execute(async (trx) => {
    const locked = await repo.lockWarning(trx, id);
    if (!locked) throw notFound("预警", "warning");
    if (locked.status !== "open" && locked.status !== "acknowledged") return null;
    if (locked.task_requested_label !== null)
      return { label: locked.task_requested_label, note: locked.task_note };
    if (locked.version !== body.version)
      throw conflict("预警已被他人更新，请刷新 / the warning changed meanwhile; reload", {
        version: locked.version,
      });
    const mine = { by: actor.userId, label: personOf(actor), note: body.note?.trim() || null };
    await repo.claimTask(trx, id, mine);
    return mine;
  });
  if (claim === null) {
    const current = await repo.warningById(deps.db, id);
    // A retry after the case was made (a double click, a lost answer) gets the warning as it is.
    if (current?.status === "task_created" && current.case_id)
      return presentWarning(current, actor);
    throw conflict(
      `预警当前状态（${current?.status}）不能生成任务 / the warning is ${current?.status} already`,
      {
        status: current?.status,
      },
    );
  }
  const grid = await repo.gridByCode(deps.db, w.grid_code);
  if (!grid?.boundary) {
    await repo.releaseTask(deps.db, id);
    throw conflict(
      "该网格尚未绘制边界，无法定位任务 / the grid has no boundary to place the case in",
    );
  }
  const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
  const signals = (w.top_signals ?? [])
    .map(
      (s) =>
        `${GRID_RISK_SIGNAL_NAMES[s.code as keyof typeof GRID_RISK_SIGNAL_NAMES] ?? s.code}（${s.contribution} 分）`,
    )
    .join("、");
  const why = [
    w.reasons.includes("rise") && w.rise !== null
      ? `${RISE_COMPARE_DAYS} 天上升 ${w.rise} 分`
      : null,
    w.reasons.includes("high") ? "进入高风险" : null,
  ]
    .filter(Boolean)
    .join("，");
  const description = [
    `【网格风险预警·预防性排查】${grid.name}风险指数 ${round1(w.score)} 分（${LEVEL_NAMES[w.level]}${why ? `，${why}` : ""}）。`,
    signals ? `主要因素：${signals}。` : "",
    "请网格员到网格内开展预防性排查巡查，发现问题及时上报处置。",
    claim.note ? `协调员说明：${claim.note}` : "",
    `（由 ${claim.label} 根据 ${w.day} 的预警创建）`,
  ].join("");
  let created: Awaited<ReturnType<typeof createCase>>;
  try {
    created = await createCase(
      deps,
      await systemActor(deps.db),
      {
        categoryCode: PREVENTIVE_CATEGORY,
        description: description.slice(0, 2000),
        lat,
        lng,
        address:
          `${grid.street_name ?? ""}${grid.community_name ?? ""}${grid.name}`.slice(0, 200) ||
          undefined,
      },
      { requestId, idempotencyKey: `grid-risk-warning-${id}`, now },
    );
  } catch (err) {
    await repo.releaseTask(deps.db, id);
    // The category retired or edited meanwhile: say what to do rather than a bare 400.
    if (err instanceof AppError && (err.status === 400 || err.status === 422))
      throw conflict(
        `无法生成预防性事件：${err.message}（请管理员检查事件分类“${PREVENTIVE_CATEGORY}”）/ the preventive case could not be opened`,
      );
    throw err;
  }
  const caseId = created.detail.id;
  await deps.db.transaction().execute(async (trx) => {
    const locked = await repo.lockWarning(trx, id);
    if (!locked) throw notFound("预警", "warning");
    if (locked.status === "task_created" && locked.case_id === caseId) return;
    if (locked.status !== "open" && locked.status !== "acknowledged")
      throw conflict(
        `预警已被他人处理（${locked.status}），事件 ${created.detail.code} 已生成，请在事件中处置 / the warning was handled meanwhile`,
        { status: locked.status, caseId },
      );
    await repo.updateWarning(trx, id, {
      status: "task_created",
      case_id: caseId,
      closed_by: actor.userId,
      closed_at: now,
    });
    await repo.insertWarningActions(trx, [
      {
        warning_id: id,
        action: "create_task",
        from_status: locked.status,
        to_status: "task_created",
        actor_user_id: actor.userId,
        actor_label: personOf(actor),
        note: claim.note,
        case_id: caseId,
        created_at: now,
      },
    ]);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "grid_risk.task_created",
        subjectType: "grid_risk_warning",
        subjectId: id,
        details: { caseId, caseCode: created.detail.code },
      },
    );
  });
  publishRiskChange(deps);
  return getWarning(deps, actor, id);
}
