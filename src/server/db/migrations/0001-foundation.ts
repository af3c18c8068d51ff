/**
 * Foundation schema: areas, departments, organisations (skeleton, extended by
 * the base-data migration), accounts, grants, sessions, API tokens and the
 * append-only, hash-chained audit trail. SQL is kept to PostgreSQL 15.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE areas (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      level text NOT NULL CHECK (level IN ('district', 'street', 'community', 'grid')),
      parent_id bigint REFERENCES areas(id),
      path text NOT NULL UNIQUE,
      boundary jsonb,
      min_lng double precision,
      min_lat double precision,
      max_lng double precision,
      max_lat double precision,
      centroid_lng double precision,
      centroid_lat double precision,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX areas_path_prefix ON areas (path text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX areas_parent ON areas (parent_id)`.execute(db);
  await sql`CREATE INDEX areas_level ON areas (level)`.execute(db);

  await sql`
    CREATE TABLE departments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      kind text NOT NULL,
      parent_id bigint REFERENCES departments(id),
      area_id bigint NOT NULL REFERENCES areas(id),
      phone text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE department_areas (
      department_id bigint NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
      area_id bigint NOT NULL REFERENCES areas(id),
      PRIMARY KEY (department_id, area_id)
    )`.execute(db);
  await sql`CREATE INDEX department_areas_area ON department_areas (area_id)`.execute(db);

  await sql`
    CREATE TABLE organisations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('enterprise', 'association')),
      name text NOT NULL,
      area_id bigint NOT NULL REFERENCES areas(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX organisations_area ON organisations (area_id)`.execute(db);

  await sql`
    CREATE TABLE users (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username text NOT NULL UNIQUE CHECK (username = lower(username)),
      password_hash text NOT NULL,
      display_name text NOT NULL,
      phone_enc text,
      phone_masked text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'disabled')),
      locked_until timestamptz,
      failed_logins integer NOT NULL DEFAULT 0,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE role_grants (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'department_officer',
        'grid_worker', 'enterprise_officer', 'association_rep', 'resident')),
      scope_kind text NOT NULL CHECK (scope_kind IN ('area', 'department', 'organisation', 'self')),
      area_id bigint REFERENCES areas(id),
      department_id bigint REFERENCES departments(id),
      organisation_id bigint REFERENCES organisations(id),
      granted_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((scope_kind = 'area') = (area_id IS NOT NULL)),
      CHECK ((scope_kind = 'department') = (department_id IS NOT NULL)),
      CHECK ((scope_kind = 'organisation') = (organisation_id IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX role_grants_user ON role_grants (user_id)`.execute(db);

  await sql`
    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      ip text,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX sessions_user ON sessions (user_id)`.execute(db);
  await sql`CREATE INDEX sessions_expires ON sessions (expires_at)`.execute(db);

  await sql`
    CREATE TABLE login_failures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username text NOT NULL,
      ip text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX login_failures_ip_at ON login_failures (ip, at)`.execute(db);
  await sql`CREATE INDEX login_failures_at ON login_failures (at)`.execute(db);

  await sql`
    CREATE TABLE api_tokens (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      token_prefix text NOT NULL,
      scopes text[] NOT NULL,
      created_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_user_id bigint,
      actor_token_id bigint,
      actor_label text NOT NULL,
      action text NOT NULL,
      subject_type text NOT NULL,
      subject_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      request_id text,
      prev_hash text NOT NULL,
      hash text NOT NULL UNIQUE
    )`.execute(db);
  await sql`CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id)`.execute(db);
  await sql`CREATE INDEX audit_log_actor ON audit_log (actor_user_id)`.execute(db);
  await sql`
    CREATE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change()`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "audit_log",
    "api_tokens",
    "login_failures",
    "sessions",
    "role_grants",
    "users",
    "organisations",
    "department_areas",
    "departments",
    "areas",
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS audit_log_reject_change()`.execute(db);
}
