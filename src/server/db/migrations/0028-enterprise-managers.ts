/**
 * Enterprise managers (企业负责人, issue 6): a role of its own on role_grants,
 * held for one enterprise like the safety officer's, and a manager's
 * signature on a monthly payroll declaration (who signed, when).
 */
import { type Kysely, sql } from "kysely";

const ROLES_BEFORE = `'admin', 'coordinator', 'department_officer', 'grid_worker',
  'enterprise_officer', 'association_rep', 'resident'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check`.execute(db);
  await sql`ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN (${sql.raw(ROLES_BEFORE)}, 'enterprise_manager'))`.execute(db);
  // The staff list of an enterprise reads its grants by organisation.
  await sql`CREATE INDEX role_grants_organisation ON role_grants (organisation_id, role)
    WHERE organisation_id IS NOT NULL`.execute(db);
  await sql`ALTER TABLE payroll_declarations
    ADD COLUMN signed_by bigint REFERENCES users(id),
    ADD COLUMN signed_at timestamptz,
    ADD CONSTRAINT payroll_declarations_signed CHECK ((signed_by IS NULL) = (signed_at IS NULL))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payroll_declarations
    DROP CONSTRAINT payroll_declarations_signed,
    DROP COLUMN signed_at,
    DROP COLUMN signed_by`.execute(db);
  await sql`DROP INDEX role_grants_organisation`.execute(db);
  // A manager keeps their enterprise as its safety officer: the old CHECK knows no managers.
  await sql`UPDATE role_grants SET role = 'enterprise_officer' WHERE role = 'enterprise_manager'`.execute(
    db,
  );
  await sql`ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check`.execute(db);
  await sql`ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN (${sql.raw(ROLES_BEFORE)}))`.execute(db);
}
