/** SQL for accounts, grants, sessions, login failures and API tokens. */
import { type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

export function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom("users")
    .selectAll()
    .where("username", "=", username.toLowerCase())
    .executeTakeFirst();
}

export function findUserById(db: Db, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The account using this e-mail address, in any case (there is at most one). */
export function findUserByEmail(db: Db, email: string) {
  return (
    db
      .selectFrom("users")
      .select(["id", "username"])
      // lower() on both sides: the unique index's notion of case, not JavaScript's.
      .where(sql<SqlBool>`lower(email) = lower(${email})`)
      .executeTakeFirst()
  );
}

export async function recordFailure(db: Db, username: string, ip: string) {
  await db.insertInto("login_failures").values({ username: username.toLowerCase(), ip }).execute();
}

export async function countIpFailuresSince(db: Db, ip: string, since: Date): Promise<number> {
  const r = await db
    .selectFrom("login_failures")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("ip", "=", ip)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function pruneFailures(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom("login_failures").where("at", "<", before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function incrementFailedLogins(db: Db, userId: string): Promise<number> {
  const r = await db
    .updateTable("users")
    .set({ failed_logins: sql`failed_logins + 1`, updated_at: new Date() })
    .where("id", "=", userId)
    .returning("failed_logins")
    .executeTakeFirstOrThrow();
  return r.failed_logins;
}

export async function lockUser(db: Db, userId: string, until: Date) {
  await db
    .updateTable("users")
    .set({ status: "locked", locked_until: until, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

export async function resetLoginState(db: Db, userId: string) {
  await db
    .updateTable("users")
    .set({ status: "active", locked_until: null, failed_logins: 0, updated_at: new Date() })
    .where("id", "=", userId)
    .where("status", "!=", "disabled")
    .execute();
}

export async function setPassword(db: Db, userId: string, hash: string) {
  await db
    .updateTable("users")
    .set({ password_hash: hash, password_changed_at: new Date(), updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}

/** Grants with the area path each one reaches, for the access policies. */
export function grantsOfUsers(db: Db, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("role_grants as g")
    .leftJoin("areas as a", "a.id", "g.area_id")
    .leftJoin("departments as d", "d.id", "g.department_id")
    .leftJoin("areas as da", "da.id", "d.area_id")
    .leftJoin("organisations as o", "o.id", "g.organisation_id")
    .leftJoin("areas as oa", "oa.id", "o.area_id")
    .select([
      "g.id",
      "g.user_id",
      "g.role",
      "g.scope_kind",
      "g.area_id",
      "g.department_id",
      "g.organisation_id",
      "a.name as area_name",
      "a.code as area_code",
      "a.level as area_level",
      "a.path as area_path",
      "d.name as department_name",
      "d.code as department_code",
      "da.path as department_area_path",
      "o.name as organisation_name",
      "oa.path as organisation_area_path",
    ])
    .where("g.user_id", "in", userIds)
    .orderBy("g.id")
    .execute();
}

export type GrantRow = Awaited<ReturnType<typeof grantsOfUsers>>[number];

export async function insertSession(
  db: Db,
  s: {
    id: string;
    user_id: string;
    csrf_token: string;
    ip: string;
    user_agent: string | null;
    expires_at: Date;
  },
) {
  await db.insertInto("sessions").values(s).execute();
}

export function findSession(db: Db, id: string) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select([
      "s.id",
      "s.user_id",
      "s.csrf_token",
      "s.last_seen_at",
      "s.expires_at",
      "u.username",
      "u.display_name",
      "u.status",
      "u.locked_until",
    ])
    .where("s.id", "=", id)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: Date) {
  await db.updateTable("sessions").set({ last_seen_at: at }).where("id", "=", id).execute();
}

export async function deleteSession(db: Db, id: string) {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

export async function deleteOtherSessions(db: Db, userId: string, keepId: string | null) {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepId) q = q.where("id", "!=", keepId);
  await q.execute();
}

export async function deleteExpiredSessions(db: Db, now: Date, idleBefore: Date): Promise<number> {
  const r = await db
    .deleteFrom("sessions")
    .where((eb) => eb.or([eb("expires_at", "<", now), eb("last_seen_at", "<", idleBefore)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export function findTokenByHash(db: Db, hash: string) {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("token_hash", "=", hash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
}

export async function touchToken(db: Db, id: string, at: Date) {
  await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
}

export function insertToken(
  db: Db,
  t: {
    name: string;
    token_hash: string;
    token_prefix: string;
    scopes: string[];
    created_by: string | null;
  },
) {
  return db.insertInto("api_tokens").values(t).returningAll().executeTakeFirstOrThrow();
}

export async function listTokens(db: Db, limit: number, offset: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom("api_tokens")
      .selectAll()
      .orderBy("id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom("api_tokens")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export function revokeToken(db: Db, id: string, at: Date) {
  return db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .returning(["id", "name"])
    .executeTakeFirst();
}

export function findToken(db: Db, id: string) {
  return db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
}

export function insertUser(
  db: Db,
  u: {
    username: string;
    password_hash: string;
    display_name: string;
    phone_enc: string | null;
    phone_masked: string | null;
    email?: string | null;
  },
) {
  return db
    .insertInto("users")
    .values({ ...u, username: u.username.toLowerCase() })
    .returning(["id", "username"])
    .executeTakeFirstOrThrow();
}

export async function insertGrant(
  db: Db,
  g: {
    user_id: string;
    role: string;
    scope_kind: "area" | "department" | "organisation" | "self";
    area_id?: string | null;
    department_id?: string | null;
    organisation_id?: string | null;
    granted_by?: string | null;
  },
) {
  await db.insertInto("role_grants").values(g).execute();
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom("users")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return r.n;
}

export interface UserFilter {
  q?: string | undefined;
  status?: "active" | "locked" | "disabled" | undefined;
  role?: string | undefined;
  sort: "username" | "-username" | "createdAt" | "-createdAt";
  limit: number;
  offset: number;
}

export async function listUsers(db: Db, f: UserFilter) {
  let q = db.selectFrom("users as u");
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb("u.username", "like", like.toLowerCase()), eb("u.display_name", "like", like)]),
    );
  }
  if (f.status) q = q.where("u.status", "=", f.status);
  if (f.role) {
    const role = f.role;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("role_grants as g")
          .whereRef("g.user_id", "=", "u.id")
          .where("g.role", "=", role),
      ),
    );
  }
  const desc = f.sort.startsWith("-");
  const col = f.sort.endsWith("username") ? "u.username" : "u.created_at";
  const [items, total] = await Promise.all([
    q
      .select([
        "u.id",
        "u.username",
        "u.display_name",
        "u.status",
        "u.phone_masked",
        "u.email",
        "u.locked_until",
        "u.created_at",
      ])
      .orderBy(col, desc ? "desc" : "asc")
      .orderBy("u.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export async function updateUser(
  db: Db,
  id: string,
  patch: { display_name?: string; status?: "active" | "disabled"; email?: string | null },
) {
  return db
    .updateTable("users")
    .set({
      ...patch,
      ...(patch.status === "active" ? { locked_until: null, failed_logins: 0 } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returning(["id"])
    .executeTakeFirst();
}

export function findGrant(db: Db, userId: string, grantId: string) {
  return db
    .selectFrom("role_grants")
    .selectAll()
    .where("id", "=", grantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export async function deleteGrant(db: Db, grantId: string) {
  await db.deleteFrom("role_grants").where("id", "=", grantId).execute();
}

export async function countAdminGrants(db: Db): Promise<number> {
  const r = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("g.role", "=", "admin")
    .where("u.status", "=", "active")
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function insertGrantReturning(
  db: Db,
  g: {
    user_id: string;
    role: string;
    scope_kind: "area" | "department" | "organisation" | "self";
    area_id?: string | null;
    department_id?: string | null;
    organisation_id?: string | null;
    granted_by?: string | null;
  },
) {
  return db.insertInto("role_grants").values(g).returning("id").executeTakeFirstOrThrow();
}

/**
 * Accounts holding one of `roles` on an organisation (an enterprise's staff),
 * each once with the roles it holds there; managers first, then by username.
 */
export async function organisationAccounts(
  db: Db,
  organisationId: string,
  roles: readonly string[],
  f: {
    status?: "active" | "locked" | "disabled" | undefined;
    userId?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  let q = db
    .selectFrom("users as u")
    .innerJoin("role_grants as g", "g.user_id", "u.id")
    .where("g.organisation_id", "=", organisationId)
    .where("g.role", "in", roles);
  if (f.status) q = q.where("u.status", "=", f.status);
  if (f.userId) q = q.where("u.id", "=", f.userId);
  const [items, total] = await Promise.all([
    q
      .select([
        "u.id",
        "u.username",
        "u.display_name",
        "u.status",
        "u.phone_masked",
        "u.email",
        "u.created_at",
        sql<string[]>`array_agg(DISTINCT g.role ORDER BY g.role)`.as("roles"),
      ])
      .groupBy("u.id")
      .orderBy(sql`bool_or(g.role = 'enterprise_manager')`, "desc")
      .orderBy("u.username")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(DISTINCT u.id)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** Active accounts holding `role` on an organisation. */
export async function activeHolders(db: Db, organisationId: string, role: string) {
  const rows = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select("u.id")
    .distinct()
    .where("g.organisation_id", "=", organisationId)
    .where("g.role", "=", role)
    .where("u.status", "=", "active")
    .execute();
  return rows.map((r) => r.id);
}

/** Active accounts holding one of `roles` on an area that covers `areaPath` (at any level). */
export async function activeAreaRoleHolders(db: Db, roles: readonly string[], areaPath: string) {
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom("role_grants as g")
    .innerJoin("areas as a", "a.id", "g.area_id")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["g.user_id", "g.role"])
    .distinct()
    .where("g.role", "in", [...roles])
    .where("u.status", "=", "active")
    .where(sql<SqlBool>`${areaPath} LIKE a.path || '%'`)
    .orderBy("g.user_id")
    .execute();
  return rows;
}
