/**
 * Indexes for the case inboxes at district scale (5,000,000 cases), found
 * with `npm run bench -- inbox` and EXPLAIN:
 *
 * - a department or organisation sees the cases it ever worked on: the
 *   scope's EXISTS over case_parties ignores `active`, which the partial
 *   indexes required, so every officer's list read all of case_parties;
 * - "due soon" and "overdue" compare the current deadline (a CASE over the
 *   status): an index on that expression over the open cases;
 * - supervised open cases, and cases by category, newest first;
 * - search: Chinese words are mostly two characters, which trigrams cannot
 *   index. `gz_bigrams` cuts a text into its two-character pieces; a GIN
 *   index over the description and address finds the cases holding every
 *   piece of the query, and LIKE then checks the order. It replaces the
 *   trigram index (one index to keep up at intake, not two). Plain SQL, so
 *   the same on PGlite.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX case_parties_department_any ON case_parties (department_id, case_id)`.execute(
    db,
  );
  await sql`DROP INDEX case_parties_department`.execute(db);
  await sql`CREATE INDEX case_parties_organisation_any ON case_parties (organisation_id, case_id)
    WHERE organisation_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX case_parties_organisation`.execute(db);

  await sql`CREATE INDEX cases_current_due ON cases ((CASE WHEN cases.status = 'dispatched' THEN cases.accept_due_at
    WHEN cases.status IN ('accepted', 'in_progress') AND cases.paused_at IS NULL
    THEN cases.resolve_due_at END))
    WHERE status IN ('dispatched', 'accepted', 'in_progress')`.execute(db);
  await sql`CREATE INDEX cases_supervised_open ON cases (created_at)
    WHERE supervised AND status NOT IN ('closed', 'withdrawn', 'merged')`.execute(db);
  await sql`CREATE INDEX cases_category_created ON cases (category_code, created_at)`.execute(db);

  await sql`
    CREATE FUNCTION gz_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
      FROM (SELECT lower(substr(t, i, 2)) AS g FROM generate_series(1, length(t) - 1) AS i) s
      WHERE g !~ '\\s'
    $$`.execute(db);
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
  await sql`DROP INDEX cases_category_created`.execute(db);
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
