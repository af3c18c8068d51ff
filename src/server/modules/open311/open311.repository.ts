/**
 * SQL for Open311: the public columns of cases and of their public steps.
 * Nothing here reads a reporter column — what cannot be selected cannot leak.
 */
import type { ExpressionBuilder, Kysely } from "kysely";
import type { CaseStatusValue, DB } from "../../db/schema.js";

type Db = Kysely<DB>;

/** A column of the case's first public image (for media_url), as a subquery on `c`. */
function firstPublicImage(
  eb: ExpressionBuilder<DB & { c: DB["cases"] }, "c">,
  column: "t.id" | "t.mime",
) {
  return eb
    .selectFrom("case_attachments as t")
    .select(column)
    .whereRef("t.case_id", "=", "c.id")
    .where("t.visibility", "=", "public")
    .where("t.mime", "like", "image/%")
    .orderBy("t.id")
    .limit(1);
}

export function districtCode(db: Db) {
  return db
    .selectFrom("areas")
    .select(["code", "name"])
    .where("level", "=", "district")
    .orderBy("id")
    .executeTakeFirst();
}

/** The steps whose notes may become a request's status_notes: staff's public steps. */
export const STATUS_NOTE_ACTIONS = [
  "verify",
  "dispatch",
  "accept",
  "start",
  "resolve",
  "reassign",
  "return",
  "reopen",
  "merge",
  "withdraw",
  "close",
  "grant_extension",
  "wait_reporter",
  "resume",
] as const;

export interface PublicCaseRow {
  id: string;
  code: string;
  status: CaseStatusValue;
  category_code: string;
  category_name: string;
  sensitive: boolean;
  service_notice: string | null;
  description: string;
  address: string | null;
  lat: number;
  lng: number;
  created_at: Date;
  updated_at: Date;
  resolve_due_at: Date | null;
  agency: string | null;
  merged_into_code: string | null;
  status_notes: string | null;
  media_id: string | null;
  media_mime: string | null;
}

export interface RequestFilter {
  codes?: string[];
  categoryCodes?: string[];
  statuses?: CaseStatusValue[];
  from?: Date;
  to?: Date;
  limit: number;
}

export async function publicCases(db: Db, f: RequestFilter): Promise<PublicCaseRow[]> {
  let q = db
    .selectFrom("cases as c")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .leftJoin("departments as d", "d.id", "c.lead_department_id")
    .leftJoin("cases as m", "m.id", "c.merged_into_id")
    .select([
      "c.id",
      "c.code",
      "c.status",
      "c.category_code",
      "cat.name as category_name",
      "cat.sensitive",
      "cat.service_notice",
      "c.description",
      "c.address",
      "c.lat",
      "c.lng",
      "c.created_at",
      "c.updated_at",
      "c.resolve_due_at",
      "d.name as agency",
      "m.code as merged_into_code",
    ])
    .select((eb) => [
      eb
        .selectFrom("case_actions as a")
        .select("a.note")
        .whereRef("a.case_id", "=", "c.id")
        .where("a.visibility", "=", "public")
        .where("a.note", "is not", null)
        .where("a.action", "in", STATUS_NOTE_ACTIONS)
        .orderBy("a.id", "desc")
        .limit(1)
        .as("status_notes"),
      firstPublicImage(eb, "t.id").as("media_id"),
      firstPublicImage(eb, "t.mime").as("media_mime"),
    ]);
  if (f.codes) {
    q = q.where("c.code", "in", f.codes.length ? f.codes : [""]);
  } else {
    if (f.categoryCodes?.length) q = q.where("c.category_code", "in", f.categoryCodes);
    if (f.statuses?.length) q = q.where("c.status", "in", f.statuses);
    if (f.from) q = q.where("c.created_at", ">=", f.from);
    if (f.to) q = q.where("c.created_at", "<=", f.to);
  }
  const rows = await q
    .orderBy("c.created_at", "desc")
    .orderBy("c.id", "desc")
    .limit(f.limit)
    .execute();
  return rows.map((r) => ({
    ...r,
    lat: Number(r.lat),
    lng: Number(r.lng),
    status_notes: r.status_notes ?? null,
    media_id: r.media_id ?? null,
    media_mime: r.media_mime ?? null,
  }));
}

export interface PublicUpdateRow {
  id: string;
  case_code: string;
  action: string;
  to_status: CaseStatusValue | null;
  case_status: CaseStatusValue;
  note: string | null;
  sensitive: boolean;
  created_at: Date;
  media_id: string | null;
  media_mime: string | null;
}

/** Public steps of cases, oldest first: the status changes clients poll for. */
export async function publicUpdates(
  db: Db,
  f: { from: Date; to: Date; codes?: string[]; limit: number },
): Promise<PublicUpdateRow[]> {
  let q = db
    .selectFrom("case_actions as a")
    .innerJoin("cases as c", "c.id", "a.case_id")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .select([
      "a.id",
      "c.code as case_code",
      "a.action",
      "a.to_status",
      "c.status as case_status",
      "a.note",
      "cat.sensitive",
      "a.created_at",
    ])
    .select((eb) => [
      firstPublicImage(eb, "t.id").as("media_id"),
      firstPublicImage(eb, "t.mime").as("media_mime"),
    ])
    .where("a.visibility", "=", "public")
    .where((eb) =>
      eb.or([eb("a.to_status", "is not", null), eb("a.action", "in", ["reassign", "merge"])]),
    )
    .where("a.action", "!=", "report")
    .where("a.created_at", ">=", f.from)
    .where("a.created_at", "<=", f.to);
  if (f.codes) q = q.where("c.code", "in", f.codes.length ? f.codes : [""]);
  const rows = await q.orderBy("a.created_at").orderBy("a.id").limit(f.limit).execute();
  return rows.map((r) => ({
    ...r,
    media_id: r.media_id ?? null,
    media_mime: r.media_mime ?? null,
  }));
}

/** The case ids behind case codes (for tokens). */
export function caseCodeById(db: Db, id: string) {
  return db.selectFrom("cases").select(["id", "code"]).where("id", "=", id).executeTakeFirst();
}

export function caseIdByCode(db: Db, code: string) {
  return db.selectFrom("cases").select("id").where("code", "=", code).executeTakeFirst();
}
