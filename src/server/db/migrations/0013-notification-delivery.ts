/**
 * Notifications also go out by SMS (or e-mail) through a pluggable sender:
 * each row records when and how it was delivered. Rows from before this
 * migration count as delivered (nobody wants last month's alerts now).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notifications ADD COLUMN delivered_at timestamptz, ADD COLUMN delivery text`.execute(
    db,
  );
  await sql`UPDATE notifications SET delivered_at = created_at, delivery = 'before-senders'`.execute(
    db,
  );
  await sql`CREATE INDEX notifications_undelivered ON notifications (id) WHERE delivered_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX notifications_undelivered`.execute(db);
  await sql`ALTER TABLE notifications DROP COLUMN delivered_at, DROP COLUMN delivery`.execute(db);
}
