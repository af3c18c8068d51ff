/**
 * Base data (一标三实): standard addresses (buildings and their units), actual
 * housing (rental units, landlords, capacity), actual population (residents
 * and their residence registrations) and actual organisations. Personal
 * numbers are stored only encrypted, with a keyed blind index for lookup and
 * a masked form for display.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE buildings (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      grid_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      road text NOT NULL,
      house_number text NOT NULL,
      building_no text,
      estate text,
      address text NOT NULL UNIQUE,
      lng double precision NOT NULL,
      lat double precision NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX buildings_area_path ON buildings (area_path text_pattern_ops)`.execute(db);

  await sql`
    CREATE TABLE residents (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      id_number_enc text NOT NULL,
      id_number_index text NOT NULL UNIQUE,
      id_number_masked text NOT NULL,
      gender text NOT NULL CHECK (gender IN ('male', 'female')),
      birth_date date NOT NULL,
      region_code text NOT NULL,
      origin_province text NOT NULL,
      origin_city text,
      phone_enc text,
      phone_index text,
      phone_masked text,
      arrival_date date,
      unit_id bigint,
      employer_id bigint REFERENCES organisations(id),
      user_id bigint UNIQUE REFERENCES users(id),
      status text NOT NULL DEFAULT 'registered'
        CHECK (status IN ('registered', 'permit_holder', 'departed')),
      registered_since date,
      area_path text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX residents_area_path ON residents (area_path text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX residents_unit ON residents (unit_id)`.execute(db);
  await sql`CREATE INDEX residents_employer ON residents (employer_id)`.execute(db);
  await sql`CREATE INDEX residents_phone_index ON residents (phone_index)`.execute(db);
  await sql`CREATE INDEX residents_registered_since ON residents (registered_since) WHERE status = 'registered'`.execute(
    db,
  );

  await sql`
    CREATE TABLE units (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      building_id bigint NOT NULL REFERENCES buildings(id),
      area_path text NOT NULL,
      unit_no text NOT NULL,
      floor integer,
      floor_area_m2 numeric(8, 2) CHECK (floor_area_m2 > 0),
      address text NOT NULL UNIQUE,
      is_rental boolean NOT NULL DEFAULT false,
      landlord_resident_id bigint REFERENCES residents(id),
      landlord_organisation_id bigint REFERENCES organisations(id),
      declared_capacity integer CHECK (declared_capacity > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (building_id, unit_no),
      CHECK (landlord_resident_id IS NULL OR landlord_organisation_id IS NULL)
    )`.execute(db);
  await sql`CREATE INDEX units_area_path ON units (area_path text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX units_building ON units (building_id)`.execute(db);
  await sql`ALTER TABLE residents ADD CONSTRAINT residents_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE residence_registrations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      resident_id bigint NOT NULL REFERENCES residents(id),
      unit_id bigint NOT NULL REFERENCES units(id),
      moved_in date NOT NULL,
      moved_out date,
      channel text NOT NULL CHECK (channel IN ('self', 'grid_worker', 'landlord', 'enterprise', 'import', 'staff')),
      registered_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (moved_out IS NULL OR moved_out >= moved_in)
    )`.execute(db);
  await sql`CREATE INDEX registrations_resident ON residence_registrations (resident_id, moved_in)`.execute(
    db,
  );
  // At most one open registration per resident.
  await sql`CREATE UNIQUE INDEX registrations_one_open ON residence_registrations (resident_id) WHERE moved_out IS NULL`.execute(
    db,
  );

  await sql`ALTER TABLE organisations
    ADD COLUMN uscc text UNIQUE,
    ADD COLUMN area_path text,
    ADD COLUMN unit_id bigint REFERENCES units(id),
    ADD COLUMN address text,
    ADD COLUMN industry text,
    ADD COLUMN size text CHECK (size IN ('micro', 'small', 'medium', 'large')),
    ADD COLUMN legal_representative text,
    ADD COLUMN safety_officer text,
    ADD COLUMN safety_officer_phone_enc text,
    ADD COLUMN safety_officer_phone_masked text,
    ADD COLUMN association_kind text CHECK (association_kind IN ('hometown', 'trade', 'new_citizen', 'social')),
    ADD COLUMN provinces text[] NOT NULL DEFAULT '{}',
    ADD COLUMN dialects text[] NOT NULL DEFAULT '{}',
    ADD COLUMN sectors text[] NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`.execute(db);
  await sql`UPDATE organisations o SET area_path = a.path FROM areas a WHERE a.id = o.area_id`.execute(
    db,
  );
  await sql`ALTER TABLE organisations ALTER COLUMN area_path SET NOT NULL`.execute(db);
  await sql`CREATE INDEX organisations_area_path ON organisations (area_path text_pattern_ops)`.execute(
    db,
  );

  await sql`
    CREATE TABLE imports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('residents', 'units', 'organisations')),
      filename text NOT NULL,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
      total_rows integer NOT NULL DEFAULT 0,
      inserted_rows integer NOT NULL DEFAULT 0,
      unchanged_rows integer NOT NULL DEFAULT 0,
      error_rows integer NOT NULL DEFAULT 0,
      errors jsonb NOT NULL DEFAULT '[]'::jsonb,
      message text,
      created_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS imports`.execute(db);
  await sql`ALTER TABLE organisations
    DROP COLUMN IF EXISTS uscc, DROP COLUMN IF EXISTS area_path, DROP COLUMN IF EXISTS unit_id,
    DROP COLUMN IF EXISTS address, DROP COLUMN IF EXISTS industry, DROP COLUMN IF EXISTS size,
    DROP COLUMN IF EXISTS legal_representative, DROP COLUMN IF EXISTS safety_officer,
    DROP COLUMN IF EXISTS safety_officer_phone_enc, DROP COLUMN IF EXISTS safety_officer_phone_masked,
    DROP COLUMN IF EXISTS association_kind, DROP COLUMN IF EXISTS provinces,
    DROP COLUMN IF EXISTS dialects, DROP COLUMN IF EXISTS sectors, DROP COLUMN IF EXISTS updated_at`.execute(
    db,
  );
  await sql`DROP TABLE IF EXISTS residence_registrations`.execute(db);
  await sql`ALTER TABLE residents DROP CONSTRAINT IF EXISTS residents_unit_fk`.execute(db);
  await sql`DROP TABLE IF EXISTS units`.execute(db);
  await sql`DROP TABLE IF EXISTS residents`.execute(db);
  await sql`DROP TABLE IF EXISTS buildings`.execute(db);
}
