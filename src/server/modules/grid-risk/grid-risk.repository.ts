/**
 * SQL of the grid risk index (migration 0032): the settings and their
 * history, one score row per grid per day, the warnings and their action log.
 * Area names are joined for presentation and sorting; the figures behind the
 * signals come from the other modules' services, never from here.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { GridRiskSort, GridWarningStatus } from "../../../shared/schemas/grid-risk.js";
import type { DB } from "../../db/schema.js";
import type {
  GridRiskLevelValue,
  GridWarningStatusValue,
  StoredSignal,
} from "../../db/schema-grid-risk.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

// ------------------------------------------------------------------ settings

export interface SettingsRow {
  weights: Record<string, number>;
  rise_threshold: number;
  medium_level: number;
  high_level: number;
  version: number;
  updated_at: Date;
  updated_by_name: string | null;
}

/** The one settings row; `lock` takes its row lock (one computation or edit at a time). */
export async function settings(db: Db, lock = false): Promise<SettingsRow> {
  const q = db
    .selectFrom("grid_risk_settings as s")
    .leftJoin("users as u", "u.id", "s.updated_by")
    .select([
      "s.weights",
      "s.rise_threshold",
      "s.medium_level",
      "s.high_level",
      "s.version",
      "s.updated_at",
      "u.display_name as updated_by_name",
    ])
    .where("s.id", "=", 1);
  return (lock ? q.forUpdate("s") : q).executeTakeFirstOrThrow();
}

export interface SettingsValues {
  weights: Record<string, number>;
  rise_threshold: number;
  medium_level: number;
  high_level: number;
}

export async function updateSettings(
  trx: Transaction<DB>,
  v: SettingsValues,
  version: number,
  userId: string | null,
  at: Date,
) {
  await trx
    .updateTable("grid_risk_settings")
    .set({
      weights: JSON.stringify(v.weights),
      rise_threshold: v.rise_threshold,
      medium_level: v.medium_level,
      high_level: v.high_level,
      version,
      updated_by: userId,
      updated_at: at,
    })
    .where("id", "=", 1)
    .execute();
}

export async function insertSettingsHistory(
  trx: Transaction<DB>,
  v: SettingsValues & {
    version: number;
    note: string | null;
    changed_by: string | null;
    changed_at: Date;
  },
) {
  await trx
    .insertInto("grid_risk_settings_history")
    .values({ ...v, weights: JSON.stringify(v.weights) })
    .execute();
}

export function settingsHistory(db: Db, limit = 50) {
  return db
    .selectFrom("grid_risk_settings_history as h")
    .leftJoin("users as u", "u.id", "h.changed_by")
    .select([
      "h.version",
      "h.weights",
      "h.rise_threshold",
      "h.medium_level",
      "h.high_level",
      "h.note",
      "h.changed_at",
      "u.display_name as changed_by_name",
    ])
    .orderBy("h.version", "desc")
    .limit(limit)
    .execute();
}

// -------------------------------------------------------------------- grids

export interface GridRow {
  id: string;
  code: string;
  name: string;
  path: string;
}

export function district(db: Db) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path"])
    .where("level", "=", "district")
    .orderBy("id")
    .executeTakeFirst();
}

/** Every grid under `rootPath`, by code. */
export function gridsUnder(db: Db, rootPath: string): Promise<GridRow[]> {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path"])
    .where("level", "=", "grid")
    .where("path", "like", `${rootPath}%`)
    .orderBy("code")
    .execute();
}

export function areaById(db: Db, id: string) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path", "level"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** A grid by code with its community and street (its parent and grandparent). */
export function gridByCode(db: Db, code: string) {
  return db
    .selectFrom("areas as g")
    .leftJoin("areas as c", "c.id", "g.parent_id")
    .leftJoin("areas as s", "s.id", "c.parent_id")
    .select([
      "g.id",
      "g.code",
      "g.name",
      "g.path",
      "g.boundary",
      "c.id as community_id",
      "c.code as community_code",
      "c.name as community_name",
      "s.id as street_id",
      "s.code as street_code",
      "s.name as street_name",
    ])
    .where("g.code", "=", code)
    .where("g.level", "=", "grid")
    .executeTakeFirst();
}

// ------------------------------------------------------------------- scores

export interface ScoreInsert {
  grid_id: string;
  day: string;
  area_path: string;
  score: number;
  level: GridRiskLevelValue;
  signals: StoredSignal[];
}

/** Writes a day's rows; a second run of the same day replaces them (the key is grid and day). */
export async function upsertScores(trx: Transaction<DB>, rows: ScoreInsert[], at: Date) {
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    await trx
      .insertInto("grid_risk_scores")
      .values(part.map((r) => ({ ...r, signals: JSON.stringify(r.signals), computed_at: at })))
      .onConflict((oc) =>
        oc.columns(["grid_id", "day"]).doUpdateSet((eb) => ({
          area_path: eb.ref("excluded.area_path"),
          score: eb.ref("excluded.score"),
          level: eb.ref("excluded.level"),
          signals: eb.ref("excluded.signals"),
          computed_at: eb.ref("excluded.computed_at"),
        })),
      )
      .execute();
  }
}

export async function hasScoresFor(db: Db, day: string): Promise<boolean> {
  const r = await db
    .selectFrom("grid_risk_scores")
    .select("grid_id")
    .where("day", "=", day)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The latest day with scores on or before `onOrBefore`, and when it was computed. */
export async function latestDay(db: Db, onOrBefore: string) {
  const r = await sql<{ day: string | null; computed_at: Date | null }>`
    SELECT to_char(max(day), 'YYYY-MM-DD') AS day,
      (SELECT max(computed_at) FROM grid_risk_scores
       WHERE day = (SELECT max(day) FROM grid_risk_scores WHERE day <= ${onOrBefore}::date)) AS computed_at
    FROM grid_risk_scores WHERE day <= ${onOrBefore}::date`.execute(db);
  return r.rows[0] ?? { day: null, computed_at: null };
}

/** Scores of one day (all grids, or those given). */
export function scoresOfDay(db: Db, day: string, gridIds?: readonly string[]) {
  let q = db
    .selectFrom("grid_risk_scores")
    .select(["grid_id", "score", "level", "signals", "area_path"])
    .where("day", "=", day);
  if (gridIds) {
    if (gridIds.length === 0) return Promise.resolve([]);
    q = q.where("grid_id", "in", [...gridIds]);
  }
  return q.execute();
}

/** Each grid's latest score before `day`. */
export async function latestBefore(db: Db, day: string) {
  const r = await sql<{ grid_id: string; score: number; level: GridRiskLevelValue }>`
    SELECT DISTINCT ON (grid_id) grid_id::text AS grid_id, score, level FROM grid_risk_scores
    WHERE day < ${day}::date AND day >= ${day}::date - 60
    ORDER BY grid_id, day DESC`.execute(db);
  return r.rows;
}

/** One grid's scores over days [from, to], oldest first. */
export function gridScores(db: Db, gridId: string, from: string, to: string) {
  return db
    .selectFrom("grid_risk_scores")
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as("day"), "score", "level", "signals"])
    .where("grid_id", "=", gridId)
    .where("day", ">=", from)
    .where("day", "<=", to)
    .orderBy("day")
    .execute();
}

/** Rows to re-weight after a change of weights (days on or after `from`), in pages. */
export function scoresSince(db: Db, from: string, after: { gridId: string; day: string } | null) {
  let q = db
    .selectFrom("grid_risk_scores")
    .select(["grid_id", sql<string>`to_char(day, 'YYYY-MM-DD')`.as("day"), "signals"])
    .where("day", ">=", from);
  if (after)
    q = q.where(sql<SqlBool>`(grid_id, day) > (${after.gridId}::bigint, ${after.day}::date)`);
  return q.orderBy("grid_id").orderBy("day").limit(2000).execute();
}

export async function setScores(
  trx: Transaction<DB>,
  rows: { grid_id: string; day: string; score: number; level: GridRiskLevelValue }[],
) {
  if (rows.length === 0) return;
  await sql`
    UPDATE grid_risk_scores s SET score = v.score, level = v.level
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS v(grid_id bigint, day date, score float8, level text)
    WHERE s.grid_id = v.grid_id AND s.day = v.day`.execute(trx);
}

export interface ListFilter {
  paths: string[];
  day: string;
  level?: GridRiskLevelValue | undefined;
  q?: string | undefined;
  sort: GridRiskSort;
  limit: number;
  offset: number;
}

const SORTS: Record<GridRiskSort, string> = {
  "-score": "s.score DESC, g.code",
  score: "s.score ASC, g.code",
  "-change": "(s.score - p.score) DESC NULLS LAST, s.score DESC, g.code",
  change: "(s.score - p.score) ASC NULLS LAST, s.score DESC, g.code",
  name: "g.name ASC, g.code",
  "-name": "g.name DESC, g.code",
};

/** A day's scores of the grids under the paths, with the score 7 days before and the grid's live warning. */
export async function listScores(db: Db, f: ListFilter) {
  const where: Expression<SqlBool>[] = [
    sql<SqlBool>`s.day = ${f.day}::date`,
    pathPrefixAny("s.area_path", f.paths),
  ];
  if (f.level) where.push(sql<SqlBool>`s.level = ${f.level}`);
  if (f.q)
    where.push(
      sql<SqlBool>`(g.name LIKE ${containsPattern(f.q)} OR g.code LIKE ${containsPattern(f.q)})`,
    );
  const cond = sql.join(where, sql` AND `);
  const from = sql`
    FROM grid_risk_scores s
    JOIN areas g ON g.id = s.grid_id
    LEFT JOIN grid_risk_scores p ON p.grid_id = s.grid_id AND p.day = s.day - 7`;
  const [items, total] = await Promise.all([
    sql<{
      grid_id: string;
      code: string;
      name: string;
      score: number;
      level: GridRiskLevelValue;
      signals: StoredSignal[];
      week_ago: number | null;
      community_id: string | null;
      community_code: string | null;
      community_name: string | null;
      street_id: string | null;
      street_code: string | null;
      street_name: string | null;
      warning_id: string | null;
      warning_status: GridWarningStatusValue | null;
    }>`
      SELECT s.grid_id::text AS grid_id, g.code, g.name, s.score, s.level, s.signals,
        p.score AS week_ago,
        c.id::text AS community_id, c.code AS community_code, c.name AS community_name,
        st.id::text AS street_id, st.code AS street_code, st.name AS street_name,
        w.id::text AS warning_id, w.status AS warning_status
      ${from}
      LEFT JOIN areas c ON c.id = g.parent_id
      LEFT JOIN areas st ON st.id = c.parent_id
      LEFT JOIN LATERAL (
        SELECT id, status FROM grid_risk_warnings x
        WHERE x.grid_id = s.grid_id AND x.status IN ('open', 'acknowledged')
        ORDER BY x.day DESC LIMIT 1
      ) w ON true
      WHERE ${cond}
      ORDER BY ${sql.raw(SORTS[f.sort])}
      LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n ${from} WHERE ${cond}`.execute(db),
  ]);
  return { items: items.rows, total: total.rows[0]?.n ?? 0 };
}

/** The day's scores of every grid under the paths (for previews and the map). */
export function dayScoresUnder(db: Db, day: string, paths: string[]) {
  return db
    .selectFrom("grid_risk_scores as s")
    .innerJoin("areas as g", "g.id", "s.grid_id")
    .select(["g.code", "g.name", "s.area_path", "s.score", "s.level", "s.signals"])
    .where("s.day", "=", day)
    .where(pathPrefixAny("s.area_path", paths))
    .orderBy("g.code")
    .execute();
}

// ----------------------------------------------------------------- warnings

export interface WarningInsert {
  grid_id: string;
  area_path: string;
  day: string;
  score: number;
  previous_score: number | null;
  rise: number | null;
  level: GridRiskLevelValue;
  reasons: string[];
  top_signals: { code: string; contribution: number; normalised: number }[];
}

/** Grids that may not get a new warning: one still open or acknowledged, or one raised since `sinceDay`. */
export async function gridsWithRecentWarnings(db: Db, sinceDay: string): Promise<Set<string>> {
  const r = await sql<{ grid_id: string }>`
    SELECT DISTINCT grid_id::text AS grid_id FROM grid_risk_warnings
    WHERE status IN ('open', 'acknowledged') OR day > ${sinceDay}::date`.execute(db);
  return new Set(r.rows.map((x) => x.grid_id));
}

/** Inserts warnings; a grid's second warning of a day is skipped (the unique key). Returns those written. */
export async function insertWarnings(trx: Transaction<DB>, rows: WarningInsert[], at: Date) {
  if (rows.length === 0) return [];
  return trx
    .insertInto("grid_risk_warnings")
    .values(rows.map((r) => ({ ...r, top_signals: JSON.stringify(r.top_signals), created_at: at })))
    .onConflict((oc) => oc.columns(["grid_id", "day"]).doNothing())
    .returning(["id", "grid_id"])
    .execute();
}

export async function insertWarningActions(
  trx: Transaction<DB>,
  rows: {
    warning_id: string;
    action: "raise" | "acknowledge" | "dismiss" | "create_task";
    from_status: GridWarningStatusValue | null;
    to_status: GridWarningStatusValue;
    actor_user_id: string | null;
    actor_label: string;
    note: string | null;
    case_id: string | null;
    created_at: Date;
  }[],
) {
  if (rows.length === 0) return;
  await trx.insertInto("grid_risk_warning_actions").values(rows).execute();
}

function warningQuery(db: Db) {
  return db
    .selectFrom("grid_risk_warnings as w")
    .innerJoin("areas as g", "g.id", "w.grid_id")
    .leftJoin("areas as c", "c.id", "g.parent_id")
    .leftJoin("areas as st", "st.id", "c.parent_id")
    .leftJoin("cases as k", "k.id", "w.case_id")
    .leftJoin("users as ua", "ua.id", "w.acknowledged_by")
    .leftJoin("users as uc", "uc.id", "w.closed_by");
}

const WARNING_COLUMNS = [
  "w.id",
  "w.grid_id",
  "w.area_path",
  sql<string>`to_char(w.day, 'YYYY-MM-DD')`.as("day"),
  "w.score",
  "w.previous_score",
  "w.rise",
  "w.level",
  "w.reasons",
  "w.top_signals",
  "w.status",
  "w.case_id",
  "w.dismiss_reason",
  "w.acknowledged_at",
  "w.closed_at",
  "w.created_at",
  "w.version",
  "g.code as grid_code",
  "g.name as grid_name",
  "st.id as street_id",
  "st.code as street_code",
  "st.name as street_name",
  "k.code as case_code",
  "k.status as case_status",
  "ua.display_name as acknowledged_by_name",
  "uc.display_name as closed_by_name",
] as const;

export async function listWarnings(
  db: Db,
  f: { paths: string[]; status?: GridWarningStatus | undefined; limit: number; offset: number },
) {
  let q = warningQuery(db).where(pathPrefixAny("w.area_path", f.paths));
  if (f.status) q = q.where("w.status", "=", f.status);
  const [items, total] = await Promise.all([
    q
      .select(WARNING_COLUMNS)
      // The live ones first, then newest.
      .orderBy(sql`w.status IN ('open', 'acknowledged')`, "desc")
      .orderBy("w.day", "desc")
      .orderBy("w.score", "desc")
      .orderBy("w.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type WarningRow = Awaited<ReturnType<typeof listWarnings>>["items"][number];

export function warningById(db: Db, id: string) {
  return warningQuery(db).select(WARNING_COLUMNS).where("w.id", "=", id).executeTakeFirst();
}

export function warningsOfGrid(db: Db, gridId: string, limit: number) {
  return warningQuery(db)
    .select(WARNING_COLUMNS)
    .where("w.grid_id", "=", gridId)
    .orderBy("w.day", "desc")
    .limit(limit)
    .execute();
}

/** Locks a warning for a change; its status and version as they are now. */
export function lockWarning(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("grid_risk_warnings")
    .select([
      "id",
      "status",
      "version",
      "case_id",
      "area_path",
      "grid_id",
      "task_requested_by",
      "task_requested_label",
      "task_note",
    ])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

/** Records who asked for the preventive case and their note (the first to ask). */
export async function claimTask(
  trx: Transaction<DB>,
  id: string,
  claim: { by: string | null; label: string; note: string | null },
) {
  await trx
    .updateTable("grid_risk_warnings")
    .set({ task_requested_by: claim.by, task_requested_label: claim.label, task_note: claim.note })
    .where("id", "=", id)
    .execute();
}

/** Forgets a claim whose case could not be opened, so that the next caller's note counts. */
export async function releaseTask(db: Db, id: string) {
  await db
    .updateTable("grid_risk_warnings")
    .set({ task_requested_by: null, task_requested_label: null, task_note: null })
    .where("id", "=", id)
    .where("status", "in", ["open", "acknowledged"])
    .execute();
}

export async function updateWarning(
  trx: Transaction<DB>,
  id: string,
  patch: {
    status: GridWarningStatusValue;
    case_id?: string;
    dismiss_reason?: string;
    acknowledged_by?: string | null;
    acknowledged_at?: Date;
    closed_by?: string | null;
    closed_at?: Date;
  },
) {
  await trx
    .updateTable("grid_risk_warnings")
    .set({ ...patch, version: sql`version + 1` })
    .where("id", "=", id)
    .execute();
}
