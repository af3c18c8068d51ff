/**
 * Indexes for the case inboxes at district scale (5,000,000 cases), found
 * with `npm run bench -- inbox` and EXPLAIN:
 *
 * - a department or organisation sees the cases it ever worked on: the
 *   scope's EXISTS over case_parties ignores `active`, which the partial
 *   indexes required, so every officer's list read all of case_parties;
 * - "due soon" and "overdue" compare the current deadline (a CASE over the
 *   status): an index on that expression over the open cases;
 * - supervised open cases, the coordination queue, and cases by category
 *   and status;
 * - search: Chinese words are mostly two characters, which trigrams cannot
 *   index. `gz_bigrams` cuts a text into its two-character pieces; a GIN
 *   index over the description and address finds the cases holding every
 *   piece of the query, and LIKE then checks the order. It replaces the
 *   trigram index (one index to keep up at intake, not two). Plain SQL, so
 *   the same on PGlite.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // `active` included: the department inbox (active parties only) reads the
  // index alone, in case order; the scope's check of one case stays exact.
  await sql`CREATE INDEX case_parties_department_any ON case_parties (department_id, case_id)
    INCLUDE (active)`.execute(db);
  await sql`DROP INDEX case_parties_department`.execute(db);
  await sql`CREATE INDEX case_parties_organisation_any ON case_parties (organisation_id, case_id)
    INCLUDE (active) WHERE organisation_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX case_parties_organisation`.execute(db);

  await sql`CREATE INDEX cases_current_due ON cases ((CASE WHEN cases.status = 'dispatched' THEN cases.accept_due_at
    WHEN cases.status IN ('accepted', 'in_progress') AND cases.paused_at IS NULL
    THEN cases.resolve_due_at END))
    WHERE status IN ('dispatched', 'accepted', 'in_progress')`.execute(db);
  await sql`CREATE INDEX cases_supervised_open ON cases (created_at)
    WHERE supervised AND status NOT IN ('closed', 'withdrawn', 'merged')`.execute(db);
  // "Mine" includes my own reports waiting for my rating (resolved): by
  // reporter and status, not every report of a grid worker who filed many.
  await sql`CREATE INDEX cases_reporter_status ON cases (reporter_user_id, status)
    WHERE reporter_user_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX cases_reporter`.execute(db);
  await sql`CREATE INDEX cases_category_status ON cases (category_code, status, created_at)`.execute(
    db,
  );
  // The coordination queue: returned, and reported or verified without a lead.
  await sql`CREATE INDEX cases_queue ON cases (created_at)
    WHERE status IN ('returned', 'reported', 'verified')`.execute(db);
  // Status and lead go together (a reported case has no lead yet): without
  // joint statistics the planner took the queue for 30 cases, not 10,000.
  await sql`CREATE STATISTICS cases_status_lead (mcv) ON status, lead_department_id FROM cases`.execute(
    db,
  );

  // A loop, not generate_series + array_agg: three times faster on PostgreSQL, and the
  // index is built over every case at seed time. Whitespace splits words; the
  // index keeps each piece once however often it occurs.
  await sql`
    CREATE FUNCTION gz_bigrams(t text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
      l text := lower(translate(t, E'\t\n\r\u3000', '    '));
      r text[] := '{}';
      g text;
    BEGIN
      FOR i IN 1 .. length(l) - 1 LOOP
        g := substr(l, i, 2);
        IF strpos(g, ' ') = 0 THEN
          r := r || g;
        END IF;
      END LOOP;
      RETURN r;
    END $$`.execute(db);
  await sql`DROP INDEX cases_description_trgm`.execute(db);
  await sql`CREATE INDEX cases_text_bigrams ON cases
    USING gin (gz_bigrams(description || ' ' || coalesce(address, '')))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX cases_text_bigrams`.execute(db);
  await sql`DROP FUNCTION gz_bigrams(text)`.execute(db);
  await sql`CREATE INDEX cases_description_trgm ON cases USING gin (description gin_trgm_ops)`.execute(
    db,
  );
  await sql`DROP STATISTICS cases_status_lead`.execute(db);
  await sql`CREATE INDEX cases_reporter ON cases (reporter_user_id) WHERE reporter_user_id IS NOT NULL`.execute(
    db,
  );
  await sql`DROP INDEX cases_reporter_status`.execute(db);
  await sql`DROP INDEX cases_queue`.execute(db);
  await sql`DROP INDEX cases_category_status`.execute(db);
  await sql`DROP INDEX cases_supervised_open`.execute(db);
  await sql`DROP INDEX cases_current_due`.execute(db);
  await sql`CREATE INDEX case_parties_organisation ON case_parties (organisation_id, case_id) WHERE active`.execute(
    db,
  );
  await sql`DROP INDEX case_parties_organisation_any`.execute(db);
  await sql`CREATE INDEX case_parties_department ON case_parties (department_id, case_id) WHERE active`.execute(
    db,
  );
  await sql`DROP INDEX case_parties_department_any`.execute(db);
}
