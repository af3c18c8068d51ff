/**
 * SQL for open data. Reads no personal column at all: no description,
 * address, reporter, phone or feedback — the statements name the columns they
 * need, so a new personal column cannot leak in through `SELECT *`.
 */
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB>;

/** Statuses in which a case is finished with an outcome (办结). */
export const RESOLVED_STATUSES = ["resolved", "closed"] as const;

export function categories(db: Db) {
  return db
    .selectFrom("case_categories")
    .select(["code", "name", "parent_code", "sensitive", "sort"])
    .orderBy("sort")
    .orderBy("code")
    .execute();
}

export type CategoryRow = Awaited<ReturnType<typeof categories>>[number];

export function streets(db: Db) {
  return db
    .selectFrom("areas")
    .select(["code", "name"])
    .where("level", "=", "street")
    .orderBy("code")
    .execute();
}

export interface StatsRow {
  category: string;
  /** the street's code: the second code of the case's area path ('' outside any street) */
  street: string;
  /** month of report: 1…n within the period, 0 before it, n+1 after it */
  received_bucket: number;
  /** month of resolution, likewise; 0 for cases not resolved */
  resolved_bucket: number;
  cases: number;
  /** still being handled now (not resolved, closed or withdrawn) */
  open: number;
  /** resolved with a resolve deadline set, and of those by the deadline */
  resolve_timed: number;
  resolve_on_time: number;
  /** accepted with an accept deadline set, and of those by the deadline */
  accept_timed: number;
  accept_on_time: number;
}

/**
 * One pass over the cases reported or resolved since `bounds[0]`, grouped by
 * category, street, month of report and month of resolution. `bounds` are the
 * starts of the months of the period followed by the end of the last one;
 * width_bucket finds the month without time-zone names (the bounds are China
 * midnights computed by the caller), the same on PGlite and PostgreSQL.
 *
 * At district scale (a year is most of 5,000,000 cases) this reads the table
 * once; the result is cached by the service, never run per request. The
 * planner cannot tell that the groups are few (hundreds to thousands) and
 * sorts every row to disk under the default work_mem; with a little more it
 * hashes them instead, three times faster (1,000,000 cases: 1.8 s → 0.55 s).
 */
export async function statsRows(db: Db, bounds: readonly Date[]): Promise<StatsRow[]> {
  const b = sql`${bounds.map((d) => d.toISOString())}::timestamptz[]`;
  const from = bounds[0] as Date;
  const finished = sql`coalesce(c.resolved_at, c.closed_at)`;
  const resolved = sql`c.status IN ('resolved', 'closed')`;
  const query = sql<StatsRow>`
    SELECT c.category_code AS category,
      split_part(c.area_path, '/', 3) AS street,
      width_bucket(c.created_at, ${b}) AS received_bucket,
      CASE WHEN ${resolved} THEN coalesce(width_bucket(${finished}, ${b}), 0) ELSE 0 END
        AS resolved_bucket,
      count(*)::int AS cases,
      count(*) FILTER (WHERE c.status NOT IN ('resolved', 'closed', 'withdrawn'))::int AS open,
      count(c.resolve_due_at)::int AS resolve_timed,
      count(*) FILTER (WHERE ${finished} <= c.resolve_due_at)::int AS resolve_on_time,
      count(*) FILTER (WHERE c.accepted_at IS NOT NULL AND c.accept_due_at IS NOT NULL)::int
        AS accept_timed,
      count(*) FILTER (WHERE c.accepted_at <= c.accept_due_at)::int AS accept_on_time
    FROM cases c
    WHERE c.status <> 'merged'
      AND (c.created_at >= ${from} OR (${resolved} AND ${finished} >= ${from}))
    GROUP BY 1, 2, 3, 4`;
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL work_mem = '32MB'`.execute(trx);
    // The app's connections start no parallel workers (short queries); this
    // one reads the whole table and gains from them. PGlite ignores it.
    await sql`SET LOCAL max_parallel_workers_per_gather = 2`.execute(trx);
    return (await query.execute(trx)).rows;
  });
}

export interface FeedRow {
  code: string;
  category_code: string;
  status: DB["cases"]["status"];
  lat: number;
  lng: number;
  created_at: Date;
  updated_at: Date;
  agency: string | null;
}

/**
 * The newest cases reported since `since` in the given categories (the
 * caller passes only public ones), never merged duplicates. Newest first,
 * along the created_at index.
 */
export function feedRows(
  db: Db,
  f: {
    since: Date;
    categoryCodes: readonly string[];
    statuses?: readonly DB["cases"]["status"][] | undefined;
    limit: number;
  },
): Promise<FeedRow[]> {
  if (f.categoryCodes.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom("cases as c")
    .leftJoin("departments as d", "d.id", "c.lead_department_id")
    .select([
      "c.code",
      "c.category_code",
      "c.status",
      "c.lat",
      "c.lng",
      "c.created_at",
      "c.updated_at",
      "d.name as agency",
    ])
    .where("c.created_at", ">=", f.since)
    .where("c.status", "!=", "merged")
    .where("c.category_code", "in", f.categoryCodes);
  if (f.statuses) q = q.where("c.status", "in", f.statuses);
  return q
    .orderBy("c.created_at", "desc")
    .orderBy("c.id", "desc")
    .limit(f.limit)
    .execute() as Promise<FeedRow[]>;
}
