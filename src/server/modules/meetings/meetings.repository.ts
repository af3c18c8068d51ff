/**
 * SQL of joint meetings: meetings, participants, agenda items (and the pool),
 * action items, the meeting log, the district's bounce threshold, and the
 * reads the agenda is built from (bounced and overdue supervised cases).
 * No rules here; every function takes the db or the caller's transaction.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import { ENTERPRISE_ROLES } from "../../../shared/roles.js";
import type { DB } from "../../db/schema.js";
import type {
  ActionItemStatusValue,
  AgendaKindValue,
  AgendaStatusValue,
  MeetingStatusValue,
} from "../../db/schema-meetings.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";
import { RULABLE_CASE_STATUSES } from "./meetings.policy.js";

type Db = Kysely<DB> | Transaction<DB>;

const likePrefix = (p: string) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// ------------------------------------------------------------------ areas

export function areaById(db: Db, id: string) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "level", "path"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function areaByPath(db: Db, path: string) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "level", "path"])
    .where("path", "=", path)
    .executeTakeFirst();
}

export function district(db: Db) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path"])
    .where("level", "=", "district")
    .orderBy("id")
    .executeTakeFirst();
}

// --------------------------------------------------------------- settings

export function findSettings(db: Db, areaId: string) {
  return db
    .selectFrom("meeting_settings")
    .selectAll()
    .where("area_id", "=", areaId)
    .executeTakeFirst();
}

/** Writes the threshold; undefined when `version` is not the stored one (someone else saved). */
export async function saveSettings(
  trx: Transaction<DB>,
  v: { areaId: string; threshold: number; version: number | null; userId: string | null },
) {
  if (v.version === null)
    return trx
      .insertInto("meeting_settings")
      .values({ area_id: v.areaId, bounce_threshold: v.threshold, updated_by: v.userId })
      .onConflict((oc) => oc.column("area_id").doNothing())
      .returning(["version", "updated_at"])
      .executeTakeFirst();
  return trx
    .updateTable("meeting_settings")
    .set({
      bounce_threshold: v.threshold,
      updated_by: v.userId,
      updated_at: sql`now()`,
      version: sql`version + 1`,
    })
    .where("area_id", "=", v.areaId)
    .where("version", "=", v.version)
    .returning(["version", "updated_at"])
    .executeTakeFirst();
}

// --------------------------------------------------------------- meetings

const MEETING_COLUMNS = [
  "m.id",
  "m.area_id",
  "m.area_path",
  "m.title",
  "m.scheduled_at",
  "m.place",
  "m.status",
  "m.minutes",
  "m.cancel_reason",
  "m.held_at",
  "m.closed_at",
  "m.cancelled_at",
  "m.created_by",
  "m.created_label",
  "m.version",
  "m.created_at",
  "a.code as area_code",
  "a.name as area_name",
] as const;

/** Counts shown with each meeting (the list and the detail). */
function withCounts(today: string) {
  return [
    sql<number>`(SELECT count(*)::int FROM meeting_participants p WHERE p.meeting_id = m.id)`.as(
      "participant_count",
    ),
    sql<number>`(SELECT count(*)::int FROM meeting_agenda_items g WHERE g.meeting_id = m.id AND g.status <> 'dropped')`.as(
      "agenda_count",
    ),
    sql<number>`(SELECT count(*)::int FROM meeting_agenda_items g WHERE g.meeting_id = m.id AND g.status = 'open')`.as(
      "open_agenda_count",
    ),
    sql<number>`(SELECT count(*)::int FROM meeting_action_items i WHERE i.meeting_id = m.id AND i.status <> 'cancelled')`.as(
      "items_total",
    ),
    sql<number>`(SELECT count(*)::int FROM meeting_action_items i WHERE i.meeting_id = m.id AND i.status = 'open')`.as(
      "items_open",
    ),
    sql<number>`(SELECT count(*)::int FROM meeting_action_items i WHERE i.meeting_id = m.id AND i.status = 'open' AND i.due_on < ${today}::date)`.as(
      "items_overdue",
    ),
    sql<number>`(SELECT count(*)::int FROM meeting_action_items i WHERE i.meeting_id = m.id AND i.status = 'done')`.as(
      "items_done",
    ),
  ];
}

export async function insertMeeting(
  trx: Transaction<DB>,
  v: {
    area_id: string;
    area_path: string;
    title: string;
    scheduled_at: Date;
    place: string;
    created_by: string | null;
    created_label: string;
  },
) {
  const r = await trx.insertInto("meetings").values(v).returning(["id"]).executeTakeFirstOrThrow();
  return r.id;
}

export function findMeeting(db: Db, id: string, today: string) {
  return db
    .selectFrom("meetings as m")
    .innerJoin("areas as a", "a.id", "m.area_id")
    .select(MEETING_COLUMNS)
    .select(withCounts(today))
    .where("m.id", "=", id)
    .executeTakeFirst();
}
export type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

/** Status, area and title of a meeting (for an agenda item's checks). */
export function meetingBrief(db: Db, id: string) {
  return db
    .selectFrom("meetings")
    .select(["id", "status", "area_path", "title"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Locks the meeting for a change (agenda, participants) made with others in one transaction. */
export function lockMeeting(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom("meetings")
    .select(["id", "status", "version", "area_path", "title", "scheduled_at"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

/** Undefined when the meeting is no longer at `version`. */
export function updateMeeting(
  trx: Transaction<DB>,
  id: string,
  version: number,
  set: Partial<{
    title: string;
    scheduled_at: Date;
    place: string;
    status: MeetingStatusValue;
    minutes: string | null;
    cancel_reason: string;
    held_at: Date;
    closed_at: Date;
    cancelled_at: Date;
  }>,
) {
  return trx
    .updateTable("meetings")
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["version"])
    .executeTakeFirst();
}

/** Moves the meeting's version on (its agenda or decisions changed). */
export function touchMeeting(trx: Transaction<DB>, id: string) {
  return trx
    .updateTable("meetings")
    .set({ version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .returning(["version"])
    .executeTakeFirst();
}

export interface MeetingFilter {
  /** coordinators: meetings of areas under this path */
  areaPath: string | null;
  /** participants: meetings these parties are invited to */
  departmentIds: string[];
  organisationIds: string[];
  status?: MeetingStatusValue | undefined;
  q?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  sort: "scheduledAt" | "-scheduledAt";
  limit: number;
  offset: number;
  today: string;
}

function invitedCondition(departmentIds: string[], organisationIds: string[]) {
  const parts: Expression<SqlBool>[] = [];
  if (departmentIds.length)
    parts.push(sql<SqlBool>`p.department_id IN (${sql.join(departmentIds)})`);
  if (organisationIds.length)
    parts.push(sql<SqlBool>`p.organisation_id IN (${sql.join(organisationIds)})`);
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`EXISTS (SELECT 1 FROM meeting_participants p WHERE p.meeting_id = m.id AND (${sql.join(parts, sql` OR `)}))`;
}

export async function listMeetings(db: Db, f: MeetingFilter) {
  let q = db.selectFrom("meetings as m").innerJoin("areas as a", "a.id", "m.area_id");
  q =
    f.areaPath !== null
      ? q.where("m.area_path", "like", likePrefix(f.areaPath))
      : q.where(invitedCondition(f.departmentIds, f.organisationIds));
  if (f.status) q = q.where("m.status", "=", f.status);
  if (f.q) q = q.where("m.title", "ilike", containsPattern(f.q));
  if (f.from) q = q.where("m.scheduled_at", ">=", f.from);
  if (f.to) q = q.where("m.scheduled_at", "<", f.to);
  const [items, total] = await Promise.all([
    q
      .select(MEETING_COLUMNS)
      .select(withCounts(f.today))
      .orderBy("m.scheduled_at", f.sort === "scheduledAt" ? "asc" : "desc")
      .orderBy("m.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

// ----------------------------------------------------------- participants

export function participants(db: Db, meetingId: string) {
  return db
    .selectFrom("meeting_participants as p")
    .leftJoin("departments as d", "d.id", "p.department_id")
    .leftJoin("organisations as o", "o.id", "p.organisation_id")
    .select([
      "p.id",
      "p.department_id",
      "p.organisation_id",
      "p.attended",
      "d.name as department_name",
      "o.name as organisation_name",
      "o.kind as organisation_kind",
    ])
    .where("p.meeting_id", "=", meetingId)
    .orderBy(sql`p.department_id IS NULL`)
    .orderBy("p.id")
    .execute();
}
export type ParticipantRow = Awaited<ReturnType<typeof participants>>[number];

export async function insertParticipants(
  trx: Transaction<DB>,
  meetingId: string,
  p: { departmentIds: string[]; organisationIds: string[] },
) {
  const rows = [
    ...p.departmentIds.map((d) => ({
      meeting_id: meetingId,
      department_id: d,
      organisation_id: null,
    })),
    ...p.organisationIds.map((o) => ({
      meeting_id: meetingId,
      department_id: null,
      organisation_id: o,
    })),
  ];
  if (rows.length) await trx.insertInto("meeting_participants").values(rows).execute();
}

export async function deleteParticipants(trx: Transaction<DB>, ids: string[]) {
  if (ids.length) await trx.deleteFrom("meeting_participants").where("id", "in", ids).execute();
}

export async function setAttendance(
  trx: Transaction<DB>,
  meetingId: string,
  rows: { participantId: string; attended: boolean }[],
) {
  for (const r of rows)
    await trx
      .updateTable("meeting_participants")
      .set({ attended: r.attended })
      .where("meeting_id", "=", meetingId)
      .where("id", "=", r.participantId)
      .execute();
}

/** Which of these departments and organisations exist (for checking a form's picks). */
export async function existingParties(db: Db, departmentIds: string[], organisationIds: string[]) {
  const [d, o] = await Promise.all([
    departmentIds.length
      ? db
          .selectFrom("departments")
          .select(["id", "name"])
          .where("id", "in", departmentIds)
          .execute()
      : [],
    organisationIds.length
      ? db
          .selectFrom("organisations")
          .select(["id", "name", "kind"])
          .where("id", "in", organisationIds)
          .execute()
      : [],
  ]);
  return { departments: d, organisations: o };
}

/** The active accounts of these departments (officers) and organisations (officers, managers, representatives). */
export async function partyUsers(db: Db, departmentIds: string[], organisationIds: string[]) {
  if (departmentIds.length + organisationIds.length === 0) return [];
  const rows = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select("g.user_id")
    .distinct()
    .where("u.status", "=", "active")
    .where((eb) =>
      eb.or([
        ...(departmentIds.length
          ? [
              eb.and([
                eb("g.role", "=", "department_officer"),
                eb("g.department_id", "in", departmentIds),
              ]),
            ]
          : []),
        ...(organisationIds.length
          ? [
              eb.and([
                eb("g.role", "in", [...ENTERPRISE_ROLES, "association_rep"]),
                eb("g.organisation_id", "in", organisationIds),
              ]),
            ]
          : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.user_id);
}

// -------------------------------------------------------------------- log

export async function insertLog(
  trx: Transaction<DB>,
  row: {
    meeting_id: string;
    action: string;
    actor_user_id: string | null;
    actor_label: string;
    note?: string | null;
    details?: Record<string, unknown>;
    /** the seed writes past meetings' logs */
    created_at?: Date;
  },
) {
  await trx
    .insertInto("meeting_actions")
    .values({ ...row, note: row.note ?? null, details: JSON.stringify(row.details ?? {}) })
    .execute();
}

export function log(db: Db, meetingId: string) {
  return db
    .selectFrom("meeting_actions")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .orderBy("id", "desc")
    .limit(200)
    .execute();
}

// ---------------------------------------------------------------- agenda

const AGENDA_COLUMNS = [
  "g.id",
  "g.meeting_id",
  "g.area_path",
  "g.kind",
  "g.case_id",
  "g.proposal_id",
  "g.organisation_id",
  "g.subject_key",
  "g.title",
  "g.reason",
  "g.details",
  "g.source",
  "g.status",
  "g.outcome",
  "g.ruling",
  "g.settled_at",
  "g.settled_label",
  "g.position",
  "g.created_label",
  "g.created_at",
  "g.version",
  "c.code as case_code",
  "pr.title as proposal_title",
  "o.name as organisation_name",
] as const;

function agendaBase(db: Db) {
  return db
    .selectFrom("meeting_agenda_items as g")
    .leftJoin("cases as c", "c.id", "g.case_id")
    .leftJoin("proposals as pr", "pr.id", "g.proposal_id")
    .leftJoin("organisations as o", "o.id", "g.organisation_id");
}

export function agendaOf(db: Db, meetingId: string) {
  return agendaBase(db)
    .select(AGENDA_COLUMNS)
    .where("g.meeting_id", "=", meetingId)
    .orderBy("g.position")
    .orderBy("g.id")
    .execute();
}
export type AgendaRow = Awaited<ReturnType<typeof agendaOf>>[number];

export function findAgendaItem(db: Db, id: string) {
  return agendaBase(db)
    .leftJoin("meetings as m", "m.id", "g.meeting_id")
    .select(AGENDA_COLUMNS)
    .select(["m.status as meeting_status", "m.title as meeting_title"])
    .where("g.id", "=", id)
    .executeTakeFirst();
}

/** The open items of a subject ("case:42") with the meeting they are on (null: the pool). */
export async function openItemsBySubject(db: Db, keys: string[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom("meeting_agenda_items as g")
    .leftJoin("meetings as m", "m.id", "g.meeting_id")
    .select(["g.id", "g.subject_key", "g.meeting_id", "g.area_path", "m.title as meeting_title"])
    .where("g.status", "=", "open")
    .where("g.subject_key", "in", keys)
    .execute();
}

export interface AgendaValues {
  meeting_id: string | null;
  area_path: string;
  kind: AgendaKindValue;
  case_id: string | null;
  proposal_id: string | null;
  organisation_id: string | null;
  subject_key: string | null;
  title: string;
  reason: string | null;
  details: Record<string, unknown>;
  source: "detector" | "manual";
  created_by: string | null;
  created_label: string;
}

/** Inserts an item; undefined when its subject already has an open item (anywhere). */
export function insertAgendaItem(trx: Transaction<DB>, v: AgendaValues) {
  return trx
    .insertInto("meeting_agenda_items")
    .values({
      ...v,
      details: JSON.stringify(v.details),
      position: sql`COALESCE((SELECT max(position) + 1 FROM meeting_agenda_items WHERE meeting_id = ${v.meeting_id}), 0)`,
    })
    .onConflict((oc) =>
      oc
        .column("subject_key")
        .where("status", "=", "open")
        .where("subject_key", "is not", null)
        .doNothing(),
    )
    .returning(["id"])
    .executeTakeFirst();
}

/** Puts a pool item onto a meeting; undefined when it is no longer open in the pool. */
export function takeFromPool(trx: Transaction<DB>, itemId: string, meetingId: string) {
  return trx
    .updateTable("meeting_agenda_items")
    .set({
      meeting_id: meetingId,
      version: sql`version + 1`,
      updated_at: sql`now()`,
      position: sql`COALESCE((SELECT max(position) + 1 FROM meeting_agenda_items WHERE meeting_id = ${meetingId}), 0)`,
    })
    .where("id", "=", itemId)
    .where("meeting_id", "is", null)
    .where("status", "=", "open")
    .returning(["id"])
    .executeTakeFirst();
}

/** Undefined when the item is no longer at `version`. */
export function updateAgendaItem(
  trx: Transaction<DB>,
  id: string,
  version: number,
  set: Partial<{
    status: AgendaStatusValue;
    outcome: string;
    ruling: string;
    settled_at: Date;
    settled_by: string | null;
    settled_label: string;
    settled_action_id: string | null;
    meeting_id: string | null;
  }>,
) {
  return trx
    .updateTable("meeting_agenda_items")
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

/** A cancelled or closed meeting's open items go back to their area's pool. */
export function returnOpenItemsToPool(trx: Transaction<DB>, meetingId: string) {
  return trx
    .updateTable("meeting_agenda_items")
    .set({ meeting_id: null, version: sql`version + 1`, updated_at: sql`now()` })
    .where("meeting_id", "=", meetingId)
    .where("status", "=", "open")
    .returning(["id", "title"])
    .execute();
}

/** The case's latest action id (the watermark a settled item keeps). */
export async function lastCaseActionId(db: Db, caseId: string) {
  const r = await db
    .selectFrom("case_actions")
    .select(sql<string | null>`max(id)::text`.as("id"))
    .where("case_id", "=", caseId)
    .executeTakeFirst();
  return r?.id ?? null;
}

// ------------------------------------------------------ agenda from the data

const OPEN_CASE_STATUSES = sql.join(RULABLE_CASE_STATUSES.map((s) => sql.lit(s)));

/**
 * Returns and reassignments per open case since the case's last settled
 * agenda item (its watermark), for cases with more than `threshold` of them
 * under `areaPath`, most bounced first.
 */
function bouncedSql(areaPath: string, threshold: number) {
  return sql`
    WITH marks AS (
      SELECT case_id, max(settled_action_id) AS mark FROM meeting_agenda_items
      WHERE case_id IS NOT NULL AND settled_action_id IS NOT NULL GROUP BY case_id
    ), b AS (
      SELECT a.case_id, count(*)::int AS bounces, max(a.created_at) AS last_at,
        COALESCE(max(m.mark), 0) AS mark
      FROM case_actions a LEFT JOIN marks m ON m.case_id = a.case_id
      WHERE a.action IN ('return', 'reassign') AND a.id > COALESCE(m.mark, 0)
      GROUP BY a.case_id
      HAVING count(*) > ${threshold}
    )
    SELECT c.id, c.code, c.status, c.area_path, c.category_code, cat.name AS category_name,
      c.lead_department_id, d.name AS lead_name, b.bounces, b.last_at, b.mark::text AS mark
    FROM b JOIN cases c ON c.id = b.case_id
    JOIN case_categories cat ON cat.code = c.category_code
    LEFT JOIN departments d ON d.id = c.lead_department_id
    WHERE c.status IN (${OPEN_CASE_STATUSES}) AND c.area_path LIKE ${likePrefix(areaPath)}`;
}

export interface BouncedRow {
  id: string;
  code: string;
  status: string;
  area_path: string;
  category_code: string;
  category_name: string;
  lead_department_id: string | null;
  lead_name: string | null;
  bounces: number;
  last_at: Date;
  mark: string;
}

export async function bouncedCases(db: Db, areaPath: string, threshold: number, limit: number) {
  const base = bouncedSql(areaPath, threshold);
  const [items, total] = await Promise.all([
    sql<BouncedRow>`${base} ORDER BY b.bounces DESC, b.last_at DESC, c.id LIMIT ${limit}`.execute(
      db,
    ),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM (${base}) x`.execute(db),
  ]);
  return { items: items.rows, total: total.rows[0]?.n ?? 0 };
}

/** The returns and reassignments after each case's watermark, oldest first. */
export async function bounceSteps(db: Db, cases: { id: string; mark: string }[]) {
  if (cases.length === 0) return [];
  const pairs = sql.join(cases.map((c) => sql`(${c.id}::bigint, ${c.mark}::bigint)`));
  const r = await sql<{
    case_id: string;
    action: string;
    actor_label: string;
    note: string | null;
    created_at: Date;
  }>`
    SELECT a.case_id, a.action, a.actor_label, a.note, a.created_at
    FROM case_actions a JOIN (VALUES ${pairs}) AS w(case_id, mark) ON w.case_id = a.case_id
    WHERE a.action IN ('return', 'reassign') AND a.id > w.mark
    ORDER BY a.case_id, a.id`.execute(db);
  return r.rows;
}

/** The deadline a case works to now (as in the cases inbox): acceptance, then resolution. */
const DUE_AT = sql`(CASE WHEN c.status = 'dispatched' THEN c.accept_due_at
  WHEN c.status IN ('accepted', 'in_progress') AND c.paused_at IS NULL THEN c.resolve_due_at END)`;

export async function supervisedOverdue(db: Db, areaPath: string, now: Date, limit: number) {
  const where = sql`c.supervised AND c.status IN ('dispatched', 'accepted', 'in_progress')
    AND ${DUE_AT} < ${now} AND c.area_path LIKE ${likePrefix(areaPath)}`;
  const [items, total] = await Promise.all([
    sql<{
      id: string;
      code: string;
      status: string;
      category_name: string;
      lead_name: string | null;
      due_at: Date;
      escalation_level: number;
    }>`
      SELECT c.id, c.code, c.status, cat.name AS category_name, d.name AS lead_name,
        ${DUE_AT} AS due_at, c.escalation_level
      FROM cases c JOIN case_categories cat ON cat.code = c.category_code
      LEFT JOIN departments d ON d.id = c.lead_department_id
      WHERE ${where} ORDER BY ${DUE_AT}, c.id LIMIT ${limit}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM cases c WHERE ${where}`.execute(db),
  ]);
  return { items: items.rows, total: total.rows[0]?.n ?? 0 };
}

export function caseBrief(db: Db, id: string) {
  return db
    .selectFrom("cases as c")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .select(["c.id", "c.code", "c.area_path", "c.status", "cat.name as category_name"])
    .where("c.id", "=", id)
    .executeTakeFirst();
}

export function proposalBrief(db: Db, id: string) {
  return db
    .selectFrom("proposals")
    .select(["id", "title", "area_path", "status", "support_count"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function enterpriseBrief(db: Db, id: string) {
  return db
    .selectFrom("organisations as o")
    .leftJoin("enterprise_scores as s", "s.organisation_id", "o.id")
    .select([
      "o.id",
      "o.name",
      "o.kind",
      "o.area_path",
      "s.warning_level",
      "s.warning_score",
      "s.warning_signals",
    ])
    .where("o.id", "=", id)
    .executeTakeFirst();
}

/** The case's active assisting parties (so a ruling does not invite one twice). */
export function activeAssisting(db: Db, caseId: string) {
  return db
    .selectFrom("case_parties")
    .select(["department_id", "organisation_id"])
    .where("case_id", "=", caseId)
    .where("active", "=", true)
    .where("role", "=", "assist")
    .execute();
}

// ------------------------------------------------------------ the detector

/**
 * Puts every bounced case of the district not yet on an agenda onto the next
 * scheduled meeting of its area (the most local among the earliest), or into
 * its area's pool. The unique open subject makes a second run (or a second
 * server) a no-op.
 */
export async function placeBouncedCases(trx: Transaction<DB>, threshold: number, now: Date) {
  const r = await sql<{ id: string; meeting_id: string | null; case_id: string; title: string }>`
    WITH bounced AS (${bouncedSql("/", threshold)})
    INSERT INTO meeting_agenda_items (meeting_id, area_path, kind, case_id, subject_key, title,
      reason, details, source, created_label, position)
    SELECT nm.id, b.area_path, 'bounced_case', b.id, 'case:' || b.id,
      b.code || '：' || b.category_name || '（退回/改派 ' || b.bounces || ' 次）',
      '退回或改派 ' || b.bounces || ' 次，超过 ' || ${threshold}::int || ' 次：请联席会议裁定牵头单位'
        || COALESCE('（当前牵头：' || b.lead_name || '）', ''),
      jsonb_build_object('bounces', b.bounces, 'threshold', ${threshold}::int),
      'detector', '系统（联席会议议题）',
      COALESCE((SELECT max(position) + 1 FROM meeting_agenda_items x WHERE x.meeting_id = nm.id), 0)
    FROM bounced b
    LEFT JOIN LATERAL (
      SELECT m.id FROM meetings m
      WHERE m.status = 'scheduled' AND m.scheduled_at > ${now}
        AND b.area_path LIKE m.area_path || '%'
      ORDER BY m.scheduled_at, length(m.area_path) DESC, m.id LIMIT 1
    ) nm ON true
    WHERE NOT EXISTS (SELECT 1 FROM meeting_agenda_items o
      WHERE o.subject_key = 'case:' || b.id AND o.status = 'open')
    ON CONFLICT (subject_key) WHERE status = 'open' AND subject_key IS NOT NULL DO NOTHING
    RETURNING id, meeting_id, case_id, title`.execute(trx);
  return r.rows;
}

/** Pool items whose area now has a scheduled meeting go onto the next one (once: the row is locked). */
export async function movePoolToMeetings(trx: Transaction<DB>, now: Date) {
  const r = await sql<{ id: string; meeting_id: string; title: string }>`
    UPDATE meeting_agenda_items g SET meeting_id = nm.id, version = g.version + 1, updated_at = now(),
      position = COALESCE((SELECT max(position) + 1 FROM meeting_agenda_items x WHERE x.meeting_id = nm.id), 0)
    FROM meeting_agenda_items p
    CROSS JOIN LATERAL (
      SELECT m.id FROM meetings m
      WHERE m.status = 'scheduled' AND m.scheduled_at > ${now}
        AND p.area_path LIKE m.area_path || '%'
      ORDER BY m.scheduled_at, length(m.area_path) DESC, m.id LIMIT 1
    ) nm
    WHERE g.id = p.id AND g.meeting_id IS NULL AND g.status = 'open'
    RETURNING g.id, g.meeting_id, g.title`.execute(trx);
  return r.rows;
}

/** The pool of an area: open items no meeting holds yet. */
export function pool(db: Db, areaPath: string) {
  return agendaBase(db)
    .select(AGENDA_COLUMNS)
    .where("g.meeting_id", "is", null)
    .where("g.status", "=", "open")
    .where("g.area_path", "like", likePrefix(areaPath))
    .orderBy("g.id")
    .limit(200)
    .execute();
}

// ----------------------------------------------------------- action items

const ITEM_COLUMNS = [
  "i.id",
  "i.meeting_id",
  "i.agenda_item_id",
  "i.title",
  "i.owner_department_id",
  "i.owner_organisation_id",
  "i.due_on",
  "i.status",
  "i.done_note",
  "i.done_at",
  "i.done_label",
  "i.cancel_reason",
  "i.created_label",
  "i.created_at",
  "i.version",
  "m.title as meeting_title",
  "m.scheduled_at as meeting_scheduled_at",
  "m.area_path",
  "m.created_by as meeting_created_by",
  "d.name as department_name",
  "o.name as organisation_name",
  "o.kind as organisation_kind",
] as const;

function itemBase(db: Db) {
  return db
    .selectFrom("meeting_action_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .leftJoin("departments as d", "d.id", "i.owner_department_id")
    .leftJoin("organisations as o", "o.id", "i.owner_organisation_id");
}

export async function insertActionItem(
  trx: Transaction<DB>,
  v: {
    meeting_id: string;
    agenda_item_id: string | null;
    title: string;
    owner_department_id: string | null;
    owner_organisation_id: string | null;
    due_on: string;
    created_by: string | null;
    created_label: string;
  },
) {
  const r = await trx
    .insertInto("meeting_action_items")
    .values(v)
    .returning(["id"])
    .executeTakeFirstOrThrow();
  return r.id;
}

export function findActionItem(db: Db, id: string) {
  return itemBase(db).select(ITEM_COLUMNS).where("i.id", "=", id).executeTakeFirst();
}
export type ActionItemRow = NonNullable<Awaited<ReturnType<typeof findActionItem>>>;

export function actionItemsOf(db: Db, meetingId: string) {
  return itemBase(db)
    .select(ITEM_COLUMNS)
    .where("i.meeting_id", "=", meetingId)
    .orderBy("i.id")
    .execute();
}

/** Undefined when the item is no longer at `version`. */
export function updateActionItem(
  trx: Transaction<DB>,
  id: string,
  version: number,
  set: Partial<{
    title: string;
    owner_department_id: string | null;
    owner_organisation_id: string | null;
    due_on: string;
    status: ActionItemStatusValue;
    done_note: string | null;
    done_at: Date | null;
    done_by: string | null;
    done_label: string | null;
    cancel_reason: string | null;
    overdue_notified_at: Date | null;
  }>,
) {
  return trx
    .updateTable("meeting_action_items")
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

export interface ActionItemFilter {
  /** coordinators: items of meetings in these areas */
  areaPaths: string[];
  /** owners: items these parties own */
  departmentIds: string[];
  organisationIds: string[];
  /** only those the parties own (even for a coordinator) */
  mine: boolean;
  meetingId?: string | undefined;
  state?: "open" | "overdue" | "done" | "cancelled" | undefined;
  ownerDepartmentId?: string | undefined;
  ownerOrganisationId?: string | undefined;
  q?: string | undefined;
  sort: "dueOn" | "-dueOn" | "newest";
  limit: number;
  offset: number;
  today: string;
}

export async function listActionItems(db: Db, f: ActionItemFilter) {
  const owned = (() => {
    const parts: Expression<SqlBool>[] = [];
    if (f.departmentIds.length)
      parts.push(sql<SqlBool>`i.owner_department_id IN (${sql.join(f.departmentIds)})`);
    if (f.organisationIds.length)
      parts.push(sql<SqlBool>`i.owner_organisation_id IN (${sql.join(f.organisationIds)})`);
    return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` OR `)})` : sql<SqlBool>`false`;
  })();
  let q = itemBase(db);
  q = f.mine
    ? q.where(owned)
    : q.where((eb) => eb.or([pathPrefixAny("m.area_path", f.areaPaths), owned]));
  if (f.meetingId) q = q.where("i.meeting_id", "=", f.meetingId);
  if (f.ownerDepartmentId) q = q.where("i.owner_department_id", "=", f.ownerDepartmentId);
  if (f.ownerOrganisationId) q = q.where("i.owner_organisation_id", "=", f.ownerOrganisationId);
  if (f.q) q = q.where("i.title", "ilike", containsPattern(f.q));
  if (f.state === "overdue")
    q = q.where("i.status", "=", "open").where(sql<SqlBool>`i.due_on < ${f.today}::date`);
  else if (f.state === "open")
    q = q.where("i.status", "=", "open").where(sql<SqlBool>`i.due_on >= ${f.today}::date`);
  else if (f.state) q = q.where("i.status", "=", f.state);
  let items = q.select(ITEM_COLUMNS);
  if (f.sort === "newest") items = items.orderBy("i.id", "desc");
  else
    items = items
      // Open work first, then by deadline.
      .orderBy(sql`i.status <> 'open'`)
      .orderBy("i.due_on", f.sort === "dueOn" ? "asc" : "desc")
      .orderBy("i.id");
  const [rows, total] = await Promise.all([
    items.limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items: rows, total: total.n };
}

/** Open items past their day that nobody was told of yet, locked for this run. */
export function lockOverdueToNotify(trx: Transaction<DB>, today: string, limit: number) {
  return trx
    .selectFrom("meeting_action_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select([
      "i.id",
      "i.meeting_id",
      "i.title",
      "i.due_on",
      "i.owner_department_id",
      "i.owner_organisation_id",
      "m.created_by as meeting_created_by",
      "m.title as meeting_title",
    ])
    .where("i.status", "=", "open")
    .where("i.overdue_notified_at", "is", null)
    .where(sql<SqlBool>`i.due_on < ${today}::date`)
    .orderBy("i.id")
    .limit(limit)
    .forUpdate("i")
    .skipLocked()
    .execute();
}

export async function markOverdueNotified(trx: Transaction<DB>, ids: string[], now: Date) {
  if (ids.length)
    await trx
      .updateTable("meeting_action_items")
      .set({ overdue_notified_at: now })
      .where("id", "in", ids)
      .execute();
}
