/**
 * Joint meetings (联席会议) and the bounce agenda (issue 8, items 5 and 7).
 *
 * A meeting belongs to an area (the coordination centre of that area calls
 * it), invites departments and organisations, and moves scheduled → held →
 * closed (or cancelled, with a reason). Its agenda items link the record they
 * are about (a case, a proposal, an enterprise's wage warning); an item with
 * no meeting waits in its area's pool for the next meeting. One open item per
 * subject (`subject_key`, "case:42"): the bounce detector inserts with ON
 * CONFLICT DO NOTHING, so it can run twice, on two servers, and still put a
 * case on the agenda once. A settled item keeps the case's last action id at
 * that moment (`settled_action_id`): returns and reassignments after it are
 * what count towards the next bounce. Decisions are action items with an
 * owner and a deadline day; every step on a meeting is written to its
 * append-only log with the change.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The district's bounce threshold: a case returned or reassigned more than
  // this many times (since its last ruling) goes to the next joint meeting.
  await sql`
    CREATE TABLE meeting_settings (
      area_id bigint PRIMARY KEY REFERENCES areas(id),
      bounce_threshold integer NOT NULL CHECK (bounce_threshold BETWEEN 1 AND 20),
      version integer NOT NULL DEFAULT 1,
      updated_by bigint REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE meetings (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      area_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      title text NOT NULL,
      scheduled_at timestamptz NOT NULL,
      place text NOT NULL,
      status text NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'held', 'closed', 'cancelled')),
      minutes text,
      cancel_reason text,
      held_at timestamptz,
      closed_at timestamptz,
      cancelled_at timestamptz,
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
      CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL),
      CHECK (status NOT IN ('held', 'closed') OR held_at IS NOT NULL),
      CHECK ((status = 'closed') = (closed_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX meetings_area_path ON meetings (area_path text_pattern_ops, scheduled_at DESC)`.execute(
    db,
  );
  // The next scheduled meeting of an area (where the detector puts a bounced case).
  await sql`CREATE INDEX meetings_scheduled ON meetings (scheduled_at) WHERE status = 'scheduled'`.execute(
    db,
  );

  await sql`
    CREATE TABLE meeting_participants (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      meeting_id bigint NOT NULL REFERENCES meetings(id),
      department_id bigint REFERENCES departments(id),
      organisation_id bigint REFERENCES organisations(id),
      -- recorded once the meeting is held; null until then
      attended boolean,
      invited_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((department_id IS NULL) <> (organisation_id IS NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX meeting_participants_department ON meeting_participants (meeting_id, department_id) WHERE department_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX meeting_participants_organisation ON meeting_participants (meeting_id, organisation_id) WHERE organisation_id IS NOT NULL`.execute(
    db,
  );
  // "The meetings my department / organisation is invited to".
  await sql`CREATE INDEX meeting_participants_by_department ON meeting_participants (department_id) WHERE department_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX meeting_participants_by_organisation ON meeting_participants (organisation_id) WHERE organisation_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE meeting_agenda_items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- null: in the pool of its area, waiting for the next meeting
      meeting_id bigint REFERENCES meetings(id),
      area_path text NOT NULL,
      kind text NOT NULL
        CHECK (kind IN ('bounced_case', 'supervised_case', 'proposal', 'warning', 'other')),
      case_id bigint REFERENCES cases(id),
      proposal_id bigint REFERENCES proposals(id),
      organisation_id bigint REFERENCES organisations(id),
      -- one open item per subject ('case:42', 'proposal:7', 'warning:9'); null for 'other'
      subject_key text,
      title text NOT NULL,
      -- why it is on the agenda, as people read it, and the figures behind it
      reason text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      source text NOT NULL CHECK (source IN ('detector', 'manual')),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'concluded', 'dropped')),
      outcome text,
      -- the arbiter's ruling on a case: lead, assisting parties, the case step, the rule saved
      ruling jsonb,
      settled_at timestamptz,
      settled_by bigint REFERENCES users(id),
      settled_label text,
      -- the case's last action when the item was settled: later bounces count anew
      settled_action_id bigint,
      position integer NOT NULL DEFAULT 0,
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (kind NOT IN ('bounced_case', 'supervised_case') OR case_id IS NOT NULL),
      CHECK (kind <> 'proposal' OR proposal_id IS NOT NULL),
      CHECK (kind <> 'warning' OR organisation_id IS NOT NULL),
      CHECK ((status = 'open') = (settled_at IS NULL)),
      CHECK (status = 'open' OR meeting_id IS NOT NULL OR status = 'dropped')
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX meeting_agenda_items_open_subject ON meeting_agenda_items (subject_key) WHERE status = 'open' AND subject_key IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX meeting_agenda_items_meeting ON meeting_agenda_items (meeting_id, position, id) WHERE meeting_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX meeting_agenda_items_pool ON meeting_agenda_items (area_path text_pattern_ops) WHERE meeting_id IS NULL AND status = 'open'`.execute(
    db,
  );
  await sql`CREATE INDEX meeting_agenda_items_case ON meeting_agenda_items (case_id, settled_action_id) WHERE case_id IS NOT NULL`.execute(
    db,
  );
  // The bounce detector reads only returns and reassignments: a small slice of the log.
  await sql`CREATE INDEX case_actions_bounces ON case_actions (case_id, id) WHERE action IN ('return', 'reassign')`.execute(
    db,
  );

  await sql`
    CREATE TABLE meeting_action_items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      meeting_id bigint NOT NULL REFERENCES meetings(id),
      agenda_item_id bigint REFERENCES meeting_agenda_items(id),
      title text NOT NULL,
      owner_department_id bigint REFERENCES departments(id),
      owner_organisation_id bigint REFERENCES organisations(id),
      -- the day (China time) it is due by; overdue the day after
      due_on date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
      done_note text,
      done_at timestamptz,
      done_by bigint REFERENCES users(id),
      done_label text,
      cancel_reason text,
      -- the overdue job told the owner once
      overdue_notified_at timestamptz,
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((owner_department_id IS NULL) <> (owner_organisation_id IS NULL)),
      CHECK ((status = 'done') = (done_at IS NOT NULL)),
      CHECK (status <> 'done' OR done_note IS NOT NULL),
      CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX meeting_action_items_meeting ON meeting_action_items (meeting_id, id)`.execute(
    db,
  );
  await sql`CREATE INDEX meeting_action_items_department ON meeting_action_items (owner_department_id, status, due_on) WHERE owner_department_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX meeting_action_items_organisation ON meeting_action_items (owner_organisation_id, status, due_on) WHERE owner_organisation_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX meeting_action_items_overdue ON meeting_action_items (due_on) WHERE status = 'open' AND overdue_notified_at IS NULL`.execute(
    db,
  );

  // Who did what on a meeting (its agenda, ruling, minutes, decisions).
  await sql`
    CREATE TABLE meeting_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      meeting_id bigint NOT NULL REFERENCES meetings(id),
      action text NOT NULL,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      note text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX meeting_actions_meeting ON meeting_actions (meeting_id, id)`.execute(db);
  await sql`
    CREATE FUNCTION meeting_actions_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'meeting_actions is append-only: % is not allowed', TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER meeting_actions_no_update_delete BEFORE UPDATE OR DELETE ON meeting_actions
    FOR EACH ROW EXECUTE FUNCTION meeting_actions_reject_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS meeting_actions, meeting_action_items, meeting_agenda_items,
    meeting_participants, meetings, meeting_settings`.execute(db);
  await sql`DROP INDEX IF EXISTS case_actions_bounces`.execute(db);
  await sql`DROP FUNCTION IF EXISTS meeting_actions_reject_change()`.execute(db);
}
