/**
 * Cases (事件): the category taxonomy, the responsibility list (routing
 * rules), cases with their parties and their append-only action log,
 * in-app notifications, and the idempotency keys that make a retried submit
 * return the first answer.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_categories (
      code text PRIMARY KEY,
      name text NOT NULL,
      parent_code text REFERENCES case_categories(code),
      severity text NOT NULL CHECK (severity IN ('low', 'normal', 'high', 'urgent')),
      invalid boolean NOT NULL DEFAULT false,
      redirect text,
      sensitive boolean NOT NULL DEFAULT false,
      verify boolean NOT NULL DEFAULT false,
      accept_hours double precision NOT NULL CHECK (accept_hours > 0),
      resolve_days integer NOT NULL CHECK (resolve_days > 0),
      fields jsonb NOT NULL DEFAULT '[]'::jsonb,
      description text,
      service_notice text,
      sort integer NOT NULL DEFAULT 0
    )`.execute(db);

  // A rule sends a category (a leaf, or a whole family) in an area (or the
  // whole district when area_path is null) to a lead and assisting parties.
  // Parties are named by department kind (resolved to the department of that
  // kind covering the case's place) or by a fixed department/organisation.
  await sql`
    CREATE TABLE routing_rules (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      category_code text NOT NULL REFERENCES case_categories(code),
      area_id bigint REFERENCES areas(id),
      area_path text,
      conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
      lead jsonb NOT NULL,
      assist jsonb NOT NULL DEFAULT '[]'::jsonb,
      note text,
      active boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      updated_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX routing_rules_category ON routing_rules (category_code) WHERE active`.execute(
    db,
  );

  await sql`CREATE SEQUENCE case_code_seq`.execute(db);
  await sql`
    CREATE TABLE cases (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code text NOT NULL UNIQUE,
      category_code text NOT NULL REFERENCES case_categories(code),
      severity text NOT NULL CHECK (severity IN ('low', 'normal', 'high', 'urgent')),
      status text NOT NULL CHECK (status IN ('reported', 'verified', 'dispatched', 'accepted',
        'in_progress', 'resolved', 'returned', 'closed', 'withdrawn', 'merged')),
      description text NOT NULL,
      fields jsonb NOT NULL DEFAULT '{}'::jsonb,
      lat double precision NOT NULL,
      lng double precision NOT NULL,
      address text,
      grid_id bigint REFERENCES areas(id),
      area_path text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('web', 'anonymous', 'patrol', 'enterprise',
        'volunteer', 'hotline', 'api')),
      reporter_user_id bigint REFERENCES users(id),
      reporter_organisation_id bigint REFERENCES organisations(id),
      reporter_token_id bigint REFERENCES api_tokens(id),
      on_behalf_name text,
      on_behalf_phone_enc text,
      on_behalf_phone_masked text,
      anonymous_secret_hash text,
      lead_department_id bigint REFERENCES departments(id),
      routing_rule_id bigint REFERENCES routing_rules(id),
      merged_into_id bigint REFERENCES cases(id),
      supervised boolean NOT NULL DEFAULT false,
      escalation_level integer NOT NULL DEFAULT 0,
      dispatched_at timestamptz,
      accept_due_at timestamptz,
      resolve_due_at timestamptz,
      accepted_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      feedback_rating integer CHECK (feedback_rating BETWEEN 1 AND 5),
      feedback_comment text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (channel <> 'anonymous' OR (reporter_user_id IS NULL AND anonymous_secret_hash IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX cases_area_path ON cases (area_path text_pattern_ops, created_at)`.execute(
    db,
  );
  await sql`CREATE INDEX cases_lead ON cases (lead_department_id, status)`.execute(db);
  await sql`CREATE INDEX cases_reporter ON cases (reporter_user_id) WHERE reporter_user_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX cases_created ON cases (created_at)`.execute(db);
  await sql`CREATE INDEX cases_open_due ON cases (resolve_due_at)
    WHERE status IN ('dispatched', 'accepted', 'in_progress')`.execute(db);
  await sql`CREATE INDEX cases_description_trgm ON cases USING gin (description gin_trgm_ops)`.execute(
    db,
  );

  await sql`
    CREATE TABLE case_parties (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cases(id),
      role text NOT NULL CHECK (role IN ('lead', 'assist')),
      department_id bigint REFERENCES departments(id),
      organisation_id bigint REFERENCES organisations(id),
      task text,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((department_id IS NULL) <> (organisation_id IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX case_parties_case ON case_parties (case_id)`.execute(db);
  await sql`CREATE INDEX case_parties_department ON case_parties (department_id, case_id) WHERE active`.execute(
    db,
  );
  await sql`CREATE INDEX case_parties_organisation ON case_parties (organisation_id, case_id) WHERE active`.execute(
    db,
  );

  // The action log: every step of a case, written with the change itself.
  // Append-only, like the audit trail.
  await sql`
    CREATE TABLE case_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cases(id),
      action text NOT NULL,
      from_status text,
      to_status text,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      department_id bigint REFERENCES departments(id),
      note text,
      visibility text NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'public')),
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX case_actions_case ON case_actions (case_id, id)`.execute(db);
  await sql`
    CREATE FUNCTION case_actions_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'case_actions is append-only: % is not allowed', TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER case_actions_no_update_delete BEFORE UPDATE OR DELETE ON case_actions
    FOR EACH ROW EXECUTE FUNCTION case_actions_reject_change()`.execute(db);

  await sql`
    CREATE TABLE notifications (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id),
      kind text NOT NULL,
      case_id bigint REFERENCES cases(id),
      title text NOT NULL,
      body text,
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX notifications_user ON notifications (user_id, id DESC)`.execute(db);
  await sql`CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL`.execute(
    db,
  );

  // A retried submit (same key from the same caller) answers with the first
  // result; the hash of the body tells a reuse of a key for something else.
  await sql`
    CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS idempotency_keys, notifications, case_actions, case_parties,
    cases, routing_rules, case_categories`.execute(db);
  await sql`DROP FUNCTION IF EXISTS case_actions_reject_change()`.execute(db);
  await sql`DROP SEQUENCE IF EXISTS case_code_seq`.execute(db);
}
