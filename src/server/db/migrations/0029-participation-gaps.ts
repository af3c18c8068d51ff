/**
 * Participation gaps (issue 7):
 *
 * - proposal_photos: photos a proposer adds to their proposal (at most 4,
 *   while it collects support). The bytes live in the file store like case
 *   attachments; the row keeps the original's key and the public copy's
 *   (images without location metadata), which is all anyone is ever sent.
 * - shift_signups.checkout_source: who closed an attendance — the volunteer
 *   (check-out on the phone), 'auto' (the shift-checkouts job, 2 hours after
 *   the shift's end, at the shift's end, flagged for the verifier: 未签退), or
 *   'verifier' (the verifier set the real check-out time). Rows checked out
 *   before this migration were checked out by their volunteer.
 * - shift_signup_actions gains 'auto_check_out' and 'set_check_out', and the
 *   old and new check-out times: setting the time is logged like a
 *   correction, with who, why, and both times.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE proposal_photos (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      proposal_id bigint NOT NULL REFERENCES proposals(id),
      filename text NOT NULL,
      mime text NOT NULL CHECK (mime LIKE 'image/%'),
      size integer NOT NULL CHECK (size > 0),
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      public_key text NOT NULL,
      uploaded_by bigint NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX proposal_photos_proposal ON proposal_photos (proposal_id, id)`.execute(db);

  await sql`ALTER TABLE shift_signups ADD COLUMN checkout_source text
    CHECK (checkout_source IN ('volunteer', 'auto', 'verifier'))`.execute(db);
  await sql`UPDATE shift_signups SET checkout_source = 'volunteer' WHERE checked_out_at IS NOT NULL`.execute(
    db,
  );
  // Rows written without it (older seeders) read as the volunteer's own check-out.
  await sql`ALTER TABLE shift_signups ADD CONSTRAINT shift_signups_checkout_source_time
    CHECK (checkout_source IS NULL OR checked_out_at IS NOT NULL)`.execute(db);
  // The job's and the verifier's queue: attendances closed automatically.
  await sql`CREATE INDEX shift_signups_auto_closed ON shift_signups (shift_id)
    WHERE checkout_source = 'auto'`.execute(db);
  // The job: check-ins still open (few at any time).
  await sql`CREATE INDEX shift_signups_open_check_ins ON shift_signups (shift_id)
    WHERE status = 'checked_in'`.execute(db);

  await sql`ALTER TABLE shift_signup_actions ADD COLUMN old_checked_out_at timestamptz`.execute(db);
  await sql`ALTER TABLE shift_signup_actions ADD COLUMN new_checked_out_at timestamptz`.execute(db);
  await sql`ALTER TABLE shift_signup_actions DROP CONSTRAINT shift_signup_actions_action_check`.execute(
    db,
  );
  await sql`ALTER TABLE shift_signup_actions ADD CONSTRAINT shift_signup_actions_action_check
    CHECK (action IN ('sign_up', 'cancel', 'check_in', 'check_out', 'verify', 'reject', 'correct',
      'auto_check_out', 'set_check_out'))`.execute(db);
  await sql`ALTER TABLE shift_signup_actions ADD CONSTRAINT shift_signup_actions_set_check_out
    CHECK (action <> 'set_check_out' OR (reason IS NOT NULL AND new_checked_out_at IS NOT NULL))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE shift_signup_actions DROP CONSTRAINT shift_signup_actions_set_check_out`.execute(
    db,
  );
  await sql`ALTER TABLE shift_signup_actions DROP CONSTRAINT shift_signup_actions_action_check`.execute(
    db,
  );
  await sql`ALTER TABLE shift_signup_actions ADD CONSTRAINT shift_signup_actions_action_check
    CHECK (action IN ('sign_up', 'cancel', 'check_in', 'check_out', 'verify', 'reject', 'correct'))`.execute(
    db,
  );
  await sql`ALTER TABLE shift_signup_actions DROP COLUMN new_checked_out_at`.execute(db);
  await sql`ALTER TABLE shift_signup_actions DROP COLUMN old_checked_out_at`.execute(db);
  await sql`DROP INDEX shift_signups_open_check_ins`.execute(db);
  await sql`DROP INDEX shift_signups_auto_closed`.execute(db);
  await sql`ALTER TABLE shift_signups DROP CONSTRAINT shift_signups_checkout_source_time`.execute(
    db,
  );
  await sql`ALTER TABLE shift_signups DROP COLUMN checkout_source`.execute(db);
  await sql`DROP TABLE proposal_photos`.execute(db);
}
