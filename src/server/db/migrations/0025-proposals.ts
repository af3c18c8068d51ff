/**
 * Participation: deliberation (议事协商, issue 7): proposals, supporters,
 * answers and milestones.
 *
 * A proposal is placed on the map and located in its grid; its community is
 * kept beside it, since only supporters from that community count towards the
 * threshold. The threshold and the answer deadline are taken from the
 * district's settings when the proposal is made and kept on the proposal, so a
 * later change of the settings does not move proposals already collecting
 * support. Every step is written to its own append-only timeline in the same
 * transaction as the change.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Per district: how many supporters from the area send a proposal on, and
  // how many working days the department has to answer.
  await sql`
    CREATE TABLE proposal_settings (
      area_id bigint PRIMARY KEY REFERENCES areas(id),
      support_threshold integer NOT NULL CHECK (support_threshold BETWEEN 1 AND 100000),
      answer_working_days integer NOT NULL CHECK (answer_working_days BETWEEN 1 AND 365),
      version integer NOT NULL DEFAULT 1,
      updated_by bigint REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE proposals (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title text NOT NULL,
      body text NOT NULL,
      topic text NOT NULL,
      lat double precision NOT NULL,
      lng double precision NOT NULL,
      address text,
      -- the grid the place lies in, and its community (supporters from there count)
      area_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      community_id bigint NOT NULL REFERENCES areas(id),
      community_path text NOT NULL,
      proposer_user_id bigint NOT NULL REFERENCES users(id),
      proposer_label text NOT NULL,
      proposer_kind text NOT NULL
        CHECK (proposer_kind IN ('resident', 'volunteer', 'enterprise', 'association', 'staff')),
      proposer_organisation_id bigint REFERENCES organisations(id),
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'submitted', 'answered', 'in_progress', 'done', 'withdrawn')),
      support_threshold integer NOT NULL CHECK (support_threshold >= 1),
      answer_working_days integer NOT NULL CHECK (answer_working_days >= 1),
      local_support_count integer NOT NULL DEFAULT 0 CHECK (local_support_count >= 0),
      support_count integer NOT NULL DEFAULT 0 CHECK (support_count >= local_support_count),
      department_id bigint REFERENCES departments(id),
      submitted_at timestamptz,
      answer_due_at timestamptz,
      answer_overdue_at timestamptz,
      answer text CHECK (answer IN ('accepted', 'partly_accepted', 'rejected')),
      answer_reason text,
      answered_at timestamptz,
      answered_by bigint REFERENCES users(id),
      answered_label text,
      withdrawn_at timestamptz,
      withdraw_reason text,
      done_at timestamptz,
      -- the codes of the cases a coordinator built it from
      basis_case_codes text[] NOT NULL DEFAULT '{}',
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((answer IS NULL) = (answered_at IS NULL)),
      CHECK (answer IS NULL OR answer_reason IS NOT NULL),
      CHECK ((status IN ('answered', 'in_progress', 'done')) = (answer IS NOT NULL)),
      CHECK (status NOT IN ('in_progress', 'done') OR answer <> 'rejected'),
      CHECK (status = 'open' OR status = 'withdrawn' OR
             (department_id IS NOT NULL AND submitted_at IS NOT NULL AND answer_due_at IS NOT NULL)),
      CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
      CHECK ((status = 'done') = (done_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX proposals_area_path ON proposals (area_path text_pattern_ops, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX proposals_community ON proposals (community_id, id DESC)`.execute(db);
  await sql`CREATE INDEX proposals_proposer ON proposals (proposer_user_id, id DESC)`.execute(db);
  await sql`CREATE INDEX proposals_department ON proposals (department_id, id DESC) WHERE department_id IS NOT NULL`.execute(
    db,
  );
  // The overdue-answer job: submitted, not answered, deadline passed.
  await sql`CREATE INDEX proposals_answer_due ON proposals (answer_due_at) WHERE status = 'submitted'`.execute(
    db,
  );
  // A double-clicked form: the same title twice from one person while open.
  await sql`CREATE UNIQUE INDEX proposals_open_title_once ON proposals (proposer_user_id, title) WHERE status = 'open'`.execute(
    db,
  );

  // One support per person and proposal, enforced here. `local` says whether
  // it counts towards the threshold (the supporter lives in, or volunteers
  // for, the proposal's community), decided when the support is given.
  await sql`
    CREATE TABLE proposal_supports (
      proposal_id bigint NOT NULL REFERENCES proposals(id),
      user_id bigint NOT NULL REFERENCES users(id),
      local boolean NOT NULL,
      basis text CHECK (basis IN ('resident', 'volunteer')),
      comment text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (proposal_id, user_id),
      CHECK (local = (basis IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX proposal_supports_user ON proposal_supports (user_id, proposal_id)`.execute(
    db,
  );

  // The cases a proposal was built from.
  await sql`
    CREATE TABLE proposal_cases (
      proposal_id bigint NOT NULL REFERENCES proposals(id),
      case_id bigint NOT NULL REFERENCES cases(id),
      PRIMARY KEY (proposal_id, case_id)
    )`.execute(db);
  await sql`CREATE INDEX proposal_cases_case ON proposal_cases (case_id)`.execute(db);

  await sql`
    CREATE TABLE proposal_milestones (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      proposal_id bigint NOT NULL REFERENCES proposals(id),
      title text NOT NULL,
      due_on date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
      note text,
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      completed_by bigint REFERENCES users(id),
      completed_label text,
      CHECK ((status = 'done') = (completed_at IS NOT NULL)),
      CHECK (status = 'open' OR note IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX proposal_milestones_proposal ON proposal_milestones (proposal_id, id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE proposal_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      proposal_id bigint NOT NULL REFERENCES proposals(id),
      action text NOT NULL,
      from_status text,
      to_status text,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      note text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX proposal_actions_proposal ON proposal_actions (proposal_id, id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS proposal_actions`.execute(db);
  await sql`DROP TABLE IF EXISTS proposal_milestones`.execute(db);
  await sql`DROP TABLE IF EXISTS proposal_cases`.execute(db);
  await sql`DROP TABLE IF EXISTS proposal_supports`.execute(db);
  await sql`DROP TABLE IF EXISTS proposals`.execute(db);
  await sql`DROP TABLE IF EXISTS proposal_settings`.execute(db);
}
