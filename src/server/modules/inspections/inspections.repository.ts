/** SQL for checklist templates, scheduled inspections and enterprise evidence files. */
import {
  type Expression,
  type Insertable,
  type Kysely,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
import type { DB } from "../../db/schema.js";
import type { ChecklistItemJson, InspectionResultJson } from "../../db/schema-inspections.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

/** What a caller may see: enterprises under these areas, or these enterprises. */
export interface OrgScope {
  areaPaths: string[];
  organisationIds: string[];
}

export function orgVisible(scope: OrgScope, column = "o"): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [pathPrefixAny(`${column}.area_path`, scope.areaPaths)];
  if (scope.organisationIds.length)
    parts.push(sql<SqlBool>`${sql.ref(`${column}.id`)} IN (${sql.join(scope.organisationIds)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

// ---------------------------------------------------------------- templates

const TEMPLATE_COLUMNS = [
  "t.id",
  "t.code",
  "t.name",
  "t.topic",
  "t.description",
  "t.industries",
  "t.frequency",
  "t.items",
  "t.version",
  "t.active",
  "t.updated_at",
  "u.display_name as updated_by_name",
] as const;

export function listTemplates(
  db: Db,
  f: { topic?: string | undefined; active?: boolean | undefined; q?: string | undefined },
) {
  let q = db
    .selectFrom("checklist_templates as t")
    .leftJoin("users as u", "u.id", "t.updated_by")
    .select(TEMPLATE_COLUMNS);
  if (f.topic) q = q.where("t.topic", "=", f.topic as DB["checklist_templates"]["topic"]);
  if (f.active !== undefined) q = q.where("t.active", "=", f.active);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) => eb.or([eb("t.name", "like", like), eb("t.code", "like", like)]));
  }
  return q.orderBy("t.active", "desc").orderBy("t.topic").orderBy("t.code").execute();
}

export type TemplateRow = Awaited<ReturnType<typeof listTemplates>>[number];

export function findTemplate(db: Db, id: string) {
  return db
    .selectFrom("checklist_templates as t")
    .leftJoin("users as u", "u.id", "t.updated_by")
    .select(TEMPLATE_COLUMNS)
    .where("t.id", "=", id)
    .executeTakeFirst();
}

export function findTemplateByCode(db: Db, code: string) {
  return db
    .selectFrom("checklist_templates")
    .select(["id"])
    .where("code", "=", code)
    .executeTakeFirst();
}

export interface TemplateValues {
  name: string;
  topic: DB["checklist_templates"]["topic"];
  description: string | null;
  industries: string[];
  frequency: DB["checklist_templates"]["frequency"];
  items: ChecklistItemJson[];
}

export function insertTemplate(
  db: Db,
  row: TemplateValues & { code: string; updated_by: string | null },
) {
  return db
    .insertInto("checklist_templates")
    .values({ ...row, items: JSON.stringify(row.items) })
    .returning(["id"])
    .executeTakeFirstOrThrow();
}

/** Writes a new version when `version` is still the stored one; undefined otherwise. */
export function updateTemplate(
  db: Db,
  id: string,
  version: number,
  set: Partial<TemplateValues> & { active?: boolean; updated_by: string | null },
) {
  const { items, ...rest } = set;
  return db
    .updateTable("checklist_templates")
    .set({
      ...rest,
      ...(items ? { items: JSON.stringify(items) } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

/**
 * Moves a template's inspections of the current period still to be filled
 * in (status due, not yet past their due day) to its current version and
 * items; submitted ones, and missed ones of past periods, keep their
 * snapshot. Returns how many moved.
 */
export async function refreshDueInspections(
  trx: Transaction<DB>,
  templateId: string,
  today: string,
) {
  const r = await sql`
    UPDATE inspections i SET template_version = t.version, items = t.items
    FROM checklist_templates t
    WHERE t.id = ${templateId} AND i.template_id = t.id AND i.status = 'due'
      AND i.due_on >= ${today}::date AND i.template_version <> t.version`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export function activeTemplates(db: Db) {
  return db
    .selectFrom("checklist_templates")
    .select(["id", "code", "frequency", "version", "industries"])
    .where("active", "=", true)
    .orderBy("id")
    .execute();
}

/**
 * Creates the inspections of one template for one period for every
 * enterprise it applies to (industry list empty: all). The unique key
 * (organisation, template, period) makes this idempotent, also when two
 * servers run it at once. Returns how many were created.
 */
export async function createDueInspections(
  db: Db,
  templateId: string,
  period: string,
  dueOn: string,
): Promise<number> {
  const r = await sql`
    INSERT INTO inspections (organisation_id, template_id, template_version, items, period, due_on)
    SELECT o.id, t.id, t.version, t.items, ${period}, ${dueOn}::date
    FROM checklist_templates t
    JOIN organisations o ON o.kind = 'enterprise'
      AND (cardinality(t.industries) = 0 OR o.industry = ANY(t.industries))
    WHERE t.id = ${templateId} AND t.active
    ON CONFLICT (organisation_id, template_id, period) DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

// -------------------------------------------------------------- inspections

const INSPECTION_COLUMNS = [
  "i.id",
  "i.organisation_id",
  "o.name as organisation_name",
  "o.area_path",
  "i.template_id",
  "t.code as template_code",
  "t.name as template_name",
  "t.topic",
  "t.frequency",
  "i.template_version",
  "i.period",
  "i.due_on",
  "i.status",
  "i.submitted_at",
  "i.late",
  "i.failed_items",
  sql<number>`jsonb_array_length(i.items)`.as("item_count"),
] as const;

export interface InspectionFilter {
  organisationId?: string | undefined;
  status?: "due" | "submitted" | undefined;
  overdue?: boolean | undefined;
  late?: boolean | undefined;
  topic?: string | undefined;
  period?: string | undefined;
  dueBefore?: string | undefined;
  sort: "dueOn" | "-dueOn" | "submittedAt" | "-submittedAt";
  limit: number;
  offset: number;
}

export async function listInspections(db: Db, scope: OrgScope, f: InspectionFilter, today: string) {
  let q = db
    .selectFrom("inspections as i")
    .innerJoin("organisations as o", "o.id", "i.organisation_id")
    .innerJoin("checklist_templates as t", "t.id", "i.template_id")
    .where(orgVisible(scope));
  if (f.organisationId) q = q.where("i.organisation_id", "=", f.organisationId);
  if (f.status) q = q.where("i.status", "=", f.status);
  if (f.overdue === true) q = q.where("i.status", "=", "due").where("i.due_on", "<", today);
  if (f.overdue === false)
    q = q.where((eb) => eb.or([eb("i.status", "=", "submitted"), eb("i.due_on", ">=", today)]));
  if (f.late !== undefined) q = q.where("i.late", "=", f.late);
  if (f.topic) q = q.where("t.topic", "=", f.topic as DB["checklist_templates"]["topic"]);
  if (f.period) q = q.where("i.period", "=", f.period);
  if (f.dueBefore) q = q.where("i.due_on", "<=", f.dueBefore);
  const desc = f.sort.startsWith("-");
  const key = desc ? f.sort.slice(1) : f.sort;
  const [items, total] = await Promise.all([
    q
      .select(INSPECTION_COLUMNS)
      .orderBy(key === "submittedAt" ? "i.submitted_at" : "i.due_on", desc ? "desc" : "asc")
      .orderBy("i.id", desc ? "desc" : "asc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export type InspectionRow = Awaited<ReturnType<typeof listInspections>>["items"][number];

export function findInspection(db: Db, scope: OrgScope, id: string) {
  return db
    .selectFrom("inspections as i")
    .innerJoin("organisations as o", "o.id", "i.organisation_id")
    .innerJoin("checklist_templates as t", "t.id", "i.template_id")
    .leftJoin("users as u", "u.id", "i.submitted_by")
    .select([...INSPECTION_COLUMNS, "i.items", "i.results", "u.display_name as submitted_by_name"])
    .where("i.id", "=", id)
    .where(orgVisible(scope))
    .executeTakeFirst();
}

/** The inspection, locked for the submission (PGlite ignores the lock, one writer anyway). */
export function lockInspection(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("inspections as i")
    .innerJoin("organisations as o", "o.id", "i.organisation_id")
    .select([
      "i.id",
      "i.organisation_id",
      "i.status",
      "i.due_on",
      "i.items",
      "i.template_version",
      "o.area_path",
      "o.address",
      "o.unit_id",
    ])
    .where("i.id", "=", id)
    .forUpdate("i")
    .executeTakeFirst();
}

/** Marks it submitted, only if it is still due; undefined when someone was first. */
export function markSubmitted(
  trx: Transaction<DB>,
  id: string,
  v: {
    submitted_at: Date;
    submitted_by: string | null;
    late: boolean;
    results: InspectionResultJson[];
    failed_items: number;
  },
) {
  return trx
    .updateTable("inspections")
    .set({ ...v, status: "submitted", results: JSON.stringify(v.results) })
    .where("id", "=", id)
    .where("status", "=", "due")
    .returning(["id"])
    .executeTakeFirst();
}

/** Hazards made from an inspection's failed items, by item code. */
export function hazardsOfInspection(db: Db, inspectionId: string) {
  return db
    .selectFrom("hazards")
    .select(["id", "item_code"])
    .where("inspection_id", "=", inspectionId)
    .execute();
}

// -------------------------------------------------------------------- files

export function insertFile(db: Db, row: Insertable<DB["enterprise_files"]>) {
  return db.insertInto("enterprise_files").values(row).returningAll().executeTakeFirstOrThrow();
}

export function findFile(db: Db, id: string) {
  return db
    .selectFrom("enterprise_files as f")
    .innerJoin("organisations as o", "o.id", "f.organisation_id")
    .select([
      "f.id",
      "f.organisation_id",
      "f.filename",
      "f.mime",
      "f.size",
      "f.storage_key",
      "f.public_key",
      "f.created_at",
      "o.area_path",
    ])
    .where("f.id", "=", id)
    .executeTakeFirst();
}

export function filesByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("enterprise_files")
    .select(["id", "organisation_id", "filename", "mime", "size", "created_at"])
    .where("id", "in", [...ids])
    .execute();
}

/** An organisation's facts a hazard or an upload needs (kind, area, place). */
export function findEnterprise(db: Db, id: string) {
  return db
    .selectFrom("organisations as o")
    .leftJoin("units as u", "u.id", "o.unit_id")
    .leftJoin("buildings as b", "b.id", "u.building_id")
    .innerJoin("areas as a", "a.id", "o.area_id")
    .select([
      "o.id",
      "o.kind",
      "o.name",
      "o.area_path",
      "o.address",
      "o.industry",
      sql<number | null>`coalesce(b.lat, a.centroid_lat)`.as("lat"),
      sql<number | null>`coalesce(b.lng, a.centroid_lng)`.as("lng"),
    ])
    .where("o.id", "=", id)
    .executeTakeFirst();
}
