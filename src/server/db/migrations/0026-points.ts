/**
 * Participation (issue 7): the points ledger (积分台账) of the new-citizen
 * points scheme. Append-only — the database refuses UPDATE, DELETE and
 * TRUNCATE — so a mistake is put right by a correction entry that names the
 * entry it corrects. Each earning source pays once (a unique key per rule,
 * source and person). Balances are derived: a trigger adds every entry to
 * points_balances in the same transaction, so reading a balance or a
 * leaderboard does not sum the ledger.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE points_ledger (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id),
      amount integer NOT NULL,
      rule text NOT NULL CHECK (rule IN ('verified_hours', 'tip_resolved', 'mediation_closed',
        'proposal_adopted', 'proposal_partly_adopted', 'correction')),
      source_type text CHECK (source_type IN ('shift_signup', 'case', 'proposal')),
      source_id bigint,
      occurred_on date NOT NULL,
      uncapped integer NOT NULL,
      capped_by text CHECK (capped_by IN ('day', 'month')),
      note text,
      corrects_id bigint REFERENCES points_ledger(id),
      created_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((rule = 'correction') = (corrects_id IS NOT NULL)),
      CHECK (rule = 'correction' OR (source_type IS NOT NULL AND source_id IS NOT NULL)),
      CHECK (rule = 'correction' OR amount >= 0)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX points_ledger_once ON points_ledger (rule, source_type, source_id, user_id)
    WHERE rule <> 'correction'`.execute(db);
  await sql`CREATE INDEX points_ledger_user ON points_ledger (user_id, occurred_on, id)`.execute(
    db,
  );
  await sql`CREATE INDEX points_ledger_corrects ON points_ledger (corrects_id) WHERE corrects_id IS NOT NULL`.execute(
    db,
  );

  await sql`
    CREATE TABLE points_balances (
      user_id bigint PRIMARY KEY REFERENCES users(id),
      balance integer NOT NULL,
      earned integer NOT NULL,
      entries integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX points_balances_balance ON points_balances (balance DESC)`.execute(db);

  await sql`
    CREATE TABLE points_preferences (
      user_id bigint PRIMARY KEY REFERENCES users(id),
      leaderboard boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // The points job finds changed sources by time.
  await sql`CREATE INDEX shift_signups_updated ON shift_signups (updated_at)`.execute(db);
  await sql`CREATE INDEX proposals_updated ON proposals (updated_at)`.execute(db);

  // How far the points job has looked: sources changed after this are looked at again.
  await sql`
    CREATE TABLE points_job_state (
      id smallint PRIMARY KEY CHECK (id = 1),
      watermark timestamptz NOT NULL
    )`.execute(db);

  await sql`
    CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'points_ledger is append-only: % is not allowed; add a correction entry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`CREATE TRIGGER points_ledger_no_change BEFORE UPDATE OR DELETE ON points_ledger
    FOR EACH ROW EXECUTE FUNCTION points_ledger_append_only()`.execute(db);
  await sql`CREATE TRIGGER points_ledger_no_truncate BEFORE TRUNCATE ON points_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_append_only()`.execute(db);

  await sql`
    CREATE FUNCTION points_ledger_to_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO points_balances AS b (user_id, balance, earned, entries)
      VALUES (NEW.user_id, NEW.amount, GREATEST(NEW.amount, 0), 1)
      ON CONFLICT (user_id) DO UPDATE SET
        balance = b.balance + EXCLUDED.balance,
        earned = b.earned + EXCLUDED.earned,
        entries = b.entries + 1,
        updated_at = now();
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER points_ledger_balance AFTER INSERT ON points_ledger
    FOR EACH ROW EXECUTE FUNCTION points_ledger_to_balance()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE points_job_state`.execute(db);
  await sql`DROP INDEX proposals_updated`.execute(db);
  await sql`DROP INDEX shift_signups_updated`.execute(db);
  await sql`DROP TABLE points_preferences`.execute(db);
  await sql`DROP TABLE points_balances`.execute(db);
  await sql`DROP TABLE points_ledger`.execute(db);
  await sql`DROP FUNCTION points_ledger_to_balance()`.execute(db);
  await sql`DROP FUNCTION points_ledger_append_only()`.execute(db);
}
