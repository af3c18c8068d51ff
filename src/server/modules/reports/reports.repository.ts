/** SQL of district reports and their schedules. No rules here. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { ReportKindValue } from "../../db/schema-reports.js";
import { pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

export interface AreaRow {
  id: string;
  code: string;
  name: string;
  level: "district" | "street" | "community" | "grid";
  path: string;
}

const AREA_COLUMNS = ["id", "code", "name", "level", "path"] as const;

export function areaById(db: Db, id: string): Promise<AreaRow | undefined> {
  return db.selectFrom("areas").select(AREA_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export function areaByPath(db: Db, path: string): Promise<AreaRow | undefined> {
  return db.selectFrom("areas").select(AREA_COLUMNS).where("path", "=", path).executeTakeFirst();
}

// ------------------------------------------------------------- reports

const SUMMARY_COLUMNS = [
  "r.id",
  "r.area_id",
  "r.area_path",
  "r.area_name",
  "r.kind",
  "r.period",
  "r.period_from",
  "r.period_to",
  "r.complete",
  "r.source",
  "r.generated_label",
  "r.generated_at",
  "r.version",
] as const;

export interface ReportRow {
  id: string;
  area_id: string;
  area_path: string;
  area_name: string;
  kind: ReportKindValue;
  period: string;
  period_from: string;
  period_to: string;
  complete: boolean;
  source: "manual" | "schedule";
  generated_label: string;
  generated_at: Date;
  version: number;
  headline: string | null;
}

export interface NewReport {
  area_id: string;
  area_path: string;
  area_name: string;
  kind: ReportKindValue;
  period: string;
  period_from: string;
  period_to: string;
  complete: boolean;
  content: Record<string, unknown>;
  xlsx: Buffer;
  source: "manual" | "schedule";
  generated_by: string | null;
  generated_label: string;
  generated_at: Date;
}

/** Inserts a report unless one of the same area, kind and period exists; the new id or null. */
export async function insertReport(trx: Db, r: NewReport): Promise<string | null> {
  const row = await trx
    .insertInto("reports")
    .values({ ...r, content: JSON.stringify(r.content) })
    .onConflict((oc) => oc.columns(["area_id", "kind", "period"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Replaces an incomplete report (the one seen at `version`); false when it changed meanwhile. */
export async function refreshReport(
  trx: Db,
  id: string,
  version: number,
  r: NewReport,
): Promise<boolean> {
  const res = await trx
    .updateTable("reports")
    .set({
      complete: r.complete,
      period_to: r.period_to,
      content: JSON.stringify(r.content),
      xlsx: r.xlsx,
      source: r.source,
      generated_by: r.generated_by,
      generated_label: r.generated_label,
      generated_at: r.generated_at,
      version: sql`version + 1`,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("complete", "=", false)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function findByKey(db: Db, areaId: string, kind: ReportKindValue, period: string) {
  return db
    .selectFrom("reports")
    .select(["id", "complete", "version"])
    .where("area_id", "=", areaId)
    .where("kind", "=", kind)
    .where("period", "=", period)
    .executeTakeFirst();
}

export async function findReport(db: Db, id: string) {
  return db
    .selectFrom("reports as r")
    .select([...SUMMARY_COLUMNS, "r.content"])
    .select(sql<string | null>`r.content->'highlights'->>0`.as("headline"))
    .where("r.id", "=", id)
    .executeTakeFirst() as Promise<(ReportRow & { content: Record<string, unknown> }) | undefined>;
}

export function reportXlsx(db: Db, id: string) {
  return db
    .selectFrom("reports")
    .select(["area_path", "area_name", "kind", "period", "xlsx"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export interface ReportFilter {
  kind?: ReportKindValue | undefined;
  areaId?: string | undefined;
  source?: "manual" | "schedule" | undefined;
  limit: number;
  offset: number;
}

export async function listReports(db: Db, scopes: string[], f: ReportFilter) {
  let q = db.selectFrom("reports as r").where(pathPrefixAny("r.area_path", scopes));
  if (f.kind) q = q.where("r.kind", "=", f.kind);
  if (f.areaId) q = q.where("r.area_id", "=", f.areaId);
  if (f.source) q = q.where("r.source", "=", f.source);
  const [items, total] = await Promise.all([
    q
      .select(SUMMARY_COLUMNS)
      .select(sql<string | null>`r.content->'highlights'->>0`.as("headline"))
      .orderBy("r.period_to", "desc")
      .orderBy("r.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute() as Promise<ReportRow[]>,
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

// ----------------------------------------------------------- schedules

export interface ScheduleRow {
  id: string;
  area_id: string;
  area_path: string;
  area_name: string;
  area_code: string;
  area_level: AreaRow["level"];
  kind: ReportKindValue;
  active: boolean;
  created_label: string;
  version: number;
}

function schedules(db: Db) {
  return db
    .selectFrom("report_schedules as s")
    .innerJoin("areas as a", "a.id", "s.area_id")
    .select([
      "s.id",
      "s.area_id",
      "s.area_path",
      "a.name as area_name",
      "a.code as area_code",
      "a.level as area_level",
      "s.kind",
      "s.active",
      "s.created_label",
      "s.version",
    ]);
}

export async function listSchedules(db: Db, scopes: string[]): Promise<ScheduleRow[]> {
  return schedules(db)
    .where(pathPrefixAny("s.area_path", scopes))
    .orderBy("s.area_path")
    .orderBy("s.kind", "desc")
    .execute();
}

export async function findSchedule(db: Db, id: string): Promise<ScheduleRow | undefined> {
  return schedules(db).where("s.id", "=", id).executeTakeFirst();
}

export async function activeSchedules(db: Db): Promise<ScheduleRow[]> {
  return schedules(db).where("s.active", "=", true).orderBy("s.id").execute();
}

export async function lockSchedule(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("report_schedules")
    .select(["id", "area_path", "version"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertSchedule(
  trx: Db,
  s: {
    area_id: string;
    area_path: string;
    kind: ReportKindValue;
    active: boolean;
    created_by: string | null;
    created_label: string;
  },
): Promise<string | null> {
  const row = await trx
    .insertInto("report_schedules")
    .values(s)
    .onConflict((oc) => oc.columns(["area_id", "kind"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function updateSchedule(
  trx: Db,
  id: string,
  version: number,
  patch: { active?: boolean },
): Promise<boolean> {
  const res = await trx
    .updateTable("report_schedules")
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteSchedule(trx: Db, id: string) {
  await trx.deleteFrom("report_schedules").where("id", "=", id).execute();
}

export async function setRecipients(trx: Db, scheduleId: string, userIds: string[]) {
  await trx
    .deleteFrom("report_schedule_recipients")
    .where("schedule_id", "=", scheduleId)
    .execute();
  if (userIds.length)
    await trx
      .insertInto("report_schedule_recipients")
      .values(userIds.map((user_id) => ({ schedule_id: scheduleId, user_id })))
      .execute();
}

export async function recipientsOf(db: Db, scheduleIds: string[]) {
  if (scheduleIds.length === 0) return [];
  return db
    .selectFrom("report_schedule_recipients as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select(["r.schedule_id", "u.id", "u.display_name", "u.status"])
    .where("r.schedule_id", "in", scheduleIds)
    .orderBy("u.display_name")
    .execute();
}

/** The latest report of each (area, kind) among the schedules'. */
export async function lastReports(db: Db, keys: { areaId: string; kind: ReportKindValue }[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom("reports")
    .select(["id", "area_id", "kind", "period"])
    .distinctOn(["area_id", "kind"])
    .where(
      "area_id",
      "in",
      keys.map((k) => k.areaId),
    )
    .orderBy("area_id")
    .orderBy("kind")
    .orderBy("period_to", "desc")
    .execute();
}

/**
 * Active accounts whose admin or coordinator grant covers the area at
 * `areaPath` (they may read its reports), nearest grant first.
 */
export async function recipientCandidates(db: Db, areaPath: string, userIds?: string[]) {
  let q = db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .innerJoin("areas as a", "a.id", "g.area_id")
    .select(["u.id", "u.display_name", "g.role", "a.name as area_name", "a.path as area_path"])
    .where("g.role", "in", ["admin", "coordinator"])
    .where("u.status", "=", "active")
    .where(sql<boolean>`${areaPath} LIKE a.path || '%'`);
  if (userIds) {
    if (userIds.length === 0) return [];
    q = q.where("u.id", "in", userIds);
  }
  return q.orderBy(sql`length(a.path)`, "desc").orderBy("u.display_name").limit(200).execute();
}
