/** SQL for volunteers, teams, memberships and training records. No rules here. */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { AvailabilitySlot, TeamRoleValue } from "../../db/schema-volunteers.js";
import { containsPattern, pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

/** Who sees which volunteers, as data for SQL. */
export interface VolunteerScope {
  /** volunteers preferring a community under these paths, or in a team there */
  staffPaths: string[];
  /** members of these organisations' teams */
  organisationIds: string[];
  /** from these provinces (a hometown association's fellow-provincials) */
  organisationProvinces?: string[];
  /** the caller: themself, and members of the teams they lead */
  userId: string | null;
}

const idsIn = (ids: string[]) => sql.join(ids.map((i) => sql`${i}::bigint`));

export function volunteerScopeCondition(s: VolunteerScope): Expression<SqlBool> {
  const teamConds: Expression<SqlBool>[] = [];
  if (s.staffPaths.length) teamConds.push(pathPrefixAny("t.area_path", s.staffPaths));
  if (s.organisationIds.length)
    teamConds.push(sql<SqlBool>`t.organisation_id IN (${idsIn(s.organisationIds)})`);
  if (s.userId)
    teamConds.push(sql<SqlBool>`t.id IN (SELECT lm.team_id FROM team_members lm
      JOIN volunteers lv ON lv.id = lm.volunteer_id
      WHERE lv.user_id = ${s.userId} AND lm.role = 'leader' AND lm.left_at IS NULL)`);
  const parts: Expression<SqlBool>[] = [];
  if (s.staffPaths.length) parts.push(pathPrefixAny("v.area_path", s.staffPaths));
  if (teamConds.length)
    parts.push(sql<SqlBool>`EXISTS (SELECT 1 FROM team_members m JOIN teams t ON t.id = m.team_id
      WHERE m.volunteer_id = v.id AND m.left_at IS NULL AND t.active
        AND (${sql.join(teamConds, sql` OR `)}))`);
  if (s.userId) parts.push(sql<SqlBool>`v.user_id = ${s.userId}`);
  if (s.organisationProvinces?.length)
    parts.push(sql<SqlBool>`v.origin_province = ANY(${s.organisationProvinces}::text[])`);
  if (!parts.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** The provinces of these associations (hometown associations list theirs). */
export async function provincesOfOrganisations(db: Db, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom("organisations")
    .select("provinces")
    .where("id", "in", ids)
    .where("kind", "=", "association")
    .execute();
  return [...new Set(rows.flatMap((r) => r.provinces))];
}

export function findOrganisation(db: Db, id: string) {
  return db
    .selectFrom("organisations")
    .select(["id", "kind", "name"])
    .where("id", "=", id)
    .executeTakeFirst();
}

const VOLUNTEER_COLUMNS = [
  "v.id",
  "v.user_id",
  "v.resident_id",
  "v.area_id",
  "v.area_path",
  sql<string[]>`v.preferred_area_ids::text[]`.as("preferred_area_ids"),
  "v.status",
  "v.skills",
  "v.languages",
  "v.dialects",
  "v.origin_province",
  "v.availability",
  "v.bio",
  "v.version",
  "v.created_at",
  "u.display_name as name",
  sql<number>`COALESCE((SELECT sum(s.minutes) FROM shift_signups s
    WHERE s.volunteer_id = v.id AND s.hours_status = 'verified'), 0)::int`.as("verified_minutes"),
] as const;

function volunteers(db: Db) {
  return db.selectFrom("volunteers as v").innerJoin("users as u", "u.id", "v.user_id");
}

export function findVolunteer(db: Db, id: string) {
  return volunteers(db).select(VOLUNTEER_COLUMNS).where("v.id", "=", id).executeTakeFirst();
}
export type VolunteerRow = NonNullable<Awaited<ReturnType<typeof findVolunteer>>>;

export function findVolunteerByUser(db: Db, userId: string) {
  return volunteers(db)
    .select(VOLUNTEER_COLUMNS)
    .where("v.user_id", "=", userId)
    .executeTakeFirst();
}

/** The volunteer's row, locked for the rest of the transaction (sign-ups queue behind it). */
export function lockVolunteer(db: Db, id: string) {
  return db
    .selectFrom("volunteers")
    .select(["id", "user_id", "status"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function isVisible(db: Db, id: string, scope: VolunteerScope) {
  const r = await db
    .selectFrom("volunteers as v")
    .select("v.id")
    .where("v.id", "=", id)
    .where(volunteerScopeCondition(scope))
    .executeTakeFirst();
  return r !== undefined;
}

export interface NewVolunteer {
  user_id: string;
  resident_id: string | null;
  area_id: string;
  area_path: string;
  preferred_area_ids: string[];
  skills: string[];
  languages: string[];
  dialects: string[];
  origin_province: string | null;
  availability: AvailabilitySlot[];
  bio: string | null;
}

/** Inserts the profile; undefined when the account has one already. */
export function insertVolunteer(db: Db, v: NewVolunteer) {
  return db
    .insertInto("volunteers")
    .values({
      ...v,
      preferred_area_ids: sql<string[]>`${v.preferred_area_ids}::bigint[]`,
      availability: JSON.stringify(v.availability),
    })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .returning("id")
    .executeTakeFirst();
}

export function updateVolunteer(
  db: Db,
  id: string,
  version: number,
  set: Partial<Omit<NewVolunteer, "user_id" | "resident_id">> & {
    status?: "active" | "withdrawn";
  },
) {
  const { availability, preferred_area_ids, ...rest } = set;
  return db
    .updateTable("volunteers")
    .set({
      ...rest,
      ...(availability ? { availability: JSON.stringify(availability) } : {}),
      ...(preferred_area_ids
        ? { preferred_area_ids: sql<string[]>`${preferred_area_ids}::bigint[]` }
        : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

export function residentOfUser(db: Db, userId: string) {
  return db
    .selectFrom("residents as r")
    .select(["r.id", "r.origin_province", "r.area_path"])
    .where("r.user_id", "=", userId)
    .executeTakeFirst();
}

export function areasByCodes(db: Db, codes: string[]) {
  if (!codes.length) return Promise.resolve([]);
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "level", "path", "centroid_lat", "centroid_lng"])
    .where("code", "in", codes)
    .execute();
}

export function areasByIds(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "level", "path"])
    .where("id", "in", ids)
    .execute();
}

/** Every community with its street, for the sign-up form's picker. */
export function communities(db: Db) {
  return db
    .selectFrom("areas as c")
    .innerJoin("areas as s", "s.id", "c.parent_id")
    .select(["c.code", "c.name", "s.name as street"])
    .where("c.level", "=", "community")
    .orderBy("c.code")
    .execute();
}

/** The community whose path starts `path` (a grid's or a unit's community). */
export function communityOnPath(db: Db, path: string) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path"])
    .where("level", "=", "community")
    .where(sql<SqlBool>`${path} LIKE path || '%'`)
    .executeTakeFirst();
}

export interface VolunteerFilter {
  scope: VolunteerScope;
  q?: string | undefined;
  skill?: string | undefined;
  dialect?: string | undefined;
  language?: string | undefined;
  originProvince?: string | undefined;
  areaPath?: string | undefined;
  teamId?: string | undefined;
  status?: string | undefined;
  weekday?: number | undefined;
  slot?: string | undefined;
  sort: "name" | "-createdAt" | "createdAt" | "-hours";
  limit: number;
  offset: number;
}

export async function listVolunteers(db: Db, f: VolunteerFilter) {
  let q = volunteers(db).where(volunteerScopeCondition(f.scope));
  if (f.q) q = q.where("u.display_name", "like", containsPattern(f.q));
  if (f.skill) q = q.where(sql<SqlBool>`${f.skill} = ANY(v.skills)`);
  if (f.dialect) q = q.where(sql<SqlBool>`${f.dialect} = ANY(v.dialects)`);
  if (f.language) q = q.where(sql<SqlBool>`${f.language} = ANY(v.languages)`);
  if (f.originProvince) q = q.where("v.origin_province", "=", f.originProvince);
  if (f.areaPath) q = q.where(pathPrefixAny("v.area_path", [f.areaPath]));
  if (f.status) q = q.where("v.status", "=", f.status as "active");
  if (f.teamId)
    q = q.where(
      sql<SqlBool>`EXISTS (SELECT 1 FROM team_members fm WHERE fm.volunteer_id = v.id
        AND fm.team_id = ${f.teamId} AND fm.left_at IS NULL)`,
    );
  if (f.weekday || f.slot) {
    const want = JSON.stringify([
      { ...(f.weekday ? { weekday: f.weekday } : {}), ...(f.slot ? { slot: f.slot } : {}) },
    ]);
    q = q.where(sql<SqlBool>`v.availability @> ${want}::jsonb`);
  }
  const total = await q
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow()
    .then((r) => r.n);
  let page = q.select(VOLUNTEER_COLUMNS);
  page =
    f.sort === "name"
      ? page.orderBy("u.display_name").orderBy("v.id")
      : f.sort === "createdAt"
        ? page.orderBy("v.created_at").orderBy("v.id")
        : f.sort === "-createdAt"
          ? page.orderBy("v.created_at", "desc").orderBy("v.id", "desc")
          : page.orderBy(sql`verified_minutes`, "desc").orderBy("v.id");
  const items = await page.limit(f.limit).offset(f.offset).execute();
  return { items, total };
}

/** The open memberships of these volunteers, with their teams' names. */
export function teamsOfVolunteers(db: Db, volunteerIds: string[]) {
  if (!volunteerIds.length) return Promise.resolve([]);
  return db
    .selectFrom("team_members as m")
    .innerJoin("teams as t", "t.id", "m.team_id")
    .select(["m.volunteer_id", "t.id", "t.name", "m.role"])
    .where("m.volunteer_id", "in", volunteerIds)
    .where("m.left_at", "is", null)
    .where("t.active", "=", true)
    .orderBy("t.name")
    .execute();
}

export async function volunteerStats(db: Db, volunteerId: string) {
  const r = await sql<{
    signed_up: number;
    attended: number;
    pending_minutes: number;
    observations: number;
  }>`
    SELECT
      count(*) FILTER (WHERE s.status <> 'cancelled')::int AS signed_up,
      count(*) FILTER (WHERE s.checked_in_at IS NOT NULL)::int AS attended,
      COALESCE(sum(s.minutes) FILTER (WHERE s.hours_status = 'pending'), 0)::int AS pending_minutes,
      (SELECT count(*) FROM shift_observations o WHERE o.volunteer_id = ${volunteerId})::int AS observations
    FROM shift_signups s WHERE s.volunteer_id = ${volunteerId}`.execute(db);
  return r.rows[0] ?? { signed_up: 0, attended: 0, pending_minutes: 0, observations: 0 };
}

export function trainingOf(db: Db, volunteerId: string) {
  return db
    .selectFrom("training_records as tr")
    .leftJoin("users as u", "u.id", "tr.recorded_by")
    .select([
      "tr.id",
      "tr.title",
      "tr.issuer",
      "tr.issued_on",
      "tr.valid_until",
      "tr.certificate_no",
      "u.display_name as recorded_by",
    ])
    .where("tr.volunteer_id", "=", volunteerId)
    .orderBy("tr.issued_on", "desc")
    .orderBy("tr.id", "desc")
    .execute();
}

export function insertTraining(
  db: Db,
  row: {
    volunteer_id: string;
    title: string;
    issuer: string;
    issued_on: string;
    valid_until: string | null;
    certificate_no: string | null;
    recorded_by: string;
  },
) {
  return db.insertInto("training_records").values(row).returning("id").executeTakeFirstOrThrow();
}

/** The teams this account leads now. */
export function teamsLedBy(db: Db, userId: string) {
  return db
    .selectFrom("team_members as m")
    .innerJoin("volunteers as v", "v.id", "m.volunteer_id")
    .innerJoin("teams as t", "t.id", "m.team_id")
    .select(["t.id", "t.name"])
    .where("v.user_id", "=", userId)
    .where("m.role", "=", "leader")
    .where("m.left_at", "is", null)
    .where("t.active", "=", true)
    .orderBy("t.name")
    .execute();
}

/** The cases this account was invited to mediate (a volunteer's 调解任务). */
/** Mediator parties joined before invitations existed (migration 0035): no invitation row. */
export function legacyMediationsOf(db: Db, userId: string) {
  return db
    .selectFrom("case_parties as p")
    .innerJoin("cases as c", "c.id", "p.case_id")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .leftJoin("areas as g", "g.id", "c.grid_id")
    .leftJoin("areas as com", "com.id", "g.parent_id")
    .select([
      "c.id",
      "c.code",
      "c.status",
      "cat.name as category_name",
      "com.name as community",
      "p.task",
      "p.status as task_status",
      "p.created_at",
    ])
    .where("p.user_id", "=", userId)
    .where("p.role", "=", "mediator")
    .where("p.active", "=", true)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("mediation_invitations as mi")
            .select("mi.id")
            .whereRef("mi.party_id", "=", "p.id"),
        ),
      ),
    )
    .orderBy("p.id", "desc")
    .limit(50)
    .execute();
}

const INVITATION_COLUMNS = [
  "mi.id",
  "mi.case_id",
  "mi.volunteer_id",
  "mi.user_id",
  "mi.task",
  "mi.invited_by",
  "mi.status",
  "mi.reason",
  "mi.party_id",
  "mi.responded_at",
  "mi.created_at",
  "c.code",
  "c.status as case_status",
  "c.description",
  "cat.name as category_name",
  "com.name as community",
  "inviter.display_name as invited_by_name",
  "p.status as task_status",
] as const;

function invitations(db: Db) {
  return db
    .selectFrom("mediation_invitations as mi")
    .innerJoin("cases as c", "c.id", "mi.case_id")
    .innerJoin("case_categories as cat", "cat.code", "c.category_code")
    .leftJoin("areas as g", "g.id", "c.grid_id")
    .leftJoin("areas as com", "com.id", "g.parent_id")
    .leftJoin("users as inviter", "inviter.id", "mi.invited_by")
    .leftJoin("case_parties as p", "p.id", "mi.party_id");
}

/** My invitations to mediate, newest first (pending ones, then the answered). */
export function invitationsOf(db: Db, userId: string) {
  return invitations(db)
    .select(INVITATION_COLUMNS)
    .where("mi.user_id", "=", userId)
    .orderBy(sql`mi.status = 'pending'`, "desc")
    .orderBy("mi.id", "desc")
    .limit(50)
    .execute();
}
export type InvitationRow = Awaited<ReturnType<typeof invitationsOf>>[number];

/** One of my invitations, locked for the rest of the transaction (answers queue behind it). */
export async function lockInvitation(trx: Transaction<DB>, id: string, userId: string) {
  const locked = await trx
    .selectFrom("mediation_invitations")
    .select("id")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) return undefined;
  return invitations(trx).select(INVITATION_COLUMNS).where("mi.id", "=", id).executeTakeFirst();
}

/** The accounts with an invitation to this case still waiting for an answer. */
export async function pendingInviteeUserIds(db: Db, caseId: string) {
  const rows = await db
    .selectFrom("mediation_invitations")
    .select("user_id")
    .where("case_id", "=", caseId)
    .where("status", "=", "pending")
    .execute();
  return rows.map((r) => r.user_id);
}

/** A new pending invitation; undefined when one is already pending (the partial unique index). */
export async function insertInvitation(
  trx: Transaction<DB>,
  row: {
    case_id: string;
    volunteer_id: string;
    user_id: string;
    task: string;
    invited_by: string | null;
  },
) {
  return trx
    .insertInto("mediation_invitations")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["case_id", "user_id"]).where("status", "=", "pending").doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
}

export async function answerInvitation(
  trx: Transaction<DB>,
  id: string,
  answer:
    | { status: "accepted"; party_id: string; at: Date }
    | { status: "declined"; reason: string; at: Date },
) {
  await trx
    .updateTable("mediation_invitations")
    .set({
      status: answer.status,
      responded_at: answer.at,
      party_id: answer.status === "accepted" ? answer.party_id : null,
      reason: answer.status === "declined" ? answer.reason : null,
    })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

// ------------------------------------------------------------------ teams

/** Who sees which teams (staff in their area, organisations theirs, members theirs). */
export interface TeamScope {
  staffPaths: string[];
  organisationIds: string[];
  userId: string | null;
}

function teamScopeCondition(s: TeamScope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (s.staffPaths.length) parts.push(pathPrefixAny("t.area_path", s.staffPaths));
  if (s.organisationIds.length)
    parts.push(sql<SqlBool>`t.organisation_id IN (${idsIn(s.organisationIds)})`);
  if (s.userId)
    parts.push(sql<SqlBool>`EXISTS (SELECT 1 FROM team_members sm JOIN volunteers sv ON sv.id = sm.volunteer_id
      WHERE sm.team_id = t.id AND sm.left_at IS NULL AND sv.user_id = ${s.userId})`);
  if (!parts.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

const TEAM_COLUMNS = [
  "t.id",
  "t.name",
  "t.kind",
  "t.area_id",
  "t.area_path",
  "t.organisation_id",
  "t.description",
  "t.created_at",
  "a.code as area_code",
  "a.name as area_name",
  "o.name as organisation_name",
  sql<number>`(SELECT count(*) FROM team_members cm WHERE cm.team_id = t.id AND cm.left_at IS NULL)::int`.as(
    "members",
  ),
  sql<string[]>`ARRAY(SELECT lu.display_name FROM team_members lm
    JOIN volunteers lv ON lv.id = lm.volunteer_id JOIN users lu ON lu.id = lv.user_id
    WHERE lm.team_id = t.id AND lm.left_at IS NULL AND lm.role = 'leader' ORDER BY lm.id)`.as(
    "leaders",
  ),
] as const;

function teams(db: Db) {
  return db
    .selectFrom("teams as t")
    .innerJoin("areas as a", "a.id", "t.area_id")
    .leftJoin("organisations as o", "o.id", "t.organisation_id");
}

export function findTeam(db: Db, id: string) {
  return teams(db)
    .select(TEAM_COLUMNS)
    .where("t.id", "=", id)
    .where("t.active", "=", true)
    .executeTakeFirst();
}
export type TeamRow = NonNullable<Awaited<ReturnType<typeof findTeam>>>;

export async function teamVisible(db: Db, id: string, scope: TeamScope) {
  const r = await db
    .selectFrom("teams as t")
    .select("t.id")
    .where("t.id", "=", id)
    .where(teamScopeCondition(scope))
    .executeTakeFirst();
  return r !== undefined;
}

export async function listTeams(
  db: Db,
  f: {
    scope: TeamScope;
    q?: string | undefined;
    kind?: string | undefined;
    areaPath?: string | undefined;
    /** only these teams (the caller's manageable ones) */
    manageable?: { staffPaths: string[]; organisationIds: string[] } | undefined;
    limit: number;
    offset: number;
  },
) {
  let q = teams(db).where("t.active", "=", true).where(teamScopeCondition(f.scope));
  if (f.q) q = q.where("t.name", "like", containsPattern(f.q));
  if (f.kind) q = q.where("t.kind", "=", f.kind as "community");
  if (f.areaPath) q = q.where(pathPrefixAny("t.area_path", [f.areaPath]));
  if (f.manageable) {
    const m = f.manageable;
    q = q.where(
      teamScopeCondition({
        staffPaths: m.staffPaths,
        organisationIds: m.organisationIds,
        userId: null,
      }),
    );
  }
  const total = await q
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow()
    .then((r) => r.n);
  const items = await q
    .select(TEAM_COLUMNS)
    .orderBy("t.name")
    .orderBy("t.id")
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items, total };
}

/** Inserts a team; undefined when an active team of that name exists in the community. */
export function insertTeam(
  db: Db,
  row: {
    name: string;
    kind: "community" | "enterprise" | "association";
    area_id: string;
    area_path: string;
    organisation_id: string | null;
    description: string | null;
    created_by: string;
  },
) {
  return db
    .insertInto("teams")
    .values(row)
    .onConflict((oc) => oc.columns(["area_path", "name"]).where("active", "=", true).doNothing())
    .returning("id")
    .executeTakeFirst();
}

export function teamMembers(db: Db, teamId: string) {
  return db
    .selectFrom("team_members as m")
    .innerJoin("volunteers as v", "v.id", "m.volunteer_id")
    .innerJoin("users as u", "u.id", "v.user_id")
    .select([
      "m.volunteer_id",
      "m.role",
      "m.joined_at",
      "u.display_name as name",
      "v.skills",
      "v.dialects",
      sql<number>`COALESCE((SELECT sum(s.minutes) FROM shift_signups s
        WHERE s.volunteer_id = v.id AND s.hours_status = 'verified'), 0)::int`.as(
        "verified_minutes",
      ),
    ])
    .where("m.team_id", "=", teamId)
    .where("m.left_at", "is", null)
    .orderBy(sql`m.role = 'leader'`, "desc")
    .orderBy("u.display_name")
    .execute();
}

/** The team row locked, so member changes of one team queue. */
export function lockTeam(db: Db, id: string) {
  return db
    .selectFrom("teams")
    .select(["id", "version"])
    .where("id", "=", id)
    .where("active", "=", true)
    .forUpdate()
    .executeTakeFirst();
}

export function openMembership(db: Db, teamId: string, volunteerId: string) {
  return db
    .selectFrom("team_members")
    .select(["id", "role"])
    .where("team_id", "=", teamId)
    .where("volunteer_id", "=", volunteerId)
    .where("left_at", "is", null)
    .executeTakeFirst();
}

export function insertMember(db: Db, teamId: string, volunteerId: string, role: TeamRoleValue) {
  return db
    .insertInto("team_members")
    .values({ team_id: teamId, volunteer_id: volunteerId, role })
    .onConflict((oc) =>
      oc.columns(["team_id", "volunteer_id"]).where("left_at", "is", null).doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
}

export function setMemberRole(db: Db, membershipId: string, role: TeamRoleValue) {
  return db
    .updateTable("team_members")
    .set({ role })
    .where("id", "=", membershipId)
    .returning("id")
    .executeTakeFirst();
}

export function endMembership(db: Db, membershipId: string) {
  return db
    .updateTable("team_members")
    .set({ left_at: sql`now()` })
    .where("id", "=", membershipId)
    .where("left_at", "is", null)
    .returning("id")
    .executeTakeFirst();
}

/** Is this account a member (leader or not) of the team now? */
export async function isMember(db: Db, teamId: string, userId: string) {
  const r = await db
    .selectFrom("team_members as m")
    .innerJoin("volunteers as v", "v.id", "m.volunteer_id")
    .select("m.id")
    .where("m.team_id", "=", teamId)
    .where("v.user_id", "=", userId)
    .where("m.left_at", "is", null)
    .executeTakeFirst();
  return r !== undefined;
}

/** Accounts leading the team now. */
export async function teamLeaderUserIds(db: Db, teamId: string | null): Promise<string[]> {
  if (!teamId) return [];
  const rows = await db
    .selectFrom("team_members as m")
    .innerJoin("volunteers as v", "v.id", "m.volunteer_id")
    .select("v.user_id")
    .where("m.team_id", "=", teamId)
    .where("m.role", "=", "leader")
    .where("m.left_at", "is", null)
    .execute();
  return rows.map((r) => r.user_id);
}

/** The teams (ids) a volunteer is in now, with the team's facts for policies. */
export function teamsWithFactsOf(db: Db, volunteerId: string) {
  return db
    .selectFrom("team_members as m")
    .innerJoin("teams as t", "t.id", "m.team_id")
    .select(["t.id", "t.kind", "t.area_path", "t.organisation_id"])
    .where("m.volunteer_id", "=", volunteerId)
    .where("m.left_at", "is", null)
    .where("t.active", "=", true)
    .execute();
}

// -------------------------------------------------------------- mediation

/**
 * Active volunteers whose origin is `province` or who speak one of
 * `dialects`, best matches first (both, then mediation skill, then verified
 * hours). Hometown mediation reaches across the district.
 */
export function mediatorCandidates(
  db: Db,
  f: { province: string | null; dialects: string[]; excludeUserIds: string[]; limit: number },
) {
  const provinceMatch = f.province
    ? sql<boolean>`(v.origin_province = ${f.province})`
    : sql<boolean>`false`;
  const dialectMatch = f.dialects.length
    ? sql<boolean>`(v.dialects && ${f.dialects}::text[])`
    : sql<boolean>`false`;
  let q = volunteers(db)
    .leftJoin("areas as pa", "pa.id", "v.area_id")
    .select([
      ...VOLUNTEER_COLUMNS,
      "pa.name as community_name",
      provinceMatch.as("province_match"),
      dialectMatch.as("dialect_match"),
      sql<boolean>`('mediation' = ANY(v.skills))`.as("skill_match"),
    ])
    .where("v.status", "=", "active")
    .where(sql<SqlBool>`(${provinceMatch} OR ${dialectMatch})`);
  if (f.excludeUserIds.length) q = q.where("v.user_id", "not in", f.excludeUserIds);
  return q
    .orderBy(sql`(${provinceMatch})::int + (${dialectMatch})::int`, "desc")
    .orderBy(sql`('mediation' = ANY(v.skills))`, "desc")
    .orderBy(sql`verified_minutes`, "desc")
    .orderBy("v.id")
    .limit(f.limit)
    .execute();
}

export async function countMediatorCandidates(
  db: Db,
  f: { province: string | null; dialects: string[]; excludeUserIds: string[] },
) {
  let q = db
    .selectFrom("volunteers as v")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("v.status", "=", "active")
    .where(
      sql<SqlBool>`(${f.province ? sql`v.origin_province = ${f.province}` : sql`false`} OR ${
        f.dialects.length ? sql`v.dialects && ${f.dialects}::text[]` : sql`false`
      })`,
    );
  if (f.excludeUserIds.length) q = q.where("v.user_id", "not in", f.excludeUserIds);
  return (await q.executeTakeFirstOrThrow()).n;
}

export function originOfUser(db: Db, userId: string) {
  return db
    .selectFrom("residents")
    .select("origin_province")
    .where("user_id", "=", userId)
    .executeTakeFirst();
}
