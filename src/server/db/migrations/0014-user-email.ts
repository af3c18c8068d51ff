/**
 * Accounts get an optional e-mail address, and notifications go by e-mail as
 * well as by SMS. The address is checked for a plausible shape (the API checks
 * more closely) and is unique among accounts regardless of case.
 *
 * A notification may now go out on two channels, so `delivery` becomes a list
 * with one entry per channel ("sms:log", "email:smtp", "email:smtp:failed"),
 * or just "app" when it stayed in the app; earlier values become one-entry lists.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users ADD COLUMN email text
      CONSTRAINT users_email_plausible
      CHECK (char_length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:].]+$')`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX users_email_unique ON users (lower(email)) WHERE email IS NOT NULL`.execute(
    db,
  );
  await sql`
    ALTER TABLE notifications ALTER COLUMN delivery TYPE text[]
      USING CASE WHEN delivery IS NULL THEN NULL ELSE ARRAY[delivery] END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE notifications ALTER COLUMN delivery TYPE text
      USING array_to_string(delivery, ',')`.execute(db);
  await sql`DROP INDEX users_email_unique`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN email`.execute(db);
}
