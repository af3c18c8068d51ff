/**
 * Enterprise workspace (issue 6, part A): an enterprise's sites and its
 * workforce.
 *
 * - enterprise_sites: the places an enterprise works from (factory,
 *   dormitory, office, warehouse, shop, construction site), each at an
 *   address placed in its grid. Sites are deactivated, never deleted: hazards
 *   and inspections may name them.
 * - employments: who works (or worked) for which enterprise, from when to
 *   when. At most one open employment per person and enterprise; a person
 *   may hold jobs at two enterprises at once. residents.employer_id mirrors
 *   the latest open one (kept by the enterprises service).
 *
 * Dormitory rooms need no table: they are the units whose landlord is the
 * enterprise (units.landlord_organisation_id).
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE enterprise_sites (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 60),
      kind text NOT NULL CHECK (kind IN
        ('factory', 'dormitory', 'office', 'warehouse', 'shop', 'construction_site')),
      address text NOT NULL CHECK (char_length(address) BETWEEN 2 AND 120),
      lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
      lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
      grid_id bigint NOT NULL REFERENCES areas(id),
      area_path text NOT NULL,
      building_id bigint REFERENCES buildings(id),
      active boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      created_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // A name once per enterprise among its active sites: a second submission is a conflict.
  await sql`CREATE UNIQUE INDEX enterprise_sites_name ON enterprise_sites (organisation_id, name) WHERE active`.execute(
    db,
  );
  await sql`CREATE INDEX enterprise_sites_organisation ON enterprise_sites (organisation_id, id)`.execute(
    db,
  );
  await sql`CREATE INDEX enterprise_sites_area_path ON enterprise_sites (area_path text_pattern_ops)`.execute(
    db,
  );

  await sql`
    CREATE TABLE employments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      resident_id bigint NOT NULL REFERENCES residents(id),
      hired_on date NOT NULL,
      left_on date,
      position text CHECK (char_length(position) <= 40),
      source text NOT NULL CHECK (source IN ('import', 'api', 'staff')),
      created_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (left_on IS NULL OR left_on >= hired_on)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX employments_open ON employments (organisation_id, resident_id) WHERE left_on IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX employments_resident ON employments (resident_id, hired_on)`.execute(db);
  await sql`CREATE INDEX employments_hired ON employments (organisation_id, hired_on)`.execute(db);
  await sql`CREATE INDEX employments_left ON employments (organisation_id, left_on) WHERE left_on IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE employments`.execute(db);
  await sql`DROP TABLE enterprise_sites`.execute(db);
}
