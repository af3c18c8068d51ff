/**
 * SQL of the case rollups (migration 0030): folding queued case actions into
 * the counters, and reading them back. Every action adds to one row per
 * (grain, area level, dimension); a batch is grouped before it is added, so
 * a batch of a thousand actions touches a few hundred rows at most.
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { DB } from "../../db/schema.js";

export const ROLLUP_COUNTERS = [
  "received",
  "dispatched",
  "accepted",
  "accepted_on_time",
  "resolved",
  "resolved_on_time",
  "closed",
  "rated",
  "rating_sum",
  "satisfied",
  "reopened",
  "returned",
  "reassigned",
  "supervised",
  "escalated",
  "withdrawn",
  "merged",
  "tasks_assigned",
  "tasks_done",
  "closed_multi_subject",
  "closed_multi_kind",
  "bounced",
  "repeated",
  "accept_hours",
  "resolve_hours",
] as const;
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

const ENDED = sql.raw(`('closed', 'withdrawn', 'merged')`);
/** A case party as one subject: a department, an organisation, or the volunteers. */
const SUBJECT = sql.raw(
  `COALESCE('d:' || p.department_id, 'o:' || p.organisation_id, CASE WHEN p.user_id IS NOT NULL THEN 'v' END)`,
);
/** The kind of subject a party is (`o` is the party's organisation, joined). */
const KIND = sql.raw(
  `CASE WHEN p.department_id IS NOT NULL THEN 'government' WHEN p.user_id IS NOT NULL THEN 'volunteer'
     ELSE o.kind END`,
);
/** The step into `closed` (not a closed case's comment). */
const CLOSES = sql.raw(`(a.to_status = 'closed' AND a.from_status IS DISTINCT FROM 'closed')`);

/**
 * The statement head shared by folding and rebuilding, over `source` (rows
 * of case_actions): the CTEs `closing` (the steps into closed, with their
 * case's place), `subj` (each closing case's subjects) and `agg`, the facts
 * summed once in three grouping sets — per day and place (the daily rows),
 * per month, place, department and category (the monthly rows), and per
 * place and family (the open counts). Summing in one pass of hash
 * aggregation keeps a rebuild of a million actions from sorting wide rows
 * to disk, and the case parties are read once per closing case instead of
 * once per action.
 */
function factsOf(source: RawBuilder<unknown>) {
  return sql`
  closing AS (
    SELECT a.case_id, (a.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, c.area_path
    FROM ${source} a JOIN cases c ON c.id = a.case_id
    WHERE ${CLOSES}),
  subj AS (
    SELECT DISTINCT p.case_id, ${SUBJECT} AS s, ${KIND} AS kind
    FROM case_parties p LEFT JOIN organisations o ON o.id = p.organisation_id
    WHERE p.case_id IN (SELECT case_id FROM closing)),
  cp AS (
    SELECT case_id, count(DISTINCT s) AS subjects, count(DISTINCT kind) AS kinds
    FROM subj GROUP BY case_id),
  facts AS (
    SELECT
      (a.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
      c.area_path,
      CASE a.action
        WHEN 'invite' THEN a.details->>'departmentId'
        WHEN 'complete_task' THEN (SELECT p.department_id::text FROM case_parties p
          WHERE p.id = (a.details->>'taskId')::bigint)
        ELSE COALESCE(a.department_id, c.lead_department_id)::text
      END AS department,
      c.category_code AS category,
      date_trunc('month', a.created_at AT TIME ZONE 'Asia/Shanghai')::date AS month,
      split_part(c.category_code, '.', 1) AS family,
      (a.action = 'report')::int AS received,
      (a.action IN ('dispatch', 'reassign'))::int AS dispatched,
      (a.action = 'accept')::int AS accepted,
      (a.action = 'accept' AND (c.accept_due_at IS NULL OR a.created_at <= c.accept_due_at))::int
        AS accepted_on_time,
      (a.action = 'resolve')::int AS resolved,
      (a.action = 'resolve' AND (c.resolve_due_at IS NULL OR a.created_at <= c.resolve_due_at))::int
        AS resolved_on_time,
      ${CLOSES}::int AS closed,
      (a.action = 'feedback' AND a.details ? 'rating')::int AS rated,
      CASE WHEN a.action = 'feedback' THEN COALESCE((a.details->>'rating')::int, 0) ELSE 0 END
        AS rating_sum,
      (a.action = 'feedback' AND COALESCE((a.details->>'rating')::int, 0) >= 4)::int AS satisfied,
      (a.action = 'reopen')::int AS reopened,
      (a.action = 'return')::int AS returned,
      (a.action = 'reassign')::int AS reassigned,
      (a.action = 'supervise')::int AS supervised,
      (a.action = 'escalate')::int AS escalated,
      (a.to_status = 'withdrawn')::int AS withdrawn,
      (a.to_status = 'merged')::int AS merged,
      (a.action = 'invite' AND a.details->>'departmentId' IS NOT NULL)::int AS tasks_assigned,
      (a.action = 'complete_task' AND a.details ? 'taskId')::int AS tasks_done,
      CASE WHEN a.action = 'resolve'
        THEN extract(epoch FROM a.created_at - c.created_at)::float8 / 3600 ELSE 0 END
        AS resolve_hours,
      -- Collaboration: a closed case worked by two subjects or more, and by
      -- two kinds or more (government, enterprise, association, volunteer).
      COALESCE((cp.subjects >= 2)::int, 0) AS closed_multi_subject,
      COALESCE((cp.kinds >= 2)::int, 0) AS closed_multi_kind,
      -- Bounced: the second return or reassignment of a case (counted once).
      CASE WHEN a.action IN ('return', 'reassign') THEN (
        SELECT (count(*) = 2)::int FROM case_actions x
        WHERE x.case_id = a.case_id AND x.action IN ('return', 'reassign') AND x.id <= a.id)
        ELSE 0 END AS bounced,
      -- A repeat incident (migration 0036): an earlier case of the family in
      -- the same place cell, 3 to 90 days before.
      CASE WHEN a.action = 'report' THEN (EXISTS (
        SELECT 1 FROM cases e
        WHERE gz_place_cell(e.lat, e.lng) = gz_place_cell(c.lat, c.lng)
          AND split_part(e.category_code, '.', 1) = split_part(c.category_code, '.', 1)
          AND e.created_at >= c.created_at - interval '90 days'
          AND e.created_at <= c.created_at - interval '3 days'))::int
        ELSE 0 END AS repeated,
      -- Hand-off latency: from the (last) dispatch to the lead's acceptance.
      CASE WHEN a.action = 'accept' THEN GREATEST(0, extract(epoch FROM a.created_at - COALESCE(
        (SELECT max(x.created_at) FROM case_actions x WHERE x.case_id = a.case_id
           AND x.action IN ('dispatch', 'reassign') AND x.id < a.id), c.created_at))::float8 / 3600)
        ELSE 0 END AS accept_hours,
      CASE
        WHEN a.action = 'report' THEN 1
        WHEN a.to_status IN ${ENDED} AND a.from_status NOT IN ${ENDED} THEN -1
        WHEN a.from_status IN ${ENDED} AND a.to_status IS NOT NULL AND a.to_status NOT IN ${ENDED}
          THEN 1
        ELSE 0
      END AS open_delta
    FROM ${source} a
    JOIN cases c ON c.id = a.case_id
    LEFT JOIN cp ON cp.case_id = a.case_id AND ${CLOSES}),
  agg AS (
    SELECT day, month, area_path, department, category, family,
      ${sums}, sum(open_delta) AS open_delta, GROUPING(day, department, family) AS set
    FROM facts
    GROUP BY GROUPING SETS (
      (day, area_path), (month, area_path, department, category), (area_path, family)))`;
}

// A flag is NULL where a status is (to_status of a comment): count it as 0.
const sums = sql.raw(ROLLUP_COUNTERS.map((c) => `COALESCE(sum(${c}), 0) AS ${c}`).join(", "));
const cols = sql.raw(ROLLUP_COUNTERS.join(", "));
const adds = sql.raw(
  ROLLUP_COUNTERS.map((c) => `${c} = case_rollups.${c} + EXCLUDED.${c}`).join(", "),
);
/** GROUPING(day, department, family) of each grouping set of `agg`. */
const DAILY = 0b011;
const MONTHLY = 0b101;
const BY_FAMILY = 0b110;

/** The ancestors (levels 1–4) of each area path in `agg`, as rows (level, area). */
const LEVELS = sql`
  lv AS (
    SELECT p.area_path, l.level, l.area FROM (SELECT DISTINCT area_path FROM agg) p
    CROSS JOIN LATERAL (VALUES
      (1, '/' || split_part(p.area_path, '/', 2) || '/'),
      (2, CASE WHEN split_part(p.area_path, '/', 3) <> '' THEN
        '/' || split_part(p.area_path, '/', 2) || '/' || split_part(p.area_path, '/', 3) || '/' END),
      (3, CASE WHEN split_part(p.area_path, '/', 4) <> '' THEN
        '/' || split_part(p.area_path, '/', 2) || '/' || split_part(p.area_path, '/', 3) || '/'
            || split_part(p.area_path, '/', 4) || '/' END),
      (4, CASE WHEN split_part(p.area_path, '/', 5) <> '' THEN p.area_path END)
    ) AS l(level, area)
    WHERE l.area IS NOT NULL)`;

/**
 * Adds the summed facts (`agg`, see factsOf) to the rollups, the open counts
 * and the collaboration pairs: the statement tail shared by folding the
 * queue and rebuilding. Each sum is spread over the area levels above its
 * place and the dimensions, then added per row.
 */
const addFacts = (fresh: boolean) => sql`
  ${LEVELS},
  rows AS (
    SELECT 'day' AS grain, lv.area, 'all' AS dim, '' AS key, agg.day AS period, ${cols}
    FROM agg JOIN lv ON lv.area_path = agg.area_path
    WHERE agg.set = ${sql.lit(DAILY)}
    UNION ALL
    SELECT 'month', lv.area, k.dim, k.key, agg.month, ${cols}
    FROM agg JOIN lv ON lv.area_path = agg.area_path
    CROSS JOIN LATERAL (VALUES
      ('all', ''),
      ('department', COALESCE(agg.department, 'none')),
      ('family', split_part(agg.category, '.', 1)),
      ('category', agg.category)
    ) AS k(dim, key)
    WHERE agg.set = ${sql.lit(MONTHLY)} AND (k.dim = 'all' OR lv.level < 4)),
  added AS (
    INSERT INTO case_rollups (grain, area_path, dim, key, period, ${cols})
    SELECT grain, area, dim, key, period, ${sums} FROM rows
    GROUP BY grain, area, dim, key, period
    ${fresh ? sql`` : sql`ON CONFLICT (grain, area_path, dim, key, period) DO UPDATE SET ${adds}`}
    RETURNING 1),
  closed_in AS (
    SELECT DISTINCT case_id, date_trunc('month', day)::date AS month, area_path FROM closing),
  paired AS (
    INSERT INTO case_collaborations (area_path, period, subject_a, subject_b, cases)
    SELECT lv.area, ci.month, x.s, y.s, count(*)
    FROM closed_in ci
    JOIN subj x ON x.case_id = ci.case_id
    JOIN subj y ON y.case_id = ci.case_id AND x.s < y.s
    JOIN lv ON lv.area_path = ci.area_path AND lv.level < 4
    GROUP BY lv.area, ci.month, x.s, y.s
    ${
      fresh
        ? sql``
        : sql`ON CONFLICT (area_path, period, subject_a, subject_b)
      DO UPDATE SET cases = case_collaborations.cases + EXCLUDED.cases`
    }
    RETURNING 1),
  opened AS (
    INSERT INTO case_open_counts (area_path, family, open)
    SELECT lv.area, agg.family, sum(agg.open_delta)
    FROM agg JOIN lv ON lv.area_path = agg.area_path
    WHERE agg.set = ${sql.lit(BY_FAMILY)} AND agg.open_delta <> 0
    GROUP BY 1, 2
    ${fresh ? sql`` : sql`ON CONFLICT (area_path, family) DO UPDATE SET open = case_open_counts.open + EXCLUDED.open`}
    RETURNING 1)`;

/**
 * Folds up to `batch` queued actions; returns how many. Concurrent folds
 * (two servers' jobs) take disjoint rows (SKIP LOCKED), and the queue rows
 * go in the same statement that adds their counts.
 */
export async function foldQueued(db: Kysely<DB>, batch: number): Promise<number> {
  const r = await sql<{ n: number }>`
    WITH q AS (
      DELETE FROM case_rollup_queue WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM case_rollup_queue LIMIT ${batch} FOR UPDATE SKIP LOCKED))
      RETURNING action_id),
    ${factsOf(sql`(SELECT x.* FROM q JOIN case_actions x ON x.id = q.action_id)`)},
    ${addFacts(false)}
    SELECT count(*)::int AS n FROM q`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/**
 * Recomputes every rollup from the action log (after a bulk load such as the
 * seed, with the queue trigger off): never on a request path.
 */
export async function rebuildAll(db: Kysely<DB>): Promise<void> {
  const run = async (trx: Kysely<DB>) => {
    // Room to sum in memory: under the default 4 MB the grouping sorts
    // hundreds of megabytes to disk (the medium district's 1.4 M actions).
    await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
    await sql`DELETE FROM case_rollup_queue`.execute(trx);
    await sql`DELETE FROM case_rollups`.execute(trx);
    await sql`DELETE FROM case_open_counts`.execute(trx);
    await sql`DELETE FROM case_collaborations`.execute(trx);
    await rebuildStatement().execute(trx);
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

/** The one statement that counts the whole action log (exported to EXPLAIN it). */
export const rebuildStatement = () => sql`
    WITH ${factsOf(sql`case_actions`)},
    ${addFacts(true)}
    SELECT 1`;

export async function queueLength(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_rollup_queue`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** The queue trigger, off while a bulk load writes actions that a rebuild will count. */
export async function setQueueTrigger(db: Kysely<DB>, on: boolean): Promise<void> {
  await sql`ALTER TABLE case_actions ${sql.raw(on ? "ENABLE" : "DISABLE")} TRIGGER case_actions_queue_rollup`.execute(
    db,
  );
}
