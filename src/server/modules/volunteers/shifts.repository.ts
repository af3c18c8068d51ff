/** SQL for shifts, sign-ups, their action log, observations and hours. No rules here. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type {
  CheckoutSourceValue,
  HoursStatusValue,
  ShiftKindValue,
  SignupActionValue,
  SignupStatusValue,
} from "../../db/schema-volunteers.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

const idsIn = (ids: string[]) => sql.join(ids.map((i) => sql`${i}::bigint`));

export function areaWithBoundary(db: Db, code: string) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "level", "path", "boundary", "centroid_lat", "centroid_lng"])
    .where("code", "=", code)
    .executeTakeFirst();
}

export function boundaryOf(db: Db, areaId: string) {
  return db.selectFrom("areas").select("boundary").where("id", "=", areaId).executeTakeFirst();
}

/** Shifts the caller plans or oversees: their area, organisation, teams they lead, their own. */
export interface ShiftManageScope {
  staffPaths: string[];
  organisationIds: string[];
  userId: string | null;
}

const LED_TEAMS = (userId: string) => sql`(SELECT lm.team_id FROM team_members lm
  JOIN volunteers lv ON lv.id = lm.volunteer_id
  WHERE lv.user_id = ${userId} AND lm.role = 'leader' AND lm.left_at IS NULL)`;
const MEMBER_TEAMS = (userId: string) => sql`(SELECT mm.team_id FROM team_members mm
  JOIN volunteers mv ON mv.id = mm.volunteer_id
  WHERE mv.user_id = ${userId} AND mm.left_at IS NULL)`;

export function manageCondition(s: ShiftManageScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (s.staffPaths.length) parts.push(pathPrefixAny("s.area_path", s.staffPaths));
  if (s.organisationIds.length)
    parts.push(sql<SqlBool>`s.organisation_id IN (${idsIn(s.organisationIds)})`);
  if (s.userId) {
    parts.push(sql<SqlBool>`s.created_by = ${s.userId}`);
    parts.push(sql<SqlBool>`s.team_id IN ${LED_TEAMS(s.userId)}`);
  }
  if (!parts.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** Open to this account: no team, or a team they belong to. */
export function openToCondition(userId: string | null): Expression<SqlBool> {
  return userId
    ? sql<SqlBool>`(s.team_id IS NULL OR s.team_id IN ${MEMBER_TEAMS(userId)})`
    : sql<SqlBool>`s.team_id IS NULL`;
}

export function mineCondition(volunteerId: string | null): Expression<SqlBool> {
  return volunteerId
    ? sql<SqlBool>`EXISTS (SELECT 1 FROM shift_signups ms WHERE ms.shift_id = s.id
        AND ms.volunteer_id = ${volunteerId} AND ms.status <> 'cancelled')`
    : sql<SqlBool>`false`;
}

const SIGNED_UP = sql<number>`(SELECT count(*) FROM shift_signups c
  WHERE c.shift_id = s.id AND c.status <> 'cancelled')::int`;

function shiftColumns(pos: { lat: number; lng: number } | null) {
  return [
    "s.id",
    "s.kind",
    "s.title",
    "s.description",
    "s.area_id",
    "s.area_path",
    "s.starts_at",
    "s.ends_at",
    "s.capacity",
    "s.team_id",
    "s.case_id",
    "s.organisation_id",
    "s.fence_tolerance_m",
    "s.status",
    "s.created_by",
    "s.version",
    "a.code as area_code",
    "a.name as area_name",
    "a.level as area_level",
    "a.centroid_lat",
    "a.centroid_lng",
    "t.name as team_name",
    "c.code as case_code",
    "u.display_name as created_by_name",
    SIGNED_UP.as("signed_up"),
    (pos
      ? sql<
          number | null
        >`round(sqrt(power((a.centroid_lng - ${pos.lng}) * cos(radians(${pos.lat})) * 111320, 2)
          + power((a.centroid_lat - ${pos.lat}) * 110540, 2)))::int`
      : sql<number | null>`NULL::int`
    ).as("distance_m"),
  ] as const;
}

function shifts(db: Db) {
  return db
    .selectFrom("shifts as s")
    .innerJoin("areas as a", "a.id", "s.area_id")
    .innerJoin("users as u", "u.id", "s.created_by")
    .leftJoin("teams as t", "t.id", "s.team_id")
    .leftJoin("cases as c", "c.id", "s.case_id");
}

export function findShift(db: Db, id: string) {
  return shifts(db).select(shiftColumns(null)).where("s.id", "=", id).executeTakeFirst();
}
export type ShiftRow = NonNullable<Awaited<ReturnType<typeof findShift>>>;

/** Locks the shift: sign-ups to one shift queue here (capacity). */
export function lockShift(db: Db, id: string) {
  return db
    .selectFrom("shifts")
    .select(["id", "status", "starts_at", "ends_at", "capacity"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function shiftVisible(
  db: Db,
  id: string,
  c: { manage: ShiftManageScope; userId: string | null; volunteerId: string | null },
) {
  const r = await db
    .selectFrom("shifts as s")
    .select("s.id")
    .where("s.id", "=", id)
    .where(
      sql<SqlBool>`(${manageCondition(c.manage)} OR ${openToCondition(c.userId)} OR ${mineCondition(c.volunteerId)})`,
    )
    .executeTakeFirst();
  return r !== undefined;
}

export interface ShiftFilter {
  view: "open" | "mine" | "manage";
  manage: ShiftManageScope;
  userId: string | null;
  volunteerId: string | null;
  now: Date;
  kind?: ShiftKindValue | undefined;
  areaPath?: string | undefined;
  dayStart?: Date | undefined;
  when: "upcoming" | "past" | "all";
  teamId?: string | undefined;
  position: { lat: number; lng: number } | null;
  limit: number;
  offset: number;
}

export async function listShifts(db: Db, f: ShiftFilter) {
  let q = shifts(db);
  if (f.view === "manage") q = q.where(manageCondition(f.manage));
  else if (f.view === "mine") q = q.where(mineCondition(f.volunteerId));
  else
    q = q
      .where(openToCondition(f.userId))
      .where("s.status", "=", "open")
      .where("s.ends_at", ">", f.now);
  if (f.kind) q = q.where("s.kind", "=", f.kind);
  if (f.areaPath)
    // A shift in the area, or in the area above it (a community patrol covers its grids).
    q = q.where(
      sql<SqlBool>`(${pathPrefixAny("s.area_path", [f.areaPath])} OR ${f.areaPath} LIKE s.area_path || '%')`,
    );
  if (f.teamId) q = q.where("s.team_id", "=", f.teamId);
  if (f.dayStart)
    q = q
      .where("s.starts_at", "<", new Date(f.dayStart.getTime() + 86_400_000))
      .where("s.ends_at", ">", f.dayStart);
  if (f.when === "upcoming") q = q.where("s.ends_at", ">", f.now);
  if (f.when === "past") q = q.where("s.ends_at", "<=", f.now);
  const total = await q
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow()
    .then((r) => r.n);
  let page = q.select(shiftColumns(f.position));
  if (f.view === "open" && f.position)
    page = page.orderBy(sql`distance_m`).orderBy("s.starts_at").orderBy("s.id");
  else if (f.when === "past") page = page.orderBy("s.starts_at", "desc").orderBy("s.id", "desc");
  else if (f.view === "manage" && f.when === "all")
    page = page.orderBy("s.starts_at", "desc").orderBy("s.id", "desc");
  else page = page.orderBy("s.starts_at").orderBy("s.id");
  const items = await page.limit(f.limit).offset(f.offset).execute();
  return { items, total };
}

export function insertShift(
  db: Db,
  row: {
    kind: ShiftKindValue;
    title: string;
    description: string | null;
    area_id: string;
    area_path: string;
    starts_at: Date;
    ends_at: Date;
    capacity: number;
    team_id: string | null;
    case_id: string | null;
    organisation_id: string | null;
    fence_tolerance_m: number;
    created_by: string;
  },
) {
  return db.insertInto("shifts").values(row).returning("id").executeTakeFirstOrThrow();
}

export function cancelShift(db: Db, id: string) {
  return db
    .updateTable("shifts")
    .set({ status: "cancelled", version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("status", "=", "open")
    .returning("id")
    .executeTakeFirst();
}

// ---------------------------------------------------------------- sign-ups

const SIGNUP_COLUMNS = [
  "g.id",
  "g.shift_id",
  "g.volunteer_id",
  "g.status",
  "g.checked_in_at",
  "g.checked_out_at",
  "g.checkout_source",
  "g.check_in_accuracy",
  "g.minutes",
  "g.hours_status",
  "g.verified_by",
  "g.verified_at",
  "g.reject_reason",
  "g.version",
  "vu.display_name as volunteer_name",
  "v.user_id as volunteer_user_id",
  "verifier.display_name as verified_by_name",
] as const;

function signups(db: Db) {
  return db
    .selectFrom("shift_signups as g")
    .innerJoin("volunteers as v", "v.id", "g.volunteer_id")
    .innerJoin("users as vu", "vu.id", "v.user_id")
    .leftJoin("users as verifier", "verifier.id", "g.verified_by");
}

export function signupsOfShift(db: Db, shiftId: string) {
  return signups(db)
    .select(SIGNUP_COLUMNS)
    .where("g.shift_id", "=", shiftId)
    .orderBy("g.id")
    .execute();
}
export type SignupRow = Awaited<ReturnType<typeof signupsOfShift>>[number];

export function signupById(db: Db, id: string) {
  return signups(db).select(SIGNUP_COLUMNS).where("g.id", "=", id).executeTakeFirst();
}

/** The volunteer's active sign-ups to these shifts. */
export function mySignups(db: Db, volunteerId: string, shiftIds: string[]) {
  if (!shiftIds.length) return Promise.resolve([]);
  return signups(db)
    .select(SIGNUP_COLUMNS)
    .where("g.volunteer_id", "=", volunteerId)
    .where("g.shift_id", "in", shiftIds)
    .where("g.status", "<>", "cancelled")
    .execute();
}

/** The volunteer's active sign-up to the shift, locked. */
export function lockMySignup(db: Db, shiftId: string, volunteerId: string) {
  return db
    .selectFrom("shift_signups")
    .selectAll()
    .where("shift_id", "=", shiftId)
    .where("volunteer_id", "=", volunteerId)
    .where("status", "<>", "cancelled")
    .forUpdate()
    .executeTakeFirst();
}

export async function activeSignupCount(db: Db, shiftId: string) {
  const r = await db
    .selectFrom("shift_signups")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("shift_id", "=", shiftId)
    .where("status", "<>", "cancelled")
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The volunteer's active sign-ups whose shift overlaps the window. */
export function overlapping(
  db: Db,
  volunteerId: string,
  window: { startsAt: Date; endsAt: Date; exceptShiftId: string },
) {
  return db
    .selectFrom("shift_signups as g")
    .innerJoin("shifts as s", "s.id", "g.shift_id")
    .select(["s.id", "s.title", "s.starts_at", "s.ends_at"])
    .where("g.volunteer_id", "=", volunteerId)
    .where("g.status", "<>", "cancelled")
    .where("s.status", "=", "open")
    .where("s.id", "<>", window.exceptShiftId)
    .where("s.starts_at", "<", window.endsAt)
    .where("s.ends_at", ">", window.startsAt)
    .execute();
}

export function insertSignup(db: Db, shiftId: string, volunteerId: string) {
  return db
    .insertInto("shift_signups")
    .values({ shift_id: shiftId, volunteer_id: volunteerId })
    .onConflict((oc) =>
      oc.columns(["shift_id", "volunteer_id"]).where("status", "<>", "cancelled").doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
}

export function updateSignup(
  db: Db,
  id: string,
  version: number,
  set: Partial<{
    status: SignupStatusValue;
    checked_in_at: Date;
    check_in_lat: number;
    check_in_lng: number;
    check_in_accuracy: number | null;
    checked_out_at: Date;
    check_out_lat: number;
    check_out_lng: number;
    check_out_accuracy: number | null;
    minutes: number;
    hours_status: HoursStatusValue;
    verified_by: string | null;
    verified_at: Date | null;
    reject_reason: string | null;
    cancelled_at: Date;
    checkout_source: CheckoutSourceValue;
  }>,
) {
  return db
    .updateTable("shift_signups")
    .set({ ...set, version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

export function insertSignupAction(
  db: Db,
  row: {
    signup_id: string;
    action: SignupActionValue;
    actor_user_id: string | null;
    old_minutes?: number | null;
    new_minutes?: number | null;
    reason?: string | null;
    old_checked_out_at?: Date | null;
    new_checked_out_at?: Date | null;
  },
) {
  return db.insertInto("shift_signup_actions").values(row).execute();
}

/** Many log rows at once (a batch verification). */
export async function insertSignupActions(
  db: Db,
  rows: { signup_id: string; action: SignupActionValue; actor_user_id: string | null }[],
) {
  if (rows.length) await db.insertInto("shift_signup_actions").values(rows).execute();
}

/** Sign-ups with what the hours rules need of their shift, locked for a decision. */
export function lockSignupsForHours(db: Db, ids: string[]) {
  return db
    .selectFrom("shift_signups as g")
    .innerJoin("shifts as s", "s.id", "g.shift_id")
    .innerJoin("volunteers as v", "v.id", "g.volunteer_id")
    .select([
      "g.id",
      "g.status",
      "g.minutes",
      "g.hours_status",
      "g.version",
      "g.checked_in_at",
      "g.checked_out_at",
      "g.checkout_source",
      "v.user_id as volunteer_user_id",
      "s.id as shift_id",
      "s.area_path",
      "s.organisation_id",
      "s.created_by",
      "s.team_id",
      "s.starts_at",
      "s.ends_at",
    ])
    .where("g.id", "in", ids)
    .orderBy("g.id")
    .forUpdate("g")
    .execute();
}

/** Whose hours the caller may decide on: the same reach as overseeing a shift. */
export interface HoursScope {
  /** admins' and coordinators' areas, grid workers' grids */
  staffPaths: string[];
  /** grid workers' grids: a community-wide shift containing one is theirs too */
  gridPaths: string[];
  organisationIds: string[];
  userId: string;
}

function hoursScopeCondition(s: HoursScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [sql<SqlBool>`s.created_by = ${s.userId}`];
  if (s.staffPaths.length) parts.push(pathPrefixAny("s.area_path", s.staffPaths));
  for (const g of s.gridPaths) parts.push(sql<SqlBool>`${g} LIKE s.area_path || '%'`);
  if (s.organisationIds.length)
    parts.push(sql<SqlBool>`s.organisation_id IN (${idsIn(s.organisationIds)})`);
  parts.push(sql<SqlBool>`s.team_id IN ${LED_TEAMS(s.userId)}`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export async function hoursQueue(
  db: Db,
  f: {
    scope: HoursScope;
    status: HoursStatusValue;
    teamId?: string | undefined;
    q?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  let q = signups(db)
    .innerJoin("shifts as s", "s.id", "g.shift_id")
    .innerJoin("areas as a", "a.id", "s.area_id")
    .leftJoin("teams as t", "t.id", "s.team_id")
    .where("g.hours_status", "=", f.status)
    .where(hoursScopeCondition(f.scope))
    // Never one's own hours.
    .where("v.user_id", "<>", f.scope.userId);
  if (f.teamId) q = q.where("s.team_id", "=", f.teamId);
  if (f.q)
    q = q.where((eb) =>
      eb.or([
        eb("vu.display_name", "like", containsPattern(f.q as string)),
        eb("s.title", "like", containsPattern(f.q as string)),
      ]),
    );
  const total = await q
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow()
    .then((r) => r.n);
  const items = await q
    .select([
      ...SIGNUP_COLUMNS,
      "s.title as shift_title",
      "s.kind as shift_kind",
      "s.starts_at as shift_starts_at",
      "s.ends_at as shift_ends_at",
      "s.area_path as shift_area_path",
      "s.organisation_id as shift_organisation_id",
      "s.created_by as shift_created_by",
      "s.team_id as shift_team_id",
      "a.name as area_name",
      "t.name as team_name",
    ])
    // The queue oldest first (waiting longest); decisions newest first.
    .orderBy(
      f.status === "pending" ? "g.checked_out_at" : "g.verified_at",
      f.status === "pending" ? "asc" : "desc",
    )
    .orderBy("g.id", f.status === "pending" ? "asc" : "desc")
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items, total };
}

export function signupFacts(db: Db, id: string) {
  return db
    .selectFrom("shift_signups as g")
    .innerJoin("shifts as s", "s.id", "g.shift_id")
    .innerJoin("volunteers as v", "v.id", "g.volunteer_id")
    .select([
      "g.id",
      "v.user_id as volunteer_user_id",
      "s.area_path",
      "s.organisation_id",
      "s.created_by",
      "s.team_id",
    ])
    .where("g.id", "=", id)
    .executeTakeFirst();
}

export function signupHistory(db: Db, signupId: string) {
  return db
    .selectFrom("shift_signup_actions as x")
    .leftJoin("users as u", "u.id", "x.actor_user_id")
    .select([
      "x.id",
      "x.action",
      "u.display_name as actor",
      "x.old_minutes",
      "x.new_minutes",
      "x.old_checked_out_at",
      "x.new_checked_out_at",
      "x.reason",
      "x.created_at",
    ])
    .where("x.signup_id", "=", signupId)
    .orderBy("x.id")
    .execute();
}

// ------------------------------------------------------------ observations

/** Links a case to its shift; a link already written (a retried report) is returned as it is. */
export async function insertObservation(
  db: Db,
  row: { shift_id: string; signup_id: string; volunteer_id: string; case_id: string },
) {
  const inserted = await db
    .insertInto("shift_observations")
    .values(row)
    .onConflict((oc) => oc.column("case_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return (
    inserted ??
    db
      .selectFrom("shift_observations")
      .select("id")
      .where("case_id", "=", row.case_id)
      .executeTakeFirstOrThrow()
  );
}

export function observationsOf(db: Db, shiftId: string, onlyVolunteerId: string | null) {
  let q = db
    .selectFrom("shift_observations as o")
    .innerJoin("cases as c", "c.id", "o.case_id")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .innerJoin("volunteers as v", "v.id", "o.volunteer_id")
    .innerJoin("users as u", "u.id", "v.user_id")
    .select([
      "o.id",
      "o.case_id",
      "c.code",
      "c.status",
      "c.description",
      "cat.name as category_name",
      "u.display_name as volunteer",
      "o.created_at",
    ])
    .where("o.shift_id", "=", shiftId);
  if (onlyVolunteerId) q = q.where("o.volunteer_id", "=", onlyVolunteerId);
  return q.orderBy("o.id").execute();
}

// ---------------------------------------------------------- auto check-out

/**
 * Check-ins still open whose shift ended before `endedBefore`, locked, in id
 * order after `afterId`. Rows another run holds are skipped (SKIP LOCKED):
 * that run closes them.
 */
export function lockForgottenCheckIns(
  trx: Transaction<DB>,
  endedBefore: Date,
  afterId: string,
  limit: number,
) {
  return trx
    .selectFrom("shift_signups as g")
    .innerJoin("shifts as s", "s.id", "g.shift_id")
    .innerJoin("volunteers as v", "v.id", "g.volunteer_id")
    .select([
      "g.id",
      "g.version",
      "g.checked_in_at",
      "s.id as shift_id",
      "s.title as shift_title",
      "s.starts_at",
      "s.ends_at",
      "v.user_id as volunteer_user_id",
    ])
    .where("g.status", "=", "checked_in")
    .where("s.ends_at", "<=", endedBefore)
    .where("g.id", ">", afterId)
    .orderBy("g.id")
    .limit(limit)
    .forUpdate("g")
    .skipLocked()
    .execute();
}

/**
 * Minutes of patrol and visit attendances checked in within [since, until),
 * not rejected, per shift area under `rootPath`, with the volunteers who
 * served (for the grid risk index's patrol coverage).
 */
export async function patrolMinutesByArea(db: Db, rootPath: string, since: Date, until: Date) {
  const r = await sql<{ area_path: string; minutes: number; volunteers: number }>`
    SELECT sh.area_path, COALESCE(sum(s.minutes), 0)::int AS minutes,
      count(DISTINCT s.volunteer_id)::int AS volunteers
    FROM shifts sh JOIN shift_signups s ON s.shift_id = sh.id AND s.status <> 'cancelled'
    WHERE sh.kind IN ('patrol', 'visit') AND sh.area_path LIKE ${`${rootPath}%`}
      -- Check-in opens 30 minutes before a shift starts: the start bounds the shifts to read.
      AND sh.starts_at >= ${new Date(since.getTime() - 86_400_000)} AND sh.starts_at < ${until}
      AND s.checked_in_at >= ${since} AND s.checked_in_at < ${until}
      AND s.minutes IS NOT NULL AND s.hours_status IS DISTINCT FROM 'rejected'
    GROUP BY sh.area_path`.execute(db);
  return r.rows;
}

/**
 * Shifts open and inside their window at `now` under any of `paths`, with
 * their sign-ups and those checked in now; the busiest first. A shift lasts
 * at most 12 hours, which bounds the start to read by the index.
 */
export async function shiftsUnderWay(db: Db, paths: string[], now: Date, limit: number) {
  const r = await sql<{
    id: string;
    kind: ShiftKindValue;
    title: string;
    starts_at: Date;
    ends_at: Date;
    capacity: number;
    area_code: string;
    area_name: string;
    team: string | null;
    signed_up: number;
    on_duty: number;
    lat: number | null;
    lng: number | null;
  }>`
    SELECT sh.id::text, sh.kind, sh.title, sh.starts_at, sh.ends_at, sh.capacity,
      a.code AS area_code, a.name AS area_name, t.name AS team,
      count(s.id) FILTER (WHERE s.status <> 'cancelled')::int AS signed_up,
      count(s.id) FILTER (WHERE s.status = 'checked_in')::int AS on_duty,
      COALESCE(avg(s.check_in_lat) FILTER (WHERE s.status = 'checked_in'), a.centroid_lat) AS lat,
      COALESCE(avg(s.check_in_lng) FILTER (WHERE s.status = 'checked_in'), a.centroid_lng) AS lng
    FROM shifts sh
    JOIN areas a ON a.id = sh.area_id
    LEFT JOIN teams t ON t.id = sh.team_id
    LEFT JOIN shift_signups s ON s.shift_id = sh.id
    WHERE sh.status = 'open'
      AND sh.starts_at > ${new Date(now.getTime() - 12 * 3_600_000)} AND sh.starts_at <= ${now}
      AND sh.ends_at > ${now}
      AND ${pathPrefixAny("sh.area_path", paths)}
    GROUP BY sh.id, a.id, t.id
    ORDER BY on_duty DESC, sh.ends_at, sh.id
    LIMIT ${limit}`.execute(db);
  return r.rows;
}
