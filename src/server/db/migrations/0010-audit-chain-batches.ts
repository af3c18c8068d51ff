/**
 * The audit chain is linked in batches instead of inside every writing
 * transaction. Before, each audited change took a global lock and held it
 * through its commit, so all audited writes in the district ran one at a
 * time (the intake benchmark measured 160 cases/s, with 15 of 16
 * connections waiting on that lock). Now a change inserts its audit row
 * unlinked, in its own transaction as before, and a chainer (the server,
 * about every second, and every reader of the chain first) links the
 * committed rows in order: prev_hash, hash and chain_seq, once.
 *
 * The table stays append-only: the trigger allows exactly one UPDATE per
 * row, the one that links it, with its content unchanged.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL,
    ALTER COLUMN hash DROP NOT NULL, ADD COLUMN chain_seq bigint UNIQUE`.execute(db);
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`.execute(db);
  await sql`UPDATE audit_log a SET chain_seq = s.n
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log) s WHERE s.id = a.id`.execute(
    db,
  );
  await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete`.execute(db);
  await sql`CREATE INDEX audit_log_unchained ON audit_log (id) WHERE chain_seq IS NULL`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND OLD.chain_seq IS NULL AND OLD.hash IS NULL AND OLD.prev_hash IS NULL
        AND NEW.chain_seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
        AND (NEW.id, NEW.at, NEW.actor_user_id, NEW.actor_token_id, NEW.actor_label, NEW.action,
             NEW.subject_type, NEW.subject_id, NEW.details, NEW.request_id)
          IS NOT DISTINCT FROM
            (OLD.id, OLD.at, OLD.actor_user_id, OLD.actor_token_id, OLD.actor_label, OLD.action,
             OLD.subject_type, OLD.subject_id, OLD.details, OLD.request_id)
      THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  await sql`DROP INDEX audit_log_unchained`.execute(db);
  await sql`ALTER TABLE audit_log DROP COLUMN chain_seq`.execute(db);
}
