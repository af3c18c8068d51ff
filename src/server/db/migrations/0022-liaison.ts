/**
 * Enterprise workspace (issue 6): notices from government to enterprises with
 * read receipts, and mediation requests from enterprises to associations.
 *
 * A notice keeps the audience it was defined by (jsonb); sending it fixes one
 * recipient row per enterprise reached at that moment, so later changes to an
 * enterprise's industry, area or rating do not move who received it. A
 * mediation request is a small state machine whose every step is written to
 * its own append-only timeline with the change.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notices (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title text NOT NULL,
      body text NOT NULL,
      importance text NOT NULL DEFAULT 'normal' CHECK (importance IN ('normal', 'important', 'urgent')),
      ack_required boolean NOT NULL DEFAULT false,
      -- the day (China time) by which recipients should confirm receipt
      ack_due_on date,
      audience jsonb NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'withdrawn')),
      -- who issues it, as recipients read it, and the area it is issued from:
      -- the audience never reaches beyond this path
      issuer_name text NOT NULL,
      area_path text NOT NULL,
      department_id bigint REFERENCES departments(id),
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      recipient_count integer NOT NULL DEFAULT 0,
      sent_at timestamptz,
      sent_by bigint REFERENCES users(id),
      sent_label text,
      withdrawn_at timestamptz,
      withdrawn_by bigint REFERENCES users(id),
      withdrawn_label text,
      withdraw_reason text,
      last_reminded_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ack_due_on IS NULL OR ack_required),
      CHECK ((status = 'draft') = (sent_at IS NULL)),
      CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX notices_area_path ON notices (area_path text_pattern_ops, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX notices_department ON notices (department_id, id DESC) WHERE department_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE notice_recipients (
      notice_id bigint NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      read_at timestamptz,
      read_by bigint REFERENCES users(id),
      read_label text,
      acknowledged_at timestamptz,
      acknowledged_by bigint REFERENCES users(id),
      acknowledged_label text,
      last_reminded_at timestamptz,
      PRIMARY KEY (notice_id, organisation_id),
      CHECK (acknowledged_at IS NULL OR read_at IS NOT NULL)
    )`.execute(db);
  // An enterprise's inbox, and its unread notices (the home card).
  await sql`CREATE INDEX notice_recipients_organisation ON notice_recipients (organisation_id, notice_id DESC)`.execute(
    db,
  );

  // What happened to a notice: created, edited, sent, withdrawn, reminders.
  // A deleted draft takes its log with it (the audit trail keeps the deletion).
  await sql`
    CREATE TABLE notice_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      notice_id bigint NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
      action text NOT NULL,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      note text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX notice_actions_notice ON notice_actions (notice_id, id)`.execute(db);

  await sql`
    CREATE TABLE mediation_requests (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      enterprise_id bigint NOT NULL REFERENCES organisations(id),
      association_id bigint NOT NULL REFERENCES organisations(id),
      case_id bigint REFERENCES cases(id),
      -- the enterprise's place when it asked: government staff of that area read it
      area_path text NOT NULL,
      subject text NOT NULL,
      description text NOT NULL,
      people_involved integer NOT NULL CHECK (people_involved BETWEEN 1 AND 100000),
      worker_provinces text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'closed')),
      decline_reason text,
      outcome text CHECK (outcome IN ('success', 'partial', 'failed')),
      outcome_note text,
      sessions integer NOT NULL DEFAULT 0,
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      accepted_at timestamptz,
      closed_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (enterprise_id <> association_id),
      CHECK ((status = 'closed') = (outcome IS NOT NULL)),
      CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX mediation_requests_enterprise ON mediation_requests (enterprise_id, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX mediation_requests_association ON mediation_requests (association_id, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX mediation_requests_area_path ON mediation_requests (area_path text_pattern_ops)`.execute(
    db,
  );
  // A double-clicked form, or the same dispute asked twice while the first
  // still waits: refused by the database, not only by a check.
  await sql`CREATE UNIQUE INDEX mediation_requests_pending_once ON mediation_requests (enterprise_id, association_id, subject) WHERE status = 'pending'`.execute(
    db,
  );
  // One open mediation per linked case.
  await sql`CREATE UNIQUE INDEX mediation_requests_case_open ON mediation_requests (case_id) WHERE case_id IS NOT NULL AND status IN ('pending', 'accepted')`.execute(
    db,
  );

  await sql`
    CREATE TABLE mediation_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      request_id bigint NOT NULL REFERENCES mediation_requests(id),
      action text NOT NULL,
      from_status text,
      to_status text,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      note text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX mediation_actions_request ON mediation_actions (request_id, id)`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION mediation_actions_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'mediation_actions is append-only: % is not allowed', TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER mediation_actions_no_update_delete BEFORE UPDATE OR DELETE ON mediation_actions
    FOR EACH ROW EXECUTE FUNCTION mediation_actions_reject_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS mediation_actions, mediation_requests, notice_actions,
    notice_recipients, notices`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mediation_actions_reject_change()`.execute(db);
}
