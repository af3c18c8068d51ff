/**
 * SQL of points: the sources that earn points (read from the volunteers,
 * cases and proposals tables), the ledger and the derived balances, and the
 * facts behind participation depth. No rules here.
 */
import { type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { PointsLedgerTable } from "../../db/schema-points.js";

type Db = Kysely<DB> | Transaction<DB>;

const CHINA = "Asia/Shanghai";

/** One earning source as the rules see it: what it would pay now, uncapped. */
export interface SourceRow {
  rule:
    | "verified_hours"
    | "tip_resolved"
    | "mediation_closed"
    | "proposal_adopted"
    | "proposal_partly_adopted";
  source_type: "shift_signup" | "case" | "proposal";
  source_id: string;
  user_id: string;
  occurred_on: string;
  /** verified minutes (hours only); 0 when not (or no longer) payable */
  minutes: number;
  /** false when the source no longer pays (rejected hours, self-verified) */
  payable: boolean;
}

const usersFilter = (column: string, userIds: readonly string[] | null) =>
  userIds === null
    ? sql<SqlBool>`true`
    : sql<SqlBool>`${sql.ref(column)} IN (${sql.join(userIds.length ? userIds : ["0"])})`;

/**
 * Every source that pays (or paid) the given users (all users when null):
 * verified service hours, tips that led to a resolved case, mediations of
 * dispute cases that closed, and accepted proposals. Hours that were paid
 * and are now rejected or reduced come too, so the award can be corrected.
 */
export async function sources(db: Db, userIds: readonly string[] | null): Promise<SourceRow[]> {
  const r = await sql<SourceRow>`
    SELECT 'verified_hours' AS rule, 'shift_signup' AS source_type, s.id::text AS source_id,
      v.user_id::text AS user_id,
      to_char(timezone(${CHINA}, s.checked_in_at), 'YYYY-MM-DD') AS occurred_on,
      coalesce(s.minutes, 0) AS minutes,
      (s.hours_status = 'verified' AND s.verified_by IS DISTINCT FROM v.user_id) AS payable
    FROM shift_signups s JOIN volunteers v ON v.id = s.volunteer_id
    WHERE s.checked_in_at IS NOT NULL AND s.hours_status IS NOT NULL
      AND ${usersFilter("v.user_id", userIds)}
      AND (s.hours_status = 'verified' OR EXISTS (
        SELECT 1 FROM points_ledger l WHERE l.rule = 'verified_hours'
          AND l.source_type = 'shift_signup' AND l.source_id = s.id))
    UNION ALL
    SELECT 'tip_resolved', 'case', c.id::text, c.reporter_user_id::text,
      to_char(timezone(${CHINA}, c.resolved_at), 'YYYY-MM-DD'), 0, true
    FROM cases c
    WHERE c.reporter_user_id IS NOT NULL AND c.resolved_at IS NOT NULL
      AND c.channel IN ('web', 'volunteer')
      AND c.dispatched_at IS NOT NULL AND c.status NOT IN ('withdrawn', 'merged')
      AND ${usersFilter("c.reporter_user_id", userIds)}
    UNION ALL
    SELECT 'mediation_closed', 'case', c.id::text, p.user_id::text,
      to_char(timezone(${CHINA}, c.closed_at), 'YYYY-MM-DD'), 0, true
    FROM case_parties p JOIN cases c ON c.id = p.case_id
    WHERE p.user_id IS NOT NULL AND p.role = 'mediator' AND c.status = 'closed'
      AND c.closed_at IS NOT NULL AND c.category_code LIKE 'dispute.%'
      AND ${usersFilter("p.user_id", userIds)}
    UNION ALL
    SELECT CASE WHEN pr.answer = 'accepted' THEN 'proposal_adopted' ELSE 'proposal_partly_adopted' END,
      'proposal', pr.id::text, pr.proposer_user_id::text,
      to_char(timezone(${CHINA}, pr.answered_at), 'YYYY-MM-DD'), 0, true
    FROM proposals pr
    WHERE pr.answer IN ('accepted', 'partly_accepted')
      AND ${usersFilter("pr.proposer_user_id", userIds)}
  `.execute(db);
  return r.rows.map((x) => ({ ...x, minutes: Number(x.minutes) }));
}

/** The users' ledger entries, oldest first (the rules replay them). */
export function entriesOf(db: Db, userIds: readonly string[] | null) {
  let q = db
    .selectFrom("points_ledger")
    .select([
      "id",
      "user_id",
      "amount",
      "rule",
      "source_type",
      "source_id",
      "occurred_on",
      "uncapped",
      "corrects_id",
    ])
    .orderBy("id");
  if (userIds !== null) q = q.where("user_id", "in", userIds.length ? userIds : ["0"]);
  return q.execute();
}

export type NewEntry = Omit<PointsLedgerTable, "id" | "created_at">;

/** Appends entries; awards already written (by a concurrent run) are skipped. */
export async function appendEntries(db: Db, rows: NewEntry[]) {
  let written = 0;
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const r = await db
      .insertInto("points_ledger")
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(["rule", "source_type", "source_id", "user_id"])
          .where("rule", "<>", "correction")
          .doNothing(),
      )
      .returning("id")
      .execute();
    written += r.length;
  }
  return written;
}

/**
 * Serialises point writes until the transaction ends: for these users (a
 * shared hold on everyone's lock, then each user's own), or for everyone
 * (null: the job that reconciles the whole ledger).
 */
export async function lockUsers(trx: Transaction<DB>, userIds: readonly string[] | null) {
  if (userIds === null) {
    await sql`SELECT pg_advisory_xact_lock(hashtext('points:*'))`.execute(trx);
    return;
  }
  await sql`SELECT pg_advisory_xact_lock_shared(hashtext('points:*'))`.execute(trx);
  for (const id of [...new Set(userIds)].sort())
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`points:${id}`}))`.execute(trx);
}

export function findEntry(db: Db, id: string) {
  return db.selectFrom("points_ledger").selectAll().where("id", "=", id).executeTakeFirst();
}

export function balanceOf(db: Db, userId: string) {
  return db
    .selectFrom("points_balances")
    .select(["balance", "earned", "entries"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** What a correction may still take back from an entry: the entry and its corrections. */
export async function correctedTotal(db: Db, entryId: string) {
  const r = await db
    .selectFrom("points_ledger")
    .select((eb) => eb.fn.sum<string>("amount").as("total"))
    .where((eb) => eb.or([eb("id", "=", entryId), eb("corrects_id", "=", entryId)]))
    .executeTakeFirst();
  return Number(r?.total ?? 0);
}

export function statement(
  db: Db,
  userId: string,
  f: { from?: string | undefined; to?: string | undefined; limit: number; offset: number },
) {
  let q = db
    .selectFrom("points_ledger as l")
    .leftJoin("users as u", "u.id", "l.created_by")
    .where("l.user_id", "=", userId);
  if (f.from) q = q.where("l.occurred_on", ">=", f.from);
  if (f.to) q = q.where("l.occurred_on", "<=", f.to);
  return Promise.all([
    q
      .select([
        "l.id",
        "l.amount",
        "l.rule",
        "l.source_type",
        "l.source_id",
        "l.occurred_on",
        "l.uncapped",
        "l.capped_by",
        "l.note",
        "l.corrects_id",
        "l.created_at",
        "u.display_name as created_by_name",
      ])
      .orderBy("l.occurred_on", "desc")
      .orderBy("l.id", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
}

/** What each source was: the shift, the case or the proposal, for a statement's lines. */
export async function sourceLabels(db: Db, refs: { type: string; id: string }[]) {
  const ids = (t: string) => refs.filter((r) => r.type === t).map((r) => r.id);
  const [shifts, cases, proposals] = await Promise.all([
    ids("shift_signup").length
      ? db
          .selectFrom("shift_signups as s")
          .innerJoin("shifts as sh", "sh.id", "s.shift_id")
          .select(["s.id", "sh.title", "s.minutes"])
          .where("s.id", "in", ids("shift_signup"))
          .execute()
      : [],
    ids("case").length
      ? db.selectFrom("cases").select(["id", "code"]).where("id", "in", ids("case")).execute()
      : [],
    ids("proposal").length
      ? db
          .selectFrom("proposals")
          .select(["id", "title"])
          .where("id", "in", ids("proposal"))
          .execute()
      : [],
  ]);
  const out = new Map<string, string>();
  for (const s of shifts) out.set(`shift_signup:${s.id}`, `${s.title}（${s.minutes ?? 0} 分钟）`);
  for (const c of cases) out.set(`case:${c.id}`, c.code);
  for (const p of proposals) out.set(`proposal:${p.id}`, p.title);
  return out;
}

export async function setLeaderboard(db: Db, userId: string, on: boolean) {
  await db
    .insertInto("points_preferences")
    .values({ user_id: userId, leaderboard: on })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({ leaderboard: on, updated_at: new Date() }),
    )
    .execute();
}

export async function leaderboardPreference(db: Db, userId: string) {
  const r = await db
    .selectFrom("points_preferences")
    .select("leaderboard")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return r?.leaderboard ?? false;
}

/**
 * Where a person belongs for leaderboards and participation figures: the
 * community of their volunteer profile, else of their residence.
 */
const COMMUNITY_OF = sql`coalesce(v.area_path, r.area_path)`;

/** The opted-in people of a community (path prefix) by balance. */
export function leaderboard(db: Db, communityPath: string, limit: number) {
  return sql<{ user_id: string; display_name: string; balance: number; earned: number }>`
    SELECT b.user_id::text, u.display_name, b.balance, b.earned
    FROM points_balances b
    JOIN points_preferences pp ON pp.user_id = b.user_id AND pp.leaderboard
    JOIN users u ON u.id = b.user_id
    LEFT JOIN volunteers v ON v.user_id = b.user_id
    LEFT JOIN residents r ON r.user_id = b.user_id
    WHERE ${COMMUNITY_OF} LIKE ${`${communityPath}%`}
    ORDER BY b.balance DESC, b.user_id
    LIMIT ${limit}`.execute(db);
}

/** The first date of each kind of act, per person of a community (or one person). */
export interface FactsRow {
  user_id: string;
  signed_up: string | null;
  reported: string | null;
  verified_work: string | null;
  case_party: string | null;
  tip_resolved: string | null;
  mediation_closed: string | null;
  proposed_or_supported: string | null;
  proposal_adopted: string | null;
  /** months (YYYY-MM) with any act in the last 3 months, for retention */
  active_months: string[];
}

export async function participationFacts(
  db: Db,
  who: { communityPath: string } | { userId: string } | { organisationId: string },
  since3Months: Date,
): Promise<FactsRow[]> {
  const people =
    "userId" in who
      ? sql`SELECT ${who.userId}::bigint AS user_id`
      : "organisationId" in who
        ? // Members now of the organisation's active teams.
          sql`SELECT DISTINCT v.user_id FROM teams t
            JOIN team_members tm ON tm.team_id = t.id AND tm.left_at IS NULL
            JOIN volunteers v ON v.id = tm.volunteer_id
            WHERE t.organisation_id = ${who.organisationId} AND t.active`
        : sql`SELECT v.user_id FROM volunteers v WHERE v.area_path LIKE ${`${who.communityPath}%`}
            UNION
            SELECT r.user_id FROM residents r
            WHERE r.user_id IS NOT NULL AND r.area_path LIKE ${`${who.communityPath}%`}`;
  const day = (e: string) => sql.raw(`to_char(timezone('${CHINA}', ${e}), 'YYYY-MM-DD')`);
  const r = await sql<FactsRow>`
    WITH p AS (${people})
    SELECT p.user_id::text AS user_id,
      (SELECT ${day("min(v.created_at)")} FROM volunteers v WHERE v.user_id = p.user_id) AS signed_up,
      (SELECT ${day("min(c.created_at)")} FROM cases c WHERE c.reporter_user_id = p.user_id) AS reported,
      (SELECT ${day("min(s.checked_in_at)")} FROM shift_signups s JOIN volunteers v ON v.id = s.volunteer_id
         JOIN shifts sh ON sh.id = s.shift_id
         WHERE v.user_id = p.user_id AND s.hours_status = 'verified' AND sh.kind IN ('patrol', 'visit'))
        AS verified_work,
      (SELECT ${day("min(cp.created_at)")} FROM case_parties cp WHERE cp.user_id = p.user_id) AS case_party,
      (SELECT ${day("min(c.resolved_at)")} FROM cases c WHERE c.reporter_user_id = p.user_id
         AND c.resolved_at IS NOT NULL AND c.dispatched_at IS NOT NULL
         AND c.status NOT IN ('withdrawn', 'merged')) AS tip_resolved,
      (SELECT ${day("min(c.closed_at)")} FROM case_parties cp JOIN cases c ON c.id = cp.case_id
         WHERE cp.user_id = p.user_id AND cp.role = 'mediator' AND c.status = 'closed'
           AND c.category_code LIKE 'dispute.%') AS mediation_closed,
      (SELECT ${day("min(t)")} FROM (
         SELECT pr.created_at AS t FROM proposals pr WHERE pr.proposer_user_id = p.user_id
         UNION ALL
         SELECT ps.created_at FROM proposal_supports ps WHERE ps.user_id = p.user_id) x)
        AS proposed_or_supported,
      (SELECT ${day("min(pr.answered_at)")} FROM proposals pr WHERE pr.proposer_user_id = p.user_id
         AND pr.answer IN ('accepted', 'partly_accepted')) AS proposal_adopted,
      ARRAY(SELECT DISTINCT to_char(timezone(${CHINA}, t), 'YYYY-MM') FROM (
         SELECT s.checked_in_at AS t FROM shift_signups s JOIN volunteers v ON v.id = s.volunteer_id
           WHERE v.user_id = p.user_id AND s.checked_in_at >= ${since3Months}
         UNION ALL SELECT c.created_at FROM cases c
           WHERE c.reporter_user_id = p.user_id AND c.created_at >= ${since3Months}
         UNION ALL SELECT ps.created_at FROM proposal_supports ps
           WHERE ps.user_id = p.user_id AND ps.created_at >= ${since3Months}
         UNION ALL SELECT pr.created_at FROM proposals pr
           WHERE pr.proposer_user_id = p.user_id AND pr.created_at >= ${since3Months}) a
       ORDER BY 1) AS active_months
    FROM p`.execute(db);
  return r.rows;
}

/** A person by account: name, and where they belong (volunteer community, else residence). */
export function personOf(db: Db, userId: string) {
  return db
    .selectFrom("users as u")
    .leftJoin("volunteers as v", "v.user_id", "u.id")
    .leftJoin("residents as r", "r.user_id", "u.id")
    .select([
      "u.id",
      "u.display_name",
      sql<string | null>`coalesce(v.area_path, r.area_path)`.as("area_path"),
      "v.id as volunteer_id",
    ])
    .where("u.id", "=", userId)
    .executeTakeFirst();
}

/** Display names and volunteer flags of accounts. */
export function peopleNames(db: Db, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("users as u")
    .leftJoin("volunteers as v", "v.user_id", "u.id")
    .select(["u.id", "u.display_name", "v.id as volunteer_id"])
    .where("u.id", "in", userIds)
    .execute();
}

/** The job's watermark (null before its first run). */
export async function watermark(db: Db) {
  const r = await db.selectFrom("points_job_state").select("watermark").executeTakeFirst();
  return r ? new Date(r.watermark) : null;
}

export async function setWatermark(db: Db, at: Date) {
  await db
    .insertInto("points_job_state")
    .values({ id: 1, watermark: at })
    .onConflict((oc) => oc.column("id").doUpdateSet({ watermark: at }))
    .execute();
}

/**
 * Accounts whose earning sources changed since `since`: sign-ups touched,
 * cases with a public step (every resolve, close, reopen is one; the
 * time-ordered index of public steps finds them without reading the cases),
 * proposals touched.
 */
export async function usersChangedSince(db: Db, since: Date) {
  const r = await sql<{ user_id: string }>`
    SELECT v.user_id::text AS user_id FROM shift_signups s JOIN volunteers v ON v.id = s.volunteer_id
      WHERE s.updated_at > ${since}
    UNION SELECT c.reporter_user_id::text FROM case_actions a JOIN cases c ON c.id = a.case_id
      WHERE a.visibility = 'public' AND a.created_at > ${since} AND c.reporter_user_id IS NOT NULL
    UNION SELECT p.user_id::text FROM case_actions a JOIN case_parties p ON p.case_id = a.case_id
      WHERE a.visibility = 'public' AND a.created_at > ${since} AND p.user_id IS NOT NULL
    UNION SELECT pr.proposer_user_id::text FROM proposals pr WHERE pr.updated_at > ${since}`.execute(
    db,
  );
  return r.rows.map((x) => x.user_id);
}
