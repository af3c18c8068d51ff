/**
 * Photos and files on cases. The bytes live in the file store (DATA_DIR or
 * an object store), not in the database: a row records where, what the
 * bytes really are (sniffed, not the name's word for it), their digest, and
 * the key of the public copy (an image with its location data removed).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_attachments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cases(id),
      filename text NOT NULL,
      mime text NOT NULL,
      size integer NOT NULL CHECK (size > 0),
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      public_key text NOT NULL,
      visibility text NOT NULL CHECK (visibility IN ('internal', 'public')),
      uploaded_by bigint REFERENCES users(id),
      uploaded_label text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX case_attachments_case ON case_attachments (case_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_attachments`.execute(db);
}
