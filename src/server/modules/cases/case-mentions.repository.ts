/** SQL for @mentions in case comments: who may be mentioned, their names, and the mentions on a timeline. */
import { type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import { ENTERPRISE_ROLES } from "../../../shared/roles.js";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

/** Active users working for any of the departments or organisations, with whom they work for. */
export async function partyUsers(db: Db, departmentIds: string[], organisationIds: string[]) {
  if (departmentIds.length === 0 && organisationIds.length === 0) return [];
  return db
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .leftJoin("departments", "departments.id", "role_grants.department_id")
    .leftJoin("organisations", "organisations.id", "role_grants.organisation_id")
    .select([
      "users.id",
      "users.display_name",
      sql<string>`coalesce(departments.name, organisations.name)`.as("organisation"),
    ])
    .where("users.status", "=", "active")
    .where((eb) =>
      eb.or([
        ...(departmentIds.length
          ? [
              eb.and([
                eb("role_grants.role", "=", "department_officer"),
                eb("role_grants.department_id", "in", departmentIds),
              ]),
            ]
          : []),
        ...(organisationIds.length
          ? [
              eb.and([
                eb("role_grants.role", "in", [...ENTERPRISE_ROLES, "association_rep"]),
                eb("role_grants.organisation_id", "in", organisationIds),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy("users.id")
    .execute();
}

/** Active coordinators whose area holds the place, with the area they coordinate. */
export function coordinatorsCovering(db: Db, areaPath: string) {
  return db
    .selectFrom("role_grants")
    .innerJoin("areas", "areas.id", "role_grants.area_id")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select(["users.id", "users.display_name", "areas.name as area_name"])
    .where("role_grants.role", "=", "coordinator")
    .where("users.status", "=", "active")
    .where(sql<SqlBool>`${areaPath} LIKE areas.path || '%'`)
    .orderBy("areas.path")
    .orderBy("users.id")
    .execute();
}

/** An active user's display name (the reporter, when they may be mentioned). */
export function activeUser(db: Db, id: string) {
  return db
    .selectFrom("users")
    .select(["id", "display_name"])
    .where("id", "=", id)
    .where("status", "=", "active")
    .executeTakeFirst();
}

/** The mentions recorded on a case's comments, by action id. */
export async function mentionsOnCase(db: Db, caseId: string) {
  const rows = await db
    .selectFrom("case_actions")
    .select(["id", sql<unknown>`details -> 'mentions'`.as("mentions")])
    .where("case_id", "=", caseId)
    .where("action", "=", "comment")
    .where(sql<SqlBool>`details -> 'mentions' IS NOT NULL`)
    .execute();
  return rows;
}
