/**
 * Participation, part V1 (issue 7): volunteers, teams, training, shifts,
 * sign-ups with geofenced check-in/out, service hours and their log.
 *
 * - volunteers: one profile per account (user_id UNIQUE), linked to the
 *   resident record when the account has one. area_path is the preferred
 *   community's path (the first of preferred_area_ids) and decides which
 *   staff see the volunteer.
 * - teams / team_members: a team belongs to a community (area_path) and
 *   optionally to an enterprise or association (organisation_id). A member
 *   leaves by setting left_at; at most one open membership per team and
 *   volunteer.
 * - training_records: courses and certificates (valid_until optional).
 * - shifts: a time window (at most 12 h) in an area whose boundary, widened
 *   by fence_tolerance_m metres, is the check-in geofence. team_id restricts
 *   sign-up to the team's members; case_id links a visit or mediation shift
 *   to a case.
 * - shift_signups: one active sign-up per shift and volunteer. status walks
 *   signed_up → checked_in → checked_out (or cancelled). minutes is set at
 *   check-out (capped at the window) and hours_status starts 'pending'.
 * - shift_signup_actions: append-only log of every change to a sign-up
 *   (check-in/out, verify, reject, correct with old and new minutes and a
 *   reason): corrections are never silent.
 * - shift_observations: what a volunteer reported during a shift, and the
 *   case it became (channel 'volunteer').
 * - case_parties gains user_id and the role 'mediator': a volunteer invited
 *   to mediate a dispute (以新调新) is a party named by their account.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE volunteers (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL UNIQUE REFERENCES users(id),
      resident_id bigint REFERENCES residents(id),
      area_id bigint REFERENCES areas(id),
      area_path text,
      preferred_area_ids bigint[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'withdrawn')),
      skills text[] NOT NULL DEFAULT '{}',
      languages text[] NOT NULL DEFAULT '{}',
      dialects text[] NOT NULL DEFAULT '{}',
      origin_province text CHECK (char_length(origin_province) <= 20),
      availability jsonb NOT NULL DEFAULT '[]'::jsonb,
      bio text CHECK (char_length(bio) <= 500),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX volunteers_area_path ON volunteers (area_path text_pattern_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX volunteers_resident ON volunteers (resident_id) WHERE resident_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX volunteers_dialects ON volunteers USING gin (dialects)`.execute(db);
  await sql`CREATE INDEX volunteers_origin ON volunteers (origin_province)`.execute(db);

  await sql`
    CREATE TABLE teams (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 60),
      kind text NOT NULL CHECK (kind IN ('community', 'enterprise', 'association')),
      area_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      organisation_id bigint REFERENCES organisations(id),
      description text CHECK (char_length(description) <= 500),
      active boolean NOT NULL DEFAULT true,
      created_by bigint REFERENCES users(id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'community') = (organisation_id IS NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX teams_name ON teams (area_path, name) WHERE active`.execute(db);
  await sql`CREATE INDEX teams_area_path ON teams (area_path text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX teams_organisation ON teams (organisation_id) WHERE organisation_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE team_members (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      team_id bigint NOT NULL REFERENCES teams(id),
      volunteer_id bigint NOT NULL REFERENCES volunteers(id),
      role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'leader')),
      joined_at timestamptz NOT NULL DEFAULT now(),
      left_at timestamptz,
      CHECK (left_at IS NULL OR left_at >= joined_at)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX team_members_open ON team_members (team_id, volunteer_id) WHERE left_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX team_members_volunteer ON team_members (volunteer_id) WHERE left_at IS NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE training_records (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      volunteer_id bigint NOT NULL REFERENCES volunteers(id),
      title text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 80),
      issuer text NOT NULL CHECK (char_length(issuer) BETWEEN 2 AND 80),
      issued_on date NOT NULL,
      valid_until date,
      certificate_no text CHECK (char_length(certificate_no) <= 40),
      recorded_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (valid_until IS NULL OR valid_until >= issued_on)
    )`.execute(db);
  await sql`CREATE INDEX training_records_volunteer ON training_records (volunteer_id, issued_on DESC)`.execute(
    db,
  );

  await sql`
    CREATE TABLE shifts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('patrol', 'mediation', 'publicity', 'visit')),
      title text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 80),
      description text CHECK (char_length(description) <= 1000),
      area_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 200),
      team_id bigint REFERENCES teams(id),
      case_id bigint REFERENCES cases(id),
      organisation_id bigint REFERENCES organisations(id),
      fence_tolerance_m integer NOT NULL DEFAULT 100 CHECK (fence_tolerance_m BETWEEN 0 AND 2000),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
      created_by bigint NOT NULL REFERENCES users(id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at),
      CHECK (ends_at - starts_at <= interval '12 hours')
    )`.execute(db);
  await sql`CREATE INDEX shifts_area_path ON shifts (area_path text_pattern_ops, starts_at)`.execute(
    db,
  );
  await sql`CREATE INDEX shifts_starts ON shifts (starts_at)`.execute(db);
  await sql`CREATE INDEX shifts_team ON shifts (team_id, starts_at) WHERE team_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX shifts_case ON shifts (case_id) WHERE case_id IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE shift_signups (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      shift_id bigint NOT NULL REFERENCES shifts(id),
      volunteer_id bigint NOT NULL REFERENCES volunteers(id),
      status text NOT NULL DEFAULT 'signed_up'
        CHECK (status IN ('signed_up', 'checked_in', 'checked_out', 'cancelled')),
      checked_in_at timestamptz,
      check_in_lat double precision,
      check_in_lng double precision,
      check_in_accuracy double precision,
      checked_out_at timestamptz,
      check_out_lat double precision,
      check_out_lng double precision,
      check_out_accuracy double precision,
      minutes integer CHECK (minutes BETWEEN 0 AND 720),
      hours_status text CHECK (hours_status IN ('pending', 'verified', 'rejected')),
      verified_by bigint REFERENCES users(id),
      verified_at timestamptz,
      reject_reason text CHECK (char_length(reject_reason) <= 500),
      cancelled_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (checked_out_at IS NULL OR (checked_in_at IS NOT NULL AND checked_out_at >= checked_in_at)),
      CHECK ((hours_status IS NULL) = (minutes IS NULL)),
      CHECK (hours_status IS NULL OR checked_out_at IS NOT NULL),
      CHECK ((status = 'checked_in') = (checked_in_at IS NOT NULL AND checked_out_at IS NULL)
        OR status = 'cancelled'),
      CHECK (status <> 'checked_out' OR checked_out_at IS NOT NULL)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX shift_signups_active ON shift_signups (shift_id, volunteer_id)
    WHERE status <> 'cancelled'`.execute(db);
  await sql`CREATE INDEX shift_signups_volunteer ON shift_signups (volunteer_id, shift_id)`.execute(
    db,
  );
  await sql`CREATE INDEX shift_signups_pending ON shift_signups (shift_id) WHERE hours_status = 'pending'`.execute(
    db,
  );

  // Every change to a sign-up, written with the change: a correction of the
  // minutes carries who, when, the old and new minutes and why.
  await sql`
    CREATE TABLE shift_signup_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      signup_id bigint NOT NULL REFERENCES shift_signups(id),
      action text NOT NULL CHECK (action IN ('sign_up', 'cancel', 'check_in', 'check_out',
        'verify', 'reject', 'correct')),
      actor_user_id bigint REFERENCES users(id),
      old_minutes integer,
      new_minutes integer,
      reason text CHECK (char_length(reason) <= 500),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (action <> 'correct' OR (reason IS NOT NULL AND new_minutes IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX shift_signup_actions_signup ON shift_signup_actions (signup_id, id)`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION shift_signup_actions_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'shift_signup_actions is append-only: % is not allowed', TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER shift_signup_actions_no_update_delete BEFORE UPDATE OR DELETE ON shift_signup_actions
    FOR EACH ROW EXECUTE FUNCTION shift_signup_actions_reject_change()`.execute(db);

  await sql`
    CREATE TABLE shift_observations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      shift_id bigint NOT NULL REFERENCES shifts(id),
      signup_id bigint NOT NULL REFERENCES shift_signups(id),
      volunteer_id bigint NOT NULL REFERENCES volunteers(id),
      case_id bigint NOT NULL UNIQUE REFERENCES cases(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX shift_observations_shift ON shift_observations (shift_id, id)`.execute(db);
  await sql`CREATE INDEX shift_observations_volunteer ON shift_observations (volunteer_id)`.execute(
    db,
  );

  // A case party is a department, an organisation, or (as mediator) a
  // volunteer's account — exactly one of them.
  await sql`ALTER TABLE case_parties ADD COLUMN user_id bigint REFERENCES users(id)`.execute(db);
  await sql`ALTER TABLE case_parties DROP CONSTRAINT case_parties_check`.execute(db);
  await sql`ALTER TABLE case_parties DROP CONSTRAINT case_parties_role_check`.execute(db);
  await sql`ALTER TABLE case_parties ADD CONSTRAINT case_parties_role_check
    CHECK (role IN ('lead', 'assist', 'mediator'))`.execute(db);
  await sql`ALTER TABLE case_parties ADD CONSTRAINT case_parties_check
    CHECK (num_nonnulls(department_id, organisation_id, user_id) = 1)`.execute(db);
  await sql`ALTER TABLE case_parties ADD CONSTRAINT case_parties_user_mediator
    CHECK ((user_id IS NOT NULL) = (role = 'mediator'))`.execute(db);
  await sql`CREATE INDEX case_parties_user ON case_parties (user_id, case_id) WHERE user_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX case_parties_user_active ON case_parties (case_id, user_id)
    WHERE user_id IS NOT NULL AND active`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM case_parties WHERE user_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX IF EXISTS case_parties_user_active`.execute(db);
  await sql`DROP INDEX IF EXISTS case_parties_user`.execute(db);
  await sql`ALTER TABLE case_parties DROP CONSTRAINT case_parties_user_mediator`.execute(db);
  await sql`ALTER TABLE case_parties DROP CONSTRAINT case_parties_check`.execute(db);
  await sql`ALTER TABLE case_parties DROP CONSTRAINT case_parties_role_check`.execute(db);
  await sql`ALTER TABLE case_parties DROP COLUMN user_id`.execute(db);
  await sql`ALTER TABLE case_parties ADD CONSTRAINT case_parties_role_check
    CHECK (role IN ('lead', 'assist'))`.execute(db);
  await sql`ALTER TABLE case_parties ADD CONSTRAINT case_parties_check
    CHECK ((department_id IS NULL) <> (organisation_id IS NULL))`.execute(db);
  await sql`DROP TABLE IF EXISTS shift_observations, shift_signup_actions, shift_signups, shifts,
    training_records, team_members, teams, volunteers`.execute(db);
  await sql`DROP FUNCTION IF EXISTS shift_signup_actions_reject_change()`.execute(db);
}
