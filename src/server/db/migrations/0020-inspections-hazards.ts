/**
 * Enterprise workspace (issue 6): self-inspection (自查) and hazards and
 * rectification (隐患整改).
 *
 * - checklist_templates: the government's checklists (fire, dormitory,
 *   internal security, hazardous materials), per industry, monthly or
 *   quarterly. Editing makes a new version; an inspection keeps a snapshot of
 *   the items it was made with.
 * - inspections: one row per enterprise, template and period (the unique key
 *   makes scheduling idempotent); the results of all items are one jsonb
 *   value on the row.
 * - enterprise_files: photos an enterprise uploads as evidence (bytes in the
 *   file store, like case_attachments).
 * - hazards + hazard_actions: a hazard's state and its append-only timeline.
 * - spot_checks + spot_check_items: random, risk-weighted samples drawn by a
 *   department, with the weight of each drawn enterprise and its finding.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE checklist_templates (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      topic text NOT NULL CHECK (topic IN ('fire', 'dormitory', 'security', 'hazmat')),
      description text,
      industries text[] NOT NULL DEFAULT '{}',
      frequency text NOT NULL CHECK (frequency IN ('monthly', 'quarterly')),
      items jsonb NOT NULL,
      version integer NOT NULL DEFAULT 1,
      active boolean NOT NULL DEFAULT true,
      updated_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE inspections (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      template_id bigint NOT NULL REFERENCES checklist_templates(id),
      template_version integer NOT NULL,
      items jsonb NOT NULL,
      period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
      due_on date NOT NULL,
      status text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'submitted')),
      submitted_at timestamptz,
      submitted_by bigint REFERENCES users(id),
      late boolean NOT NULL DEFAULT false,
      results jsonb,
      failed_items integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organisation_id, template_id, period),
      CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX inspections_organisation ON inspections (organisation_id, due_on DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX inspections_due ON inspections (due_on) WHERE status = 'due'`.execute(db);

  await sql`
    CREATE TABLE enterprise_files (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      filename text NOT NULL,
      mime text NOT NULL,
      size integer NOT NULL CHECK (size > 0),
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      public_key text NOT NULL,
      uploaded_by bigint REFERENCES users(id),
      uploaded_label text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX enterprise_files_organisation ON enterprise_files (organisation_id, id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE spot_checks (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      department_id bigint REFERENCES departments(id),
      area_path text,
      drawn_by bigint REFERENCES users(id),
      drawn_label text NOT NULL DEFAULT '',
      drawn_at timestamptz NOT NULL DEFAULT now(),
      criteria jsonb NOT NULL DEFAULT '{}'::jsonb,
      weights jsonb NOT NULL DEFAULT '{}'::jsonb,
      population integer NOT NULL DEFAULT 0,
      sample_size integer NOT NULL CHECK (sample_size > 0),
      note text
    )`.execute(db);
  await sql`CREATE INDEX spot_checks_department ON spot_checks (department_id, id DESC)`.execute(
    db,
  );

  await sql`
    CREATE TABLE spot_check_items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      spot_check_id bigint NOT NULL REFERENCES spot_checks(id),
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      rank integer NOT NULL DEFAULT 0,
      weight double precision NOT NULL CHECK (weight > 0),
      factors jsonb NOT NULL DEFAULT '{}'::jsonb,
      finding text NOT NULL DEFAULT 'pending'
        CHECK (finding IN ('pending', 'ok', 'hazards_found', 'closed_down', 'not_found')),
      note text,
      checked_at timestamptz,
      checked_by bigint REFERENCES users(id),
      UNIQUE (spot_check_id, organisation_id)
    )`.execute(db);
  await sql`CREATE INDEX spot_check_items_organisation ON spot_check_items (organisation_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE hazards (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      area_path text NOT NULL,
      site_id bigint,
      source text NOT NULL CHECK (source IN ('inspection', 'spot_check', 'staff', 'report')),
      inspection_id bigint REFERENCES inspections(id),
      item_code text,
      spot_check_id bigint REFERENCES spot_checks(id),
      level text NOT NULL CHECK (level IN ('general', 'major')),
      title text NOT NULL,
      description text,
      lat double precision,
      lng double precision,
      address text,
      found_evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'rectifying', 'submitted', 'closed')),
      deadline date NOT NULL,
      plan text,
      plan_at timestamptz,
      evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
      completion_note text,
      completed_at timestamptz,
      closed_at timestamptz,
      verified_by bigint REFERENCES users(id),
      supervising_department_id bigint REFERENCES departments(id),
      supervised_at timestamptz,
      supervision_note text,
      version integer NOT NULL DEFAULT 1,
      created_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
      CHECK (source <> 'inspection' OR inspection_id IS NOT NULL),
      CHECK (source <> 'spot_check' OR spot_check_id IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX hazards_organisation ON hazards (organisation_id, status)`.execute(db);
  await sql`CREATE INDEX hazards_area ON hazards (area_path text_pattern_ops, created_at)`.execute(
    db,
  );
  await sql`CREATE INDEX hazards_open_deadline ON hazards (deadline) WHERE status <> 'closed'`.execute(
    db,
  );
  await sql`CREATE INDEX hazards_major_open ON hazards (organisation_id)
    WHERE level = 'major' AND status <> 'closed'`.execute(db);
  await sql`CREATE UNIQUE INDEX hazards_inspection_item ON hazards (inspection_id, item_code)
    WHERE inspection_id IS NOT NULL`.execute(db);

  // A hazard's timeline: every step, written with the change itself. Append-only.
  await sql`
    CREATE TABLE hazard_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      hazard_id bigint NOT NULL REFERENCES hazards(id),
      kind text NOT NULL,
      from_status text,
      to_status text,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      department_id bigint REFERENCES departments(id),
      note text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX hazard_actions_hazard ON hazard_actions (hazard_id, id)`.execute(db);
  await sql`
    CREATE FUNCTION hazard_actions_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'hazard_actions is append-only: % is not allowed', TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER hazard_actions_no_update_delete BEFORE UPDATE OR DELETE ON hazard_actions
    FOR EACH ROW EXECUTE FUNCTION hazard_actions_reject_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS hazard_actions, hazards, spot_check_items, spot_checks,
    enterprise_files, inspections, checklist_templates`.execute(db);
  await sql`DROP FUNCTION IF EXISTS hazard_actions_reject_change()`.execute(db);
}
