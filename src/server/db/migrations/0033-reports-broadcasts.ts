/**
 * District reports and targeted broadcasts (issue 8, items 8 and 9).
 *
 * Reports: a stored snapshot per (area, kind, period) — the figures as JSON
 * and the workbook as bytes, so a report reads the same tomorrow as the day
 * it was made, however the rollups move. The unique key makes the scheduled
 * job idempotent: two servers generating the same week insert one row.
 * Schedules say which areas get a weekly or monthly report and who is told.
 *
 * Broadcasts: a notice to people (residents of an area, employees of chosen
 * enterprises, volunteers of an area or team). Sending fixes the audience;
 * the `broadcast-delivery` job then writes one delivery row per person in
 * batches (a cursor over the audience's source rows) and delivers them in
 * the app and by SMS. Counters on the broadcast are kept by the same
 * transactions that change the deliveries, so a list never counts rows.
 * No phone number is copied: the job reads it when it sends.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // ------------------------------------------------------------- reports
  await sql`
    CREATE TABLE report_schedules (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      area_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('weekly', 'monthly')),
      active boolean NOT NULL DEFAULT true,
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (area_id, kind)
    )`.execute(db);
  await sql`CREATE INDEX report_schedules_area_path ON report_schedules (area_path text_pattern_ops)`.execute(
    db,
  );
  await sql`
    CREATE TABLE report_schedule_recipients (
      schedule_id bigint NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id),
      PRIMARY KEY (schedule_id, user_id)
    )`.execute(db);

  await sql`
    CREATE TABLE reports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      area_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      area_name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('weekly', 'monthly')),
      -- '2026-W48' (ISO week, Monday to Sunday China time) or '2026-11'
      period text NOT NULL,
      period_from date NOT NULL,
      period_to date NOT NULL,
      -- made after the period ended; an incomplete one (the current week) is
      -- refreshed by the next generation instead of kept
      complete boolean NOT NULL,
      content jsonb NOT NULL,
      xlsx bytea NOT NULL,
      source text NOT NULL CHECK (source IN ('manual', 'schedule')),
      generated_by bigint REFERENCES users(id),
      generated_label text NOT NULL,
      generated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      UNIQUE (area_id, kind, period),
      CHECK (period_from <= period_to)
    )`.execute(db);
  await sql`CREATE INDEX reports_area_path ON reports (area_path text_pattern_ops, period_to DESC, id DESC)`.execute(
    db,
  );

  // ---------------------------------------------------------- broadcasts
  await sql`
    CREATE TABLE broadcasts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title text NOT NULL,
      body text NOT NULL,
      category text NOT NULL
        CHECK (category IN ('anti_fraud', 'safety', 'emergency', 'policy', 'other')),
      -- who it reaches (shared/schemas/broadcasts.ts broadcastAudience)
      audience jsonb NOT NULL,
      -- also by SMS to those with a phone number (in the app always)
      sms boolean NOT NULL DEFAULT true,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent')),
      issuer_name text NOT NULL,
      -- the audience never reaches beyond this path
      area_path text NOT NULL,
      department_id bigint REFERENCES departments(id),
      created_by bigint REFERENCES users(id),
      created_label text NOT NULL,
      sent_at timestamptz,
      sent_by bigint REFERENCES users(id),
      sent_label text,
      completed_at timestamptz,
      -- materialising the audience: the last source row id done, and whether all are
      cursor bigint,
      materialised boolean NOT NULL DEFAULT false,
      targeted_count integer NOT NULL DEFAULT 0,
      unreachable_count integer NOT NULL DEFAULT 0,
      delivered_count integer NOT NULL DEFAULT 0,
      in_app_count integer NOT NULL DEFAULT 0,
      sms_sent_count integer NOT NULL DEFAULT 0,
      failed_count integer NOT NULL DEFAULT 0,
      read_count integer NOT NULL DEFAULT 0,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'draft') = (sent_at IS NULL)),
      CHECK ((status = 'sent') = (completed_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX broadcasts_area_path ON broadcasts (area_path text_pattern_ops, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX broadcasts_department ON broadcasts (department_id, id DESC) WHERE department_id IS NOT NULL`.execute(
    db,
  );
  // The job's queue of broadcasts still being materialised or delivered.
  await sql`CREATE INDEX broadcasts_sending ON broadcasts (id) WHERE status = 'sending'`.execute(
    db,
  );

  await sql`
    CREATE TABLE broadcast_deliveries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      broadcast_id bigint NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
      -- the person: a resident (with or without an account), or an account alone
      resident_id bigint REFERENCES residents(id),
      user_id bigint REFERENCES users(id),
      -- the channels chosen when the audience was fixed
      in_app boolean NOT NULL,
      sms boolean NOT NULL,
      delivered_at timestamptz,
      in_app_at timestamptz,
      sms_status text CHECK (sms_status IN ('sent', 'failed')),
      sms_sender text,
      read_at timestamptz,
      CHECK (resident_id IS NOT NULL OR user_id IS NOT NULL),
      CHECK (in_app OR sms),
      CHECK (read_at IS NULL OR in_app_at IS NOT NULL)
    )`.execute(db);
  // One row per person and broadcast, however often the job runs.
  await sql`CREATE UNIQUE INDEX broadcast_deliveries_resident ON broadcast_deliveries (broadcast_id, resident_id) WHERE resident_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX broadcast_deliveries_account ON broadcast_deliveries (broadcast_id, user_id) WHERE resident_id IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX broadcast_deliveries_pending ON broadcast_deliveries (id) WHERE delivered_at IS NULL`.execute(
    db,
  );
  // A recipient's list in the app.
  await sql`CREATE INDEX broadcast_deliveries_inbox ON broadcast_deliveries (user_id, broadcast_id DESC) WHERE in_app_at IS NOT NULL`.execute(
    db,
  );

  // What happened to a broadcast: created, edited, sent, delivered.
  await sql`
    CREATE TABLE broadcast_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      broadcast_id bigint NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
      action text NOT NULL,
      actor_user_id bigint REFERENCES users(id),
      actor_label text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX broadcast_actions_broadcast ON broadcast_actions (broadcast_id, id)`.execute(
    db,
  );
}
